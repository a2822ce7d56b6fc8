//! What the actor's shell needs from the runtime, beyond the content store
//! and the page store: its own storage for the view buffer and its
//! identity, its alarm, the tenant's limiter, background tasks, a log, and
//! the places a blog lives for its lifecycle (renames, deletion:
//! [`Lifecycle`]).
//! The TenantDO implements it over Durable Object storage, the ThresholdDO
//! and `spawn_local`; native tests over memory.

use std::future::Future;
use std::pin::Pin;

use crate::admin::store::StoreError;
use crate::lifecycle::ports::Lifecycle;
use crate::limits::policy::{LimitClass, Plan};
use crate::limits::set::TakeReply;
use crate::view_counts::ViewBuffer;

use super::purge_journal::PurgeJournal;

/// A task that runs after the current request, on the actor's thread.
pub type Task = Pin<Box<dyn Future<Output = ()>>>;

/// The runtime around one tenant actor.
#[allow(async_fn_in_trait)] // single-threaded (wasm32) callers only
pub trait ActorRuntime {
    /// D1, R2, KV, the limiter and the actor's storage, for renames and deletion.
    type Lifecycle: Lifecycle;
    fn lifecycle(&self) -> &Self::Lifecycle;
    /// The view buffer as last saved, if any.
    async fn load_views(&self) -> Result<Option<ViewBuffer>, StoreError>;
    async fn save_views(&self, views: &ViewBuffer) -> Result<(), StoreError>;
    /// The journal of recent purges, as last saved.
    async fn load_purges(&self) -> Result<Option<PurgeJournal>, StoreError>;
    async fn save_purges(&self, journal: &PurgeJournal) -> Result<(), StoreError>;
    /// Which tenant this actor serves, as remembered for its alarm.
    async fn remembered_tenant(&self) -> Result<Option<String>, StoreError>;
    async fn remember_tenant(&self, tenant_id: &str) -> Result<(), StoreError>;
    /// Points the alarm at `at` (Unix ms; fires at once if past), or clears it.
    async fn set_alarm(&self, at: Option<i64>, now: i64) -> Result<(), StoreError>;
    /// Asks the tenant's limiter for `n` tokens of `class` (up to `n` if
    /// `up_to`); `None` when it did not answer.
    async fn take(
        &self,
        tenant_id: &str,
        class: LimitClass,
        plan: Plan,
        n: u32,
        up_to: bool,
    ) -> Option<TakeReply>;
    /// Runs `task` in the background, after the current request.
    fn spawn(&self, task: Task);
    /// Resolves after `ms` milliseconds.
    fn sleep(&self, ms: u64) -> Task;
    /// Logs an internal failure (never shown to clients).
    fn log_error(&self, message: &str);
}
