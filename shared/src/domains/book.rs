//! Who holds a host, across every blog: the port the actor asks before it
//! adds a domain (D1's `domains` table in the runtime, memory in tests),
//! with the blog's DNS resolver and the target its domains point to.
//!
//! # A claim that is never verified
//! Adding a domain claims it at once, verified or not, so two blogs never
//! hold one name. A pending claim lapses after [`CLAIM_LAPSES_AFTER_MS`]
//! (7 days) unverified: from then on another blog may add the domain, and
//! its insert deletes the lapsed claim in the same transaction. (Someone
//! who cannot prove control of a domain cannot keep others from it for
//! longer than that; someone who can, verifies within minutes.) A verified
//! domain is never taken: its blog must remove it first.

use std::cell::RefCell;

use super::dns::{DnsResolver, MemoryDns};
use super::plan::DomainChange;
use crate::admin::store::StoreError;

/// How long a claim may stay unverified before another blog may take it.
pub const CLAIM_LAPSES_AFTER_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// A host's row in the `domains` table, whichever blog it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub tenant_id: String,
    pub verified: bool,
    pub created_at: i64,
}

impl Claim {
    /// A pending claim older than [`CLAIM_LAPSES_AFTER_MS`].
    pub fn lapsed(&self, now: i64) -> bool {
        !self.verified && self.created_at < now - CLAIM_LAPSES_AFTER_MS
    }

    /// When a pending claim lapses.
    pub fn lapses_at(&self) -> i64 {
        self.created_at + CLAIM_LAPSES_AFTER_MS
    }
}

/// Whether blog `me` may add a host, given the claim on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// No one holds it, or only a lapsed claim.
    Free,
    /// It is already this blog's.
    Mine,
    /// Another blog holds it (verified, or pending and not lapsed).
    Taken(Claim),
}

/// How `me` stands with the claim on a host at `now`.
pub fn standing(claim: Option<Claim>, me: &str, now: i64) -> Standing {
    match claim {
        None => Standing::Free,
        Some(c) if c.tenant_id == me => Standing::Mine,
        Some(c) if c.lapsed(now) => Standing::Free,
        Some(c) => Standing::Taken(c),
    }
}

/// Why `host` cannot be added: another blog's claim, in words.
pub fn taken_message(host: &str, claim: &Claim) -> String {
    if claim.verified {
        format!(
            "{host} is already connected to another blog on Grove. If the domain is yours, remove it from that blog first."
        )
    } else {
        let date = |ms| crate::time::Date::from_unix_ms(ms).long();
        format!(
            "Another blog on Grove added {host} on {} and has not verified it yet. A claim that stays unverified for 7 days lapses: if it still is, you can add {host} from {}.",
            date(claim.created_at),
            date(claim.lapses_at() + 24 * 60 * 60 * 1000)
        )
    }
}

/// The port: claims across blogs, the DNS resolver, the target.
#[allow(async_fn_in_trait)] // single-threaded (wasm32) callers only
pub trait DomainBook {
    type Dns: DnsResolver;
    /// The resolver checks go through (`DNS_RESOLVER`).
    fn dns(&self) -> &Self::Dns;
    /// The host every custom domain must point to (`DOMAIN_TARGET`,
    /// `domains.{BASE_DOMAIN}` by default).
    fn target(&self) -> String;
    /// The row of `host`, whichever blog's it is.
    async fn claim(&self, host: &str) -> Result<Option<Claim>, StoreError>;
}

/// Other blogs' claims and a resolver, for native tests. A store built on
/// it ([`crate::admin::store::MemoryStore`]) adds its own tenant's rows.
#[derive(Debug, Default)]
pub struct MemoryDomainBook {
    /// `(host, claim)` of other blogs.
    pub others: RefCell<Vec<(String, Claim)>>,
    pub dns: MemoryDns,
}

impl MemoryDomainBook {
    /// Another blog's claim on `host`, as D1 would have it.
    pub fn claim_for_other(&self, host: &str, claim: Claim) {
        self.others.borrow_mut().push((host.to_string(), claim));
    }

    /// What D1 does with a commit's domain inserts: another blog's lapsed
    /// claim on the host is deleted; any other claim of another blog makes
    /// the whole commit fail (the host is the table's key). Checked before
    /// anything lands.
    pub fn commit(&self, tenant_id: &str, changes: &[DomainChange]) -> Result<(), StoreError> {
        let inserts: Vec<(&str, i64)> = changes
            .iter()
            .filter_map(|c| match c {
                DomainChange::Insert {
                    domain,
                    lapsed_before,
                } => Some((domain.host.as_str(), *lapsed_before)),
                _ => None,
            })
            .collect();
        let mut others = self.others.borrow_mut();
        let taken = inserts.iter().any(|(host, before)| {
            others.iter().any(|(h, c)| {
                h == host && c.tenant_id != tenant_id && (c.verified || c.created_at >= *before)
            })
        });
        if taken {
            return Err(StoreError("UNIQUE constraint failed: domains.host".into()));
        }
        others.retain(|(h, _)| !inserts.iter().any(|(host, _)| h == host));
        Ok(())
    }
}

impl DomainBook for crate::admin::store::MemoryStore {
    type Dns = MemoryDns;
    fn dns(&self) -> &MemoryDns {
        &self.domain_book.dns
    }
    fn target(&self) -> String {
        "domains.grove.place".to_string()
    }
    async fn claim(&self, host: &str) -> Result<Option<Claim>, StoreError> {
        if let Some(content) = self.content.borrow().as_ref() {
            if let Some(d) = content.domains.get(host) {
                return Ok(Some(Claim {
                    tenant_id: content.tenant.id.clone(),
                    verified: d.verified(),
                    created_at: d.created_at,
                }));
            }
        }
        Ok(self
            .domain_book
            .others
            .borrow()
            .iter()
            .find(|(h, _)| h == host)
            .map(|(_, c)| c.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 10 * CLAIM_LAPSES_AFTER_MS;

    fn claim(tenant: &str, verified: bool, age: i64) -> Claim {
        Claim {
            tenant_id: tenant.into(),
            verified,
            created_at: NOW - age,
        }
    }

    #[test]
    fn a_pending_claim_lapses_after_seven_days_a_verified_one_never() {
        assert_eq!(standing(None, "me", NOW), Standing::Free);
        assert_eq!(
            standing(Some(claim("me", false, 1)), "me", NOW),
            Standing::Mine
        );
        let fresh = claim("them", false, CLAIM_LAPSES_AFTER_MS - 1);
        assert_eq!(
            standing(Some(fresh.clone()), "me", NOW),
            Standing::Taken(fresh)
        );
        let edge = claim("them", false, CLAIM_LAPSES_AFTER_MS);
        assert_eq!(
            standing(Some(edge.clone()), "me", NOW),
            Standing::Taken(edge)
        );
        assert_eq!(
            standing(
                Some(claim("them", false, CLAIM_LAPSES_AFTER_MS + 1)),
                "me",
                NOW
            ),
            Standing::Free
        );
        let verified = claim("them", true, 100 * CLAIM_LAPSES_AFTER_MS);
        assert_eq!(
            standing(Some(verified.clone()), "me", NOW),
            Standing::Taken(verified)
        );
    }

    #[test]
    fn the_memory_book_refuses_a_live_claim_and_takes_a_lapsed_one() {
        use crate::domains::fixtures::domain;
        let book = MemoryDomainBook::default();
        book.claim_for_other("live.example", claim("them", false, 5));
        book.claim_for_other(
            "old.example",
            claim("them", false, CLAIM_LAPSES_AFTER_MS + 5),
        );
        let insert = |host: &str| DomainChange::Insert {
            domain: domain(host, false),
            lapsed_before: NOW - CLAIM_LAPSES_AFTER_MS,
        };
        assert!(book.commit("me", &[insert("live.example")]).is_err());
        assert_eq!(book.others.borrow().len(), 2, "nothing changed");
        book.commit("me", &[insert("old.example")]).unwrap();
        assert_eq!(book.others.borrow().len(), 1);
    }
}
