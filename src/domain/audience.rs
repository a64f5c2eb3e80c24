//! Two audiences, two texts: what customers read (the event's name, description and prize, the
//! posts and posters made from them) and what only the owner reads (a plan's reasons and its cost
//! breakdown). One rule tells the owner's words apart, and every door that puts text in front of
//! customers refuses them: the plan bar, and publishing.

/// Whether `text` carries the owner's cost breakdown ("예상 비용은 … 합계 180,000원입니다"),
/// which must never reach a customer.
pub fn has_owner_costs(text: &str) -> bool {
    if ["예상 비용", "예상비용", "비용 합계", "총비용", "총 비용"]
        .iter()
        .any(|w| text.contains(w))
    {
        return true;
    }
    // "합계 123,000원입니다", "합계: 1만 원입니다" — a sum stated as the total, not a condition
    // ("구매 합계 2만원 이상").
    text.match_indices("합계").any(|(i, w)| {
        let after = text[i + w.len()..].trim_start_matches([' ', ':', '는', '은', '가', '약']);
        let amount: String = (after.chars())
            .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '만' | '천' | ' '))
            .collect();
        !amount.trim().is_empty() && after[amount.len()..].starts_with("원입니다")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owners_cost_breakdown_is_told_apart_from_what_customers_read() {
        for owner in [
            "예상 비용은 홍보물 인쇄 30,000원 + 쿠폰 20건 × 3,000원, 합계 90,000원입니다.",
            "비용 합계는 5만 원",
            "합계 120,000원입니다.",
            "합계: 3만원입니다",
            "합계가 약 5만 원입니다",
        ] {
            assert!(has_owner_costs(owner), "{owner}");
        }
        for customer in [
            "아메리카노를 3,000원 할인해 드립니다.",
            "스탬프 5개를 모으면 케이크 한 조각을 드려요.",
            "합계 금액의 10% 할인",
            "구매 합계 2만원 이상이면 10% 할인",
            "총 2,000원 할인",
        ] {
            assert!(!has_owner_costs(customer), "{customer}");
        }
    }
}
