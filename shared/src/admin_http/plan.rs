//! The blog's plan over HTTP: `/admin/plan` (the page and its forms) and
//! `/admin/api/plan`.
//!
//! | method | path | what |
//! |---|---|---|
//! | GET | `/admin/api/plan` | `{plan, quotas: [{quota, used, limit}], pending}` |
//! | POST | `/admin/api/plan` | `{plan}`: a cheaper plan at once (200); a dearer one is a request (202) |
//! | DELETE | `/admin/api/plan/request` | withdraws the pending request |
//!
//! A downgrade is a write of the blog's actor (`Command::SetPlan`), so it
//! is ordered with every other write and deletes nothing. An upgrade goes
//! through the [`Billing`] port, which today only records a request for an
//! operator to approve.

use serde::Deserialize;
use serde_json::json;

use super::reply::Reply;
use super::RequestCtx;
use crate::admin::content::{Command, TenantContent, WriteCtx};
use crate::admin::errors::{FieldError, WriteError};
use crate::admin::forms::FormData;
use crate::admin::store::ContentStore;
use crate::billing::{Billing, PlanRequest};
use crate::media::library::MediaLibrary;
use crate::page_store::PageStore;
use crate::plans::{Plan, QuotaKind};
use crate::protocol::AdminRequest;
use crate::tenant_core::TenantCore;
use crate::views::admin::{self as v, AdminChrome, QuotaUse, QUOTA_KINDS};

/// What the blog uses of each quota. Media is read from its books; a
/// count that cannot be read now is `None` (shown as such, never as 0).
pub async fn usage<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    content: &TenantContent,
) -> Vec<QuotaUse> {
    let tenant = content.tenant.id.as_str();
    let media = core
        .store()
        .media()
        .usage(tenant)
        .await
        .ok()
        .map(|u| u.bytes);
    QUOTA_KINDS
        .into_iter()
        .map(|kind| QuotaUse {
            kind,
            used: match kind {
                QuotaKind::MediaBytes => media,
                _ => content.usage(kind),
            },
        })
        .collect()
}

/// What the content itself shows of the quotas (posts and pages), with no
/// read of anything else: the dashboard's line.
pub fn content_usage(content: &TenantContent) -> Vec<QuotaUse> {
    QUOTA_KINDS
        .into_iter()
        .filter_map(|kind| {
            Some(QuotaUse {
                kind,
                used: Some(content.usage(kind)?),
            })
        })
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanInput {
    plan: String,
}

/// What the owner asked for.
enum Ask {
    Move(Plan),
    Withdraw,
}

fn notice(query: Option<&str>) -> Option<&'static str> {
    query?.split('&').find_map(|p| match p {
        "notice=requested" => Some("Request sent: an operator will review it."),
        "notice=withdrawn" => Some("Request withdrawn."),
        "notice=downgraded" => Some("The blog is now on the free plan."),
        _ => None,
    })
}

fn plan_json(plan: Plan, usage: &[QuotaUse], pending: Option<&PlanRequest>) -> serde_json::Value {
    let quotas: Vec<_> = usage
        .iter()
        .map(|u| json!({ "quota": u.kind.as_str(), "used": u.used, "limit": u.kind.limit(plan) }))
        .collect();
    json!({ "plan": plan, "quotas": quotas, "pending": pending })
}

/// Serves `/admin/plan/{rest..}` (`api`: `/admin/api/plan/{rest..}`).
pub async fn handle<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    content: &TenantContent,
    chrome: &AdminChrome,
    rest: &[&str],
    api: bool,
    ctx: &RequestCtx,
) -> Reply {
    let billing = core.store().billing();
    let tenant = req.tenant_id.as_str();
    let plan = content.tenant.plan;
    let ask = match (req.method.as_str(), rest, api) {
        ("GET", [], _) => {
            let usage = usage(core, content).await;
            let Ok(pending) = billing.pending(tenant).await else {
                return Reply::unavailable(api);
            };
            if api {
                return Reply::json(200, &plan_json(plan, &usage, pending.as_ref()));
            }
            let pricing = format!("{}pricing", req.apex_url);
            let view = v::PlanView {
                plan,
                usage: &usage,
                pending: pending.as_ref(),
                pricing_url: &pricing,
            };
            return Reply::html(
                200,
                v::plan_page(chrome, &view, notice(req.query.as_deref())),
            );
        }
        ("POST", [], true) => match serde_json::from_str::<PlanInput>(&req.body) {
            Ok(input) => match input.plan.as_str() {
                "free" => Ask::Move(Plan::Free),
                "paid" => Ask::Move(Plan::Paid),
                _ => {
                    let e = FieldError::new("plan", "A plan is \"free\" or \"paid\".");
                    return Reply::api_error(&WriteError::Invalid(vec![e]));
                }
            },
            Err(e) => {
                return Reply::api_error(&WriteError::BadRequest(format!(
                    "Expected {{\"plan\": \"free\" | \"paid\"}}: {e}"
                )))
            }
        },
        ("DELETE", ["request"], true) => Ask::Withdraw,
        ("POST", [], false) => {
            let Some(form) = FormData::parse(&req.body) else {
                return Reply::api_error(&WriteError::BadRequest(
                    "The form could not be read.".into(),
                ));
            };
            match form.get("action") {
                "upgrade" => Ask::Move(Plan::Paid),
                "downgrade" => Ask::Move(Plan::Free),
                "withdraw" => Ask::Withdraw,
                _ => return Reply::see_other("/admin/plan"),
            }
        }
        (_, [], _) | (_, ["request"], true) => return Reply::method_not_allowed(api),
        _ => return Reply::not_found(api),
    };
    match ask {
        Ask::Withdraw => match billing.withdraw(tenant, &req.user.user_id, ctx.now).await {
            Ok(_) if api => Reply::json(200, &json!({ "plan": plan, "pending": null })),
            Ok(_) => Reply::see_other("/admin/plan?notice=withdrawn"),
            Err(_) => Reply::unavailable(api),
        },
        Ask::Move(to) if to == plan => {
            if api {
                Reply::json(200, &json!({ "plan": plan }))
            } else {
                Reply::see_other("/admin/plan")
            }
        }
        // Dearer: only a request, for the Billing port to settle.
        Ask::Move(to) if to == Plan::Paid => {
            match billing
                .request(tenant, to, &req.user.user_id, &ctx.new_id, ctx.now)
                .await
            {
                Ok(request) if api => {
                    Reply::json(202, &json!({ "plan": plan, "pending": request }))
                }
                Ok(_) => Reply::see_other("/admin/plan?notice=requested"),
                Err(_) => Reply::unavailable(api),
            }
        }
        // Cheaper: at once, through the write queue; a pending request for
        // the dearer plan no longer means anything.
        Ask::Move(to) => {
            let wctx = WriteCtx {
                now: ctx.now,
                user_id: req.user.user_id.clone(),
                new_id: ctx.new_id.clone(),
            };
            match core.write(tenant, &Command::SetPlan(to), &wctx).await {
                Ok(_) => {
                    let _ = billing.withdraw(tenant, &req.user.user_id, ctx.now).await;
                    if api {
                        Reply::json(200, &json!({ "plan": to }))
                    } else {
                        Reply::see_other("/admin/plan?notice=downgraded")
                    }
                }
                Err(e) if api => Reply::api_error(&e),
                Err(_) => Reply::unavailable(false),
            }
        }
    }
}
