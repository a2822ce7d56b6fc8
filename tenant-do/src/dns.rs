//! The `DnsResolver` port at runtime, chosen by the `DNS_RESOLVER` var:
//!
//! - `doh` (production, the default): a public resolver's DNS-over-HTTPS
//!   JSON API (`https://cloudflare-dns.com/dns-query?name=…&type=…` with
//!   `accept: application/dns-json`), each lookup aborted after
//!   [`LOOKUP_TIMEOUT_MS`]. A timeout or a failure is an error, which the
//!   check reports as "could not check, try again".
//! - `local` (`make dev`, the tests): the answers are the rows of D1's
//!   `dev_dns_records` table, set through `ops.{BASE}/dev/dns/{name}`
//!   (the router's `dev_dns`), so a domain can be verified with no real
//!   DNS.
//!
//! The target custom domains point to is `DOMAIN_TARGET`, else
//! `domains.{BASE_DOMAIN}`.

use grove_shared::config::PlatformConfig;
use grove_shared::domains::dns::{
    normalize_name, parse_doh_json, DnsError, DnsResolver, RecordType,
};
use serde::Deserialize;
use worker::{Env, Fetch, Headers, Method, Request, RequestInit};

use crate::d1_store::{bind, D1Store};

/// The public resolver's JSON API.
const DOH_URL: &str = "https://cloudflare-dns.com/dns-query";
/// How long one lookup may take (a check makes up to five, two at a time,
/// well within the router's deadline for the actor).
pub const LOOKUP_TIMEOUT_MS: u32 = 2_500;

fn var(env: &Env, name: &str) -> String {
    env.var(name).map(|v| v.to_string()).unwrap_or_default()
}

/// Whether lookups come from the local table (`DNS_RESOLVER = "local"`).
pub fn local_resolver(env: &Env) -> bool {
    var(env, "DNS_RESOLVER") == "local"
}

/// Where custom domains must point: `DOMAIN_TARGET`, else
/// `domains.{BASE_DOMAIN}`.
pub fn domain_target(env: &Env, config: &PlatformConfig) -> String {
    match normalize_name(&var(env, "DOMAIN_TARGET")) {
        target if target.is_empty() => format!("domains.{}", config.base_domain),
        target => target,
    }
}

#[derive(Deserialize)]
struct ValueRow {
    value: String,
}

impl D1Store {
    async fn local_lookup(&self, name: &str, kind: RecordType) -> Result<Vec<String>, DnsError> {
        let db = self.db().map_err(|e| DnsError(e.0))?;
        self.count(1);
        let rows = bind(
            &db,
            "SELECT value FROM dev_dns_records WHERE name = ?1 AND type = ?2 ORDER BY value",
            &[normalize_name(name).as_str().into(), kind.as_str().into()],
        )
        .map_err(|e| DnsError(e.0))?
        .all()
        .await
        .map_err(|e| DnsError(e.to_string()))?
        .results::<ValueRow>()
        .map_err(|e| DnsError(e.to_string()))?;
        Ok(rows.into_iter().map(|r| r.value).collect())
    }
}

async fn doh_lookup(name: &str, kind: RecordType) -> Result<Vec<String>, DnsError> {
    let fail = |e: worker::Error| DnsError(format!("DNS-over-HTTPS lookup of {name}: {e}"));
    let mut url = worker::Url::parse(DOH_URL).map_err(|e| DnsError(e.to_string()))?;
    url.query_pairs_mut()
        .append_pair("name", name)
        .append_pair("type", kind.as_str());
    let headers = Headers::new();
    headers
        .set("accept", "application/dns-json")
        .map_err(fail)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(headers);
    let req = Request::new_with_init(url.as_str(), &init).map_err(fail)?;
    let signal = worker::AbortSignal::from(worker::web_sys::AbortSignal::timeout_with_u32(
        LOOKUP_TIMEOUT_MS,
    ));
    let mut resp = Fetch::Request(req)
        .send_with_signal(&signal)
        .await
        .map_err(fail)?;
    if resp.status_code() != 200 {
        return Err(DnsError(format!(
            "DNS-over-HTTPS answered {} for {name}",
            resp.status_code()
        )));
    }
    let body = resp.text().await.map_err(fail)?;
    parse_doh_json(&body, kind)
}

impl DnsResolver for D1Store {
    async fn lookup(&self, name: &str, kind: RecordType) -> Result<Vec<String>, DnsError> {
        let found = if local_resolver(&self.env) {
            self.local_lookup(name, kind).await
        } else {
            doh_lookup(name, kind).await
        };
        if let Err(e) = &found {
            worker::console_error!("DNS lookup failed: {}", e.0);
        }
        found
    }
}
