//! Writing one plan: its name, who it is for, why now, hashtags and the ad copy, every sentence
//! with its particles chosen (`domain::korean`) and its words the trade's own.

use super::facts::{Facts, facts};
use super::offers::offer;
use crate::domain::Objective;
use crate::domain::entry::won;
use chrono::Datelike;

use crate::domain::korean::{Particle, spoken_date, with};
use crate::domain::korean_calendar::{Occasion, OccasionKind, Season};
use crate::domain::promotion::{Plan, PromotionType as P};
use crate::domain::trade::{Trade, promotion_name};
use crate::ports::RecommendationInput;

pub(super) fn write_plan(
    input: &RecommendationInput,
    trade: Trade,
    season: Season,
    occasion: Option<&Occasion>,
    t: P,
) -> Plan {
    let f = facts(input, trade, season, occasion, t);
    let offer = offer(&f);
    let name = format!(
        "{} {}",
        f.moment,
        promotion_name(f.profile, t, f.season.label())
    );
    let ad_copy = format!(
        "(광고) [{}] {name} | {}~{} | {} | 응모와 자세한 내용은 링크에서 확인하세요.",
        f.store, f.start_said, f.end_said, offer.prize
    );
    Plan {
        promotion_type: t,
        target_audience: target_audience(&f),
        start_date: f.start,
        end_date: f.end,
        expected_participants: f.expected,
        estimated_cost: offer.cost,
        hashtags: hashtags(&f),
        // The owner's notes: why now, and what it costs.
        reason: format!("{} {}", reason(&f, offer.capped), offer.costs),
        ad_copy,
        name,
        description: offer.description,
        prize: offer.prize,
        mechanic: Some(offer.mechanic),
    }
}

/// Who the promotion reaches: each mechanic draws different people, shaded by the objective.
fn target_audience(f: &Facts) -> String {
    let p = f.profile;
    let (place, city, customers) = (&f.place, &f.city, p.customers);
    let people = if p.trade == Trade::Academy {
        format!("{place} 초·중등 학부모")
    } else {
        format!("{place} 주민과 직장인")
    };
    match f.t {
        P::FirstVisitGift => format!("{people} 중 아직 {}에 와 보지 않은 분", f.store),
        P::Referral => format!("지금 다니는 {customers}, 그리고 그들이 데려올 친구·가족"),
        P::PhotoReview if p.trade == Trade::Academy => {
            format!("{place}에서 블로그와 커뮤니티로 학원 후기를 찾아보는 학부모")
        }
        P::PhotoReview => format!("{place}의 가게를 SNS로 찾아보는 20~30대"),
        P::Giveaway if city == "동네" => "경품 소식에 잘 반응하는 동네 주민".to_owned(),
        P::Giveaway => format!("경품 소식에 잘 반응하는 {city} 지역 주민"),
        P::StampCard => format!("한 달에 두세 번 이상 오는 단골 {customers}"),
        P::LimitedMenu => format!(
            "새로 나온 {} 먼저 찾는 {customers}",
            with(p.item, Particle::Eul)
        ),
        P::BundleDeal => format!("둘 이상 함께 오거나 한 번에 더 사 가는 {customers}"),
        P::TimeSale => format!("{}에 시간을 낼 수 있는 {people}", p.quiet_said()),
        P::DiscountCoupon => match f.input.objective {
            Objective::Revisit => format!("최근 석 달 안에 다녀간 {customers}"),
            Objective::NewCustomers => format!("값을 비교해 보고 고르는 {people}"),
            Objective::Sales => format!("한 번에 더 쓸 만한 기존 {customers}"),
            Objective::Awareness => format!("{city}에서 할인 소식을 찾아보는 분"),
        },
    }
}

/// Why this promotion, for this shop, now.
fn reason(f: &Facts, capped: bool) -> String {
    let t = f.t;
    let name = promotion_name(f.profile, t, f.season.label());
    let history = match f.history {
        Some(h) => format!(
            " 이 플랫폼에서 같은 업종·같은 목표로 진행된 {}건의 같은 유형 이벤트에는 평균 {:.0}명이 참여했습니다.",
            h.events, h.average_entries
        ),
        None if f.input.history.iter().any(|s| s.events > 0) => String::new(),
        None => {
            " 같은 업종의 지난 이벤트 기록이 아직 없어 업종별 기본 성과로 예상했습니다.".to_owned()
        }
    };
    let budget = match f.input.budget {
        Some(b) if capped => format!(" 예산 {}원에 맞춰 혜택 수량을 줄였습니다.", won(b)),
        _ => String::new(),
    };
    format!(
        "{} '{}' 목표에는 {} 잘 맞습니다. {}{history} {} 상권을 기준으로 약 {}명의 참여를 예상합니다.{budget}",
        moment_reason(f),
        f.input.objective.label(),
        with(&name, Particle::I),
        why(t),
        f.place,
        f.expected,
    )
}

/// The season or the occasion behind the plan, with its date said in words.
fn moment_reason(f: &Facts) -> String {
    let Some(o) = f.occasion else {
        let fact = match f.season {
            Season::Spring => "나들이와 새 출발이 많은 봄",
            Season::Summer => "더위에 시원한 곳과 휴가를 찾는 여름",
            Season::Autumn => "야외 활동과 모임이 늘어나는 가을",
            Season::Winter => "추위에 가까운 동네 가게를 찾는 겨울",
        };
        return format!("지금은 {fact}입니다.");
    };
    let date = spoken_date(o.date, f.input.today.year());
    let why = match (o.name, o.kind) {
        ("신학기", _) => "새 학기를 앞두고 새로 배울 곳과 다닐 곳을 알아보는 때입니다",
        ("연말", _) => "송년 모임과 선물 수요가 몰리는 때입니다",
        ("설날" | "추석", _) => "명절을 앞두고 선물과 가족 모임이 늘어나는 때입니다",
        ("어린이날" | "어버이날" | "스승의 날", _) => {
            "가족과 고마운 분께 마음을 전하는 때입니다"
        }
        ("여름 휴가철", _) => "휴가를 앞두고 준비와 나들이가 늘어나는 때입니다",
        (_, OccasionKind::PublicHoliday) => "쉬는 날을 앞두고 나들이와 모임이 늘어나는 때입니다",
        (_, OccasionKind::CommercialDay) => "선물과 데이트 수요가 늘어나는 때입니다",
    };
    format!(
        "{date} {} 앞두고 있습니다. {why}.",
        with(o.name, Particle::Eul)
    )
}

fn why(t: P) -> &'static str {
    match t {
        P::DiscountCoupon => "다음 방문을 약속받는 가장 쉬운 방법입니다.",
        P::StampCard => "여러 번 오게 만드는 장치라 단골을 늘립니다.",
        P::FirstVisitGift => "처음 오는 부담을 덜어 첫 방문의 문턱을 낮춥니다.",
        P::Referral => "아는 사람이 소개한 곳은 믿고 찾아오고, 오래 다닙니다.",
        P::PhotoReview => "직접 올린 사진과 후기가 동네에 자연스럽게 퍼집니다.",
        P::Giveaway => "응모 문턱이 낮아 짧은 기간에 많은 사람이 모입니다.",
        P::LimitedMenu => "기간이 정해진 새 상품은 보러 오는 이유가 됩니다.",
        P::BundleDeal => "한 번에 더 많이 사게 해 객단가를 올립니다.",
        P::TimeSale => "한가한 시간대를 채워 하루 매출을 고르게 합니다.",
    }
}

fn hashtags(f: &Facts) -> Vec<String> {
    let tag = |s: &str| {
        let word: String = s.chars().filter(|c| c.is_alphanumeric()).collect();
        format!("#{word}")
    };
    let kind = match f.t {
        P::DiscountCoupon => "할인쿠폰",
        P::StampCard => "스탬프이벤트",
        P::PhotoReview if f.profile.trade == Trade::Academy => "수강후기",
        P::PhotoReview => "인증샷이벤트",
        P::Referral => "친구추천",
        P::LimitedMenu => "시즌한정",
        P::Giveaway => "경품이벤트",
        P::FirstVisitGift => "첫방문선물",
        P::BundleDeal => "세트할인",
        P::TimeSale => "타임세일",
    };
    // What the shop is, as people search it; "기타" or nothing says nothing.
    let word = match f.input.shop.industry.trim() {
        "" | "기타" => "가게",
        w => w,
    };
    // Koreans search by 동 and station ("#서교동카페", "#강남역카페"), else by district.
    // "역삼1동" is searched as 역삼동.
    let dong = (f.at.dong.as_deref()).map(|d| {
        let last = d.chars().last().unwrap_or('동');
        let stem: String = d.chars().filter(|c| !c.is_ascii_digit()).collect();
        format!("{}{last}", stem.trim_end_matches(last))
    });
    let local = dong.or_else(|| (f.place != "동네").then(|| f.place.clone()));
    let mut tags = vec![
        tag(f.store),
        tag(&format!("{}{word}", local.unwrap_or_default())),
    ];
    if let Some(station) = &f.at.station {
        tags.push(tag(&format!("{station}{word}")));
    }
    tags.push(tag(kind));
    tags.push(tag(&format!(
        "{}이벤트",
        f.occasion.map_or(f.season.label(), |o| o.name)
    )));
    tags
}
