//! The typed error every parser in `domain` returns: which field, and what is wrong with it.

use std::fmt;

/// What is wrong with a field. The Korean message is derived from it in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldProblem {
    Missing,
    Empty,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    InvalidFormat {
        expected: &'static str,
    },
    OutOfRange {
        min: i64,
        max: i64,
    },
    UnknownValue {
        allowed: &'static str,
    },
    Weak {
        rule: &'static str,
    },
    /// A rule explained in a whole sentence (for customers, who never see field names).
    Rule {
        sentence: &'static str,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub problem: FieldProblem,
}

impl FieldError {
    pub fn new(field: &'static str, problem: FieldProblem) -> Self {
        Self { field, problem }
    }

    /// A Korean sentence an owner can act on. Never echoes the submitted value.
    pub fn message(&self) -> String {
        let f = self.field;
        match &self.problem {
            FieldProblem::Missing => format!("{f} 값이 필요합니다."),
            FieldProblem::Empty => format!("{f} 값이 비어 있습니다."),
            FieldProblem::TooShort { min } => format!("{f} 값은 {min}자 이상이어야 합니다."),
            FieldProblem::TooLong { max } => format!("{f} 값은 {max}자 이하여야 합니다."),
            FieldProblem::InvalidFormat { expected } => {
                format!("{f} 형식이 올바르지 않습니다. ({expected})")
            }
            FieldProblem::OutOfRange { min, max } => {
                format!("{f} 값은 {min} 이상 {max} 이하여야 합니다.")
            }
            FieldProblem::UnknownValue { allowed } => {
                format!("{f} 값을 알 수 없습니다. 허용 값: {allowed}")
            }
            FieldProblem::Weak { rule } => format!("{f} 값이 너무 약합니다. ({rule})"),
            FieldProblem::Rule { sentence } => (*sentence).to_owned(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for FieldError {}

/// A client's own key for one request (an entry, a redemption), so that a retry after a lost
/// answer gets the original answer: 1–200 visible ASCII characters. One rule for every door.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let k = raw.trim();
        if (1..=200).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) {
            return Ok(Self(k.to_owned()));
        }
        Err(FieldError::new(
            "Idempotency-Key",
            FieldProblem::InvalidFormat {
                expected: "1~200자의 영문, 숫자, 기호",
            },
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Trims and checks a free-text field's length in characters (not bytes: Hangul is 3 bytes).
pub fn text(field: &'static str, raw: &str, max: usize) -> Result<String, FieldError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(field, FieldProblem::Empty));
    }
    if trimmed.chars().count() > max {
        return Err(FieldError::new(field, FieldProblem::TooLong { max }));
    }
    if trimmed
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\r' && c != '\t') || is_hidden_format(c))
    {
        return Err(FieldError::new(
            field,
            FieldProblem::InvalidFormat {
                expected: "제어 문자를 포함할 수 없음",
            },
        ));
    }
    Ok(trimmed.to_owned())
}

/// Invisible characters that change how text around them is shown: the bidirectional controls
/// (U+202E makes "홍길동" display reversed in the console and the CSV), zero-width spaces and the
/// byte-order mark. The zero-width joiners stay: emoji sequences need them.
pub fn is_hidden_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_direction_controls_are_refused_and_emoji_kept() {
        for hidden in [
            "홍\u{202E}길동",
            "김\u{2067}철수",
            "이\u{200B}영희",
            "\u{FEFF}박",
        ] {
            assert!(text("name", hidden, 50).is_err(), "{hidden:?}");
        }
        assert!(text("name", "가족 👨\u{200D}👩\u{200D}👧 이벤트", 50).is_ok());
    }

    #[test]
    fn text_trims_and_counts_characters_not_bytes() {
        assert_eq!(text("name", "  카페  ", 2).unwrap(), "카페");
        assert_eq!(
            text("name", "카페라", 2).unwrap_err().problem,
            FieldProblem::TooLong { max: 2 }
        );
        assert_eq!(
            text("name", "   ", 2).unwrap_err().problem,
            FieldProblem::Empty
        );
        assert!(text("name", "a\u{0}b", 10).is_err());
    }

    #[test]
    fn messages_are_korean_and_name_the_field() {
        let m = FieldError::new("email", FieldProblem::Missing).message();
        assert_eq!(m, "email 값이 필요합니다.");
    }
}
