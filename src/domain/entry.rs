//! Taking part: when an event takes entries, what a customer is told before entering (the notice
//! 개인정보 보호법 제15조② requires), how long their data is kept, and the prize-tax rule the
//! owner is told about.

mod notice;

pub use notice::{Gives, Notice, NoticeFacts};

use chrono::{Duration, NaiveDate};

use super::channel::Channel;
use super::event::Event;
use super::field::{FieldError, FieldProblem};
use super::lifecycle::EventStatus;

/// Where an entrant came from: one of the event's channels, or the shop's own QR code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntrySource {
    Channel(Channel),
    Store,
}

impl EntrySource {
    pub const ALLOWED: &'static str =
        "INSTAGRAM, NAVER, KAKAO, URIDONGNETV, GINITV, RINGOBIZ, STORE";

    pub fn code(self) -> &'static str {
        match self {
            Self::Channel(c) => c.code(),
            Self::Store => "STORE",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Channel(c) => c.label(),
            Self::Store => "매장 QR",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        if raw.trim().eq_ignore_ascii_case("STORE") {
            return Ok(Self::Store);
        }
        Channel::parse(raw).map(Self::Channel).map_err(|_| {
            FieldError::new(
                "channel",
                FieldProblem::UnknownValue {
                    allowed: Self::ALLOWED,
                },
            )
        })
    }
}

/// Serialised as its code (`INSTAGRAM`, …, `STORE`), as in the API.
impl serde::Serialize for EntrySource {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl utoipa::PartialSchema for EntrySource {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let codes = (Channel::ALL.iter().map(|c| c.code())).chain(["STORE"]);
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(codes))
            .into()
    }
}

impl utoipa::ToSchema for EntrySource {}

/// Whether an event takes entries, as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EntryStatus {
    NotYetOpen,
    Open,
    Closed,
}

/// Whether an event takes entries today (Asia/Seoul dates, both ends included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryWindow {
    NotYetOpen { opens: NaiveDate },
    Open,
    Closed,
}

impl EntryWindow {
    /// `None` for a DRAFT, which has no public page.
    pub fn of(event: &Event, today: NaiveDate) -> Option<Self> {
        Self::at(event.status, event.start_date, event.end_date, today)
    }

    pub fn at(
        status: EventStatus,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Option<Self> {
        match status {
            EventStatus::Draft => None,
            EventStatus::Ended => Some(Self::Closed),
            EventStatus::Published => Some(match (start, end) {
                (Some(start), _) if today < start => Self::NotYetOpen { opens: start },
                (_, Some(end)) if today > end => Self::Closed,
                _ => Self::Open,
            }),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::NotYetOpen { .. } => "NOT_YET_OPEN",
            Self::Open => "OPEN",
            Self::Closed => "CLOSED",
        }
    }

    /// The window's state without its date, as the API names it.
    pub fn status(self) -> EntryStatus {
        match self {
            Self::NotYetOpen { .. } => EntryStatus::NotYetOpen,
            Self::Open => EntryStatus::Open,
            Self::Closed => EntryStatus::Closed,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotYetOpen { .. } => "응모 전",
            Self::Open => "응모 중",
            Self::Closed => "응모 마감",
        }
    }

    /// The same for a promotion customers join for a pass (no draw): 참여, not 응모.
    pub fn joining_label(self) -> &'static str {
        match self {
            Self::NotYetOpen { .. } => "참여 전",
            Self::Open => "참여 중",
            Self::Closed => "참여 마감",
        }
    }
}

/// How long customers' names and phone numbers are kept (docs/participation.md). Destroyed
/// means the ciphertext and the keyed tags are gone; the leaf, channel and time stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Non-winners, after the draw (the law: "without delay"; within a day).
    pub non_winners: Duration,
    /// Alternates not promoted, after the draw (time for winners to answer).
    pub alternates: Duration,
    /// Winners, after the draw (time to deliver the prize).
    pub winners: Duration,
    /// Entries of an event never drawn, after its last day.
    pub undrawn: Duration,
    /// Customers who agreed to marketing: from their entry, and never sooner than the above.
    pub marketing: Duration,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            non_winners: Duration::hours(24),
            alternates: Duration::days(14),
            winners: Duration::days(30),
            undrawn: Duration::days(30),
            marketing: Duration::days(365),
        }
    }
}

/// A prize worth more than this (KRW) is taxed as 기타소득 at 22 % of its whole value.
pub const TAX_FREE_PRIZE_LIMIT: i64 = 50_000;

/// What the owner must know about a prize's tax, when it is taxed at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxNotice {
    pub prize_value: i64,
    /// 22 % of the value, withheld per winner.
    pub withholding: i64,
    /// What paying the tax for the winner costs instead (value ÷ 0.78 × 0.22).
    pub grossed_up_tax: i64,
    pub message: String,
}

impl TaxNotice {
    pub fn for_prize(prize_value: Option<i64>) -> Option<Self> {
        let value = prize_value.filter(|v| *v > TAX_FREE_PRIZE_LIMIT)?;
        let withholding = value * 22 / 100;
        let grossed_up_tax = value * 22 / 78;
        let message = format!(
            "경품 가액이 {}원으로 5만 원을 넘어 기타소득세와 지방소득세 22%를 원천징수해야 합니다. \
             당첨자 1명당 {}원을 당첨자에게 받거나, 사장님이 대신 내려면 {}원이 듭니다. \
             신고에 필요한 주민등록번호와 주소는 당첨자에게 직접 받아 신고한 뒤 바로 파기하세요. \
             이 서비스는 주민등록번호를 받지 않습니다.",
            won(value),
            won(withholding),
            won(grossed_up_tax),
        );
        Some(Self {
            prize_value: value,
            withholding,
            grossed_up_tax,
            message,
        })
    }
}

/// `1234567` → `1,234,567`.
pub fn won(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if amount < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_window_follows_the_status_and_the_seoul_dates() {
        let (start, end) = (Some(d("2026-12-10")), Some(d("2026-12-20")));
        let at = |status, today| EntryWindow::at(status, start, end, d(today));
        assert_eq!(at(EventStatus::Draft, "2026-12-15"), None);
        assert_eq!(
            at(EventStatus::Published, "2026-12-09"),
            Some(EntryWindow::NotYetOpen {
                opens: d("2026-12-10")
            })
        );
        assert_eq!(
            at(EventStatus::Published, "2026-12-10"),
            Some(EntryWindow::Open)
        );
        assert_eq!(
            at(EventStatus::Published, "2026-12-20"),
            Some(EntryWindow::Open)
        );
        assert_eq!(
            at(EventStatus::Published, "2026-12-21"),
            Some(EntryWindow::Closed)
        );
        assert_eq!(
            at(EventStatus::Ended, "2026-12-15"),
            Some(EntryWindow::Closed)
        );
    }

    #[test]
    fn prizes_over_fifty_thousand_won_carry_the_withholding_notice() {
        assert_eq!(TaxNotice::for_prize(None), None);
        assert_eq!(TaxNotice::for_prize(Some(50_000)), None);
        let t = TaxNotice::for_prize(Some(100_000)).unwrap();
        assert_eq!((t.withholding, t.grossed_up_tax), (22_000, 28_205));
        assert!(t.message.contains("100,000원"));
        assert!(t.message.contains("22,000원"));
        assert!(t.message.contains("주민등록번호를 받지 않습니다"));
        assert_eq!(won(1_234_567), "1,234,567");
        assert_eq!(won(500), "500");
    }
}
