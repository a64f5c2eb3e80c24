//! The owner's objective for an event. Requests may use the code or the Korean label.

use std::fmt;

use super::field::{FieldError, FieldProblem};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Objective {
    NewCustomers,
    Revisit,
    Sales,
    Awareness,
}

pub const ALLOWED_OBJECTIVES: &str =
    "NEW_CUSTOMERS(신규 고객 유치), REVISIT(재방문 유도), SALES(매출 증대), AWARENESS(인지도 향상)";

impl Objective {
    pub const ALL: [Objective; 4] = [
        Objective::NewCustomers,
        Objective::Revisit,
        Objective::Sales,
        Objective::Awareness,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Objective::NewCustomers => "NEW_CUSTOMERS",
            Objective::Revisit => "REVISIT",
            Objective::Sales => "SALES",
            Objective::Awareness => "AWARENESS",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Objective::NewCustomers => "신규 고객 유치",
            Objective::Revisit => "재방문 유도",
            Objective::Sales => "매출 증대",
            Objective::Awareness => "인지도 향상",
        }
    }

    /// Accepts the code (any case) or the Korean label (spaces ignored).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let wanted = raw.trim();
        let squashed: String = wanted.chars().filter(|c| !c.is_whitespace()).collect();
        Self::ALL
            .into_iter()
            .find(|o| {
                o.code().eq_ignore_ascii_case(wanted) || o.label().replace(' ', "") == squashed
            })
            .ok_or(FieldError::new(
                "objective",
                FieldProblem::UnknownValue {
                    allowed: ALLOWED_OBJECTIVES,
                },
            ))
    }

    /// Reads the stored code back; the database only ever holds codes written by `code()`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }
}

impl fmt::Display for Objective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_codes_and_korean_labels() {
        assert_eq!(
            Objective::parse("NEW_CUSTOMERS").unwrap(),
            Objective::NewCustomers
        );
        assert_eq!(
            Objective::parse("new_customers").unwrap(),
            Objective::NewCustomers
        );
        assert_eq!(
            Objective::parse("신규 고객 유치").unwrap(),
            Objective::NewCustomers
        );
        assert_eq!(
            Objective::parse("신규고객유치").unwrap(),
            Objective::NewCustomers
        );
        assert_eq!(
            Objective::parse(" 재방문 유도 ").unwrap(),
            Objective::Revisit
        );
        assert_eq!(Objective::parse("매출 증대").unwrap(), Objective::Sales);
        assert_eq!(
            Objective::parse("인지도 향상").unwrap(),
            Objective::Awareness
        );
    }

    #[test]
    fn refuses_anything_else() {
        for bad in ["", "매출", "GROWTH", "NEW CUSTOMERS"] {
            assert!(Objective::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for o in Objective::ALL {
            assert_eq!(Objective::from_code(o.code()), Some(o));
        }
    }
}
