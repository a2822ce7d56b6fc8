//! Deleting a blog, step by step, so that a deletion interrupted anywhere
//! (the actor evicted, the runtime restarted) is finished later by the
//! actor's alarm.
//!
//! The deletion is a [`Deletion`] record kept in the actor's own storage
//! from the first step to the last, and mirrored in D1's
//! `tenant_deletions` for operators. Each step is idempotent and the
//! record names the step to run next, saved after each one; a run that
//! stops anywhere is resumed by running that step again. Before each run
//! the actor points its alarm [`RESUME_AFTER_MS`] ahead, so a run that
//! never finishes is picked up without anyone asking.
//!
//! The steps, in order:
//! 1. [`Step::Limits`]: the tenant's ThresholdDO forgets its buckets and overrides.
//! 2. [`Step::Media`]: the R2 objects under `tenants/{id}/`, a page at a
//!    time (early: the router serves files from R2 without asking the
//!    actor, so they must go before anything else can refuse them).
//! 3. [`Step::Rows`]: one D1 batch: every row of the tenant, the owner's
//!    sessions (and account, when this was its only blog), and a
//!    `deleted` hold on the name for 30 days.
//! 4. [`Step::Hosts`]: the host map's KV keys (after the rows, so no
//!    lookup can write a key back from D1).
//! 5. [`Step::Storage`]: R2 is swept once more (an upload that reserved
//!    its bytes before the deletion began may have put its object since),
//!    D1's record says finished, then the actor's own storage (pages,
//!    index, views, this record) and its alarm go.

use serde::{Deserialize, Serialize};

use crate::admin::store::StoreError;
use crate::protocol::HostKey;

use super::ports::Lifecycle;
use super::rename::HOLD_MS;

/// How far ahead the alarm is pointed before each run: a run that never
/// finishes (the actor died) is resumed this long after it began.
pub const RESUME_AFTER_MS: i64 = 3_000;
/// Objects deleted per call (R2 deletes at most 1,000 keys at once).
pub const OBJECTS_PER_CALL: usize = 1_000;

/// A step of a deletion (the record names the one to run next).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Limits,
    Media,
    Rows,
    Hosts,
    Storage,
    /// Nothing left to do.
    Done,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Limits => "limits",
            Step::Rows => "rows",
            Step::Hosts => "hosts",
            Step::Media => "media",
            Step::Storage => "storage",
            Step::Done => "done",
        }
    }

    fn next(self) -> Step {
        match self {
            Step::Limits => Step::Media,
            Step::Media => Step::Rows,
            Step::Rows => Step::Hosts,
            Step::Hosts => Step::Storage,
            Step::Storage | Step::Done => Step::Done,
        }
    }
}

/// A deletion under way (or finished), as the actor keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deletion {
    pub tenant_id: String,
    pub subdomain: String,
    pub owner_id: String,
    pub requested_at: i64,
    /// The host map's keys the blog had when it was asked (encoded
    /// [`HostKey`]s): D1 no longer knows them once its rows are gone.
    pub hosts: Vec<String>,
    /// The step to run next.
    pub step: Step,
    pub finished_at: Option<i64>,
}

impl Deletion {
    /// A deletion asked at `now`, not started.
    pub fn new(
        tenant_id: &str,
        subdomain: &str,
        owner_id: &str,
        hosts: &[HostKey],
        now: i64,
    ) -> Deletion {
        Deletion {
            tenant_id: tenant_id.to_string(),
            subdomain: subdomain.to_string(),
            owner_id: owner_id.to_string(),
            requested_at: now,
            hosts: hosts.iter().map(HostKey::encode).collect(),
            step: Step::Limits,
            finished_at: None,
        }
    }

    pub fn host_keys(&self) -> Vec<HostKey> {
        self.hosts
            .iter()
            .filter_map(|k| HostKey::decode(k))
            .collect()
    }

    /// Where the tenant's objects are in R2.
    pub fn object_prefix(&self) -> String {
        format!("tenants/{}/", self.tenant_id)
    }

    /// Until when the names stay held.
    pub fn held_until(&self) -> i64 {
        self.requested_at + HOLD_MS
    }

    pub fn finished(&self) -> bool {
        self.step == Step::Done
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ran {
    /// Every step is done.
    Finished,
    /// Stopped on purpose before `Step` (local runs' fault injection).
    Halted(Step),
}

/// A step failed; the record still names it, so the next run retries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    pub step: Step,
    pub error: StoreError,
}

/// Runs the deletion from its current step to the end, saving its record
/// after each step. `halt_after` (local runs only) stops after that many
/// steps, as if the actor had died there.
pub async fn run<L: Lifecycle>(
    port: &L,
    deletion: &mut Deletion,
    now: i64,
    halt_after: Option<u8>,
) -> Result<Ran, Failed> {
    let fail = |step| move |error| Failed { step, error };
    if deletion.finished() {
        return Ok(Ran::Finished);
    }
    port.record(deletion).await.map_err(fail(deletion.step))?;
    let mut ran = 0u8;
    loop {
        let step = deletion.step;
        if step != Step::Done && halt_after.is_some_and(|n| ran >= n) {
            return Ok(Ran::Halted(step));
        }
        match step {
            Step::Limits => port.forget_limits(&deletion.tenant_id).await,
            Step::Rows => port.delete_rows(deletion, deletion.held_until()).await,
            Step::Hosts => port.forget_hosts(&deletion.host_keys()).await,
            Step::Media => delete_objects(port, &deletion.object_prefix()).await,
            Step::Storage => {
                delete_objects(port, &deletion.object_prefix())
                    .await
                    .map_err(fail(step))?;
                let mut finished = deletion.clone();
                finished.step = Step::Done;
                finished.finished_at = Some(now);
                port.record(&finished).await.map_err(fail(step))?;
                port.wipe_storage().await.map_err(fail(step))?;
                *deletion = finished;
                return Ok(Ran::Finished);
            }
            Step::Done => return Ok(Ran::Finished),
        }
        .map_err(fail(step))?;
        deletion.step = step.next();
        port.save_deletion(deletion).await.map_err(fail(step))?;
        port.record(deletion).await.map_err(fail(step))?;
        ran = ran.saturating_add(1);
    }
}

/// Deletes every object under `prefix`, a page at a time.
async fn delete_objects<L: Lifecycle>(port: &L, prefix: &str) -> Result<(), StoreError> {
    while port.delete_objects(prefix, OBJECTS_PER_CALL).await? > 0 {}
    Ok(())
}

#[cfg(test)]
mod tests {
    use futures::executor::block_on;

    use super::*;
    use crate::lifecycle::fake::MemoryLifecycle;

    fn world() -> (MemoryLifecycle, Deletion) {
        let port = MemoryLifecycle::with_tenant("t_gone", "gone", "u_gone");
        port.add_tenant("t_other", "other", "u_other");
        port.add_objects("t_gone", 2_500);
        port.add_objects("t_other", 3);
        port.add_domain("t_gone", "gone.example");
        let hosts = block_on(port.host_keys("t_gone", "gone")).unwrap();
        let deletion = Deletion::new("t_gone", "gone", "u_gone", &hosts, 1_000);
        block_on(port.save_deletion(&deletion)).unwrap();
        (port, deletion)
    }

    #[test]
    fn a_deletion_removes_everything_of_its_tenant_and_nothing_else() {
        let (port, mut d) = world();
        assert_eq!(
            d.host_keys(),
            vec![
                HostKey::Subdomain("gone".into()),
                HostKey::Domain("gone.example".into())
            ]
        );
        assert_eq!(block_on(run(&port, &mut d, 2_000, None)), Ok(Ran::Finished));
        assert!(port.nothing_of("t_gone", "u_gone"), "{port:?}");
        assert!(port.everything_of("t_other", "u_other", 3), "{port:?}");
        let hold = port.hold("gone").expect("the name is held");
        assert_eq!(
            hold,
            ("t_gone".to_string(), "deleted".to_string(), 1_000 + HOLD_MS)
        );
        let record = port.record_of("t_gone").expect("ops see it");
        assert_eq!((record.step, record.finished_at), (Step::Done, Some(2_000)));
        assert_eq!(d.step, Step::Done);
    }

    #[test]
    fn a_run_that_stops_anywhere_is_finished_by_the_next() {
        for halt in 0..5u8 {
            let (port, mut d) = world();
            assert!(
                matches!(
                    block_on(run(&port, &mut d, 2_000, Some(halt))),
                    Ok(Ran::Halted(_))
                ),
                "halt after {halt}"
            );
            // The actor died: what it had in memory is gone; its storage says where it was.
            let mut stored = block_on(port.load_deletion())
                .unwrap()
                .expect("kept until the end");
            assert_eq!(stored, d);
            assert_eq!(port.record_of("t_gone").map(|r| r.step), Some(stored.step));
            assert!(!port.nothing_of("t_gone", "u_gone") || halt >= 4);
            assert_eq!(
                block_on(run(&port, &mut stored, 3_000, None)),
                Ok(Ran::Finished)
            );
            assert!(
                port.nothing_of("t_gone", "u_gone"),
                "halt after {halt}: {port:?}"
            );
            assert!(port.everything_of("t_other", "u_other", 3));
        }
    }

    #[test]
    fn a_failed_step_is_retried_and_the_steps_before_it_are_not_undone() {
        for op in [
            "forget_limits",
            "delete_rows",
            "forget_hosts",
            "delete_objects",
            "wipe_storage",
            "record",
            "save_deletion",
        ] {
            let (port, mut d) = world();
            port.fail_next(op);
            let failed = block_on(run(&port, &mut d, 2_000, None)).expect_err(op);
            let mut stored = block_on(port.load_deletion()).unwrap().expect("still kept");
            assert!(
                stored.step <= failed.step,
                "{op}: the failed step is run again"
            );
            assert_eq!(
                block_on(run(&port, &mut stored, 3_000, None)),
                Ok(Ran::Finished),
                "{op}"
            );
            assert!(port.nothing_of("t_gone", "u_gone"), "{op}: {port:?}");
            assert!(port.everything_of("t_other", "u_other", 3), "{op}");
        }
    }

    #[test]
    fn the_owner_keeps_an_account_that_owns_another_blog() {
        let (port, mut d) = world();
        port.add_tenant("t_second", "second", "u_gone");
        block_on(run(&port, &mut d, 2_000, None)).unwrap();
        assert!(port.user_exists("u_gone"), "another blog of theirs remains");
        assert!(!port.has_sessions("u_gone"), "signed out everywhere");
    }
}
