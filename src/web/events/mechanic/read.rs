//! Reading the mechanic's fields back from the form.

use chrono::NaiveDate;

use super::{BENEFIT, FRIEND, INVITER, REWARD, Values, code, site_code};
use crate::domain::FieldError;
use crate::domain::mechanic::{Benefit, Mechanic, ReviewSite, Unlock, Validity, Weekday, Window};

/// Reads the form's fields as a mechanic of the same kind as `was`; every field that does not
/// read is named (under its key).
struct Reader<'a> {
    v: Values<'a>,
    problems: Vec<(&'static str, String)>,
}

impl Reader<'_> {
    fn number<T: TryFrom<i64> + Default>(&mut self, key: &'static str) -> T {
        let raw = self.v.get(key).replace(',', "");
        match raw.parse::<i64>().ok().and_then(|n| T::try_from(n).ok()) {
            Some(n) => n,
            None => {
                self.problems.push((key, "숫자로 적어 주세요.".to_owned()));
                T::default()
            }
        }
    }

    fn optional(&mut self, key: &'static str) -> Option<u32> {
        (!self.v.get(key).is_empty()).then(|| self.number(key))
    }

    fn benefit(&mut self, keys: [&'static str; 3]) -> Benefit {
        let [kind, amount, name] = keys;
        match self.v.get(kind).as_str() {
            "PERCENT" => Benefit::Percent {
                rate: self.number(amount),
            },
            "AMOUNT" => Benefit::Amount {
                won: self.number(amount),
            },
            _ => Benefit::Item {
                name: self.v.get(name),
                value: self.number(amount),
            },
        }
    }

    fn validity(&mut self) -> Validity {
        let days = self.v.get("m.days");
        if !days.is_empty() {
            return Validity::Days {
                days: self.number("m.days"),
            };
        }
        match NaiveDate::parse_from_str(&self.v.get("m.until"), "%Y-%m-%d") {
            Ok(date) => Validity::Until { date },
            Err(_) => {
                let why = "사용 기한 날짜나 받은 날부터 며칠인지 적어 주세요.";
                self.problems.push(("m.until", why.to_owned()));
                Validity::Days { days: 0 }
            }
        }
    }

    fn window(&mut self) -> Window {
        let days = (self.v.all("m.days.week").iter())
            .filter_map(|d| Weekday::ALL.into_iter().find(|w| code(*w) == d))
            .collect();
        Window {
            days,
            from_hour: self.number("m.fromHour"),
            to_hour: self.number("m.toHour"),
        }
    }
}

/// The mechanic the form asks for (of `was`'s kind), or each field's problem.
pub fn read(
    was: &Mechanic,
    values: &[(String, String)],
) -> Result<Mechanic, Vec<(&'static str, String)>> {
    let mut r = Reader {
        v: Values(values),
        problems: Vec::new(),
    };
    let m = match was {
        Mechanic::Coupon { .. } => Mechanic::Coupon {
            benefit: r.benefit(BENEFIT),
            cap: r.optional("m.cap"),
            validity: r.validity(),
            uses: r.number("m.uses"),
        },
        Mechanic::TimeSale { .. } => Mechanic::TimeSale {
            benefit: r.benefit(BENEFIT),
            cap: r.optional("m.cap"),
            window: r.window(),
            validity: r.validity(),
            uses: r.number("m.uses"),
        },
        Mechanic::StampCard { .. } => Mechanic::StampCard {
            goal: r.number("m.goal"),
            reward: r.benefit(REWARD),
            min_gap_hours: r.number("m.minGapHours"),
            cap: r.optional("m.cap"),
            validity: r.validity(),
        },
        Mechanic::Referral { .. } => Mechanic::Referral {
            inviter: r.benefit(INVITER),
            friend: r.benefit(FRIEND),
            unlock: match r.v.get("m.unlock").as_str() {
                "FRIEND_JOINED" => Unlock::FriendJoined,
                _ => Unlock::FriendRedeemed,
            },
            cap: r.optional("m.cap"),
            validity: r.validity(),
        },
        Mechanic::PhotoReview { .. } => Mechanic::PhotoReview {
            reward: r.benefit(REWARD),
            sites: (ReviewSite::ALL.into_iter())
                .filter(|s| r.v.all("m.sites").iter().any(|v| v == site_code(*s)))
                .collect(),
            hashtag: r.v.get("m.hashtag").trim_start_matches('#').to_owned(),
            cap: r.optional("m.cap"),
            validity: r.validity(),
        },
        Mechanic::Giveaway { .. } => Mechanic::Giveaway {
            winners: r.number("m.winners"),
        },
    };
    if r.problems.is_empty() {
        Ok(m)
    } else {
        Err(r.problems)
    }
}

/// The form key a domain field of the mechanic is shown under.
pub fn key_of(e: &FieldError) -> &'static str {
    match e.field {
        "benefit.rate" | "benefit.won" | "benefit.value" => "m.benefit.amount",
        "benefit.name" => "m.benefit.name",
        "reward.rate" | "reward.won" | "reward.value" => "m.reward.amount",
        "reward.name" => "m.reward.name",
        "inviter.rate" | "inviter.won" | "inviter.value" => "m.inviter.amount",
        "friend.rate" | "friend.won" | "friend.value" => "m.friend.amount",
        "validity.days" => "m.days",
        "validity.date" => "m.until",
        "window.days" => "m.days.week",
        "window.fromHour" => "m.fromHour",
        "window.toHour" => "m.toHour",
        "cap" => "m.cap",
        "uses" => "m.uses",
        "goal" => "m.goal",
        "minGapHours" => "m.minGapHours",
        "sites" => "m.sites",
        "hashtag" => "m.hashtag",
        "winners" => "m.winners",
        _ => "general",
    }
}
