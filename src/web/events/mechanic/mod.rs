//! The promotion's mechanic in the customise form: its fields, shown by kind (what the
//! customer gets, how many first come, until when, hours, stamps, friends, reviews, winners),
//! and read back — every problem at once, each under its field. The kind stays the plan's.

mod fields;
mod read;

pub use fields::{fields, refill};
pub use read::{key_of, read};

use crate::domain::mechanic::{ReviewSite, Weekday};

/// One field of the mechanic's part of the form.
#[derive(Clone)]
pub struct MechanicField {
    pub key: &'static str,
    pub label: &'static str,
    /// `number`, `text`, `date`, `select` or `checks`.
    pub kind: &'static str,
    pub value: String,
    /// For `select` and `checks`: (value, label, chosen).
    pub options: Vec<(&'static str, &'static str, bool)>,
}

const BENEFIT: [&str; 3] = ["m.benefit.kind", "m.benefit.amount", "m.benefit.name"];
const REWARD: [&str; 3] = ["m.reward.kind", "m.reward.amount", "m.reward.name"];
const INVITER: [&str; 3] = ["m.inviter.kind", "m.inviter.amount", "m.inviter.name"];
const FRIEND: [&str; 3] = ["m.friend.kind", "m.friend.amount", "m.friend.name"];

fn code(w: Weekday) -> &'static str {
    ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"][w as usize]
}

fn site_code(s: ReviewSite) -> &'static str {
    match s {
        ReviewSite::Instagram => "INSTAGRAM",
        ReviewSite::NaverBlog => "NAVER_BLOG",
        ReviewSite::NaverPlace => "NAVER_PLACE",
    }
}

/// The form's values, by key.
pub struct Values<'a>(pub &'a [(String, String)]);

impl Values<'_> {
    fn get(&self, key: &str) -> String {
        (self.0.iter().find(|(k, _)| k == key))
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    }

    fn all(&self, key: &str) -> Vec<String> {
        (self.0.iter())
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }
}
