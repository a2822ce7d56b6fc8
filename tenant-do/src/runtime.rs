//! [`ActorRuntime`] over the Workers runtime: the Durable Object's own
//! storage (view buffer, tenant id, alarm), the tenant's ThresholdDO,
//! `spawn_local` for background work, and the lifecycle port (renames,
//! deletion: [`DoLifecycle`]).

use std::time::Duration;

use grove_shared::actor::ports::{ActorRuntime, Task};
use grove_shared::actor::purge_journal::PurgeJournal;
use grove_shared::admin::store::StoreError;
use grove_shared::limits::policy::{LimitClass, Plan};
use grove_shared::limits::set::TakeReply;
use grove_shared::view_counts::ViewBuffer;
use worker::{Delay, Env, Storage};

use crate::lifecycle::DoLifecycle;
use crate::limits;

/// Storage key under which the actor remembers whose it is (for alarms).
const TENANT_KEY: &str = "tenant_id";
/// Storage key of the view buffer.
const VIEWS_KEY: &str = "views";
/// Storage key of the journal of recent purges.
const PURGES_KEY: &str = "purges";

/// The runtime around one TenantDO.
pub struct DoRuntime {
    storage: Storage,
    env: Env,
    lifecycle: DoLifecycle,
}

impl DoRuntime {
    /// `storage` and `lifecycle_storage` are two handles of the actor's storage.
    pub fn new(storage: Storage, lifecycle_storage: Storage, env: Env) -> Self {
        DoRuntime {
            lifecycle: DoLifecycle::new(lifecycle_storage, env.clone()),
            storage,
            env,
        }
    }
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

impl ActorRuntime for DoRuntime {
    type Lifecycle = DoLifecycle;
    fn lifecycle(&self) -> &DoLifecycle {
        &self.lifecycle
    }

    async fn load_views(&self) -> Result<Option<ViewBuffer>, StoreError> {
        let stored = self.storage.get::<String>(VIEWS_KEY).await.map_err(err)?;
        Ok(stored.and_then(|s| serde_json::from_str(&s).ok()))
    }

    async fn save_views(&self, views: &ViewBuffer) -> Result<(), StoreError> {
        let json = serde_json::to_string(views).map_err(err)?;
        self.storage.put(VIEWS_KEY, json).await.map_err(err)
    }

    async fn load_purges(&self) -> Result<Option<PurgeJournal>, StoreError> {
        let stored = self.storage.get::<String>(PURGES_KEY).await.map_err(err)?;
        Ok(stored.and_then(|s| serde_json::from_str(&s).ok()))
    }

    async fn save_purges(&self, journal: &PurgeJournal) -> Result<(), StoreError> {
        let json = serde_json::to_string(journal).map_err(err)?;
        self.storage.put(PURGES_KEY, json).await.map_err(err)
    }

    async fn remembered_tenant(&self) -> Result<Option<String>, StoreError> {
        self.storage.get::<String>(TENANT_KEY).await.map_err(err)
    }

    async fn remember_tenant(&self, tenant_id: &str) -> Result<(), StoreError> {
        self.storage.put(TENANT_KEY, tenant_id).await.map_err(err)
    }

    async fn set_alarm(&self, at: Option<i64>, now: i64) -> Result<(), StoreError> {
        match at {
            Some(at) => self.storage.set_alarm((at - now).max(0)).await.map_err(err),
            None => self.storage.delete_alarm().await.map_err(err),
        }
    }

    async fn take(
        &self,
        tenant_id: &str,
        class: LimitClass,
        plan: Plan,
        n: u32,
        up_to: bool,
    ) -> Option<TakeReply> {
        limits::take(&self.env, tenant_id, class, plan, n, up_to).await
    }

    fn spawn(&self, task: Task) {
        worker::wasm_bindgen_futures::spawn_local(task);
    }

    fn sleep(&self, ms: u64) -> Task {
        Box::pin(Delay::from(Duration::from_millis(ms)))
    }

    fn log_error(&self, message: &str) {
        worker::console_error!("{message}");
    }
}
