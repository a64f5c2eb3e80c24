use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::domain::promotion::PromotionType as P;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn coupon() -> Mechanic {
    Mechanic::Coupon {
        benefit: Benefit::Percent { rate: 20 },
        cap: Some(30),
        validity: Validity::Until {
            date: day("2027-01-24"),
        },
        uses: 1,
    }
}

#[test]
fn a_mechanic_reads_as_korean_rules_and_round_trips_as_json() {
    let terms = coupon().terms(day("2026-12-20"));
    assert_eq!(
        terms,
        [
            "참여하면 바로 쓸 수 있는 쿠폰으로 결제 금액 20% 할인해 드립니다.",
            "선착순 30명까지 드립니다.",
            "2027년 1월 24일까지 한 번 쓸 수 있습니다.",
        ]
    );
    let json = serde_json::to_value(coupon()).unwrap_or_default();
    assert_eq!(json["type"], "COUPON");
    assert_eq!(
        json["benefit"],
        serde_json::json!({"kind": "PERCENT", "rate": 20})
    );
    let back: Mechanic = serde_json::from_value(json).unwrap_or(Mechanic::Giveaway { winners: 0 });
    assert_eq!(back, coupon());
}

#[test]
fn every_problem_is_listed_at_once() {
    let wrong = Mechanic::TimeSale {
        benefit: Benefit::Percent { rate: 95 },
        cap: Some(0),
        window: Window {
            days: vec![],
            from_hour: 15,
            to_hour: 15,
        },
        validity: Validity::Days { days: 0 },
        uses: 0,
    };
    let period = Some((day("2026-12-20"), day("2026-12-31")));
    let fields: Vec<&str> = (wrong.problems(P::DiscountCoupon, period).iter())
        .map(|p| p.field)
        .collect();
    assert_eq!(
        fields,
        [
            "type",
            "benefit.rate",
            "window.days",
            "window.toHour",
            "uses",
            "cap",
            "validity.days"
        ]
    );
    assert!(coupon().problems(P::DiscountCoupon, period).is_empty());
    assert!(!coupon().problems(P::StampCard, period).is_empty());
}

#[test]
fn a_window_past_midnight_belongs_to_the_day_it_started() {
    // Friday 23:30 and Saturday 01:30 Seoul are inside "금 22시–2시"; Saturday 23:30 is not.
    let w = Window {
        days: vec![Weekday::Fri],
        from_hour: 22,
        to_hour: 2,
    };
    let kst = |d: u32, h: u32| {
        Utc.with_ymd_and_hms(2026, 12, d, h, 30, 0)
            .single()
            .unwrap_or_default()
            - chrono::Duration::hours(9)
    };
    assert!(w.contains(kst(25, 23)));
    assert!(w.contains(kst(26, 1)));
    assert!(!w.contains(kst(26, 23)));
    assert!(!w.contains(kst(25, 21)));
    let afternoon = Window {
        days: Weekday::ALL[..5].to_vec(),
        from_hour: 15,
        to_hour: 17,
    };
    assert_eq!(afternoon.said(), "평일 오후 3시부터 5시까지");
    assert_eq!(w.said(), "금 밤 10시부터 새벽 2시까지");
    assert_eq!(afternoon.short(), "평일 오후 3~5시");
    assert_eq!(w.short(), "금 밤 10시~새벽 2시");
}

#[test]
fn the_counter_is_asked_in_korean_with_the_right_particle() {
    let item = |name: &str| Benefit::Item {
        name: name.to_owned(),
        value: 0,
    };
    assert_eq!(
        item("아메리카노 1잔").asked(),
        "아메리카노 1잔을 드려 주세요"
    );
    assert_eq!(item("쿠키 1개").asked(), "쿠키 1개를 드려 주세요");
    assert_eq!(
        Benefit::Percent { rate: 20 }.asked(),
        "결제 금액 20% 할인해 주세요"
    );
    assert_eq!(
        Benefit::Amount { won: 3000 }.asked(),
        "3,000원 할인해 주세요"
    );
}

#[test]
fn a_plans_prose_must_state_the_mechanics_numbers() {
    let m = coupon();
    let cap = m
        .cap()
        .map_or(String::new(), |c| format!(" (선착순 {c}장)"));
    assert_eq!(m.unstated(&format!("결제 금액 20% 할인 쿠폰{cap}")), None);
    assert_eq!(
        m.unstated(&format!("결제 금액 15% 할인 쿠폰{cap}"))
            .as_deref(),
        Some("20%")
    );
    let referral = Mechanic::Referral {
        inviter: Benefit::Amount { won: 2000 },
        friend: Benefit::Amount { won: 3000 },
        unlock: Unlock::FriendRedeemed,
        cap: None,
        validity: Validity::Days { days: 30 },
    };
    assert_eq!(
        referral.unstated("추천한 분 2,000원, 친구 3000원 할인"),
        None
    );
    assert_eq!(
        referral.unstated("두 사람 모두 2,000원 할인").as_deref(),
        Some("3,000원")
    );
    let draw = Mechanic::Giveaway { winners: 5 };
    assert_eq!(draw.unstated("추첨 3명").as_deref(), Some("5명"));
}

#[test]
fn a_pass_issued_on_the_last_day_is_still_usable() {
    let until = |date: &str| Mechanic::Coupon {
        benefit: Benefit::Percent { rate: 20 },
        cap: None,
        validity: Validity::Until { date: day(date) },
        uses: 1,
    };
    let period = Some((day("2026-12-01"), day("2026-12-31")));
    let early = until("2026-12-15").problems(P::DiscountCoupon, period);
    assert_eq!(
        early.iter().map(|e| e.field).collect::<Vec<_>>(),
        ["validity.date"]
    );
    assert!(
        until("2026-12-31")
            .problems(P::DiscountCoupon, period)
            .is_empty()
    );
}
