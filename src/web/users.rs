//! The owner's profile (name, phone, shop) and password in the browser.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::form::{Errors, PinForm};
use super::session::Owner;
use super::{failed, html};
use crate::app::{AppError, Services, mailbox, users};
use crate::domain::contact::ShopPhone;
use crate::domain::{OwnerName, Phone, PlainPassword, ProfileUpdate, ShopInfo, User};

#[derive(Template)]
#[template(path = "console/profile.html")]
struct ProfilePage {
    signed_in: bool,
    csrf: String,
    email: String,
    /// The owner proved the address theirs (else: a button that mails the link again).
    verified: bool,
    fields: Vec<(&'static str, &'static str, String)>,
    saved: Option<&'static str>,
    errors: Errors,
}

fn profile_page(
    user: &User,
    verified: bool,
    csrf: String,
    saved: Option<&'static str>,
    errors: Errors,
) -> Response {
    let shop = user.shop.as_ref().map(|s| &s.info);
    let fields = vec![
        ("name", "대표자 이름", user.name.as_str().to_owned()),
        (
            "phone",
            "연락처",
            user.phone
                .as_ref()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default(),
        ),
        (
            "storeName",
            "매장 이름",
            shop.map(|s| s.name.clone()).unwrap_or_default(),
        ),
        (
            "industry",
            "업종",
            shop.map(|s| s.industry.clone()).unwrap_or_default(),
        ),
        (
            "address",
            "매장 주소",
            shop.map(|s| s.address.clone()).unwrap_or_default(),
        ),
        (
            "shopPhone",
            "가게 전화번호 (선택, 이벤트 페이지에 고객 문의처로 보입니다)",
            (user.shop.as_ref().and_then(|s| s.phone.as_ref()))
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default(),
        ),
    ];
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = ProfilePage {
        signed_in: true,
        csrf,
        email: user.email.as_str().to_owned(),
        verified,
        fields,
        saved,
        errors,
    };
    html(status, page.render())
}

pub(super) async fn show(
    s: &Services,
    owner: &Owner,
    saved: Option<&'static str>,
    errors: Errors,
) -> Response {
    match mailbox::me(s, owner.id).await {
        Ok((user, verified)) => profile_page(&user, verified, owner.csrf.clone(), saved, errors),
        Err(e) => failed(&e),
    }
}

pub async fn page(State(s): State<Services>, owner: Owner) -> Response {
    show(&s, &owner, None, Errors::default()).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProfileForm {
    pub csrf: String,
    pub name: String,
    pub phone: String,
    pub store_name: String,
    pub industry: String,
    pub address: String,
    pub shop_phone: String,
}

fn read(f: &ProfileForm) -> Result<ProfileUpdate, crate::domain::FieldError> {
    let phone = match f.phone.trim() {
        "" => None,
        p => Some(Phone::parse(p)?),
    };
    Ok(ProfileUpdate {
        name: Some(OwnerName::parse(&f.name)?),
        phone: Some(phone),
        shop: Some(Some(ShopInfo::parse(
            &f.store_name,
            &f.industry,
            &f.address,
        )?)),
        shop_phone: Some(match f.shop_phone.trim() {
            "" => None,
            p => Some(ShopPhone::parse(p)?),
        }),
    })
}

pub async fn update(
    State(s): State<Services>,
    owner: Owner,
    axum::Form(f): axum::Form<ProfileForm>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    let saved = async {
        let update = read(&f).map_err(AppError::from)?;
        users::update_me(&s, owner.id, update).await
    };
    match saved.await {
        Ok(_) => show(&s, &owner, Some("저장했습니다."), Errors::default()).await,
        Err(e) => show(&s, &owner, None, Errors::of(&e)).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PasswordForm {
    pub csrf: String,
    pub current_password: String,
    pub new_password: String,
}

pub async fn password(
    State(s): State<Services>,
    owner: Owner,
    axum::Form(f): axum::Form<PasswordForm>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    let changed = async {
        let current = PlainPassword::parse("currentPassword", &f.current_password)?;
        let new = PlainPassword::parse("newPassword", &f.new_password)?;
        users::change_password(&s, owner.id, current, new).await
    };
    match changed.await {
        // Every earlier session ends with a password change: sign in again.
        Ok(()) => {
            axum::response::IntoResponse::into_response(axum::response::Redirect::to("/login"))
        }
        Err(e) => show(&s, &owner, None, Errors::of(&e)).await,
    }
}

/// Sets the shop's counter PIN (earlier counter sessions end).
pub async fn counter_pin(
    State(s): State<Services>,
    owner: Owner,
    axum::Form(f): axum::Form<PinForm>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    match crate::app::counter::set_pin(&s, owner.id, &f.pin).await {
        Ok(()) => {
            show(
                &s,
                &owner,
                Some("카운터 PIN을 정했습니다."),
                Errors::default(),
            )
            .await
        }
        Err(e) => show(&s, &owner, None, Errors::of(&e)).await,
    }
}
