//! A pass's code (80 bits: 16 characters of Crockford base32) and its invite code (the part a
//! customer shares; it can only bring friends, never use the pass). Both are made from a keyed
//! hash of the event and the receipt (`app::passes`), so the service can show a pass again to
//! the customer who proves the phone and receipt, and the database alone knows neither: it keeps
//! the pass code's SHA-256 to find it by.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::domain::field::{FieldError, FieldProblem};

use crate::domain::crockford::{encode as base32, read};

/// The code on a pass and in its QR code.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PassCode(String);

impl PassCode {
    pub const LEN: usize = 16;

    /// From at least 10 bytes of a keyed hash (80 bits).
    pub fn from_bytes(bytes: &[u8]) -> Self {
        Self(base32(bytes, Self::LEN))
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        read(raw, Self::LEN).map(Self).ok_or(FieldError::new(
            "code",
            FieldProblem::Rule {
                sentence: "쿠폰 번호는 영문 대문자와 숫자 16자리입니다.",
            },
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the store finds a pass by (the code itself is never stored).
    pub fn lookup(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }

    /// `ABCD-EFGH-JKMN-PQRS`, for reading aloud and typing.
    pub fn grouped(&self) -> String {
        (self.0.as_bytes().chunks(4))
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }
}

impl std::str::FromStr for PassCode {
    type Err = FieldError;

    fn from_str(raw: &str) -> Result<Self, FieldError> {
        Self::parse(raw)
    }
}

/// Never printed whole: it is a bearer credential.
impl fmt::Debug for PassCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PassCode({}…)", &self.0[..4])
    }
}

/// The code of a pass's invite link (`/e/{eventId}?ref=CODE`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InviteCode(String);

impl InviteCode {
    pub const LEN: usize = 10;

    pub fn from_bytes(bytes: &[u8]) -> Self {
        Self(base32(bytes, Self::LEN))
    }

    pub fn parse(raw: &str) -> Option<Self> {
        read(raw, Self::LEN).map(Self)
    }

    pub fn from_trusted(code: String) -> Self {
        Self(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_carry_eighty_bits_and_read_as_people_type_them() {
        let code = PassCode::from_bytes(&[0xff; 10]);
        assert_eq!(code.as_str(), "ZZZZZZZZZZZZZZZZ");
        let code = PassCode::from_bytes(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(code.as_str().len(), 16);
        let typed = code.grouped().to_lowercase();
        assert_eq!(PassCode::parse(&typed).ok(), Some(code.clone()));
        assert!(PassCode::parse("ABC").is_err());
        assert!(PassCode::parse("UUUUUUUUUUUUUUUU").is_err());
        assert_ne!(code.lookup(), code.as_str());
        assert!(!format!("{code:?}").contains(code.as_str()));
    }
}
