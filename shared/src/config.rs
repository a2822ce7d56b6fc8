//! Platform configuration: the base domain and how public URLs are formed.
//!
//! Read from worker vars (`BASE_DOMAIN`, `PUBLIC_SCHEME`, `PUBLIC_PORT`) by
//! the wasm crates and validated here once.

use thiserror::Error;

use crate::host::{normalize_host, HostRoute};

/// A configuration value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    #[error("BASE_DOMAIN is not a valid host name")]
    BaseDomain,
    #[error("PUBLIC_SCHEME must be http or https")]
    Scheme,
    #[error("PUBLIC_PORT must be empty or a port number")]
    Port,
}

/// Where the platform lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformConfig {
    /// Lower-case, e.g. `grove.place` or `grove.localhost`.
    pub base_domain: String,
    /// `https` in production, `http` for local development.
    pub scheme: String,
    /// A port to put in public URLs (local development only).
    pub port: Option<u16>,
}

impl PlatformConfig {
    pub fn from_vars(base_domain: &str, scheme: &str, port: &str) -> Result<Self, ConfigError> {
        let base_domain = normalize_host(Some(base_domain)).map_err(|_| ConfigError::BaseDomain)?;
        if base_domain.contains(':') || base_domain.contains('[') {
            return Err(ConfigError::BaseDomain);
        }
        let scheme = match scheme.trim() {
            "" | "https" => "https",
            "http" => "http",
            _ => return Err(ConfigError::Scheme),
        }
        .to_string();
        let port = match port.trim() {
            "" => None,
            p => Some(p.parse::<u16>().map_err(|_| ConfigError::Port)?),
        };
        Ok(PlatformConfig {
            base_domain,
            scheme,
            port,
        })
    }

    /// `scheme://host[:port]` for a host of this platform.
    pub fn origin(&self, host: &str) -> String {
        match self.port {
            Some(port) => format!("{}://{host}:{port}", self.scheme),
            None => format!("{}://{host}", self.scheme),
        }
    }

    /// The platform's home page.
    pub fn apex_url(&self) -> String {
        format!("{}/", self.origin(&self.base_domain))
    }

    /// A tenant's subdomain host.
    pub fn tenant_host(&self, subdomain: &str) -> String {
        format!("{subdomain}.{}", self.base_domain)
    }

    /// How this platform spells `host` (a normalised host name) in a Host
    /// header: with the public port, if any.
    pub fn canonical_authority(&self, host: &str) -> String {
        match self.port {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        }
    }

    /// Where a request to a site must go instead, when it spells the site
    /// differently from its canonical origin (another case, a trailing dot,
    /// another port or scheme). Edge cache keys and purges use the
    /// canonical origin only, so every other spelling is redirected there
    /// rather than served under a key no write would purge.
    ///
    /// `raw_host` is the request's Host header, `host` its normalised form,
    /// `scheme` the request URL's scheme and `path_and_query` the rest.
    pub fn canonical_redirect(
        &self,
        raw_host: &str,
        host: &str,
        scheme: &str,
        path_and_query: &str,
    ) -> Option<String> {
        let canonical = raw_host == self.canonical_authority(host) && scheme == self.scheme;
        (!canonical).then(|| format!("{}{path_and_query}", self.origin(host)))
    }

    /// Classifies a raw Host header against this platform.
    pub fn route_host(&self, raw: Option<&str>) -> Result<HostRoute, crate::host::HostError> {
        normalize_host(raw).map(|h| crate::host::classify(&h, &self.base_domain))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_public_urls() {
        let dev = PlatformConfig::from_vars("Grove.Localhost", "http", "8787").unwrap();
        assert_eq!(dev.apex_url(), "http://grove.localhost:8787/");
        assert_eq!(
            dev.origin(&dev.tenant_host("autumn")),
            "http://autumn.grove.localhost:8787"
        );
        let prod = PlatformConfig::from_vars("grove.place", "", "").unwrap();
        assert_eq!(
            prod.origin("autumn.grove.place"),
            "https://autumn.grove.place"
        );
    }

    #[test]
    fn only_the_canonical_spelling_of_a_site_is_served() {
        let dev = PlatformConfig::from_vars("grove.localhost", "http", "8787").unwrap();
        let host = "meadow.grove.localhost";
        let at =
            |raw: &str, scheme: &str| dev.canonical_redirect(raw, host, scheme, "/blog?page=2");
        assert_eq!(at("meadow.grove.localhost:8787", "http"), None);
        let canonical = Some("http://meadow.grove.localhost:8787/blog?page=2".to_string());
        for raw in [
            "meadow.grove.localhost",
            "meadow.grove.localhost.:8787",
            "meadow.grove.localhost.",
            "Meadow.Grove.Localhost:8787",
            "meadow.grove.localhost:9000",
        ] {
            assert_eq!(at(raw, "http"), canonical, "{raw}");
        }
        assert_eq!(at("meadow.grove.localhost:8787", "https"), canonical);

        let prod = PlatformConfig::from_vars("grove.place", "https", "").unwrap();
        let at = |raw: &str, scheme: &str| prod.canonical_redirect(raw, "autumn.test", scheme, "/");
        assert_eq!(at("autumn.test", "https"), None);
        let canonical = Some("https://autumn.test/".to_string());
        assert_eq!(at("autumn.test", "http"), canonical, "http goes to https");
        assert_eq!(at("autumn.test.", "https"), canonical);
        assert_eq!(at("autumn.test:443", "https"), canonical);
    }

    #[test]
    fn rejects_bad_config() {
        assert_eq!(
            PlatformConfig::from_vars("", "https", ""),
            Err(ConfigError::BaseDomain)
        );
        assert_eq!(
            PlatformConfig::from_vars("grove.place", "ftp", ""),
            Err(ConfigError::Scheme)
        );
        assert_eq!(
            PlatformConfig::from_vars("grove.place", "https", "x"),
            Err(ConfigError::Port)
        );
    }
}
