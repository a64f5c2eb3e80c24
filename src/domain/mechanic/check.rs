//! Every problem with a mechanic, at once (the console shows each next to its field; the API
//! lists them all): values in range, the kind fitting the promotion, validity that reaches past
//! the start, a window that is one.

use chrono::NaiveDate;

use super::{Benefit, Mechanic, Validity, Window};
use crate::domain::field::{FieldError, FieldProblem};
use crate::domain::promotion::PromotionType;

pub const MAX_CAP: u32 = 100_000;
pub const MAX_USES: u8 = 30;
pub const MAX_WINNERS: u32 = 1_000;
pub const MAX_VALIDITY_DAYS: u16 = 366;
pub const MAX_GOAL: u8 = 30;
pub const MAX_GAP_HOURS: u16 = 24 * 7;
const MAX_WON: i64 = 10_000_000;

struct Problems(Vec<FieldError>);

impl Problems {
    fn range(&mut self, field: &'static str, v: i64, min: i64, max: i64) {
        if !(min..=max).contains(&v) {
            self.0.push(FieldError::new(
                field,
                FieldProblem::OutOfRange { min, max },
            ));
        }
    }

    fn rule(&mut self, field: &'static str, ok: bool, sentence: &'static str) {
        if !ok {
            self.0
                .push(FieldError::new(field, FieldProblem::Rule { sentence }));
        }
    }

    fn benefit(&mut self, field: Fields, b: &Benefit) {
        match b {
            Benefit::Percent { rate } => self.range(field.rate, i64::from(*rate), 1, 90),
            Benefit::Amount { won } => self.range(field.amount, *won, 100, MAX_WON),
            Benefit::Item { name, value } => {
                let n = name.trim().chars().count();
                self.rule(
                    field.item,
                    (1..=40).contains(&n),
                    "드리는 물건의 이름을 40자 이내로 적어 주세요.",
                );
                self.range(field.value, *value, 0, MAX_WON);
            }
        }
    }

    fn cap(&mut self, cap: Option<u32>) {
        if let Some(c) = cap {
            self.range("cap", i64::from(c), 1, i64::from(MAX_CAP));
        }
    }

    fn validity(&mut self, v: Validity, period: Option<(NaiveDate, NaiveDate)>) {
        match v {
            Validity::Days { days } => {
                self.range(
                    "validity.days",
                    i64::from(days),
                    1,
                    i64::from(MAX_VALIDITY_DAYS),
                );
            }
            Validity::Until { date } => {
                let Some((start, end)) = period else { return };
                let latest = start + chrono::Duration::days(i64::from(MAX_VALIDITY_DAYS));
                // A pass issued on the last day of the event must still be usable.
                self.rule(
                    "validity.date",
                    date >= end && date <= latest,
                    "사용 기한은 이벤트 종료일 이후, 시작일로부터 1년 안의 날짜로 정해 주세요.",
                );
            }
        }
    }

    fn review(&mut self, reward: &Benefit, sites: &[super::ReviewSite], hashtag: &str) {
        self.benefit(REWARD, reward);
        self.rule(
            "sites",
            !sites.is_empty(),
            "후기를 올릴 곳을 하나 이상 골라 주세요.",
        );
        let tag_ok = (1..=30).contains(&hashtag.chars().count())
            && !hashtag.chars().any(|c| c.is_whitespace() || c == '#');
        self.rule(
            "hashtag",
            tag_ok,
            "해시태그는 # 없이 띄어쓰기 없는 30자 이내로 적어 주세요.",
        );
    }

    fn window(&mut self, w: &Window) {
        self.rule(
            "window.days",
            !w.days.is_empty(),
            "요일을 하나 이상 골라 주세요.",
        );
        self.range("window.fromHour", i64::from(w.from_hour), 0, 23);
        self.range("window.toHour", i64::from(w.to_hour), 1, 24);
        self.rule(
            "window.toHour",
            w.from_hour != w.to_hour,
            "시작 시각과 끝 시각이 같습니다.",
        );
    }
}

/// The field names a benefit's problems are reported under.
#[derive(Clone, Copy)]
struct Fields {
    rate: &'static str,
    amount: &'static str,
    item: &'static str,
    value: &'static str,
}

const BENEFIT: Fields = Fields {
    rate: "benefit.rate",
    amount: "benefit.won",
    item: "benefit.name",
    value: "benefit.value",
};
const REWARD: Fields = Fields {
    rate: "reward.rate",
    amount: "reward.won",
    item: "reward.name",
    value: "reward.value",
};
const INVITER: Fields = Fields {
    rate: "inviter.rate",
    amount: "inviter.won",
    item: "inviter.name",
    value: "inviter.value",
};
const FRIEND: Fields = Fields {
    rate: "friend.rate",
    amount: "friend.won",
    item: "friend.name",
    value: "friend.value",
};

impl Mechanic {
    /// Every problem of this mechanic for a promotion of type `t` over `period`.
    pub fn problems(
        &self,
        t: PromotionType,
        period: Option<(NaiveDate, NaiveDate)>,
    ) -> Vec<FieldError> {
        let mut p = Problems(Vec::new());
        p.rule(
            "type",
            self.fits(t),
            "이벤트 종류에 맞지 않는 혜택 방식입니다. 기획안의 방식을 그대로 두거나 종류에 맞게 고쳐 주세요.",
        );
        p.kind(self);
        p.cap(self.cap());
        if let Some(v) = self.validity() {
            p.validity(v, period);
        }
        p.0
    }
}

impl Problems {
    /// What each kind of mechanic holds besides its cap and validity.
    fn kind(&mut self, m: &Mechanic) {
        let p = self;
        match m {
            Mechanic::Coupon { benefit, uses, .. } => {
                p.benefit(BENEFIT, benefit);
                p.range("uses", i64::from(*uses), 1, i64::from(MAX_USES));
            }
            Mechanic::TimeSale {
                benefit,
                window,
                uses,
                ..
            } => {
                p.benefit(BENEFIT, benefit);
                p.window(window);
                p.range("uses", i64::from(*uses), 1, i64::from(MAX_USES));
            }
            Mechanic::StampCard {
                goal,
                reward,
                min_gap_hours,
                ..
            } => {
                p.range("goal", i64::from(*goal), 2, i64::from(MAX_GOAL));
                p.benefit(REWARD, reward);
                p.range(
                    "minGapHours",
                    i64::from(*min_gap_hours),
                    0,
                    i64::from(MAX_GAP_HOURS),
                );
            }
            Mechanic::Referral {
                inviter, friend, ..
            } => {
                p.benefit(INVITER, inviter);
                p.benefit(FRIEND, friend);
            }
            Mechanic::PhotoReview {
                reward,
                sites,
                hashtag,
                ..
            } => p.review(reward, sites, hashtag),
            Mechanic::Giveaway { winners } => {
                p.range("winners", i64::from(*winners), 1, i64::from(MAX_WINNERS));
            }
        }
    }
}
