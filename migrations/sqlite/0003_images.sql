-- Promotional images (one per platform × style) and ringback scripts. SQLite flavour.
CREATE TABLE images (
    id           BLOB PRIMARY KEY NOT NULL,
    event_id     BLOB NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    job_id       BLOB NOT NULL,
    platform     TEXT NOT NULL,
    style        TEXT,
    kind         TEXT NOT NULL CHECK (kind IN ('IMAGE', 'SCRIPT')),
    blob_key     TEXT,
    width        INTEGER,
    height       INTEGER,
    script       TEXT,
    selected     INTEGER NOT NULL DEFAULT 0 CHECK (selected IN (0, 1)),
    created_at   TEXT NOT NULL,
    CHECK ((kind = 'IMAGE' AND blob_key IS NOT NULL) OR (kind = 'SCRIPT' AND script IS NOT NULL))
);
CREATE INDEX images_event_idx ON images (event_id);
CREATE UNIQUE INDEX images_one_selected ON images (event_id) WHERE selected = 1;
