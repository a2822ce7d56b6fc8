//! [`Lifecycle`] over the Workers runtime: D1 (names, hosts, the tenant's
//! rows, `tenant_deletions`), the tenant's ThresholdDO, KV (the host map),
//! R2 (media) and the actor's own storage (the deletion record, wiped at
//! the end with the alarm). Every statement names the tenant; every
//! operation is idempotent (the steps of a deletion are run again after
//! an interruption).

use grove_shared::admin::store::StoreError;
use grove_shared::lifecycle::deletion::Deletion;
use grove_shared::lifecycle::ports::Lifecycle;
use grove_shared::lifecycle::rename::NameStatus;
use grove_shared::limits::set::{tenant_key, ThresholdRequest};
use grove_shared::protocol::{HostKey, D1_BINDING, MEDIA_BINDING};
use grove_threshold_do::client::ask;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env, Storage};

/// The actor's storage key of the deletion record.
const DELETION_KEY: &str = "deletion";
/// The host map's KV namespace (the router's `host_lookup`).
const HOSTS_KV: &str = "HOSTS";

/// The lifecycle operations of one TenantDO.
pub struct DoLifecycle {
    storage: Storage,
    env: Env,
}

impl DoLifecycle {
    pub fn new(storage: Storage, env: Env) -> Self {
        DoLifecycle { storage, env }
    }

    fn db(&self) -> Result<D1Database, StoreError> {
        self.env.d1(D1_BINDING).map_err(err)
    }
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

fn num(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}

fn bind(db: &D1Database, sql: &str, args: &[JsValue]) -> Result<D1PreparedStatement, StoreError> {
    db.prepare(sql).bind(args).map_err(err)
}

/// Runs `batch` as one transaction; the first statement's error, if any.
async fn run_batch(db: &D1Database, batch: Vec<D1PreparedStatement>) -> Result<(), StoreError> {
    let results = db.batch(batch).await.map_err(err)?;
    match results.iter().find_map(|r| r.error()) {
        Some(e) => Err(StoreError(e)),
        None => Ok(()),
    }
}

#[derive(Deserialize)]
struct NameRow {
    taken: f64,
    held: f64,
}

#[derive(Deserialize)]
struct HostRow {
    host: String,
}

#[derive(Deserialize)]
struct HeldRow {
    subdomain: String,
}

impl Lifecycle for DoLifecycle {
    async fn name_status(
        &self,
        name: &str,
        tenant_id: &str,
        now: i64,
    ) -> Result<NameStatus, StoreError> {
        let row = bind(
            &self.db()?,
            "SELECT (SELECT COUNT(*) FROM tenants WHERE subdomain = ?1 AND id <> ?2) AS taken, \
               (SELECT COUNT(*) FROM subdomain_holds WHERE subdomain = ?1 AND tenant_id <> ?2 AND held_until > ?3) AS held",
            &[name.into(), tenant_id.into(), num(now)],
        )?
        .first::<NameRow>(None)
        .await
        .map_err(err)?;
        Ok(match row {
            Some(r) if r.taken > 0.0 => NameStatus::Taken,
            Some(r) if r.held > 0.0 => NameStatus::Held,
            _ => NameStatus::Available,
        })
    }

    async fn host_keys(
        &self,
        tenant_id: &str,
        subdomain: &str,
    ) -> Result<Vec<HostKey>, StoreError> {
        let db = self.db()?;
        let results = db
            .batch(vec![
                bind(&db, "SELECT host FROM domains WHERE tenant_id = ?1", &[tenant_id.into()])?,
                bind(
                    &db,
                    "SELECT subdomain FROM subdomain_holds WHERE tenant_id = ?1 AND reason = 'renamed'",
                    &[tenant_id.into()],
                )?,
            ])
            .await
            .map_err(err)?;
        let [domains, held] = results.as_slice() else {
            return Err(StoreError("unexpected D1 batch results".into()));
        };
        let domains = domains.results::<HostRow>().map_err(err)?;
        let held = held.results::<HeldRow>().map_err(err)?;
        let mut keys = vec![HostKey::Subdomain(subdomain.to_string())];
        for key in domains
            .into_iter()
            .map(|r| HostKey::Domain(r.host))
            .chain(held.into_iter().map(|r| HostKey::Subdomain(r.subdomain)))
        {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        Ok(keys)
    }

    async fn load_deletion(&self) -> Result<Option<Deletion>, StoreError> {
        let stored = self
            .storage
            .get::<String>(DELETION_KEY)
            .await
            .map_err(err)?;
        Ok(stored.and_then(|s| serde_json::from_str(&s).ok()))
    }

    async fn save_deletion(&self, deletion: &Deletion) -> Result<(), StoreError> {
        let json = serde_json::to_string(deletion).map_err(err)?;
        self.storage.put(DELETION_KEY, json).await.map_err(err)
    }

    async fn record(&self, d: &Deletion, now: i64) -> Result<(), StoreError> {
        let finished = d.finished_at.map_or(JsValue::NULL, num);
        bind(
            &self.db()?,
            "INSERT INTO tenant_deletions (tenant_id, subdomain, requested_at, step, updated_at, finished_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (tenant_id) DO UPDATE SET step = excluded.step, \
               updated_at = max(tenant_deletions.updated_at, excluded.updated_at), finished_at = excluded.finished_at",
            &[
                d.tenant_id.as_str().into(),
                d.subdomain.as_str().into(),
                num(d.requested_at),
                d.step.as_str().into(),
                num(now),
                finished,
            ],
        )?
        .run()
        .await
        .map_err(err)?;
        Ok(())
    }

    async fn forget_limits(&self, tenant_id: &str) -> Result<(), StoreError> {
        match ask::<bool>(&self.env, &tenant_key(tenant_id), &ThresholdRequest::Forget).await {
            Some(true) => Ok(()),
            _ => Err(StoreError("the tenant's limiter did not forget".into())),
        }
    }

    async fn delete_rows(&self, d: &Deletion, held_until: i64) -> Result<(), StoreError> {
        let db = self.db()?;
        let t = || JsValue::from_str(&d.tenant_id);
        let owner = || JsValue::from_str(&d.owner_id);
        let mut batch = vec![
            bind(&db, "DELETE FROM subdomain_holds WHERE held_until <= ?1", &[num(d.requested_at)])?,
            // Its renamed names stop redirecting (to a blog that is gone),
            // and stay held as long as they were.
            bind(&db, "UPDATE subdomain_holds SET reason = 'deleted' WHERE tenant_id = ?1", &[t()])?,
            bind(
                &db,
                "INSERT INTO subdomain_holds (subdomain, tenant_id, reason, held_until) VALUES (?1, ?2, 'deleted', ?3) \
                 ON CONFLICT (subdomain) DO UPDATE SET tenant_id = excluded.tenant_id, reason = excluded.reason, \
                   held_until = max(subdomain_holds.held_until, excluded.held_until)",
                &[d.subdomain.as_str().into(), t(), num(held_until)],
            )?,
        ];
        // Children first (foreign keys would cascade from `tenants`, but
        // each table is named so none is left to a pragma).
        for table in [
            "post_revisions",
            "post_old_slugs",
            "posts",
            "pages",
            "tenant_settings",
            "domains",
            "media",
            "held_submissions",
            "plan_requests",
        ] {
            batch.push(bind(
                &db,
                &format!("DELETE FROM {table} WHERE tenant_id = ?1"),
                &[t()],
            )?);
        }
        batch.push(bind(&db, "DELETE FROM tenants WHERE id = ?1", &[t()])?);
        batch.push(bind(
            &db,
            "DELETE FROM sessions WHERE user_id = ?1",
            &[owner()],
        )?);
        // One blog per account: the account goes with its last blog, so
        // the address can sign up again.
        batch.push(bind(
            &db,
            "DELETE FROM users WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM tenants WHERE owner_id = ?1)",
            &[owner()],
        )?);
        run_batch(&db, batch).await
    }

    async fn forget_hosts(&self, keys: &[HostKey]) -> Result<(), StoreError> {
        let kv = self.env.kv(HOSTS_KV).map_err(err)?;
        for key in keys {
            kv.delete(&key.encode()).await.map_err(err)?;
        }
        Ok(())
    }

    async fn delete_objects(&self, prefix: &str, max: usize) -> Result<usize, StoreError> {
        let bucket = self.env.bucket(MEDIA_BINDING).map_err(err)?;
        let listed = bucket
            .list()
            .prefix(prefix.to_string())
            .limit(max.min(1_000) as u32)
            .execute()
            .await
            .map_err(err)?;
        let keys: Vec<String> = listed.objects().iter().map(|o| o.key()).collect();
        if keys.is_empty() {
            return Ok(0);
        }
        bucket.delete_multiple(keys.clone()).await.map_err(err)?;
        Ok(keys.len())
    }

    async fn wipe_storage(&self) -> Result<(), StoreError> {
        self.storage.delete_all().await.map_err(err)?;
        self.storage.delete_alarm().await.map_err(err)
    }
}
