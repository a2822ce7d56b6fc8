-- Names a blog gave up (renamed away from, or deleted) stay held for 30
-- days: the old name of a renamed blog redirects to the new one, and no one
-- else may take either kind (the rules of a name: shared/src/host.rs).
--
-- `tenant_id` is who held the name: a renamed blog may take its old name
-- back; anyone else is refused by the triggers below, inside the same
-- statement that would take it, so a race cannot slip past a check.
-- Expired holds are deleted by the writer before it inserts (same batch).
CREATE TABLE subdomain_holds (
  subdomain  TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL,
  reason     TEXT NOT NULL CHECK (reason IN ('renamed', 'deleted')),
  held_until INTEGER NOT NULL          -- Unix ms
);
CREATE INDEX subdomain_holds_by_until ON subdomain_holds (held_until);
CREATE INDEX subdomain_holds_by_tenant ON subdomain_holds (tenant_id);

CREATE TRIGGER tenants_insert_not_held BEFORE INSERT ON tenants
WHEN EXISTS (SELECT 1 FROM subdomain_holds WHERE subdomain = NEW.subdomain AND tenant_id <> NEW.id)
BEGIN
  SELECT RAISE(ABORT, 'subdomain held');
END;

CREATE TRIGGER tenants_rename_not_held BEFORE UPDATE OF subdomain ON tenants
WHEN EXISTS (SELECT 1 FROM subdomain_holds WHERE subdomain = NEW.subdomain AND tenant_id <> NEW.id)
BEGIN
  SELECT RAISE(ABORT, 'subdomain held');
END;
