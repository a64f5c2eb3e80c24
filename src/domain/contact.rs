//! The shop's phone, as customers call it (the event page's 문의처): a landline (02, the area
//! codes, 070), a mobile, or a 15xx/16xx/18xx business number, written the usual way.

use super::{FieldError, FieldProblem};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopPhone(String);

impl ShopPhone {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let bad = || {
            FieldError::new(
                "shopPhone",
                FieldProblem::InvalidFormat {
                    expected: "02-123-4567, 031-123-4567, 1588-1234",
                },
            )
        };
        let mut d = String::new();
        for c in raw.trim().chars() {
            match c {
                '0'..='9' => d.push(c),
                '-' | ' ' | '.' | '(' | ')' => {}
                _ => return Err(bad()),
            }
        }
        let split = |area: usize| {
            let rest = &d[area..];
            let mid = rest.len() - 4;
            format!("{}-{}-{}", &d[..area], &rest[..mid], &rest[mid..])
        };
        let formatted = match (d.len(), d.as_bytes()) {
            (9 | 10, [b'0', b'2', ..]) => split(2),
            (11 | 12, [b'0', b'5', b'0', ..]) => split(4),
            (10 | 11, [b'0', b'1' | b'3'..=b'7', ..]) => split(3),
            (8, [b'1', b'5' | b'6' | b'8', ..]) => format!("{}-{}", &d[..4], &d[4..]),
            _ => return Err(bad()),
        };
        Ok(Self(formatted))
    }

    pub fn from_trusted(s: String) -> Self {
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::ShopPhone;

    #[test]
    fn shop_phones_are_written_the_usual_way() {
        for (raw, want) in [
            ("0212345678", "02-1234-5678"),
            ("02-123-4567", "02-123-4567"),
            ("031 123 4567", "031-123-4567"),
            ("070-1234-5678", "070-1234-5678"),
            ("010.2345.6789", "010-2345-6789"),
            ("1588-1234", "1588-1234"),
            ("0505-123-4567", "0505-123-4567"),
        ] {
            assert_eq!(ShopPhone::parse(raw).unwrap().as_str(), want, "{raw}");
        }
        for bad in ["123", "02-12", "+82 2 123 4567", "080-abc", "0901234567"] {
            assert!(ShopPhone::parse(bad).is_err(), "{bad}");
        }
    }
}
