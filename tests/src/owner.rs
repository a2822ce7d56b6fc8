//! Owners in tests: sign up a fresh blog (so tests never disturb the demo
//! blogs other tests read), sign in, and drive the admin API and forms with
//! the session cookie and CSRF token, as a browser or a tool would.

use std::sync::atomic::{AtomicU32, Ordering};

use reqwest::Method;
use serde_json::Value;

use crate::{Grove, Reply};

/// A signed-in owner of one blog.
#[derive(Debug, Clone)]
pub struct Owner {
    pub email: String,
    pub password: String,
    /// The `grove_session` cookie value.
    pub session: String,
    pub csrf: String,
    pub subdomain: String,
    pub tenant_id: String,
}

/// The hidden `csrf` value of the first form in an HTML page.
pub fn form_csrf(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html
        .find(marker)
        .map(|i| i + marker.len())
        .expect("a csrf field in the form");
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Encodes form fields as `application/x-www-form-urlencoded`.
pub fn urlencode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes `s` as a form or query value.
pub fn percent_encoded(s: &str) -> String {
    enc(s)
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A name no other test (or earlier run) has used.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{prefix}{}x{}",
        N.fetch_add(1, Ordering::Relaxed),
        nanos % 1_000_000
    )
}

impl Grove {
    pub fn auth_host(&self) -> String {
        format!("auth.{}", self.base_domain)
    }

    /// GETs an auth form; returns its CSRF value and the form cookie.
    pub async fn auth_form(&self, path: &str) -> (String, String) {
        let page = self
            .send(self.request(Method::GET, &self.auth_host(), path))
            .await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        let cookie = page.cookie("grove_form_csrf").expect("form CSRF cookie");
        (form_csrf(&page.body), cookie)
    }

    /// POSTs a sign-in or sign-up form with its CSRF cookie.
    pub async fn post_auth_form(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let (csrf, cookie) = self
            .auth_form(if path == "/signup" {
                "/signup"
            } else {
                "/signin"
            })
            .await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &csrf));
        let req = self
            .request(Method::POST, &self.auth_host(), path)
            .header("cookie", format!("grove_form_csrf={cookie}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(urlencode(&all));
        self.send(req).await
    }

    /// Signs up a new owner with a new blog.
    pub async fn sign_up(&self, prefix: &str) -> Owner {
        let subdomain = unique(prefix);
        let email = format!("{subdomain}@example.test");
        let password = "correct horse battery".to_string();
        let reply = self
            .post_auth_form(
                "/signup",
                &[
                    ("email", &email),
                    ("password", &password),
                    ("subdomain", &subdomain),
                    ("site_title", &format!("Blog {subdomain}")),
                ],
            )
            .await;
        assert_eq!(reply.status, 303, "sign-up: {}", reply.body);
        let session = reply
            .cookie("grove_session")
            .expect("a session cookie after sign-up");
        self.owner_from_session(email, password, session, subdomain)
            .await
    }

    /// Signs in; returns the reply (303 with a cookie on success).
    pub async fn sign_in_reply(
        &self,
        email: &str,
        password: &str,
        return_to: Option<&str>,
    ) -> Reply {
        let mut fields = vec![("email", email), ("password", password)];
        if let Some(r) = return_to {
            fields.push(("return_to", r));
        }
        self.post_auth_form("/signin", &fields).await
    }

    /// Signs in as an existing owner of `subdomain`: a new, separate session.
    pub async fn sign_in(&self, email: &str, password: &str, subdomain: &str) -> Owner {
        let reply = self.sign_in_reply(email, password, None).await;
        assert_eq!(reply.status, 303, "sign-in: {}", reply.body);
        let session = reply
            .cookie("grove_session")
            .expect("a session cookie after sign-in");
        self.owner_from_session(
            email.to_string(),
            password.to_string(),
            session,
            subdomain.to_string(),
        )
        .await
    }

    async fn owner_from_session(
        &self,
        email: String,
        password: String,
        session: String,
        subdomain: String,
    ) -> Owner {
        let host = format!("{subdomain}.{}", self.base_domain);
        let me = self
            .send(
                self.request(Method::GET, &host, "/admin/api/me")
                    .header("cookie", format!("grove_session={session}")),
            )
            .await;
        assert_eq!(me.status, 200, "/admin/api/me: {}", me.body);
        let me = me.json();
        Owner {
            email,
            password,
            session,
            csrf: me["csrf_token"].as_str().unwrap_or_default().to_string(),
            subdomain,
            tenant_id: me["tenant_id"].as_str().unwrap_or_default().to_string(),
        }
    }
}

impl Owner {
    pub fn host(&self, g: &Grove) -> String {
        format!("{}.{}", self.subdomain, g.base_domain)
    }

    /// An admin API call as this owner on `host` (their own, unless a test says otherwise).
    pub async fn api_on(
        &self,
        g: &Grove,
        host: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        g.send(self.api_request_on(g, host, method, path, body))
            .await
    }

    /// The request [`Owner::api_on`] sends, for a caller that sends it
    /// itself (e.g. with [`Grove::try_send`]).
    pub fn api_request_on(
        &self,
        g: &Grove,
        host: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::RequestBuilder {
        let req = g
            .request(method, host, path)
            .header("cookie", format!("grove_session={}", self.session))
            .header("x-csrf-token", &self.csrf);
        match body {
            Some(body) => req
                .header("content-type", "application/json")
                .body(body.to_string()),
            None => req,
        }
    }

    pub async fn api(&self, g: &Grove, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.api_on(g, &self.host(g), method, path, body).await
    }

    /// Posts an admin form (CSRF field added) as this owner on `host`.
    pub async fn form_on(
        &self,
        g: &Grove,
        host: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Reply {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &self.csrf));
        let req = g
            .request(Method::POST, host, path)
            .header("cookie", format!("grove_session={}", self.session))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(urlencode(&all));
        g.send(req).await
    }

    pub async fn form(&self, g: &Grove, path: &str, fields: &[(&str, &str)]) -> Reply {
        self.form_on(g, &self.host(g), path, fields).await
    }

    /// GETs an admin page as this owner.
    pub async fn page(&self, g: &Grove, path: &str) -> Reply {
        g.send(
            g.request(Method::GET, &self.host(g), path)
                .header("cookie", format!("grove_session={}", self.session)),
        )
        .await
    }
}
