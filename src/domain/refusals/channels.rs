//! Connecting channels: the refusals.

use serde_json::json;

use super::{Kind, Problem};
use crate::domain::Channel;
use crate::domain::korean::{Particle, with};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChannelError {
    #[error("this channel connects by OAuth")]
    UsesOAuth(Channel),
    #[error("this channel connects by keys")]
    UsesKeys(Channel),
    #[error("the secret does not fit the channel")]
    WrongKind(Channel),
    #[error("not configured on this platform")]
    NotAvailable(Channel),
    #[error("unknown or expired login")]
    LoginExpired,
    #[error("the provider refused")]
    Refused(Channel),
    #[error("the provider is unavailable")]
    ProviderDown(Channel),
    #[error("not connected")]
    NotConnected(Channel),
    #[error("the channel refused the keys")]
    KeysRefused(Channel),
    #[error("the login was started in another browser")]
    OtherBrowser(Channel),
}

impl ChannelError {
    pub fn problem(&self) -> Problem {
        let eun = |c: &Channel| with(c.label(), Particle::Eun);
        let (kind, code, message) = match self {
            ChannelError::UsesOAuth(c) => (
                Kind::Invalid,
                "CHANNEL_001",
                format!(
                    "{} 로그인 화면에서 연결합니다. 연결 시작 주소를 사용해 주세요.",
                    eun(c)
                ),
            ),
            ChannelError::UsesKeys(c) => (
                Kind::Invalid,
                "CHANNEL_002",
                format!("{} 키를 입력해 연결합니다.", eun(c)),
            ),
            ChannelError::WrongKind(c) => (
                Kind::Invalid,
                "CHANNEL_003",
                format!("{}에 맞지 않는 연결 정보입니다.", c.label()),
            ),
            ChannelError::NotAvailable(c) => (
                Kind::Unprocessable,
                "CHANNEL_004",
                format!(
                    "{} 아직 이 서비스에서 연결할 수 없습니다(연동 설정 필요).",
                    eun(c)
                ),
            ),
            ChannelError::LoginExpired => (
                Kind::Invalid,
                "CHANNEL_005",
                "로그인 요청이 만료되었거나 이미 사용되었습니다. 채널 연결을 다시 시작해 주세요."
                    .to_owned(),
            ),
            ChannelError::Refused(c) => (
                Kind::Invalid,
                "CHANNEL_006",
                format!(
                    "{}에서 로그인을 거부했습니다. 다시 시도해 주세요.",
                    c.label()
                ),
            ),
            ChannelError::ProviderDown(c) => (
                Kind::Unavailable,
                "CHANNEL_007",
                format!(
                    "{} 응답하지 않습니다. 잠시 후 다시 시도해 주세요.",
                    with(c.label(), Particle::I)
                ),
            ),
            ChannelError::NotConnected(c)
            | ChannelError::KeysRefused(c)
            | ChannelError::OtherBrowser(c) => self.connection(*c),
        };
        Problem::new(kind, code, message)
            .with_details(json!({ "channel": self.channel().map(Channel::code) }))
    }

    /// The refusals about the owner's connection itself.
    fn connection(&self, c: Channel) -> (Kind, &'static str, String) {
        if matches!(self, ChannelError::OtherBrowser(_)) {
            let message = format!(
                "{} 연결은 연결을 시작한 브라우저에서만 마칠 수 있습니다. 이 브라우저에서 채널 연결을 다시 시작해 주세요.",
                c.label()
            );
            return (Kind::Invalid, "CHANNEL_011", message);
        }
        if matches!(self, ChannelError::KeysRefused(_)) {
            let message = format!(
                "입력한 키를 {}에서 받아들이지 않았습니다. 키를 다시 확인해 주세요.",
                c.label()
            );
            return (Kind::Unprocessable, "CHANNEL_010", message);
        }
        let message = format!("{}에 연결되어 있지 않습니다.", c.label());
        (Kind::NotFound, "CHANNEL_008", message)
    }

    fn channel(&self) -> Option<Channel> {
        match self {
            ChannelError::LoginExpired => None,
            ChannelError::UsesOAuth(c)
            | ChannelError::UsesKeys(c)
            | ChannelError::WrongKind(c)
            | ChannelError::NotAvailable(c)
            | ChannelError::Refused(c)
            | ChannelError::ProviderDown(c)
            | ChannelError::NotConnected(c)
            | ChannelError::KeysRefused(c)
            | ChannelError::OtherBrowser(c) => Some(*c),
        }
    }
}
