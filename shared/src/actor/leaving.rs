//! A blog's deletion, as its actor carries it out: the owner's request
//! ([`TenantShell::leave`]), the refusals while it runs, and its
//! resumption from the alarm.
//!
//! The request waits for every step and is answered only once the blog is
//! gone. From the first step the actor refuses readers (410) and writes;
//! the deletion's record stays in the actor's storage until the last step
//! (and in D1's `tenant_deletions` for operators), and before each run the
//! alarm is pointed a few seconds ahead, so a run cut short (the actor
//! evicted or the runtime restarted) is finished by the alarm. The steps
//! themselves are [`crate::lifecycle::deletion`].

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::admin::store::ContentStore;
use crate::admin_http::account;
use crate::admin_http::reply::Reply;
use crate::admin_http::RequestCtx;
use crate::lifecycle::deletion::{self, Deletion, Ran, RESUME_AFTER_MS};
use crate::lifecycle::ports::Lifecycle;
use crate::media::library::MediaLibrary;
use crate::page_store::PageStore;
use crate::problem::{Format, Problem};
use crate::protocol::LeaveRequest;
use crate::site::ReaderRoute;

use super::ports::ActorRuntime;
use super::schedule::ALARM_RETRY_MS;
use super::shell::{AdminAnswer, TenantShell};

/// What this actor knows of a deletion of its blog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    /// None under way.
    Nothing,
    /// Under way (its record is in storage).
    UnderWay,
    /// Finished: the blog is gone.
    Gone,
}

/// The actor's memory of a deletion.
#[derive(Debug, Default)]
pub struct Leaving {
    /// `None` until read from storage (once per actor instance).
    known: RefCell<Option<Known>>,
    /// A run of the steps is in progress in this instance.
    running: Cell<bool>,
}

impl<S, P, R> TenantShell<S, P, R>
where
    S: ContentStore + 'static,
    P: PageStore + 'static,
    R: ActorRuntime + 'static,
{
    async fn known_deletion(&self) -> Known {
        if let Some(known) = *self.leaving.known.borrow() {
            return known;
        }
        match self.runtime.lifecycle().load_deletion().await {
            Ok(stored) => {
                let known = match stored {
                    Some(d) if d.finished() => Known::Gone,
                    Some(_) => Known::UnderWay,
                    None => Known::Nothing,
                };
                *self.leaving.known.borrow_mut() = Some(known);
                known
            }
            // Read again next time; a storage that fails serves nothing anyway.
            Err(e) => {
                self.runtime
                    .log_error(&format!("deletion record not read: {}", e.0));
                Known::Nothing
            }
        }
    }

    /// The answer to anything but the deletion itself while the blog is
    /// being deleted (410) or once it is gone (404).
    pub(super) async fn leaving_refusal(&self) -> Option<Problem> {
        match self.known_deletion().await {
            Known::Nothing => None,
            Known::UnderWay => Some(Problem::new(
                410,
                "deleted",
                "This blog is being deleted",
                "Its owner deleted this blog. It is no longer shown.",
            )),
            Known::Gone => Some(Problem::no_such_blog()),
        }
    }

    /// An owner deletes their blog: checked (the owner, the password the
    /// router verified, the blog's name typed to confirm), then every step
    /// carried out before the answer.
    pub async fn leave(self: &Rc<Self>, req: &LeaveRequest, ctx: &RequestCtx) -> AdminAnswer {
        let admin = &req.admin;
        let format = Format::for_admin_path(&admin.path);
        let api = format == Format::Json;
        let mut answer = AdminAnswer {
            reply: Ok(Reply::unavailable(api)),
            format,
            limit: None,
            purge: Vec::new(),
            hosts: Vec::new(),
        };
        match self.known_deletion().await {
            Known::Nothing => {}
            Known::UnderWay => {
                answer.reply = Ok(account::under_way(format));
                return answer;
            }
            Known::Gone => {
                answer.reply = Err(Problem::no_such_blog());
                return answer;
            }
        }
        let content = match self
            .core
            .read(&admin.tenant_id, ctx.now, Clone::clone)
            .await
        {
            Ok(Some(content)) => content,
            Ok(None) => {
                answer.reply = Ok(Reply::not_found(api));
                return answer;
            }
            Err(e) => {
                self.runtime
                    .log_error(&format!("tenant {}: leave: {}", admin.tenant_id, e.0));
                return answer;
            }
        };
        if content.tenant.owner_id != admin.user.user_id {
            answer.reply = Ok(Reply::forbidden(api, &admin.site_url));
            return answer;
        }
        if let Err(error) = account::check_leave(req, &content) {
            answer.reply = Ok(account::refused(admin, &content, &error));
            return answer;
        }
        let tenant = &content.tenant;
        let lifecycle = self.runtime.lifecycle();
        let hosts = match lifecycle.host_keys(&tenant.id, &tenant.subdomain).await {
            Ok(hosts) => hosts,
            Err(e) => {
                self.runtime
                    .log_error(&format!("tenant {}: host keys: {}", tenant.id, e.0));
                return answer;
            }
        };
        let mut paths: Vec<String> = content
            .site(ctx.now)
            .all_keys()
            .iter()
            .filter_map(|k| ReaderRoute::from_cache_key(k))
            .map(|r| r.path())
            .collect();
        // Its files too: the edge keeps them for a year.
        match self.core.store().media().list(&tenant.id).await {
            Ok(files) => paths.extend(files.iter().map(|f| f.path())),
            Err(e) => self
                .runtime
                .log_error(&format!("tenant {}: media not listed: {}", tenant.id, e.0)),
        }
        let mut deletion = Deletion::new(
            &tenant.id,
            &tenant.subdomain,
            &tenant.owner_id,
            &hosts,
            ctx.now,
        );
        // From here nothing else is admitted; the write in flight, if
        // any, finishes first.
        *self.leaving.known.borrow_mut() = Some(Known::UnderWay);
        self.core.quiesce().await;
        if let Err(e) = lifecycle.save_deletion(&deletion).await {
            *self.leaving.known.borrow_mut() = None;
            self.runtime.log_error(&format!(
                "tenant {}: deletion not begun: {}",
                tenant.id, e.0
            ));
            return answer;
        }
        let ran = self
            .run_deletion(&mut deletion, ctx.now, req.halt_after)
            .await;
        answer.reply = Ok(match ran {
            Some(Ran::Finished) => account::deleted(format, &deletion, admin),
            Some(Ran::Halted(_)) | None => account::interrupted(format),
        });
        // Begun is enough for the edge to drop the blog's pages and hosts:
        // readers then reach the actor, which refuses them.
        answer.purge = paths;
        answer.hosts = hosts;
        answer
    }

    /// The alarm: finishes a deletion under way, if there is one (then
    /// the alarm does nothing else). Answers whether there was one.
    pub(super) async fn resume_deletion(&self, now: i64) -> bool {
        let mut deletion = match self.runtime.lifecycle().load_deletion().await {
            Ok(Some(d)) => d,
            Ok(None) => return false,
            Err(e) => {
                // There may be one: try again soon rather than let the
                // rest of the alarm move it.
                self.runtime
                    .log_error(&format!("alarm: deletion record not read: {}", e.0));
                self.set_alarm(Some(now + ALARM_RETRY_MS), now).await;
                return true;
            }
        };
        *self.leaving.known.borrow_mut() = Some(if deletion.finished() {
            Known::Gone
        } else {
            Known::UnderWay
        });
        if self.leaving.running.get() {
            // The request that began it is still at work: look again later.
            self.set_alarm(Some(now + RESUME_AFTER_MS), now).await;
            return true;
        }
        self.run_deletion(&mut deletion, now, None).await;
        true
    }

    /// Runs the deletion's remaining steps, the alarm pointed ahead first
    /// so a run cut short is resumed. `None` when a step failed (the
    /// alarm retries it).
    async fn run_deletion(
        &self,
        deletion: &mut Deletion,
        now: i64,
        halt_after: Option<u8>,
    ) -> Option<Ran> {
        self.set_alarm(Some(now + RESUME_AFTER_MS), now).await;
        self.leaving.running.set(true);
        let ran = deletion::run(self.runtime.lifecycle(), deletion, now, halt_after).await;
        self.leaving.running.set(false);
        match ran {
            Ok(Ran::Finished) => {
                *self.leaving.known.borrow_mut() = Some(Known::Gone);
                // Nothing of the blog stays in the isolate's memory either,
                // and no alarm is left (the storage's went with it).
                self.core.forget_all().await;
                self.forget_views();
                self.set_alarm(None, now).await;
                Some(Ran::Finished)
            }
            Ok(halted) => Some(halted),
            Err(failed) => {
                self.runtime.log_error(&format!(
                    "tenant {}: deletion step {} failed, retrying: {}",
                    deletion.tenant_id,
                    failed.step.as_str(),
                    failed.error.0
                ));
                self.set_alarm(Some(now + ALARM_RETRY_MS), now).await;
                None
            }
        }
    }
}
