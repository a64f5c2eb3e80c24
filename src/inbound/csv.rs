//! The owner's participants as a spreadsheet: the same masked values as every list.

use crate::app::entries::Participant;
use crate::domain::calendar::seoul;
use crate::domain::entry::EntrySource;
use crate::ports::EntryRole;

/// UTF-8 with a byte-order mark (Excel then reads Hangul), CRLF lines, RFC 4180 quoting, and
/// cells that a spreadsheet would run as a formula neutralised with a leading `'`.
pub fn participants(rows: Vec<Participant>) -> String {
    let mut out = String::from("\u{feff}");
    let header = [
        "응모 시각",
        "이름",
        "휴대전화",
        "유입 채널",
        "마케팅 동의",
        "추첨 결과",
        "응모 번호",
    ];
    push_row(&mut out, header.iter().map(|h| (*h).to_owned()));
    for p in rows {
        let when = (p.entered_at.with_timezone(&seoul())).format("%Y-%m-%d %H:%M:%S");
        let result = match p.role {
            Some(EntryRole::Winner) => "당첨",
            Some(EntryRole::Alternate) => "예비 당첨",
            Some(EntryRole::Replaced) => "당첨 교체됨",
            None => "",
        };
        let gone = "(파기됨)".to_owned();
        let marketing = if p.agree_marketing {
            "동의"
        } else {
            "미동의"
        };
        push_row(
            &mut out,
            [
                when.to_string(),
                p.name.unwrap_or_else(|| gone.clone()),
                p.phone.unwrap_or(gone),
                p.source.map_or("직접 방문", EntrySource::label).to_owned(),
                marketing.to_owned(),
                result.to_owned(),
                p.receipt.to_string(),
            ]
            .into_iter(),
        );
    }
    out
}

fn push_row(out: &mut String, cells: impl Iterator<Item = String>) {
    let cells: Vec<String> = cells.map(|c| cell(&c)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

fn cell(raw: &str) -> String {
    let neutral = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{raw}")
    } else {
        raw.to_owned()
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("홍*동"), "홍*동");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("010-****-5678"), "010-****-5678");
    }
}
