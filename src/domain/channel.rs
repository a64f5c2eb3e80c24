//! The six distribution channels (docs/architecture.md, "Channels").

use std::fmt;

use super::field::{FieldError, FieldProblem};

/// Serialised as its code (`INSTAGRAM`, …), as in the API.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum Channel {
    Instagram,
    Naver,
    Kakao,
    UridongneTv,
    GiniTv,
    RingoBiz,
}

pub const ALLOWED_CHANNELS: &str = "INSTAGRAM, NAVER, KAKAO, URIDONGNETV, GINITV, RINGOBIZ";

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::Instagram,
        Channel::Naver,
        Channel::Kakao,
        Channel::UridongneTv,
        Channel::GiniTv,
        Channel::RingoBiz,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Instagram => "INSTAGRAM",
            Channel::Naver => "NAVER",
            Channel::Kakao => "KAKAO",
            Channel::UridongneTv => "URIDONGNETV",
            Channel::GiniTv => "GINITV",
            Channel::RingoBiz => "RINGOBIZ",
        }
    }

    /// The name an owner knows it by.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Instagram => "인스타그램",
            Channel::Naver => "네이버 카페",
            Channel::Kakao => "카카오톡 채널",
            Channel::UridongneTv => "우리동네TV",
            Channel::GiniTv => "지니TV",
            Channel::RingoBiz => "링고비즈",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let wanted = raw.trim();
        Self::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(wanted))
            .ok_or(FieldError::new(
                "channels",
                FieldProblem::UnknownValue {
                    allowed: ALLOWED_CHANNELS,
                },
            ))
    }

    /// Parses a list, dropping duplicates and keeping the canonical order.
    pub fn parse_set<S: AsRef<str>>(raw: &[S]) -> Result<Vec<Channel>, FieldError> {
        let mut out = raw
            .iter()
            .map(|r| Channel::parse(r.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        out.sort();
        out.dedup();
        Ok(out)
    }
}

impl std::str::FromStr for Channel {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        Channel::parse(s)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_six_codes_and_dedups() {
        let set = Channel::parse_set(&["kakao", "INSTAGRAM", "KAKAO"]).unwrap();
        assert_eq!(set, vec![Channel::Instagram, Channel::Kakao]);
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.code()).unwrap(), c);
        }
    }

    #[test]
    fn unknown_code_is_an_error() {
        assert!(Channel::parse_set(&["INSTAGRAM", "TIKTOK"]).is_err());
    }
}
