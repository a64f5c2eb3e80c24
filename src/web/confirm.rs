//! An act that cannot be undone (ending an event, drawing, replacing a winner) is asked again on
//! a page of its own that says what will happen; only the form sent from that page, with
//! `confirmed=yes`, does it. Plain forms: it works without scripts, and a second click on the
//! first button never acts twice unasked.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use super::html;
use super::session::Owner;

#[derive(Template)]
#[template(path = "console/confirm.html")]
struct ConfirmPage<'a> {
    signed_in: bool,
    csrf: &'a str,
    heading: &'a str,
    consequences: &'a [String],
    action: &'a str,
    fields: &'a [(&'static str, String)],
    button: &'a str,
    back: &'a str,
}

/// What the confirmation page asks.
pub struct Ask {
    pub heading: &'static str,
    /// What will happen, one sentence each.
    pub consequences: Vec<String>,
    /// Where the confirmed form goes (the same route as the first one).
    pub action: String,
    /// The first form's fields, sent again.
    pub fields: Vec<(&'static str, String)>,
    pub button: &'static str,
    /// Where "취소" leads.
    pub back: String,
}

/// Whether the form came from the confirmation page.
pub fn confirmed(raw: &str) -> bool {
    raw == "yes"
}

pub fn ask(owner: &Owner, a: &Ask) -> Response {
    let page = ConfirmPage {
        signed_in: true,
        csrf: &owner.csrf,
        heading: a.heading,
        consequences: &a.consequences,
        action: &a.action,
        fields: &a.fields,
        button: a.button,
        back: &a.back,
    };
    html(StatusCode::OK, page.render())
}
