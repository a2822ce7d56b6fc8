//! Kill under load: `wrangler dev` is killed with SIGKILL (its node
//! process and both workerd processes at once, a crash, not a stop) in the
//! middle of a burst of concurrent writes and reads on several blogs, then
//! started again on the same state and port. Afterwards:
//!
//! - every acknowledged write is there, and nothing is half applied: for
//!   every post, the admin API's version is at least the last one
//!   acknowledged and at most the last one sent; the post's text is a text
//!   sent for that version (the acknowledged one, if it was); its history
//!   has every version from 1 to it, the last being the post's, each with a
//!   text sent for it; the page the actor serves (from its storage) and the
//!   public page (through the edge) show that version's text and no other
//!   one of that post; the blog's list pages link exactly the posts the
//!   admin API has;
//! - no post exists that no write created;
//! - view counts keep the README's promise: views acknowledged more than
//!   100 ms before the kill (counted by the actor), or more than 2 s before
//!   it (served by the edge, counted by the router), are all counted, and
//!   nothing is counted that was not sent.
//!
//! This test runs its own platform, so that it can kill it.

// Native test code: std time is what measures the kill (the ban is for wasm32).
#![allow(clippy::expect_used, clippy::disallowed_methods)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use grove_tests::owner::Owner;
use grove_tests::platform::LocalPlatform;
use grove_tests::{Grove, Reply};
use reqwest::Method;
use serde_json::{json, Value};

/// Blogs written to and read at once.
const TENANTS: usize = 3;
/// Writers per blog: each creates posts and edits them, and all of them
/// edit one shared post (so some edits are refused with 409).
const WRITERS: usize = 3;
/// Readers per blog, alternating anonymous (edge) and signed-in (actor) reads.
const READERS: usize = 2;
/// A writer's pause between writes, a reader's between reads: enough
/// concurrency to have writes and reads in flight at any instant, without
/// saturating the two cores of a shared machine.
const WRITE_PAUSE: Duration = Duration::from_millis(40);
const READ_PAUSE: Duration = Duration::from_millis(15);
/// When the kill lands after the burst starts: after the actors' first
/// flush of views to D1 (5 s after the first view), well before the next
/// one, so the counts are part in D1 and part in the actors' buffers, and
/// no flush is cut in half (a flush is at least once, which the README
/// does not promise).
const KILL_AFTER: Duration = Duration::from_millis(6_500);
/// ... at the first instant after that with at least this many writes in flight.
const MIN_WRITES_IN_FLIGHT: usize = 3;
/// The README's bounds: the actor writes its view buffer to storage 100 ms
/// after a view; the router hands the views the edge served to the actor
/// 2 s after a tenant's first pending one.
const ACTOR_VIEWS_AT_RISK: Duration = Duration::from_millis(100);
const EDGE_VIEWS_AT_RISK: Duration = Duration::from_millis(2_000);
/// The alarm flushes views to D1 at most 5 s after the oldest pending one;
/// counts are read this long after the kill (and polled up to the second
/// bound before a shortfall is called a loss).
const VIEWS_SETTLED: Duration = Duration::from_millis(7_500);
const VIEWS_DEADLINE: Duration = Duration::from_secs(15);

/// The Markdown of a write: one paragraph holding the write's token.
fn text(token: &str) -> String {
    format!("Written under load: {token}.")
}

/// The tokens (`tok-…-z`) a page or a text holds (a page shows its
/// post's text more than once: in the body and its description).
fn tokens_in(body: &str) -> BTreeSet<String> {
    body.match_indices("tok-t")
        .filter_map(|(i, _)| {
            let rest = &body[i..];
            rest.find("-z").map(|end| rest[..end + 2].to_string())
        })
        .collect()
}

/// What the test knows about one post: what was sent, what was acknowledged.
#[derive(Debug, Default)]
struct PostLog {
    tenant: usize,
    id: Option<String>,
    slug: Option<String>,
    /// The tokens that may hold each version: every write sent on top of
    /// version `v - 1` (a create for 1) and not refused.
    candidates: BTreeMap<i64, BTreeSet<String>>,
    /// The acknowledged versions and their tokens.
    acked: BTreeMap<i64, String>,
    /// Every token ever sent for this post.
    sent: BTreeSet<String>,
}

/// A reader's request for a post page.
#[derive(Debug)]
struct ReadLog {
    tenant: usize,
    slug: String,
    /// When the answer was read whole, its status, and whether the edge
    /// served it (`x-grove-edge: hit`, counted by the router) or the actor
    /// did (counted by the actor). `None`: no answer (the kill).
    answer: Option<(Instant, u16, bool)>,
}

#[derive(Debug, Default)]
struct Ledger {
    /// By title (unique per created post).
    posts: BTreeMap<String, PostLog>,
    reads: Vec<ReadLog>,
    /// Writes by outcome: acknowledged, refused (4xx), unknown (no answer or 5xx).
    acked: usize,
    refused: BTreeMap<u16, usize>,
    unknown: Vec<String>,
    /// Reads during the burst that showed text no write sent for that post.
    phantoms: Vec<String>,
}

impl Ledger {
    fn sending(&mut self, tenant: usize, title: &str, version: i64, token: &str) {
        let post = self.posts.entry(title.to_string()).or_default();
        post.tenant = tenant;
        post.sent.insert(token.to_string());
        post.candidates
            .entry(version)
            .or_default()
            .insert(token.to_string());
    }

    fn acknowledged(&mut self, title: &str, token: &str, post: &Value) {
        self.acked += 1;
        let log = self.posts.entry(title.to_string()).or_default();
        log.id = post["id"].as_str().map(str::to_string);
        log.slug = post["slug"].as_str().map(str::to_string);
        let version = post["version"].as_i64().unwrap_or_default();
        log.acked.insert(version, token.to_string());
    }

    fn refused(&mut self, title: &str, version: i64, token: &str, status: u16) {
        *self.refused.entry(status).or_default() += 1;
        if let Some(log) = self.posts.get_mut(title) {
            if let Some(c) = log.candidates.get_mut(&version) {
                c.remove(token);
            }
        }
    }

    /// Slugs of `tenant`'s posts whose creation was acknowledged.
    fn slugs(&self, tenant: usize) -> Vec<String> {
        self.posts
            .values()
            .filter(|p| p.tenant == tenant)
            .filter_map(|p| p.slug.clone())
            .collect()
    }
}

/// Everything the burst's tasks share.
struct Burst {
    g: Grove,
    owners: Vec<Owner>,
    /// Per tenant: the shared post's title and id.
    shared: Vec<(String, String)>,
    ledger: Mutex<Ledger>,
    stop: AtomicBool,
    writes_in_flight: AtomicUsize,
    reads_in_flight: AtomicUsize,
}

impl Burst {
    fn ledger(&self) -> std::sync::MutexGuard<'_, Ledger> {
        self.ledger.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends one write of `title` (a create, or an edit on top of
    /// `version - 1`) holding `token`; returns the post if it was
    /// acknowledged, `Err(true)` if it was refused, `Err(false)` if its
    /// outcome is unknown (the writer then stops: the platform is going down).
    async fn write(
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
    fn api(
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
async fn writer(burst: Arc<Burst>, tenant: usize, w: usize) {
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
async fn reader(burst: Arc<Burst>, tenant: usize, r: usize) {
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
                let sent: BTreeSet<String> = ledger
                    .posts
                    .values()
                    .find(|p| p.slug.as_deref() == Some(slug))
                    .map(|p| p.sent.clone())
                    .unwrap_or_default();
                let shown = tokens_in(&reply.body);
                if shown.len() != 1 || !shown.is_subset(&sent) {
                    ledger
                        .phantoms
                        .push(format!("{path} (edge hit: {edge}) showed {shown:?}"));
                }
            }
        }
        tokio::time::sleep(READ_PAUSE).await;
    }
}

/// The post views of one slug, as the burst's reads saw them.
#[derive(Debug, Default)]
struct SlugViews {
    /// Reads sent (each may have been counted).
    sent: u64,
    /// For each answered read (status 200), how long before the kill it was
    /// answered beyond its window at risk, in ms (negative: inside the
    /// window, so the README allows it to be lost); ascending.
    slack_ms: Vec<i64>,
}

fn views_by_slug(ledger: &Ledger, tenant: usize, kill: Instant) -> BTreeMap<&str, SlugViews> {
    let mut by_slug: BTreeMap<&str, SlugViews> = BTreeMap::new();
    for read in ledger.reads.iter().filter(|r| r.tenant == tenant) {
        let views = by_slug.entry(read.slug.as_str()).or_default();
        views.sent += 1;
        if let Some((at, 200, edge)) = read.answer {
            let at_risk = if edge {
                EDGE_VIEWS_AT_RISK
            } else {
                ACTOR_VIEWS_AT_RISK
            };
            let before_kill = match kill.checked_duration_since(at) {
                Some(d) => d.as_millis() as i64,
                None => -(at.duration_since(kill).as_millis() as i64),
            };
            views
                .slack_ms
                .push(before_kill - at_risk.as_millis() as i64);
        }
    }
    for views in by_slug.values_mut() {
        views.slack_ms.sort_unstable();
    }
    by_slug
}

/// A read after the restart: signed in (the actor's page, from its
/// storage) or anonymous (what a reader gets through the edge).
async fn read_page(g: &Grove, host: &str, path: &str, signed_in: bool) -> Reply {
    let mut req = g.request(Method::GET, host, path);
    if signed_in {
        req = req.header("cookie", "grove_session=reader");
    }
    g.send(req).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_a_kill_under_load() {
    let began = Instant::now();
    let state = LocalPlatform::fresh_state("kill-under-load");
    let mut platform = LocalPlatform::start(&state);
    let g = platform.grove();
    let ready = began.elapsed();

    // Several new blogs, with limits out of the way (this is not a limit test).
    let mut owners = Vec::new();
    let mut shared = Vec::new();
    for t in 0..TENANTS {
        let owner = g.sign_up("kill").await;
        let set = g
            .ops(
                Method::PUT,
                &format!("/tenants/{}/limits", owner.tenant_id),
                Some(json!({
                    "admin_writes": {"max": 100_000, "window_secs": 3600},
                    "reader_requests": {"max": 1_000_000, "window_secs": 60},
                })),
            )
            .await;
        assert_eq!(set.status, 200, "{}", set.body);
        let title = format!("Kill t{t} shared");
        let created = owner
            .api(
                &g,
                Method::POST,
                "/admin/api/posts",
                Some(json!({"title": title, "markdown": text(&format!("tok-t{t}shared-z")), "status": "published"})),
            )
            .await;
        assert_eq!(created.status, 201, "{}", created.body);
        shared.push((
            title,
            created.json()["id"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        ));
        owners.push(owner);
    }
    let mut ledger = Ledger::default();
    for (t, (title, id)) in shared.iter().enumerate() {
        let token = format!("tok-t{t}shared-z");
        ledger.sending(t, title, 1, &token);
        let post = owners[t]
            .api(&g, Method::GET, &format!("/admin/api/posts/{id}"), None)
            .await
            .json();
        ledger.acknowledged(title, &token, &post);
    }

    // The burst.
    let burst = Arc::new(Burst {
        g,
        owners: owners.clone(),
        shared,
        ledger: Mutex::new(ledger),
        stop: AtomicBool::new(false),
        writes_in_flight: AtomicUsize::new(0),
        reads_in_flight: AtomicUsize::new(0),
    });
    let mut tasks = Vec::new();
    for t in 0..TENANTS {
        for w in 0..WRITERS {
            tasks.push(tokio::spawn(writer(Arc::clone(&burst), t, w)));
        }
        for r in 0..READERS {
            tasks.push(tokio::spawn(reader(Arc::clone(&burst), t, r)));
        }
    }
    let burst_start = Instant::now();
    tokio::time::sleep(KILL_AFTER).await;

    // The crash, mid-burst: at the first instant with writes and reads in
    // flight on the wire.
    let mut in_flight = (0, 0);
    let killed = platform.kill_hard_when(|| {
        in_flight = (
            burst.writes_in_flight.load(Ordering::SeqCst),
            burst.reads_in_flight.load(Ordering::SeqCst),
        );
        (in_flight.0 >= MIN_WRITES_IN_FLIGHT && in_flight.1 > 0)
            || burst_start.elapsed() > KILL_AFTER * 2
    });
    let (writes_in_flight, reads_in_flight) = in_flight;
    burst.stop.store(true, Ordering::SeqCst);
    let kill = killed.sent;
    for task in tasks {
        tokio::time::timeout(Duration::from_secs(20), task)
            .await
            .expect("a burst task ends once the platform is gone")
            .expect("a burst task does not panic");
    }
    println!(
        "killed {:?} {} ms into the burst, {writes_in_flight} writes and {reads_in_flight} reads in flight; \
         signal delivered within {} ms, all gone after {} ms",
        killed.processes,
        (kill - burst_start).as_millis(),
        killed.delivered.as_millis(),
        killed.gone.as_millis()
    );
    assert!(
        killed.processes.iter().any(|p| p.ends_with(" workerd")),
        "the kill took the runtime down: {:?}",
        killed.processes
    );
    assert!(
        writes_in_flight >= MIN_WRITES_IN_FLIGHT && reads_in_flight > 0,
        "the kill landed mid-burst ({writes_in_flight} writes, {reads_in_flight} reads in flight)"
    );

    let restart = Instant::now();
    platform.restart();
    let g = platform.grove();
    let restarted = restart.elapsed();
    let ledger = Arc::try_unwrap(burst)
        .ok()
        .expect("no task holds the burst")
        .ledger
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    let refused_other: usize = ledger
        .refused
        .iter()
        .filter(|(s, _)| **s != 409)
        .map(|(_, n)| n)
        .sum();
    println!(
        "burst: {} writes acknowledged, refused {:?}, {} unknown; {} post reads ({} answered)",
        ledger.acked,
        ledger.refused,
        ledger.unknown.len(),
        ledger.reads.len(),
        ledger.reads.iter().filter(|r| r.answer.is_some()).count()
    );
    assert_eq!(
        refused_other, 0,
        "the only refusals are version conflicts: {:?}",
        ledger.refused
    );
    assert!(
        ledger.acked >= 30,
        "the burst wrote something ({} writes acknowledged)",
        ledger.acked
    );
    let mut failures: Vec<String> = ledger
        .phantoms
        .iter()
        .map(|p| format!("during the burst, {p}"))
        .collect();

    // Views first: the checks below read pages, which count as views.
    let mut views_failures = Vec::new();
    loop {
        let settled = kill + VIEWS_SETTLED;
        if let Some(wait) = settled.checked_duration_since(Instant::now()) {
            tokio::time::sleep(wait).await;
        }
        views_failures.clear();
        let mut summary = Vec::new();
        let (mut lost_total, mut closest) = (0, None::<i64>);
        for (t, owner) in owners.iter().enumerate() {
            let counted = owner.api(&g, Method::GET, "/admin/api/views", None).await;
            assert_eq!(counted.status, 200, "{}", counted.body);
            let counted = counted.json();
            for (slug, views) in views_by_slug(&ledger, t, kill) {
                let n = counted[slug].as_u64().unwrap_or_default();
                let answered = views.slack_ms.len() as u64;
                let safe = views.slack_ms.iter().filter(|s| **s > 0).count() as u64;
                summary.push(format!(
                    "{slug}: {n} counted, {safe}/{answered}/{}",
                    views.sent
                ));
                // Lost views, taken to be those answered last (views are
                // alike): how far past its window at risk the oldest was.
                let lost = answered.saturating_sub(n) as usize;
                if lost > 0 {
                    lost_total += lost;
                    let oldest = views.slack_ms[lost - 1];
                    closest = Some(closest.map_or(oldest, |c| c.max(oldest)));
                }
                if n < safe {
                    views_failures.push(format!(
                        "views of {slug}: {n} counted, but {safe} were answered before their window at risk \
                         ({answered} answered, {} sent; slack in ms {:?})",
                        views.sent, views.slack_ms
                    ));
                }
                if n > views.sent {
                    views_failures.push(format!(
                        "views of {slug}: {n} counted, more than the {} reads sent",
                        views.sent
                    ));
                }
            }
        }
        if views_failures.is_empty() || kill.elapsed() > VIEWS_DEADLINE {
            println!(
                "views {} ms after the kill (counted, safe/answered/sent):\n  {}\n\
                 {lost_total} answered views lost; the oldest of them was {} ms past its window at risk \
                 (negative: inside it)",
                kill.elapsed().as_millis(),
                summary.join("\n  "),
                closest.map_or("-".to_string(), |c| c.to_string()),
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    failures.extend(views_failures);

    // Posts: each one as some write left it, nothing acknowledged lost.
    let mut checked = 0;
    for (t, owner) in owners.iter().enumerate() {
        let host = owner.host(&g);
        let listed = owner.api(&g, Method::GET, "/admin/api/posts", None).await;
        assert_eq!(listed.status, 200, "{}", listed.body);
        let listed: Vec<Value> = listed.json().as_array().cloned().unwrap_or_default();
        let by_title: BTreeMap<&str, &Value> = listed
            .iter()
            .map(|p| (p["title"].as_str().unwrap_or_default(), p))
            .collect();
        for (title, log) in ledger.posts.iter().filter(|(_, l)| l.tenant == t) {
            if !log.acked.is_empty() && !by_title.contains_key(title.as_str()) {
                failures.push(format!(
                    "{title}: acknowledged (versions {:?}) but gone",
                    log.acked.keys().collect::<Vec<_>>()
                ));
            }
        }
        for (title, listed_post) in &by_title {
            let Some(log) = ledger.posts.get(*title).filter(|l| l.tenant == t) else {
                failures.push(format!("{title}: a post no write created: {listed_post}"));
                continue;
            };
            checked += 1;
            let id = listed_post["id"].as_str().unwrap_or_default();
            let post = owner
                .api(&g, Method::GET, &format!("/admin/api/posts/{id}"), None)
                .await;
            if post.status != 200 {
                failures.push(format!("{title}: listed, but GET answers {}", post.status));
                continue;
            }
            let post = post.json();
            let version = post["version"].as_i64().unwrap_or_default();
            let markdown = post["markdown"].as_str().unwrap_or_default();
            let slug = post["slug"].as_str().unwrap_or_default().to_string();
            let acked = log.acked.keys().max().copied().unwrap_or(0);
            let most = log.candidates.keys().max().copied().unwrap_or(0);
            if version < acked || version > most {
                failures.push(format!(
                    "{title}: version {version}, but {acked} was acknowledged and {most} the last sent"
                ));
                continue;
            }
            let token = tokens_in(markdown).pop_first().unwrap_or_default();
            let possible = log.candidates.get(&version).cloned().unwrap_or_default();
            if !possible.contains(&token) || log.acked.get(&version).is_some_and(|a| *a != token) {
                failures.push(format!(
                    "{title}: version {version} holds {token:?}, which no write sent for it \
                     (acknowledged {:?}, possible {possible:?})",
                    log.acked.get(&version)
                ));
            }

            let history = owner
                .api(
                    &g,
                    Method::GET,
                    &format!("/admin/api/posts/{id}/history"),
                    None,
                )
                .await
                .json();
            let history = history.as_array().cloned().unwrap_or_default();
            let versions: Vec<i64> = history
                .iter()
                .filter_map(|r| r["version"].as_i64())
                .collect();
            if versions != (1..=version).collect::<Vec<_>>() {
                failures.push(format!(
                    "{title}: version {version}, but its history has versions {versions:?}"
                ));
            }
            for rev in &history {
                let v = rev["version"].as_i64().unwrap_or_default();
                let rev_token = tokens_in(rev["markdown"].as_str().unwrap_or_default())
                    .pop_first()
                    .unwrap_or_default();
                let possible = log.candidates.get(&v).cloned().unwrap_or_default();
                if !possible.contains(&rev_token)
                    || log.acked.get(&v).is_some_and(|a| *a != rev_token)
                {
                    failures.push(format!(
                        "{title}: history version {v} holds {rev_token:?}, which no write sent for it"
                    ));
                }
                if v == version && rev_token != token {
                    failures.push(format!(
                        "{title}: the post holds {token:?} at version {v}, its history {rev_token:?}"
                    ));
                }
            }

            for signed_in in [true, false] {
                let page = read_page(&g, &host, &format!("/blog/{slug}"), signed_in).await;
                let who = if signed_in {
                    "the actor's page"
                } else {
                    "the public page"
                };
                let shown = tokens_in(&page.body);
                if page.status != 200 || shown != BTreeSet::from([token.clone()]) {
                    failures.push(format!(
                        "{title}: version {version} holds {token:?}, but {who} (status {}, edge {:?}) shows {shown:?}",
                        page.status,
                        page.header("x-grove-edge")
                    ));
                }
            }
        }

        // The blog's list pages link exactly the posts the admin API has.
        let mut linked = BTreeSet::new();
        for page in 1..=100 {
            let path = if page == 1 {
                "/blog".to_string()
            } else {
                format!("/blog?page={page}")
            };
            let list = read_page(&g, &host, &path, true).await;
            if list.status == 404 && page > 1 {
                break;
            }
            assert_eq!(list.status, 200, "{path}: {}", list.body);
            for (i, _) in list.body.match_indices("href=\"/blog/") {
                let rest = &list.body[i + "href=\"/blog/".len()..];
                linked.insert(rest.split('"').next().unwrap_or_default().to_string());
            }
        }
        let slugs: BTreeSet<String> = listed
            .iter()
            .filter_map(|p| p["slug"].as_str().map(str::to_string))
            .collect();
        if linked != slugs {
            failures.push(format!(
                "tenant {t}: the list pages link {:?} but do not link {:?}, which exist",
                linked.difference(&slugs).collect::<Vec<_>>(),
                slugs.difference(&linked).collect::<Vec<_>>()
            ));
        }
    }

    println!(
        "{checked} posts checked on {TENANTS} blogs; ready after {} ms, restarted in {} ms, {} s in all",
        ready.as_millis(),
        restarted.as_millis(),
        began.elapsed().as_secs_f32()
    );
    assert!(
        failures.is_empty(),
        "after a SIGKILL under load and a restart:\n  {}",
        failures.join("\n  ")
    );
    drop(platform);
    let _ = std::fs::remove_dir_all(&state);
}
