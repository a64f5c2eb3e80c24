//! Writing one plan: period, rewards, expected participants, cost, and the Korean text.

use super::facts::{Facts, facts};
use crate::domain::Objective;
use crate::domain::korean_calendar::{Occasion, Season};
use crate::domain::promotion::{IndustryKind, Plan, PromotionType as P};
use crate::ports::RecommendationInput;

/// Name, description, prize and the cost of the rewards.
struct Offer {
    name: String,
    description: String,
    prize: String,
    cost: i64,
}

pub(super) fn write_plan(
    input: &RecommendationInput,
    kind: IndustryKind,
    season: Season,
    occasion: Option<&Occasion>,
    t: P,
) -> Plan {
    let f = facts(input, kind, season, occasion, t);
    let offer = offer(&f);
    let cost = offer.cost + 30_000; // posters, QR stands
    let (estimated_cost, budget_note) = match input.budget {
        Some(b) if cost > b => (b, format!(" 예산 {b}원에 맞춰 혜택 수량을 한정하세요.")),
        _ => (cost, String::new()),
    };
    let ad_copy = format!(
        "(광고) [{}] {} | {} ~ {} | {} | 자세한 내용과 응모는 링크에서 확인하세요.",
        f.store, offer.name, f.start, f.end, offer.prize
    );
    Plan {
        promotion_type: t,
        target_audience: target_audience(&f),
        start_date: f.start,
        end_date: f.end,
        expected_participants: f.expected,
        estimated_cost,
        hashtags: hashtags(&f),
        reason: reason(&f, &budget_note),
        ad_copy,
        name: offer.name,
        description: offer.description,
        prize: offer.prize,
    }
}

fn offer(f: &Facts) -> Offer {
    let (description, prize, cost) = terms(f);
    Offer {
        name: name(f),
        description,
        prize,
        cost,
    }
}

fn name(f: &Facts) -> String {
    let (moment, store) = (&f.moment, f.store);
    let what = match f.t {
        P::DiscountCoupon => "할인 쿠폰 이벤트",
        P::StampCard => "스탬프 2배 적립",
        P::PhotoReview => "인증샷 이벤트",
        P::Referral => "친구 추천 이벤트",
        P::LimitedMenu => "기간 한정 메뉴",
        P::Giveaway => "경품 추첨",
        P::FirstVisitGift => "첫 방문 선물",
        P::BundleDeal => "1+1 세트 이벤트",
        P::TimeSale => "타임 세일",
    };
    format!("{moment} {store} {what}")
}

/// Description, prize, and the cost of the rewards.
fn terms(f: &Facts) -> (String, String, i64) {
    match f.t {
        P::PhotoReview | P::LimitedMenu | P::Giveaway | P::BundleDeal => drawn_terms(f),
        _ => terms_for_everyone(f),
    }
}

/// Plans whose reward every participant gets.
fn terms_for_everyone(f: &Facts) -> (String, String, i64) {
    let (end, days) = (f.end, f.days);
    let (small, small_value) = f.small;
    let n = i64::from(f.expected);
    let o = |description: String, prize: String, cost: i64| (description, prize, cost);
    match f.t {
        P::DiscountCoupon => o(
            format!(
                "이벤트 페이지에서 응모한 고객에게 다음 방문 때 쓸 수 있는 {small}을(를) 드립니다. 쿠폰은 {end}까지 사용할 수 있습니다."
            ),
            small.to_owned(),
            n * 4 / 10 * small_value,
        ),
        P::StampCard => o(
            format!(
                "기간 중 방문할 때마다 스탬프를 두 배로 찍어 드리고, 5개를 모으면 {small}을(를) 드립니다."
            ),
            small.to_owned(),
            n * 3 / 10 * small_value,
        ),
        P::Referral => o(
            format!(
                "친구와 함께 오거나 추천 링크로 친구가 응모하면 두 사람 모두에게 {small}을(를) 드립니다."
            ),
            format!("추천한 사람·추천받은 사람 모두 {small}"),
            n * small_value,
        ),
        P::FirstVisitGift => o(
            format!("처음 방문해 응모한 고객 모두에게 {small}을(를) 드립니다."),
            format!("첫 방문 고객 전원 {small}"),
            n * small_value,
        ),
        P::TimeSale => o(
            format!(
                "{days}일 동안 손님이 적은 시간대(오후 2~5시)에 30% 할인하고, 응모 고객에게 {small}을(를) 추가로 드립니다."
            ),
            format!("30% 할인 + {small}"),
            n * 3 / 10 * small_value,
        ),
        _ => drawn_terms(f),
    }
}

/// Plans with a draw among the participants.
fn drawn_terms(f: &Facts) -> (String, String, i64) {
    let (moment, store, days) = (&f.moment, f.store, f.days);
    let ((small, small_value), (big, big_value)) = (f.small, f.big);
    let n = i64::from(f.expected);
    let o = |description: String, prize: String, cost: i64| (description, prize, cost);
    match f.t {
        P::PhotoReview => o(
            format!(
                "매장 사진을 #{} 해시태그와 함께 SNS에 올리고 응모하면 전원 {small}, 추첨으로 3명에게 {big}을(를) 드립니다.",
                store.replace(' ', "")
            ),
            format!("전원 {small} + 추첨 3명 {big}"),
            n / 2 * small_value + 3 * big_value,
        ),
        P::LimitedMenu => o(
            format!(
                "{moment} 분위기를 담은 한정 메뉴를 {days}일 동안만 선보이고, 응모 고객 중 10명에게 {small}을(를) 드립니다."
            ),
            format!("추첨 10명 {small}"),
            50_000 + 10 * small_value,
        ),
        P::Giveaway => o(
            format!(
                "이벤트 페이지에서 응모하면 추첨으로 5명에게 {big}을(를) 드립니다. 당첨자는 공정한 추첨으로 뽑고 결과를 공개합니다."
            ),
            format!("추첨 5명 {big}"),
            5 * big_value,
        ),
        _ => o(
            format!(
                "기간 중 인기 메뉴·상품을 1+1 또는 세트 할인으로 제공하고, 응모 고객 중 3명에게 {big}을(를) 드립니다."
            ),
            format!("1+1 혜택 + 추첨 3명 {big}"),
            n / 2 * small_value + 3 * big_value,
        ),
    }
}

fn target_audience(f: &Facts) -> String {
    let (place, city) = (&f.place, &f.city);
    match f.input.objective {
        Objective::NewCustomers => {
            format!("{place} 인근 직장인·주민 중 아직 방문하지 않은 잠재 고객")
        }
        Objective::Revisit => "최근 3개월 안에 방문한 단골·재방문 가능 고객".to_owned(),
        Objective::Sales => format!("객단가를 높일 수 있는 기존 고객과 {place} 유동 인구"),
        Objective::Awareness => format!("{city} 지역에서 SNS를 즐겨 쓰는 20~30대"),
    }
}

fn reason(f: &Facts, budget_note: &str) -> String {
    let t = f.t;
    let occasion_reason = f.occasion.map_or_else(
        || {
            format!(
                "{} 시즌에는 {}이(가) 자연스러운 방문 계기가 됩니다.",
                f.season.label(),
                t.label()
            )
        },
        |o| {
            let kind = match o.kind {
                crate::domain::korean_calendar::OccasionKind::PublicHoliday => "공휴일",
                crate::domain::korean_calendar::OccasionKind::CommercialDay => "기념일",
            };
            format!(
                "{}({kind}, {})을 앞두고 {}에 대한 관심이 높아지는 때입니다.",
                o.name,
                o.date,
                t.label()
            )
        },
    );
    let history_reason = match f.history {
        Some(h) => format!(
            " 이 플랫폼에서 같은 업종·같은 목표로 진행된 {}건의 {} 이벤트는 평균 {:.0}명이 참여했습니다.",
            h.events,
            t.label(),
            h.average_entries
        ),
        None if f.input.history.iter().any(|s| s.events > 0) => String::new(),
        None => {
            " 같은 업종의 지난 이벤트 기록이 아직 없어 업종별 기본 성과를 기준으로 예상했습니다."
                .to_owned()
        }
    };
    format!(
        "{occasion_reason} '{}' 목표에는 {}이(가) 잘 맞고, {} 업종에서 부담 없이 운영할 수 있습니다.{history_reason} {} 상권을 기준으로 약 {}명의 참여를 예상합니다.{budget_note}",
        f.input.objective.label(),
        t.label(),
        f.input.shop.industry,
        f.place,
        f.expected,
    )
}

fn hashtags(f: &Facts) -> Vec<String> {
    let tag = |s: &str| format!("#{}", s.replace(' ', ""));
    let label = f.t.label();
    vec![
        tag(f.store),
        tag(&format!("{}{}", f.place, f.input.shop.industry)),
        tag(label.split('·').next().unwrap_or(label)),
        tag(&format!(
            "{}이벤트",
            f.occasion.map_or(f.season.label(), |o| o.name)
        )),
    ]
}
