//! Encryption at rest and keyed hashing, by purpose. Keys come from settings (Key Vault in
//! Azure) and never from the database; each sealed value names the key that sealed it, so keys
//! can rotate.

/// A sealed value: the id of the key that sealed it and `nonce ‖ ciphertext ‖ tag`.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealed({}, {} bytes)", self.key_id, self.bytes.len())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("no key '{0}' in the key ring")]
    UnknownKey(String),
    #[error("the value does not open with its key (tampered, or the wrong context)")]
    Tampered,
}

/// Authenticated encryption with associated data: `aad` binds a sealed value to its place (the
/// row it belongs to), so it cannot be copied to another row and opened there.
pub trait Vault: Send + Sync {
    fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Sealed;
    fn open(&self, sealed: &Sealed, aad: &[u8]) -> Result<Vec<u8>, CryptoError>;
}

/// Keyed hashing (HMAC-SHA256) under a key ring: a tag can be compared without the value it
/// hides, and without the key it cannot be reversed (a plain hash of a phone number can).
pub trait Tagger: Send + Sync {
    /// The key new tags are made with.
    fn current_key(&self) -> &str;
    /// `hex(HMAC-SHA256(key, message))`.
    fn tag(&self, key_id: &str, message: &[u8]) -> Result<String, CryptoError>;
}
