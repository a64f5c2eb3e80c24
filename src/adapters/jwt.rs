//! Access tokens as HS256 JWTs, with the algorithm, issuer and audience pinned and expiry
//! required.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::JwtSettings;
use crate::domain::UserId;
use crate::ports::{IssuedToken, TokenService, VerifiedToken};

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: Uuid,
    /// The owner's token version (`users.token_version`); tokens without one are void.
    #[serde(default)]
    pub ver: i64,
    /// When the session began (the login); renewed tokens keep it. 0 in older tokens: `iat`.
    #[serde(default)]
    pub auth: i64,
}

pub struct JwtTokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    settings: JwtSettings,
}

impl JwtTokens {
    pub fn new(settings: &JwtSettings) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[&settings.issuer]);
        validation.set_audience(&[&settings.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 30;
        validation.validate_exp = true;
        Self {
            encoding: EncodingKey::from_secret(settings.secret.expose()),
            decoding: DecodingKey::from_secret(settings.secret.expose()),
            validation,
            settings: settings.clone(),
        }
    }
}

impl JwtTokens {
    fn sign(
        &self,
        user: UserId,
        version: i64,
        started: i64,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> anyhow::Result<IssuedToken> {
        let exp = (now + self.settings.ttl).min(until).max(now);
        let claims = Claims {
            sub: user.0,
            iss: self.settings.issuer.clone(),
            aud: self.settings.audience.clone(),
            iat: now.timestamp(),
            exp: exp.timestamp(),
            jti: Uuid::new_v4(),
            ver: version,
            auth: started,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok(IssuedToken {
            token,
            expires_in: exp.timestamp() - now.timestamp(),
        })
    }
}

impl TokenService for JwtTokens {
    fn issue(&self, user: UserId, version: i64, now: DateTime<Utc>) -> anyhow::Result<IssuedToken> {
        self.sign(user, version, now.timestamp(), now, now + self.settings.ttl)
    }

    fn reissue(
        &self,
        token: &VerifiedToken,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> anyhow::Result<IssuedToken> {
        self.sign(token.user, token.version, token.started_at, now, until)
    }

    fn verify(&self, token: &str) -> Option<VerifiedToken> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|data| VerifiedToken {
                user: UserId(data.claims.sub),
                version: data.claims.ver,
                issued_at: data.claims.iat,
                expires_at: data.claims.exp,
                started_at: match data.claims.auth {
                    0 => data.claims.iat,
                    t => t,
                },
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    fn settings(secret: &str) -> JwtSettings {
        JwtSettings {
            secret: Secret::new(secret.as_bytes().to_vec()),
            issuer: "event-marketing".into(),
            audience: "event-marketing-api".into(),
            ttl: chrono::Duration::hours(1),
        }
    }

    #[test]
    fn round_trip_and_rejections() {
        let tokens = JwtTokens::new(&settings("0123456789abcdef0123456789abcdef"));
        let user = UserId::new();
        let t = tokens.issue(user, 1, Utc::now()).unwrap();
        assert_eq!(tokens.verify(&t.token).map(|v| v.user), Some(user));
        assert_eq!(t.expires_in, 3600);

        let expired = tokens
            .issue(user, 1, Utc::now() - chrono::Duration::hours(2))
            .unwrap();
        assert!(tokens.verify(&expired.token).is_none(), "expired");

        let other = JwtTokens::new(&settings("another-key-another-key-another-key"));
        assert!(other.verify(&t.token).is_none(), "signed with another key");
        assert!(tokens.verify("not.a.token").is_none());
    }
}
