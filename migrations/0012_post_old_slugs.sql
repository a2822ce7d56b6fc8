-- A renamed post's old slugs: `/blog/{slug}` answers 301 to the post's
-- address as it now stands. Loaded with the rest of a tenant's content,
-- so the reader path never reads this table. A slug a post takes again is
-- deleted in that write's batch (a post at an address wins); a deleted
-- post's rows go with it.
CREATE TABLE post_old_slugs (
  tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  slug       TEXT NOT NULL,
  post_id    TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, slug)
);
CREATE INDEX post_old_slugs_by_post ON post_old_slugs (tenant_id, post_id);
