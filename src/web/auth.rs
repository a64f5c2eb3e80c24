//! Signing up, logging in and out in the browser: the session cookie is the API's access token
//! (`web::session`), so the console and the API have one notion of a signed-in owner.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::extract::over_limit;
use super::form::{CsrfOnly, Errors};
use super::session::{self, Owner, PRE_SESSION, SESSION};
use crate::app::limits::Limit;
use crate::app::{AppError, Services, auth, mailbox};
use crate::domain::{Email, OwnerName, PlainPassword, ShopInfo};
use crate::inbound::Client;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SignupForm {
    pub csrf: String,
    pub email: String,
    pub password: String,
    pub name: String,
    pub store_name: String,
    pub industry: String,
    pub address: String,
}

#[derive(Template)]
#[template(path = "console/signup.html")]
struct SignupPage {
    signed_in: bool,
    csrf: String,
    form: SignupForm,
    errors: Errors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub csrf: String,
    pub email: String,
    pub password: String,
    /// The page to come back to (`session::local_path`), when the login page was sent here.
    pub next: String,
}

#[derive(Template)]
#[template(path = "console/login.html")]
struct LoginPage {
    signed_in: bool,
    csrf: String,
    form: LoginForm,
    errors: Errors,
}

fn signup_page(
    s: &Services,
    headers: &HeaderMap,
    status: StatusCode,
    form: SignupForm,
    errors: Errors,
) -> Response {
    session::pre_session(s, headers, status, |csrf| {
        let form = SignupForm {
            password: String::new(),
            ..form
        };
        SignupPage {
            signed_in: false,
            csrf,
            form,
            errors,
        }
        .render()
    })
}

fn login_page(
    s: &Services,
    headers: &HeaderMap,
    status: StatusCode,
    form: LoginForm,
    errors: Errors,
) -> Response {
    session::pre_session(s, headers, status, |csrf| {
        let form = LoginForm {
            password: String::new(),
            ..form
        };
        LoginPage {
            signed_in: false,
            csrf,
            form,
            errors,
        }
        .render()
    })
}

/// `/`: the console for a signed-in owner, else sign-up (the first thing a newcomer needs).
pub async fn home(
    State(s): State<Services>,
    headers: HeaderMap,
    owner: Result<Owner, session::SignIn>,
) -> Response {
    match owner {
        Ok(_) => Redirect::to("/events").into_response(),
        Err(down @ session::SignIn::Unavailable(_)) => down.into_response(),
        Err(session::SignIn::Needed(_)) => signup_page(
            &s,
            &headers,
            StatusCode::OK,
            SignupForm::default(),
            Errors::default(),
        ),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NextQuery {
    pub next: String,
}

pub async fn login_form(
    State(s): State<Services>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<NextQuery>,
) -> Response {
    let form = LoginForm {
        next: session::local_path(&q.next).unwrap_or_default(),
        ..LoginForm::default()
    };
    login_page(&s, &headers, StatusCode::OK, form, Errors::default())
}

/// The value, or its problem recorded next to its form field.
fn keep<T>(errors: &mut Errors, r: Result<T, crate::domain::FieldError>) -> Option<T> {
    r.map_err(|e| {
        let field = Errors::field(&e);
        for key in [
            "email",
            "password",
            "name",
            "storeName",
            "industry",
            "address",
        ] {
            if let Some(m) = field.get(key) {
                errors.add(key, m.clone());
            }
        }
    })
    .ok()
}

fn read_signup(f: &SignupForm) -> Result<auth::Signup, Errors> {
    let mut errors = Errors::default();
    let email = keep(&mut errors, Email::parse_new(&f.email));
    let password = keep(&mut errors, PlainPassword::parse("password", &f.password));
    let name = keep(&mut errors, OwnerName::parse(&f.name));
    let shop = keep(
        &mut errors,
        ShopInfo::parse(&f.store_name, &f.industry, &f.address),
    );
    match (email, password, name, shop) {
        (Some(email), Some(password), Some(name), Some(shop)) => Ok(auth::Signup {
            email,
            password,
            name,
            phone: None,
            shop: Some(shop),
        }),
        _ => Err(errors),
    }
}

/// Starts the session: the token in its cookie, then `to`.
pub(super) fn signed_in(s: &Services, token: &str, expires_in: i64, to: &str) -> Response {
    let [token_cookie, ends] = session::session_cookies(s, token, expires_in);
    let cookies = [
        token_cookie,
        ends,
        session::set_cookie(s, PRE_SESSION, "", 0),
    ];
    // Several cookies: appended, not one replacing the other.
    (axum::response::AppendHeaders(cookies), Redirect::to(to)).into_response()
}

pub async fn signup(
    State(s): State<Services>,
    client: Client,
    headers: HeaderMap,
    axum::Form(f): axum::Form<SignupForm>,
) -> Response {
    if let Some(refused) = over_limit(&s, &client, Limit::Signups) {
        return refused;
    }
    if let Err(refused) = session::check_pre_session(&headers, &f.csrf) {
        return refused.into_response();
    }
    let cmd = match read_signup(&f) {
        Ok(cmd) => cmd,
        Err(errors) => return signup_page(&s, &headers, StatusCode::BAD_REQUEST, f, errors),
    };
    let (email, password) = (
        cmd.email.clone(),
        PlainPassword::parse("password", &f.password),
    );
    match auth::signup(&s, cmd).await {
        Ok(user) => {
            if let Err(e) = mailbox::send_verification(&s, &user).await {
                tracing::warn!(
                    error = format!("{e:#}"),
                    "verification mail not sent at sign-up"
                );
            }
        }
        Err(AppError::Auth(auth::AuthError::EmailTaken)) => {
            let mut errors = Errors::default();
            errors.add("taken", "");
            return signup_page(&s, &headers, StatusCode::CONFLICT, f, errors);
        }
        Err(e) => {
            return signup_page(&s, &headers, StatusCode::BAD_REQUEST, f, Errors::of(&e));
        }
    }
    let Ok(password) = password else {
        return signup_page(&s, &headers, StatusCode::BAD_REQUEST, f, Errors::default());
    };
    match auth::login(&s, email, password, &client.address).await {
        Ok(l) => signed_in(&s, &l.access_token, l.expires_in, "/events/new"),
        Err(e) => login_page(
            &s,
            &headers,
            StatusCode::BAD_REQUEST,
            LoginForm::default(),
            Errors::of(&e),
        ),
    }
}

pub async fn login(
    State(s): State<Services>,
    client: Client,
    headers: HeaderMap,
    axum::Form(f): axum::Form<LoginForm>,
) -> Response {
    if let Some(refused) = over_limit(&s, &client, Limit::Logins) {
        return refused;
    }
    if let Err(refused) = session::check_pre_session(&headers, &f.csrf) {
        return refused.into_response();
    }
    let parsed = (
        Email::parse(&f.email),
        PlainPassword::parse("password", &f.password),
    );
    let (Ok(email), Ok(password)) = parsed else {
        let errors = Errors::general("이메일과 비밀번호를 확인해 주세요.");
        return login_page(&s, &headers, StatusCode::BAD_REQUEST, f, errors);
    };
    match auth::login(&s, email, password, &client.address).await {
        Ok(l) => {
            let to = session::local_path(&f.next).unwrap_or_else(|| "/events".to_owned());
            signed_in(&s, &l.access_token, l.expires_in, &to)
        }
        Err(e) => login_page(&s, &headers, StatusCode::BAD_REQUEST, f, Errors::of(&e)),
    }
}

/// Ends every session of the owner (the API's logout), and forgets the cookie.
pub async fn logout(
    State(s): State<Services>,
    owner: Owner,
    axum::Form(f): axum::Form<CsrfOnly>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    if let Err(e) = auth::logout(&s, owner.id).await {
        tracing::warn!(error = format!("{e:#}"), "logout failed");
    }
    let cookies = [
        session::set_cookie(&s, SESSION, "", 0),
        session::set_cookie(&s, session::SESSION_ENDS, "", 0),
    ];
    (
        axum::response::AppendHeaders(cookies),
        Redirect::to("/login"),
    )
        .into_response()
}
