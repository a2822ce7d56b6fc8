-- Owners' requests to change plan (shared/src/billing.rs). There is no
-- payment provider yet: the only Billing is approval by an operator, who
-- sees pending requests on the ops API and approves or declines them.
-- At most one request of a blog is pending at a time.
CREATE TABLE plan_requests (
  id           TEXT PRIMARY KEY,
  tenant_id    TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  plan         TEXT NOT NULL CHECK (plan IN ('free', 'paid')),
  status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'withdrawn')),
  requested_by TEXT NOT NULL,   -- the owner's user id
  requested_at INTEGER NOT NULL, -- Unix ms
  decided_by   TEXT,            -- the operator (X-Ops-Actor), or the owner who withdrew
  decided_at   INTEGER
);
CREATE UNIQUE INDEX plan_requests_one_pending ON plan_requests (tenant_id) WHERE status = 'pending';
CREATE INDEX plan_requests_by_status ON plan_requests (status, requested_at);
