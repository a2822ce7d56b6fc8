//! [`ContentStore`] over D1: loads a tenant in one batch (one round trip)
//! and commits each write as one batch (one transaction).
//!
//! Every statement names the tenant, so a bug elsewhere cannot touch
//! another tenant's rows. Post updates also insert a `post_revisions` row
//! keyed by `(post_id, version)`: two writes claiming the same version make
//! the second batch fail as a whole, a guard in the database itself behind
//! the actor's in-memory version check.

use std::cell::Cell;
use std::collections::HashMap;

use grove_shared::admin::content::{Change, Revision, TenantContent, TenantInfo};
use grove_shared::admin::store::{ContentStore, StoreError};
use grove_shared::config::PlatformConfig;
use grove_shared::discovery::old_slugs::OldSlugChange;
use grove_shared::import::rows::{Step, Table};
use grove_shared::limits::policy::Plan;
use grove_shared::model::{parse_tags, Page, Post, PostStatus};
use grove_shared::protocol::D1_BINDING;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env};

/// D1 access for one actor.
pub struct D1Store {
    pub(crate) env: Env,
    pub(crate) config: PlatformConfig,
    /// D1 statements run so far (for the D1-per-request figures).
    queries: Cell<u64>,
    /// Of those, the ones that write (commits and view flushes): D1's
    /// write rate is the platform's real limit.
    writes: Cell<u64>,
}

impl D1Store {
    pub fn new(env: Env, config: PlatformConfig) -> Self {
        D1Store {
            env,
            config,
            queries: Cell::new(0),
            writes: Cell::new(0),
        }
    }

    pub(crate) fn db(&self) -> Result<D1Database, StoreError> {
        self.env.d1(D1_BINDING).map_err(err)
    }

    pub(crate) fn count(&self, statements: usize) {
        self.queries.set(self.queries.get() + statements as u64);
    }

    pub(crate) fn count_writes(&self, statements: usize) {
        self.count(statements);
        self.writes.set(self.writes.get() + statements as u64);
    }

    /// D1 statements this store has run since the actor started.
    pub fn queries(&self) -> u64 {
        self.queries.get()
    }

    /// Of [`D1Store::queries`], the statements that write.
    pub fn writes(&self) -> u64 {
        self.writes.get()
    }
}

pub(crate) fn err(e: worker::Error) -> StoreError {
    StoreError(e.to_string())
}

#[derive(Deserialize)]
struct TenantRow {
    subdomain: String,
    display_name: String,
    owner_id: String,
    plan: String,
    suspended: i64,
}

#[derive(Deserialize)]
struct SettingRow {
    key: String,
    value: String,
}

#[derive(Deserialize)]
struct PostRow {
    id: String,
    views: i64,
    slug: String,
    title: String,
    markdown: String,
    status: String,
    tags: String,
    published_at: Option<i64>,
    updated_at: i64,
    version: i64,
}

#[derive(Deserialize)]
struct PageRow {
    id: String,
    slug: String,
    title: String,
    markdown: String,
    show_in_nav: i64,
    nav_order: i64,
    updated_at: i64,
    version: i64,
}

#[derive(Deserialize)]
struct RevisionRow {
    post_id: String,
    version: i64,
    title: String,
    markdown: String,
    status: String,
    edited_by: String,
    edited_at: i64,
}

fn status(s: &str) -> PostStatus {
    match s {
        "published" => PostStatus::Published,
        "scheduled" => PostStatus::Scheduled,
        _ => PostStatus::Draft,
    }
}

fn num(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}

fn opt_num(n: Option<i64>) -> JsValue {
    n.map_or(JsValue::NULL, num)
}

fn tags_json(tags: &[String]) -> String {
    serde_json::to_string(tags).unwrap_or_else(|_| "[]".to_string())
}

pub(crate) fn bind(
    db: &D1Database,
    sql: &str,
    args: &[JsValue],
) -> Result<D1PreparedStatement, StoreError> {
    db.prepare(sql).bind(args).map_err(err)
}

fn statements(
    db: &D1Database,
    tenant_id: &str,
    change: &Change,
    now: i64,
) -> Result<Vec<D1PreparedStatement>, StoreError> {
    let t: JsValue = tenant_id.into();
    let s = |v: &str| JsValue::from_str(v);
    Ok(match change {
        Change::InsertPost(p) => vec![bind(
            db,
            "INSERT INTO posts (id, tenant_id, slug, title, markdown, status, tags, published_at, created_at, updated_at, version) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?11, ?10)",
            &[s(&p.id), t, s(&p.slug), s(&p.title), s(&p.markdown), s(p.status.as_str()), s(&tags_json(&p.tags)), opt_num(p.published_at), num(now), num(p.version), num(p.updated_at)],
        )?],
        Change::UpdatePost { post: p, expected_version } => vec![bind(
            db,
            "UPDATE posts SET slug = ?1, title = ?2, markdown = ?3, status = ?4, tags = ?5, published_at = ?6, updated_at = ?7, version = ?8 \
             WHERE id = ?9 AND tenant_id = ?10 AND version = ?11",
            &[s(&p.slug), s(&p.title), s(&p.markdown), s(p.status.as_str()), s(&tags_json(&p.tags)), opt_num(p.published_at), num(p.updated_at), num(p.version), s(&p.id), t, num(*expected_version)],
        )?],
        Change::DeletePost { id } => vec![
            bind(db, "DELETE FROM post_revisions WHERE post_id = ?1 AND tenant_id = ?2", &[s(id), t.clone()])?,
            bind(db, "DELETE FROM posts WHERE id = ?1 AND tenant_id = ?2", &[s(id), t])?,
        ],
        Change::InsertRevision(r) => vec![bind(
            db,
            "INSERT INTO post_revisions (post_id, tenant_id, version, title, markdown, status, edited_by, edited_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            &[s(&r.post_id), t, num(r.version), s(&r.title), s(&r.markdown), s(r.status.as_str()), s(&r.edited_by), num(r.edited_at)],
        )?],
        Change::InsertPage(p) => vec![bind(
            db,
            "INSERT INTO pages (id, tenant_id, slug, title, markdown, show_in_nav, nav_order, created_at, updated_at, version) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10, ?9)",
            &[s(&p.id), t, s(&p.slug), s(&p.title), s(&p.markdown), num(i64::from(p.show_in_nav)), num(p.nav_order), num(now), num(p.version), num(p.updated_at)],
        )?],
        Change::UpdatePage { page: p, expected_version } => vec![bind(
            db,
            "UPDATE pages SET slug = ?1, title = ?2, markdown = ?3, show_in_nav = ?4, nav_order = ?5, updated_at = ?6, version = ?7 \
             WHERE id = ?8 AND tenant_id = ?9 AND version = ?10",
            &[s(&p.slug), s(&p.title), s(&p.markdown), num(i64::from(p.show_in_nav)), num(p.nav_order), num(p.updated_at), num(p.version), s(&p.id), t, num(*expected_version)],
        )?],
        Change::DeletePage { id } => vec![bind(db, "DELETE FROM pages WHERE id = ?1 AND tenant_id = ?2", &[s(id), t])?],
        Change::SetSuspended(suspended) => vec![bind(
            db,
            "UPDATE tenants SET suspended = ?1, updated_at = ?2 WHERE id = ?3",
            &[num(i64::from(*suspended)), num(now), t],
        )?],
        // One rename, all or nothing: expired holds go first (so they do
        // not block it), the UNIQUE constraint and migration 0007's trigger
        // refuse a name taken or held by another blog, a hold this blog had
        // on its new name goes, and the old name is held for it.
        Change::Rename { from, to, held_until, .. } => vec![
            bind(db, "DELETE FROM subdomain_holds WHERE held_until <= ?1", &[num(now)])?,
            bind(db, "DELETE FROM subdomain_holds WHERE subdomain = ?1 AND tenant_id = ?2", &[s(to), t.clone()])?,
            bind(db, "UPDATE tenants SET subdomain = ?1, updated_at = ?2 WHERE id = ?3", &[s(to), num(now), t.clone()])?,
            bind(
                db,
                "INSERT INTO subdomain_holds (subdomain, tenant_id, reason, held_until) VALUES (?1, ?2, 'renamed', ?3) \
                 ON CONFLICT (subdomain) DO UPDATE SET tenant_id = excluded.tenant_id, reason = excluded.reason, held_until = excluded.held_until",
                &[s(from), t, num(*held_until)],
            )?,
        ],
        Change::SetPlan(plan) => vec![bind(
            db,
            "UPDATE tenants SET plan = ?1, updated_at = ?2 WHERE id = ?3",
            &[s(plan.as_str()), num(now), t],
        )?],
        Change::Domain(change) => crate::d1_domains::statements(db, tenant_id, change)?,
        Change::OldSlug(OldSlugChange::Keep(o)) => vec![bind(
            db,
            "INSERT INTO post_old_slugs (tenant_id, slug, post_id, created_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (tenant_id, slug) DO UPDATE SET post_id = excluded.post_id, created_at = excluded.created_at",
            &[t, s(&o.slug), s(&o.post_id), num(o.created_at)],
        )?],
        Change::OldSlug(OldSlugChange::Release { slug }) => vec![bind(
            db,
            "DELETE FROM post_old_slugs WHERE tenant_id = ?1 AND slug = ?2",
            &[t, s(slug)],
        )?],
        Change::OldSlug(OldSlugChange::ForgetPost { post_id }) => vec![bind(
            db,
            "DELETE FROM post_old_slugs WHERE tenant_id = ?1 AND post_id = ?2",
            &[t, s(post_id)],
        )?],
        Change::PutSetting { key, value } => vec![bind(
            db,
            "INSERT INTO tenant_settings (tenant_id, key, value) VALUES (?1, ?2, ?3) \
             ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value",
            &[t, s(key), s(value)],
        )?],
    })
}

/// One statement inserting a group of rows (`import::rows`): the rows are
/// one JSON array, expanded by `json_each`; every row gets this tenant.
fn group_statement(
    db: &D1Database,
    tenant_id: &str,
    table: Table,
    json: &str,
    now: i64,
) -> Result<D1PreparedStatement, StoreError> {
    let sql = match table {
        Table::Posts => "INSERT INTO posts (id, tenant_id, slug, title, markdown, status, tags, published_at, created_at, updated_at, version) \
             SELECT json_extract(value, '$.id'), ?1, json_extract(value, '$.slug'), json_extract(value, '$.title'), \
             json_extract(value, '$.markdown'), json_extract(value, '$.status'), json_extract(value, '$.tags'), \
             json_extract(value, '$.published_at'), ?3, json_extract(value, '$.updated_at'), json_extract(value, '$.version') \
             FROM json_each(?2)",
        Table::Revisions => "INSERT INTO post_revisions (post_id, tenant_id, version, title, markdown, status, edited_by, edited_at) \
             SELECT json_extract(value, '$.post_id'), ?1, json_extract(value, '$.version'), json_extract(value, '$.title'), \
             json_extract(value, '$.markdown'), json_extract(value, '$.status'), json_extract(value, '$.edited_by'), \
             json_extract(value, '$.edited_at') FROM json_each(?2)",
        Table::Pages => "INSERT INTO pages (id, tenant_id, slug, title, markdown, show_in_nav, nav_order, created_at, updated_at, version) \
             SELECT json_extract(value, '$.id'), ?1, json_extract(value, '$.slug'), json_extract(value, '$.title'), \
             json_extract(value, '$.markdown'), json_extract(value, '$.show_in_nav'), json_extract(value, '$.nav_order'), \
             ?3, json_extract(value, '$.updated_at'), json_extract(value, '$.version') FROM json_each(?2)",
    };
    // D1 refuses more bindings than the statement uses.
    let args = [tenant_id.into(), JsValue::from_str(json), num(now)];
    let used = if table == Table::Revisions { 2 } else { 3 };
    bind(db, sql, &args[..used])
}

impl ContentStore for D1Store {
    type Media = D1Store;
    /// The `media` table and the R2 bucket (`d1_media`).
    fn media(&self) -> &D1Store {
        self
    }
    type Billing = D1Store;
    /// Approval by an operator, over `plan_requests` (`d1_billing`).
    fn billing(&self) -> &D1Store {
        self
    }
    type Domains = D1Store;
    /// Claims across blogs, DNS and the target (`d1_domains`, `dns`).
    fn domains(&self) -> &D1Store {
        self
    }

    async fn load(&self, tenant_id: &str) -> Result<Option<TenantContent>, StoreError> {
        let db = self.db()?;
        let id = || JsValue::from_str(tenant_id);
        let batch = vec![
            bind(&db, "SELECT subdomain, display_name, owner_id, plan, suspended FROM tenants WHERE id = ?1", &[id()])?,
            bind(&db, "SELECT key, value FROM tenant_settings WHERE tenant_id = ?1", &[id()])?,
            bind(
                &db,
                "SELECT id, slug, title, markdown, status, tags, published_at, updated_at, version, views FROM posts WHERE tenant_id = ?1",
                &[id()],
            )?,
            bind(
                &db,
                "SELECT id, slug, title, markdown, show_in_nav, nav_order, updated_at, version FROM pages WHERE tenant_id = ?1",
                &[id()],
            )?,
            bind(
                &db,
                &format!("SELECT {} FROM domains WHERE tenant_id = ?1 ORDER BY created_at, host", crate::d1_domains::COLUMNS),
                &[id()],
            )?,
            bind(&db, "SELECT slug, post_id, created_at FROM post_old_slugs WHERE tenant_id = ?1", &[id()])?,
        ];
        self.count_writes(batch.len());
        let results = db.batch(batch).await.map_err(err)?;
        let [tenant, settings, posts, pages, domains, old_slugs] = results.as_slice() else {
            return Err(StoreError(
                "D1 batch returned an unexpected number of results".into(),
            ));
        };
        let Some(tenant) = tenant
            .results::<TenantRow>()
            .map_err(err)?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        let settings: HashMap<String, String> = settings
            .results::<SettingRow>()
            .map_err(err)?
            .into_iter()
            .map(|r| (r.key, r.value))
            .collect();
        let rows = posts.results::<PostRow>().map_err(err)?;
        let views: HashMap<String, i64> = rows.iter().map(|r| (r.id.clone(), r.views)).collect();
        let posts = rows
            .into_iter()
            .map(|r| Post {
                id: r.id,
                slug: r.slug,
                title: r.title,
                markdown: r.markdown,
                status: status(&r.status),
                tags: parse_tags(&r.tags),
                published_at: r.published_at,
                updated_at: r.updated_at,
                version: r.version,
            })
            .collect();
        let pages = pages
            .results::<PageRow>()
            .map_err(err)?
            .into_iter()
            .map(|r| Page {
                id: r.id,
                slug: r.slug,
                title: r.title,
                markdown: r.markdown,
                show_in_nav: r.show_in_nav != 0,
                nav_order: r.nav_order,
                updated_at: r.updated_at,
                version: r.version,
            })
            .collect();
        let domains = crate::d1_domains::tenant_domains(domains, self.config.clone())?;
        let canonical_origin = domains.canonical_origin(&tenant.subdomain);
        Ok(Some(TenantContent {
            tenant: TenantInfo {
                id: tenant_id.to_string(),
                subdomain: tenant.subdomain,
                display_name: tenant.display_name,
                owner_id: tenant.owner_id,
                plan: Plan::parse(&tenant.plan),
                suspended: tenant.suspended != 0,
            },
            canonical_origin,
            settings,
            posts,
            pages,
            views,
            domains,
            old_slugs: old_slugs.results().map_err(err)?,
        }))
    }

    async fn commit(
        &self,
        tenant_id: &str,
        changes: &[Change],
        now: i64,
    ) -> Result<(), StoreError> {
        let db = self.db()?;
        let mut batch = Vec::with_capacity(changes.len());
        // Runs of inserts (an import) go as a few grouped statements.
        for step in grove_shared::import::rows::steps(changes) {
            match step {
                Step::One(change) => batch.extend(statements(&db, tenant_id, change, now)?),
                Step::Group { table, json, .. } => {
                    batch.push(group_statement(&db, tenant_id, table, &json, now)?)
                }
            }
        }
        self.count_writes(batch.len());
        let results = db.batch(batch).await.map_err(err)?;
        match results.iter().find_map(|r| r.error()) {
            Some(e) => Err(StoreError(e)),
            None => Ok(()),
        }
    }

    async fn add_views(&self, tenant_id: &str, batch: &[(String, u64)]) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let db = self.db()?;
        // One statement for the whole batch, however many posts it covers.
        let counts: serde_json::Map<String, serde_json::Value> = batch
            .iter()
            .map(|(slug, n)| (slug.clone(), serde_json::Value::from(*n)))
            .collect();
        let counts = serde_json::Value::Object(counts).to_string();
        let statement = bind(
            &db,
            "UPDATE posts SET views = views + v.value FROM json_each(?2) AS v \
             WHERE posts.tenant_id = ?1 AND posts.slug = v.key",
            &[tenant_id.into(), counts.as_str().into()],
        )?;
        self.count_writes(1);
        statement.run().await.map_err(err)?;
        Ok(())
    }

    async fn history(&self, tenant_id: &str, post_id: &str) -> Result<Vec<Revision>, StoreError> {
        let db = self.db()?;
        self.count(1);
        let rows = bind(
            &db,
            "SELECT post_id, version, title, markdown, status, edited_by, edited_at FROM post_revisions \
             WHERE tenant_id = ?1 AND post_id = ?2 ORDER BY version",
            &[tenant_id.into(), post_id.into()],
        )?
        .all()
        .await
        .map_err(err)?
        .results::<RevisionRow>()
        .map_err(err)?;
        Ok(rows
            .into_iter()
            .map(|r| Revision {
                post_id: r.post_id,
                version: r.version,
                title: r.title,
                markdown: r.markdown,
                status: status(&r.status),
                edited_by: r.edited_by,
                edited_at: r.edited_at,
            })
            .collect())
    }
}
