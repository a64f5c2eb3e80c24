//! The offer as it is said aloud (the ringback-tone ad is read to callers): whole spoken
//! sentences, no "+", no parentheses, small counts in native numbers ("다섯 분께").

use super::{Benefit, Mechanic};
use crate::domain::korean::{Particle, with};

/// "한", "두", … "열" before a counter (분, 개); digits beyond ten.
fn native(n: u32) -> String {
    const WORDS: [&str; 10] = [
        "한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉", "열",
    ];
    match n {
        1..=10 => WORDS[n as usize - 1].to_owned(),
        _ => n.to_string(),
    }
}

impl Mechanic {
    /// One spoken sentence of what the customer gets and how ("…하시면 …을 드려요."); a
    /// giveaway names its prize (`prize`, the event's own words).
    pub fn spoken(&self, prize: &str) -> String {
        match self {
            Mechanic::Coupon { benefit, .. } => {
                format!("매장에서 쿠폰을 보여 주시면 {}.", spoken_given(benefit))
            }
            Mechanic::TimeSale {
                benefit, window, ..
            } => {
                format!("{}에 오시면 {}.", window.short(), spoken_given(benefit))
            }
            Mechanic::StampCard { goal, reward, .. } => format!(
                "오실 때마다 스탬프를 찍어 드리고, {} 개를 모으시면 {}.",
                native(u32::from(*goal)),
                spoken_given(reward)
            ),
            Mechanic::Referral { friend, .. } => format!(
                "친구를 초대해 함께 오시면 친구분께 {}.",
                spoken_given(friend)
            ),
            Mechanic::PhotoReview { reward, .. } => {
                format!("사진 후기를 올려 주시면 {}.", spoken_given(reward))
            }
            Mechanic::Giveaway { winners } => {
                let who = match *winners {
                    n @ 1..=10 => format!("{} 분", native(n)),
                    n => format!("{n}명"),
                };
                match without_count(&speakable(prize)) {
                    p if p.is_empty() => format!("응모하시면 {who}을 뽑아 선물을 드려요."),
                    p => format!(
                        "응모하시면 {who}을 뽑아 {} 드려요.",
                        with(&p, Particle::Eul)
                    ),
                }
            }
        }
    }
}

/// "… 드려요" for gifts, "… 해 드려요" for discounts: the polite spoken form.
fn spoken_given(b: &Benefit) -> String {
    b.given().replace("드립니다", "드려요")
}

/// A prize in words that can be read aloud: "1+1" as it is said (원 플러스 원); what follows
/// another "+" or sits in parentheses is left out.
pub fn speakable(prize: &str) -> String {
    let said = prize
        .replace("1+1", "원 플러스 원")
        .replace("2+1", "투 플러스 원");
    let first = said.split('+').next().unwrap_or(&said);
    let mut out = String::new();
    let mut depth = 0;
    for c in first.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = (depth - 1).max(0),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A giveaway's prize as said after its count ("다섯 분을 뽑아 …"): a leading "추첨 5명" or "5명"
/// is heard once, not twice.
fn without_count(prize: &str) -> String {
    let count = |w: &str| {
        let digits = w.trim_end_matches('명');
        digits.len() < w.len() && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
    };
    let mut words: Vec<&str> = prize.split_whitespace().collect();
    if words.len() > 2 && words[0] == "추첨" && count(words[1]) {
        words.drain(..2);
    } else if words.len() > 1 && count(words[0]) {
        words.remove(0);
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offers_are_said_as_sentences() {
        let giveaway = Mechanic::Giveaway { winners: 5 };
        assert_eq!(
            giveaway.spoken("10만원 시술 이용권 (1인 1회) + 샴푸 증정"),
            "응모하시면 다섯 분을 뽑아 10만원 시술 이용권을 드려요."
        );
        assert_eq!(speakable("유자차 1+1 쿠폰"), "유자차 원 플러스 원 쿠폰");
        assert_eq!(
            giveaway.spoken("추첨 5명 3만원 카페 이용권"),
            "응모하시면 다섯 분을 뽑아 3만원 카페 이용권을 드려요."
        );
        // Elsewhere the count was not said: it stays; "30분" is minutes.
        assert_eq!(
            speakable("선착순 100명 아메리카노"),
            "선착순 100명 아메리카노"
        );
        assert_eq!(without_count("30분 두피 마사지"), "30분 두피 마사지");
        assert_eq!(
            without_count("5명"),
            "5명",
            "a prize that is only a count stays"
        );
        let many = Mechanic::Giveaway { winners: 15 };
        assert_eq!(
            many.spoken("(비공개)"),
            "응모하시면 15명을 뽑아 선물을 드려요."
        );
        let stamps = Mechanic::StampCard {
            goal: 5,
            reward: Benefit::Item {
                name: "아메리카노 1잔".into(),
                value: 1500,
            },
            min_gap_hours: 3,
            cap: None,
            validity: super::super::Validity::Days { days: 60 },
        };
        assert_eq!(
            stamps.spoken(""),
            "오실 때마다 스탬프를 찍어 드리고, 다섯 개를 모으시면 아메리카노 1잔을 드려요."
        );
    }
}
