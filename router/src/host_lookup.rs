//! Host → tenant: first the isolate's memo, then D1.
//!
//! Lookups are memoised per isolate for a short TTL (misses for less), so a
//! busy blog costs no D1 read per request, and a new blog or domain is seen
//! within [`MISS_TTL_MS`].

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

/// The tenant a subdomain or custom domain belongs to, if any.
pub async fn find_tenant(
    env: &Env,
    kind: HostKind,
    name: &str,
    now: i64,
) -> Result<Option<TenantRef>> {
    let key = (kind, name.to_string());
    if let Some(hit) = MEMO.with(|m| m.borrow().get(&key, now)) {
        return Ok(hit);
    }
    let db = env.d1(D1_BINDING)?;
    let statement = match kind {
        HostKind::Subdomain => {
            db.prepare("SELECT id, subdomain, owner_id FROM tenants WHERE subdomain = ?1")
        }
        HostKind::CustomDomain => db.prepare(
            "SELECT t.id AS id, t.subdomain AS subdomain, t.owner_id AS owner_id \
             FROM domains d JOIN tenants t ON t.id = d.tenant_id \
             WHERE d.host = ?1 AND d.verified = 1",
        ),
    };
    crate::metrics::count_d1(1);
    let found = statement
        .bind(&[name.into()])?
        .first::<TenantRef>(None)
        .await?;
    let ttl = if found.is_some() {
        HIT_TTL_MS
    } else {
        MISS_TTL_MS
    };
    MEMO.with(|m| m.borrow_mut().insert(key, found.clone(), now, ttl));
    Ok(found)
}
