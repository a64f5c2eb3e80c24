//! Password hashing with argon2id (m = 19 MiB, t = 2, p = 1), always off the async threads.

use std::sync::Arc;

use anyhow::Context;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::domain::PlainPassword;
use crate::ports::PasswordHasher;

fn argon2() -> Argon2<'static> {
    // OWASP's recommended minimum for argon2id. Parameters are also encoded in each hash, so
    // hashes made with other parameters still verify.
    #[allow(clippy::unwrap_used)] // constant parameters, checked by the unit test below
    let params = Params::new(19 * 1024, 2, 1, None).unwrap();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A real argon2id hash (these parameters) of a random password nobody kept, verified against
/// when an email is unknown, so that the answer time does not tell whether an account exists.
/// Made once at build time: hashing one at start-up cost every cold start ~20 ms and 19 MiB.
const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$GnPgnPPNH8VmsKuk8Ry3kg$cjfFs/ZcniAx7hS0llYnz3uvoYJJh3aIlNXomUu8XAU";

pub struct Argon2Passwords {
    dummy: Arc<String>,
    /// Each hash holds 19 MiB: bound how many run at once, so a burst of logins queues instead of
    /// exhausting an instance's memory.
    permits: Arc<Semaphore>,
}

impl Default for Argon2Passwords {
    fn default() -> Self {
        Self::new()
    }
}

impl Argon2Passwords {
    pub fn new() -> Self {
        let cpus = std::thread::available_parallelism().map_or(2, usize::from);
        Self {
            dummy: Arc::new(DUMMY.to_owned()),
            permits: Arc::new(Semaphore::new(cpus * 2)),
        }
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        let _permit = self
            .permits
            .acquire()
            .await
            .context("password hashing is shut down")?;
        tokio::task::spawn_blocking(work)
            .await
            .context("password hashing task failed")?
    }
}

#[async_trait::async_trait]
impl PasswordHasher for Argon2Passwords {
    async fn hash(&self, password: PlainPassword) -> anyhow::Result<String> {
        self.blocking(move || hash_blocking(password.expose()))
            .await
    }

    async fn verify(&self, password: PlainPassword, hash: String) -> anyhow::Result<bool> {
        self.blocking(move || verify_blocking(password.expose(), &hash))
            .await
    }

    async fn verify_against_dummy(&self, password: PlainPassword) -> anyhow::Result<bool> {
        let dummy = self.dummy.clone();
        self.blocking(move || verify_blocking(password.expose(), &dummy).map(|_| false))
            .await
    }
}

fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))
}

fn verify_blocking(password: &str, hash: &str) -> anyhow::Result<bool> {
    let parsed =
        PasswordHash::new(hash).map_err(|e| anyhow::anyhow!("stored hash unreadable: {e}"))?;
    Ok(argon2()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_with_argon2id_19mib_t2_p1_and_verifies() {
        let p = Argon2Passwords::new();
        let pw = || PlainPassword::parse("password", "secret123").unwrap();
        let hash = p.hash(pw()).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(p.verify(pw(), hash.clone()).await.unwrap());
        let wrong = PlainPassword::parse("password", "secret124").unwrap();
        assert!(!p.verify(wrong, hash).await.unwrap());
        assert!(!p.verify_against_dummy(pw()).await.unwrap());
        // The dummy is a real argon2id hash with the same parameters: same work as a real check.
        assert!(
            p.dummy.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{}",
            p.dummy
        );
        assert!(PasswordHash::new(&p.dummy).is_ok());
    }
}
