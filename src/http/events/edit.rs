//! The editable fields of an event as request bodies: absent keeps a field, `null` clears it.

use crate::domain::event::{
    Change, parse_budget, parse_date, parse_description, parse_event_name, parse_prize,
    parse_prize_value,
};
use crate::domain::{EventEdit, FieldError};

/// Declares a request body holding the editable fields of an event (absent keeps a field,
/// `null` clears it) after the body's own fields, and reads it as an `EventEdit`. One list for
/// `PUT /api/events/{eventId}` and for selecting a plan, which adds the plan's id.
macro_rules! event_edit_request {
    ($(#[$meta:meta])* pub struct $name:ident { $($own:tt)* }) => {
        $(#[$meta])*
        #[derive(Debug, Deserialize, ToSchema)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        pub struct $name {
            $($own)*
            #[serde(default, deserialize_with = "nullable")]
            #[schema(value_type = Option<String>, nullable, example = "봄맞이 첫 방문 20% 할인")]
            pub name: Option<Option<String>>,
            #[serde(default, deserialize_with = "nullable")]
            #[schema(value_type = Option<String>, nullable)]
            pub description: Option<Option<String>>,
            #[serde(default, deserialize_with = "nullable")]
            #[schema(value_type = Option<String>, nullable)]
            pub prize: Option<Option<String>>,
            /// KRW per prize, 0 or more (above 50,000 it is taxed; the draw says how).
            #[serde(default, deserialize_with = "nullable")]
            #[schema(value_type = Option<i64>, nullable, example = 30000)]
            pub prize_value: Option<Option<i64>>,
            /// KRW, 0 or more.
            #[serde(default, deserialize_with = "nullable")]
            #[schema(value_type = Option<i64>, nullable)]
            pub budget: Option<Option<i64>>,
            /// `YYYY-MM-DD`.
            #[serde(default, deserialize_with = "nullable")]
            #[schema(value_type = Option<String>, nullable, example = "2026-12-01")]
            pub start_date: Option<Option<String>>,
            #[serde(default, deserialize_with = "nullable")]
            #[schema(value_type = Option<String>, nullable, example = "2026-12-31")]
            pub end_date: Option<Option<String>>,
        }

        impl $name {
            /// The edit this body asks for, every value parsed.
            pub fn edit(&self) -> Result<EventEdit, FieldError> {
                $crate::http::events::edit_of(
                    self.name.clone(),
                    self.description.clone(),
                    self.prize.clone(),
                    self.prize_value,
                    self.budget,
                    self.start_date.clone(),
                    self.end_date.clone(),
                )
            }
        }
    };
}
pub(crate) use event_edit_request;

fn change<T, R>(
    v: Option<Option<R>>,
    parse: impl FnOnce(R) -> Result<T, FieldError>,
) -> Result<Change<T>, FieldError> {
    Ok(match v {
        None => Change::Keep,
        Some(None) => Change::Clear,
        Some(Some(raw)) => Change::Set(parse(raw)?),
    })
}

type Field<T> = Option<Option<T>>;

pub(crate) fn edit_of(
    name: Field<String>,
    description: Field<String>,
    prize: Field<String>,
    prize_value: Field<i64>,
    budget: Field<i64>,
    start_date: Field<String>,
    end_date: Field<String>,
) -> Result<EventEdit, FieldError> {
    Ok(EventEdit {
        name: change(name, |v| parse_event_name(&v))?,
        description: change(description, |v| parse_description(&v))?,
        prize: change(prize, |v| parse_prize(&v))?,
        prize_value: change(prize_value, parse_prize_value)?,
        budget: change(budget, parse_budget)?,
        start_date: change(start_date, |v| parse_date("startDate", &v))?,
        end_date: change(end_date, |v| parse_date("endDate", &v))?,
    })
}
