//! What each promotion offers, in the trade's words and numbers: its terms (a coupon's rate and
//! how it is used, a stamp card's count and reward, a draw's winners and date, what both sides of
//! a referral get), its prize, and its cost — quantities cut to the owner's budget, and the cost
//! written out so that it adds up.

use super::facts::Facts;
use crate::domain::entry::won;
use crate::domain::korean::{Particle, particle_for, with};
use crate::domain::mechanic::{Benefit, Mechanic, ReviewSite, Unlock, Validity};
use crate::domain::promotion::PromotionType as P;
use crate::domain::trade::{Trade, promotion_name};

/// Posters and table stands for the counter.
const MATERIALS: i64 = 30_000;

/// How a promotion's cost is made: a fixed part, and a unit times how many.
struct Terms {
    fixed: (&'static str, i64),
    unit: (String, i64),
    wanted: u32,
}

pub(super) struct Offer {
    /// What customers read: the benefit and how to get it (never the costs).
    pub(super) description: String,
    /// The owner's cost breakdown ("예상 비용은 … 합계 …원입니다"), for the plan's notes.
    pub(super) costs: String,
    pub(super) prize: String,
    pub(super) cost: i64,
    /// The quantity was cut to fit the budget.
    pub(super) capped: bool,
    /// What the prose says, as the counter runs it.
    pub(super) mechanic: Mechanic,
}

fn terms(f: &Facts) -> Terms {
    let p = f.profile;
    let n = f.expected;
    let fixed0 = ("", 0);
    let (fixed, unit, wanted) = match f.t {
        P::DiscountCoupon => (
            fixed0,
            (
                "쿠폰 할인".into(),
                p.ticket * i64::from(p.coupon_rate) / 100,
            ),
            n / 2,
        ),
        P::TimeSale => (
            fixed0,
            ("할인".into(), p.ticket * i64::from(p.time_sale_rate) / 100),
            n * 6 / 10,
        ),
        P::StampCard => (fixed0, (p.small.name.into(), p.small.value), n * 3 / 10),
        P::FirstVisitGift => (fixed0, (p.medium.name.into(), p.medium.value), n),
        P::Referral => (fixed0, ("추천 할인".into(), p.referral_off), n),
        P::PhotoReview => (fixed0, (p.tiny.name.into(), p.tiny.value), n / 2),
        P::Giveaway => (
            fixed0,
            (p.big.name.into(), p.big.value),
            if p.big.value > 100_000 { 3 } else { 5 },
        ),
        P::LimitedMenu => (
            ("한정 상품 준비", 50_000),
            (p.small.name.into(), p.small.value),
            10,
        ),
        P::BundleDeal => (fixed0, (p.bundle.0.into(), p.bundle.2), n / 2),
    };
    Terms {
        fixed,
        unit,
        wanted: wanted.max(1),
    }
}

/// (materials, count) that fit `budget`: the count cut first, then the printed materials.
fn fit(budget: Option<i64>, t: &Terms) -> (i64, u32) {
    let Some(b) = budget else {
        return (MATERIALS, t.wanted);
    };
    let unit = t.unit.1.max(1);
    let most = |room: i64| {
        u32::try_from(room.max(0) / unit)
            .unwrap_or(u32::MAX)
            .min(t.wanted)
    };
    if b - MATERIALS - t.fixed.1 >= unit {
        (MATERIALS, most(b - MATERIALS - t.fixed.1))
    } else {
        (0, most(b - t.fixed.1).max(1))
    }
}

pub(super) fn offer(f: &Facts) -> Offer {
    let t = terms(f);
    let (materials, count) = fit(f.input.budget, &t);
    let cost = materials + t.fixed.1 + t.unit.1 * i64::from(count);
    let (description, prize) = words(f, count);
    let mut parts = Vec::new();
    if materials > 0 {
        parts.push(format!("홍보물 인쇄 {}원", won(materials)));
    }
    if t.fixed.1 > 0 {
        parts.push(format!("{} {}원", t.fixed.0, won(t.fixed.1)));
    }
    parts.push(format!("{} {count}건 × {}원", t.unit.0, won(t.unit.1)));
    Offer {
        description,
        costs: format!(
            "예상 비용은 {}, 합계 {}원입니다.",
            parts.join(" + "),
            won(cost)
        ),
        prize,
        cost,
        capped: count < t.wanted,
        mechanic: mechanic(f, count),
    }
}

/// The mechanic of the offer with `count` first-come passes (or winners).
fn mechanic(f: &Facts, count: u32) -> Mechanic {
    let p = f.profile;
    let cap = Some(count);
    let month_after = Validity::Until {
        date: f.end + chrono::Duration::days(30),
    };
    let coupon = |benefit| Mechanic::Coupon {
        benefit,
        cap,
        validity: month_after,
        uses: 1,
    };
    let rate = |r: u32| Benefit::Percent {
        rate: u8::try_from(r).unwrap_or(10),
    };
    match f.t {
        P::DiscountCoupon => coupon(rate(p.coupon_rate)),
        P::FirstVisitGift => coupon(item(&p.medium)),
        P::BundleDeal => coupon(Benefit::Item {
            name: p.bundle.0.to_owned(),
            value: p.bundle.2,
        }),
        P::LimitedMenu => coupon(item(&p.small)),
        P::TimeSale => Mechanic::TimeSale {
            benefit: rate(p.time_sale_rate),
            cap,
            window: p.quiet_window(),
            validity: Validity::Until { date: f.end },
            uses: 1,
        },
        _ => by_visit(f, cap, month_after),
    }
}

fn item(r: &crate::domain::trade::Reward) -> Benefit {
    Benefit::Item {
        name: r.name.to_owned(),
        value: r.value,
    }
}

/// The mechanics that run over several visits (stamps, friends, reviews) and the draw.
fn by_visit(f: &Facts, cap: Option<u32>, validity: Validity) -> Mechanic {
    let p = f.profile;
    match f.t {
        P::StampCard => Mechanic::StampCard {
            goal: u8::try_from(p.stamps).unwrap_or(5),
            reward: item(&p.small),
            min_gap_hours: 12,
            cap,
            validity,
        },
        P::Referral => Mechanic::Referral {
            inviter: Benefit::Amount {
                won: p.referral_off,
            },
            friend: Benefit::Amount {
                won: p.referral_off,
            },
            unlock: Unlock::FriendRedeemed,
            cap,
            validity,
        },
        P::PhotoReview => Mechanic::PhotoReview {
            reward: item(&p.tiny),
            sites: vec![ReviewSite::Instagram, ReviewSite::NaverBlog],
            hashtag: f.store.replace(' ', ""),
            cap,
            validity,
        },
        _ => Mechanic::Giveaway {
            winners: cap.unwrap_or(1),
        },
    }
}

/// The description and prize of each promotion with `count` as its quantity.
fn words(f: &Facts, count: u32) -> (String, String) {
    let p = f.profile;
    let e = |w: &str| with(w, Particle::Eul);
    let (days, draw) = (f.days, &f.draw_date);
    match f.t {
        P::DiscountCoupon => coupon(f, count),
        P::TimeSale => (
            format!(
                "{}부터 {days}일 동안 {}에 오시면 결제 금액의 {}%를 할인합니다. 선착순 {count}명까지입니다.",
                f.start_said,
                p.quiet_said(),
                p.time_sale_rate
            ),
            format!(
                "{} {}% 할인 (선착순 {count}명)",
                p.quiet_said(),
                p.time_sale_rate
            ),
        ),
        P::StampCard => stamps(f, count),
        P::FirstVisitGift => first_visit(f, count),
        P::Referral => (
            format!(
                "참여한 분이 초대 링크로 친구를 소개하고 그 친구가 처음 {}하면 두 사람 모두 {}원을 할인해 드립니다. 선착순 {count}명까지입니다.",
                p.visit,
                won(p.referral_off),
            ),
            format!("추천한 분과 친구 모두 {}원 할인", won(p.referral_off)),
        ),
        P::PhotoReview => photo(f, count),
        P::Giveaway => (
            format!(
                "이벤트 페이지에서 응모한 분 중 {count}명을 {draw}에 공개 추첨해 {} 드립니다. 추첨 결과는 누구나 검증할 수 있게 공개하고, 당첨자에게는 따로 연락합니다.",
                e(p.big.name)
            ),
            format!("추첨 {count}명 {}", p.big.name),
        ),
        P::LimitedMenu => {
            let name = promotion_name(p, P::LimitedMenu, f.season.label());
            let what = p.limited.map_or("이번 시즌 상품", |(_, what)| what);
            (
                format!(
                    "{days}일 동안만 {what}인 '{name}'{} 선보이고, 참여한 분께 선착순 {count}명까지 {} 드립니다.",
                    particle_for(&name, Particle::Eul),
                    e(p.small.name)
                ),
                format!("{name} + 선착순 {count}명 {}", p.small.name),
            )
        }
        P::BundleDeal => (
            format!("{days}일 동안 {}. 선착순 {count}건까지입니다.", p.bundle.1),
            format!("{} (선착순 {count}건)", p.bundle.0),
        ),
    }
}

fn coupon(f: &Facts, count: u32) -> (String, String) {
    let p = f.profile;
    let (when, what) = match p.trade {
        Trade::Academy => ("수강을 등록할 때", "첫 달 수강료"),
        Trade::Fitness => ("등록할 때", "이용료"),
        _ => ("다음 방문 때", "결제 금액"),
    };
    (
        format!(
            "응모한 {}에게 {when} {what}의 {}%를 할인하는 쿠폰을 드립니다. {}까지 1회 사용할 수 있고, 선착순 {count}장까지 드립니다.",
            p.customers, p.coupon_rate, f.use_until_said
        ),
        format!("{what} {}% 할인 쿠폰 (선착순 {count}장)", p.coupon_rate),
    )
}

fn stamps(f: &Facts, count: u32) -> (String, String) {
    let p = f.profile;
    let reward = with(p.small.name, Particle::Eul);
    let limit = format!("스탬프 카드는 선착순 {count}명까지 드립니다.");
    match p.trade {
        Trade::Fitness => (
            format!(
                "기간 중 출석할 때마다 도장을 찍어 드리고, {}회 출석하면 {reward} 드립니다. {limit}",
                p.stamps
            ),
            format!("출석 {}회 달성 시 {}", p.stamps, p.small.name),
        ),
        _ => (
            format!(
                "기간 중 {}할 때마다 스탬프를 찍어 드리고, {}개를 모으면 {reward} 드립니다. {limit}",
                p.visit, p.stamps
            ),
            format!("스탬프 {}개 완성 시 {}", p.stamps, p.small.name),
        ),
    }
}

fn first_visit(f: &Facts, count: u32) -> (String, String) {
    let p = f.profile;
    let gift = with(p.medium.name, Particle::Eul);
    match p.trade {
        Trade::Academy => (
            format!(
                "처음 상담을 받고 응모한 학생에게 {gift} 드립니다. 선착순 {count}명까지입니다."
            ),
            format!("첫 상담 선물 {} (선착순 {count}명)", p.medium.name),
        ),
        _ => (
            format!(
                "처음 {}해 응모한 {}에게 {gift} 드립니다. 선착순 {count}명까지입니다.",
                p.visit, p.customers
            ),
            format!("첫 {} 선물 {} (선착순 {count}명)", p.visit, p.medium.name),
        ),
    }
}

fn photo(f: &Facts, count: u32) -> (String, String) {
    let p = f.profile;
    let tiny = with(p.tiny.name, Particle::Eul);
    let what = match p.trade {
        Trade::Academy => "수강 후기를 블로그나 SNS에".to_owned(),
        _ => format!(
            "{}에서 찍은 사진을 #{} 해시태그와 함께 SNS에",
            f.store,
            f.store.replace(' ', "")
        ),
    };
    (
        format!("{what} 올리고 그 주소를 남기면, 확인한 뒤 {tiny} 드립니다(선착순 {count}명)."),
        format!("후기 남긴 분께 {} (선착순 {count}명)", p.tiny.name),
    )
}
