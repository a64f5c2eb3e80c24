-- Customers' entries (name and phone sealed with AES-256-GCM, one entry per phone per event by
-- an HMAC tag), the draw seed committed at publish, draws and their append-only replacements,
-- and the log of every reveal of a winner's contact data. SQLite flavour.

ALTER TABLE events ADD COLUMN prize_value INTEGER CHECK (prize_value >= 0);

CREATE TABLE draw_seeds (
    event_id     BLOB PRIMARY KEY NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    commitment   TEXT NOT NULL,
    seed_key_id  TEXT NOT NULL,
    seed_sealed  BLOB NOT NULL,
    -- The HMAC key every entry of the event is tagged with (fixed at publish, so that a key
    -- rotation during the event cannot let one phone in twice).
    tag_key_id   TEXT NOT NULL,
    committed_at TEXT NOT NULL
);

-- Destroying an entry's personal data nulls every column from phone_tag to phone_sealed.
CREATE TABLE entries (
    event_id        BLOB NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    receipt         TEXT NOT NULL,
    leaf            TEXT NOT NULL,
    channel         TEXT,
    agree_marketing INTEGER NOT NULL CHECK (agree_marketing IN (0, 1)),
    entered_at      TEXT NOT NULL,
    idempotency_key TEXT,
    phone_tag       TEXT,
    owner_tag       TEXT,
    tag_key_id      TEXT,
    data_key_id     TEXT,
    name_sealed     BLOB,
    phone_sealed    BLOB,
    role            TEXT CHECK (role IN ('WINNER', 'ALTERNATE', 'REPLACED')),
    destroyed_at    TEXT,
    PRIMARY KEY (event_id, receipt),
    UNIQUE (event_id, phone_tag),
    UNIQUE (event_id, idempotency_key),
    CHECK ((destroyed_at IS NULL) = (phone_tag IS NOT NULL AND name_sealed IS NOT NULL
        AND phone_sealed IS NOT NULL))
) WITHOUT ROWID;
CREATE INDEX entries_newest_idx ON entries (event_id, entered_at DESC, receipt);
CREATE INDEX entries_winner_tag_idx ON entries (owner_tag) WHERE role = 'WINNER';

CREATE TABLE draws (
    event_id BLOB PRIMARY KEY NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    proof    TEXT NOT NULL CHECK (json_valid(proof)),
    drawn_at TEXT NOT NULL,
    drawn_by BLOB NOT NULL
);

CREATE TABLE draw_replacements (
    event_id         BLOB NOT NULL REFERENCES draws (event_id) ON DELETE CASCADE,
    seq              INTEGER NOT NULL CHECK (seq >= 1),
    rank             INTEGER NOT NULL CHECK (rank >= 1),
    replaced_leaf    TEXT NOT NULL,
    replacement_leaf TEXT NOT NULL,
    reason           TEXT NOT NULL,
    replaced_at      TEXT NOT NULL,
    replaced_by      BLOB NOT NULL,
    PRIMARY KEY (event_id, seq)
);

-- The public record is never edited: rows are only added (or go with their event).
CREATE TRIGGER draws_append_only BEFORE UPDATE ON draws
BEGIN
    SELECT RAISE(ABORT, 'the draw record is append-only');
END;
CREATE TRIGGER draw_replacements_append_only BEFORE UPDATE ON draw_replacements
BEGIN
    SELECT RAISE(ABORT, 'the draw record is append-only');
END;

-- Who saw which entry's contact data, when, and why; never the data itself.
CREATE TABLE personal_data_access (
    id          BLOB PRIMARY KEY NOT NULL,
    user_id     BLOB NOT NULL,
    event_id    BLOB NOT NULL,
    receipt     TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    accessed_at TEXT NOT NULL
);
CREATE INDEX personal_data_access_event_idx ON personal_data_access (event_id, accessed_at);
