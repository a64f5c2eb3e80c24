//! What a customer gives when entering an event, held only in valid, canonical forms: a Korean
//! mobile number, a name, and the receipt code the entry gets. Lists show them through one
//! masking rule everywhere (`홍*동`, `010-****-1234`), so that no two screens together reveal more.

use std::fmt;

use super::crockford::{self, ALPHABET as CROCKFORD};
use super::field::{FieldError, FieldProblem};

/// A Korean mobile number: `010` and 8 digits, the middle block starting 2–9 (01X numbers ended
/// 2011–2023). Held as its 11 digits; stored and tagged in E.164 (`+821023456789`).
#[derive(Clone, PartialEq, Eq)]
pub struct MobilePhone(String);

const PHONE_RULE: FieldProblem = FieldProblem::Rule {
    sentence: "휴대전화 번호는 010으로 시작하는 11자리로 입력해 주세요. (예: 010-2345-6789)",
};

impl MobilePhone {
    /// Folds full-width digits, drops spaces, hyphens, dots and brackets, accepts `+82 10…`,
    /// `+82 010…`, `0082…` and `82…`, then requires `010` + 8 digits.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let bad = || FieldError::new("phone", PHONE_RULE);
        let mut digits = String::with_capacity(16);
        let mut plus = false;
        for c in raw.trim().chars() {
            match fold(c) {
                Some(d @ '0'..='9') => digits.push(d),
                Some('+') if digits.is_empty() && !plus => plus = true,
                Some(' ' | '-' | '.' | '(' | ')' | '[' | ']') => {}
                _ => return Err(bad()),
            }
        }
        let international = if plus {
            Some(digits.strip_prefix("82").ok_or_else(bad)?)
        } else if let Some(rest) = digits.strip_prefix("0082") {
            Some(rest)
        } else if digits.starts_with('0') {
            None
        } else {
            digits.strip_prefix("82")
        };
        // After a country code the trunk 0 is optional; at home it is required.
        let national = match international {
            Some(rest) => rest.strip_prefix('0').unwrap_or(rest),
            None => digits.strip_prefix('0').ok_or_else(bad)?,
        };
        let valid = national.len() == 10
            && national.starts_with("10")
            && matches!(national.as_bytes()[2], b'2'..=b'9');
        if !valid {
            return Err(bad());
        }
        Ok(Self(format!("0{national}")))
    }

    /// Only for numbers this type produced before (read back from a sealed value).
    pub fn from_trusted(digits: String) -> Self {
        Self(digits)
    }

    /// `+821023456789`.
    pub fn e164(&self) -> String {
        format!("+82{}", &self.0[1..])
    }

    /// `01023456789`.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// `010-2345-6789`: what an owner sees for a winner.
    pub fn formatted(&self) -> String {
        format!("{}-{}-{}", &self.0[..3], &self.0[3..7], &self.0[7..])
    }

    /// `010-****-5678`: what everyone else sees.
    pub fn masked(&self) -> String {
        format!("{}-****-{}", &self.0[..3], &self.0[7..])
    }

    /// Reads an E.164 number this type wrote.
    pub fn from_e164(e164: &str) -> Option<Self> {
        let rest = e164.strip_prefix("+82")?;
        (rest.len() == 10 && rest.bytes().all(|b| b.is_ascii_digit()))
            .then(|| Self(format!("0{rest}")))
    }
}

/// Full-width forms (what a Korean keyboard in full-width mode types) as their ASCII twins, and
/// the other dashes and spaces people paste.
fn fold(c: char) -> Option<char> {
    let code = u32::from(c);
    let folded = match c {
        '\u{FF10}'..='\u{FF19}' => char::from_u32(code - 0xFF10 + u32::from('0'))?,
        '\u{FF0B}' => '+',
        '\u{FF0D}' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}'
        | '\u{2212}' => '-',
        '\u{FF0E}' => '.',
        '\u{FF08}' => '(',
        '\u{FF09}' => ')',
        '\u{3000}' | '\u{00A0}' | '\t' => ' ',
        other => other,
    };
    Some(folded)
}

impl fmt::Debug for MobilePhone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MobilePhone({})", self.masked())
    }
}

/// An entrant's name: trimmed, inner runs of spaces made one, 1–30 characters, at least one
/// letter, no control characters.
#[derive(Clone, PartialEq, Eq)]
pub struct EntrantName(String);

impl EntrantName {
    pub const MAX: usize = 30;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(FieldError::new(
                "name",
                FieldProblem::Rule {
                    sentence: "이름을 입력해 주세요.",
                },
            ));
        }
        if name.chars().count() > Self::MAX {
            return Err(FieldError::new(
                "name",
                FieldProblem::Rule {
                    sentence: "이름은 30자 이하로 입력해 주세요.",
                },
            ));
        }
        let hidden = |c: char| c.is_control() || super::field::is_hidden_format(c);
        if name.chars().any(hidden) || !name.chars().any(char::is_alphabetic) {
            return Err(FieldError::new(
                "name",
                FieldProblem::Rule {
                    sentence: "이름에는 글자가 있어야 하고 특수 제어 문자는 쓸 수 없습니다.",
                },
            ));
        }
        Ok(Self(name))
    }

    pub fn from_trusted(name: String) -> Self {
        Self(name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `홍*동`, `김*`, `남**수`: the first and (from three letters) the last character shown.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        match chars.len() {
            0 | 1 => "*".to_owned(),
            2 => format!("{}*", chars[0]),
            n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
        }
    }
}

impl fmt::Debug for EntrantName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EntrantName({})", self.masked())
    }
}

/// The code an entrant is shown once: 10 characters of Crockford base32 (50 random bits). Its
/// public leaf in the draw is `draw::leaf(event, receipt)`; it reveals nothing about the person.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Receipt(String);

impl Receipt {
    pub const LEN: usize = 10;

    /// From the OS CSPRNG in one call: each byte's low five bits pick a character (256 is a
    /// multiple of 32, so every character is equally likely).
    pub fn generate() -> Self {
        use rand::RngCore;
        let mut bytes = [0u8; Self::LEN];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let code = (bytes.iter())
            .map(|b| char::from(CROCKFORD[usize::from(b & 31)]))
            .collect();
        Self(code)
    }

    /// Reads a code as people type it: any case, hyphens and spaces ignored, `I`/`L` as `1` and
    /// `O` as `0`.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        crockford::read(raw, Self::LEN)
            .map(Self)
            .ok_or_else(Self::bad)
    }

    fn bad() -> FieldError {
        FieldError::new(
            "receipt",
            FieldProblem::Rule {
                sentence: "응모 번호는 영문 대문자와 숫자 10자리입니다.",
            },
        )
    }

    pub fn from_trusted(code: String) -> Self {
        Self(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Receipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_that_would_display_reversed_is_refused() {
        assert!(EntrantName::parse("홍\u{202E}길동").is_err());
        assert!(EntrantName::parse("홍길동").is_ok());
    }

    #[test]
    fn phones_in_every_shape_people_type_become_one_number() {
        for raw in [
            "010-2345-5678",
            "01023455678",
            "010 2345 5678",
            "010.2345.5678",
            "(010) 2345-5678",
            "+82 10-2345-5678",
            "+82 010 2345 5678",
            "+821023455678",
            "0082 10 2345 5678",
            "821023455678",
            "０１０－２３４５－５６７８",
            "＋８２ １０ ２３４５ ５６７８",
            "010\u{2013}2345\u{2013}5678",
            "  010\u{3000}2345\u{3000}5678  ",
        ] {
            let p = MobilePhone::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
            assert_eq!(p.e164(), "+821023455678", "{raw}");
            assert_eq!(p.masked(), "010-****-5678");
            assert_eq!(p.formatted(), "010-2345-5678");
        }
    }

    #[test]
    fn only_010_mobile_numbers_are_accepted() {
        for raw in [
            "",
            "011-234-5678",
            "016-2345-5678",
            "010-0123-4567",
            "010-1234-5678",
            "010-2345-5678-9",
            "010-123-4567",
            "02-123-4567",
            "+1 010 2345 5678",
            "+82+1023455678",
            "010-2345-567O",
            "1023455678",
            "phone",
        ] {
            let e = MobilePhone::parse(raw).unwrap_err();
            assert_eq!(e.field, "phone");
            assert!(e.message().contains("010으로 시작하는 11자리"), "{raw}");
        }
        let p = MobilePhone::parse("010-2345-5678").unwrap();
        assert!(!format!("{p:?}").contains("2345"));
        assert_eq!(MobilePhone::from_e164(&p.e164()), Some(p));
    }

    #[test]
    fn names_are_trimmed_bounded_and_masked_one_way() {
        assert_eq!(EntrantName::parse("  홍길동 ").unwrap().masked(), "홍*동");
        assert_eq!(EntrantName::parse("김봄").unwrap().masked(), "김*");
        assert_eq!(EntrantName::parse("남궁민수").unwrap().masked(), "남**수");
        assert_eq!(EntrantName::parse("이").unwrap().masked(), "*");
        assert_eq!(
            EntrantName::parse("John   Smith").unwrap().as_str(),
            "John Smith"
        );
        assert!(EntrantName::parse("   ").is_err());
        assert!(EntrantName::parse("1234").is_err());
        assert!(EntrantName::parse(&"가".repeat(31)).is_err());
        assert!(EntrantName::parse("홍\u{0}동").is_err());
        let n = EntrantName::parse("홍길동").unwrap();
        assert!(!format!("{n:?}").contains("길"));
    }

    #[test]
    fn receipts_are_ten_crockford_characters_read_forgivingly() {
        let r = Receipt::generate();
        assert_eq!(r.as_str().len(), Receipt::LEN);
        assert!(r.as_str().bytes().all(|b| CROCKFORD.contains(&b)));
        assert_ne!(Receipt::generate(), r);
        assert_eq!(
            Receipt::parse("abcde-fghjk").unwrap().as_str(),
            "ABCDEFGHJK"
        );
        assert_eq!(Receipt::parse("o1il0O1IL0").unwrap().as_str(), "0111001110");
        for bad in ["", "ABCDEFGHJ", "ABCDEFGHJKM", "ABCDEFGHJU", "가BCDEFGHJK"] {
            assert!(Receipt::parse(bad).is_err(), "{bad}");
        }
    }
}
