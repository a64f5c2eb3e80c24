-- Owners, their shops, marketing events, login throttling. PostgreSQL flavour.

CREATE TABLE users (
    id                  UUID PRIMARY KEY,
    email               TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    phone               TEXT,
    password_hash       TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    password_changed_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE stores (
    id         UUID PRIMARY KEY,
    user_id    UUID NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (length(name) > 0),
    industry   TEXT NOT NULL CHECK (length(industry) > 0),
    address    TEXT NOT NULL CHECK (length(address) > 0),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE events (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    store_id     UUID REFERENCES stores (id) ON DELETE SET NULL,
    objective    TEXT NOT NULL CHECK (objective IN ('NEW_CUSTOMERS', 'REVISIT', 'SALES', 'AWARENESS')),
    store_name   TEXT NOT NULL,
    industry     TEXT NOT NULL,
    address      TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'PUBLISHED', 'ENDED')),
    name         TEXT,
    description  TEXT,
    prize        TEXT,
    budget       BIGINT CHECK (budget IS NULL OR budget >= 0),
    start_date   DATE,
    end_date     DATE,
    channels     JSONB NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(channels) = 'array'),
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    published_at TIMESTAMPTZ,
    ended_at     TIMESTAMPTZ,
    CHECK (start_date IS NULL OR end_date IS NULL OR start_date <= end_date)
);

CREATE INDEX events_user_idx ON events (user_id);
CREATE INDEX events_store_idx ON events (store_id);
CREATE INDEX events_status_idx ON events (status);
CREATE INDEX events_user_status_idx ON events (user_id, status);
CREATE INDEX events_user_created_idx ON events (user_id, created_at DESC, id DESC);

CREATE TABLE login_failures (
    key             TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL CHECK (failures >= 0),
    window_start_ms BIGINT NOT NULL,
    locked_until_ms BIGINT
);
