-- Blogs their owners deleted (shared/src/lifecycle/deletion.rs): one row
-- per deletion, written by the tenant's actor when it begins and after
-- each step, so operators see how far it got (GET /deletions on the ops
-- API). It outlives the tenant's own rows on purpose (no foreign key):
-- `step` is the step to run next, `finished_at` set once everything is
-- gone. The actor keeps the same record in its own storage until the last
-- step, and its alarm finishes a deletion that was interrupted.
CREATE TABLE tenant_deletions (
  tenant_id    TEXT PRIMARY KEY,
  subdomain    TEXT NOT NULL,
  requested_at INTEGER NOT NULL,          -- Unix ms
  step         TEXT NOT NULL CHECK (step IN ('limits', 'rows', 'hosts', 'media', 'storage', 'done')),
  updated_at   INTEGER NOT NULL,          -- Unix ms of the last step
  finished_at  INTEGER                    -- Unix ms; NULL while under way
);
CREATE INDEX tenant_deletions_by_time ON tenant_deletions (requested_at);
