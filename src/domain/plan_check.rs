//! The bar every event plan must clear, whoever wrote it (the built-in recommender or a model):
//! Korean particles chosen, never hedged ("을(를)"); no word foreign to the shop's trade; each
//! promotion's mechanics stated (a coupon's discount, a stamp card's count, a draw's winners and
//! date, what both sides of a referral get); three plans that differ; the owner's budget kept.

use std::collections::HashSet;

use super::promotion::{Plan, PromotionType as P};
use super::trade::Trade;

/// Why a plan (or a set of three) falls short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanProblem {
    Hedged {
        field: &'static str,
        form: &'static str,
    },
    Foreign {
        field: &'static str,
        word: &'static str,
    },
    Mechanics {
        promotion: P,
        missing: &'static str,
    },
    NotForTrade(P),
    /// No mechanic as data: nothing would run at the counter.
    NoMechanic,
    /// The mechanic breaks one of its rules (`field`), or does not fit the promotion.
    MechanicRule {
        field: String,
    },
    /// The prose leaves out (or contradicts) one of the mechanic's numbers.
    Unstated {
        number: String,
    },
    OverBudget {
        cost: i64,
        budget: i64,
    },
    Repeated(&'static str),
    /// The owner's cost breakdown in a text customers read (`audience::has_owner_costs`).
    OwnerCosts {
        field: &'static str,
    },
}

/// Particles written both ways, which a person never does.
const HEDGES: [&str; 10] = [
    "을(를)", "를(을)", "이(가)", "가(이)", "은(는)", "는(은)", "과(와)", "와(과)", "(으)로",
    "(이)라",
];

pub fn hedged(text: &str) -> Option<&'static str> {
    HEDGES.into_iter().find(|h| text.contains(h))
}

/// The plan's text, field by field, without the owner's own words (a shop may be called
/// "헤어 카페").
fn texts<'a>(plan: &'a Plan, owner_words: &[&str]) -> Vec<(&'static str, String)> {
    let strip = |s: &str| {
        let mut s = s.to_owned();
        for w in owner_words.iter().filter(|w| !w.trim().is_empty()) {
            s = s.replace(w, " ");
            s = s.replace(&w.replace(' ', ""), " ");
        }
        s
    };
    let fields: [(&'static str, &'a str); 6] = [
        ("name", &plan.name),
        ("description", &plan.description),
        ("prize", &plan.prize),
        ("targetAudience", &plan.target_audience),
        ("reason", &plan.reason),
        ("adCopy", &plan.ad_copy),
    ];
    let mut out: Vec<_> = fields.iter().map(|(f, t)| (*f, strip(t))).collect();
    out.push(("hashtags", strip(&plan.hashtags.join(" "))));
    out
}

/// A number followed by one of `units` ("20%", "5명", "10개").
fn number_with(text: &str, units: &[&str]) -> bool {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    chars.iter().enumerate().any(|(i, (_, c))| {
        let ends_number = c.is_ascii_digit()
            && chars
                .get(i + 1)
                .is_none_or(|(_, n)| !n.is_ascii_digit() && *n != ',');
        let rest = chars.get(i + 1).map_or("", |(at, _)| &text[*at..]);
        ends_number && units.iter().any(|u| rest.trim_start().starts_with(u))
    })
}

/// A date as it is said: "12월 26일".
fn spoken_date(text: &str) -> bool {
    text.split("월 ").skip(1).any(|after| {
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        !digits.is_empty() && after[digits.len()..].starts_with('일')
    })
}

fn any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// What the promotion's name promises, missing from its description and prize.
fn missing_mechanics(t: P, text: &str) -> Option<&'static str> {
    let amount = number_with(text, &["%", "원"]);
    let (ok, missing) = match t {
        P::DiscountCoupon => (
            amount && any(text, &["쿠폰"]) && any(text, &["사용", "결제"]),
            "할인율이나 금액과 쓰는 방법",
        ),
        P::TimeSale => (
            amount && any(text, &["시", "평일", "주말", "마감"]),
            "할인율과 시간대",
        ),
        P::StampCard => (
            number_with(text, &["개", "회", "번"]) && any(text, &["스탬프", "도장", "출석"]),
            "모을 개수와 보상",
        ),
        P::Giveaway => (
            number_with(text, &["명"]) && any(text, &["추첨"]) && spoken_date(text),
            "당첨 인원과 추첨일",
        ),
        P::Referral => (
            any(text, &["친구"]) && any(text, &["모두", "두 사람"]),
            "추천한 사람과 친구가 받는 것",
        ),
        P::PhotoReview => (
            any(text, &["사진", "인증샷", "후기"])
                && any(text, &["SNS", "인스타그램", "블로그", "#"]),
            "무엇을 어디에 올리는지",
        ),
        P::FirstVisitGift => (any(text, &["처음", "첫"]), "처음 온 고객이 받는 것"),
        P::BundleDeal => (
            any(
                text,
                &[
                    "1+1",
                    "세트",
                    "패키지",
                    "함께",
                    "두 개",
                    "3+1",
                    "5+1",
                    "10+1",
                ],
            ) && (amount || any(text, &["더 드립니다", "받지 않습니다"])),
            "무엇을 함께 사면 얼마나 이득인지",
        ),
        P::LimitedMenu => (
            any(text, &["한정"]) && number_with(text, &["일"]),
            "무엇을 며칠 동안",
        ),
    };
    (!ok).then_some(missing)
}

/// One plan against the bar.
pub fn check_plan(
    plan: &Plan,
    trade: Trade,
    owner_words: &[&str],
    budget: Option<i64>,
) -> Vec<PlanProblem> {
    let mut found = Vec::new();
    let profile = trade.profile();
    if !trade.allows(plan.promotion_type) {
        found.push(PlanProblem::NotForTrade(plan.promotion_type));
    }
    for (field, text) in texts(plan, owner_words) {
        if let Some(form) = hedged(&text) {
            found.push(PlanProblem::Hedged { field, form });
        }
        if let Some(word) = profile.foreign_words().find(|w| text.contains(*w)) {
            found.push(PlanProblem::Foreign { field, word });
        }
    }
    let customers_read = [
        ("name", &plan.name),
        ("description", &plan.description),
        ("prize", &plan.prize),
        ("adCopy", &plan.ad_copy),
    ];
    for (field, text) in customers_read {
        if super::audience::has_owner_costs(text) {
            found.push(PlanProblem::OwnerCosts { field });
        }
    }
    let terms = format!("{} {}", plan.description, plan.prize);
    if let Some(missing) = missing_mechanics(plan.promotion_type, &terms) {
        found.push(PlanProblem::Mechanics {
            promotion: plan.promotion_type,
            missing,
        });
    }
    found.extend(mechanic_problems(plan, &terms));
    if let Some(b) = budget.filter(|b| plan.estimated_cost > *b) {
        found.push(PlanProblem::OverBudget {
            cost: plan.estimated_cost,
            budget: b,
        });
    }
    found
}

/// The plan's mechanic: there, within its rules for the plan's type and period, and stated by
/// its prose.
fn mechanic_problems(plan: &Plan, terms: &str) -> Vec<PlanProblem> {
    let Some(m) = &plan.mechanic else {
        return vec![PlanProblem::NoMechanic];
    };
    let period = Some((plan.start_date, plan.end_date));
    let mut found: Vec<PlanProblem> = (m.problems(plan.promotion_type, period).into_iter())
        .map(|e| PlanProblem::MechanicRule {
            field: e.field.to_owned(),
        })
        .collect();
    if let Some(number) = m.unstated(terms) {
        found.push(PlanProblem::Unstated { number });
    }
    found
}

/// Three plans against the bar, each and together: different promotions, prizes and audiences.
pub fn check_plans(
    plans: &[Plan],
    trade: Trade,
    owner_words: &[&str],
    budget: Option<i64>,
) -> Vec<PlanProblem> {
    let mut found: Vec<PlanProblem> = (plans.iter())
        .flat_map(|p| check_plan(p, trade, owner_words, budget))
        .collect();
    let distinct = |f: &dyn Fn(&Plan) -> String| {
        plans.iter().map(f).collect::<HashSet<_>>().len() == plans.len()
    };
    if !distinct(&|p| p.promotion_type.code().to_owned()) {
        found.push(PlanProblem::Repeated("promotionType"));
    }
    if !distinct(&|p| p.prize.clone()) {
        found.push(PlanProblem::Repeated("prize"));
    }
    if !distinct(&|p| p.target_audience.clone()) {
        found.push(PlanProblem::Repeated("targetAudience"));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_dates_and_hedges_are_found() {
        assert!(number_with("첫 결제 20% 할인", &["%"]));
        assert!(number_with("추첨으로 5명에게", &["명"]));
        assert!(number_with("10,000원 할인", &["원"]));
        assert!(!number_with("다섯 명", &["명"]));
        assert!(spoken_date("당첨자는 12월 26일에 추첨합니다"));
        assert!(!spoken_date("12월 중에 추첨합니다"));
        assert_eq!(hedged("트리트먼트을(를) 드립니다"), Some("을(를)"));
        assert_eq!(hedged("트리트먼트를 드립니다"), None);
    }

    #[test]
    fn each_promotion_must_state_its_mechanics() {
        let cases = [
            (
                P::DiscountCoupon,
                "다음 방문 때 결제 금액의 15%를 할인하는 쿠폰을 드립니다. 1회 사용할 수 있습니다.",
            ),
            (
                P::StampCard,
                "방문할 때마다 스탬프를 찍어 드리고 10개를 모으면 아메리카노 1잔을 드립니다.",
            ),
            (P::Giveaway, "응모한 분 중 5명을 12월 26일에 추첨합니다."),
            (
                P::Referral,
                "친구를 데려오면 두 사람 모두 2,000원 할인합니다.",
            ),
        ];
        for (t, good) in cases {
            assert_eq!(missing_mechanics(t, good), None, "{t:?}");
            assert!(
                missing_mechanics(t, "특별한 혜택을 드립니다.").is_some(),
                "{t:?}"
            );
        }
    }
}
