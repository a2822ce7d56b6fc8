//! The operators' API on `ops.{BASE_DOMAIN}`: JSON in and out, bearer
//! token from the `OPS_TOKEN` secret (compared in constant time; without a
//! configured token every request is refused).
//!
//! | method | path | what |
//! |---|---|---|
//! | GET | `/tenants` | every tenant: plan, suspension, usage |
//! | GET | `/tenants/{id}/limits` | effective limits, their source, what is left |
//! | PUT | `/tenants/{id}/limits` | set overrides: `{"reader_requests": {"max": 100, "window_secs": 60}}` |
//! | DELETE | `/tenants/{id}/limits/{class}` | remove an override |
//! | POST | `/tenants/{id}/suspend`, `/unsuspend` | readers get 503, owners cannot write |
//! | GET | `/audit?tenant_id=` | the audit trail, newest first |
//! | GET | `/tenants/{id}/stats` | the actor's cache and D1 figures |
//! | GET | `/tenants/{id}/media` | media usage against the plan's quota: the books (D1) and the objects (R2) |
//! | GET | `/deletions`, `/deletions/{tenant_id}` | blogs their owners deleted: the step each deletion is at, when it finished |
//! | PUT | `/tenants/{id}/plan` | move a blog to a plan (`ops_plans.rs`, with the plan requests) |
//! | GET | `/plan-requests` | owners' pending requests for the paid plan; `POST /plan-requests/{id}/approve` or `/decline` |
//! | GET, PUT, DELETE | `/dev/dns/{name}` | local runs only: the local DNS resolver's records ([`crate::dev_dns`]) |
//!
//! Changes take effect on the tenant's next request: the ThresholdDO holds
//! the overrides (saved in its storage), and the tenant's actor drops its
//! memory and its lease. A suspension is carried out by the tenant's actor
//! itself (it writes D1 through its write queue and keeps the flag in its
//! own storage); the operator gets 200 only once the actor confirmed, and
//! 503 `not_confirmed` otherwise (every change is safe to repeat). Every
//! change is recorded in `ops_audit` (who, what, when). `X-Ops-Actor`
//! names the operator in the audit.

use grove_shared::auth::session::csrf_matches;
use grove_shared::limits::policy::{LimitClass, Overrides, Plan};
use grove_shared::limits::set::{tenant_key, LimitStatus, ThresholdRequest};
use grove_shared::protocol::{ControlAction, ControlRequest, D1_BINDING};
use grove_threshold_do::client::ask;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use worker::{Env, Method, Request, Response, Result};

use crate::{respond, tenant_call};

#[derive(Deserialize, Serialize)]
struct TenantRow {
    id: String,
    subdomain: String,
    plan: String,
    suspended: i64,
    posts: i64,
    pages: i64,
    content_bytes: i64,
    media_bytes: i64,
    /// JSON array of the tenant's custom domains.
    domains: String,
}

#[derive(Deserialize)]
struct PlanRow {
    plan: String,
    suspended: i64,
    subdomain: String,
}

#[derive(Deserialize, Serialize)]
struct AuditRow {
    actor: String,
    action: String,
    tenant_id: String,
    detail: String,
    at: i64,
}

pub(crate) fn json_reply<T: Serialize>(status: u16, value: &T) -> Result<Response> {
    Ok(Response::from_json(value)?.with_status(status))
}

pub(crate) fn error(status: u16, error: &str, message: &str) -> Result<Response> {
    json_reply(status, &json!({ "error": error, "message": message }))
}

/// Whether the request carries the ops bearer token.
fn authorised(req: &Request, env: &Env) -> bool {
    let expected = env
        .secret("OPS_TOKEN")
        .map(|s| s.to_string())
        .unwrap_or_default();
    let presented = req
        .headers()
        .get("authorization")
        .ok()
        .flatten()
        .unwrap_or_default();
    let presented = presented.strip_prefix("Bearer ").unwrap_or_default();
    // csrf_matches is a constant-time comparison that never matches an empty expectation.
    expected.len() >= 16 && csrf_matches(&expected, presented)
}

fn actor(req: &Request) -> String {
    let name = req
        .headers()
        .get("x-ops-actor")
        .ok()
        .flatten()
        .unwrap_or_default();
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(64)
        .collect();
    if name.trim().is_empty() {
        "ops".to_string()
    } else {
        name.trim().to_string()
    }
}

/// Serves one request to the ops host.
pub async fn handle(mut req: Request, env: &Env, now: i64) -> Result<Response> {
    if !authorised(&req, env) {
        let resp = error(401, "unauthorized", "A valid ops bearer token is required.")?;
        resp.headers()
            .set("www-authenticate", "Bearer realm=\"grove-ops\"")?;
        return Ok(resp);
    }
    let url = req.url()?;
    let path = url.path().trim_end_matches('/').to_string();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let who = actor(&req);
    if crate::ops_plans::serves(&segments) {
        return crate::ops_plans::handle(req, env, &segments, &who, now).await;
    }
    match (req.method(), segments.as_slice()) {
        (Method::Get, ["tenants"]) => list_tenants(env).await,
        (_, ["dev", "dns", name]) => crate::dev_dns::handle(req, env, name).await,
        (Method::Get, ["audit"]) => audit_log(env, url.query()).await,
        (Method::Get, ["deletions"]) => deletions(env, None).await,
        (Method::Get, ["deletions", id]) => deletions(env, Some(id)).await,
        (Method::Get, ["tenants", id, "stats"]) => match plan_of(env, id).await? {
            Some(_) => actor_stats(env, id).await,
            None => error(404, "not_found", "No such tenant."),
        },
        (Method::Get, ["tenants", id, "media"]) => match plan_of(env, id).await? {
            Some((plan, _, _)) => media_usage(env, id, plan).await,
            None => error(404, "not_found", "No such tenant."),
        },
        (Method::Get, ["tenants", id, "limits"]) => match plan_of(env, id).await? {
            Some((plan, _, _)) => limits(env, id, plan).await,
            None => error(404, "not_found", "No such tenant."),
        },
        (Method::Put, ["tenants", id, "limits"]) => {
            let Some((plan, _, sub)) = plan_of(env, id).await? else {
                return error(404, "not_found", "No such tenant.");
            };
            let body = req.text().await.unwrap_or_default();
            let overrides: Overrides = match serde_json::from_str(&body) {
                Ok(o) => o,
                Err(e) => {
                    return error(
                        400,
                        "bad_request",
                        &format!("Expected {{class: {{max, window_secs}}}}: {e}"),
                    )
                }
            };
            if overrides.is_empty() {
                return error(422, "invalid", "Name at least one limit class.");
            }
            if let Some((class, _)) = overrides.iter().find(|(_, l)| !l.is_valid()) {
                return error(
                    422,
                    "invalid",
                    &format!(
                        "{}: max is 1 to 10000000 and window_secs 1 to 2592000.",
                        class.as_str()
                    ),
                );
            }
            if ask::<Value>(
                env,
                &tenant_key(id),
                &ThresholdRequest::SetOverrides {
                    overrides: overrides.clone(),
                },
            )
            .await
            .is_none()
            {
                return error(
                    503,
                    "unavailable",
                    "The limits could not be saved; nothing changed. Try again.",
                );
            }
            audit(env, &who, "set_limits", id, &json!(overrides), now).await?;
            if !reload(env, &req, id, &sub).await {
                return not_confirmed(
                    "The limits were saved, but the blog did not confirm that it dropped the reader tokens it had leased; until it does, it may admit up to one lease under the old limit. Repeat the request.",
                );
            }
            limits(env, id, plan).await
        }
        (Method::Delete, ["tenants", id, "limits", class]) => {
            let Some((plan, _, sub)) = plan_of(env, id).await? else {
                return error(404, "not_found", "No such tenant.");
            };
            let Some(class) = LimitClass::parse(class) else {
                return error(404, "not_found", "No such limit class.");
            };
            let Some(removed) = ask::<bool>(
                env,
                &tenant_key(id),
                &ThresholdRequest::RemoveOverride { class },
            )
            .await
            else {
                return error(
                    503,
                    "unavailable",
                    "The limits could not be saved; nothing changed. Try again.",
                );
            };
            if removed {
                audit(
                    env,
                    &who,
                    "remove_limit",
                    id,
                    &json!({ "class": class }),
                    now,
                )
                .await?;
                if !reload(env, &req, id, &sub).await {
                    return not_confirmed(
                        "The override was removed, but the blog did not confirm that it dropped the reader tokens it had leased. Repeat the request.",
                    );
                }
            }
            limits(env, id, plan).await
        }
        (Method::Post, ["tenants", id, action @ ("suspend" | "unsuspend")]) => {
            let Some((_, _, sub)) = plan_of(env, id).await? else {
                return error(404, "not_found", "No such tenant.");
            };
            let suspended = *action == "suspend";
            // The actor writes the flag to D1 itself, through its write
            // queue, and answers only once both hold.
            let control = ControlRequest {
                tenant_id: (*id).to_string(),
                action: ControlAction::Suspend(suspended),
            };
            let Some(paths) = confirm(env, &req, &control).await else {
                return not_confirmed(
                    "The blog did not confirm the change, so it may not have been made. The request is safe to repeat.",
                );
            };
            purge_tenant(env, id, &sub, &paths).await;
            audit(
                env,
                &who,
                action,
                id,
                &json!({ "suspended": suspended }),
                now,
            )
            .await?;
            json_reply(200, &json!({ "tenant_id": id, "suspended": suspended }))
        }
        (
            _,
            ["tenants"]
            | ["audit"]
            | ["deletions"]
            | ["deletions", _]
            | ["tenants", _, "limits"]
            | ["tenants", _, "limits", _]
            | ["tenants", _, "suspend" | "unsuspend"],
        ) => error(
            405,
            "method_not_allowed",
            "That method is not allowed here.",
        ),
        _ => error(404, "not_found", "No such ops endpoint."),
    }
}

#[derive(Deserialize, Serialize)]
struct DeletionRow {
    tenant_id: String,
    subdomain: String,
    requested_at: i64,
    step: String,
    updated_at: i64,
    finished_at: Option<i64>,
}

/// Deletions of blogs by their owners, newest first (`tenant_deletions`):
/// `step` is the step to run next (`done` once finished). The last 500, or
/// one tenant's with what R2 still holds under its prefix.
async fn deletions(env: &Env, tenant_id: Option<&str>) -> Result<Response> {
    let db = env.d1(D1_BINDING)?;
    let columns = "tenant_id, subdomain, requested_at, step, updated_at, finished_at";
    let Some(id) = tenant_id else {
        let rows = db
            .prepare(format!(
                "SELECT {columns} FROM tenant_deletions ORDER BY requested_at DESC LIMIT 500"
            ))
            .all()
            .await?
            .results::<DeletionRow>()?;
        return json_reply(200, &json!({ "deletions": rows }));
    };
    let row = db
        .prepare(format!(
            "SELECT {columns} FROM tenant_deletions WHERE tenant_id = ?1"
        ))
        .bind(&[id.into()])?
        .first::<DeletionRow>(None)
        .await?;
    let Some(row) = row else {
        return error(404, "not_found", "No deletion of that tenant.");
    };
    // What R2 still holds under the tenant's prefix (none once finished).
    let objects = env
        .bucket(grove_shared::protocol::MEDIA_BINDING)?
        .list()
        .prefix(format!("tenants/{id}/"))
        .limit(1000)
        .execute()
        .await?
        .objects()
        .len();
    json_reply(
        200,
        &json!({ "deletion": row, "left": { "r2_objects": objects } }),
    )
}

pub(crate) async fn plan_of(env: &Env, tenant_id: &str) -> Result<Option<(Plan, bool, String)>> {
    let row = env
        .d1(D1_BINDING)?
        .prepare("SELECT plan, suspended, subdomain FROM tenants WHERE id = ?1")
        .bind(&[tenant_id.into()])?
        .first::<PlanRow>(None)
        .await?;
    Ok(row.map(|r| (Plan::parse(&r.plan), r.suspended != 0, r.subdomain)))
}

async fn list_tenants(env: &Env) -> Result<Response> {
    let rows = env
        .d1(D1_BINDING)?
        .prepare(
            "SELECT t.id, t.subdomain, t.plan, t.suspended, \
               (SELECT COUNT(*) FROM posts p WHERE p.tenant_id = t.id) AS posts, \
               (SELECT COUNT(*) FROM pages g WHERE g.tenant_id = t.id) AS pages, \
               (SELECT COALESCE(SUM(LENGTH(p.markdown)), 0) FROM posts p WHERE p.tenant_id = t.id) AS content_bytes, \
               (SELECT COALESCE(SUM(m.bytes), 0) FROM media m WHERE m.tenant_id = t.id) AS media_bytes, \
               (SELECT json_group_array(json_object('host', d.host, \
                  'verified', json(CASE d.verified WHEN 1 THEN 'true' ELSE 'false' END), \
                  'primary', json(CASE d.is_primary WHEN 1 THEN 'true' ELSE 'false' END), \
                  'alias_of', d.alias_of)) FROM domains d WHERE d.tenant_id = t.id) AS domains \
             FROM tenants t ORDER BY t.created_at, t.id LIMIT 1000",
        )
        .all()
        .await?
        .results::<TenantRow>()?;
    let tenants: Vec<Value> = rows
        .into_iter()
        .map(|t| {
            json!({
                "id": t.id, "subdomain": t.subdomain, "plan": t.plan, "suspended": t.suspended != 0,
                "domains": serde_json::from_str::<Value>(&t.domains).unwrap_or(Value::Null),
                "usage": {
                    "posts": t.posts, "pages": t.pages, "content_bytes": t.content_bytes,
                    "media_bytes": t.media_bytes,
                },
            })
        })
        .collect();
    json_reply(200, &json!({ "tenants": tenants }))
}

#[derive(Deserialize)]
struct MediaBooks {
    bytes: f64,
    files: f64,
    pending: f64,
}

/// A tenant's media: what the books (D1) count, against the plan's quota,
/// and what R2 holds under the tenant's prefix (the two agree unless an
/// upload is in flight or an object was orphaned).
async fn media_usage(env: &Env, tenant_id: &str, plan: Plan) -> Result<Response> {
    let books = env
        .d1(D1_BINDING)?
        .prepare(
            "SELECT COALESCE(SUM(bytes), 0) AS bytes, COALESCE(SUM(pending = 0), 0) AS files, \
               COALESCE(SUM(pending), 0) AS pending FROM media WHERE tenant_id = ?1",
        )
        .bind(&[tenant_id.into()])?
        .first::<MediaBooks>(None)
        .await?
        .unwrap_or(MediaBooks {
            bytes: 0.0,
            files: 0.0,
            pending: 0.0,
        });
    let bucket = env.bucket(grove_shared::protocol::MEDIA_BINDING)?;
    let prefix = format!("tenants/{tenant_id}/media/");
    let (mut objects, mut object_bytes, mut cursor) = (0u64, 0u64, None::<String>);
    for _ in 0..100 {
        let mut list = bucket.list().prefix(prefix.clone()).limit(1000);
        if let Some(c) = cursor.take() {
            list = list.cursor(c);
        }
        let page = list.execute().await?;
        for o in page.objects() {
            objects += 1;
            object_bytes += o.size();
        }
        if !page.truncated() {
            break;
        }
        cursor = page.cursor();
    }
    let quota = grove_shared::limits::policy::media_quota(plan);
    json_reply(
        200,
        &json!({
            "tenant_id": tenant_id,
            "plan": plan.as_str(),
            "quota": { "max_total_bytes": quota.max_total_bytes, "max_file_bytes": quota.max_file_bytes },
            "books": { "bytes": books.bytes as u64, "files": books.files as u64, "pending": books.pending as u64 },
            "r2": { "objects": objects, "bytes": object_bytes },
        }),
    )
}

async fn limits(env: &Env, tenant_id: &str, plan: Plan) -> Result<Response> {
    match ask::<Vec<LimitStatus>>(
        env,
        &tenant_key(tenant_id),
        &ThresholdRequest::Status { plan },
    )
    .await
    {
        Some(limits) => json_reply(
            200,
            &json!({ "tenant_id": tenant_id, "plan": plan, "limits": limits }),
        ),
        None => error(
            503,
            "unavailable",
            "The limits could not be read. Try again.",
        ),
    }
}

async fn audit_log(env: &Env, query: Option<&str>) -> Result<Response> {
    let tenant = query.and_then(|q| q.split('&').find_map(|p| p.strip_prefix("tenant_id=")));
    let db = env.d1(D1_BINDING)?;
    let statement = match tenant {
        Some(t) => db
            .prepare("SELECT actor, action, tenant_id, detail, at FROM ops_audit WHERE tenant_id = ?1 ORDER BY id DESC LIMIT 500")
            .bind(&[t.into()])?,
        None => db.prepare("SELECT actor, action, tenant_id, detail, at FROM ops_audit ORDER BY id DESC LIMIT 500"),
    };
    let rows = statement.all().await?.results::<AuditRow>()?;
    json_reply(200, &json!({ "entries": rows }))
}

pub(crate) async fn audit(
    env: &Env,
    actor: &str,
    action: &str,
    tenant_id: &str,
    detail: &Value,
    now: i64,
) -> Result<()> {
    env.d1(D1_BINDING)?
        .prepare("INSERT INTO ops_audit (actor, action, tenant_id, detail, at) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(&[actor.into(), action.into(), tenant_id.into(), detail.to_string().into(), JsValue::from_f64(now as f64)])?
        .run()
        .await?;
    Ok(())
}

/// The tenant actor's figures: read-cache hits, renders, evictions and
/// bytes against its budget, D1 statements since it started, leased tokens.
async fn actor_stats(env: &Env, tenant_id: &str) -> Result<Response> {
    match tenant_call::stats(env, tenant_id).await {
        Some(stats) => json_reply(200, &json!({ "tenant_id": tenant_id, "actor": stats })),
        None => error(503, "unavailable", "The blog did not answer. Try again."),
    }
}

/// In local runs only (`DEV_METRICS`), `X-Grove-Fault: actor-silent` makes
/// the actor's confirmation go missing, so tests can see what an operator
/// is told when it does.
fn actor_silenced(env: &Env, req: &Request) -> bool {
    grove_tenant_do::env_config::dev_metrics(env)
        && req.headers().get("x-grove-fault").ok().flatten().as_deref() == Some("actor-silent")
}

/// Has the tenant's actor carry out `control`; its public paths once it
/// confirms, `None` if it did not.
pub(crate) async fn confirm(
    env: &Env,
    req: &Request,
    control: &ControlRequest,
) -> Option<Vec<String>> {
    if actor_silenced(env, req) {
        return None;
    }
    tenant_call::control(env, control).await
}

/// Tells the tenant's actor that its limits changed (it drops its lease and
/// reloads), then purges its pages from this location's edge. `false` when
/// the actor did not confirm.
async fn reload(env: &Env, req: &Request, tenant_id: &str, subdomain: &str) -> bool {
    let control = ControlRequest {
        tenant_id: tenant_id.to_string(),
        action: ControlAction::Reload,
    };
    match confirm(env, req, &control).await {
        Some(paths) => {
            purge_tenant(env, tenant_id, subdomain, &paths).await;
            true
        }
        None => false,
    }
}

/// Purges every page of a tenant from this location's edge (other
/// locations' copies expire within the edge TTL).
async fn purge_tenant(env: &Env, tenant_id: &str, subdomain: &str, paths: &[String]) {
    let purged = async {
        let config = grove_tenant_do::env_config::platform_config(env)?;
        let origins = crate::edge_cache::tenant_origins(env, &config, tenant_id, subdomain).await?;
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        crate::edge_cache::purge(tenant_id, &origins, &paths, true).await;
        Ok::<(), worker::Error>(())
    };
    if let Err(e) = purged.await {
        worker::console_error!("tenant {tenant_id}: edge purge after an ops change failed: {e}");
    }
}

/// 503: the actor did not confirm an operator's change.
pub(crate) fn not_confirmed(message: &str) -> Result<Response> {
    let resp = error(503, "not_confirmed", message)?;
    resp.headers().set("retry-after", "5")?;
    Ok(resp)
}

/// For the router: ops responses are JSON and never cached.
pub fn finish(resp: Response) -> Result<Response> {
    resp.headers().set("cache-control", "no-store")?;
    respond::secure(resp)
}
