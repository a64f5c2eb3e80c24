//! An event's editable fields as a client sends them, read into an `EventEdit`: absent keeps a
//! field, empty (`null`) clears it. One reading for the API's bodies and the console's form.

use super::{
    Change, EventEdit, parse_budget, parse_date, parse_description, parse_event_name, parse_prize,
    parse_prize_value,
};
use crate::domain::FieldError;

/// `None`: keep; `Some(None)`: clear; `Some(Some(v))`: set to `v`.
pub type Field<T> = Option<Option<T>>;

/// The editable fields, unparsed.
#[derive(Debug, Clone, Default)]
pub struct EditFields {
    pub name: Field<String>,
    pub description: Field<String>,
    pub prize: Field<String>,
    pub prize_value: Field<i64>,
    pub budget: Field<i64>,
    pub start_date: Field<String>,
    pub end_date: Field<String>,
}

fn change<T, R>(
    v: Field<R>,
    parse: impl FnOnce(R) -> Result<T, FieldError>,
) -> Result<Change<T>, FieldError> {
    Ok(match v {
        None => Change::Keep,
        Some(None) => Change::Clear,
        Some(Some(raw)) => Change::Set(parse(raw)?),
    })
}

/// The parsed change, or `Keep` with its problem noted.
fn kept<T>(r: Result<Change<T>, FieldError>, problems: &mut Vec<FieldError>) -> Change<T> {
    r.unwrap_or_else(|e| {
        problems.push(e);
        Change::Keep
    })
}

impl EditFields {
    /// The edit these fields ask for, every value parsed; or every problem at once (a form shows
    /// them all, next to their fields, after one submit).
    pub fn parse(self) -> Result<EventEdit, Vec<FieldError>> {
        let p = &mut Vec::new();
        let edit = EventEdit {
            name: kept(change(self.name, |v| parse_event_name(&v)), p),
            description: kept(change(self.description, |v| parse_description(&v)), p),
            prize: kept(change(self.prize, |v| parse_prize(&v)), p),
            prize_value: kept(change(self.prize_value, parse_prize_value), p),
            budget: kept(change(self.budget, parse_budget), p),
            start_date: kept(change(self.start_date, |v| parse_date("startDate", &v)), p),
            end_date: kept(change(self.end_date, |v| parse_date("endDate", &v)), p),
            mechanic: Change::Keep,
        };
        match p.is_empty() {
            true => Ok(edit),
            false => Err(std::mem::take(p)),
        }
    }
}

/// What the posters step needs of the fields (they become the poster's title and period): a
/// name, and a start that is not already past. Every problem at once.
pub fn poster_problems(
    name: Option<&str>,
    start: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
) -> Vec<FieldError> {
    use crate::domain::FieldProblem::Rule;
    let mut problems = Vec::new();
    if name.is_none_or(|n| n.trim().is_empty()) {
        let sentence = "이벤트 이름을 적어 주세요. 포스터와 고객 페이지의 제목이 됩니다.";
        problems.push(FieldError::new("name", Rule { sentence }));
    }
    if start.is_some_and(|s| s < today) {
        let sentence = "시작일이 이미 지났습니다. 오늘이나 그 뒤의 날짜로 골라 주세요.";
        problems.push(FieldError::new("startDate", Rule { sentence }));
    }
    problems
}
