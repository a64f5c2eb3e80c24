//! Checking a proof: everything recomputed from what it publishes (what `verify-draw` runs),
//! and where one entry stands in it.

use super::{Proof, Seed, VERSION, entrants_digest, is_leaf, leaf, take};

/// A way a proof fails to hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    Version(String),
    SeedFormat,
    Commitment,
    LeafFormat(String),
    NotSortedOrRepeated,
    ExcludedAlsoRanked(String),
    Digest,
    Winners,
    Alternates,
    Replacement(usize),
    /// A winner replaced before the contact deadline the notice stated.
    ReplacedEarly(usize),
}

impl Mismatch {
    pub fn message(&self) -> String {
        match self {
            Mismatch::Version(v) => {
                format!("알 수 없는 추첨 방식입니다: {v} ({VERSION}만 검증합니다)")
            }
            Mismatch::SeedFormat => "공개된 시드가 64자리 소문자 16진수가 아닙니다.".to_owned(),
            Mismatch::Commitment => {
                "시드의 SHA-256이 배포 때 공개한 커밋먼트와 다릅니다: 시드가 바뀌었습니다."
                    .to_owned()
            }
            Mismatch::LeafFormat(l) => format!("응모 해시 형식이 올바르지 않습니다: {l}"),
            Mismatch::NotSortedOrRepeated => {
                "응모 해시 목록이 오름차순이 아니거나 중복이 있습니다.".to_owned()
            }
            Mismatch::ExcludedAlsoRanked(l) => {
                format!("제외된 응모가 추첨 대상에도 들어 있습니다: {l}")
            }
            Mismatch::Digest => {
                "응모 해시 목록의 다이제스트가 기록과 다릅니다: 목록이 바뀌었습니다.".to_owned()
            }
            Mismatch::Winners => "다시 계산한 당첨자가 기록과 다릅니다.".to_owned(),
            Mismatch::Alternates => "다시 계산한 예비 당첨자가 기록과 다릅니다.".to_owned(),
            Mismatch::Replacement(i) => format!(
                "{}번째 교체 기록이 규칙(다음 예비 당첨자가 순서대로 승계)과 맞지 않습니다.",
                i + 1
            ),
            Mismatch::ReplacedEarly(i) => format!(
                "{}번째 교체가 공지한 연락 기한(추첨 후 며칠)보다 먼저 이루어졌습니다.",
                i + 1
            ),
        }
    }
}

/// Recomputes everything; empty when the proof holds.
pub fn verify(proof: &Proof) -> Vec<Mismatch> {
    if proof.version != VERSION {
        return vec![Mismatch::Version(proof.version.clone())];
    }
    let mut found = Vec::new();
    let all = proof
        .sorted_leaves
        .iter()
        .chain(proof.excluded.iter().map(|e| &e.leaf));
    if let Some(bad) = all.clone().find(|l| !is_leaf(l)) {
        found.push(Mismatch::LeafFormat(bad.clone()));
    }
    if proof.sorted_leaves.windows(2).any(|w| w[0] >= w[1]) {
        found.push(Mismatch::NotSortedOrRepeated);
    }
    for e in &proof.excluded {
        if proof.sorted_leaves.binary_search(&e.leaf).is_ok() {
            found.push(Mismatch::ExcludedAlsoRanked(e.leaf.clone()));
        }
    }
    if entrants_digest(&proof.sorted_leaves) != proof.entrants_digest {
        found.push(Mismatch::Digest);
    }
    let Some(seed) = Seed::from_hex(&proof.seed) else {
        found.push(Mismatch::SeedFormat);
        return found;
    };
    if seed.commitment() != proof.commitment {
        found.push(Mismatch::Commitment);
    }
    let ranked = seed.rank(&proof.sorted_leaves);
    let winners = take(&ranked, 0, proof.winner_count);
    if winners != proof.winners {
        found.push(Mismatch::Winners);
    }
    if take(&ranked, winners.len(), proof.alternate_count) != proof.alternates {
        found.push(Mismatch::Alternates);
    }
    found.extend(replacement_mismatches(proof));
    found
}

/// Each replacement promotes the next alternate, in order, into a place a winner holds then.
fn replacement_mismatches(proof: &Proof) -> Vec<Mismatch> {
    let mut winners = proof.winners.clone();
    let mut found = Vec::new();
    for (i, r) in proof.replacements.iter().enumerate() {
        let slot = usize::try_from(r.rank)
            .ok()
            .and_then(|rank| rank.checked_sub(1))
            .filter(|&s| s < winners.len());
        let promoted = proof.alternates.get(i);
        match (slot, promoted) {
            (Some(s), Some(next))
                if winners[s] == r.replaced_leaf && *next == r.replacement_leaf =>
            {
                winners[s] = next.clone();
            }
            _ => found.push(Mismatch::Replacement(i)),
        }
        if proof.contact_deadline().is_some_and(|d| r.replaced_at < d) {
            found.push(Mismatch::ReplacedEarly(i));
        }
    }
    found
}

/// Where one entry stands in a draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Its leaf is not in the draw at all.
    NotListed {
        leaf: String,
    },
    Excluded {
        leaf: String,
        reason: String,
    },
    Ranked {
        leaf: String,
        /// 1-based place in the whole ranking.
        position: usize,
        of: usize,
        role: Role,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Winner at this place (1-based), as drawn or after a replacement.
    Winner(usize),
    /// Alternate in this order (1-based), not (yet) promoted.
    Alternate(usize),
    /// Was a winner and was replaced.
    Replaced,
    None,
}

/// Where the entry with `receipt` stands (an entrant's own check).
pub fn standing(proof: &Proof, receipt: &str) -> Standing {
    let leaf = leaf(&proof.event_id, receipt);
    if let Some(e) = proof.excluded.iter().find(|e| e.leaf == leaf) {
        return Standing::Excluded {
            leaf,
            reason: e.reason.clone(),
        };
    }
    let Some(seed) = Seed::from_hex(&proof.seed) else {
        return Standing::NotListed { leaf };
    };
    if proof.sorted_leaves.binary_search(&leaf).is_err() {
        return Standing::NotListed { leaf };
    }
    let ranked = seed.rank(&proof.sorted_leaves);
    let position = ranked.iter().position(|l| *l == leaf).map_or(0, |p| p + 1);
    let now = proof.current_winners();
    let role = if let Some(p) = now.iter().position(|l| *l == leaf) {
        Role::Winner(p + 1)
    } else if proof.replacements.iter().any(|r| r.replaced_leaf == leaf) {
        Role::Replaced
    } else if let Some(p) = proof.alternates.iter().position(|l| *l == leaf) {
        Role::Alternate(p + 1)
    } else {
        Role::None
    };
    Standing::Ranked {
        leaf,
        position,
        of: ranked.len(),
        role,
    }
}
