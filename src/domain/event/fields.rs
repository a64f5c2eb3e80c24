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

impl EditFields {
    /// The edit these fields ask for, every value parsed.
    pub fn parse(self) -> Result<EventEdit, FieldError> {
        Ok(EventEdit {
            name: change(self.name, |v| parse_event_name(&v))?,
            description: change(self.description, |v| parse_description(&v))?,
            prize: change(self.prize, |v| parse_prize(&v))?,
            prize_value: change(self.prize_value, parse_prize_value)?,
            budget: change(self.budget, parse_budget)?,
            start_date: change(self.start_date, |v| parse_date("startDate", &v))?,
            end_date: change(self.end_date, |v| parse_date("endDate", &v))?,
            mechanic: Change::Keep,
        })
    }
}
