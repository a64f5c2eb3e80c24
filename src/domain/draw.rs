//! The verifiable draw, "em-draw-v1" (docs/draw.md has the algorithm for people): a seed fixed
//! and committed at publish, one public leaf per entry, a ranking anyone can recompute from the
//! revealed seed and the leaves, and replacements appended, never re-drawn.
//!
//! All hashes are SHA-256 as lowercase hex; strings are UTF-8. Nothing here may change: a
//! different algorithm gets a different version.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

pub const VERSION: &str = "em-draw-v1";

/// Why an entry took no part in the ranking (listed in the proof, never silently dropped).
pub const PREVIOUS_WINNER: &str = "PREVIOUS_WINNER";

/// 32 bytes from the OS CSPRNG, drawn at publish and kept sealed until the draw.
#[derive(Clone, PartialEq, Eq)]
pub struct Seed([u8; 32]);

impl Seed {
    pub fn generate() -> Self {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(Self)
    }

    pub fn from_hex(hex_seed: &str) -> Option<Self> {
        let bytes = hex::decode(hex_seed).ok()?;
        (hex_seed.len() == 64 && hex_seed == hex_seed.to_ascii_lowercase())
            .then(|| Self::from_bytes(&bytes))
            .flatten()
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    pub fn hex(&self) -> String {
        hex::encode(self.0)
    }

    /// `hex(SHA-256(seed))`: public from the moment of publishing.
    pub fn commitment(&self) -> String {
        sha256_hex(&self.0)
    }

    /// `HMAC-SHA256(key = seed, message = leaf as its 64 ASCII hex characters)`.
    pub fn score(&self, leaf: &str) -> [u8; 32] {
        #[allow(clippy::expect_used)] // HMAC accepts keys of any length
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC key");
        mac.update(leaf.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// Every leaf by score ascending (bytewise), ties by leaf.
    pub fn rank(&self, leaves: &[String]) -> Vec<String> {
        let mut scored: Vec<([u8; 32], &String)> =
            leaves.iter().map(|l| (self.score(l), l)).collect();
        scored.sort();
        scored.into_iter().map(|(_, l)| l.clone()).collect()
    }
}

impl std::fmt::Debug for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Seed([sealed])")
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// `hex(SHA-256("em-entry-v1|" + eventId + "|" + receipt))`, the event id as its lowercase,
/// hyphenated UUID.
pub fn leaf(event_id: &str, receipt: &str) -> String {
    sha256_hex(format!("em-entry-v1|{event_id}|{receipt}").as_bytes())
}

/// `hex(SHA-256(join(sortedLeaves, "\n")))`.
pub fn entrants_digest(sorted_leaves: &[String]) -> String {
    sha256_hex(sorted_leaves.join("\n").as_bytes())
}

pub(crate) fn is_leaf(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

// The proof's JSON is the public format anyone recomputes (docs/draw.md): its schema is part of
// the algorithm, so the API documents these types themselves.

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Excluded {
    pub leaf: String,
    /// `PREVIOUS_WINNER`: won an earlier event of the same shop.
    pub reason: String,
}

/// Days after the draw the shop has to reach its winners, as every giveaway's notice states;
/// only after them may a winner be replaced (the owner cannot re-pick from the alternates).
pub const CONTACT_DAYS: u32 = 7;

/// Why a winner may be replaced: a code, and how the proof page says it.
pub const REPLACEMENT_REASONS: &[(&str, &str)] = &[
    (
        "UNREACHABLE",
        "연락 기한까지 당첨자와 연락이 닿지 않았습니다",
    ),
    ("DECLINED", "당첨자가 경품을 받지 않겠다고 했습니다"),
    ("INELIGIBLE", "응모 조건에 맞지 않는 응모로 확인되었습니다"),
];

/// The reason as people read it (a code of `REPLACEMENT_REASONS`; older records kept the owner's
/// own words).
pub fn reason_label(reason: &str) -> &str {
    (REPLACEMENT_REASONS.iter())
        .find(|(code, _)| *code == reason)
        .map_or(reason, |(_, label)| label)
}

/// A winner replaced by the next alternate, with the owner's reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Replacement {
    /// The winner's place (1-based) that changed hands.
    pub rank: u32,
    pub replaced_leaf: String,
    pub replacement_leaf: String,
    pub reason: String,
    pub replaced_at: DateTime<Utc>,
}

/// The public record of a draw (em-draw-v1), exactly what anyone needs to recompute it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Proof {
    #[schema(example = "em-draw-v1")]
    pub version: String,
    pub event_id: String,
    /// `hex(SHA-256(seed))`, public since publishing.
    pub commitment: String,
    /// Revealed at the draw: 32 bytes as hex.
    pub seed: String,
    /// `hex(SHA-256("em-entry-v1|" + eventId + "|" + receipt))` of every eligible entry, ascending.
    pub sorted_leaves: Vec<String>,
    pub excluded: Vec<Excluded>,
    /// `hex(SHA-256(join(sortedLeaves, "\n")))`.
    pub entrants_digest: String,
    pub winner_count: u32,
    pub alternate_count: u32,
    /// By `HMAC-SHA256(seed, leaf)` ascending.
    pub winners: Vec<String>,
    pub alternates: Vec<String>,
    pub drawn_at: DateTime<Utc>,
    /// Appended after the draw; the fields above never change.
    #[serde(default)]
    pub replacements: Vec<Replacement>,
    /// Days after `drawnAt` before which no winner may be replaced (`CONTACT_DAYS`, as the
    /// notice stated); absent in draws made before the rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_days: Option<u32>,
}

/// What the draw is run on.
pub struct DrawInput {
    pub event_id: String,
    pub seed: Seed,
    /// Every entry's leaf, excluded ones included (they are taken out here, and listed).
    pub leaves: Vec<String>,
    pub excluded: Vec<Excluded>,
    pub winner_count: u32,
    pub alternate_count: u32,
    pub drawn_at: DateTime<Utc>,
}

/// Runs em-draw-v1.
pub fn draw(input: DrawInput) -> Proof {
    let mut sorted: Vec<String> = (input.leaves.into_iter())
        .filter(|l| !input.excluded.iter().any(|e| e.leaf == *l))
        .collect();
    sorted.sort();
    sorted.dedup();
    let mut excluded = input.excluded;
    excluded.sort_by(|a, b| a.leaf.cmp(&b.leaf));
    let ranked = input.seed.rank(&sorted);
    let winners = take(&ranked, 0, input.winner_count);
    let alternates = take(&ranked, winners.len(), input.alternate_count);
    Proof {
        version: VERSION.to_owned(),
        event_id: input.event_id,
        commitment: input.seed.commitment(),
        seed: input.seed.hex(),
        entrants_digest: entrants_digest(&sorted),
        sorted_leaves: sorted,
        excluded,
        winner_count: input.winner_count,
        alternate_count: input.alternate_count,
        winners,
        alternates,
        drawn_at: input.drawn_at,
        replacements: Vec::new(),
        contact_days: Some(CONTACT_DAYS),
    }
}

pub(crate) fn take(ranked: &[String], from: usize, count: u32) -> Vec<String> {
    let count = usize::try_from(count).unwrap_or(usize::MAX);
    ranked.iter().skip(from).take(count).cloned().collect()
}

impl Proof {
    /// The winners now: the draw's, with each replacement applied in order.
    pub fn current_winners(&self) -> Vec<String> {
        let mut winners = self.winners.clone();
        for r in &self.replacements {
            if let Some(slot) = usize::try_from(r.rank)
                .ok()
                .and_then(|rank| rank.checked_sub(1))
                .and_then(|i| winners.get_mut(i))
            {
                *slot = r.replacement_leaf.clone();
            }
        }
        winners
    }

    /// When winners may first be replaced (`None`: a draw from before the rule).
    pub fn contact_deadline(&self) -> Option<DateTime<Utc>> {
        (self.contact_days).map(|d| self.drawn_at + chrono::Duration::days(i64::from(d)))
    }

    /// The alternate the next replacement promotes, if any is left.
    pub fn next_alternate(&self) -> Option<&String> {
        self.alternates.get(self.replacements.len())
    }
}

mod verify;

pub use verify::{Mismatch, Role, Standing, standing, verify};

#[cfg(test)]
mod tests;
