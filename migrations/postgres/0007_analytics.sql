-- Results: tracked links per channel, the daily visitor keys and the day's visits (keyed hashes,
-- no addresses), the analytics read model fed by domain events (each message applied once),
-- redemptions at the counter, and the channels' own statistics. PostgreSQL flavour.

CREATE TABLE links (
    code       TEXT PRIMARY KEY NOT NULL,
    event_id   UUID NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    source     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (event_id, source)
);

-- One random key per Seoul day; a day's hashes cannot be linked to another day's, and keys
-- older than yesterday are deleted.
CREATE TABLE visitor_keys (
    day    DATE PRIMARY KEY NOT NULL,
    secret BYTEA NOT NULL
);

-- kind: VIEW / CLICK per source, and VISITOR (source '') for the event as a whole.
CREATE TABLE visits (
    event_id UUID NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    day      DATE NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('VIEW', 'CLICK', 'VISITOR')),
    source   TEXT NOT NULL,
    visitor  TEXT NOT NULL,
    PRIMARY KEY (event_id, day, kind, source, visitor)
);

CREATE TABLE analytics_messages (
    message_id   UUID PRIMARY KEY NOT NULL,
    event_id     UUID NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE analytics_events (
    event_id      UUID PRIMARY KEY NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    version       BIGINT NOT NULL DEFAULT 0,
    views         BIGINT NOT NULL DEFAULT 0,
    visitors      BIGINT NOT NULL DEFAULT 0,
    clicks        BIGINT NOT NULL DEFAULT 0,
    entries       BIGINT NOT NULL DEFAULT 0,
    redemptions   BIGINT NOT NULL DEFAULT 0,
    average_spend BIGINT,
    published_at  TIMESTAMPTZ,
    distribution  JSONB,
    winners       INTEGER,
    drawn_at      TIMESTAMPTZ,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE analytics_channels (
    event_id UUID NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    source   TEXT NOT NULL,
    views    BIGINT NOT NULL DEFAULT 0,
    visitors BIGINT NOT NULL DEFAULT 0,
    clicks   BIGINT NOT NULL DEFAULT 0,
    entries  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, source)
);

-- hour: the start of the Asia/Seoul hour (a whole-hour offset, so also a UTC hour).
CREATE TABLE analytics_hourly (
    event_id UUID NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    hour     TIMESTAMPTZ NOT NULL,
    source   TEXT NOT NULL,
    views    BIGINT NOT NULL DEFAULT 0,
    visitors BIGINT NOT NULL DEFAULT 0,
    clicks   BIGINT NOT NULL DEFAULT 0,
    entries  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, hour, source)
);

CREATE TABLE redemptions (
    id            UUID PRIMARY KEY NOT NULL,
    event_id      UUID NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    count         INTEGER NOT NULL CHECK (count > 0),
    average_spend BIGINT CHECK (average_spend >= 0),
    recorded_at   TIMESTAMPTZ NOT NULL,
    -- A retry of the same recording (a double click, a lost answer) is recorded once.
    idempotency_key TEXT,
    UNIQUE (event_id, idempotency_key)
);
CREATE INDEX redemptions_event ON redemptions (event_id);

CREATE TABLE channel_stats (
    event_id       UUID NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    channel        TEXT NOT NULL,
    stats          JSONB,
    collected_at   TIMESTAMPTZ,
    last_error     TEXT,
    attempted_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (event_id, channel)
);
