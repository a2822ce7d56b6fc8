//! The operators' side of plans (part of the ops API, `ops.rs`):
//!
//! | method | path | what |
//! |---|---|---|
//! | PUT | `/tenants/{id}/plan` | `{"plan": "free" \| "paid"}`: move the blog |
//! | GET | `/plan-requests` | owners' pending requests for another plan, oldest first |
//! | POST | `/plan-requests/{id}/approve` | move the blog to the plan it asked for |
//! | POST | `/plan-requests/{id}/decline` | refuse it; nothing changes |
//!
//! Grove takes no payment: approving a request is how a blog gets the paid
//! plan today (`grove_shared::billing`). The move is carried out by the
//! blog's actor through its write queue and confirmed (503
//! `not_confirmed` otherwise, safe to repeat), and every change is in the
//! audit trail. A downgrade deletes nothing.

use grove_shared::plans::Plan;
use grove_shared::protocol::{ControlAction, ControlRequest, D1_BINDING};
use serde::{Deserialize, Serialize};
use serde_json::json;
use wasm_bindgen::JsValue;
use worker::{Env, Method, Request, Response, Result};

use crate::ops::{audit, confirm, error, json_reply, not_confirmed, plan_of};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanInput {
    plan: String,
}

#[derive(Deserialize, Serialize)]
struct RequestRow {
    id: String,
    tenant_id: String,
    subdomain: String,
    current_plan: String,
    plan: String,
    requested_by: String,
    requested_at: i64,
}

/// Whether this module serves `segments`.
pub fn serves(segments: &[&str]) -> bool {
    matches!(segments, ["tenants", _, "plan"] | ["plan-requests", ..])
}

/// Serves one request of the table above.
pub async fn handle(
    mut req: Request,
    env: &Env,
    segments: &[&str],
    who: &str,
    now: i64,
) -> Result<Response> {
    match (req.method(), segments) {
        (Method::Put, ["tenants", id, "plan"]) => {
            let body = req.text().await.unwrap_or_default();
            let plan = match serde_json::from_str::<PlanInput>(&body) {
                Ok(input) => match input.plan.as_str() {
                    "free" => Plan::Free,
                    "paid" => Plan::Paid,
                    _ => return field_error("plan", "A plan is \"free\" or \"paid\"."),
                },
                Err(_) => {
                    return error(
                        400,
                        "bad_request",
                        "Expected {\"plan\": \"free\" | \"paid\"}.",
                    )
                }
            };
            move_blog(env, &req, id, plan, who, now, None).await
        }
        (Method::Get, ["plan-requests"]) => pending(env).await,
        (Method::Post, ["plan-requests", request_id, decision @ ("approve" | "decline")]) => {
            let Some(row) = pending_request(env, request_id).await? else {
                return error(404, "not_found", "No pending plan request with that id.");
            };
            if *decision == "approve" {
                let plan = Plan::parse(&row.plan);
                return move_blog(env, &req, &row.tenant_id, plan, who, now, Some(&row.id)).await;
            }
            decide(env, &row.id, "declined", who, now).await?;
            let detail = json!({ "request": row.id, "plan": row.plan });
            audit(env, who, "decline_plan", &row.tenant_id, &detail, now).await?;
            json_reply(200, &json!({ "request": row.id, "status": "declined" }))
        }
        (_, ["tenants", _, "plan"] | ["plan-requests"] | ["plan-requests", _, _]) => error(
            405,
            "method_not_allowed",
            "That method is not allowed here.",
        ),
        _ => error(404, "not_found", "No such ops endpoint."),
    }
}

fn field_error(field: &str, message: &str) -> Result<Response> {
    json_reply(
        422,
        &json!({ "error": "invalid", "message": message, "field": field }),
    )
}

/// Moves a blog to `plan` through its actor; on confirmation, settles the
/// blog's pending request for that plan (`request`: the one approved) and
/// records the change.
async fn move_blog(
    env: &Env,
    req: &Request,
    tenant_id: &str,
    plan: Plan,
    who: &str,
    now: i64,
    request: Option<&str>,
) -> Result<Response> {
    let Some((previous, _, _)) = plan_of(env, tenant_id).await? else {
        return error(404, "not_found", "No such tenant.");
    };
    let control = ControlRequest {
        tenant_id: tenant_id.to_string(),
        action: ControlAction::SetPlan(plan),
    };
    // No page shows the plan: nothing to purge from the edge.
    if confirm(env, req, &control).await.is_none() {
        return not_confirmed(
            "The blog did not confirm the change, so it may not have been made. The request is safe to repeat.",
        );
    }
    // A request for the plan the blog is now on is settled by this move.
    let settled = match request {
        Some(id) => Some(id.to_string()),
        None => pending_of(env, tenant_id, plan).await?,
    };
    if let Some(id) = &settled {
        decide(env, id, "approved", who, now).await?;
    }
    let action = if request.is_some() {
        "approve_plan"
    } else {
        "set_plan"
    };
    let detail = json!({ "from": previous, "to": plan, "request": settled });
    audit(env, who, action, tenant_id, &detail, now).await?;
    json_reply(
        200,
        &json!({ "tenant_id": tenant_id, "plan": plan, "previous": previous, "request": settled }),
    )
}

const SELECT: &str = "SELECT r.id, r.tenant_id, t.subdomain, t.plan AS current_plan, r.plan, \
     r.requested_by, r.requested_at FROM plan_requests r JOIN tenants t ON t.id = r.tenant_id \
     WHERE r.status = 'pending'";

async fn pending(env: &Env) -> Result<Response> {
    let rows = env
        .d1(D1_BINDING)?
        .prepare(format!("{SELECT} ORDER BY r.requested_at LIMIT 500"))
        .all()
        .await?
        .results::<RequestRow>()?;
    json_reply(200, &json!({ "requests": rows }))
}

async fn pending_request(env: &Env, id: &str) -> Result<Option<RequestRow>> {
    env.d1(D1_BINDING)?
        .prepare(format!("{SELECT} AND r.id = ?1"))
        .bind(&[id.into()])?
        .first::<RequestRow>(None)
        .await
}

async fn pending_of(env: &Env, tenant_id: &str, plan: Plan) -> Result<Option<String>> {
    Ok(env
        .d1(D1_BINDING)?
        .prepare(format!("{SELECT} AND r.tenant_id = ?1 AND r.plan = ?2"))
        .bind(&[tenant_id.into(), plan.as_str().into()])?
        .first::<RequestRow>(None)
        .await?
        .map(|r| r.id))
}

async fn decide(env: &Env, id: &str, status: &str, who: &str, now: i64) -> Result<()> {
    env.d1(D1_BINDING)?
        .prepare(
            "UPDATE plan_requests SET status = ?2, decided_by = ?3, decided_at = ?4 \
             WHERE id = ?1 AND status = 'pending'",
        )
        .bind(&[
            id.into(),
            status.into(),
            who.into(),
            JsValue::from_f64(now as f64),
        ])?
        .run()
        .await?;
    Ok(())
}
