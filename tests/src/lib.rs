//! Support for Grove's integration tests.
//!
//! The tests talk HTTP to a real `wrangler dev` (workerd with local D1 and
//! Durable Objects) that `scripts/integration.sh` starts on a free port with
//! fresh state and the demo seed. They address blogs by their real host
//! names (`autumn.grove.localhost`, `autumn.test`), resolved to loopback the
//! way a browser resolves `*.localhost`.
//!
//! - [`Grove`]: an HTTP client for the running platform.
//! - [`seed`]: the demo content the platform was seeded with, so tests
//!   assert against the same source of truth instead of copied strings.
//! - [`owner`]: signing up / in as an owner, and the admin API and forms.
//! - [`platform`]: a test's own `wrangler dev`, for restarts.
//! - [`state`]: the local D1 and KV read with wrangler's own commands.
//! - [`outbox`]: the mail a local run would have sent, and its links.
//! - [`media`]: image files Grove accepts, for uploads.

// Test support: a failed expectation should stop the test with its message.
// Native test code: std time is fine here (the ban is for wasm32).
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::disallowed_methods)]

pub mod media;
pub mod outbox;
pub mod owner;
pub mod platform;
pub mod seed;
pub mod state;

use std::net::SocketAddr;

use reqwest::header::HeaderMap;
use reqwest::redirect::Policy;

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The value a `Set-Cookie` header of this reply gives `name`, if any.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| {
                let (pair, _) = c.split_once(';').unwrap_or((c, ""));
                let (k, v) = pair.split_once('=')?;
                (k.trim() == name).then(|| v.trim().to_string())
            })
    }

    /// The D1 statements the request ran (`x-grove-d1-queries`, local runs).
    pub fn d1_queries(&self) -> u64 {
        self.header("x-grove-d1-queries")
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no D1 counter header (DEV_METRICS)"))
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// The running platform under test.
pub struct Grove {
    client: reqwest::Client,
    pub port: u16,
    pub base_domain: String,
    /// The client address this Grove's requests claim (`CF-Connecting-IP`,
    /// which `wrangler dev` passes through): each test is its own client.
    pub client_ip: String,
    /// The ops API token of the platform under test.
    pub ops_token: String,
}

impl Grove {
    /// Connects to the platform `scripts/integration.sh` started
    /// (`GROVE_PORT`, `GROVE_BASE_DOMAIN`).
    pub fn from_env() -> Grove {
        let port: u16 = std::env::var("GROVE_PORT")
            .ok()
            .and_then(|p| p.parse().ok())
            .expect("GROVE_PORT is not set: run the integration tests with `make test`");
        Grove::at(port)
    }

    /// A client for a platform listening on `port`.
    pub fn at(port: u16) -> Grove {
        let base_domain =
            std::env::var("GROVE_BASE_DOMAIN").unwrap_or_else(|_| "grove.localhost".into());
        let loopback = SocketAddr::from(([127, 0, 0, 1], port));
        // An idle connection is not reused after a few seconds: wrangler's
        // dev server closes it at 5 s, and a test that paused longer (it
        // ran wrangler's own commands) would otherwise send on a closed one.
        let mut builder = reqwest::Client::builder()
            .redirect(Policy::none())
            .pool_idle_timeout(std::time::Duration::from_secs(3));
        for host in Self::known_hosts(&base_domain) {
            builder = builder.resolve(&host, loopback);
        }
        let client = builder.build().expect("HTTP client");
        static CLIENTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        let n = CLIENTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Grove {
            client,
            port,
            base_domain,
            client_ip: format!("2001:db8::{:x}:{n:x}", std::process::id() & 0xffff),
            ops_token: std::env::var("GROVE_OPS_TOKEN").unwrap_or_default(),
        }
    }

    /// Every host name the tests use, resolved to loopback.
    fn known_hosts(base: &str) -> Vec<String> {
        let mut hosts = vec![base.to_string()];
        for sub in [
            "www", "auth", "admin", "api", "ops", "cdn", "static", "nope", "a.b",
        ] {
            hosts.push(format!("{sub}.{base}"));
        }
        for tenant in &seed::demo().tenants {
            hosts.push(format!("{}.{base}", tenant.subdomain));
            hosts.extend(tenant.domains.iter().map(|d| d.host.clone()));
        }
        hosts
    }

    /// `http://{sub}.{base}:{port}`
    pub fn tenant_origin(&self, subdomain: &str) -> String {
        format!("http://{subdomain}.{}:{}", self.base_domain, self.port)
    }

    /// `http://{host}:{port}`
    pub fn origin(&self, host: &str) -> String {
        format!("http://{host}:{}", self.port)
    }

    /// GET `path` on `host`, as a browser would.
    pub async fn get(&self, host: &str, path: &str) -> Reply {
        let url = format!("{}{path}", self.origin(host));
        read(
            self.client
                .get(&url)
                .send()
                .await
                .unwrap_or_else(|e| panic!("GET {url}: {e}")),
        )
        .await
    }

    /// A request to `host` (any host: sent to loopback with that Host
    /// header and the port), for the caller to add headers and a body to.
    pub fn request(
        &self,
        method: reqwest::Method,
        host: &str,
        path: &str,
    ) -> reqwest::RequestBuilder {
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        self.client
            .request(method, url)
            .header("host", format!("{host}:{}", self.port))
            .header("cf-connecting-ip", &self.client_ip)
    }

    /// Sends a request built with [`Grove::request`] and reads the reply.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        read(request.send().await.expect("request sent")).await
    }

    /// Sends a request and reads the reply, or says why there is none
    /// (for tests that stop the platform under a request).
    pub async fn try_send(&self, request: reqwest::RequestBuilder) -> Result<Reply, String> {
        let resp = request.send().await.map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp.text().await.map_err(|e| e.to_string())?;
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    /// Sends `method` to loopback with a raw Host header, for hosts no
    /// browser would send.
    pub async fn raw(&self, method: reqwest::Method, host_header: &str, path: &str) -> Reply {
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        let resp = self
            .client
            .request(method, &url)
            .header("host", host_header)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{url} (Host: {host_header}): {e}"));
        read(resp).await
    }
}

async fn read(resp: reqwest::Response) -> Reply {
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp.text().await.expect("response body");
    Reply {
        status,
        headers,
        body,
    }
}

impl Grove {
    /// Runs `sql` on the local D1 of the platform under test (the state
    /// `scripts/integration.sh` made, `GROVE_STATE`), while it runs: for
    /// rows no API writes yet, or times moved into the past.
    pub fn sql(&self, sql: &str) {
        let state = std::env::var("GROVE_STATE").expect(
            "GROVE_STATE is not set: run the integration tests with scripts/integration.sh",
        );
        platform::LocalPlatform::sql(std::path::Path::new(&state), sql);
    }

    /// The ops host.
    pub fn ops_host(&self) -> String {
        format!("ops.{}", self.base_domain)
    }

    /// An ops API call with this platform's ops token.
    pub async fn ops(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Reply {
        let mut req = self
            .request(method, &self.ops_host(), path)
            .header("authorization", format!("Bearer {}", self.ops_token))
            .header("x-ops-actor", "integration-test");
        if let Some(body) = body {
            req = req
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        self.send(req).await
    }
}
