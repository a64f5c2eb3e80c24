//! The mechanic in Korean a customer reads: what they get, how many are given, until when, how
//! often and in which hours. Written from the data, so it always says what the counter does.

use chrono::NaiveDate;

use super::{Benefit, Mechanic, Unlock, Validity};
use crate::domain::entry::won;
use crate::domain::korean::{Particle, spoken_date, with};

impl Benefit {
    /// "결제 금액 20% 할인", "3,000원 할인", "아메리카노 1잔".
    pub fn said(&self) -> String {
        match self {
            Benefit::Percent { rate } => format!("결제 금액 {rate}% 할인"),
            Benefit::Amount { won: w } => format!("{}원 할인", won(*w)),
            Benefit::Item { name, .. } => name.clone(),
        }
    }

    /// What the shop gives up per use, when that is known (an amount, an item's cost price).
    pub fn cost(&self) -> Option<i64> {
        match self {
            Benefit::Percent { .. } => None,
            Benefit::Amount { won } => Some(*won),
            Benefit::Item { value, .. } => Some(*value),
        }
    }

    /// What the counter is asked to do: "결제 금액 20% 할인해 주세요", "아메리카노 1잔을 드려 주세요".
    pub fn asked(&self) -> String {
        match self {
            Benefit::Item { name, .. } => format!("{} 드려 주세요", with(name, Particle::Eul)),
            other => format!("{}해 주세요", other.said()),
        }
    }

    /// "… 드립니다" for gifts, "… 해 드립니다" for discounts.
    pub(super) fn given(&self) -> String {
        match self {
            Benefit::Item { name, .. } => format!("{} 드립니다", with(name, Particle::Eul)),
            other => format!("{}해 드립니다", other.said()),
        }
    }
}

impl Validity {
    /// "12월 31일까지", "받은 날부터 14일 동안".
    pub fn said(self, this_year: i32) -> String {
        match self {
            Validity::Until { date } => format!("{}까지", spoken_date(date, this_year)),
            Validity::Days { days } => format!("받은 날부터 {days}일 동안"),
        }
    }
}

fn cap_said(cap: Option<u32>) -> Option<String> {
    cap.map(|n| format!("선착순 {n}명까지 드립니다."))
}

/// "한 번", "3번".
fn times(uses: u8) -> String {
    if uses > 1 {
        format!("{uses}번")
    } else {
        "한 번".to_owned()
    }
}

impl Mechanic {
    /// The rules as sentences, in the order a customer wants them.
    pub fn terms(&self, today: NaiveDate) -> Vec<String> {
        let year = chrono::Datelike::year(&today);
        let valid = |v: Validity| v.said(year);
        let mut lines = Vec::new();
        match self {
            Mechanic::Coupon {
                benefit,
                cap,
                validity,
                uses,
            } => {
                lines.push(format!(
                    "참여하면 바로 쓸 수 있는 쿠폰으로 {}.",
                    benefit.given()
                ));
                lines.extend(cap_said(*cap));
                lines.push(format!(
                    "{} {} 쓸 수 있습니다.",
                    valid(*validity),
                    times(*uses)
                ));
            }
            Mechanic::TimeSale {
                benefit,
                cap,
                window,
                validity,
                uses,
            } => {
                lines.push(format!("{}에 오시면 {}.", window.short(), benefit.given()));
                lines.extend(cap_said(*cap));
                let when = format!(
                    "{} 그 시간에 {} 쓸 수 있습니다.",
                    valid(*validity),
                    times(*uses)
                );
                lines.push(when);
            }
            Mechanic::StampCard { cap, validity, .. } => {
                lines.push(self.stamp_rule());
                lines.extend(cap_said(*cap));
                lines.push(format!("스탬프는 {} 모을 수 있습니다.", valid(*validity)));
            }
            Mechanic::Referral { cap, validity, .. } => {
                lines.extend(self.referral_rules());
                lines.extend(cap_said(*cap));
                lines.push(format!("혜택은 {} 쓸 수 있습니다.", valid(*validity)));
            }
            Mechanic::PhotoReview { cap, validity, .. } => {
                lines.extend(self.review_rules());
                lines.extend(cap_said(*cap));
                lines.push(format!("혜택은 {} 쓸 수 있습니다.", valid(*validity)));
            }
            Mechanic::Giveaway { .. } => lines.push(self.draw_rule()),
        }
        lines
    }

    /// The draw's counts as the notice states them, fixed from publishing on.
    fn draw_rule(&self) -> String {
        let (winners, alternates) = self.draw_counts().unwrap_or_default();
        format!(
            "참여한 분 중 {winners}명을 추첨하고, 예비 당첨자 {alternates}명을 함께 뽑습니다. 당첨자에게는 추첨 후 {days}일 안에 연락드리며, 그때까지 연락이 닿지 않거나 경품을 받지 않겠다고 하시면 예비 당첨자에게 순서대로 넘어갑니다. 추첨은 누구나 다시 계산해 확인할 수 있습니다.",
            days = crate::domain::draw::CONTACT_DAYS
        )
    }

    fn stamp_rule(&self) -> String {
        let Mechanic::StampCard {
            goal,
            reward,
            min_gap_hours,
            ..
        } = self
        else {
            return String::new();
        };
        let gap = match *min_gap_hours {
            0 => String::new(),
            24 => "(하루에 한 번)".to_owned(),
            h if h % 24 == 0 => format!("({}일에 한 번)", h / 24),
            h => format!("({h}시간에 한 번)"),
        };
        format!(
            "방문할 때마다 스탬프를 하나씩 찍어 드리고{gap}, {goal}개를 모으면 {}.",
            reward.given()
        )
    }

    fn referral_rules(&self) -> Vec<String> {
        let Mechanic::Referral {
            inviter,
            friend,
            unlock,
            ..
        } = self
        else {
            return Vec::new();
        };
        let when = match unlock {
            Unlock::FriendJoined => "참여하면",
            Unlock::FriendRedeemed => "참여하고 처음 방문해 혜택을 쓰면",
        };
        vec![
            format!(
                "내 초대 링크로 친구가 {when} 친구는 {} 혜택을 받고, 초대한 분께는 친구 한 명마다 {}.",
                friend.said(),
                inviter.given()
            ),
            "내 번호로 나를 초대할 수는 없고, 친구 한 명은 한 번만 셉니다.".to_owned(),
        ]
    }

    fn review_rules(&self) -> Vec<String> {
        let Mechanic::PhotoReview {
            reward,
            sites,
            hashtag,
            ..
        } = self
        else {
            return Vec::new();
        };
        let sites = sites
            .iter()
            .map(|s| s.label())
            .collect::<Vec<_>>()
            .join(", ");
        vec![
            format!(
                "{sites}에 #{hashtag} 해시태그와 함께 사진 후기를 올리고 그 주소를 남겨 주시면, 확인한 뒤 {}.",
                reward.given()
            ),
            "혜택을 받고 쓰는 후기에는 글 첫머리에 \"매장에서 혜택을 받고 작성한 후기입니다\"처럼 밝혀 주세요(표시광고법)."
                .to_owned(),
        ]
    }

    /// One line for a card or a title: what the customer gets.
    pub fn headline(&self) -> String {
        match self {
            Mechanic::Coupon { benefit, .. } | Mechanic::TimeSale { benefit, .. } => benefit.said(),
            Mechanic::StampCard { goal, reward, .. } => {
                format!("스탬프 {goal}개 모으면 {}", reward.said())
            }
            Mechanic::Referral { friend, .. } => format!("친구 초대 시 {}", friend.said()),
            Mechanic::PhotoReview { reward, .. } => format!("사진 후기 남기면 {}", reward.said()),
            Mechanic::Giveaway { winners } => format!("추첨 {winners}명"),
        }
    }
}

impl Benefit {
    /// How a plan's prose states it, in the forms people write ("20%"; "2,000원" or "2000원");
    /// an item is named in the plan's own words, so it has none.
    fn stated_as(&self) -> Vec<String> {
        match self {
            Benefit::Percent { rate } => vec![format!("{rate}%")],
            Benefit::Amount { won: w } => vec![format!("{}원", won(*w)), format!("{w}원")],
            Benefit::Item { .. } => vec![],
        }
    }
}

impl Mechanic {
    /// The first of the mechanic's numbers a plan's description and prize (`text`) leave out:
    /// its benefits, a stamp card's goal, a time sale's hours, a giveaway's winners, a first-come
    /// cap. A plan whose
    /// prose promises other numbers than its data would tell the owner one thing and the
    /// customers another.
    pub fn unstated(&self, text: &str) -> Option<String> {
        let compact = text.replace(' ', "");
        let says = |forms: &[String]| forms.iter().any(|f| compact.contains(&f.replace(' ', "")));
        let counted = |n: u32, units: &[&str]| -> Vec<String> {
            units.iter().map(|u| format!("{n}{u}")).collect()
        };
        let mut wanted: Vec<Vec<String>> = match self {
            Mechanic::Coupon { benefit, .. } | Mechanic::TimeSale { benefit, .. } => {
                vec![benefit.stated_as()]
            }
            Mechanic::StampCard { goal, .. } => {
                vec![counted(u32::from(*goal), &["개", "회", "번", "잔", "장"])]
            }
            Mechanic::Referral {
                inviter, friend, ..
            } => vec![inviter.stated_as(), friend.stated_as()],
            Mechanic::PhotoReview { .. } => vec![],
            Mechanic::Giveaway { winners } => vec![counted(*winners, &["명"])],
        };
        if let Mechanic::TimeSale { window, .. } = self {
            wanted.push(vec![window.short(), window.said()]);
        }
        if let Some(cap) = self.cap() {
            let mut forms = counted(cap, &["명", "장", "건", "개", "분"]);
            forms.push(format!("선착순{cap}"));
            wanted.push(forms);
        }
        (wanted.into_iter())
            .filter(|forms| !forms.is_empty())
            .find(|forms| !says(forms))
            .map(|forms| forms[0].clone())
    }
}
