//! The burst: writers and readers on several blogs, and the ledger of
//! what they sent and what was acknowledged.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use grove_tests::owner::Owner;
use grove_tests::Grove;
use reqwest::Method;
use serde_json::{json, Value};

/// A writer's pause between writes, a reader's between reads: enough
/// concurrency to have writes and reads in flight at any instant, without
/// saturating the two cores of a shared machine.
pub const WRITE_PAUSE: Duration = Duration::from_millis(40);
pub const READ_PAUSE: Duration = Duration::from_millis(15);

/// The Markdown of a write: one paragraph holding the write's token.
pub fn text(token: &str) -> String {
    format!("Written under load: {token}.")
}

/// The tokens (`tok-…-z`) a page or a text holds (a page shows its
/// post's text more than once: in the body and its description).
pub fn tokens_in(body: &str) -> BTreeSet<String> {
    body.match_indices("tok-t")
        .filter_map(|(i, _)| {
            let rest = &body[i..];
            rest.find("-z").map(|end| rest[..end + 2].to_string())
        })
        .collect()
}

/// What the test knows about one post: what was sent, what was acknowledged.
#[derive(Debug, Default)]
pub struct PostLog {
    pub tenant: usize,
    pub slug: Option<String>,
    /// The tokens that may hold each version: every write sent on top of
    /// version `v - 1` (a create for 1) and not refused.
    pub candidates: BTreeMap<i64, BTreeSet<String>>,
    /// The acknowledged versions and their tokens.
    pub acked: BTreeMap<i64, String>,
    /// Every token ever sent for this post.
    pub sent: BTreeSet<String>,
}

impl PostLog {
    /// Which write sent `token`, and what became of it.
    pub fn describe(&self, token: &str) -> String {
        let acked = self.acked.iter().find(|(_, t)| *t == token);
        let candidate = self.candidates.iter().find(|(_, c)| c.contains(token));
        match (acked, candidate) {
            (Some((v, _)), _) => format!("{token}: version {v}, acknowledged"),
            (None, Some((v, _))) => format!("{token}: version {v}, sent, not acknowledged"),
            (None, None) if self.sent.contains(token) => format!("{token}: refused"),
            (None, None) => format!("{token}: never sent for this post"),
        }
    }
}

/// A reader's request for a post page.
#[derive(Debug)]
pub struct ReadLog {
    pub tenant: usize,
    pub slug: String,
    /// When the answer was read whole, its status, and whether the edge
    /// served it (`x-grove-edge: hit`, counted by the router) or the actor
    /// did (counted by the actor). `None`: no answer (the kill).
    pub answer: Option<(Instant, u16, bool)>,
}

#[derive(Debug, Default)]
pub struct Ledger {
    /// By title (unique per created post).
    pub posts: BTreeMap<String, PostLog>,
    pub reads: Vec<ReadLog>,
    /// Writes by outcome: acknowledged, refused (4xx), unknown (no answer or 5xx).
    pub acked: usize,
    pub refused: BTreeMap<u16, usize>,
    pub unknown: Vec<String>,
    /// Reads during the burst that showed text no write sent for that post.
    pub phantoms: Vec<String>,
}

impl Ledger {
    pub fn sending(&mut self, tenant: usize, title: &str, version: i64, token: &str) {
        let post = self.posts.entry(title.to_string()).or_default();
        post.tenant = tenant;
        post.sent.insert(token.to_string());
        post.candidates
            .entry(version)
            .or_default()
            .insert(token.to_string());
    }

    pub fn acknowledged(&mut self, title: &str, token: &str, post: &Value) {
        self.acked += 1;
        let log = self.posts.entry(title.to_string()).or_default();
        log.slug = post["slug"].as_str().map(str::to_string);
        let version = post["version"].as_i64().unwrap_or_default();
        log.acked.insert(version, token.to_string());
    }

    pub fn refused(&mut self, title: &str, version: i64, token: &str, status: u16) {
        *self.refused.entry(status).or_default() += 1;
        if let Some(log) = self.posts.get_mut(title) {
            if let Some(c) = log.candidates.get_mut(&version) {
                c.remove(token);
            }
        }
    }

    /// Slugs of `tenant`'s posts whose creation was acknowledged.
    pub fn slugs(&self, tenant: usize) -> Vec<String> {
        self.posts
            .values()
            .filter(|p| p.tenant == tenant)
            .filter_map(|p| p.slug.clone())
            .collect()
    }
}

/// Everything the burst's tasks share.
pub struct Burst {
    pub g: Grove,
    pub owners: Vec<Owner>,
    /// Per tenant: the shared post's title and id.
    pub shared: Vec<(String, String)>,
    pub ledger: Mutex<Ledger>,
    pub stop: AtomicBool,
    pub writes_in_flight: AtomicUsize,
    pub reads_in_flight: AtomicUsize,
}

impl Burst {
    pub fn ledger(&self) -> std::sync::MutexGuard<'_, Ledger> {
        self.ledger.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends one write of `title` (a create, or an edit on top of
    /// `version - 1`) holding `token`; returns the post if it was
    /// acknowledged, `Err(true)` if it was refused, `Err(false)` if its
    /// outcome is unknown (the writer then stops: the platform is going down).
    pub async fn write(
        &self,
        tenant: usize,
        title: &str,
        version: i64,
        token: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<Value, bool> {
        self.ledger().sending(tenant, title, version, token);
        self.writes_in_flight.fetch_add(1, Ordering::SeqCst);
        let reply = self.g.try_send(request).await;
        self.writes_in_flight.fetch_sub(1, Ordering::SeqCst);
        match reply {
            Ok(r) if r.status == 200 || r.status == 201 => {
                let post = r.json();
                self.ledger().acknowledged(title, token, &post);
                Ok(post)
            }
            Ok(r) if (400..500).contains(&r.status) => {
                self.ledger().refused(title, version, token, r.status);
                Err(true)
            }
            Ok(r) => {
                self.ledger()
                    .unknown
                    .push(format!("{title} v{version}: {} {}", r.status, r.body));
                Err(false)
            }
            Err(e) => {
                self.ledger()
                    .unknown
                    .push(format!("{title} v{version}: {e}"));
                Err(false)
            }
        }
    }

    /// An admin API request as `tenant`'s owner.
    pub fn api(
        &self,
        tenant: usize,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::RequestBuilder {
        let owner = &self.owners[tenant];
        owner.api_request_on(&self.g, &owner.host(&self.g), method, path, body)
    }
}

/// A writer: creates a post, edits it twice, edits the blog's shared post
/// once (on the version it has just read, so races give 409), edits its
/// own post once more, then starts over with a new post.
pub async fn writer(burst: Arc<Burst>, tenant: usize, w: usize) {
    // (title, id, acknowledged version) of the writer's own post.
    let mut current: Option<(String, String, i64)> = None;
    for n in 0.. {
        if burst.stop.load(Ordering::SeqCst) {
            return;
        }
        let token = format!("tok-t{tenant}w{w}n{n:04}-z");
        let outcome = match (&current, n % 5) {
            (None, _) | (_, 0) => {
                let title = format!("Kill t{tenant} w{w} p{n:04}");
                let body = json!({"title": title, "markdown": text(&token), "status": "published"});
                let req = burst.api(tenant, Method::POST, "/admin/api/posts", Some(body));
                let r = burst.write(tenant, &title, 1, &token, req).await;
                if let Ok(post) = &r {
                    let id = post["id"].as_str().unwrap_or_default().to_string();
                    current = Some((title, id, 1));
                }
                r.map(|_| ())
            }
            (Some(_), 3) => {
                let (title, id) = burst.shared[tenant].clone();
                let path = format!("/admin/api/posts/{id}");
                let seen = burst
                    .g
                    .try_send(burst.api(tenant, Method::GET, &path, None))
                    .await;
                let Ok(seen) = seen else {
                    return;
                };
                match serde_json::from_str::<Value>(&seen.body)
                    .ok()
                    .and_then(|p| p["version"].as_i64())
                {
                    Some(version) => {
                        let body = json!({"title": title, "markdown": text(&token), "status": "published", "version": version});
                        let req = burst.api(tenant, Method::PUT, &path, Some(body));
                        burst
                            .write(tenant, &title, version + 1, &token, req)
                            .await
                            .map(|_| ())
                    }
                    // Not read (say, the actor missed its deadline): skip it.
                    None => Ok(()),
                }
            }
            (Some((title, id, version)), _) => {
                let (title, id, version) = (title.clone(), id.clone(), *version);
                let body = json!({"title": title, "markdown": text(&token), "status": "published", "version": version});
                let req = burst.api(
                    tenant,
                    Method::PUT,
                    &format!("/admin/api/posts/{id}"),
                    Some(body),
                );
                let r = burst.write(tenant, &title, version + 1, &token, req).await;
                if let Ok(post) = &r {
                    let v = post["version"].as_i64().unwrap_or_default();
                    current = Some((title, id, v));
                }
                r.map(|_| ())
            }
        };
        if outcome == Err(false) {
            return;
        }
        tokio::time::sleep(WRITE_PAUSE).await;
    }
}

/// A reader: reads the blog's posts in turn (every sixth read a list page),
/// anonymously (through the edge) and signed in (straight to the actor) in
/// turn, and logs when each post page was answered and by whom.
pub async fn reader(burst: Arc<Burst>, tenant: usize, r: usize) {
    let host = burst.owners[tenant].host(&burst.g);
    for i in (r * 3).. {
        if burst.stop.load(Ordering::SeqCst) {
            return;
        }
        let slugs = burst.ledger().slugs(tenant);
        let slug = (i % 6 != 5 && !slugs.is_empty()).then(|| slugs[(i * 7) % slugs.len()].clone());
        let path = slug
            .as_ref()
            .map_or_else(|| "/blog".to_string(), |s| format!("/blog/{s}"));
        let mut req = burst.g.request(Method::GET, &host, &path);
        if i % 2 == 1 {
            // Any session cookie bypasses the edge: the actor serves and counts it.
            req = req.header("cookie", "grove_session=reader");
        }
        let index = slug.as_ref().map(|slug| {
            let mut ledger = burst.ledger();
            ledger.reads.push(ReadLog {
                tenant,
                slug: slug.clone(),
                answer: None,
            });
            ledger.reads.len() - 1
        });
        burst.reads_in_flight.fetch_add(1, Ordering::SeqCst);
        let reply = burst.g.try_send(req).await;
        burst.reads_in_flight.fetch_sub(1, Ordering::SeqCst);
        let Ok(reply) = reply else {
            return;
        };
        if let (Some(index), Some(slug)) = (index, &slug) {
            let edge = reply.header("x-grove-edge") == Some("hit");
            let mut ledger = burst.ledger();
            ledger.reads[index].answer = Some((Instant::now(), reply.status, edge));
            if reply.status == 200 {
                // Any text sent for the post and not refused.
                let possible: BTreeSet<String> = ledger
                    .posts
                    .values()
                    .find(|p| p.slug.as_deref() == Some(slug))
                    .map(|p| p.candidates.values().flatten().cloned().collect())
                    .unwrap_or_default();
                let shown = tokens_in(&reply.body);
                if shown.len() != 1 || !shown.is_subset(&possible) {
                    ledger
                        .phantoms
                        .push(format!("{path} (edge hit: {edge}) showed {shown:?}"));
                }
            }
        }
        tokio::time::sleep(READ_PAUSE).await;
    }
}
