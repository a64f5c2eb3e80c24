//! The store contract of the channels and distribution areas, on SQLite and PostgreSQL alike:
//! connections keep their sealed bytes, an OAuth state works once, publishing is one
//! transaction, a post is claimed by one attempt only and only that attempt may settle it.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{Duration, SubsecRound, Utc};
use common::{Backend, TestDb};
use event_marketing::domain::distribution::{
    ChannelPost, ChannelStatus, Distribution, OverallStatus, Review,
};
use event_marketing::domain::messages::{DistributionCompleted, DistributionRequested, Message};
use event_marketing::domain::post::PostContent;
use event_marketing::domain::{
    Channel, DistributionId, Email, Event, MessageType, Objective, OutboxMessage, OwnerName,
    ShopInfo, User, UserId,
};
use event_marketing::ports::{
    ChannelStore, DistributionStore, EntryStore, EventStore, OutboxStore, RecommendationStore,
    Sealed, SeedRecord, StoreError, StoredConnection, UserStore,
};
use serde_json::json;

fn now() -> chrono::DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

async fn owner(s: &impl UserStore) -> UserId {
    let t = now();
    let user = User {
        id: UserId::new(),
        email: Email::parse(&format!("{}@cafe.kr", uuid::Uuid::new_v4().simple())).unwrap(),
        name: OwnerName::parse("김봄").unwrap(),
        phone: None,
        shop: None,
        created_at: t,
        updated_at: t,
    };
    s.insert_user(&user, "hash").await.unwrap();
    user.id
}

fn connection(
    owner: UserId,
    channel: Channel,
    expires: Option<chrono::DateTime<Utc>>,
) -> StoredConnection {
    let t = now();
    StoredConnection {
        owner,
        channel,
        label: Some("@cafe".into()),
        sealed: Sealed {
            key_id: "k1".into(),
            bytes: vec![0, 159, 255, 7],
        },
        token_expires_at: expires,
        needs_reconnect: false,
        last_error: None,
        connected_at: t,
        updated_at: t,
    }
}

async fn connections_and_oauth_states(b: Backend) {
    let db = TestDb::new(b).await;
    let s = db.store().await;
    let me = owner(&s).await;
    let soon = now() + Duration::days(2);
    s.save_connection(&connection(me, Channel::Instagram, Some(soon)))
        .await
        .unwrap();
    s.save_connection(&connection(me, Channel::Kakao, None))
        .await
        .unwrap();
    // Saving again replaces (one connection per owner and channel).
    let mut replaced = connection(me, Channel::Kakao, None);
    replaced.sealed.bytes = vec![1, 2, 3];
    s.save_connection(&replaced).await.unwrap();
    let mut all = s.connections_of(me).await.unwrap();
    all.sort_by_key(|c| c.channel);
    assert_eq!(all.len(), 2);
    assert_eq!(all[1], replaced);
    assert_eq!(
        (all[0].channel, all[0].token_expires_at),
        (Channel::Instagram, Some(soon))
    );
    assert_eq!(
        all[0].sealed.bytes,
        vec![0, 159, 255, 7],
        "the sealed bytes come back as written"
    );
    let expiring = s
        .connections_expiring(Channel::Instagram, now() + Duration::days(7), 10)
        .await
        .unwrap();
    assert_eq!(expiring.len(), 1);
    s.mark_needs_reconnect(me, Channel::Instagram, "expired", now())
        .await
        .unwrap();
    assert!(
        s.connections_expiring(Channel::Instagram, now() + Duration::days(7), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(s.delete_connection(me, Channel::Kakao).await.unwrap());
    assert!(!s.delete_connection(me, Channel::Kakao).await.unwrap());

    let t = now();
    s.save_oauth_state(
        "h1",
        me,
        Channel::Naver,
        &json!({"clubId": "1"}),
        t + Duration::minutes(10),
    )
    .await
    .unwrap();
    s.save_oauth_state(
        "h2",
        me,
        Channel::Naver,
        &json!({}),
        t - Duration::seconds(1),
    )
    .await
    .unwrap();
    let taken = s.take_oauth_state("h1", t).await.unwrap().unwrap();
    assert_eq!(
        (taken.0, taken.1, taken.2["clubId"].as_str()),
        (me, Channel::Naver, Some("1"))
    );
    assert!(
        s.take_oauth_state("h1", t).await.unwrap().is_none(),
        "once only"
    );
    assert!(
        s.take_oauth_state("h2", t).await.unwrap().is_none(),
        "expired"
    );
    assert!(s.take_oauth_state("nope", t).await.unwrap().is_none());
}

fn distribution(event: &Event, channels: &[Channel]) -> Distribution {
    let id = DistributionId::new();
    let t = now();
    Distribution {
        id,
        event_id: event.id,
        created_at: t,
        channels: channels
            .iter()
            .map(|&channel| ChannelPost {
                distribution_id: id,
                event_id: event.id,
                channel,
                status: ChannelStatus::Pending,
                attempts: 0,
                content: PostContent {
                    title: "t".to_owned(),
                    text: "t".to_owned(),
                    hashtags: Vec::new(),
                    link: "http://127.0.0.1/r/x".to_owned(),
                    button: None,
                    image: None,
                    starts_on: t.date_naive(),
                    ends_on: t.date_naive(),
                    shop_name: "s".to_owned(),
                },
                external_id: None,
                url: None,
                failure: None,
                message: None,
                checkpoint: None,
                next_attempt_at: None,
                lease_until: None,
                review: None,
                updated_at: t,
            })
            .collect(),
    }
}

async fn published_event(
    s: &(impl EventStore + DistributionStore + UserStore),
) -> (Event, Distribution) {
    let me = owner(s).await;
    let shop = ShopInfo::parse("카페 봄날", "카페", "서울").unwrap();
    let mut event = Event::draft(me, None, Objective::Sales, shop, now());
    s.insert_event(&event).await.unwrap();
    event.status = event_marketing::domain::EventStatus::Published;
    event.published_at = Some(now());
    let d = distribution(&event, &[Channel::Instagram, Channel::Kakao]);
    let requested = DistributionRequested {
        distribution_id: d.id,
    };
    let message = OutboxMessage::new(event.id, Message::DistributionRequested(requested), now());
    s.publish_event(&event, &d, &seed_of(&event), &[message])
        .await
        .unwrap();
    (event, d)
}

/// A seed record as publishing writes it (the sealed bytes are opaque to the store).
fn seed_of(event: &Event) -> SeedRecord {
    SeedRecord {
        event_id: event.id,
        commitment: "c".repeat(64),
        sealed: Sealed {
            key_id: "p1".into(),
            bytes: vec![7; 60],
        },
        tag_key_id: "h1".into(),
        committed_at: chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
    }
}

async fn publishing_is_one_transaction_and_once(b: Backend) {
    let db = TestDb::new(b).await;
    let s = db.store().await;
    let (event, d) = published_event(&s).await;
    let stored = s.distribution_of_event(event.id).await.unwrap().unwrap();
    assert_eq!(stored, d);
    assert_eq!(s.distribution_by_id(d.id).await.unwrap().unwrap(), d);
    let saved = s.event_by_id(event.id).await.unwrap().unwrap();
    assert_eq!(
        saved.status,
        event_marketing::domain::EventStatus::Published
    );
    assert_eq!(
        s.due_messages(now() + Duration::seconds(1), 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(s.draw_seed(event.id).await.unwrap(), Some(seed_of(&event)));
    // Publishing again from the same read (stale version): refused, nothing written.
    let again = distribution(&event, &[Channel::Naver]);
    let err = s
        .publish_event(&event, &again, &seed_of(&event), &[])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict), "{err:?}");
    assert!(s.distribution_by_id(again.id).await.unwrap().is_none());
}

async fn a_post_is_held_by_one_attempt(b: Backend) {
    let db = TestDb::new(b).await;
    let s = db.store().await;
    let (_, d) = published_event(&s).await;
    let t = now();
    let lease = t + Duration::seconds(30);
    let claimed = s
        .claim_post(d.id, Channel::Instagram, t, lease)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (claimed.status, claimed.attempts),
        (ChannelStatus::InProgress, 1)
    );
    assert!(
        s.claim_post(d.id, Channel::Instagram, t, lease)
            .await
            .unwrap()
            .is_none(),
        "claimed once"
    );
    assert!(
        s.save_checkpoint(d.id, Channel::Instagram, 1, &json!({"container": "c1"}))
            .await
            .unwrap()
    );
    assert!(
        !s.save_checkpoint(d.id, Channel::Instagram, 2, &json!({}))
            .await
            .unwrap(),
        "not attempt 2's"
    );
    // Abandoned once the lease has run out.
    assert!(s.abandoned_posts(t, 10).await.unwrap().is_empty());
    let abandoned = s
        .abandoned_posts(lease + Duration::seconds(1), 10)
        .await
        .unwrap();
    assert_eq!(abandoned.len(), 1);
    assert_eq!(abandoned[0].checkpoint, Some(json!({"container": "c1"})));
    // Only the attempt that holds it settles it; a settling keeps the checkpoint the attempt
    // saved, even from a copy that still holds an older one (read when it was claimed).
    let done = ChannelPost {
        status: ChannelStatus::Published,
        external_id: Some("m1".into()),
        checkpoint: Some(json!({"container": "c0"})),
        lease_until: None,
        ..claimed.clone()
    };
    assert!(
        !s.update_post(&done, ChannelStatus::InProgress, 2)
            .await
            .unwrap()
    );
    assert!(
        s.update_post(&done, ChannelStatus::InProgress, 1)
            .await
            .unwrap()
    );
    assert!(
        !s.update_post(&done, ChannelStatus::InProgress, 1)
            .await
            .unwrap(),
        "twice: nothing"
    );
    let now_d = s.distribution_by_id(d.id).await.unwrap().unwrap();
    let ig = now_d
        .channels
        .iter()
        .find(|p| p.channel == Channel::Instagram)
        .unwrap();
    assert_eq!(
        (ig.status, ig.checkpoint.clone()),
        (ChannelStatus::Published, Some(json!({"container": "c1"})))
    );
    // Due posts: Kakao, until it waits for later; UNKNOWN posts by when they were looked at.
    assert_eq!(
        s.due_posts(t, 10).await.unwrap(),
        vec![(d.id, Channel::Kakao)]
    );
    let kakao = now_d
        .channels
        .iter()
        .find(|p| p.channel == Channel::Kakao)
        .unwrap()
        .clone();
    let later = ChannelPost {
        status: ChannelStatus::Scheduled,
        next_attempt_at: Some(t + Duration::hours(1)),
        ..kakao.clone()
    };
    assert!(
        s.update_post(&later, ChannelStatus::Pending, 0)
            .await
            .unwrap()
    );
    assert!(s.due_posts(t, 10).await.unwrap().is_empty());
    assert_eq!(
        s.due_posts(t + Duration::hours(2), 10).await.unwrap().len(),
        1
    );
    let unknown = ChannelPost {
        status: ChannelStatus::Unknown,
        next_attempt_at: None,
        updated_at: t,
        ..kakao
    };
    assert!(
        s.update_post(&unknown, ChannelStatus::Scheduled, 0)
            .await
            .unwrap()
    );
    assert_eq!(
        s.unknown_posts(t + Duration::seconds(1), 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(s.unknown_posts(t, 10).await.unwrap().is_empty());
    // Published under review: read again until the review is final.
    let reviewing = ChannelPost {
        status: ChannelStatus::Published,
        review: Some(Review::Reviewing),
        ..unknown.clone()
    };
    assert!(
        s.update_post(&reviewing, ChannelStatus::Unknown, 0)
            .await
            .unwrap()
    );
    let after = t + Duration::seconds(1);
    let found = s.reviewing_posts(after, 10).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].review,
        Some(Review::Reviewing),
        "the review round-trips"
    );
    assert!(s.reviewing_posts(t, 10).await.unwrap().is_empty());
    let passed = ChannelPost {
        review: Some(Review::OnAir),
        ..reviewing
    };
    assert!(
        s.update_post(&passed, ChannelStatus::Published, 0)
            .await
            .unwrap()
    );
    assert!(s.reviewing_posts(after, 10).await.unwrap().is_empty());
}

async fn completion_is_announced_once(b: Backend) {
    let db = TestDb::new(b).await;
    let s = db.store().await;
    let (event, d) = published_event(&s).await;
    let completed = DistributionCompleted {
        distribution_id: d.id,
        status: OverallStatus::Completed,
        channels: Vec::new(),
    };
    let m = |t| {
        OutboxMessage::new(
            event.id,
            Message::DistributionCompleted(completed.clone()),
            t,
        )
    };
    let t = now();
    assert!(s.announce_completion(d.id, &m(t), t).await.unwrap());
    assert!(!s.announce_completion(d.id, &m(t), t).await.unwrap());
    let due = s.due_messages(t + Duration::seconds(1), 10).await.unwrap();
    let completions = due
        .iter()
        .filter(|m| m.message_type == MessageType::DistributionCompleted)
        .count();
    assert_eq!(completions, 1);
}

on_both_backends!(
    connections_and_oauth_states,
    publishing_is_one_transaction_and_once,
    a_post_is_held_by_one_attempt,
    completion_is_announced_once,
);
