//! Reads variables one by one, recording every problem instead of stopping at the first, so that
//! start-up can name them all at once.

use std::fmt;

use crate::domain::korean::{Particle, with};

pub(super) struct Reader<'a> {
    get: &'a dyn Fn(&str) -> Option<String>,
    pub(super) problems: Vec<String>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(get: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Self {
            get,
            problems: Vec::new(),
        }
    }

    /// The trimmed value, `None` when unset or blank.
    pub(super) fn raw(&self, name: &str) -> Option<String> {
        (self.get)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// Records "`name`은/는 `must`".
    pub(super) fn problem(&mut self, name: &str, must: &str) {
        self.problems
            .push(format!("{} {must}", with(name, Particle::Eun)));
    }

    pub(super) fn number<T: std::str::FromStr + PartialOrd + fmt::Display + Copy>(
        &mut self,
        name: &str,
        default: T,
        min: T,
        max: T,
    ) -> T {
        let Some(raw) = self.raw(name) else {
            return default;
        };
        match raw.parse::<T>() {
            Ok(v) if v >= min && v <= max => v,
            _ => {
                self.problem(name, &format!("{min} 이상 {max} 이하의 정수여야 합니다"));
                default
            }
        }
    }

    pub(super) fn flag(&mut self, name: &str, default: bool) -> bool {
        match self.raw(name).map(|v| v.to_ascii_lowercase()).as_deref() {
            None => default,
            Some("true" | "1") => true,
            Some("false" | "0") => false,
            Some(_) => {
                self.problem(name, "true 또는 false여야 합니다");
                default
            }
        }
    }

    /// An `http(s)://` URL, or a problem.
    pub(super) fn url(&mut self, name: &str) -> Option<url::Url> {
        let raw = self.raw(name)?;
        match url::Url::parse(&raw) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && !u.cannot_be_a_base() => Some(u),
            _ => {
                self.problem(name, "http(s):// URL이어야 합니다");
                None
            }
        }
    }

    /// All of `names` or none of them; a problem naming them all when only some are set.
    pub(super) fn all_or_none<const N: usize>(
        &mut self,
        names: [&str; N],
        purpose: &str,
    ) -> Option<[String; N]> {
        let values = names.map(|n| self.raw(n));
        if values.iter().all(Option::is_none) {
            return None;
        }
        if values.iter().all(Option::is_some) {
            return Some(values.map(Option::unwrap_or_default));
        }
        let listed = with(&names.join(", "), Particle::Eul);
        self.problems
            .push(format!("{purpose} {listed} 모두 설정해야 합니다"));
        None
    }
}
