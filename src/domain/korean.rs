//! Korean particles chosen by the sound a word ends in, never hedged ("을(를)"), and dates read
//! the way Koreans say them.
//!
//! A word ends in a final consonant (받침) or not. Digits are read as Sino-Korean numbers
//! ("3" 삼, "10" 십, "2026" 이천이십육), Latin letters by their Korean names ("SNS" 에스엔에스,
//! "URL" 유알엘), and closing brackets, quotes and punctuation are skipped: "카페(서울)" ends in
//! "울"; "%" is read 퍼센트 ("20%가"). 으로/로 also treats ㄹ as no final consonant ("서울로",
//! "연필로").

use chrono::{Datelike, NaiveDate};

/// The particles that change with the preceding sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Particle {
    /// 을 / 를 (object)
    Eul,
    /// 이 / 가 (subject)
    I,
    /// 은 / 는 (topic)
    Eun,
    /// 과 / 와 (and, with)
    Gwa,
    /// 으로 / 로 (by, to)
    Euro,
    /// 이에요 / 예요 (is)
    Ieyo,
    /// 이라는 / 라는 (called)
    Iraneun,
}

/// How a word ends, as far as particles care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    Vowel,
    /// A final consonant other than ㄹ.
    Consonant,
    /// The final consonant ㄹ (takes 로, not 으로).
    Rieul,
}

/// `word` followed by the right form of `particle`: `with("카페", Particle::Eul)` is "카페를".
pub fn with(word: &str, particle: Particle) -> String {
    format!("{word}{}", particle_for(word, particle))
}

/// Only the particle, for `word`.
pub fn particle_for(word: &str, particle: Particle) -> &'static str {
    let ending = ending(word);
    let consonant = ending != Ending::Vowel;
    match particle {
        Particle::Eul => pick(consonant, "을", "를"),
        Particle::I => pick(consonant, "이", "가"),
        Particle::Eun => pick(consonant, "은", "는"),
        Particle::Gwa => pick(consonant, "과", "와"),
        Particle::Euro => pick(ending == Ending::Consonant, "으로", "로"),
        Particle::Ieyo => pick(consonant, "이에요", "예요"),
        Particle::Iraneun => pick(consonant, "이라는", "라는"),
    }
}

fn pick(consonant: bool, after_consonant: &'static str, after_vowel: &'static str) -> &'static str {
    if consonant {
        after_consonant
    } else {
        after_vowel
    }
}

fn ending(word: &str) -> Ending {
    let trimmed = word.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '%');
    if trimmed.ends_with('%') {
        return Ending::Vowel; // 퍼센트
    }
    let Some(last) = trimmed.chars().last() else {
        return Ending::Vowel;
    };
    if let Some(jong) = hangul_final(last) {
        return match jong {
            0 => Ending::Vowel,
            8 => Ending::Rieul,
            _ => Ending::Consonant,
        };
    }
    if last.is_ascii_digit() {
        return number_ending(trimmed);
    }
    if last.is_ascii_alphabetic() {
        return letter_ending(last);
    }
    Ending::Vowel
}

/// The index of a Hangul syllable's final consonant (0 = none, 8 = ㄹ).
fn hangul_final(c: char) -> Option<u32> {
    let code = u32::from(c);
    (0xAC00..=0xD7A3)
        .contains(&code)
        .then(|| (code - 0xAC00) % 28)
}

/// A number is read by its last non-zero digit, or by the unit its trailing zeros make.
fn number_ending(word: &str) -> Ending {
    let digits: String = word
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    let zeros = digits.chars().take_while(|&c| c == '0').count();
    if zeros == digits.len() {
        return Ending::Consonant; // 영
    }
    match zeros {
        // 십 (10), 백, 천, 만, 십만, 백만, 천만, 억, 십억, 백억, 천억
        1..=11 => Ending::Consonant,
        // 조 (10^12)
        12 => Ending::Vowel,
        _ if zeros > 0 => Ending::Consonant,
        _ => match digits.chars().next() {
            Some('1' | '7' | '8') => Ending::Rieul, // 일, 칠, 팔
            Some('3' | '6') => Ending::Consonant,   // 삼, 육
            _ => Ending::Vowel,                     // 이, 사, 오, 구
        },
    }
}

/// Latin letters by their Korean names: only 엘 (L), 알 (R), 엠 (M) and 엔 (N) end in a
/// consonant.
fn letter_ending(c: char) -> Ending {
    match c.to_ascii_uppercase() {
        'L' | 'R' => Ending::Rieul,
        'M' | 'N' => Ending::Consonant,
        _ => Ending::Vowel,
    }
}

/// "12월 25일": a date as it is said (the year only when it is not `this_year`).
/// `text` followed by `word`, unless it already ends with it: "크리스마스 경품 추첨" stays, and
/// does not become "…추첨 추첨".
pub fn ending_with(text: &str, word: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(word) {
        text.to_owned()
    } else {
        format!("{text} {word}")
    }
}

pub fn spoken_date(date: NaiveDate, this_year: i32) -> String {
    if date.year() == this_year {
        format!("{}월 {}일", date.month(), date.day())
    } else {
        format!("{}년 {}월 {}일", date.year(), date.month(), date.day())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_word_is_not_said_twice() {
        assert_eq!(
            super::ending_with("크리스마스 경품 추첨", "추첨"),
            "크리스마스 경품 추첨"
        );
        assert_eq!(
            super::ending_with("봄맞이 이벤트", "추첨"),
            "봄맞이 이벤트 추첨"
        );
    }

    use super::Particle::*;
    use super::*;

    #[test]
    fn tricky_endings() {
        let cases: &[(&str, Particle, &str)] = &[
            ("카페", Eul, "카페를"),
            ("20%", I, "20%가"),
            ("'15%'", Eul, "'15%'를"),
            ("트리트먼트", Eul, "트리트먼트를"),
            ("두피·헤어 트리트먼트", Eul, "두피·헤어 트리트먼트를"),
            ("스탬프 적립", I, "스탬프 적립이"),
            ("기간 한정 메뉴", I, "기간 한정 메뉴가"),
            ("크리스마스", Eul, "크리스마스를"),
            ("설날", Eul, "설날을"),
            ("서울", Euro, "서울로"),
            ("연필", Euro, "연필로"),
            ("부산", Euro, "부산으로"),
            ("학교", Euro, "학교로"),
            ("시술", Gwa, "시술과"),
            ("케어", Gwa, "케어와"),
            ("미용실", Eun, "미용실은"),
            ("학원", Eun, "학원은"),
            ("SNS", Eul, "SNS를"),
            ("URL", Eun, "URL은"),
            ("DATABASE_URL", Eun, "DATABASE_URL은"),
            ("JWT_SECRET", Eun, "JWT_SECRET는"),
            ("PT", I, "PT가"),
            ("1+1", Eul, "1+1을"),
            ("3", I, "3이"),
            ("2", I, "2가"),
            ("10", Eul, "10을"),
            ("100", Eun, "100은"),
            ("2026", I, "2026이"),
            ("2025", I, "2025가"),
            ("7", Euro, "7로"),
            ("6", Euro, "6으로"),
            ("12월 25일", Eul, "12월 25일을"),
            ("카페(서울)", Eun, "카페(서울)은"),
            ("'봄날'", I, "'봄날'이"),
            ("이벤트", Ieyo, "이벤트예요"),
            ("스탬프 적립", Iraneun, "스탬프 적립이라는"),
        ];
        for (word, particle, want) in cases {
            assert_eq!(&with(word, *particle), want, "{word} + {particle:?}");
        }
    }

    #[test]
    fn dates_are_said_in_months_and_days() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
        assert_eq!(spoken_date(d, 2026), "12월 25일");
        assert_eq!(spoken_date(d, 2025), "2026년 12월 25일");
        assert_eq!(with(&spoken_date(d, 2026), Eul), "12월 25일을");
    }
}
