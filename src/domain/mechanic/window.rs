//! A time sale's window: days of the week and hours, in Asia/Seoul. A window may run past
//! midnight (22 to 2): its hours after midnight belong to the day it started.

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::calendar::seoul;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Self::Mon,
        Self::Tue,
        Self::Wed,
        Self::Thu,
        Self::Fri,
        Self::Sat,
        Self::Sun,
    ];

    pub fn of(d: chrono::Weekday) -> Self {
        Self::ALL[d.num_days_from_monday() as usize]
    }

    pub fn label(self) -> &'static str {
        ["월", "화", "수", "목", "금", "토", "일"][self as usize]
    }
}

/// Days and hours: `from_hour` ≤ hour < `to_hour`, or past midnight when `to_hour` ≤
/// `from_hour` (hours 0–23; `to_hour` 24 is the end of the day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Window {
    pub days: Vec<Weekday>,
    #[schema(minimum = 0, maximum = 23, example = 15)]
    pub from_hour: u8,
    #[schema(minimum = 1, maximum = 24, example = 17)]
    pub to_hour: u8,
}

impl Window {
    /// Whether `at` (any instant) falls inside the window in Seoul.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&seoul());
        let hour = u8::try_from(local.hour()).unwrap_or(0);
        let today = Weekday::of(local.weekday());
        let yesterday = Weekday::of(local.weekday().pred());
        if self.from_hour < self.to_hour {
            return self.days.contains(&today) && (self.from_hour..self.to_hour).contains(&hour);
        }
        (self.days.contains(&today) && hour >= self.from_hour)
            || (self.days.contains(&yesterday) && hour < self.to_hour)
    }

    /// The days as Koreans say them: 매일, 평일, 주말, or 월·수·금.
    pub fn days_said(&self) -> String {
        let mut days = self.days.clone();
        days.sort();
        days.dedup();
        let weekdays = &Weekday::ALL[..5];
        match days.as_slice() {
            d if d.len() == 7 => "매일".to_owned(),
            d if d == weekdays => "평일".to_owned(),
            [Weekday::Sat, Weekday::Sun] => "주말".to_owned(),
            d => d.iter().map(|w| w.label()).collect::<Vec<_>>().join("·"),
        }
    }

    /// "평일 오후 3시부터 5시까지", "매일 밤 10시부터 새벽 2시까지".
    pub fn said(&self) -> String {
        let from = hour_said(self.from_hour);
        let to = hour_said(self.to_hour);
        // The same part of the day is said once: "오후 3시부터 5시까지".
        let to = match (part(self.from_hour), part(self.to_hour)) {
            (a, b) if a == b => to.split_once(' ').map_or(to.clone(), |(_, h)| h.to_owned()),
            _ => to,
        };
        format!("{} {from}부터 {to}까지", self.days_said())
    }
}

impl Window {
    /// "평일 오후 2~5시", "금 밤 10시~새벽 2시": before 에 ("…에 오시면").
    pub fn short(&self) -> String {
        let (from, to) = (hour_said(self.from_hour), hour_said(self.to_hour));
        // "밤 12시" and "낮 12시" are said apart from their part of the day, so never shortened.
        let same = part(self.from_hour) == part(self.to_hour) && !self.from_hour.is_multiple_of(12);
        let range = match (same, from.split_once(' '), to.split_once(' ')) {
            (true, Some((p, f)), Some((_, t))) => {
                format!("{p} {}~{t}", f.trim_end_matches('시'))
            }
            _ => format!("{from}~{to}"),
        };
        format!("{} {range}", self.days_said())
    }
}

fn part(hour: u8) -> &'static str {
    match hour % 24 {
        0..=5 => "새벽",
        6..=11 => "오전",
        12..=17 => "오후",
        18..=21 => "저녁",
        _ => "밤",
    }
}

/// "오후 3시", "저녁 7시", "밤 10시", "새벽 2시", "낮 12시"; 24 is "밤 12시".
fn hour_said(hour: u8) -> String {
    match hour {
        12 => "낮 12시".to_owned(),
        0 | 24 => "밤 12시".to_owned(),
        h => {
            let twelve = if h > 12 { h - 12 } else { h };
            format!("{} {twelve}시", part(h))
        }
    }
}
