//! The pages of mailed links: asking for a password reset, setting the new password, proving
//! the address, mailing the proof again; and `GET /session`, which keeps a session alive.
//! A link's page shows a button; only the form's POST uses the link up (mail scanners open
//! links, and must not spend them).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::auth::{NextQuery, signed_in};
use super::extract::over_limit;
use super::form::{CsrfOnly, Errors};
use super::session::{Owner, SignIn, check_pre_session, local_path, pre_session};
use crate::app::limits::Limit;
use crate::app::{AppError, Services, mailbox};
use crate::domain::mailbox::MailPurpose;
use crate::domain::{Email, PlainPassword};
use crate::inbound::Client;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ForgotForm {
    pub csrf: String,
    pub email: String,
    pub next: String,
}

#[derive(Template)]
#[template(path = "console/forgot.html")]
struct ForgotPage {
    signed_in: bool,
    csrf: String,
    form: ForgotForm,
    sent: bool,
    errors: Errors,
}

fn forgot_page(
    s: &Services,
    headers: &HeaderMap,
    status: StatusCode,
    form: ForgotForm,
    sent: bool,
    errors: Errors,
) -> Response {
    pre_session(s, headers, status, |csrf| {
        ForgotPage {
            signed_in: false,
            csrf,
            form,
            sent,
            errors,
        }
        .render()
    })
}

pub async fn forgot_form(
    State(s): State<Services>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    let form = ForgotForm {
        next: local_path(&q.next).unwrap_or_default(),
        ..ForgotForm::default()
    };
    forgot_page(&s, &headers, StatusCode::OK, form, false, Errors::default())
}

/// Mails a reset link when the address has an account; the page says the same either way.
pub async fn forgot(
    State(s): State<Services>,
    client: Client,
    headers: HeaderMap,
    axum::Form(f): axum::Form<ForgotForm>,
) -> Response {
    if let Some(refused) = over_limit(&s, &client, Limit::Logins) {
        return refused;
    }
    if let Err(refused) = check_pre_session(&headers, &f.csrf) {
        return refused.into_response();
    }
    let email = match Email::parse(&f.email) {
        Ok(email) => email,
        Err(e) => {
            let errors = Errors::field(&e);
            return forgot_page(&s, &headers, StatusCode::BAD_REQUEST, f, false, errors);
        }
    };
    let next = local_path(&f.next);
    match mailbox::request_reset(&s, &email, next.as_deref()).await {
        Ok(()) => forgot_page(&s, &headers, StatusCode::OK, f, true, Errors::default()),
        Err(e) => {
            let status = super::status_of(&e);
            forgot_page(&s, &headers, status, f, false, Errors::whole(&e))
        }
    }
}

#[derive(Template)]
#[template(path = "console/reset.html")]
struct ResetPage {
    signed_in: bool,
    csrf: String,
    token: String,
    next: String,
    works: bool,
    errors: Errors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResetForm {
    pub csrf: String,
    pub password: String,
    pub next: String,
}

fn reset_page(
    s: &Services,
    headers: &HeaderMap,
    token: String,
    next: String,
    works: bool,
    errors: Errors,
) -> Response {
    let status = match (works, errors.is_empty()) {
        (true, true) => StatusCode::OK,
        (false, _) => StatusCode::GONE,
        (true, false) => StatusCode::BAD_REQUEST,
    };
    pre_session(s, headers, status, |csrf| {
        ResetPage {
            signed_in: false,
            csrf,
            token,
            next,
            works,
            errors,
        }
        .render()
    })
}

pub async fn reset_form(
    State(s): State<Services>,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(q): Query<NextQuery>,
) -> Response {
    match mailbox::link_works(&s, MailPurpose::Reset, &token).await {
        Ok(works) => {
            let next = local_path(&q.next).unwrap_or_default();
            reset_page(&s, &headers, token, next, works, Errors::default())
        }
        Err(e) => super::failed(&e),
    }
}

/// Sets the new password (the link is used up), signs the owner in and goes on to the page they
/// were on their way to.
pub async fn reset(
    State(s): State<Services>,
    client: Client,
    headers: HeaderMap,
    Path(token): Path<String>,
    axum::Form(f): axum::Form<ResetForm>,
) -> Response {
    if let Some(refused) = over_limit(&s, &client, Limit::Logins) {
        return refused;
    }
    if let Err(refused) = check_pre_session(&headers, &f.csrf) {
        return refused.into_response();
    }
    let next = local_path(&f.next).unwrap_or_default();
    let password = match PlainPassword::parse("password", &f.password) {
        Ok(p) => p,
        Err(e) => return reset_page(&s, &headers, token, next, true, Errors::field(&e)),
    };
    match mailbox::reset_password(&s, &token, password, &client.address).await {
        Ok(l) => {
            let to = if next.is_empty() { "/events" } else { &next };
            signed_in(&s, &l.access_token, l.expires_in, to)
        }
        Err(AppError::Auth(crate::app::auth::AuthError::LinkExpired)) => {
            reset_page(&s, &headers, token, next, false, Errors::default())
        }
        Err(e) => reset_page(&s, &headers, token, next, true, Errors::whole(&e)),
    }
}

#[derive(Template)]
#[template(path = "console/verify.html")]
struct VerifyPage {
    signed_in: bool,
    csrf: String,
    token: String,
    works: bool,
    done: bool,
}

fn verify_page(
    s: &Services,
    headers: &HeaderMap,
    token: String,
    works: bool,
    done: bool,
) -> Response {
    let status = if works || done {
        StatusCode::OK
    } else {
        StatusCode::GONE
    };
    pre_session(s, headers, status, |csrf| {
        VerifyPage {
            signed_in: false,
            csrf,
            token,
            works,
            done,
        }
        .render()
    })
}

pub async fn verify_form(
    State(s): State<Services>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    match mailbox::link_works(&s, MailPurpose::Verify, &token).await {
        Ok(works) => verify_page(&s, &headers, token, works, false),
        Err(e) => super::failed(&e),
    }
}

pub async fn verify(
    State(s): State<Services>,
    headers: HeaderMap,
    Path(token): Path<String>,
    axum::Form(f): axum::Form<CsrfOnly>,
) -> Response {
    if let Err(refused) = check_pre_session(&headers, &f.csrf) {
        return refused.into_response();
    }
    match mailbox::verify_email(&s, &token).await {
        Ok(()) => verify_page(&s, &headers, token, false, true),
        Err(AppError::Auth(crate::app::auth::AuthError::LinkExpired)) => {
            verify_page(&s, &headers, token, false, false)
        }
        Err(e) => super::failed(&e),
    }
}

/// Mails the signed-in owner the address check again.
pub async fn resend(
    State(s): State<Services>,
    owner: Owner,
    axum::Form(f): axum::Form<CsrfOnly>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    let sent = async {
        let user = crate::app::users::me(&s, owner.id).await?;
        mailbox::send_verification(&s, &user).await
    };
    match sent.await {
        Ok(()) => {
            let done = Some("확인 메일을 보냈습니다. 메일의 링크를 열어 주세요.");
            super::users::show(&s, &owner, done, Errors::default()).await
        }
        Err(e) => super::users::show(&s, &owner, None, Errors::whole(&e)).await,
    }
}

/// `GET /session`: 204 while signed in, with a fresh session cookie (until the session's own
/// end), 401 once it has ended. The console's script calls it when the owner chooses to stay.
pub async fn keep(
    State(s): State<Services>,
    headers: HeaderMap,
    owner: Result<Owner, SignIn>,
) -> Response {
    match owner {
        Ok(_) => {
            let token = super::session::cookie(&headers, super::session::SESSION).unwrap_or("");
            match crate::app::auth::keep(&s, token).await {
                Ok(Some(fresh)) => {
                    let cookies =
                        super::session::session_cookies(&s, &fresh.token, fresh.expires_in);
                    (
                        axum::response::AppendHeaders(cookies),
                        StatusCode::NO_CONTENT,
                    )
                        .into_response()
                }
                // At the session's own end: nothing to extend (the page says so).
                _ => StatusCode::NO_CONTENT.into_response(),
            }
        }
        Err(SignIn::Needed(_)) => StatusCode::UNAUTHORIZED.into_response(),
        Err(down) => down.into_response(),
    }
}
