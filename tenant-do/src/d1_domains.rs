//! The `domains` table for one actor: its rows as loaded with the content,
//! the statements of a domain write (part of the write's one batch), and
//! [`DomainBook`] (another blog's claim on a host, the resolver, the
//! target). Every write statement names the tenant; an insert first
//! deletes another blog's lapsed claim on the host, and otherwise fails on
//! the host key if another blog holds it (the batch with it).

use grove_shared::admin::store::StoreError;
use grove_shared::config::PlatformConfig;
use grove_shared::domains::book::{Claim, DomainBook};
use grove_shared::domains::plan::DomainChange;
use grove_shared::domains::verify::CheckReport;
use grove_shared::domains::{Domain, LastCheck, TenantDomains};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, D1Result};

use crate::d1_store::{bind, err, D1Store};

/// The columns [`tenant_domains`] reads (the load's statement selects them).
pub const COLUMNS: &str = "host, verified, created_at, challenge_token, verified_at, \
     last_checked_at, last_check_result, is_primary, alias_of";

#[derive(Deserialize)]
struct Row {
    host: String,
    verified: i64,
    created_at: f64,
    challenge_token: String,
    verified_at: Option<f64>,
    last_checked_at: Option<f64>,
    last_check_result: Option<String>,
    is_primary: i64,
    alias_of: Option<String>,
}

impl Row {
    fn domain(self) -> Domain {
        let last_check = match (self.last_checked_at, self.last_check_result) {
            (Some(at), Some(json)) => {
                serde_json::from_str::<CheckReport>(&json)
                    .ok()
                    .map(|report| LastCheck {
                        at: at as i64,
                        report,
                    })
            }
            _ => None,
        };
        let created_at = self.created_at as i64;
        Domain {
            host: self.host,
            token: self.challenge_token,
            created_at,
            // A row verified by hand (before checks existed) has no time.
            verified_at: (self.verified != 0)
                .then(|| self.verified_at.map_or(created_at, |t| t as i64)),
            primary: self.is_primary != 0,
            alias_of: self.alias_of,
            last_check,
        }
    }
}

/// The tenant's domains from the load's `SELECT {COLUMNS} FROM domains …`.
pub fn tenant_domains(
    result: &D1Result,
    platform: PlatformConfig,
) -> Result<TenantDomains, StoreError> {
    let mut domains = TenantDomains::new(platform);
    domains.list = result
        .results::<Row>()
        .map_err(err)?
        .into_iter()
        .map(Row::domain)
        .collect();
    Ok(domains)
}

fn num(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}

fn opt_str(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, JsValue::from_str)
}

/// The statements of one domain change.
pub fn statements(
    db: &D1Database,
    tenant_id: &str,
    change: &DomainChange,
) -> Result<Vec<D1PreparedStatement>, StoreError> {
    let t = || JsValue::from_str(tenant_id);
    Ok(match change {
        DomainChange::Insert {
            domain,
            lapsed_before,
        } => vec![
            bind(
                db,
                "DELETE FROM domains WHERE host = ?1 AND tenant_id <> ?2 AND verified = 0 AND created_at < ?3",
                &[domain.host.as_str().into(), t(), num(*lapsed_before)],
            )?,
            bind(
                db,
                "INSERT INTO domains (host, tenant_id, verified, created_at, challenge_token, alias_of, is_primary) \
                 VALUES (?1, ?2, 0, ?3, ?4, ?5, 0)",
                &[
                    domain.host.as_str().into(),
                    t(),
                    num(domain.created_at),
                    domain.token.as_str().into(),
                    opt_str(domain.alias_of.as_deref()),
                ],
            )?,
        ],
        DomainChange::Update(domain) => {
            let report = domain
                .last_check
                .as_ref()
                .and_then(|c| serde_json::to_string(&c.report).ok());
            vec![bind(
                db,
                "UPDATE domains SET verified = ?1, verified_at = ?2, last_checked_at = ?3, last_check_result = ?4 \
                 WHERE host = ?5 AND tenant_id = ?6",
                &[
                    num(i64::from(domain.verified())),
                    domain.verified_at.map_or(JsValue::NULL, num),
                    domain.last_check.as_ref().map_or(JsValue::NULL, |c| num(c.at)),
                    opt_str(report.as_deref()),
                    domain.host.as_str().into(),
                    t(),
                ],
            )?]
        }
        DomainChange::Delete { host } => vec![bind(
            db,
            "DELETE FROM domains WHERE (host = ?1 OR alias_of = ?1) AND tenant_id = ?2",
            &[host.as_str().into(), t()],
        )?],
        // Two steps: at most one primary per tenant is a unique index,
        // checked row by row.
        DomainChange::SetPrimary(choice) => vec![
            bind(
                db,
                "UPDATE domains SET is_primary = 0 WHERE tenant_id = ?1 AND is_primary = 1",
                &[t()],
            )?,
            bind(
                db,
                "UPDATE domains SET is_primary = 1 \
                 WHERE tenant_id = ?1 AND host IS ?2 AND verified = 1 AND alias_of IS NULL",
                &[t(), opt_str(choice.as_deref())],
            )?,
        ],
    })
}

#[derive(Deserialize)]
struct ClaimRow {
    tenant_id: String,
    verified: i64,
    created_at: f64,
}

impl DomainBook for D1Store {
    type Dns = D1Store;
    /// `DNS_RESOLVER`: DNS-over-HTTPS, or the local table (`dns.rs`).
    fn dns(&self) -> &D1Store {
        self
    }

    fn target(&self) -> String {
        crate::dns::domain_target(&self.env, &self.config)
    }

    async fn claim(&self, host: &str) -> Result<Option<Claim>, StoreError> {
        let db = self.db()?;
        self.count(1);
        let row = bind(
            &db,
            "SELECT tenant_id, verified, created_at FROM domains WHERE host = ?1",
            &[host.into()],
        )?
        .first::<ClaimRow>(None)
        .await
        .map_err(err)?;
        Ok(row.map(|r| Claim {
            tenant_id: r.tenant_id,
            verified: r.verified != 0,
            created_at: r.created_at as i64,
        }))
    }
}
