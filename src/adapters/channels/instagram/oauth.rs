//! Connecting Instagram (Instagram Login): the authorization code becomes a short-lived token,
//! exchanged at once for a long-lived one (60 days), refreshed before it expires.

use serde_json::Value;

use super::Instagram;
use crate::domain::connection::ChannelSecret;
use crate::ports::{Grant, OAuthError};

async fn json(res: Result<reqwest::Response, reqwest::Error>) -> Result<Value, OAuthError> {
    let res = res.map_err(|e| OAuthError::Unavailable(e.to_string()))?;
    let status = res.status();
    let body: Value = (res.json().await).map_err(|e| OAuthError::Unavailable(e.to_string()))?;
    if status.is_server_error() {
        return Err(OAuthError::Unavailable(format!("HTTP {status}")));
    }
    if !status.is_success() || body.get("error").is_some() || body.get("error_type").is_some() {
        return Err(OAuthError::Refused(format!("HTTP {status}: {body}")));
    }
    Ok(body)
}

/// `{access_token, …}` or, in the newer shape, `{"data": [{access_token, …}]}`.
fn first(body: &Value) -> &Value {
    body.get("data").and_then(|d| d.get(0)).unwrap_or(body)
}

pub(super) async fn exchange(
    ig: &Instagram,
    code: &str,
    redirect_uri: &str,
) -> Result<Grant, OAuthError> {
    let s = ig.settings();
    let (app_id, app_secret) = s.app.as_ref().ok_or(OAuthError::Unsupported)?;
    let url = (s.token_base.join("oauth/access_token"))
        .map_err(|e| OAuthError::Unavailable(e.to_string()))?;
    let form = [
        ("client_id", app_id.as_str()),
        ("client_secret", app_secret.expose().as_str()),
        ("grant_type", "authorization_code"),
        ("redirect_uri", redirect_uri),
        ("code", code),
    ];
    let short = json(ig.client().post(url).form(&form).send().await).await?;
    let short = first(&short)["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let base = s.api_base.as_str().trim_end_matches('/');
    let query = [
        ("grant_type", "ig_exchange_token"),
        ("client_secret", app_secret.expose().as_str()),
        ("access_token", short.as_str()),
    ];
    let long = json(
        ig.client()
            .get(format!("{base}/access_token"))
            .query(&query)
            .send()
            .await,
    )
    .await?;
    let token = long["access_token"].as_str().unwrap_or_default().to_owned();
    let expires_in = long["expires_in"].as_i64().unwrap_or(0);
    let me_url = format!("{base}/{}/me", s.api_version);
    let query = [
        ("fields", "user_id,username"),
        ("access_token", token.as_str()),
    ];
    let me = json(ig.client().get(me_url).query(&query).send().await).await?;
    let user_id = (me["user_id"].as_str().map(str::to_owned))
        .or_else(|| me["user_id"].as_i64().map(|n| n.to_string()))
        .unwrap_or_default();
    if token.is_empty() || user_id.is_empty() {
        return Err(OAuthError::Refused(
            "no token or account in the answer".to_owned(),
        ));
    }
    Ok(Grant {
        secret: ChannelSecret::Instagram {
            user_id,
            access_token: token,
        },
        label: me["username"].as_str().map(|u| format!("@{u}")),
        expires_in: Some(chrono::Duration::seconds(expires_in)),
    })
}

pub(super) async fn refresh(ig: &Instagram, secret: &ChannelSecret) -> Result<Grant, OAuthError> {
    let ChannelSecret::Instagram {
        user_id,
        access_token,
    } = secret
    else {
        return Err(OAuthError::Unsupported);
    };
    let base = ig.settings().api_base.as_str().trim_end_matches('/');
    let query = [
        ("grant_type", "ig_refresh_token"),
        ("access_token", access_token.as_str()),
    ];
    let res = ig
        .client()
        .get(format!("{base}/refresh_access_token"))
        .query(&query)
        .send()
        .await;
    let body = json(res).await?;
    let token = body["access_token"].as_str().unwrap_or_default().to_owned();
    if token.is_empty() {
        return Err(OAuthError::Refused("no token in the answer".to_owned()));
    }
    Ok(Grant {
        secret: ChannelSecret::Instagram {
            user_id: user_id.clone(),
            access_token: token,
        },
        label: None,
        expires_in: Some(chrono::Duration::seconds(
            body["expires_in"].as_i64().unwrap_or(0),
        )),
    })
}
