-- Owners: accounts, sessions, and the history of every accepted post write.

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,  -- stored normalised (trimmed, lower-case)
  password_hash TEXT NOT NULL,         -- PHC string (Argon2id)
  created_at    INTEGER NOT NULL
);

-- Only a hash of each session token is stored; signing out deletes the row.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- One row per accepted version of a post, written in the same batch as the post.
CREATE TABLE post_revisions (
  post_id   TEXT NOT NULL,
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  version   INTEGER NOT NULL,
  title     TEXT NOT NULL,
  markdown  TEXT NOT NULL,
  status    TEXT NOT NULL,
  edited_by TEXT NOT NULL,
  edited_at INTEGER NOT NULL,
  PRIMARY KEY (post_id, version)
);

CREATE INDEX tenants_by_owner ON tenants (owner_id);
