//! Links mailed to owners: the check that an address is theirs (at sign-up, again on request)
//! and a new password for one who forgot theirs. A link works once, briefly
//! (`domain::mailbox`); a reset proves the mailbox too, ends every session and clears the
//! account's login lock.

use tracing::instrument;

use super::auth::{self, AuthError, LoggedIn};
use super::{AppError, Services};
use crate::domain::mailbox::{MailPurpose, MailToken, is_token, token_hash};
use crate::domain::{Email, PlainPassword, User, UserId};
use crate::ports::{Mail, MailError};

/// Mails the owner a link that proves the address theirs.
#[instrument(skip_all, fields(user_id = %user.id))]
pub async fn send_verification(s: &Services, user: &User) -> Result<(), AppError> {
    let Some(link) = new_link(s, user.id, MailPurpose::Verify, None).await? else {
        return Ok(());
    };
    // Nothing the sign-up typed goes into it: the address may not be the one who signed up.
    let text = format!(
        "사장님, 이벤트 마케팅에 가입해 주셔서 감사합니다.\n\n\
         아래 링크를 열어 이 주소가 사장님의 것인지 확인해 주세요. \
         링크는 24시간 동안 한 번만 쓸 수 있습니다.\n\n{link}\n\n\
         가입한 적이 없다면 누군가 이 주소를 잘못 입력했을 수 있습니다. 이 메일은 무시하셔도 되고, \
         이 계정을 직접 쓰시려면 로그인 화면의 '비밀번호를 잊으셨나요?'에서 새 비밀번호를 정하시면 \
         계정이 이 주소의 주인에게 넘어갑니다.\n"
    );
    send(
        s,
        &user.email,
        "[이벤트 마케팅] 이메일 주소를 확인해 주세요",
        text,
    )
    .await
}

/// Mails a reset link if the address has an account; the same answer either way (nobody learns
/// which addresses have accounts). `next` is where the owner goes once the password is set.
#[instrument(skip_all)]
pub async fn request_reset(
    s: &Services,
    email: &Email,
    next: Option<&str>,
) -> Result<(), AppError> {
    let Some(c) = s.store.credentials_by_email(email).await? else {
        tracing::info!("password reset asked for an address without an account: nothing sent");
        return Ok(());
    };
    let Some(link) = new_link(s, c.user.id, MailPurpose::Reset, next).await? else {
        return Ok(());
    };
    let text = format!(
        "{}님, 비밀번호 재설정을 요청하셨습니다.\n\n\
         아래 링크에서 새 비밀번호를 정해 주세요. 링크는 30분 동안 한 번만 쓸 수 있고, \
         새 비밀번호를 정하면 다른 기기의 로그인은 모두 끝납니다.\n\n{link}\n\n\
         요청하지 않으셨다면 이 메일을 무시하세요. 비밀번호는 바뀌지 않습니다.\n",
        c.user.name.as_str()
    );
    send(s, email, "[이벤트 마케팅] 비밀번호 재설정 링크", text).await
}

/// The link still works (the page asks for the new password only then).
pub async fn link_works(s: &Services, purpose: MailPurpose, token: &str) -> Result<bool, AppError> {
    if !is_token(token) {
        return Ok(false);
    }
    let found = (s.store)
        .mail_token_owner(purpose, &token_hash(token), s.clock.now())
        .await?;
    Ok(found.is_some())
}

/// Sets the new password with a reset link (used up), proves the address, ends every earlier
/// session, clears the account's login lock, and signs the owner in.
#[instrument(skip_all)]
pub async fn reset_password(
    s: &Services,
    token: &str,
    password: PlainPassword,
    client: &str,
) -> Result<LoggedIn, AppError> {
    let user = take(s, MailPurpose::Reset, token).await?;
    let now = s.clock.now();
    let hash = s.passwords.hash(password).await?;
    s.store.update_password_hash(user, &hash, now).await?;
    s.token_versions.ended(user);
    s.store.mark_email_verified(user, now).await?;
    let c = (s.store.credentials_by_id(user).await?).ok_or(AuthError::LinkExpired)?;
    auth::forget_failures(s, &c.user.email, client).await?;
    let issued = s.tokens.issue(user, c.token_version, now)?;
    tracing::info!(user_id = %user, "password reset by a mailed link; earlier tokens are void");
    Ok(LoggedIn {
        access_token: issued.token,
        expires_in: issued.expires_in,
        user: c.user,
    })
}

/// Proves the owner's address with a verification link (used up).
#[instrument(skip_all)]
pub async fn verify_email(s: &Services, token: &str) -> Result<(), AppError> {
    let user = take(s, MailPurpose::Verify, token).await?;
    s.store.mark_email_verified(user, s.clock.now()).await?;
    tracing::info!(user_id = %user, "email address verified");
    Ok(())
}

/// The owner, and whether they have proved the address theirs (one read).
pub async fn me(s: &Services, user: UserId) -> Result<(User, bool), AppError> {
    let c = (s.store.credentials_by_id(user).await?).ok_or(AuthError::Unauthenticated)?;
    Ok((c.user, c.email_verified))
}

async fn take(s: &Services, purpose: MailPurpose, token: &str) -> Result<UserId, AppError> {
    if !is_token(token) {
        return Err(AuthError::LinkExpired.into());
    }
    let user = (s.store)
        .take_mail_token(purpose, &token_hash(token), s.clock.now())
        .await?;
    Ok(user.ok_or(AuthError::LinkExpired)?)
}

/// A new link for the owner (their earlier ones stop working), or `None` when they were sent
/// `MAX_PER_WINDOW` already in the window (a mailbox is not flooded).
async fn new_link(
    s: &Services,
    user: UserId,
    purpose: MailPurpose,
    next: Option<&str>,
) -> Result<Option<String>, AppError> {
    let now = s.clock.now();
    let since = now - chrono::Duration::minutes(MailPurpose::WINDOW_MINUTES);
    if s.store.mail_tokens_since(user, purpose, since).await? >= MailPurpose::MAX_PER_WINDOW {
        tracing::warn!(
            purpose = purpose.code(),
            "mail link not sent: too many in the window"
        );
        return Ok(None);
    }
    let token = super::random_token();
    s.store
        .save_mail_token(&MailToken::new(&token, user, purpose, now))
        .await?;
    let base = s.public_base_url.trim_end_matches('/');
    let mut link = format!("{base}/{}/{token}", purpose.route());
    if let Some(next) = next {
        let next: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
        link.push_str(&format!("?next={next}"));
    }
    Ok(Some(link))
}

async fn send(s: &Services, to: &Email, subject: &str, text: String) -> Result<(), AppError> {
    let mail = Mail {
        to: to.clone(),
        subject: subject.to_owned(),
        text,
    };
    match s.mailer.send(&mail).await {
        Ok(()) => Ok(()),
        Err(e @ MailError::Refused(_)) => {
            tracing::error!(error = %e, "mail refused by the mail service");
            Err(AuthError::MailUnavailable.into())
        }
        Err(e) => {
            tracing::warn!(error = %e, "mail not sent");
            Err(AuthError::MailUnavailable.into())
        }
    }
}
