-- Customers' entries (name and phone sealed with AES-256-GCM, one entry per phone per event by
-- an HMAC tag), the draw seed committed at publish, draws and their append-only replacements,
-- and the log of every reveal of a winner's contact data. PostgreSQL flavour.

ALTER TABLE events ADD COLUMN prize_value BIGINT CHECK (prize_value >= 0);

CREATE TABLE draw_seeds (
    event_id     UUID PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    commitment   TEXT NOT NULL,
    seed_key_id  TEXT NOT NULL,
    seed_sealed  BYTEA NOT NULL,
    -- The HMAC key every entry of the event is tagged with (fixed at publish, so that a key
    -- rotation during the event cannot let one phone in twice).
    tag_key_id   TEXT NOT NULL,
    committed_at TIMESTAMPTZ NOT NULL
);

-- Destroying an entry's personal data nulls every column from phone_tag to phone_sealed.
CREATE TABLE entries (
    event_id        UUID NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    receipt         TEXT NOT NULL,
    leaf            TEXT NOT NULL,
    channel         TEXT,
    agree_marketing BOOLEAN NOT NULL,
    entered_at      TIMESTAMPTZ NOT NULL,
    idempotency_key TEXT,
    phone_tag       TEXT,
    owner_tag       TEXT,
    tag_key_id      TEXT,
    data_key_id     TEXT,
    name_sealed     BYTEA,
    phone_sealed    BYTEA,
    role            TEXT CHECK (role IN ('WINNER', 'ALTERNATE', 'REPLACED')),
    destroyed_at    TIMESTAMPTZ,
    PRIMARY KEY (event_id, receipt),
    UNIQUE (event_id, phone_tag),
    UNIQUE (event_id, idempotency_key),
    CHECK ((destroyed_at IS NULL) = (phone_tag IS NOT NULL AND name_sealed IS NOT NULL
        AND phone_sealed IS NOT NULL))
);
CREATE INDEX entries_newest_idx ON entries (event_id, entered_at DESC, receipt);
CREATE INDEX entries_winner_tag_idx ON entries (owner_tag) WHERE role = 'WINNER';

CREATE TABLE draws (
    event_id UUID PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    proof    JSONB NOT NULL,
    drawn_at TIMESTAMPTZ NOT NULL,
    drawn_by UUID NOT NULL
);

CREATE TABLE draw_replacements (
    event_id         UUID NOT NULL REFERENCES draws (event_id) ON DELETE CASCADE,
    seq              INTEGER NOT NULL CHECK (seq >= 1),
    rank             INTEGER NOT NULL CHECK (rank >= 1),
    replaced_leaf    TEXT NOT NULL,
    replacement_leaf TEXT NOT NULL,
    reason           TEXT NOT NULL,
    replaced_at      TIMESTAMPTZ NOT NULL,
    replaced_by      UUID NOT NULL,
    PRIMARY KEY (event_id, seq)
);

-- The public record is never edited: rows are only added (or go with their event).
CREATE FUNCTION refuse_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the draw record is append-only';
END;
$$;
CREATE TRIGGER draws_append_only BEFORE UPDATE ON draws
    FOR EACH ROW EXECUTE FUNCTION refuse_edit();
CREATE TRIGGER draw_replacements_append_only BEFORE UPDATE ON draw_replacements
    FOR EACH ROW EXECUTE FUNCTION refuse_edit();

-- Who saw which entry's contact data, when, and why; never the data itself.
CREATE TABLE personal_data_access (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL,
    event_id    UUID NOT NULL,
    receipt     TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    accessed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX personal_data_access_event_idx ON personal_data_access (event_id, accessed_at);
