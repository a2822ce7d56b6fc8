//! Every spelling of a blog's host the router accepts reads the latest
//! edit: the edge keys pages by the canonical origin, and the router sends
//! every other spelling there (301, or 308 for other methods).

use grove_tests::{Grove, Reply};
use reqwest::Method;
use serde_json::json;

use crate::{blog_with_post, get};

/// Spellings of `host` (on `port`) a client may send: without the port,
/// with a trailing dot, in capitals, with another port.
fn spellings(host: &str, port: u16) -> Vec<String> {
    vec![
        host.to_string(),
        format!("{host}."),
        format!("{host}.:{port}"),
        format!("{}:{port}", host.to_uppercase()),
        format!("{host}:1"),
    ]
}

/// GETs `path` with a raw Host header, following at most one redirect,
/// which must lead to the canonical origin.
async fn read_as(g: &Grove, raw_host: &str, canonical: &str, path: &str) -> Reply {
    let first = g.raw(Method::GET, raw_host, path).await;
    if first.status != 301 {
        return first;
    }
    let location = first.header("location").unwrap_or_default().to_string();
    assert_eq!(
        location,
        format!("{canonical}{path}"),
        "Host {raw_host} goes to the canonical URL"
    );
    let host = canonical.trim_start_matches("http://");
    g.raw(Method::GET, host, path).await
}

#[tokio::test]
async fn every_spelling_of_a_host_reads_the_latest_edit() {
    let g = Grove::from_env();
    let o = blog_with_post(&g, "spelling", "Spelled", "the first text").await;
    let host = o.host(&g);
    let canonical = g.origin(&host);
    let id = o
        .api(&g, Method::GET, "/admin/api/posts", None)
        .await
        .json()[0]["id"]
        .as_str()
        .expect("the post's id")
        .to_string();
    let all = spellings(&host, g.port);
    // Every spelling is read (and could be cached) before the edit.
    for raw in &all {
        for path in ["/blog/spelled", "/"] {
            let r = read_as(&g, raw, &canonical, path).await;
            assert_eq!(r.status, 200, "Host {raw} {path}");
            assert!(r.body.contains("the first text"), "Host {raw} {path}");
        }
    }
    for (version, text) in [(1, "the second text"), (2, "the third text")] {
        let edit = json!({"title": "Spelled", "markdown": text, "status": "published", "version": version});
        let r = o
            .api(
                &g,
                Method::PUT,
                &format!("/admin/api/posts/{id}"),
                Some(edit),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        for raw in &all {
            for path in ["/blog/spelled", "/"] {
                let r = read_as(&g, raw, &canonical, path).await;
                assert!(
                    r.body.contains(text) && !r.body.contains("the first text"),
                    "Host {raw} {path} after edit {version}: {} {:?}",
                    r.status,
                    r.header("x-grove-edge")
                );
            }
        }
    }
}

#[tokio::test]
async fn other_spellings_are_redirected_with_their_method_kept() {
    let g = Grove::from_env();
    let host = format!("autumn.{}", g.base_domain);
    let canonical = g.origin(&host);
    // (Capitals are not among them: the runtime lower-cases the Host
    // header before the worker sees it.)
    for raw in spellings(&host, g.port)
        .into_iter()
        .filter(|h| h.to_lowercase() == *h)
    {
        let r = g.raw(Method::GET, &raw, "/blog?page=2").await;
        assert_eq!(r.status, 301, "{raw}");
        assert_eq!(
            r.header("location"),
            Some(format!("{canonical}/blog?page=2").as_str())
        );
        let post = g.raw(Method::POST, &raw, "/admin/posts").await;
        assert_eq!(post.status, 308, "{raw}: POST keeps its method");
    }
}

/// Anonymous readers hammer a post while its owner edits it: once an edit
/// is acknowledged, no reader gets an older text, whichever read was in
/// flight when the write's purge ran.
#[tokio::test]
async fn reads_in_flight_during_a_write_never_leave_a_stale_copy() {
    let g = Grove::from_env();
    let o = blog_with_post(&g, "inflight", "Raced", "edit 0").await;
    let host = o.host(&g);
    let id = o
        .api(&g, Method::GET, "/admin/api/posts", None)
        .await
        .json()[0]["id"]
        .as_str()
        .expect("the post's id")
        .to_string();
    for n in 1..=8 {
        let readers: Vec<_> = (0..6)
            .map(|_| {
                let g = Grove::at(g.port);
                let authority = format!("{host}:{}", g.port);
                tokio::spawn(async move {
                    for _ in 0..4 {
                        g.raw(Method::GET, &authority, "/blog/raced").await;
                    }
                })
            })
            .collect();
        let text = format!("edit {n}");
        let edit = json!({"title": "Raced", "markdown": text, "status": "published", "version": n});
        let r = o
            .api(
                &g,
                Method::PUT,
                &format!("/admin/api/posts/{id}"),
                Some(edit),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        for reader in readers {
            reader.await.expect("reader");
        }
        for _ in 0..3 {
            let r = get(&g, &host, "/blog/raced", None).await;
            assert!(
                r.body.contains(&format!("<p>{text}</p>")),
                "after edit {n} was acknowledged: {:?} {:?}",
                r.header("x-grove-edge"),
                r.header("last-modified")
            );
        }
    }
}
