-- Forgotten passwords (shared/src/accounts/reset.rs, router/src/password_reset.rs).
-- One row per reset link sent. Only the SHA-256 of the link's token is
-- stored. A link works until `expires_at` (one hour) and once: the batch
-- that sets the new password sets `used_at` and does so only while it is
-- NULL and the link unexpired. Asking again deletes the account's older
-- rows; rows a day past `expires_at` are swept by the next request for a link.
CREATE TABLE password_resets (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,  -- Unix ms
  expires_at INTEGER NOT NULL,  -- Unix ms
  used_at    INTEGER            -- Unix ms; NULL until used
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);
CREATE INDEX password_resets_by_expiry ON password_resets (expires_at);

-- Local runs only (the worker var MAILER = "outbox"): the mail Grove
-- would have sent, which the auth host shows at /dev/outbox and tests
-- read. Production (MAILER = "http") never writes it. Only the newest
-- 200 are kept.
CREATE TABLE dev_outbox (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  to_address TEXT NOT NULL,
  subject    TEXT NOT NULL,
  body       TEXT NOT NULL,
  sent_at    INTEGER NOT NULL   -- Unix ms
);
