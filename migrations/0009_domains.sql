-- Custom domains an owner adds, verifies through DNS and may make the
-- blog's primary address (shared/src/domains, tenant-do/src/d1_domains.rs).
--
-- The host stays the table's key: two blogs can never hold one name. A row
-- serves the blog once verified. A pending row that stays unverified for
-- 7 days lapses: another blog's insert deletes it in the same batch.
ALTER TABLE domains ADD COLUMN challenge_token TEXT NOT NULL DEFAULT '';  -- the TXT record's value
ALTER TABLE domains ADD COLUMN verified_at INTEGER;                       -- Unix ms
ALTER TABLE domains ADD COLUMN last_checked_at INTEGER;                   -- Unix ms
ALTER TABLE domains ADD COLUMN last_check_result TEXT;                    -- JSON: what the check found, record by record
ALTER TABLE domains ADD COLUMN is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1));
-- The www or bare counterpart of a domain: it redirects there, and goes
-- with it.
ALTER TABLE domains ADD COLUMN alias_of TEXT REFERENCES domains(host) ON DELETE CASCADE;

-- Rows added by hand before: a token of their own, and the time they count as verified.
UPDATE domains SET challenge_token = lower(hex(randomblob(16))) WHERE challenge_token = '';
UPDATE domains SET verified_at = created_at WHERE verified = 1 AND verified_at IS NULL;
-- Until now the first verified domain was the canonical address: it stays so.
UPDATE domains SET is_primary = 1 WHERE verified = 1 AND host = (
  SELECT d.host FROM domains d WHERE d.tenant_id = domains.tenant_id AND d.verified = 1
  ORDER BY d.created_at, d.host LIMIT 1
);

-- At most one primary per blog.
CREATE UNIQUE INDEX domains_one_primary ON domains (tenant_id) WHERE is_primary = 1;
-- Aliases by their domain (the cascade, and removing a domain).
CREATE INDEX domains_by_alias ON domains (alias_of) WHERE alias_of IS NOT NULL;

-- Local runs and tests only (DNS_RESOLVER = "local"): the answers of the
-- local DNS resolver, set through ops.{BASE}/dev/dns/{name}. Empty, and
-- never read, in production.
CREATE TABLE dev_dns_records (
  name  TEXT NOT NULL,                -- lower case, no trailing dot
  type  TEXT NOT NULL CHECK (type IN ('TXT', 'CNAME', 'A', 'AAAA')),
  value TEXT NOT NULL,
  PRIMARY KEY (name, type, value)
);
