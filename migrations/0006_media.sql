-- A blog's media library (shared/src/media, tenant-do/src/d1_media.rs).
-- One row per file, keyed by the content hash: the same bytes are stored
-- once per tenant, as the R2 object tenants/{tenant_id}/media/{id}.{kind}.
-- A row starts `pending` (its bytes reserved against the plan's quota
-- before the R2 put) and is committed after it; the quota is the sum of
-- every row of the tenant, pending ones included.
CREATE TABLE media (
  tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id         TEXT NOT NULL,               -- 32 hex digits of SHA-256
  kind       TEXT NOT NULL,               -- the URL's extension: jpg png gif webp avif pdf
  bytes      INTEGER NOT NULL CHECK (bytes > 0),
  width      INTEGER,                     -- pixels, images only
  height     INTEGER,
  alt        TEXT NOT NULL DEFAULT '',
  filename   TEXT NOT NULL,               -- for display only
  created_at INTEGER NOT NULL,            -- Unix ms
  pending    INTEGER NOT NULL DEFAULT 1,  -- 1 until the object is in R2
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX media_by_tenant_time ON media (tenant_id, created_at);
