//! Dates written into what customers read ("12월 23일부터 3일 동안"): a plan writes them once, and
//! when the owner moves the period they go stale. Publishing finds each statement of the period
//! ("…일부터", "…일까지", "…부터 N일 동안") that the event's dates no longer bear out; other dates
//! ("12월 25일 휴무") are the owner's to write.

use chrono::{Datelike, Duration, NaiveDate};

/// `(month, day, the words as written)` for each "N월 N일" in the text.
fn dates_in(text: &str) -> Vec<(u32, u32, String)> {
    let chars: Vec<char> = text.chars().collect();
    let number = |at: usize| -> (Option<u32>, usize) {
        let end = (at..chars.len())
            .find(|&i| !chars[i].is_ascii_digit())
            .unwrap_or(chars.len());
        let n: String = chars[at..end].iter().collect();
        (n.parse().ok(), end)
    };
    let mut found = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        let starts = c.is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit());
        if !starts {
            continue;
        }
        let (Some(month), after) = number(i) else {
            continue;
        };
        if chars.get(after) != Some(&'월') {
            continue;
        }
        let mut j = after + 1;
        while chars.get(j) == Some(&' ') {
            j += 1;
        }
        let (Some(day), end) = number(j) else {
            continue;
        };
        // Only a date that states the period ("…일부터", "…일까지"): "12월 25일 휴무" or
        // "크리스마스(12월 25일)" say something else.
        let next: String = chars
            .iter()
            .skip(end + 1)
            .skip_while(|c| **c == ' ')
            .take(2)
            .collect();
        let period = next == "부터" || next == "까지";
        if chars.get(end) == Some(&'일')
            && period
            && (1..=12).contains(&month)
            && (1..=31).contains(&day)
        {
            found.push((month, day, chars[i..=end].iter().collect()));
        }
    }
    found
}

/// "N일 동안" right after a date's "…부터": the period's length as written.
fn lengths_in(text: &str) -> Vec<(i64, String)> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("일 동안") {
        let before = &text[..at];
        let digits: String = before
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        let n: String = digits.chars().rev().collect();
        let head = &before[..before.len() - n.len()];
        // "12월 23일부터 3일 동안" (a period); not "받은 날부터 30일 동안" (a pass's life).
        let from_date = (head.trim_end().strip_suffix("부터"))
            .and_then(|h| h.strip_suffix('일'))
            .is_some_and(|h| h.ends_with(|c: char| c.is_ascii_digit()));
        if let Ok(days) = n.parse::<i64>()
            && from_date
        {
            found.push((days, format!("{n}일 동안")));
        }
    }
    found
}

/// The words in `text` the period `start..=end` no longer bears out: a date other than the
/// start, the end, the day after (the draw), a month after (a plan's coupon deadline) or one
/// the promotion itself states (`also`: a pass's last day), and a length other than the period's.
pub fn stale(text: &str, start: NaiveDate, end: NaiveDate, also: &[NaiveDate]) -> Vec<String> {
    let mut known = vec![
        start,
        end,
        end + Duration::days(1),
        end + Duration::days(30),
    ];
    known.extend_from_slice(also);
    let fits = |m: u32, d: u32| known.iter().any(|k| k.month() == m && k.day() == d);
    let mut out: Vec<String> = (dates_in(text).into_iter())
        .filter(|(m, d, _)| !fits(*m, *d))
        .map(|(_, _, said)| said)
        .collect();
    let days = (end - start).num_days() + 1;
    out.extend(
        (lengths_in(text).into_iter())
            .filter(|(n, _)| *n != days)
            .map(|(_, s)| s),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::stale;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn moved_dates_are_found_and_current_ones_pass() {
        let text =
            "12월 23일부터 3일 동안 방문하시면 선물을 드려요. 당첨자는 12월 26일에 발표합니다.";
        assert!(stale(text, d("2026-12-23"), d("2026-12-25"), &[]).is_empty());
        let moved = stale(text, d("2026-12-24"), d("2026-12-28"), &[]);
        assert_eq!(moved, ["12월 23일", "3일 동안"]);
        // Dates that do not state the period are the owner's to write.
        let other =
            "12월 25일 휴무, 크리스마스(12월 25일)에는 일찍 닫아요. 12월 31일까지 응모하세요.";
        assert_eq!(
            stale(other, d("2026-12-18"), d("2026-12-24"), &[]),
            ["12월 31일"]
        );
        // A coupon's "받은 날부터 30일" is no period; numbers that are not dates are left alone.
        assert!(
            stale(
                "쿠폰은 30일 동안 쓸 수 있어요, 1+1",
                d("2026-12-24"),
                d("2026-12-28"),
                &[]
            )
            .is_empty()
        );
        assert_eq!(
            stale("12월23일까지", d("2026-12-24"), d("2026-12-28"), &[]),
            ["12월23일"]
        );
        let life = "받은 날부터 30일 동안 쓸 수 있어요";
        assert!(stale(life, d("2026-12-24"), d("2026-12-28"), &[]).is_empty());
        // The date the promotion states (a pass's last day) is the event's own.
        let until = "1월 7일까지 쓸 수 있어요";
        let stated = [d("2027-01-07")];
        assert!(stale(until, d("2026-12-24"), d("2026-12-28"), &stated).is_empty());
    }
}
