//! What the console's forms share: problems shown next to the field they concern, in Korean
//! (never the API's field names), and the fields' Korean names.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::app::AppError;
use crate::domain::FieldError;

/// Problems by form field (`general` for the form as a whole).
#[derive(Debug, Default, Clone)]
pub struct Errors(BTreeMap<&'static str, String>);

impl Errors {
    pub fn get(&self, field: &str) -> Option<&String> {
        self.0.get(field)
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
    }

    pub fn general(message: impl Into<String>) -> Self {
        let mut e = Self::default();
        e.add("general", message);
        e
    }

    /// A field's problem, under the form field it came from.
    pub fn field(e: &FieldError) -> Self {
        let mut errors = Self::default();
        errors.add(form_field(e.field), korean(e));
        errors
    }

    /// A use case's refusal for the whole form (a page whose fields are not the domain's).
    pub fn whole(e: &AppError) -> Self {
        match e {
            AppError::Invalid(f) => Self::general(korean(f)),
            other => Self::general(other.problem().message),
        }
    }

    /// A use case's refusal: next to its field when it names one, else for the whole form.
    pub fn of(e: &AppError) -> Self {
        match e {
            AppError::Invalid(f) => Self::field(f),
            other => Self::general(other.problem().message),
        }
    }
}

/// The form field a domain field is typed in.
pub fn form_field(field: &'static str) -> &'static str {
    match field {
        "store.name" | "storeName" => "storeName",
        "store.industry" => "industry",
        "store.address" => "address",
        "newPassword" => "password",
        other => other,
    }
}

/// The field's Korean name.
pub fn label(field: &str) -> &'static str {
    match field {
        "email" => "이메일",
        "password" | "newPassword" => "비밀번호",
        "currentPassword" => "현재 비밀번호",
        "name" => "이름",
        "phone" => "전화번호",
        "store.name" | "storeName" => "매장 이름",
        "store.industry" | "industry" => "업종",
        "store.address" | "address" => "주소",
        "shopPhone" => "가게 전화번호",
        "description" => "설명",
        "prize" => "경품",
        "prizeValue" => "경품 가액",
        "budget" => "예산",
        "startDate" => "시작일",
        "endDate" => "종료일",
        "channels" => "채널",
        "count" => "확인 수",
        "averageSpend" => "평균 객단가",
        "winnerCount" => "당첨 인원",
        "alternateCount" => "예비 당첨 인원",
        "reason" => "사유",
        "appKey" => "앱 키",
        "secretKey" => "시크릿 키",
        "senderKey" => "발신 프로필 키",
        "partnerAccountId" => "KT 제휴 계정 ID",
        _ => "입력값",
    }
}

/// The domain's message with the field's Korean name in place of its code.
pub fn korean(e: &FieldError) -> String {
    let message = e.message();
    match message.strip_prefix(e.field) {
        Some(rest) => format!("{}{rest}", label(e.field)),
        None => message,
    }
}

/// A form's optional number: empty is none; anything else must be a whole number of won.
pub fn number(field: &'static str, raw: &str, errors: &mut Errors) -> Option<Option<i64>> {
    let raw = raw.trim().replace(',', "");
    if raw.is_empty() {
        return Some(None);
    }
    match raw.parse::<i64>() {
        Ok(v) => Some(Some(v)),
        Err(_) => {
            errors.add(field, format!("{}에는 숫자만 적어 주세요.", label(field)));
            None
        }
    }
}

/// A form that carries nothing but its CSRF token (a button).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsrfOnly {
    pub csrf: String,
}

/// A button whose act cannot be undone: sent first without `confirmed`, then from its
/// confirmation page (`web::confirm`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Confirmable {
    pub csrf: String,
    pub confirmed: String,
}

/// A form with a PIN: the shop's counter PIN, set in the profile or typed at the counter.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PinForm {
    pub csrf: String,
    pub pin: String,
}

/// `1234567` → `1,234,567원`.
pub fn won(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}{out}원", if n < 0 { "-" } else { "" })
}
