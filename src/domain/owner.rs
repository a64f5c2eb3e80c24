//! The shop owner and the shop: email, password policy, name, phone, shop info.

use std::fmt;

use super::field::{self, FieldError, FieldProblem};

/// A lower-cased, syntactically plausible email address.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// An address for a new account: as `parse`, and ASCII only. Letters that look like Latin
    /// ones (Cyrillic "о", full-width "ａ") make an address that reads as someone else's; an
    /// international domain is written in its xn-- form. (Logging in takes any address an
    /// account already has.)
    pub fn parse_new(raw: &str) -> Result<Self, FieldError> {
        let email = Self::parse(raw)?;
        if !email.0.is_ascii() {
            return Err(FieldError::new(
                "email",
                FieldProblem::Rule {
                    sentence: "이메일 주소는 영문, 숫자와 기호로만 적어 주세요. 한글 도메인은 xn--로 시작하는 주소로 적어 주세요.",
                },
            ));
        }
        Ok(email)
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let bad = || {
            FieldError::new(
                "email",
                FieldProblem::InvalidFormat {
                    expected: "name@example.com",
                },
            )
        };
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err(FieldError::new("email", FieldProblem::Empty));
        }
        if s.chars().count() > 254 {
            return Err(FieldError::new("email", FieldProblem::TooLong { max: 254 }));
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '@');
        if !(domain_ok && local_ok) {
            return Err(bad());
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Rebuilds a value that was validated before it was stored.
    pub fn from_trusted(s: String) -> Self {
        Self(s)
    }
}

// Personal data: never printed in full by Debug (logs use Debug).
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let domain = self.0.split_once('@').map_or("", |(_, d)| d);
        write!(f, "Email(***@{domain})")
    }
}

/// A password as typed, checked against the policy; dropped as soon as it is hashed.
pub struct PlainPassword(String);

impl PlainPassword {
    pub const MIN: usize = 8;
    pub const MAX: usize = 128;

    pub fn parse(field: &'static str, raw: &str) -> Result<Self, FieldError> {
        let n = raw.chars().count();
        if n < Self::MIN {
            return Err(FieldError::new(
                field,
                FieldProblem::TooShort { min: Self::MIN },
            ));
        }
        if n > Self::MAX {
            return Err(FieldError::new(
                field,
                FieldProblem::TooLong { max: Self::MAX },
            ));
        }
        let has_letter = raw.chars().any(char::is_alphabetic);
        let has_digit = raw.chars().any(|c| c.is_ascii_digit());
        if !(has_letter && has_digit) {
            return Err(FieldError::new(
                field,
                FieldProblem::Weak {
                    rule: "문자와 숫자를 모두 포함",
                },
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// A login attempt is not held to the policy (old passwords must still log in), only bounded.
    pub fn for_login(raw: &str) -> Result<Self, FieldError> {
        if raw.is_empty() {
            return Err(FieldError::new("password", FieldProblem::Empty));
        }
        if raw.chars().count() > Self::MAX {
            return Err(FieldError::new(
                "password",
                FieldProblem::TooLong { max: Self::MAX },
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PlainPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlainPassword([redacted])")
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct OwnerName(String);

impl OwnerName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        field::text("name", raw, 50).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn from_trusted(s: String) -> Self {
        Self(s)
    }
}

impl fmt::Debug for OwnerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OwnerName([redacted])")
    }
}

/// A Korean phone number, stored as digits with hyphens: `010-1234-5678`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let bad = FieldError::new(
            "phone",
            FieldProblem::InvalidFormat {
                expected: "010-1234-5678",
            },
        );
        let mut digits = String::new();
        for c in raw.trim().chars() {
            match c {
                '0'..='9' => digits.push(c),
                '-' | ' ' | '.' | '+' | '(' | ')' => {}
                _ => return Err(bad),
            }
        }
        if let Some(rest) = digits.strip_prefix("82") {
            digits = format!("0{rest}");
        }
        let formatted = match digits.len() {
            11 if digits.starts_with("01") => {
                format!("{}-{}-{}", &digits[..3], &digits[3..7], &digits[7..])
            }
            10 if digits.starts_with("01") => {
                format!("{}-{}-{}", &digits[..3], &digits[3..6], &digits[6..])
            }
            _ => return Err(bad),
        };
        Ok(Self(formatted))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn from_trusted(s: String) -> Self {
        Self(s)
    }

    /// `010-****-5678`: what lists show.
    pub fn masked(&self) -> String {
        let parts: Vec<&str> = self.0.split('-').collect();
        match parts.as_slice() {
            [a, b, c] => format!("{a}-{}-{c}", "*".repeat(b.len())),
            _ => "***".to_owned(),
        }
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

/// The shop an event is for. All three parts are required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopInfo {
    pub name: String,
    pub industry: String,
    pub address: String,
}

impl ShopInfo {
    pub const MAX_NAME: usize = 100;
    pub const MAX_INDUSTRY: usize = 50;
    pub const MAX_ADDRESS: usize = 200;

    /// The three parts as the profile's `store` object names them.
    pub fn parse(name: &str, industry: &str, address: &str) -> Result<Self, FieldError> {
        Ok(Self {
            name: Self::name("store.name", name)?,
            industry: Self::industry("store.industry", industry)?,
            address: Self::address("store.address", address)?,
        })
    }

    /// One part on its own, under the field name the request used.
    pub fn name(field: &'static str, raw: &str) -> Result<String, FieldError> {
        field::text(field, raw, Self::MAX_NAME)
    }
    pub fn industry(field: &'static str, raw: &str) -> Result<String, FieldError> {
        field::text(field, raw, Self::MAX_INDUSTRY)
    }
    pub fn address(field: &'static str, raw: &str) -> Result<String, FieldError> {
        field::text(field, raw, Self::MAX_ADDRESS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(
            Email::parse(" Owner@Cafe.KR ").unwrap().as_str(),
            "owner@cafe.kr"
        );
        for bad in [
            "",
            "owner",
            "owner@",
            "@cafe.kr",
            "a b@cafe.kr",
            "o@cafe",
            "o@.kr",
            "o@c..kr",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn debug_never_shows_personal_data() {
        let e = Email::parse("hong@cafe.kr").unwrap();
        assert!(!format!("{e:?}").contains("hong"));
        let p = Phone::parse("010-1234-5678").unwrap();
        assert!(!format!("{p:?}").contains("1234"));
        let n = OwnerName::parse("홍길동").unwrap();
        assert!(!format!("{n:?}").contains("홍"));
        let pw = PlainPassword::parse("password", "secret123").unwrap();
        assert!(!format!("{pw:?}").contains("secret"));
    }

    #[test]
    fn password_policy() {
        assert!(PlainPassword::parse("password", "abc12345").is_ok());
        assert!(PlainPassword::parse("password", "한글비밀번호1234").is_ok());
        assert!(PlainPassword::parse("password", "abc1234").is_err());
        assert!(PlainPassword::parse("password", "abcdefgh").is_err());
        assert!(PlainPassword::parse("password", "12345678").is_err());
        assert!(PlainPassword::parse("password", &"a1".repeat(65)).is_err());
        assert!(PlainPassword::for_login("x").is_ok());
        assert!(PlainPassword::for_login("").is_err());
    }

    #[test]
    fn phone_numbers_are_normalised_and_masked() {
        assert_eq!(
            Phone::parse("01012345678").unwrap().as_str(),
            "010-1234-5678"
        );
        assert_eq!(
            Phone::parse("010 1234 5678").unwrap().as_str(),
            "010-1234-5678"
        );
        assert_eq!(
            Phone::parse("+82 10-1234-5678").unwrap().as_str(),
            "010-1234-5678"
        );
        assert_eq!(
            Phone::parse("82-10-1234-5678").unwrap().as_str(),
            "010-1234-5678"
        );
        assert_eq!(
            Phone::parse("011-123-4567").unwrap().as_str(),
            "011-123-4567"
        );
        assert_eq!(
            Phone::parse("010-1234-5678").unwrap().masked(),
            "010-****-5678"
        );
        for bad in ["", "02-123-4567", "010-1234-567a", "0101234567890"] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shop_info_needs_all_three_parts() {
        assert!(ShopInfo::parse("카페 봄", "카페", "서울시 마포구").is_ok());
        let e = ShopInfo::parse("카페 봄", " ", "서울시 마포구").unwrap_err();
        assert_eq!(e.field, "store.industry");
    }
}
