//! The actor's half of an upload: it keeps the books, the router holds the
//! bytes. Each step checks that the user owns the tenant and that writes
//! are not suspended; a reservation also spends one `media_uploads` token
//! and is checked against the plan's per-file limit and storage quota
//! ([`crate::media::library`]).

use crate::admin::store::{ContentStore, StoreError};
use crate::limits::policy::LimitClass;
use crate::limits::set::TakeReply;
use crate::media::library::{self, MediaLibrary, Reservation};
use crate::page_store::PageStore;
use crate::problem::Problem;
use crate::protocol::{MediaAction, MediaReply, MediaRequest};

use super::ports::ActorRuntime;
use super::shell::TenantShell;

/// The answer to one step, with the limit's figures when a token was spent.
#[derive(Debug)]
pub struct MediaAnswer {
    pub reply: Result<MediaReply, Problem>,
    pub limit: Option<TakeReply>,
}

fn unavailable(e: StoreError, log: impl Fn(&str)) -> Problem {
    log(&format!("media books: {}", e.0));
    Problem::unavailable(
        "The media library is not available right now. Nothing was stored: try again.",
    )
}

impl<S, P, R> TenantShell<S, P, R>
where
    S: ContentStore + 'static,
    P: PageStore + 'static,
    R: ActorRuntime + 'static,
{
    /// One step of an upload.
    pub async fn media(&self, req: &MediaRequest, now: i64) -> MediaAnswer {
        let mut answer = MediaAnswer {
            reply: Err(Problem::unavailable("")),
            limit: None,
        };
        if let Some(gone) = self.leaving_refusal().await {
            answer.reply = Err(gone);
            return answer;
        }
        let tenant = self
            .core
            .read(&req.tenant_id, now, |c| {
                let t = &c.tenant;
                (t.plan, t.suspended, t.owner_id == req.user_id)
            })
            .await;
        let plan = match tenant {
            Err(e) => {
                answer.reply = Err(unavailable(e, |m| self.runtime.log_error(m)));
                return answer;
            }
            Ok(None) => {
                answer.reply = Err(Problem::no_such_blog());
                return answer;
            }
            Ok(Some((_, _, false))) => {
                answer.reply = Err(Problem::new(
                    403,
                    "forbidden",
                    "Forbidden",
                    "You are signed in, but this blog is not yours to change.",
                ));
                return answer;
            }
            Ok(Some((_, true, _))) => {
                answer.reply = Err(Problem::write_suspended());
                return answer;
            }
            Ok(Some((plan, false, true))) => plan,
        };
        let lib = self.core.store().media();
        let tenant_id = req.tenant_id.as_str();
        let log = |m: &str| self.runtime.log_error(m);
        answer.reply = match &req.action {
            MediaAction::Reserve { item } => {
                answer.limit = self
                    .runtime
                    .take(tenant_id, LimitClass::MediaUploads, plan, 1, false)
                    .await;
                if let Some(reply) = &answer.limit {
                    if reply.decision.granted == 0 {
                        answer.reply = Err(Problem::too_many(reply));
                        return answer;
                    }
                }
                match library::reserve(lib, tenant_id, plan, item, now).await {
                    Ok(Ok(Reservation::Existing(item))) => Ok(MediaReply::Existing { item }),
                    Ok(Ok(_)) => Ok(MediaReply::Reserved),
                    Ok(Err(e)) => Err(e.problem(&item.filename)),
                    Err(e) => Err(unavailable(e, log)),
                }
            }
            MediaAction::Commit { id } => match lib.commit(tenant_id, id).await {
                Ok(Some(item)) => Ok(MediaReply::Committed { item }),
                Ok(None) => Err(Problem::new(
                    409,
                    "reservation_expired",
                    "Upload expired",
                    "This upload took too long and its reservation lapsed. Nothing was stored: upload the file again.",
                )),
                Err(e) => Err(unavailable(e, log)),
            },
            MediaAction::Release { id } => match lib.release(tenant_id, id).await {
                Ok(()) => Ok(MediaReply::Released),
                Err(e) => Err(unavailable(e, log)),
            },
        };
        answer
    }
}
