//! The checks after the restart.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use grove_tests::owner::Owner;
use grove_tests::{Grove, Reply};
use reqwest::Method;
use serde_json::Value;

use crate::burst::{tokens_in, Ledger, PostLog};
use crate::{ACTOR_VIEWS_AT_RISK, EDGE_VIEWS_AT_RISK, VIEWS_DEADLINE, VIEWS_SETTLED};

/// View counts, once the actors' alarms have flushed them to D1: every
/// view answered before its window at risk is counted (views are alike, so
/// per post slug), and no more views than reads sent. Returns the failures.
pub async fn views(g: &Grove, owners: &[Owner], ledger: &Ledger, kill: Instant) -> Vec<String> {
    let mut failures = Vec::new();
    loop {
        let settled = kill + VIEWS_SETTLED;
        if let Some(wait) = settled.checked_duration_since(Instant::now()) {
            tokio::time::sleep(wait).await;
        }
        failures.clear();
        let mut summary = Vec::new();
        let (mut lost_total, mut closest) = (0, None::<i64>);
        for (t, owner) in owners.iter().enumerate() {
            let counted = owner.api(g, Method::GET, "/admin/api/views", None).await;
            assert_eq!(counted.status, 200, "{}", counted.body);
            let counted = counted.json();
            for (slug, views) in views_by_slug(ledger, t, kill) {
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
                    failures.push(format!(
                        "views of {slug}: {n} counted, but {safe} were answered before their window at risk \
                         ({answered} answered, {} sent; slack in ms {:?})",
                        views.sent, views.slack_ms
                    ));
                }
                if n > views.sent {
                    failures.push(format!(
                        "views of {slug}: {n} counted, more than the {} reads sent",
                        views.sent
                    ));
                }
            }
        }
        if failures.is_empty() || kill.elapsed() > VIEWS_DEADLINE {
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
    failures
}

/// Every post as some write left it, nothing acknowledged lost, the pages
/// and list pages agreeing with the admin API. Returns how many posts were
/// checked, and the failures.
pub async fn posts(g: &Grove, owners: &[Owner], ledger: &Ledger) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (t, owner) in owners.iter().enumerate() {
        let listed = owner.api(g, Method::GET, "/admin/api/posts", None).await;
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
            failures.extend(post(g, owner, title, id, log).await);
        }
        failures.extend(list_pages(g, owner, &listed).await);
    }
    (checked, failures)
}

/// One post: its version between the last acknowledged and the last sent,
/// its text one sent for that version, its history 1..=version with texts
/// sent for each, and both its pages (the actor's, the public one) showing
/// that text and no other version's.
async fn post(g: &Grove, owner: &Owner, title: &str, id: &str, log: &PostLog) -> Vec<String> {
    let mut failures = Vec::new();
    let host = owner.host(g);
    let post = owner
        .api(g, Method::GET, &format!("/admin/api/posts/{id}"), None)
        .await;
    if post.status != 200 {
        failures.push(format!("{title}: listed, but GET answers {}", post.status));
        return failures;
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
        return failures;
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
            g,
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
        if !possible.contains(&rev_token) || log.acked.get(&v).is_some_and(|a| *a != rev_token) {
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
        let page = read_page(g, &host, &format!("/blog/{slug}"), signed_in).await;
        let who = if signed_in {
            "the actor's page"
        } else {
            "the public page"
        };
        let shown = tokens_in(&page.body);
        if page.status != 200 || shown != BTreeSet::from([token.clone()]) {
            let shown: Vec<String> = shown.iter().map(|t| log.describe(t)).collect();
            failures.push(format!(
                "{title}: version {version} holds {token:?} ({}), but {who} (status {}, x-grove-edge {:?}, \
                 last-modified {:?}) shows {shown:?}",
                log.describe(&token),
                page.status,
                page.header("x-grove-edge"),
                page.header("last-modified"),
            ));
        }
    }
    failures
}

/// The blog's list pages link exactly the posts the admin API has.
async fn list_pages(g: &Grove, owner: &Owner, listed: &[Value]) -> Option<String> {
    let host = owner.host(g);
    let mut linked = BTreeSet::new();
    for page in 1..=100 {
        let path = if page == 1 {
            "/blog".to_string()
        } else {
            format!("/blog?page={page}")
        };
        let list = read_page(g, &host, &path, true).await;
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
        return Some(format!(
            "{host}: the list pages link {:?}, which the admin API does not have, and miss {:?}, which it has",
            linked.difference(&slugs).collect::<Vec<_>>(),
            slugs.difference(&linked).collect::<Vec<_>>()
        ));
    }
    None
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
