//! What the counter may do with a pass, and what each act hands over: use a coupon (inside its
//! window for a time sale), add a stamp (at most one within the gap), give a reward (a stamp
//! card's at its goal, an inviter's per credited friend, an approved review's). Each act is
//! checked against the pass as read; the store writes it only if the pass has not changed since
//! (`version`), so two counters tapping at once give it once.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Pass, PassStatus, ReviewState};
use crate::domain::calendar::seoul_date;
use crate::domain::korean::spoken_date;
use crate::domain::mechanic::{Benefit, Mechanic};
use crate::domain::refusals::PassError;

/// Minutes within which a counter can take an act back (a mistaken tap).
pub const UNDO_MINUTES: i64 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Act {
    /// Use the pass's benefit (a coupon, a time sale, a friend's benefit).
    Use,
    /// Add a stamp.
    Stamp,
    /// Give an earned reward.
    Reward,
}

impl Act {
    pub const ALL: [Act; 3] = [Act::Use, Act::Stamp, Act::Reward];

    pub fn code(self) -> &'static str {
        match self {
            Act::Use => "USE",
            Act::Stamp => "STAMP",
            Act::Reward => "REWARD",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The button the counter taps.
    pub fn label(self) -> &'static str {
        match self {
            Act::Use => "사용 처리",
            Act::Stamp => "스탬프 찍기",
            Act::Reward => "보상 드리기",
        }
    }
}

/// An act done: the pass as it now is, what to hand over, and whether the friend's first use
/// credits the pass that invited them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acted {
    pub pass: Pass,
    pub give: String,
    /// What the counter is asked to do now ("결제 금액 20% 할인해 주세요"; a stamp: `give`).
    pub ask: String,
    pub credits_inviter: bool,
}

/// The benefit an act hands over, for the mechanic.
fn benefit(m: &Mechanic, act: Act) -> Option<&Benefit> {
    match (m, act) {
        (Mechanic::Coupon { benefit, .. } | Mechanic::TimeSale { benefit, .. }, Act::Use) => {
            Some(benefit)
        }
        (Mechanic::Referral { friend, .. }, Act::Use) => Some(friend),
        (Mechanic::Referral { inviter, .. }, Act::Reward) => Some(inviter),
        (
            Mechanic::StampCard { reward, .. } | Mechanic::PhotoReview { reward, .. },
            Act::Reward,
        ) => Some(reward),
        _ => None,
    }
}

impl Pass {
    /// Whether the counter may do `act` now, and if not, why (in the order a clerk would ask).
    pub fn check(&self, m: &Mechanic, act: Act, now: DateTime<Utc>) -> Result<(), PassError> {
        if matches!(m, Mechanic::Giveaway { .. }) {
            return Err(PassError::DrawEntry);
        }
        if let Some(day) = self.last_day.filter(|_| self.expired(now)) {
            return Err(PassError::Expired {
                last_day: spoken_date(day, chrono::Datelike::year(&seoul_date(now))),
            });
        }
        match (m, act) {
            (Mechanic::Coupon { uses, .. } | Mechanic::TimeSale { uses, .. }, Act::Use) => {
                if self.uses >= u32::from(*uses) {
                    return Err(PassError::AlreadyUsed);
                }
                if let Mechanic::TimeSale { window, .. } = m
                    && !window.contains(now)
                {
                    return Err(PassError::OutsideWindow {
                        window: window.short(),
                    });
                }
                Ok(())
            }
            (Mechanic::Referral { .. }, Act::Use) => match (&self.referred_by, self.uses) {
                (None, _) => Err(PassError::NothingToUse),
                (Some(_), 0) => Ok(()),
                (Some(_), _) => Err(PassError::AlreadyUsed),
            },
            (
                Mechanic::StampCard {
                    goal,
                    min_gap_hours,
                    ..
                },
                Act::Stamp,
            ) => {
                if self.stamps >= u32::from(*goal) {
                    // Full: the reward is waiting, or was given and the card is done.
                    return Err(match self.rewards_left(m) {
                        0 => PassError::AlreadyUsed,
                        _ => PassError::CardFull,
                    });
                }
                let next =
                    (self.last_stamp_at).map(|at| at + Duration::hours(i64::from(*min_gap_hours)));
                match next {
                    Some(next) if now < next => Err(PassError::TooSoon { next }),
                    _ => Ok(()),
                }
            }
            (_, Act::Reward) if benefit(m, act).is_some() => match self.rewards_left(m) {
                0 => Err(self.why_no_reward(m)),
                _ => Ok(()),
            },
            _ => Err(PassError::NotThisPass { act }),
        }
    }

    fn why_no_reward(&self, m: &Mechanic) -> PassError {
        match m {
            Mechanic::StampCard { goal, .. } if self.stamps < u32::from(*goal) => {
                PassError::GoalNotReached {
                    stamps: self.stamps,
                    goal: u32::from(*goal),
                }
            }
            Mechanic::PhotoReview { .. } if self.rewards == 0 => PassError::ReviewNotApproved,
            Mechanic::Referral { .. } if self.credited == 0 => PassError::NoFriendYet,
            _ => PassError::AlreadyUsed,
        }
    }

    /// Does `act`: the pass as it will be, and what to hand over.
    pub fn act(&self, m: &Mechanic, act: Act, now: DateTime<Utc>) -> Result<Acted, PassError> {
        self.check(m, act, now)?;
        let mut next = self.clone();
        match act {
            Act::Use => next.uses += 1,
            Act::Stamp => {
                next.stamps += 1;
                next.last_stamp_at = Some(now);
            }
            Act::Reward => next.rewards += 1,
        }
        next.version += 1;
        next.settled_at = next.settled(m).then_some(now);
        let give = match (m, act) {
            (Mechanic::StampCard { goal, .. }, Act::Stamp) => {
                format!("스탬프 {}/{goal}", next.stamps)
            }
            _ => benefit(m, act).map(Benefit::said).unwrap_or_default(),
        };
        let credits_inviter = act == Act::Use
            && self.uses == 0
            && matches!(m, Mechanic::Referral { unlock, .. }
                if *unlock == crate::domain::mechanic::Unlock::FriendRedeemed)
            && self.referred_by.is_some();
        let ask = benefit(m, act).map_or_else(|| give.clone(), Benefit::asked);
        Ok(Acted {
            pass: next,
            give,
            ask,
            credits_inviter,
        })
    }

    /// Whether nothing more can ever be done with it (short of its last day): a coupon used as
    /// often as it may be, a full card or an approved review whose reward was given. A referral
    /// pass never is: each new friend may earn its holder another reward.
    fn settled(&self, m: &Mechanic) -> bool {
        match m {
            Mechanic::Coupon { uses, .. } | Mechanic::TimeSale { uses, .. } => {
                self.uses >= u32::from(*uses)
            }
            Mechanic::StampCard { goal, .. } => {
                self.stamps >= u32::from(*goal) && self.rewards_left(m) == 0
            }
            Mechanic::PhotoReview { .. } => self.rewards > 0 && self.rewards_left(m) == 0,
            Mechanic::Referral { .. } | Mechanic::Giveaway { .. } => false,
        }
    }

    /// Takes `act` (done at `at`) back, within `UNDO_MINUTES`.
    pub fn undo(&self, act: Act, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<Pass, PassError> {
        if now - at > Duration::minutes(UNDO_MINUTES) {
            return Err(PassError::UndoTooLate {
                minutes: UNDO_MINUTES,
            });
        }
        let mut back = self.clone();
        let count = match act {
            Act::Use => &mut back.uses,
            Act::Stamp => &mut back.stamps,
            Act::Reward => &mut back.rewards,
        };
        *count = count.checked_sub(1).ok_or(PassError::NothingToUndo)?;
        if act == Act::Stamp && back.last_stamp_at == Some(at) {
            back.last_stamp_at = None;
        }
        back.version += 1;
        back.settled_at = None;
        Ok(back)
    }

    /// The status and its Korean line; `can` is what `check` allows now.
    pub(super) fn status(
        &self,
        m: &Mechanic,
        now: DateTime<Utc>,
        can: &[Act],
    ) -> (PassStatus, String) {
        if self.expired(now) {
            return (PassStatus::Expired, "사용 기한이 지났습니다.".to_owned());
        }
        if can.contains(&Act::Reward) {
            return (
                PassStatus::RewardReady,
                "보상을 받을 수 있습니다. 직원에게 보여 주세요.".to_owned(),
            );
        }
        match m {
            Mechanic::StampCard { goal, .. } if self.stamps < u32::from(*goal) => (
                PassStatus::Collecting,
                format!("스탬프 {}/{goal}", self.stamps),
            ),
            Mechanic::Referral { .. } if self.referred_by.is_none() || self.uses > 0 => (
                PassStatus::Inviting,
                format!(
                    "초대한 친구 {}명, 보상 {}번 받음",
                    self.invited, self.rewards
                ),
            ),
            Mechanic::PhotoReview { .. } => match self.review.as_ref().map(|r| &r.state) {
                None => (
                    PassStatus::ReviewNeeded,
                    "후기 주소를 남겨 주세요.".to_owned(),
                ),
                Some(ReviewState::Pending) => (
                    PassStatus::ReviewPending,
                    "매장에서 후기를 확인하고 있습니다.".to_owned(),
                ),
                Some(ReviewState::Rejected { reason }) => (
                    PassStatus::ReviewRejected,
                    format!("후기가 반려되었습니다: {reason}"),
                ),
                Some(ReviewState::Approved) => (PassStatus::Used, "보상을 받았습니다.".to_owned()),
            },
            _ if can.contains(&Act::Use) => (
                PassStatus::Ready,
                "사용할 수 있습니다. 직원에게 보여 주세요.".to_owned(),
            ),
            Mechanic::TimeSale { window, uses, .. } if self.uses < u32::from(*uses) => (
                PassStatus::Ready,
                format!("{}에 사용할 수 있습니다.", window.short()),
            ),
            Mechanic::StampCard { .. } => (PassStatus::Used, "보상을 받았습니다.".to_owned()),
            _ => (PassStatus::Used, "사용했습니다.".to_owned()),
        }
    }
}
