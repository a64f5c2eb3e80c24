//! Every page, one function each: its function name, method and route (as `functions/` and the
//! OpenAPI document have them) and its handler. The router and `PagesDoc` are built from here.

use axum::routing::{MethodRouter, get, post};

use super::{
    analytics, asset, auth, channels, counter, distribution, draws, entries, events, images,
    mailbox, participants, passes, recommendations, reviews, users,
};
use crate::app::Services;

mod doc;
pub use doc::PagesDoc;

/// (function name, method, route without its leading `/`, handler).
pub type Page = (
    &'static str,
    &'static str,
    &'static str,
    MethodRouter<Services>,
);

macro_rules! page {
    ($name:literal, $method:ident, $route:literal, $handler:path) => {
        ($name, stringify!($method), $route, $method($handler))
    };
}

/// Signing up and in, the profile, and the event list.
fn account() -> Vec<Page> {
    vec![
        page!("page-home", get, "home", auth::home),
        page!("page-signup", post, "signup", auth::signup),
        page!("page-login", get, "login", auth::login_form),
        page!("page-login-submit", post, "login", auth::login),
        page!("page-logout", post, "logout", auth::logout),
        page!("page-profile", get, "profile", users::page),
        page!("page-profile-save", post, "profile", users::update),
        page!("page-password", post, "profile/password", users::password),
        page!(
            "page-counter-pin-save",
            post,
            "profile/counter-pin",
            users::counter_pin
        ),
        page!("page-events", get, "events", events::list),
        page!("page-session", get, "session", mailbox::keep),
    ]
}

/// Mailed links: a forgotten password, the address check.
fn mail_links() -> Vec<Page> {
    vec![
        page!(
            "page-password-forgot",
            get,
            "password/forgot",
            mailbox::forgot_form
        ),
        page!(
            "page-password-forgot-submit",
            post,
            "password/forgot",
            mailbox::forgot
        ),
        page!(
            "page-password-reset",
            get,
            "password/reset/{token}",
            mailbox::reset_form
        ),
        page!(
            "page-password-reset-submit",
            post,
            "password/reset/{token}",
            mailbox::reset
        ),
        page!(
            "page-email-verify",
            get,
            "email/verify/{token}",
            mailbox::verify_form
        ),
        page!(
            "page-email-verify-submit",
            post,
            "email/verify/{token}",
            mailbox::verify
        ),
        page!("page-email-resend", post, "profile/email", mailbox::resend),
    ]
}

/// The wizard's first half: the objective, the plans, customising.
fn wizard() -> Vec<Page> {
    use events::customise;
    vec![
        page!("page-event-new", get, "events/new", events::new_form),
        page!("page-event-create", post, "events/new", events::create),
        page!("page-event-hub", get, "events/{eventId}", events::hub),
        page!(
            "page-event-duplicate",
            post,
            "events/{eventId}/duplicate",
            events::duplicate
        ),
        page!(
            "page-event-delete",
            post,
            "events/{eventId}/delete",
            events::delete
        ),
        page!(
            "page-plans",
            get,
            "events/{eventId}/plans",
            recommendations::plans
        ),
        page!(
            "page-plans-choose",
            post,
            "events/{eventId}/plans",
            recommendations::choose
        ),
        page!(
            "page-plans-request",
            post,
            "events/{eventId}/plans/request",
            recommendations::request
        ),
        page!(
            "page-customise",
            get,
            "events/{eventId}/customise",
            customise::form
        ),
        page!(
            "page-customise-save",
            post,
            "events/{eventId}/customise",
            customise::save
        ),
    ]
}

/// The wizard's second half: posters, channels, review and publish.
fn wizard_end() -> Vec<Page> {
    vec![
        page!(
            "page-posters",
            get,
            "events/{eventId}/posters",
            images::posters
        ),
        page!(
            "page-posters-pick",
            post,
            "events/{eventId}/posters",
            images::pick
        ),
        page!(
            "page-channels",
            get,
            "events/{eventId}/channels",
            channels::page
        ),
        page!(
            "page-channels-keys",
            post,
            "events/{eventId}/channels/{channel}",
            channels::connect_keys
        ),
        page!(
            "page-channel-login",
            get,
            "channels/{channel}/connect",
            channels::connect_oauth
        ),
        page!(
            "page-review",
            get,
            "events/{eventId}/review",
            distribution::review
        ),
        page!(
            "page-publish",
            post,
            "events/{eventId}/publish",
            distribution::publish
        ),
    ]
}

/// A published event: its status, retrying, confirming, ending.
fn published() -> Vec<Page> {
    vec![
        page!(
            "page-status",
            get,
            "events/{eventId}/status",
            distribution::status
        ),
        page!(
            "page-retry",
            post,
            "events/{eventId}/retry",
            distribution::retry
        ),
        page!(
            "page-confirm",
            post,
            "events/{eventId}/confirm/{channel}",
            distribution::confirm
        ),
        page!("page-end", post, "events/{eventId}/end", distribution::end),
    ]
}

/// A published event's results, participants and draw.
fn results() -> Vec<Page> {
    vec![
        page!(
            "page-dashboard",
            get,
            "events/{eventId}/dashboard",
            analytics::page
        ),
        page!(
            "page-redemptions",
            post,
            "events/{eventId}/redemptions",
            analytics::redeem
        ),
        page!(
            "page-qr-card",
            get,
            "events/{eventId}/qr-card.png",
            analytics::card
        ),
        page!(
            "page-participants",
            get,
            "events/{eventId}/participants",
            participants::page
        ),
        page!(
            "page-participants-csv",
            get,
            "events/{eventId}/participants.csv",
            participants::csv
        ),
        page!(
            "page-reviews",
            get,
            "events/{eventId}/reviews",
            reviews::page
        ),
        page!(
            "page-review-decide",
            post,
            "events/{eventId}/reviews/{receipt}",
            reviews::decide
        ),
        page!("page-draw", get, "events/{eventId}/draw", draws::page),
        page!(
            "page-draw-create",
            post,
            "events/{eventId}/draw",
            draws::draw
        ),
        page!(
            "page-draw-replace",
            post,
            "events/{eventId}/draw/replace",
            draws::replace
        ),
    ]
}

/// The customers' pages, and the pages' own files.
fn customers() -> Vec<Page> {
    vec![
        page!("page-event", get, "e/{eventId}", entries::page),
        page!("page-event-enter", post, "e/{eventId}", entries::enter),
        page!(
            "page-event-seen",
            get,
            "e/{eventId}/seen.gif",
            entries::seen
        ),
        page!("page-proof", get, "e/{eventId}/draw", draws::proof),
        page!("links-follow", get, "r/{code}", analytics::follow),
        page!("page-pass", get, "p/{code}", passes::page),
        page!("page-pass-qr", get, "p/{code}/qr.svg", passes::qr),
        page!("page-pass-review", post, "p/{code}/review", passes::review),
        page!("page-pass-find", get, "e/{eventId}/pass", passes::find_form),
        page!(
            "page-pass-find-submit",
            post,
            "e/{eventId}/pass",
            passes::find
        ),
        page!("page-assets", get, "assets/{file}", asset),
    ]
}

/// The shop's counter: passes scanned, used, stamped, rewarded, taken back.
fn counter_pages() -> Vec<Page> {
    vec![
        page!("page-counter-code", get, "c", counter::code),
        page!("page-counter", get, "c/{code}", counter::page),
        page!("page-counter-pin", post, "c/{code}/pin", counter::pin),
        page!("page-counter-act", post, "c/{code}/act", counter::act),
        page!("page-counter-undo", post, "c/{code}/undo", counter::undo),
    ]
}

pub fn pages() -> Vec<Page> {
    [
        account(),
        mail_links(),
        wizard(),
        wizard_end(),
        published(),
        results(),
        customers(),
        counter_pages(),
    ]
    .concat()
}
