//! Dates as owners and customers in Korea see them (Asia/Seoul, UTC+9, no daylight saving).

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

pub fn seoul() -> FixedOffset {
    #[allow(clippy::unwrap_used)] // a constant, valid offset
    FixedOffset::east_opt(9 * 3600).unwrap()
}

/// Today's date in Seoul.
pub fn seoul_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&seoul()).date_naive()
}

/// The next 00:00 in Seoul strictly after `now` — what the `0 0 15 * * *` (UTC) timer means.
pub fn next_seoul_midnight(now: DateTime<Utc>) -> DateTime<Utc> {
    let tomorrow = seoul_date(now) + Duration::days(1);
    seoul()
        .from_local_datetime(&tomorrow.and_time(NaiveTime::MIN))
        .single()
        .map_or(now + Duration::days(1), |d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn seoul_is_nine_hours_ahead() {
        assert_eq!(
            seoul_date(utc("2026-11-21T14:59:59Z")).to_string(),
            "2026-11-21"
        );
        assert_eq!(
            seoul_date(utc("2026-11-21T15:00:00Z")).to_string(),
            "2026-11-22"
        );
    }

    #[test]
    fn next_midnight_is_fifteen_utc() {
        assert_eq!(
            next_seoul_midnight(utc("2026-11-21T03:00:00Z")),
            utc("2026-11-21T15:00:00Z")
        );
        assert_eq!(
            next_seoul_midnight(utc("2026-11-21T15:00:00Z")),
            utc("2026-11-22T15:00:00Z")
        );
        assert_eq!(
            next_seoul_midnight(utc("2026-12-31T16:00:00Z")),
            utc("2027-01-01T15:00:00Z")
        );
    }
}
