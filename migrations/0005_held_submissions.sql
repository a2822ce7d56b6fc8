-- Admin form submissions kept across a sign-in (router/src/held.rs,
-- shared/src/admin/held.rs): a form posted without a live session is held
-- here for 30 minutes and resumed, once, by the owner from the same browser.
-- Only hashes of the one-time token and of the browser binding are stored.
CREATE TABLE held_submissions (
  token_hash   TEXT PRIMARY KEY,
  tenant_id    TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  binding_hash TEXT NOT NULL,
  path         TEXT NOT NULL,   -- the form's target, e.g. /admin/posts/p_1
  fields       TEXT NOT NULL,   -- JSON [[name, value], ...], without csrf
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);
CREATE INDEX held_submissions_by_expiry ON held_submissions (expires_at);
