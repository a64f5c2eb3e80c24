-- Promotional images (one per platform × style) and ringback scripts. PostgreSQL flavour.
CREATE TABLE images (
    id           UUID PRIMARY KEY,
    event_id     UUID NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    job_id       UUID NOT NULL,
    platform     TEXT NOT NULL,
    style        TEXT,
    kind         TEXT NOT NULL CHECK (kind IN ('IMAGE', 'SCRIPT')),
    blob_key     TEXT,
    width        INTEGER,
    height       INTEGER,
    script       TEXT,
    selected     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ NOT NULL,
    CHECK ((kind = 'IMAGE' AND blob_key IS NOT NULL) OR (kind = 'SCRIPT' AND script IS NOT NULL))
);
CREATE INDEX images_event_idx ON images (event_id);
CREATE UNIQUE INDEX images_one_selected ON images (event_id) WHERE selected;
