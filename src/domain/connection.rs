//! An owner's connection to a channel: the account a post goes to, and the secrets that let us
//! post there. Secrets never print and are stored only encrypted.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::channel::Channel;
use super::field::{self, FieldError};
use super::ids::UserId;

/// What each channel needs to post on the owner's behalf.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ChannelSecret {
    /// Instagram Login: a long-lived token (60 days, refreshed before it expires).
    #[serde(rename_all = "camelCase")]
    Instagram {
        user_id: String,
        access_token: String,
    },
    /// Naver Login: access token (1 hour) and refresh token; the Cafe board posts go to.
    #[serde(rename_all = "camelCase")]
    Naver {
        access_token: String,
        refresh_token: String,
        club_id: String,
        menu_id: String,
    },
    /// A Kakao Brand Message dealer's app key and secret key, and the channel's sender key.
    #[serde(rename_all = "camelCase")]
    Kakao {
        app_key: String,
        secret_key: String,
        sender_key: String,
    },
    /// The shop's account with KT's partner (우리동네TV, 지니TV, 링고비즈).
    #[serde(rename_all = "camelCase")]
    KtPartner { account_id: String },
}

impl fmt::Debug for ChannelSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            ChannelSecret::Instagram { .. } => "Instagram",
            ChannelSecret::Naver { .. } => "Naver",
            ChannelSecret::Kakao { .. } => "Kakao",
            ChannelSecret::KtPartner { .. } => "KtPartner",
        };
        write!(f, "ChannelSecret::{kind}([redacted])")
    }
}

impl ChannelSecret {
    /// The Kakao dealer keys as entered, each trimmed and bounded.
    pub fn kakao(app_key: &str, secret_key: &str, sender_key: &str) -> Result<Self, FieldError> {
        Ok(ChannelSecret::Kakao {
            app_key: key("appKey", app_key)?,
            secret_key: key("secretKey", secret_key)?,
            sender_key: key("senderKey", sender_key)?,
        })
    }

    pub fn kt_partner(account_id: &str) -> Result<Self, FieldError> {
        Ok(ChannelSecret::KtPartner {
            account_id: key("partnerAccountId", account_id)?,
        })
    }

    /// Whether this secret is of the kind `channel` needs.
    pub fn fits(&self, channel: Channel) -> bool {
        matches!(
            (self, channel),
            (ChannelSecret::Instagram { .. }, Channel::Instagram)
                | (ChannelSecret::Naver { .. }, Channel::Naver)
                | (ChannelSecret::Kakao { .. }, Channel::Kakao)
                | (
                    ChannelSecret::KtPartner { .. },
                    Channel::UridongneTv | Channel::GiniTv | Channel::RingoBiz
                )
        )
    }
}

fn key(field: &'static str, raw: &str) -> Result<String, FieldError> {
    let value = field::text(field, raw, 200)?;
    if value.chars().any(char::is_whitespace) {
        return Err(FieldError::new(
            field,
            field::FieldProblem::InvalidFormat {
                expected: "공백 없는 키",
            },
        ));
    }
    Ok(value)
}

/// How a channel connects: by the provider's login page (OAuth) or by keys entered once.
pub fn connects_by_oauth(channel: Channel) -> bool {
    matches!(channel, Channel::Instagram | Channel::Naver)
}

/// A stored connection, its secret decrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub owner: UserId,
    pub channel: Channel,
    /// What the owner recognises: `@username`, the cafe board, the sender profile.
    pub label: Option<String>,
    pub secret: ChannelSecret,
    pub token_expires_at: Option<DateTime<Utc>>,
    /// The token was refused: the owner must connect again.
    pub needs_reconnect: bool,
    pub last_error: Option<String>,
    pub connected_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Connection {
    /// Usable for posting at `now`: not refused, and its token still valid — or renewable,
    /// as Naver's hour-long access token is with its refresh token.
    pub fn is_usable(&self, now: DateTime<Utc>) -> bool {
        let renewable = matches!(self.secret, ChannelSecret::Naver { .. });
        !self.needs_reconnect && (renewable || self.token_expires_at.is_none_or(|t| t > now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print_and_fit_their_channel() {
        let s = ChannelSecret::kakao("app-1", "secret-xyz", "sender-9").unwrap();
        assert!(!format!("{s:?}").contains("secret-xyz"));
        assert!(s.fits(Channel::Kakao) && !s.fits(Channel::Naver));
        let kt = ChannelSecret::kt_partner(" shop-42 ").unwrap();
        assert!(kt.fits(Channel::GiniTv) && kt.fits(Channel::RingoBiz));
        assert!(ChannelSecret::kakao("a b", "s", "k").is_err());
        assert!(ChannelSecret::kt_partner("").is_err());
        let json = serde_json::to_value(&kt).unwrap();
        assert_eq!(json["kind"], "ktPartner");
        assert_eq!(serde_json::from_value::<ChannelSecret>(json).unwrap(), kt);
    }
}
