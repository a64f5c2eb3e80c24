//! The counter's session: the shop's staff redeem and stamp passes without the owner's
//! account, with a counter PIN the owner sets. The PIN is stored as an argon2id hash; guessing
//! it is throttled like a password (per address and per shop), and a session is a signed value
//! bound to the PIN's version, so changing the PIN ends every counter session at once. A counter
//! session can do one thing: act on this shop's passes.

use chrono::{DateTime, Duration, Utc};
use tracing::instrument;

use super::auth::{Throttled, admit_attempt};
use super::passes::Counter;
use super::{AppError, AuthError, PassError, Services};
use crate::domain::field::{FieldError, FieldProblem};
use crate::domain::{PlainPassword, UserId};

/// How long a counter session lasts (a working day).
pub const SESSION_HOURS: i64 = 12;

/// A counter PIN: six digits.
pub fn parse_pin(raw: &str) -> Result<PlainPassword, FieldError> {
    let pin = raw.trim();
    if pin.len() != 6 || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new(
            "pin",
            FieldProblem::Rule {
                sentence: "카운터 PIN은 숫자 6자리로 정해 주세요.",
            },
        ));
    }
    PlainPassword::for_login(pin)
}

/// The owner sets (or changes) the shop's counter PIN; earlier counter sessions end.
#[instrument(skip_all, fields(user_id = %owner))]
pub async fn set_pin(s: &Services, owner: UserId, raw: &str) -> Result<(), AppError> {
    let pin = parse_pin(raw)?;
    let hash = s.passwords.hash(pin).await?;
    s.store.set_counter_pin(owner, &hash, s.clock.now()).await?;
    // Guesses at the old PIN say nothing about the new one: a shop locked out by someone
    // guessing gets its counter back with a new PIN.
    s.store.clear_login_failures(&shop_key(s, owner)?).await?;
    tracing::info!("counter PIN set");
    Ok(())
}

/// The shop-wide key of PIN guesses.
fn shop_key(s: &Services, owner: UserId) -> Result<String, AppError> {
    let tag = s
        .tags
        .tag(s.tags.current_key(), format!("pin|{owner}").as_bytes())?;
    Ok(format!("pin-shop:{tag}"))
}

/// Guessing a shop's PIN is throttled per address and, more loosely, across addresses.
fn pin_keys(s: &Services, owner: UserId, address: &str) -> Result<Vec<Throttled>, AppError> {
    let tag = |m: String| s.tags.tag(s.tags.current_key(), m.as_bytes());
    Ok(vec![
        (
            format!("pin:{}", tag(format!("pin|{owner}|{address}"))?),
            s.login_throttle,
        ),
        (shop_key(s, owner)?, s.login_throttle.scaled(10)),
    ])
}

/// A counter session for the shop of `owner`, if `raw` is its PIN; its value for the cookie.
#[instrument(skip_all, fields(user_id = %owner))]
pub async fn open(
    s: &Services,
    owner: UserId,
    raw: &str,
    address: &str,
) -> Result<String, AppError> {
    let keys = pin_keys(s, owner, address)?;
    admit_attempt(s, &keys).await.map_err(|e| match e {
        AppError::Auth(AuthError::TooManyLoginAttempts { retry_after_secs }) => {
            PassError::TooManyGuesses { retry_after_secs }.into()
        }
        e => e,
    })?;
    let Some((hash, version)) = s.store.counter_pin(owner).await? else {
        return Err(PassError::NoPin.into());
    };
    let ok = match parse_pin(raw) {
        Ok(pin) => s.passwords.verify(pin, hash).await?,
        Err(_) => false,
    };
    if !ok {
        return Err(PassError::WrongPin.into());
    }
    // The right PIN clears this address's count only: a guesser spread over many addresses
    // keeps counting against the shop-wide key.
    if let Some((key, _)) = keys.first() {
        s.store.clear_login_failures(key).await?;
    }
    let until = s.clock.now() + Duration::hours(SESSION_HOURS);
    tracing::info!("counter session opened");
    sign(s, owner, version, until)
}

fn sign(
    s: &Services,
    owner: UserId,
    version: i64,
    until: DateTime<Utc>,
) -> Result<String, AppError> {
    let body = format!("{owner}.{version}.{}", until.timestamp());
    let mac = s
        .tags
        .tag(s.tags.current_key(), format!("counter|{body}").as_bytes())?;
    Ok(format!("{body}.{mac}"))
}

/// The counter a session value stands for: signed by us, not expired, of the current PIN.
pub async fn session(s: &Services, value: &str) -> Result<Counter, AppError> {
    let refused = || AppError::from(AuthError::Unauthenticated);
    let mut parts = value.splitn(4, '.');
    let (Some(owner), Some(version), Some(until), Some(_)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(refused());
    };
    let owner = UserId(owner.parse().map_err(|_| refused())?);
    let version: i64 = version.parse().map_err(|_| refused())?;
    let until = (until.parse().ok())
        .and_then(|t| DateTime::<Utc>::from_timestamp(t, 0))
        .ok_or_else(refused)?;
    let expected = sign(s, owner, version, until)?;
    let same = expected.len() == value.len()
        && expected
            .bytes()
            .zip(value.bytes())
            .fold(0u8, |a, (x, y)| a | (x ^ y))
            == 0;
    if !same || until <= s.clock.now() {
        return Err(refused());
    }
    match s.store.counter_pin(owner).await? {
        Some((_, current)) if current == version => Ok(Counter {
            owner,
            by_pin: true,
        }),
        _ => Err(refused()),
    }
}
