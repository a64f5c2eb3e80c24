//! What every door needs at its edge, whichever audience it serves: the JSON API (`http`), the
//! pages people open (`web`) and the host's trigger routes (`triggers`). None of them imports
//! another; they share this: who is calling (`client`), the participants' CSV (`csv`), cookies
//! (`cookies`), and reading an id from the path.

pub mod client;
pub mod cookies;
pub mod csv;

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

pub use client::Client;

/// The path parameter `name`, parsed; `None` when it is absent or not one (a door answers
/// that as not found: anything that is not an id cannot be one of ours).
pub async fn path_param<T: std::str::FromStr>(parts: &mut Parts, name: &str) -> Option<T> {
    let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, &())
        .await
        .ok()?;
    params.get(name)?.parse().ok()
}
