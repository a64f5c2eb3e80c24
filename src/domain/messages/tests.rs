use serde_json::{Value, json};

use super::*;

#[test]
fn names_round_trip() {
    for q in Queue::ALL {
        assert_eq!(Destination::parse(q.name()), Some(Destination::Queue(q)));
    }
    for t in Topic::ALL {
        assert_eq!(Destination::parse(t.name()), Some(Destination::Topic(t)));
    }
    for t in MessageType::ALL {
        assert_eq!(MessageType::parse(t.code()), Some(t));
    }
}

/// Payloads as the producers wrote them before the messages were typed (and as queued messages
/// still are): each must read as its type, and write back byte for byte the same `data`.
fn recorded() -> Vec<Value> {
    let envelope = |kind: &str, data: Value| {
        json!({
            "id": "0b6f7c1e-3c0e-4d3a-9a55-0c1f3b8f7d10",
            "type": kind,
            "occurredAt": "2026-12-06T11:00:00.123456Z",
            "eventId": "5d3c9a4e-1f0b-4c7e-8b2a-6e9f0a1b2c3d",
            "data": data,
        })
    };
    let job = json!({"jobId": "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"});
    vec![
        envelope("AiRecommendationRequested", job.clone()),
        envelope("ImageGenerationRequested", job),
        envelope(
            "DistributionRequested",
            json!({"distributionId": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"}),
        ),
        envelope(
            "EventPublished",
            json!({
                "ownerId": "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
                "channels": ["INSTAGRAM", "URIDONGNETV", "RINGOBIZ"],
                "publishedAt": "2026-12-06T11:00:00.123456Z",
                "startDate": "2026-12-07",
                "endDate": "2026-12-20",
                "objective": "NEW_CUSTOMERS",
                "promotionType": "STAMP_CARD",
                "industryKind": "CAFE",
            }),
        ),
        envelope(
            "DistributionCompleted",
            json!({
                "distributionId": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                "status": "PARTIAL_FAILURE",
                "channels": [
                    {"channel": "INSTAGRAM", "status": "PUBLISHED", "url": "https://www.instagram.com/p/x/"},
                    {"channel": "KAKAO", "status": "NEEDS_RECONNECT", "url": null},
                ],
            }),
        ),
        envelope(
            "ParticipantRegistered",
            json!({
                "count": 3,
                "bySource": {"DIRECT": 1, "INSTAGRAM": 2},
                "buckets": [
                    {"source": "DIRECT", "hour": "2026-12-06T10:00:00Z", "count": 1},
                    {"source": "INSTAGRAM", "hour": "2026-12-06T11:00:00Z", "count": 2},
                ],
                "marketingConsents": 1,
                "firstEnteredAt": "2026-12-06T10:59:00Z",
                "lastEnteredAt": "2026-12-06T11:00:00.123456Z",
            }),
        ),
        envelope(
            "WinnersDrawn",
            json!({
                "ownerId": "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
                "winners": 3, "alternates": 2, "entrants": 40, "excluded": 1,
                "drawnAt": "2026-12-21T01:00:00Z",
            }),
        ),
        envelope(
            "VisitRecorded",
            json!({
                "kind": "CLICK", "source": "STORE", "firstOfKind": true, "firstVisit": false,
                "at": "2026-12-06T11:00:00.123456Z",
            }),
        ),
        envelope(
            "VisitsCounted",
            json!({"buckets": [{
                "source": "URIDONGNETV", "hour": "2026-12-07T02:00:00Z",
                "views": 412, "clicks": 0, "visitors": 398,
            }]}),
        ),
        envelope(
            "PassActed",
            json!({
                "act": "USE", "source": "KAKAO", "spend": 18000, "undone": false,
                "creditsInviter": true, "at": "2026-12-07T03:10:00Z",
            }),
        ),
        envelope(
            "ReviewDecided",
            json!({"approved": true, "source": "INSTAGRAM", "at": "2026-12-07T03:10:00Z"}),
        ),
    ]
}

#[test]
fn every_recorded_payload_reads_as_its_type_and_writes_back_the_same() {
    let payloads = recorded();
    let mut seen = Vec::new();
    for payload in &payloads {
        let envelope = Envelope::read(payload).unwrap_or_else(|| panic!("unreadable: {payload}"));
        assert_eq!(envelope.message.message_type().code(), payload["type"]);
        assert_eq!(serde_json::to_value(&envelope).ok().as_ref(), Some(payload));
        seen.push(envelope.message.message_type());
    }
    for t in MessageType::ALL {
        assert!(seen.contains(&t), "no recorded payload of {t:?}");
    }
}

#[test]
fn a_payload_that_does_not_match_its_type_is_unreadable() {
    let mut wrong = recorded();
    // A job message without its job id; an event published with an unknown channel; a visit
    // whose kind is not one; data of another type under this type.
    wrong[0]["data"] = json!({"job": "x"});
    wrong[3]["data"]["channels"] = json!(["TIKTOK"]);
    wrong[7]["data"]["kind"] = json!("HOVER");
    wrong[6]["type"] = json!("VisitRecorded");
    for i in [0, 3, 6, 7] {
        assert!(Envelope::read(&wrong[i]).is_none(), "{}", wrong[i]);
    }
}

#[test]
fn a_new_message_is_its_envelope_to_its_types_destination() {
    let job = JobRequested {
        job_id: crate::domain::JobId::new(),
    };
    let m = OutboxMessage::new(
        EventId::new(),
        Message::ImageGenerationRequested(job.clone()),
        Utc::now(),
    );
    assert_eq!(
        m.destination,
        Destination::Queue(Queue::ImageGenerationJobs)
    );
    let envelope = Envelope::read(&m.payload).unwrap_or_else(|| panic!("{}", m.payload));
    assert_eq!(envelope.id, m.id);
    assert_eq!(envelope.message, Message::ImageGenerationRequested(job));
}
