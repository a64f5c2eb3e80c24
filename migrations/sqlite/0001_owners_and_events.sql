-- Owners, their shops, marketing events, login throttling. SQLite flavour.
-- Ids are 16-byte UUID blobs, times RFC 3339 text (UTC), dates YYYY-MM-DD text.

CREATE TABLE users (
    id                  BLOB PRIMARY KEY NOT NULL,
    email               TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    phone               TEXT,
    password_hash       TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

CREATE TABLE stores (
    id         BLOB PRIMARY KEY NOT NULL,
    user_id    BLOB NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (length(name) > 0),
    industry   TEXT NOT NULL CHECK (length(industry) > 0),
    address    TEXT NOT NULL CHECK (length(address) > 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE events (
    id           BLOB PRIMARY KEY NOT NULL,
    user_id      BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    store_id     BLOB REFERENCES stores (id) ON DELETE SET NULL,
    objective    TEXT NOT NULL CHECK (objective IN ('NEW_CUSTOMERS', 'REVISIT', 'SALES', 'AWARENESS')),
    store_name   TEXT NOT NULL,
    industry     TEXT NOT NULL,
    address      TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'PUBLISHED', 'ENDED')),
    name         TEXT,
    description  TEXT,
    prize        TEXT,
    budget       INTEGER CHECK (budget IS NULL OR budget >= 0),
    start_date   TEXT,
    end_date     TEXT,
    channels     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(channels) AND json_type(channels) = 'array'),
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    published_at TEXT,
    ended_at     TEXT,
    CHECK (start_date IS NULL OR end_date IS NULL OR start_date <= end_date)
);

CREATE INDEX events_user_idx ON events (user_id);
CREATE INDEX events_store_idx ON events (store_id);
CREATE INDEX events_status_idx ON events (status);
CREATE INDEX events_user_status_idx ON events (user_id, status);
CREATE INDEX events_user_created_idx ON events (user_id, created_at DESC, id DESC);

-- One row per throttled login key (a hash of the email). Times in epoch milliseconds.
CREATE TABLE login_failures (
    key             TEXT PRIMARY KEY NOT NULL,
    failures        INTEGER NOT NULL CHECK (failures >= 0),
    window_start_ms INTEGER NOT NULL,
    locked_until_ms INTEGER
);
