//! The editable fields of an event as request bodies: absent keeps a field, `null` clears it
//! (read by `domain::event::EditFields`, as the console's form is).

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
            pub fn edit(&self) -> Result<EventEdit, $crate::app::AppError> {
                $crate::domain::event::EditFields {
                    name: self.name.clone(),
                    description: self.description.clone(),
                    prize: self.prize.clone(),
                    prize_value: self.prize_value,
                    budget: self.budget,
                    start_date: self.start_date.clone(),
                    end_date: self.end_date.clone(),
                }
                .parse()
                .map_err($crate::app::AppError::fields)
            }
        }
    };
}
pub(crate) use event_edit_request;
