//! The counter: using a pass, adding a stamp, giving a reward — exactly once however many
//! devices tap at once (the write is guarded by the pass's version; the loser reads the pass
//! again and is told it was used) — and taking the last act back within a few minutes.

use chrono::{DateTime, Utc};
use tracing::instrument;

use super::{PassView, view};
use crate::app::{AppError, PassError, Services};
use crate::domain::entrant::Receipt;
use crate::domain::field::{FieldError, FieldProblem};
use crate::domain::mechanic::{Mechanic, Unlock};
use crate::domain::messages::{Message, PassActed};
use crate::domain::pass::{Act, PassCode};
use crate::domain::{OutboxMessage, UserId};
use crate::ports::{PassAction, PassChange};

/// Who is at the counter: the shop's owner, or staff with the shop's counter PIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counter {
    pub owner: UserId,
    pub by_pin: bool,
}

/// An act done at the counter: the pass as it now is, and what to hand over.
#[derive(Debug, Clone)]
pub struct Done {
    pub view: PassView,
    pub act: Act,
    pub give: String,
    /// What the counter is asked to do ("아메리카노 1잔을 드려 주세요"; empty for an undo).
    pub ask: String,
}

/// The most a counter may type as a customer's spend.
pub const MAX_SPEND: i64 = 10_000_000;

fn spend_ok(spend: Option<i64>) -> Result<(), AppError> {
    match spend {
        Some(v) if !(0..=MAX_SPEND).contains(&v) => Err(FieldError::new(
            "spend",
            FieldProblem::OutOfRange {
                min: 0,
                max: MAX_SPEND,
            },
        )
        .into()),
        _ => Ok(()),
    }
}

/// The pass, if it is this shop's.
async fn ours(s: &Services, counter: &Counter, code: &PassCode) -> Result<PassView, AppError> {
    let v = view(s, code).await?;
    if v.event.owner != counter.owner {
        return Err(PassError::ForeignShop.into());
    }
    Ok(v)
}

/// The `PassActed` message of an act (or of its undoing) at `at`.
struct Announced {
    act: Act,
    spend: Option<i64>,
    undone: bool,
    credits_inviter: bool,
    at: DateTime<Utc>,
}

fn announce(v: &PassView, a: Announced) -> OutboxMessage {
    let acted = PassActed {
        act: a.act,
        source: crate::domain::analytics::source_code(v.pass.source).to_owned(),
        spend: a.spend,
        undone: a.undone,
        credits_inviter: a.credits_inviter,
        at: a.at,
    };
    OutboxMessage::new(v.event.id, Message::PassActed(acted), a.at)
}

fn action_of(
    v: &PassView,
    c: &Counter,
    act: Act,
    spend: Option<i64>,
    at: DateTime<Utc>,
) -> PassAction {
    PassAction {
        id: uuid::Uuid::new_v4(),
        event_id: v.event.id,
        receipt: v.pass.receipt.clone(),
        act,
        at,
        by_counter: c.by_pin,
        spend: spend.filter(|_| act != Act::Stamp),
        undone_at: None,
    }
}

/// What the counter asks for: the act, the spend typed, and the version of the pass the counter
/// saw (the page carries it), so a double tap or a second phone never acts twice.
#[derive(Debug, Clone, Copy)]
pub struct Asked {
    pub act: Act,
    pub spend: Option<i64>,
    pub seen: Option<i64>,
}

/// Does the act to the pass of `code`. Exactly once: the act is written only if the pass is
/// still as read (and as the counter saw it); when another counter got there first, the answer
/// is what the pass is now — "이미 사용됨" if the act is no longer allowed, else "changed" —
/// and the act is never done again on its behalf.
#[instrument(skip_all, fields(act = asked.act.code()))]
pub async fn act(
    s: &Services,
    counter: &Counter,
    code: &PassCode,
    asked: Asked,
) -> Result<Done, AppError> {
    let Asked { act, spend, seen } = asked;
    spend_ok(spend)?;
    let v = ours(s, counter, code).await?;
    if seen.is_some_and(|version| version != v.pass.version) {
        return Err(lost_race(&v, act, s.clock.now()));
    }
    let now = s.clock.now();
    let acted = v.pass.act(&v.mechanic, act, now)?;
    let action = action_of(&v, counter, act, spend, now);
    let message = announce(
        &v,
        Announced {
            act,
            spend: action.spend,
            undone: false,
            credits_inviter: acted.credits_inviter,
            at: now,
        },
    );
    let inviter = (v.pass.referred_by.as_ref()).filter(|_| acted.credits_inviter);
    let change = PassChange {
        pass: &acted.pass,
        read_version: v.pass.version,
        action: &action,
        undo: false,
        inviter,
        message: &message,
    };
    if !s.store.change_pass(change).await? {
        let now_is = ours(s, counter, code).await?;
        return Err(lost_race(&now_is, act, s.clock.now()));
    }
    s.relay_kick.notify_one();
    tracing::info!("pass act recorded");
    let view = PassView {
        standing: acted.pass.standing(&v.mechanic, now),
        pass: acted.pass,
        ..v
    };
    Ok(Done {
        view,
        act,
        give: acted.give,
        ask: acted.ask,
    })
}

/// The answer when the pass moved on before this act: why the act is refused now, or that it
/// changed (look again before acting).
fn lost_race(v: &PassView, act: Act, now: DateTime<Utc>) -> AppError {
    match v.pass.check(&v.mechanic, act, now) {
        Err(refusal) => refusal.into(),
        Ok(()) => PassError::Changed.into(),
    }
}

/// A friend's first use can be taken back only while the inviter has not used the reward it
/// unlocked.
async fn still_unrewarded(s: &Services, v: &PassView, inviter: &Receipt) -> Result<(), AppError> {
    let theirs = s.store.pass_of_entry(v.event.id, inviter).await?;
    match theirs {
        Some(p) if p.credited <= p.rewards => Err(PassError::UndoUnlocked.into()),
        _ => Ok(()),
    }
}

/// Takes the pass's last act back (within `UNDO_MINUTES` of it).
#[instrument(skip_all)]
pub async fn undo(s: &Services, counter: &Counter, code: &PassCode) -> Result<Done, AppError> {
    let v = ours(s, counter, code).await?;
    let last = (s.store.last_action(v.event.id, &v.pass.receipt).await?)
        .ok_or(PassError::NothingToUndo)?;
    let now = s.clock.now();
    let back = v.pass.undo(last.act, last.at, now)?;
    let unlocked_friend = last.act == Act::Use
        && back.uses == 0
        && matches!(
            &v.mechanic,
            Mechanic::Referral {
                unlock: Unlock::FriendRedeemed,
                ..
            }
        );
    let inviter = v.pass.referred_by.as_ref().filter(|_| unlocked_friend);
    if let Some(inviter) = inviter {
        still_unrewarded(s, &v, inviter).await?;
    }
    let action = PassAction {
        undone_at: Some(now),
        ..last.clone()
    };
    let message = announce(
        &v,
        Announced {
            act: last.act,
            spend: last.spend,
            undone: true,
            credits_inviter: inviter.is_some(),
            // In the act's own hour: the rollups take back what that hour counted.
            at: last.at,
        },
    );
    let change = PassChange {
        pass: &back,
        read_version: v.pass.version,
        action: &action,
        undo: true,
        inviter,
        message: &message,
    };
    if !s.store.change_pass(change).await? {
        return Err(PassError::Changed.into());
    }
    s.relay_kick.notify_one();
    let view = PassView {
        standing: back.standing(&v.mechanic, now),
        pass: back,
        ..v
    };
    Ok(Done {
        view,
        act: last.act,
        give: String::new(),
        ask: String::new(),
    })
}
