//! The actor's writes on its custom domains. Like every write of a blog
//! they go through its write queue ([`crate::tenant_core`]): planned
//! against the domains the actor holds, committed to D1 in one batch, then
//! applied. The actor is the single writer of its tenant's rows, so the
//! quota (verified and pending domains, aliases not counted) is checked
//! and spent with no other write of the blog in between: of N adds at
//! quota − 1, exactly one gets through.
//!
//! Another blog's rows are not the actor's to know: the host is the key
//! of the `domains` table, so an insert racing another blog's fails as a
//! whole in D1, and the caller reports the claim (409). The insert first
//! deletes another blog's claim on the host only if it lapsed
//! ([`super::book::CLAIM_LAPSES_AFTER_MS`]).

use super::book::CLAIM_LAPSES_AFTER_MS;
use super::verify::{CheckReport, Verdict};
use super::{Domain, LastCheck, TenantDomains};
use crate::admin::errors::{FieldError, WriteError};
use crate::plans::{Plan, QuotaKind};
use crate::protocol::HostKey;

/// What an owner asks of their domains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainCommand {
    /// A new pending domain (and its www or bare alias), with its token.
    Add {
        host: String,
        alias: Option<String>,
        token: String,
    },
    /// Records a check; a domain whose records were right is verified
    /// (for good: a later check that fails reports it, but never takes
    /// away a verified domain; removing it does).
    RecordCheck { host: String, report: CheckReport },
    /// Removes a domain with its alias, or only an alias.
    Remove { host: String },
    /// The blog's primary host: a verified domain, or `None` for the subdomain.
    SetPrimary(Option<String>),
}

/// A storage change to the `domains` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainChange {
    /// A new row; another blog's claim on the host made before
    /// `lapsed_before` and never verified is deleted first.
    Insert { domain: Domain, lapsed_before: i64 },
    /// Verification and the last check.
    Update(Domain),
    /// Deletes the row (its alias with it).
    Delete { host: String },
    /// Marks this host primary and every other not (`None`: the subdomain).
    SetPrimary(Option<String>),
}

fn pending(host: &str, alias_of: Option<&str>, token: &str, now: i64) -> Domain {
    Domain {
        host: host.to_string(),
        token: token.to_string(),
        created_at: now,
        verified_at: None,
        primary: false,
        alias_of: alias_of.map(str::to_string),
        last_check: None,
    }
}

impl TenantDomains {
    /// Validates `command` against the blog's domains and `plan`, and lists
    /// its changes and the domain as it will stand (`None` once removed).
    pub fn plan(
        &self,
        command: &DomainCommand,
        plan: Plan,
        now: i64,
    ) -> Result<(Vec<DomainChange>, Option<Domain>), WriteError> {
        match command {
            DomainCommand::Add { host, alias, token } => {
                for name in std::iter::once(host).chain(alias) {
                    if self.get(name).is_some() {
                        return Err(WriteError::Conflict(format!(
                            "{name} is already one of this blog's domains."
                        )));
                    }
                }
                let kind = QuotaKind::CustomDomains;
                if self.counted() as u64 >= kind.limit(plan) {
                    return Err(WriteError::OverQuota { kind, plan });
                }
                let lapsed_before = now - CLAIM_LAPSES_AFTER_MS;
                let domain = pending(host, None, token, now);
                let mut changes = vec![DomainChange::Insert {
                    domain: domain.clone(),
                    lapsed_before,
                }];
                if let Some(alias) = alias {
                    changes.push(DomainChange::Insert {
                        domain: pending(alias, Some(host), token, now),
                        lapsed_before,
                    });
                }
                Ok((changes, Some(domain)))
            }
            DomainCommand::RecordCheck { host, report } => {
                let current = self
                    .domains()
                    .find(|d| &d.host == host)
                    .ok_or(WriteError::NotFound)?;
                let newly = current.verified_at.is_none() && report.verdict() == Verdict::Verified;
                let mut domain = current.clone();
                domain.last_check = Some(LastCheck {
                    at: now,
                    report: report.clone(),
                });
                if newly {
                    domain.verified_at = Some(now);
                }
                let mut changes = vec![DomainChange::Update(domain.clone())];
                if let Some(alias) = self.alias_of(host).filter(|_| newly) {
                    let mut alias = alias.clone();
                    alias.verified_at = Some(now);
                    changes.push(DomainChange::Update(alias));
                }
                Ok((changes, Some(domain)))
            }
            DomainCommand::Remove { host } => {
                let current = self.get(host).ok_or(WriteError::NotFound)?;
                let mut changes = Vec::new();
                if current.alias_of.is_none() {
                    if let Some(alias) = self.alias_of(host) {
                        changes.push(DomainChange::Delete {
                            host: alias.host.clone(),
                        });
                    }
                }
                changes.push(DomainChange::Delete { host: host.clone() });
                Ok((changes, None))
            }
            DomainCommand::SetPrimary(choice) => {
                let current = self.primary().map(|d| d.host.clone());
                if let Some(host) = choice {
                    let usable = self.domains().any(|d| &d.host == host && d.verified());
                    if !usable {
                        return Err(WriteError::Invalid(vec![FieldError::new(
                            "primary",
                            &format!("{host} is not a verified domain of this blog: only the subdomain or a verified domain can be the primary address."),
                        )]));
                    }
                }
                let changes = if &current == choice {
                    Vec::new()
                } else {
                    vec![DomainChange::SetPrimary(choice.clone())]
                };
                Ok((changes, choice.as_ref().and_then(|h| self.get(h)).cloned()))
            }
        }
    }

    /// Applies a committed change.
    pub fn apply(&mut self, change: &DomainChange) {
        match change {
            DomainChange::Insert { domain, .. } => {
                if self.get(&domain.host).is_none() {
                    self.list.push(domain.clone());
                }
            }
            DomainChange::Update(domain) => {
                if let Some(slot) = self.list.iter_mut().find(|d| d.host == domain.host) {
                    *slot = domain.clone();
                }
            }
            DomainChange::Delete { host } => self
                .list
                .retain(|d| &d.host != host && d.alias_of.as_ref() != Some(host)),
            DomainChange::SetPrimary(choice) => {
                for d in &mut self.list {
                    d.primary = choice.as_ref() == Some(&d.host);
                }
            }
        }
    }

    /// Whether `change` moves the blog's primary host (the canonical
    /// link of every page changes with it).
    pub fn changes_canonical(&self, change: &DomainChange) -> bool {
        let primary = self.primary().map(|d| d.host.as_str());
        match change {
            DomainChange::SetPrimary(choice) => choice.as_deref() != primary,
            DomainChange::Delete { host } => primary == Some(host.as_str()),
            DomainChange::Insert { .. } | DomainChange::Update(_) => false,
        }
    }
}

/// The host-map keys the router must forget after a write took the blog's
/// domains from `before` to `after`: each host that started or stopped
/// serving, and, when the primary host moved, every host of the blog (the
/// router keeps the primary with each mapping, to redirect readers).
pub fn hosts_to_forget(
    before: &TenantDomains,
    after: &TenantDomains,
    subdomain: &str,
) -> Vec<HostKey> {
    let serving =
        |d: &TenantDomains| -> Vec<String> { d.serving().map(|d| d.host.clone()).collect() };
    let (was, is) = (serving(before), serving(after));
    let primary = |d: &TenantDomains| d.primary().map(|d| d.host.clone());
    let mut keys = Vec::new();
    if primary(before) != primary(after) {
        keys.push(HostKey::Subdomain(subdomain.to_string()));
        for host in was.iter().chain(&is) {
            let key = HostKey::Domain(host.clone());
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        return keys;
    }
    for host in was
        .iter()
        .filter(|h| !is.contains(h))
        .chain(is.iter().filter(|h| !was.contains(h)))
    {
        keys.push(HostKey::Domain(host.clone()));
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::dns::{MemoryDns, RecordType};
    use crate::domains::fixtures::{domain, platform};
    use crate::domains::verify::check;
    use futures::executor::block_on;

    const NOW: i64 = 1_000_000_000_000;

    fn add(host: &str, alias: Option<&str>) -> DomainCommand {
        DomainCommand::Add {
            host: host.into(),
            alias: alias.map(str::to_string),
            token: format!("tok-{host}"),
        }
    }

    fn run(
        d: &mut TenantDomains,
        cmd: &DomainCommand,
        plan: Plan,
    ) -> Result<Option<Domain>, WriteError> {
        let (changes, outcome) = d.plan(cmd, plan, NOW)?;
        for c in &changes {
            d.apply(c);
        }
        Ok(outcome)
    }

    /// Pending `example.com` with its alias `www.example.com`.
    fn with_example() -> TenantDomains {
        let mut d = TenantDomains::new(platform());
        run(
            &mut d,
            &add("example.com", Some("www.example.com")),
            Plan::Paid,
        )
        .unwrap();
        d
    }

    fn report(host: &str, alias: Option<&str>, right: bool) -> CheckReport {
        let dns = MemoryDns::default();
        if right {
            dns.set(
                &format!("_grove-challenge.{host}"),
                RecordType::Txt,
                &format!("tok-{host}"),
            );
            dns.set(host, RecordType::Cname, "domains.grove.place");
        }
        block_on(check(
            &dns,
            host,
            alias,
            &format!("tok-{host}"),
            "domains.grove.place",
        ))
    }

    #[test]
    fn the_free_plan_adds_none_and_paid_adds_three_aliases_not_counted() {
        let mut d = TenantDomains::new(platform());
        let refused = run(&mut d, &add("example.com", None), Plan::Free);
        assert_eq!(
            refused,
            Err(WriteError::OverQuota {
                kind: QuotaKind::CustomDomains,
                plan: Plan::Free
            })
        );
        assert!(d.list.is_empty(), "nothing was added");
        run(
            &mut d,
            &add("example.com", Some("www.example.com")),
            Plan::Paid,
        )
        .unwrap();
        run(&mut d, &add("b.example", None), Plan::Paid).unwrap();
        run(&mut d, &add("c.example", None), Plan::Paid).unwrap();
        assert_eq!((d.counted(), d.list.len()), (3, 4));
        assert!(matches!(
            run(&mut d, &add("d.example", None), Plan::Paid),
            Err(WriteError::OverQuota { .. })
        ));
        // A domain already there (or its alias) is a conflict, whatever the quota.
        assert!(matches!(
            run(&mut d, &add("www.example.com", None), Plan::Paid),
            Err(WriteError::Conflict(m)) if m.contains("www.example.com")
        ));
    }

    #[test]
    fn an_insert_may_take_only_a_lapsed_claim() {
        let d = TenantDomains::new(platform());
        let (changes, _) = d.plan(&add("example.com", None), Plan::Paid, NOW).unwrap();
        assert!(matches!(
            &changes[0],
            DomainChange::Insert { lapsed_before, .. } if *lapsed_before == NOW - CLAIM_LAPSES_AFTER_MS
        ));
    }

    #[test]
    fn a_right_check_verifies_the_domain_and_its_alias_for_good() {
        let mut d = with_example();
        let wrong = DomainCommand::RecordCheck {
            host: "example.com".into(),
            report: report("example.com", Some("www.example.com"), false),
        };
        let still = run(&mut d, &wrong, Plan::Paid).unwrap().unwrap();
        assert!(!still.verified());
        assert_eq!(still.last_check.as_ref().map(|c| c.at), Some(NOW));
        let right = DomainCommand::RecordCheck {
            host: "example.com".into(),
            report: report("example.com", Some("www.example.com"), true),
        };
        assert!(run(&mut d, &right, Plan::Paid).unwrap().unwrap().verified());
        assert!(d.get("www.example.com").unwrap().verified());
        // A later failing check is recorded but does not unverify.
        let after = run(&mut d, &wrong, Plan::Paid).unwrap().unwrap();
        assert!(after.verified());
        assert_eq!(after.last_check.unwrap().report.verdict(), Verdict::Pending);
        // Checks are of domains, not aliases.
        let alias_check = DomainCommand::RecordCheck {
            host: "www.example.com".into(),
            report: report("www.example.com", None, true),
        };
        assert_eq!(
            run(&mut d, &alias_check, Plan::Paid),
            Err(WriteError::NotFound)
        );
    }

    #[test]
    fn only_a_verified_domain_can_be_primary_and_removing_it_falls_back() {
        let mut d = TenantDomains::new(platform());
        d.list.push(domain("example.com", true));
        d.list.push(domain("pending.example", false));
        let refused = run(
            &mut d,
            &DomainCommand::SetPrimary(Some("pending.example".into())),
            Plan::Paid,
        );
        assert!(
            matches!(&refused, Err(e) if e.field_message("primary").is_some()),
            "{refused:?}"
        );
        let choose = DomainCommand::SetPrimary(Some("example.com".into()));
        let (changes, _) = d.plan(&choose, Plan::Paid, NOW).unwrap();
        assert!(d.changes_canonical(&changes[0]));
        run(&mut d, &choose, Plan::Paid).unwrap();
        assert_eq!(d.canonical_origin("autumn"), "https://example.com");
        let (again, _) = d.plan(&choose, Plan::Paid, NOW).unwrap();
        assert!(again.is_empty(), "already primary: nothing to write");
        let remove = DomainCommand::Remove {
            host: "example.com".into(),
        };
        let (changes, _) = d.plan(&remove, Plan::Paid, NOW).unwrap();
        assert!(d.changes_canonical(&changes[0]));
        run(&mut d, &remove, Plan::Paid).unwrap();
        assert_eq!(d.canonical_origin("autumn"), "https://autumn.grove.place");
        assert_eq!(
            run(
                &mut d,
                &DomainCommand::Remove {
                    host: "example.com".into()
                },
                Plan::Paid
            ),
            Err(WriteError::NotFound)
        );
    }

    #[test]
    fn removing_a_domain_removes_its_alias_and_an_alias_can_go_alone() {
        let mut d = with_example();
        run(
            &mut d,
            &DomainCommand::Remove {
                host: "www.example.com".into(),
            },
            Plan::Paid,
        )
        .unwrap();
        assert_eq!(d.list.len(), 1);
        run(&mut d, &add("b.example", None), Plan::Paid).unwrap();
        let mut e = with_example();
        run(
            &mut e,
            &DomainCommand::Remove {
                host: "example.com".into(),
            },
            Plan::Paid,
        )
        .unwrap();
        assert!(e.list.is_empty());
    }

    #[test]
    fn the_router_forgets_what_changed_and_everything_when_the_primary_moves() {
        let mut before = TenantDomains::new(platform());
        before.list.push(domain("a.example", true));
        before.list.push(domain("b.example", false));
        let mut verified = before.clone();
        verified.list[1].verified_at = Some(5);
        assert_eq!(
            hosts_to_forget(&before, &verified, "autumn"),
            vec![HostKey::Domain("b.example".into())]
        );
        assert!(hosts_to_forget(&before, &before, "autumn").is_empty());
        let mut primary = verified.clone();
        primary.list[0].primary = true;
        assert_eq!(
            hosts_to_forget(&verified, &primary, "autumn"),
            vec![
                HostKey::Subdomain("autumn".into()),
                HostKey::Domain("a.example".into()),
                HostKey::Domain("b.example".into()),
            ]
        );
        let mut removed = primary.clone();
        removed.apply(&DomainChange::Delete {
            host: "a.example".into(),
        });
        assert_eq!(hosts_to_forget(&primary, &removed, "autumn").len(), 3);
    }
}
