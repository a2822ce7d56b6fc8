-- Operators: suspension, and an audit trail of every ops change.

ALTER TABLE tenants ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1));

CREATE TABLE ops_audit (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  actor     TEXT NOT NULL,     -- who (the operator's name as given, with the ops token)
  action    TEXT NOT NULL,     -- what: set_limits, remove_limit, suspend, unsuspend
  tenant_id TEXT NOT NULL,
  detail    TEXT NOT NULL,     -- JSON
  at        INTEGER NOT NULL   -- when (Unix ms)
);
CREATE INDEX ops_audit_by_tenant ON ops_audit (tenant_id, at);
