-- Grove's first schema: tenants and the content readers see.
-- Times are Unix milliseconds. Ids are TEXT (D1 rejects BigInt binds).

CREATE TABLE tenants (
  id           TEXT PRIMARY KEY,
  subdomain    TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  owner_id     TEXT NOT NULL,
  plan         TEXT NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'paid')),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);

CREATE TABLE posts (
  id           TEXT PRIMARY KEY,
  tenant_id    TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  slug         TEXT NOT NULL,
  title        TEXT NOT NULL,
  markdown     TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('draft', 'published', 'scheduled')),
  tags         TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
  published_at INTEGER,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  version      INTEGER NOT NULL DEFAULT 1,
  UNIQUE (tenant_id, slug)
);
-- The reader path: a tenant's published posts, newest first.
CREATE INDEX posts_by_tenant_status_time ON posts (tenant_id, status, published_at DESC);

CREATE TABLE pages (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  slug        TEXT NOT NULL,
  title       TEXT NOT NULL,
  markdown    TEXT NOT NULL,
  show_in_nav INTEGER NOT NULL DEFAULT 1 CHECK (show_in_nav IN (0, 1)),
  nav_order   INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1,
  UNIQUE (tenant_id, slug)
);

CREATE TABLE tenant_settings (
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  key       TEXT NOT NULL,
  value     TEXT NOT NULL,
  PRIMARY KEY (tenant_id, key)
);

-- Custom domains. A host serves a tenant only once verified.
CREATE TABLE domains (
  host       TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  verified   INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
  created_at INTEGER NOT NULL
);
CREATE INDEX domains_by_tenant ON domains (tenant_id, verified);
