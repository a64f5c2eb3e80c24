-- Channel connections (secrets sealed with AES-256-GCM), OAuth login states, and distributions:
-- one per published event, one post per channel. SQLite flavour.

CREATE TABLE channel_connections (
    user_id          BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel          TEXT NOT NULL,
    label            TEXT,
    secret_key_id    TEXT NOT NULL,
    secret_sealed    BLOB NOT NULL,
    token_expires_at TEXT,
    needs_reconnect  INTEGER NOT NULL DEFAULT 0 CHECK (needs_reconnect IN (0, 1)),
    last_error       TEXT,
    connected_at     TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    PRIMARY KEY (user_id, channel)
);
CREATE INDEX channel_connections_expiry_idx ON channel_connections (channel, token_expires_at);

CREATE TABLE oauth_states (
    state_hash TEXT PRIMARY KEY NOT NULL,
    user_id    BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel    TEXT NOT NULL,
    params     TEXT NOT NULL CHECK (json_valid(params)),
    expires_at TEXT NOT NULL
);

CREATE TABLE distributions (
    id           BLOB PRIMARY KEY NOT NULL,
    event_id     BLOB NOT NULL UNIQUE REFERENCES events (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    announced_at TEXT
);

CREATE TABLE distribution_posts (
    distribution_id BLOB NOT NULL REFERENCES distributions (id) ON DELETE CASCADE,
    event_id        BLOB NOT NULL,
    channel         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('PENDING', 'IN_PROGRESS', 'PUBLISHED',
                        'SANDBOX', 'SCHEDULED', 'FAILED', 'NEEDS_RECONNECT', 'UNKNOWN')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    content         TEXT NOT NULL CHECK (json_valid(content)),
    external_id     TEXT,
    url             TEXT,
    failure         TEXT,
    message         TEXT,
    checkpoint      TEXT CHECK (checkpoint IS NULL OR json_valid(checkpoint)),
    next_attempt_at TEXT,
    lease_until     TEXT,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (distribution_id, channel)
);
CREATE INDEX distribution_posts_status_idx ON distribution_posts (status, next_attempt_at);
CREATE INDEX distribution_posts_event_idx ON distribution_posts (event_id);
