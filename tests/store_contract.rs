//! One contract for every store operation, run against SQLite and PostgreSQL alike.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{Duration, NaiveDate, SubsecRound, Utc};
use common::{Backend, TestDb};
use event_marketing::domain::JobId;
use event_marketing::domain::RecommendationId;
use event_marketing::domain::contact::ShopPhone;
use event_marketing::domain::event::Change;
use event_marketing::domain::job::{Job, JobRequest, JobStatus, JobType};
use event_marketing::domain::mechanic::{Benefit, Mechanic, Validity};
use event_marketing::domain::promotion::{
    IndustryKind, Plan, PromotionStats, PromotionType, Recommendation,
};
use event_marketing::domain::{
    Channel, Email, Event, EventEdit, EventStatus, Objective, OutboxMessage, OwnerName,
    PageRequest, Phone, ProfileUpdate, Shop, ShopId, ShopInfo, User, UserId,
};
use event_marketing::ports::{
    Completion, EventStore, JobStore, LoginThrottleStore, MailTokenStore, OutboxStore,
    RecommendationStore, Store as _, StoreError, UserStore,
};

fn now() -> chrono::DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

fn shop() -> ShopInfo {
    ShopInfo::parse("카페 봄날", "카페", "서울특별시 마포구 양화로 45").unwrap()
}

fn user(email: &str, with_store: bool) -> User {
    let t = now();
    User {
        id: UserId::new(),
        email: Email::parse(email).unwrap(),
        name: OwnerName::parse("김봄").unwrap(),
        phone: Some(Phone::parse("010-1234-5678").unwrap()),
        shop: with_store.then(|| Shop {
            id: ShopId::new(),
            info: shop(),
            phone: None,
        }),
        created_at: t,
        updated_at: t,
    }
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn users_round_trip(b: Backend) {
    let db = TestDb::new(b).await;
    let s = db.store().await;
    assert_eq!(
        s.backend().name(),
        if b == Backend::Sqlite {
            "sqlite"
        } else {
            "postgres"
        }
    );
    s.ping().await.unwrap();
    let with = user("a@cafe.kr", true);
    let without = user("b@cafe.kr", false);
    s.insert_user(&with, "hash-a").await.unwrap();
    s.insert_user(&without, "hash-b").await.unwrap();

    let c = s.credentials_by_email(&with.email).await.unwrap().unwrap();
    assert_eq!(c.user, with);
    assert_eq!(c.password_hash, "hash-a");
    let c = s.credentials_by_id(without.id).await.unwrap().unwrap();
    assert_eq!(c.user, without);
    assert!(s.credentials_by_id(UserId::new()).await.unwrap().is_none());
    assert!(
        s.credentials_by_email(&Email::parse("nobody@cafe.kr").unwrap())
            .await
            .unwrap()
            .is_none()
    );
}

async fn duplicate_email_is_reported(b: Backend) {
    let db = TestDb::new(b).await;
    let s = db.store().await;
    s.insert_user(&user("a@cafe.kr", true), "h").await.unwrap();
    let err = s
        .insert_user(&user("a@cafe.kr", false), "h")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Duplicate), "{err:?}");
}

async fn profile_updates(b: Backend) {
    let db = TestDb::new(b).await;
    let s = db.store().await;
    let u = user("a@cafe.kr", false);
    s.insert_user(&u, "h").await.unwrap();
    let later = now() + Duration::seconds(5);

    // Adding a shop creates it; changing it keeps its id.
    let updated = s
        .update_profile(
            u.id,
            &ProfileUpdate {
                name: Some(OwnerName::parse("이봄").unwrap()),
                phone: Some(None),
                shop: Some(Some(shop())),
                shop_phone: Some(ShopPhone::parse("02-123-4567").ok()),
            },
            later,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(updated.name.as_str(), "이봄");
    assert_eq!(updated.phone, None);
    assert_eq!(updated.updated_at, later);
    let first_store = updated.shop.clone().unwrap();
    assert_eq!(first_store.info, shop());
    // The shop's phone goes with the shop, and is read by its id for the event page.
    assert_eq!(
        first_store.phone.as_ref().map(ShopPhone::as_str),
        Some("02-123-4567")
    );
    let read = s.shop_phone(first_store.id).await.unwrap();
    assert_eq!(read.as_ref().map(ShopPhone::as_str), Some("02-123-4567"));

    let moved = ShopInfo::parse("카페 봄날 2호점", "카페", "부산광역시 해운대구").unwrap();
    let updated = s
        .update_profile(
            u.id,
            &ProfileUpdate {
                shop: Some(Some(moved.clone())),
                ..Default::default()
            },
            later,
        )
        .await
        .unwrap()
        .unwrap();
    let second_store = updated.shop.unwrap();
    assert_eq!(second_store.id, first_store.id);
    assert_eq!(second_store.info, moved);
    assert_eq!(updated.name.as_str(), "이봄", "absent fields are kept");

    // Edits of different fields do not undo each other.
    s.update_profile(
        u.id,
        &ProfileUpdate {
            phone: Some(Some(Phone::parse("010-5555-6666").unwrap())),
            ..Default::default()
        },
        later,
    )
    .await
    .unwrap();
    let both = s.credentials_by_id(u.id).await.unwrap().unwrap().user;
    assert_eq!(both.name.as_str(), "이봄");
    assert_eq!(both.phone.as_ref().unwrap().as_str(), "010-5555-6666");

    // Removing the shop keeps the owner's events (their store_id becomes empty).
    let e = draft_of(&both);
    s.insert_event(&e).await.unwrap();
    let removed = s
        .update_profile(
            u.id,
            &ProfileUpdate {
                shop: Some(None),
                ..Default::default()
            },
            later,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(removed.shop, None);
    let kept = s.event_of_owner(u.id, e.id).await.unwrap().unwrap();
    assert_eq!(kept.shop_id, None);
    assert_eq!(kept.shop, e.shop, "the event keeps its shop snapshot");

    assert!(
        s.update_profile(UserId::new(), &ProfileUpdate::default(), later)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        s.update_password_hash(u.id, "new-hash", later)
            .await
            .unwrap()
    );
    assert_eq!(
        s.credentials_by_id(u.id)
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        "new-hash"
    );
    // A password change and a logout each move the token version on.
    assert_eq!(s.token_version(u.id).await.unwrap(), Some(2));
    assert!(s.end_sessions(u.id, later).await.unwrap());
    assert_eq!(s.token_version(u.id).await.unwrap(), Some(3));
    assert_eq!(s.token_version(UserId::new()).await.unwrap(), None);
    assert!(!s.end_sessions(UserId::new(), later).await.unwrap());
    assert!(
        !s.update_password_hash(UserId::new(), "x", later)
            .await
            .unwrap()
    );
}

async fn owner_with_store(s: &impl UserStore) -> User {
    let u = user(&format!("{}@cafe.kr", uuid::Uuid::new_v4().simple()), true);
    s.insert_user(&u, "h").await.unwrap();
    u
}

fn draft_of(u: &User) -> Event {
    Event::draft(
        u.id,
        u.shop.as_ref().map(|s| s.id),
        Objective::Revisit,
        shop(),
        now(),
    )
}

async fn events_round_trip_and_ownership(b: Backend) {
    let db = TestDb::new(b).await;
    let s = db.store().await;
    let owner = owner_with_store(&s).await;
    let other = owner_with_store(&s).await;
    let mut e = draft_of(&owner);
    e.edit(
        EventEdit {
            name: Change::Set("재방문 스탬프 2배".into()),
            description: Change::Set("12월 한 달 동안 스탬프를 두 배로!".into()),
            prize: Change::Set("아메리카노 1잔".into()),
            prize_value: Change::Set(4_500),
            budget: Change::Set(250_000),
            start_date: Change::Set(date("2026-12-01")),
            end_date: Change::Set(date("2026-12-31")),
            mechanic: Change::Set(Mechanic::StampCard {
                goal: 5,
                reward: Benefit::Item {
                    name: "아메리카노 1잔".into(),
                    value: 1_500,
                },
                min_gap_hours: 12,
                cap: Some(100),
                validity: Validity::Days { days: 60 },
            }),
        },
        now(),
    )
    .unwrap();
    e.set_channels(vec![Channel::Instagram, Channel::GiniTv], now())
        .unwrap();
    s.insert_event(&e).await.unwrap();

    let read = s.event_of_owner(owner.id, e.id).await.unwrap().unwrap();
    assert_eq!(read, e, "every field survives the round trip");
    assert!(s.event_of_owner(other.id, e.id).await.unwrap().is_none());
}

async fn saving_is_versioned(b: Backend) {
    let db = TestDb::new(b).await;
    let s = db.store().await;
    let owner = owner_with_store(&s).await;
    let e = draft_of(&owner);
    s.insert_event(&e).await.unwrap();

    let mut a = e.clone();
    a.set_channels(vec![Channel::Kakao], now()).unwrap();
    let saved = s.save_event(&a).await.unwrap();
    assert_eq!(saved.version, e.version + 1);
    assert_eq!(
        s.event_of_owner(owner.id, e.id).await.unwrap().unwrap(),
        saved
    );

    // A writer holding the old version loses.
    let mut stale = e.clone();
    stale.set_channels(vec![Channel::Naver], now()).unwrap();
    assert!(matches!(
        s.save_event(&stale).await,
        Err(StoreError::Conflict)
    ));

    // Lifecycle states persist.
    let mut p = saved.clone();
    p.edit(
        EventEdit {
            name: Change::Set("이름".into()),
            start_date: Change::Set(date("2026-12-01")),
            end_date: Change::Set(date("2026-12-02")),
            ..Default::default()
        },
        now(),
    )
    .unwrap();
    p.publish(now()).unwrap();
    let p = s.save_event(&p).await.unwrap();
    let read = s.event_of_owner(owner.id, e.id).await.unwrap().unwrap();
    assert_eq!(read.status, EventStatus::Published);
    assert_eq!(read.published_at, p.published_at);
}

async fn deleting(b: Backend) {
    let db = TestDb::new(b).await;
    let s = db.store().await;
    let owner = owner_with_store(&s).await;
    let e = draft_of(&owner);
    s.insert_event(&e).await.unwrap();

    let mut stale = e.clone();
    stale.version += 1;
    assert!(matches!(
        s.delete_event(&stale).await,
        Err(StoreError::Conflict)
    ));
    s.delete_event(&e).await.unwrap();
    assert!(s.event_of_owner(owner.id, e.id).await.unwrap().is_none());

    // The store itself refuses to delete anything but a DRAFT.
    let mut ended = draft_of(&owner);
    ended.status = EventStatus::Ended;
    s.insert_event(&ended).await.unwrap();
    assert!(matches!(
        s.delete_event(&ended).await,
        Err(StoreError::Conflict)
    ));
}

async fn listing_pages_and_filters(b: Backend) {
    let db = TestDb::new(b).await;
    let s = db.store().await;
    let owner = owner_with_store(&s).await;
    let other = owner_with_store(&s).await;
    let base = now();
    let mut ids = Vec::new();
    for i in 0..5 {
        let mut e = draft_of(&owner);
        e.created_at = base + Duration::milliseconds(i * 10);
        if i == 1 {
            e.status = EventStatus::Ended;
        }
        s.insert_event(&e).await.unwrap();
        ids.push(e.id);
    }
    s.insert_event(&draft_of(&other)).await.unwrap();

    let all = s
        .list_events(owner.id, None, PageRequest::parse(None, None).unwrap())
        .await
        .unwrap();
    assert_eq!(all.total, 5);
    let listed: Vec<_> = all.items.iter().map(|e| e.id).collect();
    let mut newest_first = ids.clone();
    newest_first.reverse();
    assert_eq!(listed, newest_first);

    let page2 = s
        .list_events(
            owner.id,
            None,
            PageRequest::parse(Some(2), Some(2)).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        (page2.total, page2.items.len(), page2.page, page2.size),
        (5, 2, 2, 2)
    );
    assert_eq!(page2.items[0].id, ids[2]);

    let ended = s
        .list_events(
            owner.id,
            Some(EventStatus::Ended),
            PageRequest::parse(None, None).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(ended.total, 1);
    assert_eq!(ended.items[0].id, ids[1]);

    let beyond = s
        .list_events(
            owner.id,
            None,
            PageRequest::parse(Some(9), Some(10)).unwrap(),
        )
        .await
        .unwrap();
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total, 5);
}

async fn login_throttle_counts_in_a_window(b: Backend) {
    let db = TestDb::new(b).await;
    let s = db.store().await;
    let t0 = now();
    let window = Duration::minutes(15);
    for expected in 1..=3 {
        let n = s.record_login_attempt("k", t0, t0 - window).await.unwrap();
        assert_eq!(n, (expected, 0));
    }
    let other = s.record_login_attempt("other", t0, t0 - window).await;
    assert_eq!(other.unwrap(), (1, 0));
    // After the window, counting starts again.
    let t1 = t0 + Duration::minutes(16);
    let again = s.record_login_attempt("k", t1, t1 - window).await;
    assert_eq!(again.unwrap(), (1, 0));

    assert_eq!(s.login_locked_until("k").await.unwrap(), None);
    let until = t1 + Duration::minutes(15);
    s.lock_login("k", until).await.unwrap();
    let locked = s.login_locked_until("k").await.unwrap();
    assert_eq!(
        locked.map(|d| d.timestamp_millis()),
        Some(until.timestamp_millis())
    );
    // After the lock, counting starts again, and the round is remembered.
    let t2 = until + Duration::seconds(1);
    let after = s.record_login_attempt("k", t2, t2 - window).await;
    assert_eq!(after.unwrap(), (1, 1));
    s.clear_login_failures("k").await.unwrap();
    assert_eq!(s.login_locked_until("k").await.unwrap(), None);
    let cleared = s.record_login_attempt("k", t1, t1 - window).await;
    assert_eq!(cleared.unwrap(), (1, 0), "a success forgets the rounds");
}

async fn mail_links_work_once_and_briefly(b: Backend) {
    use event_marketing::domain::mailbox::{MailPurpose, MailToken, token_hash};
    let db = TestDb::new(b).await;
    let s = db.store().await;
    let owner = owner_with_store(&s).await;
    let t0 = now();
    let (first, second) = ("a".repeat(64), "b".repeat(64));
    s.save_mail_token(&MailToken::new(&first, owner.id, MailPurpose::Reset, t0))
        .await
        .unwrap();
    let reset = MailPurpose::Reset;
    let (h1, h2) = (token_hash(&first), token_hash(&second));
    assert_eq!(
        s.mail_token_owner(reset, &h1, t0).await.unwrap(),
        Some(owner.id)
    );
    let verify = s.mail_token_owner(MailPurpose::Verify, &h1, t0).await;
    assert_eq!(verify.unwrap(), None, "a reset link verifies nothing");
    // A newer link: the older stops working.
    let t1 = t0 + Duration::minutes(1);
    s.save_mail_token(&MailToken::new(&second, owner.id, reset, t1))
        .await
        .unwrap();
    assert_eq!(s.mail_token_owner(reset, &h1, t1).await.unwrap(), None);
    assert_eq!(s.mail_tokens_since(owner.id, reset, t0).await.unwrap(), 2);
    assert_eq!(
        s.mail_tokens_since(owner.id, reset, t1 + Duration::seconds(1))
            .await
            .unwrap(),
        0
    );
    // Past its half hour it is spent; within it, it is taken once.
    let late = t1 + Duration::minutes(31);
    assert_eq!(s.take_mail_token(reset, &h2, late).await.unwrap(), None);
    let taken = s.take_mail_token(reset, &h2, t1).await.unwrap();
    assert_eq!(taken, Some(owner.id));
    assert_eq!(s.take_mail_token(reset, &h2, t1).await.unwrap(), None);
    // The address proved stays proved.
    assert!(
        !s.credentials_by_id(owner.id)
            .await
            .unwrap()
            .unwrap()
            .email_verified
    );
    s.mark_email_verified(owner.id, t1).await.unwrap();
    s.mark_email_verified(owner.id, late).await.unwrap();
    assert!(
        s.credentials_by_id(owner.id)
            .await
            .unwrap()
            .unwrap()
            .email_verified
    );
}

async fn finding_events_due_to_end(b: Backend) {
    let db = TestDb::new(b).await;
    let s = db.store().await;
    let owner = owner_with_store(&s).await;
    let other = owner_with_store(&s).await;
    let published = |u: &User, start: &str, end: &str| {
        let mut e = draft_of(u);
        e.edit(
            EventEdit {
                name: Change::Set("이벤트".into()),
                start_date: Change::Set(date(start)),
                end_date: Change::Set(date(end)),
                ..Default::default()
            },
            now(),
        )
        .unwrap();
        e.set_channels(vec![Channel::Kakao], now()).unwrap();
        e.publish(now()).unwrap();
        e
    };
    let over = published(&owner, "2026-11-01", "2026-11-20");
    let others_over = published(&other, "2026-11-01", "2026-11-19");
    let last_day_today = published(&owner, "2026-11-01", "2026-11-21");
    let mut draft_over = draft_of(&owner);
    draft_over.end_date = Some(date("2026-11-01"));
    for e in [&over, &others_over, &last_day_today, &draft_over] {
        s.insert_event(e).await.unwrap();
    }
    let due = s
        .published_events_ending_before(date("2026-11-21"), 10)
        .await
        .unwrap();
    let ids: Vec<_> = due.iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        vec![others_over.id, over.id],
        "oldest end date first, every owner"
    );
    let one = s
        .published_events_ending_before(date("2026-11-21"), 1)
        .await
        .unwrap();
    assert_eq!(one.len(), 1);
}

async fn purging_stale_login_counters(b: Backend) {
    let db = TestDb::new(b).await;
    let s = db.store().await;
    let t0 = now();
    let window = Duration::minutes(15);
    s.record_login_attempt("old", t0, t0 - window)
        .await
        .unwrap();
    s.record_login_attempt("old-locked", t0, t0 - window)
        .await
        .unwrap();
    s.lock_login("old-locked", t0 + Duration::hours(2))
        .await
        .unwrap();
    let t1 = t0 + Duration::hours(1);
    s.record_login_attempt("fresh", t1, t1 - window)
        .await
        .unwrap();
    // "old-locked" restarted its window at the lock's end (t0 + 2h): still kept.
    let purged = s.purge_login_failures(t1 - window, t1).await.unwrap();
    assert_eq!(purged, 1);
    assert_eq!(
        s.record_login_attempt("old", t1, t1 - window)
            .await
            .unwrap(),
        (1, 0)
    );
    assert_eq!(
        s.record_login_attempt("fresh", t1, t1 - window)
            .await
            .unwrap(),
        (2, 0)
    );
    assert!(s.login_locked_until("old-locked").await.unwrap().is_some());
}

fn plan(t: PromotionType) -> Plan {
    Plan {
        mechanic: None,
        promotion_type: t,
        name: format!("{} 이벤트", t.label()),
        description: "설명".into(),
        prize: "아메리카노".into(),
        target_audience: "주민".into(),
        start_date: date("2026-12-01"),
        end_date: date("2026-12-14"),
        expected_participants: 100,
        estimated_cost: 100_000,
        hashtags: vec!["#카페".into()],
        reason: "이유".into(),
        ad_copy: "(광고) 이벤트".into(),
    }
}

async fn jobs_outbox_and_recommendations(b: Backend) {
    let db = TestDb::new(b).await;
    let s = db.store().await;
    let owner = owner_with_store(&s).await;
    let e = draft_of(&owner);
    s.insert_event(&e).await.unwrap();
    let t0 = now();
    let job = Job::new(owner.id, e.id, JobRequest::AiRecommendation, t0);
    let msg = OutboxMessage::new(e.id, job.job_type().message(job.id), t0);
    s.insert_job(&job, &msg).await.unwrap();
    assert_eq!(
        s.job_of_owner(owner.id, job.id).await.unwrap().unwrap(),
        job
    );
    assert!(
        s.job_of_owner(UserId::new(), job.id)
            .await
            .unwrap()
            .is_none()
    );

    // The outbox: due, claimed once, retried later, delivered.
    let due = s.due_messages(t0, 10).await.unwrap();
    assert_eq!(due, vec![msg.clone()]);
    let lease = t0 + Duration::minutes(10);
    assert_eq!(
        s.claim_message(msg.id, t0, lease).await.unwrap(),
        Some(1),
        "the attempt is counted"
    );
    assert_eq!(
        s.claim_message(msg.id, t0, lease).await.unwrap(),
        None,
        "a second relay cannot take it"
    );
    s.mark_retry(msg.id, t0 + Duration::seconds(1), "boom")
        .await
        .unwrap();
    assert!(s.due_messages(t0, 10).await.unwrap().is_empty());
    let later = s.due_messages(t0 + Duration::seconds(1), 10).await.unwrap();
    assert_eq!(later[0].attempts, 1);
    s.mark_delivered(msg.id, t0).await.unwrap();
    assert!(
        s.due_messages(t0 + Duration::days(1), 10)
            .await
            .unwrap()
            .is_empty()
    );

    // Deliveries and progress.
    let started = s.start_job_delivery(job.id, t0).await.unwrap().unwrap();
    assert_eq!(
        (started.status, started.deliveries, started.progress),
        (JobStatus::Processing, 1, 10)
    );
    s.set_job_progress(job.id, 60, t0).await.unwrap();
    s.set_job_progress(job.id, 30, t0).await.unwrap();
    assert_eq!(
        s.start_job_delivery(job.id, t0)
            .await
            .unwrap()
            .unwrap()
            .progress,
        60,
        "never backwards"
    );

    // Completion writes the results once; a second completion changes nothing.
    let recs: Vec<Recommendation> = [
        PromotionType::StampCard,
        PromotionType::Giveaway,
        PromotionType::Referral,
    ]
    .into_iter()
    .zip(1u8..)
    .map(|(t, rank)| Recommendation {
        id: RecommendationId::new(),
        event_id: e.id,
        job_id: job.id,
        rank,
        plan: plan(t),
        selected: false,
        created_at: t0,
    })
    .collect();
    assert_eq!(
        s.complete_recommendation_job(&job, &recs, Some("note"), t0)
            .await
            .unwrap(),
        Completion::Stored
    );
    assert_eq!(
        s.complete_recommendation_job(&job, &recs[..1], None, t0)
            .await
            .unwrap(),
        Completion::AlreadyFinished
    );
    assert!(!s.fail_job(job.id, "늦은 실패", t0).await.unwrap());
    let stored = s.recommendations_of_event(e.id).await.unwrap();
    assert_eq!(stored, recs);
    let finished = s.job_of_owner(owner.id, job.id).await.unwrap().unwrap();
    assert_eq!(
        (finished.status, finished.progress),
        (JobStatus::Completed, 100)
    );
    assert_eq!(finished.note.as_deref(), Some("note"));

    // Selection: exactly one, with the event saved in the same transaction.
    let mut edited = s.event_of_owner(owner.id, e.id).await.unwrap().unwrap();
    edited.name = Some("선택".into());
    edited.promotion_type = Some(PromotionType::Giveaway);
    let saved = s
        .select_recommendation(&edited, recs[1].id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.version, edited.version + 1);
    let mut again = saved.clone();
    again.promotion_type = Some(PromotionType::StampCard);
    let saved = s
        .select_recommendation(&again, recs[0].id)
        .await
        .unwrap()
        .unwrap();
    let selected: Vec<u8> = s
        .recommendations_of_event(e.id)
        .await
        .unwrap()
        .iter()
        .filter(|r| r.selected)
        .map(|r| r.rank)
        .collect();
    assert_eq!(selected, vec![1]);
    assert_eq!(s.event_by_id(e.id).await.unwrap().unwrap(), saved);
    assert!(
        s.select_recommendation(&saved, RecommendationId::new())
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        s.select_recommendation(&edited, recs[2].id).await,
        Err(StoreError::Conflict)
    ));
    let still: Vec<u8> = s
        .recommendations_of_event(e.id)
        .await
        .unwrap()
        .iter()
        .filter(|r| r.selected)
        .map(|r| r.rank)
        .collect();
    assert_eq!(still, vec![1], "a refused selection changes nothing");

    // A failed job.
    let other = Job::new(owner.id, e.id, JobRequest::AiRecommendation, t0);
    s.insert_job(
        &other,
        &OutboxMessage::new(e.id, JobType::AiRecommendation.message(JobId::new()), t0),
    )
    .await
    .unwrap();
    assert!(s.fail_job(other.id, "실패했습니다", t0).await.unwrap());
    let failed = s.job_of_owner(owner.id, other.id).await.unwrap().unwrap();
    assert_eq!(failed.status, JobStatus::Failed);
    assert_eq!(failed.error_message.as_deref(), Some("실패했습니다"));
}

async fn promotion_history_of_ended_events(b: Backend) {
    let db = TestDb::new(b).await;
    let s = db.store().await;
    let owner = owner_with_store(&s).await;
    let seed = |t: PromotionType, status: EventStatus, industry: &str, entries: i64| {
        let mut e = draft_of(&owner);
        e.shop.industry = industry.into();
        e.status = status;
        e.promotion_type = Some(t);
        (e, entries)
    };
    let seeded = [
        seed(PromotionType::Giveaway, EventStatus::Ended, "카페", 400),
        seed(
            PromotionType::Giveaway,
            EventStatus::Ended,
            "디저트 카페",
            200,
        ),
        seed(PromotionType::StampCard, EventStatus::Ended, "카페", 50),
        seed(
            PromotionType::StampCard,
            EventStatus::Published,
            "카페",
            999,
        ),
        seed(PromotionType::Referral, EventStatus::Ended, "미용실", 999),
    ];
    for (e, entries) in &seeded {
        s.insert_event(e).await.unwrap();
        // Entry counts arrive with the entries feature; seeded directly here.
        db.execute(&format!(
            "UPDATE events SET entry_count = {entries} WHERE id = {}",
            db.uuid_literal(e.id.0)
        ))
        .await;
    }
    let history = s
        .promotion_history(IndustryKind::Cafe, Objective::Revisit)
        .await
        .unwrap();
    assert_eq!(
        history,
        vec![
            PromotionStats {
                promotion_type: PromotionType::Giveaway,
                events: 2,
                average_entries: 300.0
            },
            PromotionStats {
                promotion_type: PromotionType::StampCard,
                events: 1,
                average_entries: 50.0
            },
        ]
    );
    assert!(
        s.promotion_history(IndustryKind::Cafe, Objective::Sales)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn migrations_are_idempotent(b: Backend) {
    let db = TestDb::new(b).await;
    let s = db.store().await;
    s.migrate().await.unwrap();
    let again = db.store().await;
    again.ping().await.unwrap();
}

on_both_backends!(
    users_round_trip,
    duplicate_email_is_reported,
    profile_updates,
    events_round_trip_and_ownership,
    saving_is_versioned,
    deleting,
    listing_pages_and_filters,
    login_throttle_counts_in_a_window,
    mail_links_work_once_and_briefly,
    jobs_outbox_and_recommendations,
    promotion_history_of_ended_events,
    finding_events_due_to_end,
    purging_stale_login_counters,
    migrations_are_idempotent,
);
