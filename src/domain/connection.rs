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
    /// The shop's account with KT's partner (우리동네TV, 지니TV, 링고비즈) and the account PIN
    /// the partner gave the shop, which proves the shop holds it (connections saved before the
    /// PIN existed have none, and must be entered again).
    #[serde(rename_all = "camelCase")]
    KtPartner {
        account_id: String,
        #[serde(default)]
        account_pin: String,
    },
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
    /// The Kakao dealer keys as entered, each trimmed and bounded; the app and sender keys go
    /// into URLs, so they may hold only what such keys are made of.
    pub fn kakao(app_key: &str, secret_key: &str, sender_key: &str) -> Result<Self, FieldError> {
        Ok(ChannelSecret::Kakao {
            app_key: path_key("appKey", app_key)?,
            secret_key: key("secretKey", secret_key)?,
            sender_key: path_key("senderKey", sender_key)?,
        })
    }

    /// The shop's KT partner account id (it goes into the order's URL: letters, digits and
    /// hyphens only) and its account PIN (4–12 digits).
    pub fn kt_partner(account_id: &str, account_pin: &str) -> Result<Self, FieldError> {
        let pin = field::text("partnerAccountPin", account_pin, 12)?;
        if !(4..=12).contains(&pin.len()) || !pin.chars().all(|c| c.is_ascii_digit()) {
            let expected = "숫자 4~12자리";
            return Err(FieldError::new(
                "partnerAccountPin",
                field::FieldProblem::InvalidFormat { expected },
            ));
        }
        Ok(ChannelSecret::KtPartner {
            account_id: path_key("partnerAccountId", account_id)?,
            account_pin: pin,
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

/// A key sent in a header: visible ASCII only (no spaces, no control or non-ASCII characters).
fn key(field: &'static str, raw: &str) -> Result<String, FieldError> {
    let value = field::text(field, raw, 200)?;
    if !value.chars().all(|c| c.is_ascii_graphic()) {
        return Err(FieldError::new(
            field,
            field::FieldProblem::InvalidFormat {
                expected: "공백 없는 키",
            },
        ));
    }
    Ok(value)
}

/// A key that becomes a path segment of a channel's URL: 1–64 letters, digits, `-` or `_`, so
/// it can never reach another path (`../`), a query or a fragment.
fn path_key(field: &'static str, raw: &str) -> Result<String, FieldError> {
    let value = field::text(field, raw, 64)?;
    if !is_path_key(&value) {
        let expected = "영문·숫자·하이픈(-)·밑줄(_)만";
        return Err(FieldError::new(
            field,
            field::FieldProblem::InvalidFormat { expected },
        ));
    }
    Ok(value)
}

/// The shape a key that becomes a URL path segment must have (checked again where a stored key
/// is used: connections saved before the rule carry none of its guarantee).
pub fn is_path_key(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
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
        // A KT account saved before its PIN was asked for (or of another shape) is entered again.
        let complete = match &self.secret {
            ChannelSecret::KtPartner {
                account_id,
                account_pin,
            } => is_path_key(account_id) && !account_pin.is_empty(),
            _ => true,
        };
        complete
            && !self.needs_reconnect
            && (renewable || self.token_expires_at.is_none_or(|t| t > now))
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
        let kt = ChannelSecret::kt_partner(" shop-42 ", "2468").unwrap();
        assert!(kt.fits(Channel::GiniTv) && kt.fits(Channel::RingoBiz));
        assert!(ChannelSecret::kakao("a b", "s", "k").is_err());
        assert!(ChannelSecret::kt_partner("", "2468").is_err());
        // Nothing that could leave its path segment, or a PIN that is not one.
        for id in [
            "../../internal/admin",
            "shop-1?x=",
            "shop/1",
            "shop#1",
            "shop%2F1",
        ] {
            assert!(ChannelSecret::kt_partner(id, "2468").is_err(), "{id}");
        }
        assert!(ChannelSecret::kakao("app/../x", "s", "k").is_err());
        assert!(ChannelSecret::kakao("app", "sé", "k").is_err());
        assert!(ChannelSecret::kt_partner("shop-1", "12a4").is_err());
        assert!(ChannelSecret::kt_partner("shop-1", "123").is_err());
        let json = serde_json::to_value(&kt).unwrap();
        assert_eq!(json["kind"], "ktPartner");
        assert_eq!(serde_json::from_value::<ChannelSecret>(json).unwrap(), kt);
    }
}
