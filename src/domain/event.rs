//! The marketing event and its state machine: `DRAFT → PUBLISHED → ENDED`.
//!
//! Every rule about what may happen in which state lives in `EventStatus::allows`; the methods on
//! `Event` apply an action only after asking it.

use chrono::{DateTime, NaiveDate, Utc};

pub use super::lifecycle::{EventAction, EventError, EventStatus};

mod fields;

use super::mechanic::Mechanic;

pub use fields::{EditFields, Field, poster_problems};

use super::channel::Channel;
use super::field::{self, FieldError, FieldProblem};
use super::ids::{EventId, ShopId, UserId};
use super::objective::Objective;
use super::owner::ShopInfo;
/// `start <= end`, at most a year long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventPeriod {
    start: NaiveDate,
    end: NaiveDate,
}

impl EventPeriod {
    pub const MAX_DAYS: i64 = 366;

    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, EventError> {
        if start > end {
            return Err(EventError::EndBeforeStart);
        }
        if (end - start).num_days() >= Self::MAX_DAYS {
            return Err(EventError::PeriodTooLong);
        }
        Ok(Self { start, end })
    }

    pub fn start(self) -> NaiveDate {
        self.start
    }

    pub fn end(self) -> NaiveDate {
        self.end
    }
}

pub fn parse_date(field: &'static str, raw: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
        FieldError::new(
            field,
            FieldProblem::InvalidFormat {
                expected: "YYYY-MM-DD",
            },
        )
    })
}
/// Validated free-text and money fields of an event.
pub fn parse_event_name(raw: &str) -> Result<String, FieldError> {
    field::text("name", raw, 100)
}
pub fn parse_description(raw: &str) -> Result<String, FieldError> {
    field::text("description", raw, 2000)
}
pub fn parse_prize(raw: &str) -> Result<String, FieldError> {
    field::text("prize", raw, 200)
}
pub const MAX_BUDGET_KRW: i64 = 10_000_000_000;
pub fn parse_budget(raw: i64) -> Result<i64, FieldError> {
    won_amount("budget", raw)
}
pub fn parse_prize_value(raw: i64) -> Result<i64, FieldError> {
    won_amount("prizeValue", raw)
}
fn won_amount(field: &'static str, raw: i64) -> Result<i64, FieldError> {
    if (0..=MAX_BUDGET_KRW).contains(&raw) {
        Ok(raw)
    } else {
        Err(FieldError::new(
            field,
            FieldProblem::OutOfRange {
                min: 0,
                max: MAX_BUDGET_KRW,
            },
        ))
    }
}

/// A change to an optional field: leave it, set it, or clear it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Change<T> {
    #[default]
    Keep,
    Set(T),
    Clear,
}

impl<T> Change<T> {
    fn apply(self, slot: &mut Option<T>) {
        match self {
            Change::Keep => {}
            Change::Set(v) => *slot = Some(v),
            Change::Clear => *slot = None,
        }
    }
}

/// An owner's edit of a DRAFT. Values are already parsed; dates are checked against each other
/// (and against the stored ones) when applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventEdit {
    pub name: Change<String>,
    pub description: Change<String>,
    pub prize: Change<String>,
    /// What one prize is worth in KRW (the 22 % withholding applies above ₩50,000).
    pub prize_value: Change<i64>,
    pub budget: Change<i64>,
    pub start_date: Change<NaiveDate>,
    pub end_date: Change<NaiveDate>,
    /// How the promotion runs at the counter (checked against the promotion type when set).
    pub mechanic: Change<Mechanic>,
}

impl EventEdit {
    /// This edit laid over `base`: each field this edit keeps comes from `base`.
    pub fn over(self, base: EventEdit) -> EventEdit {
        fn pick<T>(mine: Change<T>, theirs: Change<T>) -> Change<T> {
            match mine {
                Change::Keep => theirs,
                other => other,
            }
        }
        EventEdit {
            name: pick(self.name, base.name),
            description: pick(self.description, base.description),
            prize: pick(self.prize, base.prize),
            prize_value: pick(self.prize_value, base.prize_value),
            budget: pick(self.budget, base.budget),
            start_date: pick(self.start_date, base.start_date),
            end_date: pick(self.end_date, base.end_date),
            mechanic: pick(self.mechanic, base.mechanic),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: EventId,
    pub owner: UserId,
    pub shop_id: Option<ShopId>,
    pub objective: Objective,
    pub shop: ShopInfo,
    pub status: EventStatus,
    pub name: Option<String>,
    pub description: Option<String>,
    pub prize: Option<String>,
    /// KRW per prize, when the owner said.
    pub prize_value: Option<i64>,
    pub budget: Option<i64>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub channels: Vec<Channel>,
    /// The promotion type of the selected plan (what the platform history counts).
    pub promotion_type: Option<super::promotion::PromotionType>,
    /// How the promotion runs at the counter; fixed once published (the public notice).
    pub mechanic: Option<Mechanic>,
    /// Optimistic concurrency: bumped by every save; a save against a stale version fails.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
}

impl Event {
    pub fn draft(
        owner: UserId,
        shop_id: Option<ShopId>,
        objective: Objective,
        shop: ShopInfo,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id: EventId::new(),
            owner,
            shop_id,
            objective,
            shop,
            status: EventStatus::Draft,
            name: None,
            description: None,
            prize: None,
            prize_value: None,
            budget: None,
            start_date: None,
            end_date: None,
            channels: Vec::new(),
            promotion_type: None,
            mechanic: None,
            version: 1,
            created_at: now,
            updated_at: now,
            published_at: None,
            ended_at: None,
        }
    }

    /// A new draft with this event's plan and wording, to run it again: its name marked as a
    /// copy, no dates (the owner picks new ones), no posters (they are painted for the new
    /// dates), nothing published.
    pub fn duplicate(&self, now: DateTime<Utc>) -> Self {
        let mut copy = Event::draft(
            self.owner,
            self.shop_id,
            self.objective,
            self.shop.clone(),
            now,
        );
        copy.name = self.name.as_ref().map(|n| {
            let kept: String = n.chars().take(95).collect();
            format!("{kept} (복사)")
        });
        copy.description = self.description.clone();
        copy.prize = self.prize.clone();
        copy.prize_value = self.prize_value;
        copy.budget = self.budget;
        copy.channels = self.channels.clone();
        copy.promotion_type = self.promotion_type;
        copy.mechanic = self.mechanic.clone();
        copy
    }

    pub fn period(&self) -> Option<EventPeriod> {
        match (self.start_date, self.end_date) {
            (Some(s), Some(e)) => EventPeriod::new(s, e).ok(),
            _ => None,
        }
    }

    pub fn edit(&mut self, edit: EventEdit, now: DateTime<Utc>) -> Result<(), EventError> {
        self.status.check(EventAction::Edit)?;
        let mut start = self.start_date;
        let mut end = self.end_date;
        edit.start_date.apply(&mut start);
        edit.end_date.apply(&mut end);
        if let (Some(s), Some(e)) = (start, end) {
            EventPeriod::new(s, e)?;
        }
        self.start_date = start;
        self.end_date = end;
        edit.name.apply(&mut self.name);
        edit.description.apply(&mut self.description);
        edit.prize.apply(&mut self.prize);
        edit.prize_value.apply(&mut self.prize_value);
        edit.budget.apply(&mut self.budget);
        edit.mechanic.apply(&mut self.mechanic);
        self.updated_at = now;
        Ok(())
    }

    pub fn set_channels(
        &mut self,
        channels: Vec<Channel>,
        now: DateTime<Utc>,
    ) -> Result<(), EventError> {
        self.status.check(EventAction::SetChannels)?;
        self.channels = channels;
        self.updated_at = now;
        Ok(())
    }

    pub fn ensure_deletable(&self) -> Result<(), EventError> {
        self.status.check(EventAction::Delete)
    }

    /// What is still missing before this event can be published. The selected image is checked
    /// by the publishing use case, which knows about images.
    pub fn missing_for_publish(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.name.is_none() {
            missing.push("name");
        }
        if self.period().is_none() {
            missing.push("startDate/endDate");
        }
        if self.channels.is_empty() {
            missing.push("channels");
        }
        missing
    }

    pub fn publish(&mut self, now: DateTime<Utc>) -> Result<(), EventError> {
        self.status.check(EventAction::Publish)?;
        let missing = self.missing_for_publish();
        if !missing.is_empty() {
            return Err(EventError::NotReadyToPublish { missing });
        }
        self.status = EventStatus::Published;
        self.published_at = Some(now);
        self.updated_at = now;
        Ok(())
    }

    /// The event's last day is before `today` (Seoul): it is over and should end by itself.
    pub fn is_over(&self, today: NaiveDate) -> bool {
        self.end_date.is_some_and(|end| end < today)
    }

    pub fn end(&mut self, now: DateTime<Utc>) -> Result<(), EventError> {
        self.status.check(EventAction::End)?;
        self.status = EventStatus::Ended;
        self.ended_at = Some(now);
        self.updated_at = now;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        parse_date("d", s).unwrap()
    }

    fn draft() -> Event {
        Event::draft(
            UserId::new(),
            None,
            Objective::NewCustomers,
            ShopInfo::parse("카페 봄", "카페", "서울시 마포구").unwrap(),
            Utc::now(),
        )
    }

    fn ready() -> Event {
        let mut e = draft();
        e.edit(
            EventEdit {
                name: Change::Set("봄맞이 할인".into()),
                start_date: Change::Set(date("2026-03-01")),
                end_date: Change::Set(date("2026-03-31")),
                ..Default::default()
            },
            Utc::now(),
        )
        .unwrap();
        e.set_channels(vec![Channel::Instagram], Utc::now())
            .unwrap();
        e
    }

    #[test]
    fn the_rule_table() {
        use EventAction as A;
        let draft_only = [
            A::Edit,
            A::SetChannels,
            A::Delete,
            A::Recommend,
            A::SelectRecommendation,
            A::GenerateImages,
            A::SelectImage,
            A::Publish,
        ];
        for a in draft_only {
            assert!(EventStatus::Draft.allows(a), "{a:?}");
            assert!(!EventStatus::Published.allows(a), "{a:?}");
            assert!(!EventStatus::Ended.allows(a), "{a:?}");
        }
        for a in [A::RetryDistribution, A::Enter, A::End] {
            assert!(!EventStatus::Draft.allows(a), "{a:?}");
            assert!(EventStatus::Published.allows(a), "{a:?}");
            assert!(!EventStatus::Ended.allows(a), "{a:?}");
        }
        assert!(!EventStatus::Draft.allows(A::Draw));
        assert!(!EventStatus::Published.allows(A::Draw));
        assert!(EventStatus::Ended.allows(A::Draw));
    }

    #[test]
    fn lifecycle_draft_published_ended() {
        let mut e = ready();
        e.publish(Utc::now()).unwrap();
        assert_eq!(e.status, EventStatus::Published);
        assert!(e.published_at.is_some());
        assert!(matches!(
            e.edit(EventEdit::default(), Utc::now()),
            Err(EventError::NotAllowed { .. })
        ));
        assert!(e.ensure_deletable().is_err());
        e.end(Utc::now()).unwrap();
        assert_eq!(e.status, EventStatus::Ended);
        assert!(e.end(Utc::now()).is_err());
        assert!(e.publish(Utc::now()).is_err());
    }

    #[test]
    fn a_draft_cannot_end_and_needs_name_period_channels_to_publish() {
        let mut e = draft();
        assert!(e.end(Utc::now()).is_err());
        assert_eq!(
            e.publish(Utc::now()),
            Err(EventError::NotReadyToPublish {
                missing: vec!["name", "startDate/endDate", "channels"]
            })
        );
        assert_eq!(e.status, EventStatus::Draft);
    }

    #[test]
    fn period_rules_hold_across_partial_edits() {
        let mut e = ready();
        let before = e.clone();
        let err = e
            .edit(
                EventEdit {
                    end_date: Change::Set(date("2026-02-01")),
                    ..Default::default()
                },
                Utc::now(),
            )
            .unwrap_err();
        assert_eq!(err, EventError::EndBeforeStart);
        assert_eq!(e, before, "a refused edit changes nothing");
        assert_eq!(
            EventPeriod::new(date("2026-01-01"), date("2027-01-02")),
            Err(EventError::PeriodTooLong)
        );
        assert!(EventPeriod::new(date("2026-01-01"), date("2026-01-01")).is_ok());
    }

    #[test]
    fn clearing_and_keeping_fields() {
        let mut e = ready();
        e.edit(
            EventEdit {
                name: Change::Clear,
                budget: Change::Set(50_000),
                ..Default::default()
            },
            Utc::now(),
        )
        .unwrap();
        assert_eq!(e.name, None);
        assert_eq!(e.budget, Some(50_000));
        assert_eq!(e.start_date, Some(date("2026-03-01")));
    }

    #[test]
    fn status_codes_round_trip() {
        for s in [
            EventStatus::Draft,
            EventStatus::Published,
            EventStatus::Ended,
        ] {
            assert_eq!(EventStatus::parse(s.code()).unwrap(), s);
        }
        assert!(EventStatus::parse("ARCHIVED").is_err());
        assert!(parse_budget(-1).is_err());
        assert!(parse_date("startDate", "2026-13-01").is_err());
    }
}
