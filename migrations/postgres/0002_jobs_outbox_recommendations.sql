-- Background jobs, the transactional outbox, AI recommendations. PostgreSQL flavour.

CREATE TABLE jobs (
    id            UUID PRIMARY KEY,
    user_id       UUID NOT NULL,
    event_id      UUID NOT NULL,
    job_type      TEXT NOT NULL CHECK (job_type IN ('AI_RECOMMENDATION', 'IMAGE_GENERATION')),
    status        TEXT NOT NULL CHECK (status IN ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED')),
    progress      INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    deliveries    INTEGER NOT NULL DEFAULT 0 CHECK (deliveries >= 0),
    request       JSONB NOT NULL DEFAULT '{}'::jsonb,
    result_key    TEXT,
    error_message TEXT,
    note          TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ
);
CREATE INDEX jobs_user_idx ON jobs (user_id);
CREATE INDEX jobs_event_idx ON jobs (event_id);

CREATE TABLE outbox (
    id            UUID PRIMARY KEY,
    destination   TEXT NOT NULL,
    message_type  TEXT NOT NULL,
    payload       JSONB NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    available_at  TIMESTAMPTZ NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    delivered_at  TIMESTAMPTZ,
    dead_at       TIMESTAMPTZ,
    last_error    TEXT
);
CREATE INDEX outbox_due_idx ON outbox (available_at) WHERE delivered_at IS NULL AND dead_at IS NULL;

CREATE TABLE recommendations (
    id             UUID PRIMARY KEY,
    event_id       UUID NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    job_id         UUID NOT NULL,
    rank           INTEGER NOT NULL CHECK (rank BETWEEN 1 AND 3),
    promotion_type TEXT NOT NULL,
    plan           JSONB NOT NULL,
    selected       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (event_id, rank),
    UNIQUE (event_id, promotion_type)
);
CREATE UNIQUE INDEX recommendations_one_selected ON recommendations (event_id) WHERE selected;

ALTER TABLE events ADD COLUMN promotion_type TEXT;
ALTER TABLE events ADD COLUMN industry_kind TEXT;
ALTER TABLE events ADD COLUMN entry_count INTEGER NOT NULL DEFAULT 0 CHECK (entry_count >= 0);
CREATE INDEX events_history_idx ON events (industry_kind, objective, status);
