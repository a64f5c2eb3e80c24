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

    /// What the channel is and what it costs, in the owner's words (the channels step's help).
    pub fn about(self) -> &'static str {
        match self {
            Channel::Instagram => {
                "사장님 가게의 인스타그램 프로페셔널(비즈니스) 계정에 포스터와 글을 올립니다. \
                 올리는 데 드는 비용은 없습니다."
            }
            Channel::Naver => {
                "사장님이 글을 쓸 수 있는 네이버 카페 게시판에 포스터와 안내 글을 올립니다. \
                 동네 카페·맘카페 등 글을 올려도 되는 곳인지 카페 규칙을 먼저 확인해 주세요. 비용은 없습니다."
            }
            Channel::Kakao => {
                "가게 카카오톡 채널을 추가한 손님에게 '(광고)' 메시지를 보냅니다. \
                 카카오가 인증한 딜러사를 통해 보내며, 보낸 건수만큼 딜러사 요금이 듭니다. \
                 밤(20:50~08:00)에는 보내지 않고 다음 날 아침 8시에 보냅니다."
            }
            Channel::UridongneTv => {
                "KT의 지역 채널 '우리동네TV'에 포스터 화면을 광고로 내보냅니다. \
                 KT가 심사한 뒤 방송하며, 요금은 KT(또는 대리점)와 맺은 광고 계약에 따릅니다."
            }
            Channel::GiniTv => {
                "KT의 IPTV '지니TV'에 포스터 화면을 광고로 내보냅니다. \
                 KT가 심사한 뒤 방송하며, 요금은 KT(또는 대리점)와 맺은 광고 계약에 따릅니다."
            }
            Channel::RingoBiz => {
                "KT 기업 전화의 통화 연결음 서비스 '링고비즈'로, 가게에 전화한 손님이 \
                 연결을 기다리는 동안 이벤트 안내를 듣게 합니다(20초 이내). 요금은 KT 링고비즈 요금제에 따릅니다."
            }
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
