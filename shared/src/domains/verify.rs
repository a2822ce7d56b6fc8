//! Checking a custom domain's DNS: which of the records Grove asks for are
//! there, missing or wrong, in words an owner understands.
//!
//! Grove asks for two records per domain (and one more for its www or
//! bare alias, if the owner wanted one):
//! - a TXT record at `_grove-challenge.{domain}` whose value is the
//!   domain's own token: proof that whoever added the domain controls its
//!   DNS;
//! - a CNAME of `{domain}` to the platform's target (`DOMAIN_TARGET`), so
//!   readers reach Grove. A bare domain cannot have a CNAME: there the
//!   DNS provider's CNAME flattening or an ALIAS/ANAME record answers with
//!   the target's addresses, which the check accepts instead.
//!
//! The domain is verified when both are right. An alias's CNAME is
//! reported but does not hold the domain back (the TXT proved control of
//! the zone). A lookup that fails leaves the record "not checked": the
//! owner is told to try again, and nothing is verified.

use futures::future::join;
use serde::{Deserialize, Serialize};

use super::dns::{DnsResolver, RecordType};
use super::host::is_apex;

/// Where the TXT record of `host` goes.
pub fn challenge_name(host: &str) -> String {
    format!("_grove-challenge.{host}")
}

/// What a check found for one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// There, with the right value.
    Ok,
    /// Nothing there yet.
    Missing,
    /// There, with another value (`found` says which).
    Wrong,
    /// DNS did not answer: unknown.
    Unchecked,
}

/// What a record must say, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// The TXT proving control of the domain.
    Ownership,
    /// The domain's CNAME (or flattened addresses) to Grove.
    Pointing,
    /// The alias's CNAME to Grove.
    AliasPointing,
}

/// One record Grove asks for and what the last check found there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordCheck {
    pub purpose: Purpose,
    /// `TXT` or `CNAME`.
    #[serde(rename = "type")]
    pub kind: RecordType,
    pub name: String,
    /// The value it must have.
    pub expected: String,
    pub status: Status,
    /// What DNS had there instead (or the addresses a flattened name had).
    #[serde(default)]
    pub found: Vec<String>,
}

impl RecordCheck {
    /// The finding, in words.
    pub fn message(&self) -> String {
        let found = self.found.join(", ");
        match (&self.purpose, &self.status) {
            (_, Status::Unchecked) => format!(
                "{} could not be checked: DNS did not answer in time. Try again in a minute.",
                self.name
            ),
            (Purpose::Ownership, Status::Ok) => format!(
                "Found the TXT record at {} with this domain's token.",
                self.name
            ),
            (Purpose::Ownership, Status::Missing) => format!(
                "No TXT record at {} yet. Add it with the value shown; DNS changes can take from a few minutes to an hour to show.",
                self.name
            ),
            (Purpose::Ownership, Status::Wrong) => format!(
                "The TXT record at {} holds “{found}”, not this domain's token. Change its value to the one shown.",
                self.name
            ),
            (_, Status::Ok) => format!("{} points to Grove ({}).", self.name, self.expected),
            (_, Status::Missing) if is_apex(&self.name) => format!(
                "{} does not point to Grove yet. It is a bare domain: use your DNS provider's CNAME flattening or an ALIAS (ANAME) record to {}.",
                self.name, self.expected
            ),
            (_, Status::Missing) => format!(
                "{} does not point to Grove yet. Add a CNAME record to {}.",
                self.name, self.expected
            ),
            (_, Status::Wrong) => format!(
                "{} points elsewhere ({found}), not to {}. Change that record so it points to Grove.",
                self.name, self.expected
            ),
        }
    }
}

/// What one check of a domain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    pub records: Vec<RecordCheck>,
}

/// A check's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Ownership and pointing are right: the domain can serve.
    Verified,
    /// Something is missing or wrong (see the records).
    Pending,
    /// DNS did not answer for some record: try again.
    CouldNotCheck,
}

impl CheckReport {
    fn of(&self, purpose: Purpose) -> Option<&RecordCheck> {
        self.records.iter().find(|r| r.purpose == purpose)
    }

    /// Verified when the ownership and pointing records are right (an
    /// alias's record does not hold the domain back).
    pub fn verdict(&self) -> Verdict {
        let ok = |p| self.of(p).is_some_and(|r| r.status == Status::Ok);
        if ok(Purpose::Ownership) && ok(Purpose::Pointing) {
            return Verdict::Verified;
        }
        if self.records.iter().any(|r| r.status == Status::Unchecked) {
            Verdict::CouldNotCheck
        } else {
            Verdict::Pending
        }
    }

    /// One sentence for the owner about the whole check.
    pub fn summary(&self, host: &str) -> String {
        match self.verdict() {
            Verdict::Verified => format!("{host} is verified: Grove serves your blog there."),
            Verdict::CouldNotCheck => {
                "DNS could not be checked just now (no answer in time). Nothing changed: try again in a minute.".to_string()
            }
            Verdict::Pending => {
                format!("{host} is not verified yet: see what is missing below, then check again.")
            }
        }
    }
}

/// The records Grove asks the owner to create for `host` (and its
/// `alias`), pointing at `target`, with the domain's `token`.
pub fn wanted(host: &str, alias: Option<&str>, token: &str, target: &str) -> Vec<RecordCheck> {
    let record = |purpose, kind, name: String, expected: &str| RecordCheck {
        purpose,
        kind,
        name,
        expected: expected.to_string(),
        status: Status::Missing,
        found: Vec::new(),
    };
    let mut records = vec![
        record(
            Purpose::Pointing,
            RecordType::Cname,
            host.to_string(),
            target,
        ),
        record(
            Purpose::Ownership,
            RecordType::Txt,
            challenge_name(host),
            token,
        ),
    ];
    if let Some(alias) = alias {
        records.push(record(
            Purpose::AliasPointing,
            RecordType::Cname,
            alias.to_string(),
            target,
        ));
    }
    records
}

/// Whether `host` points at `target`: a CNAME to it, or (a flattened
/// CNAME, an ALIAS) addresses that are all the target's.
async fn pointing<R: DnsResolver>(dns: &R, host: &str, target: &str) -> (Status, Vec<String>) {
    let names = match dns.lookup(host, RecordType::Cname).await {
        Ok(names) => names,
        Err(_) => return (Status::Unchecked, Vec::new()),
    };
    if names.iter().any(|n| n == target) {
        return (Status::Ok, Vec::new());
    }
    if !names.is_empty() {
        return (Status::Wrong, names);
    }
    let (mine, theirs) = join(
        dns.lookup(host, RecordType::A),
        dns.lookup(target, RecordType::A),
    )
    .await;
    match (mine, theirs) {
        (Err(_), _) | (_, Err(_)) => (Status::Unchecked, Vec::new()),
        (Ok(mine), _) if mine.is_empty() => (Status::Missing, Vec::new()),
        (Ok(mine), Ok(theirs)) if mine.iter().all(|a| theirs.contains(a)) => {
            (Status::Ok, Vec::new())
        }
        (Ok(mine), Ok(_)) => (Status::Wrong, mine),
    }
}

/// Checks `host` (and its `alias`) against the records Grove asks for.
pub async fn check<R: DnsResolver>(
    dns: &R,
    host: &str,
    alias: Option<&str>,
    token: &str,
    target: &str,
) -> CheckReport {
    let mut records = wanted(host, alias, token, target);
    let txt_name = challenge_name(host);
    let txt = dns.lookup(&txt_name, RecordType::Txt);
    let (txt, point) = join(txt, pointing(dns, host, target)).await;
    let alias_point = match alias {
        Some(alias) => Some(pointing(dns, alias, target).await),
        None => None,
    };
    for record in &mut records {
        let (status, found) = match record.purpose {
            Purpose::Ownership => match &txt {
                Err(_) => (Status::Unchecked, Vec::new()),
                Ok(values) if values.iter().any(|v| v == token) => (Status::Ok, Vec::new()),
                Ok(values) if values.is_empty() => (Status::Missing, Vec::new()),
                Ok(values) => (Status::Wrong, values.clone()),
            },
            Purpose::Pointing => point.clone(),
            Purpose::AliasPointing => alias_point.clone().unwrap_or((Status::Missing, vec![])),
        };
        record.status = status;
        record.found = found;
    }
    CheckReport { records }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::dns::MemoryDns;
    use futures::executor::block_on;

    const TARGET: &str = "domains.grove.place";

    fn run(dns: &MemoryDns, host: &str, alias: Option<&str>) -> CheckReport {
        block_on(check(dns, host, alias, "tok123", TARGET))
    }

    fn status(report: &CheckReport, purpose: Purpose) -> Status {
        report.of(purpose).expect("record").status.clone()
    }

    #[test]
    fn nothing_set_is_pending_and_says_what_to_add() {
        let dns = MemoryDns::default();
        let r = run(&dns, "blog.example.com", None);
        assert_eq!(r.verdict(), Verdict::Pending);
        assert_eq!(status(&r, Purpose::Ownership), Status::Missing);
        assert_eq!(status(&r, Purpose::Pointing), Status::Missing);
        let messages: Vec<String> = r.records.iter().map(RecordCheck::message).collect();
        assert!(
            messages[0].contains("Add a CNAME record to domains.grove.place"),
            "{messages:?}"
        );
        assert!(messages[1].contains("No TXT record at _grove-challenge.blog.example.com"));
        assert!(r.summary("blog.example.com").contains("not verified yet"));
    }

    #[test]
    fn both_records_right_is_verified() {
        let dns = MemoryDns::default();
        dns.set(
            "_grove-challenge.blog.example.com",
            RecordType::Txt,
            "\"tok123\"",
        );
        dns.set(
            "blog.example.com",
            RecordType::Cname,
            "Domains.Grove.Place.",
        );
        let r = run(&dns, "blog.example.com", None);
        assert_eq!(r.verdict(), Verdict::Verified, "{r:?}");
        assert!(r.records.iter().all(|c| c.status == Status::Ok));
        assert!(r.summary("blog.example.com").contains("verified"));
    }

    #[test]
    fn a_wrong_token_or_target_is_named() {
        let dns = MemoryDns::default();
        dns.set(
            "_grove-challenge.blog.example.com",
            RecordType::Txt,
            "someone-else",
        );
        dns.set(
            "blog.example.com",
            RecordType::Cname,
            "old-host.example.net",
        );
        let r = run(&dns, "blog.example.com", None);
        assert_eq!(r.verdict(), Verdict::Pending);
        let txt = r.of(Purpose::Ownership).unwrap();
        assert_eq!(
            (txt.status.clone(), txt.found.clone()),
            (Status::Wrong, vec!["someone-else".to_string()])
        );
        assert!(txt.message().contains("“someone-else”"));
        let point = r.of(Purpose::Pointing).unwrap();
        assert_eq!(point.status, Status::Wrong);
        assert!(point
            .message()
            .contains("points elsewhere (old-host.example.net)"));
    }

    #[test]
    fn a_bare_domain_may_point_with_flattened_addresses() {
        let dns = MemoryDns::default();
        dns.set("_grove-challenge.example.com", RecordType::Txt, "tok123");
        let missing = run(&dns, "example.com", None);
        assert!(missing
            .of(Purpose::Pointing)
            .unwrap()
            .message()
            .contains("CNAME flattening or an ALIAS"));
        dns.set(TARGET, RecordType::A, "192.0.2.10");
        dns.set(TARGET, RecordType::A, "192.0.2.11");
        dns.set("example.com", RecordType::A, "198.51.100.7");
        let elsewhere = run(&dns, "example.com", None);
        assert_eq!(status(&elsewhere, Purpose::Pointing), Status::Wrong);
        dns.clear("example.com");
        dns.set("example.com", RecordType::A, "192.0.2.11");
        assert_eq!(run(&dns, "example.com", None).verdict(), Verdict::Verified);
    }

    #[test]
    fn an_alias_is_reported_but_does_not_hold_the_domain_back() {
        let dns = MemoryDns::default();
        dns.set("_grove-challenge.example.com", RecordType::Txt, "tok123");
        dns.set("example.com", RecordType::Cname, TARGET);
        let r = run(&dns, "example.com", Some("www.example.com"));
        assert_eq!(r.verdict(), Verdict::Verified);
        assert_eq!(status(&r, Purpose::AliasPointing), Status::Missing);
        dns.set("www.example.com", RecordType::Cname, TARGET);
        let r = run(&dns, "example.com", Some("www.example.com"));
        assert_eq!(status(&r, Purpose::AliasPointing), Status::Ok);
    }

    #[test]
    fn a_resolver_that_does_not_answer_verifies_nothing() {
        let dns = MemoryDns::default();
        dns.set("_grove-challenge.example.com", RecordType::Txt, "tok123");
        dns.set("example.com", RecordType::Cname, TARGET);
        dns.down.set(true);
        let r = run(&dns, "example.com", None);
        assert_eq!(r.verdict(), Verdict::CouldNotCheck);
        assert!(r.summary("example.com").contains("try again"));
        assert!(r.records[0].message().contains("could not be checked"));
    }

    #[test]
    fn a_report_round_trips_through_json() {
        let dns = MemoryDns::default();
        dns.set("_grove-challenge.example.com", RecordType::Txt, "nope");
        let r = run(&dns, "example.com", Some("www.example.com"));
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"type\":\"TXT\""), "{json}");
        assert_eq!(serde_json::from_str::<CheckReport>(&json).unwrap(), r);
    }
}
