-- An owner proves the mailbox of their address: a link with a single-use, short-lived token
-- (only its SHA-256 is kept) verifies the address or lets them set a new password.
ALTER TABLE users ADD COLUMN email_verified_at TEXT;

CREATE TABLE mail_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id    BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);

CREATE INDEX mail_tokens_user ON mail_tokens (user_id, purpose);
