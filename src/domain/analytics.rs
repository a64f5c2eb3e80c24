//! Results of an event: where a visitor came from, the Seoul hour a fact is counted in, the
//! increments a domain event adds to the rollups, and what the dashboard derives from them
//! (conversion, cost per entry, an estimated return). No I/O.

use chrono::{DateTime, Duration, DurationRound, NaiveDate, Utc};

use super::calendar::{seoul, seoul_date};
use super::entry::EntrySource;

/// Where a view, click or entry is counted: a channel, the shop's QR (`STORE`), or `DIRECT`
/// (the public page reached without a tracked link).
pub const DIRECT: &str = "DIRECT";

pub fn source_code(source: Option<EntrySource>) -> &'static str {
    source.map_or(DIRECT, EntrySource::code)
}

/// What a visitor did that is counted once per visitor per Seoul day.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VisitKind {
    /// Opened the public page.
    View,
    /// Opened a tracked link (`/r/{code}`).
    Click,
}

impl VisitKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::View => "VIEW",
            Self::Click => "CLICK",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::View, Self::Click]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// The start of the Asia/Seoul hour `at` falls in. Seoul is a whole number of hours ahead of
/// UTC (and has no daylight saving), so this is also the start of a UTC hour.
pub fn seoul_hour(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(Duration::hours(1)).unwrap_or(at)
}

/// The Seoul calendar day of an hour bucket (what the daily series groups by).
pub fn seoul_day(hour: DateTime<Utc>) -> NaiveDate {
    seoul_date(hour)
}

/// An hour bucket as Seoul wall time, `2026-12-03T14:00:00+09:00`.
pub fn seoul_hour_label(hour: DateTime<Utc>) -> String {
    hour.with_timezone(&seoul()).to_rfc3339()
}

/// Counts added to one source's hour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub views: i64,
    /// Visitors first seen that day (for the event as a whole) on this source.
    pub visitors: i64,
    pub clicks: i64,
    pub entries: i64,
    /// Passes used and rewards given at the counter (undone ones taken back).
    pub redeemed: i64,
    pub stamps: i64,
    /// What customers spent, as the counter typed it (KRW), over `spent` redemptions.
    pub spend: i64,
    pub spent: i64,
    /// Friends who joined through a customer's invite link.
    pub invited: i64,
    /// Friends that count for their inviter's reward (on joining or first use, as the plan says).
    pub credited: i64,
    /// Photo reviews the owner approved.
    pub approved: i64,
}

impl Tally {
    pub fn add(&mut self, other: Tally) {
        self.views += other.views;
        self.visitors += other.visitors;
        self.clicks += other.clicks;
        self.entries += other.entries;
        self.redeemed += other.redeemed;
        self.stamps += other.stamps;
        self.spend += other.spend;
        self.spent += other.spent;
        self.invited += other.invited;
        self.credited += other.credited;
        self.approved += other.approved;
    }

    pub fn is_empty(&self) -> bool {
        *self == Tally::default()
    }

    /// The tally as the owner's figures show it: everyone who entered or followed a link was a
    /// visitor, so visitors are at least the entries and the clicks, and conversion never passes
    /// 100 %. (Visitors are counted once per address, browser and day: a café's Wi-Fi with one
    /// phone model is one visitor, however many customers it serves.)
    pub fn shown(mut self) -> Self {
        self.visitors = self.visitors.max(self.entries).max(self.clicks);
        self
    }
}

/// One increment of the rollups: `tally` more for `source` in the hour starting at `hour`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Increment {
    pub source: String,
    pub hour: DateTime<Utc>,
    pub tally: Tally,
}

/// What one domain event changes in the read model.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Counts(Vec<Increment>),
    Published {
        at: DateTime<Utc>,
    },
    /// Per channel, the outcome of its post (`{"INSTAGRAM":"PUBLISHED",…}`).
    Distributed(serde_json::Value),
    Drawn {
        winners: i64,
        at: DateTime<Utc>,
    },
}

/// Entries ÷ visitors (as `Tally::shown` counts them: at least the entries, so at most 1);
/// `None` before anyone came.
pub fn conversion(entries: i64, visitors: i64) -> Option<f64> {
    let visitors = visitors.max(entries);
    (visitors > 0).then(|| entries as f64 / visitors as f64)
}

/// What the event cost the owner, in KRW: the budget, which already holds the prizes (plans
/// add them in); without a budget, the prizes alone (value × winners drawn).
pub fn event_cost(budget: Option<i64>, prize_value: Option<i64>, winners: i64) -> Option<i64> {
    budget.or_else(|| prize_value.map(|v| v.saturating_mul(winners)))
}

pub fn cost_per_entry(cost: Option<i64>, entries: i64) -> Option<f64> {
    cost.filter(|_| entries > 0)
        .map(|c| c as f64 / entries as f64)
}

/// The owner's estimate of what the event brought in: visits or coupons redeemed at the
/// counter times an average spend, and the return on the cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub revenue: Option<i64>,
    /// (revenue − cost) ÷ cost.
    pub roi: Option<f64>,
}

pub fn estimate(redemptions: i64, average_spend: Option<i64>, cost: Option<i64>) -> Estimate {
    let revenue = average_spend.map(|s| s.saturating_mul(redemptions));
    let roi = match (revenue, cost) {
        (Some(r), Some(c)) if c > 0 => Some((r - c) as f64 / c as f64),
        _ => None,
    };
    Estimate { revenue, roi }
}

/// What the counter measured (`passes`: the event's joins give passes): passes used or rewarded (`redeemed`) against those issued, the
/// revenue they brought — the spend the counter typed, and for redemptions without one the
/// average of those typed (else the owner's recorded average spend) — and the return on the
/// cost. Nothing is measured before the first redemption (the dashboard then shows the
/// estimate).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measured {
    pub issued: i64,
    pub redeemed: i64,
    /// redeemed ÷ issued.
    pub rate: Option<f64>,
    pub revenue: Option<i64>,
    /// (revenue − cost) ÷ cost.
    pub roi: Option<f64>,
    /// cost ÷ redeemed: what one visit the promotion brought cost.
    pub cost_per_redeemed: Option<f64>,
    pub stamps: i64,
    pub invited: i64,
    pub credited: i64,
    pub approved: i64,
}

pub fn measured(
    t: &Tally,
    passes: bool,
    owner_average: Option<i64>,
    cost: Option<i64>,
) -> Measured {
    let issued = if passes { t.entries } else { 0 };
    let average = if t.spent > 0 {
        Some(t.spend / t.spent)
    } else {
        owner_average
    };
    let unrecorded = (t.redeemed - t.spent).max(0);
    let revenue = match (t.redeemed, average) {
        (0, _) => None,
        (_, Some(avg)) => Some(t.spend + avg.saturating_mul(unrecorded)),
        (_, None) if unrecorded == 0 => Some(t.spend),
        (_, None) => None,
    };
    let roi = match (revenue, cost) {
        (Some(r), Some(c)) if c > 0 => Some((r - c) as f64 / c as f64),
        _ => None,
    };
    Measured {
        issued,
        redeemed: t.redeemed,
        rate: (issued > 0).then(|| t.redeemed as f64 / issued as f64),
        revenue,
        roi,
        cost_per_redeemed: cost
            .filter(|_| t.redeemed > 0)
            .map(|c| c as f64 / t.redeemed as f64),
        stamps: t.stamps,
        invited: t.invited,
        credited: t.credited,
        approved: t.approved,
    }
}

/// A tracked link's code: 8 letters and digits (about 47 bits, so codes cannot be guessed
/// one after another).
pub fn is_link_code(code: &str) -> bool {
    code.len() == 8 && code.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn hours_and_days_follow_seoul() {
        let late = utc("2026-12-03T14:59:59Z");
        let midnight = utc("2026-12-03T15:00:00Z");
        assert_eq!(seoul_hour(late), utc("2026-12-03T14:00:00Z"));
        assert_eq!(
            seoul_hour_label(seoul_hour(late)),
            "2026-12-03T23:00:00+09:00"
        );
        assert_eq!(seoul_day(seoul_hour(late)).to_string(), "2026-12-03");
        assert_eq!(seoul_day(seoul_hour(midnight)).to_string(), "2026-12-04");
        assert_eq!(seoul_hour_label(midnight), "2026-12-04T00:00:00+09:00");
    }

    #[test]
    fn cost_is_the_budget_or_else_the_prizes() {
        assert_eq!(event_cost(Some(300_000), Some(50_000), 3), Some(300_000));
        assert_eq!(event_cost(None, Some(50_000), 3), Some(150_000));
        assert_eq!(event_cost(None, None, 3), None);
        assert_eq!(cost_per_entry(Some(300_000), 120), Some(2_500.0));
        assert_eq!(cost_per_entry(Some(300_000), 0), None);
    }

    #[test]
    fn measured_revenue_is_the_spend_typed_and_the_average_for_the_rest() {
        let t = Tally {
            entries: 10,
            redeemed: 4,
            spend: 60_000,
            spent: 3,
            ..Tally::default()
        };
        let m = measured(&t, true, Some(1), Some(40_000));
        assert_eq!(m.revenue, Some(80_000));
        assert_eq!(m.roi, Some(1.0));
        assert_eq!(m.rate, Some(0.4));
        assert_eq!(m.cost_per_redeemed, Some(10_000.0));
        let none = measured(
            &Tally {
                entries: 10,
                ..Tally::default()
            },
            true,
            Some(15_000),
            Some(1),
        );
        assert_eq!((none.revenue, none.roi), (None, None));
    }

    #[test]
    fn the_estimate_needs_a_spend_and_a_cost() {
        let e = estimate(40, Some(15_000), Some(300_000));
        assert_eq!(e.revenue, Some(600_000));
        assert_eq!(e.roi, Some(1.0));
        assert_eq!(estimate(40, None, Some(300_000)).roi, None);
        assert_eq!(estimate(40, Some(15_000), None).roi, None);
        assert_eq!(conversion(0, 0), None);
        assert_eq!(conversion(3, 0), Some(1.0), "entrants are visitors");
        assert_eq!(conversion(1, 4), Some(0.25));
        // One visitor (a shared Wi-Fi), four clicks, seven entries: every entrant visited.
        assert_eq!(conversion(7, 1), Some(1.0));
        let t = Tally {
            visitors: 1,
            clicks: 4,
            entries: 7,
            ..Tally::default()
        }
        .shown();
        assert_eq!((t.visitors, t.clicks, t.entries), (7, 4, 7));
    }

    #[test]
    fn link_codes_are_eight_letters_or_digits() {
        assert!(is_link_code("aZ3kP9xQ"));
        assert!(!is_link_code("aZ3kP9x"));
        assert!(!is_link_code("aZ3kP9x/"));
    }
}
