//! `GET auth.{BASE_DOMAIN}/api/subdomains/{name}`: can this blog address
//! be taken? `{"name", "available", "reason", "code"}`, always 200 for a
//! name (the answer is the data; `reason` and `code` are `null` when it is
//! available). The words and the rules are
//! [`grove_shared::accounts::names`]; sign-up asks the same question
//! through [`name_state`] before it writes.
//!
//! A name that breaks a rule is answered without D1; one that passes costs
//! one D1 statement (taken and held together).

use grove_shared::accounts::names::{check_rules, stored_verdict, Availability};
use grove_shared::auth::return_to::percent_decode;
use grove_shared::protocol::D1_BINDING;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, Env, Method, Response, Result};

use crate::respond;

/// Where the API lives on the auth host.
pub const API_PREFIX: &str = "/api/subdomains/";

#[derive(Deserialize)]
struct StateRow {
    taken: i64,
    held: i64,
}

/// Whether a blog has `name`, and whether an unexpired hold keeps it.
pub async fn name_state(db: &D1Database, name: &str, now: i64) -> Result<(bool, bool)> {
    let row = db
        .prepare(
            "SELECT EXISTS (SELECT 1 FROM tenants WHERE subdomain = ?1) AS taken, \
             EXISTS (SELECT 1 FROM subdomain_holds WHERE subdomain = ?1 AND held_until > ?2) AS held",
        )
        .bind(&[name.into(), JsValue::from_f64(now as f64)])?
        .first::<StateRow>(None)
        .await?;
    Ok(row.map_or((false, false), |r| (r.taken != 0, r.held != 0)))
}

/// Answers `method` on `path` (which starts with [`API_PREFIX`]).
pub async fn handle(env: &Env, method: Method, path: &str, now: i64) -> Result<Response> {
    if !matches!(method, Method::Get | Method::Head) {
        let resp = respond::json_error(405, "method_not_allowed", "Use GET.")?;
        resp.headers().set("allow", "GET, HEAD")?;
        return Ok(resp);
    }
    let segment = path.strip_prefix(API_PREFIX).unwrap_or_default();
    if segment.contains('/') {
        return respond::json_error(404, "not_found", "There is nothing at this address.");
    }
    // Undecodable percent-escapes are not a name: the character rule says so.
    let raw = percent_decode(segment).unwrap_or_else(|| "%".to_string());
    let (name, verdict) = check_rules(&raw);
    let verdict = match verdict {
        Ok(()) => {
            let (taken, held) = name_state(&env.d1(D1_BINDING)?, &name, now).await?;
            stored_verdict(taken, held)
        }
        Err(why) => Err(why),
    };
    let resp = respond::secure(Response::from_json(&Availability::new(name, &verdict))?)?;
    resp.headers().set("cache-control", "no-store")?;
    Ok(resp)
}
