//! `event-marketing verify-draw <file-or-URL> [--receipt CODE]`: recomputes a published draw
//! from its proof alone (domain::draw::verify) and tells an entrant whether and where they
//! ranked. Needs no settings and no database: anyone can run it.

use anyhow::Context;

use crate::domain::draw::{self, Proof, Role, Standing};
use crate::domain::entrant::Receipt;
use crate::domain::korean::{Particle, with};

/// Reads a proof from a file, or from an `http(s)://` URL (the public draw endpoint).
pub async fn load(source: &str) -> anyhow::Result<Proof> {
    let text = if source.starts_with("http://") || source.starts_with("https://") {
        let res = reqwest::get(source)
            .await
            .with_context(|| format!("{source}에 연결할 수 없습니다"))?;
        let status = res.status();
        let body = res.text().await.context("응답을 읽을 수 없습니다")?;
        if !status.is_success() {
            anyhow::bail!(
                "{} {status} 응답을 보냈습니다: {body}",
                with(source, Particle::I)
            );
        }
        body
    } else {
        std::fs::read_to_string(source)
            .with_context(|| format!("{} 읽을 수 없습니다", with(source, Particle::Eul)))?
    };
    let mut value: serde_json::Value =
        serde_json::from_str(&text).context("추첨 증명(JSON) 형식이 아닙니다")?;
    // A document that carries the proof under "proof" (docs/em-draw-v1-vectors.json) too.
    if let Some(inner) = value.get_mut("proof") {
        value = inner.take();
    }
    serde_json::from_value(value).context("추첨 증명(JSON) 형식이 아닙니다")
}

/// The lines to print, and whether everything held.
pub fn report(proof: &Proof, receipt: Option<&str>) -> (Vec<String>, bool) {
    let mut lines = vec![format!(
        "검증: {} · 이벤트 {}",
        proof.version, proof.event_id
    )];
    let found = draw::verify(proof);
    let mut ok = found.is_empty();
    if ok {
        lines.push("✔ 공개된 시드의 SHA-256이 배포 때 공개한 커밋먼트와 같습니다.".to_owned());
        lines.push(format!(
            "✔ 응모 해시 {}개(제외 {}개)의 다이제스트가 맞습니다.",
            proof.sorted_leaves.len(),
            proof.excluded.len()
        ));
        lines.push(format!(
            "✔ 다시 계산한 당첨자 {}명과 예비 당첨자 {}명이 기록과 같습니다.",
            proof.winners.len(),
            proof.alternates.len()
        ));
        if !proof.replacements.is_empty() {
            lines.push(format!(
                "✔ 교체 기록 {}건이 모두 다음 예비 당첨자를 순서대로 올렸습니다.",
                proof.replacements.len()
            ));
        }
        lines.extend(replacement_lines(proof));
    } else {
        lines.extend(found.iter().map(|m| format!("✘ {}", m.message())));
    }
    if let Some(code) = receipt {
        match Receipt::parse(code) {
            Ok(r) => {
                let (line, listed) = standing_line(proof, r.as_str());
                ok &= listed;
                lines.push(line);
            }
            Err(e) => {
                ok = false;
                lines.push(format!("✘ {}", e.message()));
            }
        }
    }
    lines.push(if ok {
        "결과: 추첨이 올바릅니다.".to_owned()
    } else {
        "결과: 추첨 기록이 맞지 않습니다.".to_owned()
    });
    (lines, ok)
}

/// Each replacement: which place, when, why, and against the contact deadline.
fn replacement_lines(proof: &Proof) -> Vec<String> {
    let deadline = proof.contact_deadline();
    let mut lines = Vec::new();
    if let Some(d) = deadline {
        lines.push(format!(
            "• 연락 기한: {} (추첨 후 {}일), 그 전에는 교체할 수 없습니다.",
            seoul(d),
            proof.contact_days.unwrap_or_default()
        ));
    }
    for r in &proof.replacements {
        let after = match deadline {
            Some(d) if r.replaced_at >= d => "연락 기한 뒤",
            Some(_) => "연락 기한 전",
            None => "연락 기한을 공지하지 않은 추첨",
        };
        lines.push(format!(
            "✔ 당첨 {}번 교체: {} ({after}), 사유: {}",
            r.rank,
            seoul(r.replaced_at),
            draw::reason_label(&r.reason)
        ));
    }
    lines
}

fn seoul(t: chrono::DateTime<chrono::Utc>) -> String {
    let local = t.with_timezone(&crate::domain::calendar::seoul());
    local.format("%Y-%m-%d %H:%M (서울)").to_string()
}

fn standing_line(proof: &Proof, receipt: &str) -> (String, bool) {
    match draw::standing(proof, receipt) {
        Standing::NotListed { leaf } => (
            format!(
                "✘ 응모 번호 {} 추첨 목록에 없습니다 (해시 {leaf}).",
                with(receipt, Particle::I)
            ),
            false,
        ),
        Standing::Excluded { reason, .. } => (
            format!(
                "• 응모 번호 {} 추첨에서 제외되었습니다: {}",
                with(receipt, Particle::Eun),
                reason_label(&reason)
            ),
            true,
        ),
        Standing::Ranked {
            position, of, role, ..
        } => {
            let what = match role {
                Role::Winner(n) => format!("당첨 {n}번"),
                Role::Alternate(n) => format!("예비 당첨 {n}번"),
                Role::Replaced => "당첨 후 교체됨".to_owned(),
                Role::None => "당첨되지 않음".to_owned(),
            };
            (
                format!(
                    "✔ 응모 번호 {} 목록에 있고 전체 {of}명 중 {position}위입니다: {what}.",
                    with(receipt, Particle::Eun)
                ),
                true,
            )
        }
    }
}

fn reason_label(reason: &str) -> &str {
    match reason {
        draw::PREVIOUS_WINNER => "같은 매장의 이전 이벤트 당첨자",
        other => other,
    }
}
