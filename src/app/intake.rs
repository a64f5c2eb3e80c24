//! The entry hot path: group commit. Requests hand their entry to one batcher task and wait;
//! the batcher takes everything queued (up to `MAX_BATCH`) and writes it in one transaction, a
//! few transactions at a time, and answers each request only after its transaction committed.
//! While a commit is in flight the next batch fills up, so the busier it gets, the fewer commits
//! per entry. No lock is held across requests; the event's state is cached for a second. When
//! more entries wait than `QUEUE` (about a tenth of a second of the most it can write), a new
//! one is refused at once (503, retry later) instead of queueing without bound.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, mpsc, oneshot};

use crate::domain::EventId;
use crate::ports::{Announce, EntryGate, Inserted, NewEntry, Store, StoreError};

/// Entries written in one transaction at most.
pub const MAX_BATCH: usize = 512;
/// Entries waiting for a transaction at most.
pub const QUEUE: usize = 4 * MAX_BATCH;
/// How long an event's state is trusted on the hot path. The write itself re-checks that the
/// event is PUBLISHED, so a stale cache can only refuse late, never accept late.
const GATE_TTL: Duration = Duration::from_secs(1);
const MAX_GATES: usize = 10_000;

type Answer = Result<Inserted, Arc<StoreError>>;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("too many entries waiting")]
    Busy,
    #[error("store")]
    Store(#[from] StoreError),
}

struct Pending {
    entry: NewEntry,
    done: oneshot::Sender<Answer>,
}

pub struct Intake {
    tx: mpsc::Sender<Pending>,
    gates: Mutex<HashMap<EventId, (Instant, Option<EntryGate>)>>,
}

impl Intake {
    /// Starts the batcher: `writers` transactions in flight at most (SQLite has one writer).
    pub fn start(store: Arc<dyn Store>, announce: Arc<Announce>, writers: usize) -> Self {
        Self::start_with_queue(store, announce, writers, QUEUE)
    }

    /// Like `start`, with room for `queue` waiting entries.
    pub fn start_with_queue(
        store: Arc<dyn Store>,
        announce: Arc<Announce>,
        writers: usize,
        queue: usize,
    ) -> Self {
        let (tx, rx) = mpsc::channel(queue);
        tokio::spawn(batches(rx, writers, MAX_BATCH, move |batch| {
            let (store, announce) = (store.clone(), announce.clone());
            async move { commit(&*store, &*announce, batch).await }
        }));
        Self {
            tx,
            gates: Mutex::new(HashMap::new()),
        }
    }

    /// Writes one entry with the next batch: `Written` once committed; else why not (it collided
    /// with an existing entry, its event no longer takes entries, the first-come passes ran out).
    pub async fn write(&self, entry: NewEntry) -> Result<Inserted, WriteError> {
        let (done, answer) = oneshot::channel();
        let stopped = || StoreError::Unavailable(anyhow::anyhow!("the entry batcher stopped"));
        match self.tx.try_send(Pending { entry, done }) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => return Err(WriteError::Busy),
            Err(mpsc::error::TrySendError::Closed(_)) => return Err(stopped().into()),
        }
        match answer.await.map_err(|_| stopped())? {
            Ok(written) => Ok(written),
            Err(e) => Err(StoreError::Unavailable(anyhow::anyhow!("{e}")).into()),
        }
    }

    /// The event's state, from the cache when fresh.
    pub async fn gate(
        &self,
        store: &dyn Store,
        event: EventId,
    ) -> Result<Option<EntryGate>, StoreError> {
        if let Some((at, gate)) = self.lock().get(&event)
            && at.elapsed() < GATE_TTL
        {
            return Ok(gate.clone());
        }
        self.fresh_gate(store, event).await
    }

    /// The event's state from the store (and into the cache).
    pub async fn fresh_gate(
        &self,
        store: &dyn Store,
        event: EventId,
    ) -> Result<Option<EntryGate>, StoreError> {
        let gate = store.entry_gate(event).await?;
        let mut gates = self.lock();
        if gates.len() >= MAX_GATES {
            gates.retain(|_, (at, _)| at.elapsed() < GATE_TTL);
        }
        gates.insert(event, (Instant::now(), gate.clone()));
        Ok(gate)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<EventId, (Instant, Option<EntryGate>)>> {
        self.gates.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The group commit's loop, for every batcher (entries here, visits in `app::visits`): waits
/// for a free writer, takes everything queued (up to `max`) and hands it to `commit` in its own
/// task, so the next batch fills while this one commits.
pub(crate) async fn batches<P: Send + 'static, F>(
    mut rx: mpsc::Receiver<P>,
    writers: usize,
    max: usize,
    commit: impl Fn(Vec<P>) -> F,
) where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(writers.max(1)));
    loop {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        let Some(first) = rx.recv().await else {
            return;
        };
        let mut batch = vec![first];
        while batch.len() < max {
            match rx.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let committing = commit(batch);
        tokio::spawn(async move {
            committing.await;
            drop(permit);
        });
    }
}

/// Writes one batch and answers its requests. The relay is not woken: its every-second pass takes
/// the `ParticipantRegistered` messages, so a burst of batches costs it one pass, not one each.
async fn commit(store: &dyn Store, announce: &Announce, batch: Vec<Pending>) {
    let (entries, waiting): (Vec<NewEntry>, Vec<oneshot::Sender<Answer>>) =
        batch.into_iter().map(|p| (p.entry, p.done)).unzip();
    match store.insert_entries(&entries, announce).await {
        Ok(written) => {
            for (done, w) in waiting.into_iter().zip(written) {
                let _ = done.send(Ok(w));
            }
        }
        Err(e) => {
            tracing::error!(
                error = format!("{e:#}"),
                entries = entries.len(),
                "entry batch failed"
            );
            let e = Arc::new(e);
            for done in waiting {
                let _ = done.send(Err(e.clone()));
            }
        }
    }
}
