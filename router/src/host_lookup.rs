//! Host → tenant: the isolate's memo, then KV (the global read cache),
//! then D1.
//!
//! Lookups are memoised per isolate for a short TTL (misses for less), so a
//! busy blog costs no D1 read per request, and a new blog or domain is seen
//! within [`MISS_TTL_MS`]. A fresh isolate (or a restart) reads KV, not D1.
//! A mapping carries the blog's primary custom domain (and an alias's
//! domain), so redirecting readers there costs nothing more; a write that
//! moves the primary has the router forget every host of the blog.

use std::cell::RefCell;

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
        if let Ok(Some(found)) = kv
            .get(&kv_key(kind, name))
            .cache_ttl(KV_CACHE_TTL_SECS)
            .json::<TenantRef>()
            .await
        {
            MEMO.with(|m| {
                m.borrow_mut()
                    .insert(key, Some(found.clone()), now, HIT_TTL_MS)
            });
            return Ok(Some(found));
        }
    }
    let db = env.d1(D1_BINDING)?;
    // With the blog's primary custom domain (and, for an alias, its
    // domain), so the router redirects readers without another read.
    let statement = match kind {
        HostKind::Subdomain => db.prepare(
            "SELECT t.id AS id, t.subdomain AS subdomain, t.owner_id AS owner_id, \
               (SELECT p.host FROM domains p WHERE p.tenant_id = t.id AND p.is_primary = 1 AND p.verified = 1) AS primary_domain, \
               NULL AS alias_of \
             FROM tenants t WHERE t.subdomain = ?1",
        ),
        HostKind::CustomDomain => db.prepare(
            "SELECT t.id AS id, t.subdomain AS subdomain, t.owner_id AS owner_id, \
               (SELECT p.host FROM domains p WHERE p.tenant_id = t.id AND p.is_primary = 1 AND p.verified = 1) AS primary_domain, \
               d.alias_of AS alias_of \
             FROM domains d JOIN tenants t ON t.id = d.tenant_id WHERE d.host = ?1 AND d.verified = 1",
        ),
    };
    metrics.count_d1(1);
    let found = statement
        .bind(&[name.into()])?
        .first::<TenantRef>(None)
        .await?;
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

/// Forgets a mapping everywhere this worker can: its memo and KV (other
/// isolates' memos expire within [`HIT_TTL_MS`], KV readers within a minute).
pub async fn forget_host(env: &Env, kind: HostKind, name: &str) -> Result<()> {
    MEMO.with(|m| m.borrow_mut().remove(&(kind, name.to_string())));
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
