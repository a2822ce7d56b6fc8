//! Host → tenant: the isolate's memo, then KV (the global read cache),
//! then D1.
//!
//! Lookups are memoised per isolate for a short TTL (misses for less), so a
//! busy blog costs no D1 read per request, and a new blog or domain is seen
//! within [`MISS_TTL_MS`]. A fresh isolate (or a restart) reads KV, not D1.
//!
//! A subdomain that maps to no blog may be a renamed blog's old name, which
//! redirects to the new one while it is held ([`moved_to`]). The same D1
//! statement answers both questions, and both the redirect and its absence
//! are memoised with the lookup, so a name that is no blog costs no more D1
//! reads than before; a redirect is also kept in KV under the name's own
//! key, until its hold ends.
//!
//! A mapping carries the blog's primary custom domain (and an alias's
//! domain), so redirecting readers there costs nothing more; a write that
//! moves the primary has the router forget every host of the blog.

use std::cell::RefCell;

use grove_shared::lifecycle::rename::Moved;
use grove_shared::memo::TtlMemo;
use grove_shared::model::TenantRef;
use grove_shared::protocol::D1_BINDING;
use worker::{Env, Result};

/// How long a found mapping is trusted.
pub const HIT_TTL_MS: i64 = 30_000;
/// How long "no such blog" is trusted.
pub const MISS_TTL_MS: i64 = 5_000;
/// Bound on the memo's size.
const MAX_ENTRIES: usize = 10_000;

/// What a host was looked up as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostKind {
    Subdomain,
    CustomDomain,
}

thread_local! {
    // Workers run one request at a time per isolate thread; the borrow is
    // never held across an `.await`.
    static MEMO: RefCell<TtlMemo<(HostKind, String), Option<TenantRef>>> = RefCell::new(TtlMemo::new(MAX_ENTRIES));
    // Subdomains that are no blog: where a renamed blog went, or nowhere.
    static MOVED: RefCell<TtlMemo<String, Option<Moved>>> = RefCell::new(TtlMemo::new(MAX_ENTRIES));
}

/// One row of the subdomain lookup: a tenant, or where a renamed one went.
#[derive(serde::Deserialize)]
struct SubdomainRow {
    id: Option<String>,
    subdomain: Option<String>,
    owner_id: Option<String>,
    primary_domain: Option<String>,
    alias_of: Option<String>,
    moved_to: Option<String>,
    until: Option<f64>,
}

/// Remembers where a subdomain that is no blog leads (`None`: nowhere).
fn remember_moved(name: &str, moved: Option<Moved>, now: i64) {
    let ttl = if moved.is_some() {
        HIT_TTL_MS
    } else {
        MISS_TTL_MS
    };
    MOVED.with(|m| m.borrow_mut().insert(name.to_string(), moved, now, ttl));
}

/// KV namespace holding host → tenant for every location.
pub const HOSTS_KV: &str = "HOSTS";
/// How long KV readers at other locations may keep a mapping (KV's minimum).
const KV_CACHE_TTL_SECS: u64 = 60;

fn kv_key(kind: HostKind, name: &str) -> String {
    match kind {
        HostKind::Subdomain => format!("sub:{name}"),
        HostKind::CustomDomain => format!("domain:{name}"),
    }
}

/// The tenant a subdomain or custom domain belongs to, if any: the
/// isolate's memo, then KV (global, read at the edge), then D1, which is
/// written back to KV. Only found mappings go to KV, so a new blog is never
/// hidden by a cached miss; when a subdomain or domain changes hands, its
/// KV key must be deleted ([`forget_host`]).
pub async fn find_tenant(
    env: &Env,
    kind: HostKind,
    name: &str,
    now: i64,
    metrics: &crate::metrics::RequestMetrics,
) -> Result<Option<TenantRef>> {
    let key = (kind, name.to_string());
    if let Some(hit) = MEMO.with(|m| m.borrow().get(&key, now)) {
        return Ok(hit);
    }
    let kv = env.kv(HOSTS_KV).ok();
    if let Some(kv) = &kv {
        if let Ok(Some(text)) = kv
            .get(&kv_key(kind, name))
            .cache_ttl(KV_CACHE_TTL_SECS)
            .text()
            .await
        {
            if let Ok(found) = serde_json::from_str::<TenantRef>(&text) {
                MEMO.with(|m| {
                    m.borrow_mut()
                        .insert(key, Some(found.clone()), now, HIT_TTL_MS)
                });
                return Ok(Some(found));
            }
            // A renamed blog's old name (its hold not over yet).
            if let Some(moved) = serde_json::from_str::<Moved>(&text)
                .ok()
                .filter(|m| kind == HostKind::Subdomain && m.live(now))
            {
                remember_moved(name, Some(moved), now);
                MEMO.with(|m| m.borrow_mut().insert(key, None, now, HIT_TTL_MS));
                return Ok(None);
            }
        }
    }
    let db = env.d1(D1_BINDING)?;
    metrics.count_d1(1);
    let found = match kind {
        HostKind::Subdomain => {
            let (found, moved) = lookup_subdomain(&db, name, now).await?;
            if let (Some(kv), Some(moved)) = (&kv, &moved) {
                keep_moved(kv, name, moved, now).await;
            }
            if found.is_none() {
                remember_moved(name, moved, now);
            }
            found
        }
        // With the blog's primary custom domain (and, for an alias, its
        // domain), so the router redirects readers without another read.
        HostKind::CustomDomain => {
            db.prepare(
                "SELECT t.id AS id, t.subdomain AS subdomain, t.owner_id AS owner_id, \
                   (SELECT p.host FROM domains p WHERE p.tenant_id = t.id AND p.is_primary = 1 AND p.verified = 1) AS primary_domain, \
                   d.alias_of AS alias_of \
                 FROM domains d JOIN tenants t ON t.id = d.tenant_id WHERE d.host = ?1 AND d.verified = 1",
            )
            .bind(&[name.into()])?
            .first::<TenantRef>(None)
            .await?
        }
    };
    if let (Some(kv), Some(tenant)) = (&kv, &found) {
        if let Ok(put) = kv.put(
            &kv_key(kind, name),
            serde_json::to_string(tenant).unwrap_or_default(),
        ) {
            if let Err(e) = put.execute().await {
                worker::console_error!("KV write of host {name} failed: {e}");
            }
        }
    }
    let ttl = if found.is_some() {
        HIT_TTL_MS
    } else {
        MISS_TTL_MS
    };
    MEMO.with(|m| m.borrow_mut().insert(key, found.clone(), now, ttl));
    Ok(found)
}

/// The blog a subdomain's row names, and where a renamed blog went: one
/// statement for both.
async fn lookup_subdomain(
    db: &worker::D1Database,
    name: &str,
    now: i64,
) -> Result<(Option<TenantRef>, Option<Moved>)> {
    let rows = db
        .prepare(
            "SELECT t.id AS id, t.subdomain AS subdomain, t.owner_id AS owner_id, \
               (SELECT p.host FROM domains p WHERE p.tenant_id = t.id AND p.is_primary = 1 AND p.verified = 1) AS primary_domain, \
               NULL AS alias_of, NULL AS moved_to, NULL AS until \
             FROM tenants t WHERE t.subdomain = ?1 \
             UNION ALL \
             SELECT NULL, NULL, NULL, NULL, NULL, t.subdomain, h.held_until FROM subdomain_holds h \
               JOIN tenants t ON t.id = h.tenant_id \
             WHERE h.subdomain = ?1 AND h.reason = 'renamed' AND h.held_until > ?2",
        )
        .bind(&[name.into(), wasm_bindgen::JsValue::from_f64(now as f64)])?
        .all()
        .await?
        .results::<SubdomainRow>()?;
    let mut found = None;
    let mut moved = None;
    for row in rows {
        match row {
            SubdomainRow {
                id: Some(id),
                subdomain: Some(subdomain),
                owner_id: Some(owner_id),
                primary_domain,
                alias_of,
                ..
            } => {
                found = Some(TenantRef {
                    id,
                    subdomain,
                    owner_id,
                    primary_domain,
                    alias_of,
                })
            }
            SubdomainRow {
                moved_to: Some(to),
                until: Some(until),
                ..
            } => {
                moved = Some(Moved {
                    moved_to: to,
                    until: until as i64,
                })
            }
            _ => {}
        }
    }
    Ok((found, moved))
}

/// Keeps a redirect in KV until its hold ends (KV wants at least a minute).
async fn keep_moved(kv: &worker::kv::KvStore, name: &str, moved: &Moved, now: i64) {
    if moved.until - now < 120_000 {
        return;
    }
    let Ok(json) = serde_json::to_string(moved) else {
        return;
    };
    if let Ok(put) = kv.put(&kv_key(HostKind::Subdomain, name), json) {
        if let Err(e) = put.expiration((moved.until / 1000) as u64).execute().await {
            worker::console_error!("KV write of moved name {name} failed: {e}");
        }
    }
}

/// Where the blog that was at subdomain `name` went, if it was renamed
/// away less than 30 days ago. Answered from the memo [`find_tenant`] left
/// (it read the same row), else D1.
pub async fn moved_to(
    env: &Env,
    name: &str,
    now: i64,
    metrics: &crate::metrics::RequestMetrics,
) -> Result<Option<Moved>> {
    if let Some(known) = MOVED.with(|m| m.borrow().get(&name.to_string(), now)) {
        return Ok(known.filter(|m| m.live(now)));
    }
    metrics.count_d1(1);
    let (_, moved) = lookup_subdomain(&env.d1(D1_BINDING)?, name, now).await?;
    remember_moved(name, moved.clone(), now);
    Ok(moved)
}

/// Forgets a mapping everywhere this worker can: its memo and KV (other
/// isolates' memos expire within [`HIT_TTL_MS`], KV readers within a minute).
pub async fn forget_host(env: &Env, kind: HostKind, name: &str) -> Result<()> {
    MEMO.with(|m| m.borrow_mut().remove(&(kind, name.to_string())));
    if kind == HostKind::Subdomain {
        MOVED.with(|m| m.borrow_mut().remove(&name.to_string()));
    }
    if let Ok(kv) = env.kv(HOSTS_KV) {
        kv.delete(&kv_key(kind, name))
            .await
            .map_err(|e| worker::Error::RustError(e.to_string()))?;
    }
    Ok(())
}

/// Forgets every key of a write's [`grove_shared::protocol::HOSTS_HEADER`]
/// and answers the origins of those hosts, whose edge pages the write's
/// purge must reach too. A key KV would not forget is logged: other
/// isolates then see the old mapping until KV's cache expires (a minute).
pub async fn forget_keys(
    env: &Env,
    config: &grove_shared::config::PlatformConfig,
    keys: &[grove_shared::protocol::HostKey],
) -> Vec<String> {
    use grove_shared::protocol::HostKey;
    let mut origins = Vec::with_capacity(keys.len());
    for key in keys {
        let (kind, name, host) = match key {
            HostKey::Subdomain(name) => (HostKind::Subdomain, name, config.tenant_host(name)),
            HostKey::Domain(host) => (HostKind::CustomDomain, host, host.clone()),
        };
        if let Err(e) = forget_host(env, kind, name).await {
            worker::console_error!("host {host} not forgotten in KV: {e}");
        }
        origins.push(config.origin(&host));
    }
    origins
}
