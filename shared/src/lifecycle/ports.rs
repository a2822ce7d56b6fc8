//! The port a blog's lifecycle needs beyond its content store: what D1
//! says about names and hosts, and every place a deleted blog must be
//! removed from. The TenantDO implements it over D1, R2, KV, the tenant's
//! ThresholdDO and its own storage (`tenant-do/src/lifecycle.rs`); native
//! tests over memory ([`super::fake::MemoryLifecycle`]).
//!
//! Every deletion method is idempotent: run twice, it leaves the same
//! state as once, so a deletion interrupted anywhere is resumed by running
//! its current step again.

use crate::admin::store::StoreError;
use crate::protocol::HostKey;

use super::deletion::Deletion;
use super::rename::NameStatus;

/// Lifecycle operations of one tenant's actor.
#[allow(async_fn_in_trait)] // single-threaded (wasm32) callers only
pub trait Lifecycle {
    /// Whether blog `tenant_id` may take `name` now (D1: taken by another
    /// blog, or held for another one).
    async fn name_status(
        &self,
        name: &str,
        tenant_id: &str,
        now: i64,
    ) -> Result<NameStatus, StoreError>;

    /// Every key of the host map that names the tenant: `sub:{subdomain}`,
    /// `domain:{host}` of each of its domains, and `sub:{name}` of each
    /// name it holds after a rename (which the router redirects).
    async fn host_keys(&self, tenant_id: &str, subdomain: &str)
        -> Result<Vec<HostKey>, StoreError>;

    /// The deletion under way, as kept in the actor's own storage.
    async fn load_deletion(&self) -> Result<Option<Deletion>, StoreError>;
    async fn save_deletion(&self, deletion: &Deletion) -> Result<(), StoreError>;

    /// The deletion's row in D1's `tenant_deletions` (what ops see),
    /// inserted or brought up to date.
    async fn record(&self, deletion: &Deletion) -> Result<(), StoreError>;

    /// Forgets the tenant's limits (its ThresholdDO's buckets and overrides).
    async fn forget_limits(&self, tenant_id: &str) -> Result<(), StoreError>;

    /// In one D1 batch: every row of the tenant (the tenant, its posts,
    /// pages, settings, revisions, domains, media books, held submissions),
    /// its owner's sessions, the owner's account if it owns no other blog,
    /// and a `deleted` hold on its names until `held_until`.
    async fn delete_rows(&self, deletion: &Deletion, held_until: i64) -> Result<(), StoreError>;

    /// Deletes the host map's `keys` (KV).
    async fn forget_hosts(&self, keys: &[HostKey]) -> Result<(), StoreError>;

    /// Deletes up to `max` objects whose key starts with `prefix` (R2);
    /// answers how many it deleted (0: none was left).
    async fn delete_objects(&self, prefix: &str, max: usize) -> Result<usize, StoreError>;

    /// Deletes everything in the actor's own storage (pages, search index,
    /// views, the deletion record) and its alarm.
    async fn wipe_storage(&self) -> Result<(), StoreError>;
}
