//! The entry batcher under more load than its store can take: once its queue is full, a new
//! entry is refused at once (the use case answers 503 ENTRY_007) instead of waiting without
//! bound; the ones queued are written when the store frees up. A real SQLite database is held
//! busy by another connection's write transaction.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Backend, TestDb};
use event_marketing::app::entries::announce;
use event_marketing::app::intake::{Intake, WriteError};
use event_marketing::domain::EventId;
use event_marketing::domain::entrant::Receipt;
use event_marketing::ports::{NewEntry, Personal, Sealed, Store};
use sqlx::Connection;

fn entry(n: u8) -> NewEntry {
    let sealed = Sealed {
        key_id: "p1".into(),
        bytes: vec![n; 40],
    };
    NewEntry {
        event_id: EventId::new(),
        receipt: Receipt::generate(),
        leaf: format!("{n:064x}"),
        source: None,
        agree_marketing: false,
        entered_at: chrono::Utc::now(),
        idempotency_key: None,
        personal: Personal {
            phone_tag: format!("p{n}"),
            owner_tag: format!("o{n}"),
            tag_key_id: "h1".into(),
            name: sealed.clone(),
            phone: sealed,
        },
        pass: None,
    }
}

#[tokio::test]
async fn a_full_queue_refuses_at_once_and_the_queued_are_written_later() {
    let db = TestDb::new(Backend::Sqlite).await;
    let store: Arc<dyn Store> = Arc::new(db.store().await);
    let mut blocker = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut blocker)
        .await
        .unwrap();

    let intake = Arc::new(Intake::start_with_queue(store, Arc::new(announce), 1, 2));
    let mut waiting = Vec::new();
    for n in 0..3 {
        let intake = intake.clone();
        waiting.push(tokio::spawn(async move { intake.write(entry(n)).await }));
        // The first is taken into a transaction (blocked by the other connection); two wait.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let refused = intake.write(entry(9)).await;
    assert!(matches!(refused, Err(WriteError::Busy)), "{refused:?}");

    sqlx::query("COMMIT").execute(&mut blocker).await.unwrap();
    for w in waiting {
        // Written or not (no such event): answered, none refused.
        assert!(w.await.unwrap().is_ok());
    }
}
