//! Custom domains: a blog served on a domain its owner controls, verified
//! through DNS, optionally its primary address.
//!
//! - [`host`]: what a custom domain may be; bare domains and www aliases.
//! - [`dns`]: the `DnsResolver` port, the answers' normal form, a fake.
//! - [`verify`]: the records Grove asks for and what a check found.
//! - [`plan`]: the actor's writes on its domains (add, record a check,
//!   remove, choose the primary), planned against what it holds, and the
//!   host-map keys a write makes the router forget.
//! - [`book`]: the port to every tenant's claims (who holds a host) and
//!   the rule for a claim that was never verified.
//! - [`redirect`]: which reader requests go to the primary host (301).
//!
//! A domain row belongs to one tenant (the host is the key of the
//! `domains` table, so two blogs can never hold one name). It serves the
//! blog once verified; the primary host (a verified domain, or the
//! subdomain) is the canonical origin of every page, and the blog's other
//! hosts redirect readers there.

pub mod book;
pub mod dns;
pub mod host;
pub mod plan;
pub mod redirect;
pub mod verify;

use crate::config::PlatformConfig;
use verify::CheckReport;

/// One of a blog's custom domains (or an alias of one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    /// Normalised ([`host::normalize_domain`]).
    pub host: String,
    /// The value of its TXT record: random, its own.
    pub token: String,
    pub created_at: i64,
    /// When a check first found its records right; it serves from then on.
    pub verified_at: Option<i64>,
    /// The blog's primary host (only ever a verified, non-alias domain).
    pub primary: bool,
    /// For the www or bare counterpart of a domain: the domain it
    /// redirects to. Verified and removed with it; not counted in the quota.
    pub alias_of: Option<String>,
    /// What the last check found.
    pub last_check: Option<LastCheck>,
}

impl Domain {
    pub fn verified(&self) -> bool {
        self.verified_at.is_some()
    }
}

/// A check of a domain's DNS, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastCheck {
    pub at: i64,
    pub report: CheckReport,
}

/// A blog's custom domains, as its actor holds them, and how the
/// platform spells origins (for the canonical one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantDomains {
    pub platform: PlatformConfig,
    /// Domains and aliases, oldest first.
    pub list: Vec<Domain>,
}

impl TenantDomains {
    pub fn new(platform: PlatformConfig) -> Self {
        TenantDomains {
            platform,
            list: Vec::new(),
        }
    }

    pub fn get(&self, host: &str) -> Option<&Domain> {
        self.list.iter().find(|d| d.host == host)
    }

    /// The domains an owner added (not their aliases).
    pub fn domains(&self) -> impl Iterator<Item = &Domain> {
        self.list.iter().filter(|d| d.alias_of.is_none())
    }

    /// The alias of `host`, if the owner asked for one.
    pub fn alias_of(&self, host: &str) -> Option<&Domain> {
        self.list
            .iter()
            .find(|d| d.alias_of.as_deref() == Some(host))
    }

    /// The primary custom domain, if the blog has one.
    pub fn primary(&self) -> Option<&Domain> {
        self.domains().find(|d| d.primary && d.verified())
    }

    /// How many count against the plan's quota (verified or pending).
    pub fn counted(&self) -> usize {
        self.domains().count()
    }

    /// The blog's primary host: its primary custom domain, else its
    /// subdomain.
    pub fn canonical_host(&self, subdomain: &str) -> String {
        match self.primary() {
            Some(d) => d.host.clone(),
            None => self.platform.tenant_host(subdomain),
        }
    }

    /// `scheme://host[:port]` of the primary host: every page's canonical
    /// links start with it.
    pub fn canonical_origin(&self, subdomain: &str) -> String {
        self.platform.origin(&self.canonical_host(subdomain))
    }

    /// Hosts that serve the blog (verified domains and their aliases).
    pub fn serving(&self) -> impl Iterator<Item = &Domain> {
        self.list.iter().filter(|d| d.verified())
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    pub fn platform() -> PlatformConfig {
        PlatformConfig::from_vars("grove.place", "https", "").expect("config")
    }

    pub fn domain(host: &str, verified: bool) -> Domain {
        Domain {
            host: host.into(),
            token: format!("tok-{host}"),
            created_at: 1_000,
            verified_at: verified.then_some(2_000),
            primary: false,
            alias_of: None,
            last_check: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{domain, platform};
    use super::*;

    #[test]
    fn the_canonical_origin_is_the_verified_primary_else_the_subdomain() {
        let mut d = TenantDomains::new(platform());
        assert_eq!(d.canonical_origin("autumn"), "https://autumn.grove.place");
        d.list.push(domain("example.com", true));
        let mut www = domain("www.example.com", true);
        www.alias_of = Some("example.com".into());
        d.list.push(www);
        assert_eq!(d.counted(), 1, "an alias is not counted");
        assert_eq!(d.canonical_origin("autumn"), "https://autumn.grove.place");
        d.list[0].primary = true;
        assert_eq!(d.canonical_origin("autumn"), "https://example.com");
        assert_eq!(
            d.alias_of("example.com").map(|a| a.host.as_str()),
            Some("www.example.com")
        );
        d.list[0].verified_at = None;
        assert_eq!(d.primary(), None, "only a verified domain is primary");
        assert_eq!(d.serving().count(), 1);
    }
}
