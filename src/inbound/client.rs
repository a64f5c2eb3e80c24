//! Who is calling: the address (in Azure the one API Management saw, which its policy names in
//! `X-Client-Address`, overriding whatever a client sent; locally the connection's peer) and the
//! browser. Rate limits key on the address; the analytics hash both under the day's key (never
//! stored as such).

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;

use crate::app::AppError;
use crate::app::Services;
use crate::app::analytics::Visitor;
use crate::app::limits::Limit;

/// The caller of a request.
#[derive(Debug, Clone)]
pub struct Client {
    pub address: String,
    pub agent: String,
}

impl Client {
    /// The caller as the analytics count it.
    pub fn visitor(&self) -> Visitor {
        Visitor {
            address: self.address.clone(),
            agent: self.agent.clone(),
        }
    }

    /// One call taken from this caller's budget for `limit`, or `RATE_001`.
    pub fn admit(&self, s: &Services, limit: Limit) -> Result<(), AppError> {
        s.limits.admit(limit, &self.address)
    }
}

impl FromRequestParts<Services> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, s: &Services) -> Result<Self, Infallible> {
        let from_gateway = (parts.headers.get("x-client-address"))
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| s.trust_client_address_header && !v.is_empty());
        let address = match from_gateway {
            Some(address) => address.to_owned(),
            None => (parts.extensions.get::<ConnectInfo<SocketAddr>>())
                .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string()),
        };
        let agent = (parts.headers.get(header::USER_AGENT))
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        Ok(Self { address, agent })
    }
}
