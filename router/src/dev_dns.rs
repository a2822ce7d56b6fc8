//! Local runs and tests only: the records the local DNS resolver answers
//! with (`DNS_RESOLVER = "local"`, see `grove_tenant_do::dns`), on the ops
//! host with the ops token. Anywhere else (production's `doh`) these paths
//! answer 404.
//!
//! | method | path | |
//! |---|---|---|
//! | GET | `/dev/dns/{name}` | the records of `name` |
//! | PUT | `/dev/dns/{name}` | replaces them: `{"TXT": ["…"], "CNAME": ["…"], "A": ["…"], "AAAA": ["…"]}` |
//! | DELETE | `/dev/dns/{name}` | removes them |

use grove_shared::domains::dns::{normalize_name, parse_dev_records, RecordType};
use grove_shared::protocol::D1_BINDING;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use worker::{Env, Method, Request, Response, Result};

#[derive(Deserialize)]
struct Row {
    #[serde(rename = "type")]
    kind: String,
    value: String,
}

fn error(status: u16, code: &str, message: &str) -> Result<Response> {
    Ok(Response::from_json(&json!({"error": code, "message": message}))?.with_status(status))
}

/// The records of `name`, as `{name, records: {TYPE: [values]}}`.
async fn records(env: &Env, name: &str) -> Result<Response> {
    let rows = env
        .d1(D1_BINDING)?
        .prepare("SELECT type, value FROM dev_dns_records WHERE name = ?1 ORDER BY type, value")
        .bind(&[name.into()])?
        .all()
        .await?
        .results::<Row>()?;
    let mut by_type = Map::new();
    for row in rows {
        if let Value::Array(values) = by_type
            .entry(row.kind)
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            values.push(Value::String(row.value));
        }
    }
    Response::from_json(&json!({"name": name, "records": by_type}))
}

/// Serves `/dev/dns/{name}` for an authorised operator.
pub async fn handle(mut req: Request, env: &Env, name: &str) -> Result<Response> {
    if !grove_tenant_do::dns::local_resolver(env) {
        return error(404, "not_found", "No such ops endpoint.");
    }
    let name = normalize_name(name);
    if name.is_empty()
        || name.len() > 253
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
    {
        return error(
            422,
            "invalid",
            "Name a DNS name: letters, digits, hyphens, underscores and dots.",
        );
    }
    let db = env.d1(D1_BINDING)?;
    let clear = || {
        db.prepare("DELETE FROM dev_dns_records WHERE name = ?1")
            .bind(&[name.as_str().into()])
    };
    match req.method() {
        Method::Get => records(env, &name).await,
        Method::Put => {
            let body = req.text().await.unwrap_or_default();
            let wanted = match parse_dev_records(&body) {
                Ok(records) => records,
                Err(message) => return error(400, "bad_request", &message),
            };
            let mut batch = vec![clear()?];
            for (kind, value) in &wanted {
                batch.push(
                    db.prepare(
                        "INSERT INTO dev_dns_records (name, type, value) VALUES (?1, ?2, ?3)",
                    )
                    .bind(&[
                        name.as_str().into(),
                        RecordType::as_str(*kind).into(),
                        value.as_str().into(),
                    ])?,
                );
            }
            db.batch(batch).await?;
            records(env, &name).await
        }
        Method::Delete => {
            clear()?.run().await?;
            records(env, &name).await
        }
        _ => error(
            405,
            "method_not_allowed",
            "That method is not allowed here.",
        ),
    }
}
