//! em-draw-v1 against vectors computed by an independent implementation (Python's hashlib and
//! hmac, `docs/em-draw-v1-vectors.json`), and every way a tampered proof is caught.

use serde_json::Value;

use super::*;

fn vectors() -> Value {
    serde_json::from_str(include_str!("../../../docs/em-draw-v1-vectors.json")).unwrap()
}

fn vector_proof() -> Proof {
    serde_json::from_value(vectors()["proof"].clone()).unwrap()
}

#[test]
fn a_fixed_seed_and_list_give_the_committed_result() {
    let v = vectors();
    let expected = vector_proof();
    let seed = Seed::from_bytes(&(0u8..32).collect::<Vec<_>>()).unwrap();
    let event = expected.event_id.clone();
    let mut leaves = Vec::new();
    for e in v["entries"].as_array().unwrap() {
        let l = leaf(&event, e["receipt"].as_str().unwrap());
        assert_eq!(l, e["leaf"].as_str().unwrap());
        if let Some(score) = e["score"].as_str() {
            assert_eq!(hex::encode(seed.score(&l)), score);
        }
        leaves.push(l);
    }
    let mut proof = draw(DrawInput {
        event_id: event,
        seed,
        leaves,
        excluded: expected.excluded.clone(),
        winner_count: 3,
        alternate_count: 2,
        drawn_at: expected.drawn_at,
    });
    assert!(proof.replacements.is_empty());
    assert_eq!(
        proof.contact_days,
        Some(CONTACT_DAYS),
        "new draws state the deadline"
    );
    // The vectors predate the contact deadline (their replacement came four days after the
    // draw): as a record of then, it holds; under the deadline, it is early.
    proof.contact_days = None;
    proof.replacements = expected.replacements.clone();
    assert_eq!(proof, expected);
    assert!(verify(&proof).is_empty(), "{:?}", verify(&proof));
    proof.contact_days = Some(CONTACT_DAYS);
    assert_eq!(verify(&proof), vec![Mismatch::ReplacedEarly(0)]);
}

#[test]
fn an_entrant_finds_where_they_ranked() {
    let proof = vector_proof();
    for e in vectors()["entries"].as_array().unwrap() {
        let receipt = e["receipt"].as_str().unwrap();
        match standing(&proof, receipt) {
            Standing::Ranked { position, of, .. } => {
                assert_eq!(Some(position as u64), e["position"].as_u64());
                assert_eq!(of, 11);
            }
            Standing::Excluded { reason, .. } => {
                assert!(e["position"].is_null());
                assert_eq!(reason, PREVIOUS_WINNER);
            }
            Standing::NotListed { .. } => panic!("{receipt} is in the vectors"),
        }
    }
    let winner_two = &proof.winners[1];
    let replaced = vectors()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["leaf"] == *winner_two)
        .unwrap()["receipt"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(matches!(
        standing(&proof, &replaced),
        Standing::Ranked {
            role: Role::Replaced,
            ..
        }
    ));
    assert!(matches!(
        standing(&proof, "00000ZZZZZ"),
        Standing::NotListed { .. }
    ));
    assert_eq!(proof.current_winners()[1], proof.alternates[0]);
    assert_eq!(proof.next_alternate(), Some(&proof.alternates[1]));
}

#[test]
fn a_changed_seed_list_or_ranking_is_caught() {
    let good = vector_proof();
    type Tamper = Box<dyn Fn(&mut Proof)>;
    let cases: Vec<(&str, Tamper, Mismatch)> = vec![
        (
            "seed",
            Box::new(|p: &mut Proof| p.seed = Seed::generate().hex()),
            Mismatch::Commitment,
        ),
        (
            "seed format",
            Box::new(|p: &mut Proof| p.seed = "zz".into()),
            Mismatch::SeedFormat,
        ),
        (
            "list",
            Box::new(|p: &mut Proof| {
                p.sorted_leaves.pop();
            }),
            Mismatch::Digest,
        ),
        (
            "order",
            Box::new(|p: &mut Proof| p.sorted_leaves.swap(0, 1)),
            Mismatch::NotSortedOrRepeated,
        ),
        (
            "winners",
            Box::new(|p: &mut Proof| p.winners.swap(0, 1)),
            Mismatch::Winners,
        ),
        (
            "alternates",
            Box::new(|p: &mut Proof| p.alternates.reverse()),
            Mismatch::Alternates,
        ),
        (
            "count",
            Box::new(|p: &mut Proof| p.winner_count = 4),
            Mismatch::Winners,
        ),
        (
            "replacement",
            Box::new(|p: &mut Proof| p.replacements[0].replacement_leaf = p.alternates[1].clone()),
            Mismatch::Replacement(0),
        ),
        (
            "excluded",
            Box::new(|p: &mut Proof| {
                let l = p.sorted_leaves[0].clone();
                p.excluded.push(Excluded {
                    leaf: l,
                    reason: "X".into(),
                });
            }),
            Mismatch::ExcludedAlsoRanked(String::new()),
        ),
        (
            "version",
            Box::new(|p: &mut Proof| p.version = "em-draw-v2".into()),
            Mismatch::Version(String::new()),
        ),
    ];
    for (what, change, want) in cases {
        let mut p = good.clone();
        change(&mut p);
        let found = verify(&p);
        assert!(
            found
                .iter()
                .any(|m| std::mem::discriminant(m) == std::mem::discriminant(&want)),
            "{what}: {found:?}"
        );
        assert!(
            found
                .iter()
                .all(|m| m.message().chars().any(|c| ('가'..='힣').contains(&c)))
        );
    }
    // A list changed together with its digest still fails: the ranking moves.
    let mut p = good.clone();
    p.sorted_leaves.retain(|l| *l != good.winners[0]);
    p.entrants_digest = entrants_digest(&p.sorted_leaves);
    assert!(verify(&p).contains(&Mismatch::Winners));
}

#[test]
fn fewer_entrants_than_places_fill_what_they_can() {
    let seed = Seed::generate();
    let leaves: Vec<String> = ["A", "B"].iter().map(|r| leaf("e", r)).collect();
    let p = draw(DrawInput {
        event_id: "e".into(),
        seed,
        leaves,
        excluded: vec![],
        winner_count: 3,
        alternate_count: 2,
        drawn_at: Utc::now(),
    });
    assert_eq!((p.winners.len(), p.alternates.len()), (2, 0));
    assert!(verify(&p).is_empty());
    assert_eq!(Seed::from_hex(&p.seed).unwrap().commitment(), p.commitment);
    assert!(Seed::from_hex(&p.seed.to_uppercase()).is_none());
}
