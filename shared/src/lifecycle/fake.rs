//! [`MemoryLifecycle`]: the [`Lifecycle`] port over memory, for native
//! tests: a small model of the places a blog lives (D1's tenants, rows,
//! users, sessions, domains and holds; KV; R2; the limiter; the actor's
//! storage) in which any operation can be told to fail once.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};

use crate::admin::store::StoreError;
use crate::protocol::HostKey;

use super::deletion::Deletion;
use super::ports::Lifecycle;
use super::rename::{NameStatus, DELETED, RENAMED};

/// A hold on a name: `(tenant_id, reason, held_until)`.
pub type Hold = (String, String, i64);

/// The places a blog lives, in memory.
#[derive(Debug, Default)]
pub struct MemoryLifecycle {
    /// `(tenant_id, subdomain, owner_id)`.
    tenants: RefCell<Vec<(String, String, String)>>,
    /// Rows of the tenant tables (posts, pages, settings...), per tenant.
    rows: RefCell<BTreeMap<String, usize>>,
    users: RefCell<BTreeSet<String>>,
    /// Sessions per user.
    sessions: RefCell<BTreeMap<String, usize>>,
    /// `(host, tenant_id)`.
    domains: RefCell<Vec<(String, String)>>,
    holds: RefCell<BTreeMap<String, Hold>>,
    /// Host-map key → tenant id.
    kv: RefCell<BTreeMap<String, String>>,
    objects: RefCell<BTreeSet<String>>,
    limits: RefCell<BTreeSet<String>>,
    storage: RefCell<Option<Deletion>>,
    /// D1's `tenant_deletions`, by tenant.
    records: RefCell<BTreeMap<String, Deletion>>,
    /// Times the actor's storage was wiped.
    pub wiped: Cell<usize>,
    /// The next call of this operation fails (once).
    fail: RefCell<Option<&'static str>>,
}

impl MemoryLifecycle {
    /// One blog with rows, an owner with two sessions, its KV key and limits.
    pub fn with_tenant(tenant_id: &str, subdomain: &str, owner_id: &str) -> MemoryLifecycle {
        let port = MemoryLifecycle::default();
        port.add_tenant(tenant_id, subdomain, owner_id);
        port
    }

    pub fn add_tenant(&self, tenant_id: &str, subdomain: &str, owner_id: &str) {
        self.tenants
            .borrow_mut()
            .push((tenant_id.into(), subdomain.into(), owner_id.into()));
        self.rows.borrow_mut().insert(tenant_id.into(), 5);
        self.users.borrow_mut().insert(owner_id.into());
        self.sessions.borrow_mut().insert(owner_id.into(), 2);
        self.kv.borrow_mut().insert(
            HostKey::Subdomain(subdomain.into()).encode(),
            tenant_id.into(),
        );
        self.limits.borrow_mut().insert(tenant_id.into());
    }

    /// `n` media objects of the tenant in R2.
    pub fn add_objects(&self, tenant_id: &str, n: usize) {
        let mut objects = self.objects.borrow_mut();
        for i in 0..n {
            objects.insert(format!("tenants/{tenant_id}/media/{i:032x}.png"));
        }
    }

    pub fn add_domain(&self, tenant_id: &str, host: &str) {
        self.domains
            .borrow_mut()
            .push((host.into(), tenant_id.into()));
        self.kv
            .borrow_mut()
            .insert(HostKey::Domain(host.into()).encode(), tenant_id.into());
    }

    pub fn add_hold(&self, name: &str, tenant_id: &str, reason: &str, until: i64) {
        self.holds
            .borrow_mut()
            .insert(name.into(), (tenant_id.into(), reason.into(), until));
    }

    pub fn hold(&self, name: &str) -> Option<Hold> {
        self.holds.borrow().get(name).cloned()
    }

    pub fn record_of(&self, tenant_id: &str) -> Option<Deletion> {
        self.records.borrow().get(tenant_id).cloned()
    }

    pub fn user_exists(&self, user_id: &str) -> bool {
        self.users.borrow().contains(user_id)
    }

    pub fn has_sessions(&self, user_id: &str) -> bool {
        self.sessions.borrow().get(user_id).is_some_and(|n| *n > 0)
    }

    fn objects_of(&self, tenant_id: &str) -> usize {
        let prefix = format!("tenants/{tenant_id}/");
        self.objects
            .borrow()
            .iter()
            .filter(|k| k.starts_with(&prefix))
            .count()
    }

    fn subdomain_of(&self, tenant_id: &str) -> Option<String> {
        self.tenants
            .borrow()
            .iter()
            .find(|(id, _, _)| id == tenant_id)
            .map(|(_, sub, _)| sub.clone())
    }

    /// Nothing of the tenant or its (only-blog) owner is left anywhere
    /// but the deletion's record and the hold on its name.
    pub fn nothing_of(&self, tenant_id: &str, owner_id: &str) -> bool {
        self.subdomain_of(tenant_id).is_none()
            && !self.rows.borrow().contains_key(tenant_id)
            && !self.user_exists(owner_id)
            && !self.has_sessions(owner_id)
            && !self.domains.borrow().iter().any(|(_, t)| t == tenant_id)
            && self.objects_of(tenant_id) == 0
            && !self.limits.borrow().contains(tenant_id)
            && !self.kv.borrow().values().any(|t| t == tenant_id)
            && self.storage.borrow().is_none()
    }

    /// Everything of the tenant is still there, with `objects` objects.
    pub fn everything_of(&self, tenant_id: &str, owner_id: &str, objects: usize) -> bool {
        let Some(sub) = self.subdomain_of(tenant_id) else {
            return false;
        };
        self.rows.borrow().get(tenant_id) == Some(&5)
            && self.user_exists(owner_id)
            && self.has_sessions(owner_id)
            && self.objects_of(tenant_id) == objects
            && self.limits.borrow().contains(tenant_id)
            && self.kv.borrow().get(&HostKey::Subdomain(sub).encode())
                == Some(&tenant_id.to_string())
    }

    /// Makes the next call of `op` fail.
    pub fn fail_next(&self, op: &'static str) {
        *self.fail.borrow_mut() = Some(op);
    }

    fn check(&self, op: &'static str) -> Result<(), StoreError> {
        if *self.fail.borrow() == Some(op) {
            *self.fail.borrow_mut() = None;
            return Err(StoreError(format!("injected failure of {op}")));
        }
        Ok(())
    }
}

impl Lifecycle for MemoryLifecycle {
    async fn name_status(
        &self,
        name: &str,
        tenant_id: &str,
        now: i64,
    ) -> Result<NameStatus, StoreError> {
        self.check("name_status")?;
        if self
            .tenants
            .borrow()
            .iter()
            .any(|(id, sub, _)| sub == name && id != tenant_id)
        {
            return Ok(NameStatus::Taken);
        }
        let held = self
            .holds
            .borrow()
            .get(name)
            .is_some_and(|(t, _, until)| t != tenant_id && *until > now);
        Ok(if held {
            NameStatus::Held
        } else {
            NameStatus::Available
        })
    }

    async fn host_keys(
        &self,
        tenant_id: &str,
        subdomain: &str,
    ) -> Result<Vec<HostKey>, StoreError> {
        self.check("host_keys")?;
        let mut keys = vec![HostKey::Subdomain(subdomain.into())];
        keys.extend(
            self.domains
                .borrow()
                .iter()
                .filter(|(_, t)| t == tenant_id)
                .map(|(host, _)| HostKey::Domain(host.clone())),
        );
        keys.extend(
            self.holds
                .borrow()
                .iter()
                .filter(|(_, (t, reason, _))| t == tenant_id && reason == RENAMED)
                .map(|(name, _)| HostKey::Subdomain(name.clone())),
        );
        Ok(keys)
    }

    async fn load_deletion(&self) -> Result<Option<Deletion>, StoreError> {
        self.check("load_deletion")?;
        Ok(self.storage.borrow().clone())
    }

    async fn save_deletion(&self, deletion: &Deletion) -> Result<(), StoreError> {
        self.check("save_deletion")?;
        *self.storage.borrow_mut() = Some(deletion.clone());
        Ok(())
    }

    async fn record(&self, deletion: &Deletion) -> Result<(), StoreError> {
        self.check("record")?;
        self.records
            .borrow_mut()
            .insert(deletion.tenant_id.clone(), deletion.clone());
        Ok(())
    }

    async fn forget_limits(&self, tenant_id: &str) -> Result<(), StoreError> {
        self.check("forget_limits")?;
        self.limits.borrow_mut().remove(tenant_id);
        Ok(())
    }

    async fn delete_rows(&self, deletion: &Deletion, held_until: i64) -> Result<(), StoreError> {
        self.check("delete_rows")?;
        let t = &deletion.tenant_id;
        self.rows.borrow_mut().remove(t);
        self.tenants.borrow_mut().retain(|(id, _, _)| id != t);
        self.domains.borrow_mut().retain(|(_, id)| id != t);
        let owner = &deletion.owner_id;
        self.sessions.borrow_mut().remove(owner);
        if !self.tenants.borrow().iter().any(|(_, _, o)| o == owner) {
            self.users.borrow_mut().remove(owner);
        }
        let mut holds = self.holds.borrow_mut();
        for (id, reason, _) in holds.values_mut() {
            if id == t {
                *reason = DELETED.into();
            }
        }
        holds.insert(
            deletion.subdomain.clone(),
            (t.clone(), DELETED.into(), held_until),
        );
        Ok(())
    }

    async fn forget_hosts(&self, keys: &[HostKey]) -> Result<(), StoreError> {
        self.check("forget_hosts")?;
        let mut kv = self.kv.borrow_mut();
        for key in keys {
            kv.remove(&key.encode());
        }
        Ok(())
    }

    async fn delete_objects(&self, prefix: &str, max: usize) -> Result<usize, StoreError> {
        self.check("delete_objects")?;
        let mut objects = self.objects.borrow_mut();
        let page: Vec<String> = objects
            .iter()
            .filter(|k| k.starts_with(prefix))
            .take(max)
            .cloned()
            .collect();
        for key in &page {
            objects.remove(key);
        }
        Ok(page.len())
    }

    async fn wipe_storage(&self) -> Result<(), StoreError> {
        self.check("wipe_storage")?;
        *self.storage.borrow_mut() = None;
        self.wiped.set(self.wiped.get() + 1);
        Ok(())
    }
}
