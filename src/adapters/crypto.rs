//! AES-256-GCM and HMAC-SHA256 with key rings (`config::KeyRingSettings`): the first key seals
//! (or tags), every key opens what it sealed; to rotate, put a new key in front and keep the old
//! ones until nothing sealed or tagged with them remains.

use std::collections::HashMap;

use aes_gcm::aead::{Aead, KeyInit, OsRng, Payload};
use aes_gcm::{AeadCore, Aes256Gcm, Key, Nonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::KeyRingSettings;
use crate::ports::{CryptoError, Sealed, Tagger, Vault};

const NONCE: usize = 12;

pub struct KeyRing {
    current: String,
    keys: HashMap<String, Aes256Gcm>,
}

/// The ring's current (first) key id, and every key made into what uses it.
fn ring<T>(settings: &KeyRingSettings, make: impl Fn(&[u8]) -> T) -> (String, HashMap<String, T>) {
    let keys = (settings.keys.iter())
        .map(|(id, key)| (id.clone(), make(key.expose())))
        .collect();
    let current = (settings.keys.first())
        .map(|(id, _)| id.clone())
        .unwrap_or_default();
    (current, keys)
}

impl KeyRing {
    pub fn new(settings: &KeyRingSettings) -> Self {
        let (current, keys) = ring(settings, |key| {
            Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key))
        });
        Self { current, keys }
    }
}

impl Vault for KeyRing {
    fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Sealed {
        let cipher = &self.keys[&self.current];
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let payload = Payload {
            msg: plaintext,
            aad,
        };
        #[allow(clippy::expect_used)] // encryption fails only for inputs over 64 GiB
        let ciphertext = cipher.encrypt(&nonce, payload).expect("AES-GCM seal");
        let mut bytes = nonce.to_vec();
        bytes.extend(ciphertext);
        Sealed {
            key_id: self.current.clone(),
            bytes,
        }
    }

    fn open(&self, sealed: &Sealed, aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let cipher = (self.keys.get(&sealed.key_id))
            .ok_or_else(|| CryptoError::UnknownKey(sealed.key_id.clone()))?;
        if sealed.bytes.len() < NONCE {
            return Err(CryptoError::Tampered);
        }
        let (nonce, ciphertext) = sealed.bytes.split_at(NONCE);
        let payload = Payload {
            msg: ciphertext,
            aad,
        };
        cipher
            .decrypt(Nonce::from_slice(nonce), payload)
            .map_err(|_| CryptoError::Tampered)
    }
}

/// HMAC-SHA256 tags under a key ring.
pub struct HmacKeyRing {
    current: String,
    keys: HashMap<String, Hmac<Sha256>>,
}

impl HmacKeyRing {
    pub fn new(settings: &KeyRingSettings) -> Self {
        let (current, keys) = ring(settings, |key| {
            #[allow(clippy::expect_used)] // HMAC takes keys of any length
            <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC key")
        });
        Self { current, keys }
    }
}

impl Tagger for HmacKeyRing {
    fn current_key(&self) -> &str {
        &self.current
    }

    fn tag(&self, key_id: &str, message: &[u8]) -> Result<String, CryptoError> {
        let mut mac = (self.keys.get(key_id))
            .ok_or_else(|| CryptoError::UnknownKey(key_id.to_owned()))?
            .clone();
        mac.update(message);
        Ok(hex::encode(mac.finalize().into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(raw: &str) -> KeyRing {
        KeyRing::new(&KeyRingSettings::parse(raw).unwrap())
    }

    #[test]
    fn seals_opens_rotates_and_refuses_tampering() {
        let old_entry = KeyRingSettings::generate("k1");
        let old = ring(&old_entry);
        let sealed = old.seal(b"token-123", b"owner-1/INSTAGRAM");
        assert_eq!(sealed.key_id, "k1");
        assert!(!sealed.bytes.windows(9).any(|w| w == b"token-123"));
        assert_eq!(
            old.open(&sealed, b"owner-1/INSTAGRAM").unwrap(),
            b"token-123"
        );
        // Another row's context does not open it, nor does a flipped bit.
        assert!(old.open(&sealed, b"owner-2/INSTAGRAM").is_err());
        let mut flipped = sealed.clone();
        flipped.bytes[20] ^= 1;
        assert!(old.open(&flipped, b"owner-1/INSTAGRAM").is_err());
        // A rotated ring seals with the new key and still opens the old.
        let rotated = ring(&format!("{},{old_entry}", KeyRingSettings::generate("k2")));
        assert_eq!(rotated.seal(b"y", b"").key_id, "k2");
        assert_eq!(
            rotated.open(&sealed, b"owner-1/INSTAGRAM").unwrap(),
            b"token-123"
        );
        for bad in ["", "k1", "k1:notbase64!", "k1:AAAA"] {
            assert!(KeyRingSettings::parse(bad).is_err(), "{bad}");
        }
        let twice = format!("{old_entry},{old_entry}");
        assert!(KeyRingSettings::parse(&twice).is_err());
    }

    #[test]
    fn tags_are_keyed_stable_and_rotate() {
        let k1 = KeyRingSettings::generate("t1");
        let one = HmacKeyRing::new(&KeyRingSettings::parse(&k1).unwrap());
        let tag = one.tag("t1", b"+821012345678").unwrap();
        assert_eq!(tag.len(), 64);
        assert_eq!(tag, one.tag("t1", b"+821012345678").unwrap());
        assert_ne!(tag, one.tag("t1", b"+821012345679").unwrap());
        let other =
            HmacKeyRing::new(&KeyRingSettings::parse(&KeyRingSettings::generate("t1")).unwrap());
        assert_ne!(
            tag,
            other.tag("t1", b"+821012345678").unwrap(),
            "another key, another tag"
        );
        let rotated = format!("{},{k1}", KeyRingSettings::generate("t2"));
        let rotated = HmacKeyRing::new(&KeyRingSettings::parse(&rotated).unwrap());
        assert_eq!(rotated.current_key(), "t2");
        assert_eq!(rotated.tag("t1", b"+821012345678").unwrap(), tag);
        assert!(rotated.tag("t9", b"x").is_err());
    }
}
