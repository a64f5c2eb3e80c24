-- Promotions that run at the counter: each event's mechanic (fixed at publish), the first-come
-- count, a pass per join (no name or phone: those stay sealed on the entry), what the counter
-- did with each pass (undoable for a few minutes), the shop's counter PIN, and the results
-- the counter feeds. PostgreSQL flavour.

ALTER TABLE events ADD COLUMN mechanic JSONB;

-- One row per published event with passes: how many have been issued, against the cap.
-- `last_grant` is how many the last batch got (set in the same UPDATE that counts them).
CREATE TABLE pass_counts (
    event_id   UUID PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    cap        INTEGER CHECK (cap > 0),
    issued     INTEGER NOT NULL DEFAULT 0 CHECK (issued >= 0 AND (cap IS NULL OR issued <= cap)),
    last_grant INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE passes (
    event_id      UUID NOT NULL,
    receipt       TEXT NOT NULL,
    -- SHA-256 of the pass code: the code itself is made from a key outside the database.
    code_hash     TEXT NOT NULL UNIQUE,
    invite        TEXT UNIQUE,
    referred_by   TEXT,
    channel       TEXT,
    issued_at     TIMESTAMPTZ NOT NULL,
    last_day      DATE,
    uses          INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0),
    stamps        INTEGER NOT NULL DEFAULT 0 CHECK (stamps >= 0),
    last_stamp_at TIMESTAMPTZ,
    rewards       INTEGER NOT NULL DEFAULT 0 CHECK (rewards >= 0),
    invited       INTEGER NOT NULL DEFAULT 0,
    credited      INTEGER NOT NULL DEFAULT 0,
    review_url    TEXT,
    review_state  TEXT CHECK (review_state IN ('PENDING', 'APPROVED', 'REJECTED')),
    review_reason TEXT,
    reviewed_at   TIMESTAMPTZ,
    -- Nothing more to do with it (used up, reward given): the purge's clock for its entry.
    settled_at    TIMESTAMPTZ,
    version       BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (event_id, receipt),
    FOREIGN KEY (event_id, receipt) REFERENCES entries (event_id, receipt) ON DELETE CASCADE
);
CREATE INDEX passes_review_idx ON passes (event_id, review_state);
CREATE INDEX passes_referred_idx ON passes (event_id, referred_by);

CREATE TABLE pass_actions (
    id         UUID PRIMARY KEY,
    event_id   UUID NOT NULL,
    receipt    TEXT NOT NULL,
    act        TEXT NOT NULL CHECK (act IN ('USE', 'STAMP', 'REWARD')),
    at         TIMESTAMPTZ NOT NULL,
    -- By a counter PIN session, else by the owner.
    by_counter BOOLEAN NOT NULL,
    spend      BIGINT CHECK (spend >= 0),
    undone_at  TIMESTAMPTZ,
    FOREIGN KEY (event_id, receipt) REFERENCES passes (event_id, receipt) ON DELETE CASCADE
);
CREATE INDEX pass_actions_pass_idx ON pass_actions (event_id, receipt, at DESC);

CREATE TABLE counter_pins (
    user_id    UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    pin_hash   TEXT NOT NULL,
    -- Moves on with every change: counter sessions of an older PIN end.
    version    BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- What the counter did, per event, source and Seoul hour: uses and rewards given (`redeemed`),
-- stamps, and the spend the counter recorded (`spend`, over `spent` redemptions).
ALTER TABLE analytics_events ADD COLUMN redeemed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_events ADD COLUMN stamps BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_events ADD COLUMN spend BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_events ADD COLUMN spent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_channels ADD COLUMN redeemed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_channels ADD COLUMN stamps BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_channels ADD COLUMN spend BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_channels ADD COLUMN spent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_hourly ADD COLUMN redeemed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_hourly ADD COLUMN stamps BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_hourly ADD COLUMN spend BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_hourly ADD COLUMN spent BIGINT NOT NULL DEFAULT 0;
-- Friends joined through invite links, those credited to their inviter, reviews approved.
ALTER TABLE analytics_events ADD COLUMN invited BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_events ADD COLUMN credited BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_events ADD COLUMN approved BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_channels ADD COLUMN invited BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_channels ADD COLUMN credited BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_channels ADD COLUMN approved BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_hourly ADD COLUMN invited BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_hourly ADD COLUMN credited BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_hourly ADD COLUMN approved BIGINT NOT NULL DEFAULT 0;
