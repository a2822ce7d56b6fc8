//! An in-memory [`ActorRuntime`] for the shell's native tests: storage in
//! cells, a limiter with a fixed number of tokens that can be told not to
//! answer, background tasks queued until a test runs them, and sleeps
//! that end at once.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use crate::admin::store::StoreError;
use crate::lifecycle::fake::MemoryLifecycle;
use crate::limits::bucket::Decision;
use crate::limits::policy::{Limit, LimitClass, LimitSource, Plan};
use crate::limits::set::TakeReply;
use crate::view_counts::ViewBuffer;

use super::ports::{ActorRuntime, Task};
use super::purge_journal::PurgeJournal;

#[derive(Default)]
pub struct FakeRuntime {
    pub views: RefCell<Option<ViewBuffer>>,
    pub tenant: RefCell<Option<String>>,
    pub purges: RefCell<Option<PurgeJournal>>,
    pub alarm: Cell<Option<i64>>,
    /// Tokens the limiter still grants (all classes); `None`: unlimited.
    pub tokens: Cell<Option<u32>>,
    /// The limiter does not answer.
    pub limiter_down: Cell<bool>,
    pub takes: Cell<usize>,
    pub tasks: RefCell<VecDeque<Task>>,
    pub errors: RefCell<Vec<String>>,
    pub lifecycle: MemoryLifecycle,
}

impl FakeRuntime {
    /// Runs every queued background task (and those they queue).
    pub async fn run_tasks(&self) {
        loop {
            let next = self.tasks.borrow_mut().pop_front();
            match next {
                Some(task) => task.await,
                None => break,
            }
        }
    }
}

impl ActorRuntime for FakeRuntime {
    type Lifecycle = MemoryLifecycle;
    fn lifecycle(&self) -> &MemoryLifecycle {
        &self.lifecycle
    }
    async fn load_views(&self) -> Result<Option<ViewBuffer>, StoreError> {
        Ok(self.views.borrow().clone())
    }
    async fn save_views(&self, views: &ViewBuffer) -> Result<(), StoreError> {
        *self.views.borrow_mut() = Some(views.clone());
        Ok(())
    }
    async fn load_purges(&self) -> Result<Option<PurgeJournal>, StoreError> {
        Ok(self.purges.borrow().clone())
    }
    async fn save_purges(&self, journal: &PurgeJournal) -> Result<(), StoreError> {
        *self.purges.borrow_mut() = Some(journal.clone());
        Ok(())
    }
    async fn remembered_tenant(&self) -> Result<Option<String>, StoreError> {
        Ok(self.tenant.borrow().clone())
    }
    async fn remember_tenant(&self, tenant_id: &str) -> Result<(), StoreError> {
        *self.tenant.borrow_mut() = Some(tenant_id.to_string());
        Ok(())
    }
    async fn set_alarm(&self, at: Option<i64>, _now: i64) -> Result<(), StoreError> {
        self.alarm.set(at);
        Ok(())
    }
    async fn take(
        &self,
        _tenant_id: &str,
        class: LimitClass,
        _plan: Plan,
        n: u32,
        up_to: bool,
    ) -> Option<TakeReply> {
        self.takes.set(self.takes.get() + 1);
        if self.limiter_down.get() {
            return None;
        }
        let (granted, remaining) = match self.tokens.get() {
            None => (n, u32::MAX),
            Some(left) => {
                let granted = if left >= n {
                    n
                } else if up_to {
                    left
                } else {
                    0
                };
                self.tokens.set(Some(left - granted));
                (granted, left - granted)
            }
        };
        Some(TakeReply {
            class,
            limit: Limit::new(10_000, 60),
            source: LimitSource::Plan,
            last_reset_ms: None,
            decision: Decision {
                granted,
                remaining,
                retry_after_ms: if granted == 0 { 600 } else { 0 },
                reset_ms: 60_000,
            },
        })
    }
    fn spawn(&self, task: Task) {
        self.tasks.borrow_mut().push_back(task);
    }
    fn sleep(&self, _ms: u64) -> Task {
        Box::pin(async {})
    }
    fn log_error(&self, message: &str) {
        self.errors.borrow_mut().push(message.to_string());
    }
}
