-- Channel connections (secrets sealed with AES-256-GCM), OAuth login states, and distributions:
-- one per published event, one post per channel. PostgreSQL flavour.

CREATE TABLE channel_connections (
    user_id          UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel          TEXT NOT NULL,
    label            TEXT,
    secret_key_id    TEXT NOT NULL,
    secret_sealed    BYTEA NOT NULL,
    token_expires_at TIMESTAMPTZ,
    needs_reconnect  BOOLEAN NOT NULL DEFAULT FALSE,
    last_error       TEXT,
    connected_at     TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, channel)
);
CREATE INDEX channel_connections_expiry_idx ON channel_connections (channel, token_expires_at);

CREATE TABLE oauth_states (
    state_hash TEXT PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel    TEXT NOT NULL,
    params     JSONB NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE distributions (
    id           UUID PRIMARY KEY,
    event_id     UUID NOT NULL UNIQUE REFERENCES events (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    announced_at TIMESTAMPTZ
);

CREATE TABLE distribution_posts (
    distribution_id UUID NOT NULL REFERENCES distributions (id) ON DELETE CASCADE,
    event_id        UUID NOT NULL,
    channel         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('PENDING', 'IN_PROGRESS', 'PUBLISHED',
                        'SANDBOX', 'SCHEDULED', 'FAILED', 'NEEDS_RECONNECT', 'UNKNOWN')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    content         JSONB NOT NULL,
    external_id     TEXT,
    url             TEXT,
    failure         TEXT,
    message         TEXT,
    checkpoint      JSONB,
    next_attempt_at TIMESTAMPTZ,
    lease_until     TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (distribution_id, channel)
);
CREATE INDEX distribution_posts_status_idx ON distribution_posts (status, next_attempt_at);
CREATE INDEX distribution_posts_event_idx ON distribution_posts (event_id);
