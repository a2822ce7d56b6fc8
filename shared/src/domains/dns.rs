//! The `DnsResolver` port: what Grove asks DNS when it checks a custom
//! domain, and the answers' normal form.
//!
//! Two implementations run in the worker (`grove-tenant-do`'s `dns.rs`),
//! chosen by the `DNS_RESOLVER` var: `doh`, a public resolver's
//! DNS-over-HTTPS JSON API (production), and `local`, answers from the
//! `dev_dns_records` table that `make dev` and the tests fill through the
//! ops host. [`MemoryDns`] is the fake for native tests. The JSON of a
//! DNS-over-HTTPS answer is read here ([`parse_doh_json`]), so that too is
//! tested natively.

use std::cell::{Cell, RefCell};

use serde::{Deserialize, Serialize};

/// The record types a check looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RecordType {
    Txt,
    Cname,
    A,
    Aaaa,
}

impl RecordType {
    pub const ALL: [RecordType; 4] = [
        RecordType::Txt,
        RecordType::Cname,
        RecordType::A,
        RecordType::Aaaa,
    ];

    /// `TXT`, `CNAME`, `A`, `AAAA`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Txt => "TXT",
            RecordType::Cname => "CNAME",
            RecordType::A => "A",
            RecordType::Aaaa => "AAAA",
        }
    }

    /// Reads a type's name, any case.
    pub fn parse(s: &str) -> Option<RecordType> {
        RecordType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
    }

    /// The type's number in DNS (and in a DNS-over-HTTPS answer).
    pub fn code(self) -> u16 {
        match self {
            RecordType::Txt => 16,
            RecordType::Cname => 5,
            RecordType::A => 1,
            RecordType::Aaaa => 28,
        }
    }
}

/// The resolver could not answer (a timeout, an error status): the text is
/// for logs. "The name has no such record" is not an error but an empty
/// answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsError(pub String);

/// Looks names up in DNS.
#[allow(async_fn_in_trait)] // single-threaded (wasm32) callers only
pub trait DnsResolver {
    /// The records of `kind` at `name` (a normalised host name), each in
    /// [`normalize_answer`]'s form; empty when there are none (the name
    /// does not exist, or has no record of that type).
    async fn lookup(&self, name: &str, kind: RecordType) -> Result<Vec<String>, DnsError>;
}

/// A DNS name as a check compares it: lower case, no trailing dot.
pub fn normalize_name(name: &str) -> String {
    let name = name.trim().to_ascii_lowercase();
    name.strip_suffix('.').unwrap_or(&name).to_string()
}

/// One answer in the form checks compare: a name (CNAME) normalised, an
/// address trimmed, a TXT record's quoted strings joined into its value.
pub fn normalize_answer(kind: RecordType, data: &str) -> String {
    match kind {
        RecordType::Cname => normalize_name(data),
        RecordType::A | RecordType::Aaaa => data.trim().to_ascii_lowercase(),
        RecordType::Txt => txt_value(data.trim()),
    }
}

/// A TXT record's value: `"a" "b"` (the wire's character-strings, as DoH
/// JSON shows them) is `ab`; an unquoted value is taken as it is.
fn txt_value(data: &str) -> String {
    if !data.starts_with('"') {
        return data.to_string();
    }
    let mut out = String::new();
    let mut chars = data.chars();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', _) => quoted = !quoted,
            ('\\', true) => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            (c, true) => out.push(c),
            (_, false) => {}
        }
    }
    out
}

#[derive(Deserialize)]
struct DohAnswer {
    #[serde(rename = "type")]
    kind: u16,
    data: String,
}

#[derive(Deserialize)]
struct DohReply {
    #[serde(rename = "Status")]
    status: u32,
    #[serde(rename = "Answer", default)]
    answer: Vec<DohAnswer>,
}

/// Reads a DNS-over-HTTPS JSON answer (`application/dns-json`, as
/// cloudflare-dns.com and dns.google give it): the records of `kind`, in
/// [`normalize_answer`]'s form. A name that does not exist (NXDOMAIN) has
/// none; any other failure status is an error.
pub fn parse_doh_json(body: &str, kind: RecordType) -> Result<Vec<String>, DnsError> {
    let reply: DohReply = serde_json::from_str(body)
        .map_err(|e| DnsError(format!("unreadable DNS-over-HTTPS answer: {e}")))?;
    match reply.status {
        0 | 3 => Ok(reply
            .answer
            .iter()
            .filter(|a| a.kind == kind.code())
            .map(|a| normalize_answer(kind, &a.data))
            .collect()),
        status => Err(DnsError(format!("DNS answered with status {status}"))),
    }
}

/// What the local resolver (and [`MemoryDns`]) hold: records set by hand.
/// The body of `PUT ops.{BASE}/dev/dns/{name}`: `{"TXT": ["…"], "CNAME":
/// ["…"], "A": ["…"], "AAAA": ["…"]}`, every type optional.
pub fn parse_dev_records(body: &str) -> Result<Vec<(RecordType, String)>, String> {
    let map: std::collections::BTreeMap<String, Vec<String>> =
        serde_json::from_str(body).map_err(|e| {
            format!(
                "Send {{\"TXT\": [\"value\"], \"CNAME\": [\"host\"], \"A\": [\"address\"]}}: {e}"
            )
        })?;
    let mut records = Vec::new();
    for (name, values) in map {
        let kind = RecordType::parse(&name).ok_or_else(|| {
            format!("{name} is not a record type this resolver keeps (TXT, CNAME, A, AAAA).")
        })?;
        for value in values {
            let value = normalize_answer(kind, &value);
            if value.is_empty() || value.len() > 1_000 {
                return Err(format!("A {name} value is 1 to 1,000 characters."));
            }
            if !records.contains(&(kind, value.clone())) {
                records.push((kind, value));
            }
        }
    }
    Ok(records)
}

/// A resolver over a table in memory, for native tests; it can be told
/// not to answer.
#[derive(Debug, Default)]
pub struct MemoryDns {
    /// `(name, type, value)`, names normalised.
    pub records: RefCell<Vec<(String, RecordType, String)>>,
    /// Every lookup fails (a resolver that times out).
    pub down: Cell<bool>,
    pub lookups: Cell<usize>,
}

impl MemoryDns {
    /// Adds a record.
    pub fn set(&self, name: &str, kind: RecordType, value: &str) {
        self.records
            .borrow_mut()
            .push((normalize_name(name), kind, normalize_answer(kind, value)));
    }

    /// Removes every record of `name`.
    pub fn clear(&self, name: &str) {
        let name = normalize_name(name);
        self.records.borrow_mut().retain(|(n, _, _)| *n != name);
    }
}

impl DnsResolver for MemoryDns {
    async fn lookup(&self, name: &str, kind: RecordType) -> Result<Vec<String>, DnsError> {
        self.lookups.set(self.lookups.get() + 1);
        if self.down.get() {
            return Err(DnsError("resolver down (test)".into()));
        }
        let name = normalize_name(name);
        Ok(self
            .records
            .borrow()
            .iter()
            .filter(|(n, k, _)| *n == name && *k == kind)
            .map(|(_, _, v)| v.clone())
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doh_json_answers_are_read_by_type() {
        let body = r#"{"Status":0,"TC":false,"RD":true,"RA":true,"AD":false,"CD":false,
            "Question":[{"name":"www.example.com","type":1}],
            "Answer":[{"name":"www.example.com","type":5,"TTL":300,"data":"Domains.Grove.Place."},
                      {"name":"domains.grove.place","type":1,"TTL":300,"data":"192.0.2.10"}]}"#;
        assert_eq!(
            parse_doh_json(body, RecordType::Cname).unwrap(),
            vec!["domains.grove.place"]
        );
        assert_eq!(
            parse_doh_json(body, RecordType::A).unwrap(),
            vec!["192.0.2.10"]
        );
        let txt = r#"{"Status":0,"Answer":[{"name":"_grove-challenge.example.com","type":16,"TTL":60,"data":"\"abc\" \"def\""},
                                            {"name":"_grove-challenge.example.com","type":16,"TTL":60,"data":"\"with \\\"quote\\\"\""}]}"#;
        assert_eq!(
            parse_doh_json(txt, RecordType::Txt).unwrap(),
            vec!["abcdef", "with \"quote\""]
        );
    }

    #[test]
    fn a_missing_name_has_no_records_and_a_failure_is_an_error() {
        let nx =
            r#"{"Status":3,"Authority":[{"name":"example.com","type":6,"TTL":900,"data":"x"}]}"#;
        assert_eq!(
            parse_doh_json(nx, RecordType::Txt).unwrap(),
            Vec::<String>::new()
        );
        assert!(parse_doh_json(r#"{"Status":2}"#, RecordType::Txt).is_err());
        assert!(parse_doh_json("<html>busy</html>", RecordType::Txt).is_err());
        assert_eq!(
            parse_doh_json(r#"{"Status":0}"#, RecordType::A).unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn dev_records_parse_and_refuse_what_the_resolver_does_not_keep() {
        let records =
            parse_dev_records(r#"{"txt":["tok"],"CNAME":["Domains.Grove.Localhost."],"A":[]}"#)
                .unwrap();
        assert_eq!(
            records,
            vec![
                (RecordType::Cname, "domains.grove.localhost".to_string()),
                (RecordType::Txt, "tok".to_string()),
            ]
        );
        assert!(parse_dev_records(r#"{"MX":["x"]}"#).is_err());
        assert!(parse_dev_records(r#"{"TXT":[""]}"#).is_err());
        assert!(parse_dev_records("[]").is_err());
    }

    #[test]
    fn memory_dns_answers_from_its_table_or_fails_on_demand() {
        let dns = MemoryDns::default();
        dns.set("Example.com.", RecordType::Cname, "target.example.");
        let found = futures::executor::block_on(dns.lookup("example.com", RecordType::Cname));
        assert_eq!(found.unwrap(), vec!["target.example"]);
        dns.down.set(true);
        assert!(futures::executor::block_on(dns.lookup("example.com", RecordType::Cname)).is_err());
    }
}
