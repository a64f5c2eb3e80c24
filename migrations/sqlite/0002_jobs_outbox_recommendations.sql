-- Background jobs, the transactional outbox, AI recommendations. SQLite flavour.

-- Jobs have no foreign keys: their history survives the event's deletion.
CREATE TABLE jobs (
    id            BLOB PRIMARY KEY NOT NULL,
    user_id       BLOB NOT NULL,
    event_id      BLOB NOT NULL,
    job_type      TEXT NOT NULL CHECK (job_type IN ('AI_RECOMMENDATION', 'IMAGE_GENERATION')),
    status        TEXT NOT NULL CHECK (status IN ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED')),
    progress      INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    deliveries    INTEGER NOT NULL DEFAULT 0 CHECK (deliveries >= 0),
    request       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(request)),
    result_key    TEXT,
    error_message TEXT,
    note          TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    finished_at   TEXT
);
CREATE INDEX jobs_user_idx ON jobs (user_id);
CREATE INDEX jobs_event_idx ON jobs (event_id);

-- Messages written in the same transaction as the state change they announce; a relay delivers
-- them (locally in process, in Azure to Service Bus, with MessageId = id).
CREATE TABLE outbox (
    id            BLOB PRIMARY KEY NOT NULL,
    destination   TEXT NOT NULL,
    message_type  TEXT NOT NULL,
    payload       TEXT NOT NULL CHECK (json_valid(payload)),
    attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    available_at  TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    delivered_at  TEXT,
    dead_at       TEXT,
    last_error    TEXT
);
CREATE INDEX outbox_due_idx ON outbox (delivered_at, dead_at, available_at);

CREATE TABLE recommendations (
    id             BLOB PRIMARY KEY NOT NULL,
    event_id       BLOB NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    job_id         BLOB NOT NULL,
    rank           INTEGER NOT NULL CHECK (rank BETWEEN 1 AND 3),
    promotion_type TEXT NOT NULL,
    plan           TEXT NOT NULL CHECK (json_valid(plan)),
    selected       INTEGER NOT NULL DEFAULT 0 CHECK (selected IN (0, 1)),
    created_at     TEXT NOT NULL,
    UNIQUE (event_id, rank),
    UNIQUE (event_id, promotion_type)
);
CREATE UNIQUE INDEX recommendations_one_selected ON recommendations (event_id) WHERE selected = 1;

-- What an event drew, for the recommender's platform history. Entries arrive with the entries
-- feature; until then every count is 0 and the history is empty, as on a new platform.
ALTER TABLE events ADD COLUMN promotion_type TEXT;
ALTER TABLE events ADD COLUMN industry_kind TEXT;
ALTER TABLE events ADD COLUMN entry_count INTEGER NOT NULL DEFAULT 0 CHECK (entry_count >= 0);
CREATE INDEX events_history_idx ON events (industry_kind, objective, status);
