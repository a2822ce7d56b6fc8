//! Nothing a writer typed is lost: a form sent after the session ended (or
//! with an older session's CSRF token) is kept, given back after sign-in on
//! `/admin/resume`, and sent on once, to its own blog only, from the browser
//! that sent it. A GET of any admin form target goes to the form.

use grove_tests::owner::{form_csrf, urlencode, Owner};
use grove_tests::{Grove, Reply};
use reqwest::Method;
use serde_json::json;

use crate::grove;

/// A form post as a browser sends it from the blog's own admin page.
async fn browser_post(
    g: &Grove,
    host: &str,
    path: &str,
    cookies: &str,
    fields: &[(&str, &str)],
    sec_fetch_site: &str,
) -> Reply {
    g.send(
        g.request(Method::POST, host, path)
            .header("cookie", cookies)
            .header("origin", g.origin(host))
            .header("sec-fetch-site", sec_fetch_site)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(urlencode(fields)),
    )
    .await
}

async fn browser_get(g: &Grove, host: &str, path_and_query: &str, cookies: &str) -> Reply {
    g.send(
        g.request(Method::GET, host, path_and_query)
            .header("cookie", cookies),
    )
    .await
}

/// Signs `o`'s session out, as the other tab's sign-out button does.
async fn sign_out(g: &Grove, o: &Owner) {
    let out = g
        .send(
            g.request(Method::POST, &g.auth_host(), "/signout")
                .header("cookie", format!("grove_session={}", o.session))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("csrf={}", o.csrf)),
        )
        .await;
    assert_eq!(out.status, 200);
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The `return_to` of a redirect to the sign-in page.
fn return_to(r: &Reply) -> String {
    let location = r.header("location").expect("a Location");
    let (_, query) = location.split_once("?return_to=").expect("a return_to");
    decode(query)
}

/// A path and query of the blog at `host`, from a full URL on it.
fn path_on(g: &Grove, host: &str, url: &str) -> String {
    url.strip_prefix(&g.origin(host))
        .unwrap_or_else(|| panic!("{url} is not on {host}"))
        .to_string()
}

/// The token in `/admin/resume?token=…`.
fn token_of(resume: &str) -> String {
    resume
        .split_once("token=")
        .map(|(_, t)| decode(t))
        .expect("a token")
}

/// Signs in again with `return_to`; the new session cookie.
async fn sign_in_to(g: &Grove, o: &Owner, back_to: &str) -> String {
    let r = g.sign_in_reply(&o.email, &o.password, Some(back_to)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some(back_to),
        "sign-in returns to the kept text"
    );
    r.cookie("grove_session").expect("a new session")
}

async fn posts(o: &Owner, g: &Grove) -> Vec<serde_json::Value> {
    let list = o.api(g, Method::GET, "/admin/api/posts", None).await;
    assert_eq!(list.status, 200);
    list.json().as_array().cloned().unwrap_or_default()
}

const TEXT: &str = "Two paragraphs & a sum: 1 + 1 = 2.\n\nWritten before the session ended.";

#[tokio::test]
async fn a_draft_saved_after_signing_out_elsewhere_comes_back_after_sign_in() {
    let g = grove();
    let o = g.sign_up("keep").await;
    let host = o.host(&g);
    sign_out(&g, &o).await;

    // Save draft, from the editor that was still open.
    let fields = [
        ("title", "Kept across sign-in"),
        ("markdown", TEXT),
        ("tags", "notes"),
        ("action", "draft"),
        ("csrf", o.csrf.as_str()),
    ];
    let cookie = format!("grove_session={}", o.session);
    let r = browser_post(&g, &host, "/admin/posts", &cookie, &fields, "same-origin").await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r
        .header("location")
        .unwrap_or_default()
        .starts_with(&format!("{}/signin?", g.origin(&g.auth_host()))));
    let back_to = return_to(&r);
    let resume = path_on(&g, &host, &back_to);
    assert!(resume.starts_with("/admin/resume?token="), "{resume}");
    let held = r.cookie("grove_held").expect("the browser binding cookie");
    let set = r.header("set-cookie").unwrap_or_default().to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("Path=/admin") && !set.contains("Domain"),
        "{set}"
    );

    let session = sign_in_to(&g, &o, &back_to).await;
    let cookies = format!("grove_session={session}; grove_held={held}");
    let page = browser_get(&g, &host, &resume, &cookies).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Kept across sign-in"));
    assert!(page
        .body
        .contains("Two paragraphs &amp; a sum: 1 + 1 = 2.\n\nWritten before the session ended."));
    assert!(page.body.contains(">Save the draft</button>"));
    let csrf = form_csrf(&page.body);
    let fresh = Owner {
        session: session.clone(),
        csrf: csrf.clone(),
        ..o.clone()
    };
    assert!(
        posts(&fresh, &g).await.is_empty(),
        "nothing is saved before the writer says so"
    );

    let token = token_of(&resume);
    let send = [
        ("token", token.as_str()),
        ("do", "send"),
        ("csrf", csrf.as_str()),
    ];
    let sent = browser_post(&g, &host, "/admin/resume", &cookies, &send, "same-origin").await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let location = sent.header("location").unwrap_or_default().to_string();
    assert!(
        location.starts_with("/admin/posts/") && location.ends_with("?notice=draft"),
        "{location}"
    );
    let editor = browser_get(&g, &host, &location, &cookies).await;
    assert_eq!(editor.status, 200);
    assert!(editor.body.contains("Written before the session ended."));
    let saved = posts(&fresh, &g).await;
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0]["title"], "Kept across sign-in");
    assert_eq!(saved[0]["markdown"], TEXT);
    assert_eq!(saved[0]["status"], "draft");

    // Once only: sending again finds nothing and saves nothing.
    let again = browser_post(&g, &host, "/admin/resume", &cookies, &send, "same-origin").await;
    assert_eq!(again.status, 404);
    assert!(again.body.contains("Nothing kept here"));
    assert_eq!(browser_get(&g, &host, &resume, &cookies).await.status, 404);
    assert_eq!(posts(&fresh, &g).await.len(), 1);
}

#[tokio::test]
async fn a_stale_edit_kept_across_sign_in_meets_the_conflict_page_with_the_text() {
    let g = grove();
    let o = g.sign_up("keepstale").await;
    let host = o.host(&g);
    let created = o
        .api(
            &g,
            Method::POST,
            "/admin/api/posts",
            Some(json!({"title": "Shared", "markdown": "version one"})),
        )
        .await;
    assert_eq!(created.status, 201);
    let id = created.json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // Someone edits it meanwhile, from another session.
    let other = g.sign_in(&o.email, &o.password, &o.subdomain).await;
    let put = other
        .api(
            &g,
            Method::PUT,
            &format!("/admin/api/posts/{id}"),
            Some(json!({"title": "Shared", "markdown": "their version two", "version": 1})),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    sign_out(&g, &o).await;

    let mine = "my careful edit of version one";
    let fields = [
        ("title", "Shared"),
        ("markdown", mine),
        ("version", "1"),
        ("action", "draft"),
        ("csrf", o.csrf.as_str()),
    ];
    let path = format!("/admin/posts/{id}");
    let cookie = format!("grove_session={}", o.session);
    let r = browser_post(&g, &host, &path, &cookie, &fields, "same-origin").await;
    assert_eq!(r.status, 303);
    let back_to = return_to(&r);
    let held = r.cookie("grove_held").expect("binding cookie");
    let session = sign_in_to(&g, &o, &back_to).await;
    let cookies = format!("grove_session={session}; grove_held={held}");
    let resume = path_on(&g, &host, &back_to);
    let page = browser_get(&g, &host, &resume, &cookies).await;
    assert_eq!(page.status, 200);
    let send = [
        ("token", token_of(&resume)),
        ("do", "send".to_string()),
        ("csrf", form_csrf(&page.body)),
    ];
    let send: Vec<(&str, &str)> = send.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let sent = browser_post(&g, &host, "/admin/resume", &cookies, &send, "same-origin").await;
    assert_eq!(sent.status, 409, "a stale version is a conflict");
    assert!(
        sent.body.contains(mine),
        "the editor keeps the writer's text"
    );
    assert!(sent.body.contains("their version two"), "and shows theirs");
    let stored = other
        .api(&g, Method::GET, &format!("/admin/api/posts/{id}"), None)
        .await
        .json();
    assert_eq!(stored["markdown"], "their version two");
}

#[tokio::test]
async fn a_form_with_an_older_sessions_csrf_is_kept_and_shown_at_once() {
    let g = grove();
    let o = g.sign_up("keepcsrf").await;
    let host = o.host(&g);
    // Signed out and in again in another tab: the open editor has the old token.
    let newer = g.sign_in(&o.email, &o.password, &o.subdomain).await;
    sign_out(&g, &o).await;
    let fields = [
        ("title", "Old token"),
        ("markdown", TEXT),
        ("action", "publish"),
        ("csrf", o.csrf.as_str()),
    ];
    let cookie = format!("grove_session={}", newer.session);
    let r = browser_post(&g, &host, "/admin/posts", &cookie, &fields, "same-origin").await;
    assert_eq!(r.status, 303, "{}", r.body);
    let resume = r.header("location").unwrap_or_default().to_string();
    assert!(resume.starts_with("/admin/resume?token="), "{resume}");
    let held = r.cookie("grove_held").expect("binding cookie");
    let cookies = format!("grove_session={}; grove_held={held}", newer.session);
    let page = browser_get(&g, &host, &resume, &cookies).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Old token") && page.body.contains(">Publish it</button>"));
    assert!(posts(&newer, &g).await.is_empty());

    // Discarding it goes back to the form and keeps nothing.
    let discard = [
        ("token", token_of(&resume)),
        ("do", "discard".to_string()),
        ("csrf", newer.csrf.clone()),
    ];
    let discard: Vec<(&str, &str)> = discard.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = browser_post(
        &g,
        &host,
        "/admin/resume",
        &cookies,
        &discard,
        "same-origin",
    )
    .await;
    assert_eq!(
        (r.status, r.header("location")),
        (303, Some("/admin/posts/new"))
    );
    assert_eq!(browser_get(&g, &host, &resume, &cookies).await.status, 404);
    assert!(posts(&newer, &g).await.is_empty());

    // A cross-site form with a wrong token is refused as before: nothing kept.
    let r = browser_post(&g, &host, "/admin/posts", &cookie, &fields, "cross-site").await;
    assert_eq!(r.status, 403);
    assert!(r.cookie("grove_held").is_none());
}

#[tokio::test]
async fn a_kept_submission_is_only_for_its_own_blog_and_browser() {
    let g = grove();
    let a = g.sign_up("keepa").await;
    let b = g.sign_up("keepb").await;
    let host_a = a.host(&g);
    let host_b = b.host(&g);
    sign_out(&g, &a).await;
    let fields = [
        ("title", "Only for A"),
        ("markdown", TEXT),
        ("action", "draft"),
        ("csrf", a.csrf.as_str()),
    ];
    let cookie = format!("grove_session={}", a.session);
    let r = browser_post(&g, &host_a, "/admin/posts", &cookie, &fields, "same-origin").await;
    assert_eq!(r.status, 303);
    let back_to = return_to(&r);
    let resume = path_on(&g, &host_a, &back_to);
    let token = token_of(&resume);
    let held = r.cookie("grove_held").expect("binding cookie");

    // B's owner, with A's token and cookie, on B's blog: nothing there.
    let b_cookies = format!("grove_session={}; grove_held={held}", b.session);
    let on_b = browser_get(&g, &host_b, &resume, &b_cookies).await;
    assert_eq!(on_b.status, 404, "{}", on_b.body);
    assert!(!on_b.body.contains("Only for A"));
    let send = [
        ("token", token.as_str()),
        ("do", "send"),
        ("csrf", b.csrf.as_str()),
    ];
    let r = browser_post(
        &g,
        &host_b,
        "/admin/resume",
        &b_cookies,
        &send,
        "same-origin",
    )
    .await;
    assert_eq!(r.status, 404);
    assert!(posts(&b, &g).await.is_empty(), "nothing reached B");
    // B's owner on A's blog: not theirs.
    let r = browser_get(&g, &host_a, &resume, &b_cookies).await;
    assert_eq!(r.status, 403);
    assert!(!r.body.contains("Only for A"));

    // A's owner from another browser (no binding cookie): nothing there.
    let session = sign_in_to(&g, &a, &back_to).await;
    let no_binding = format!("grove_session={session}");
    assert_eq!(
        browser_get(&g, &host_a, &resume, &no_binding).await.status,
        404
    );
    let page = browser_get(&g, &host_a, &resume, &no_binding).await;
    let csrf = form_csrf(&page.body);
    let send = [
        ("token", token.as_str()),
        ("do", "send"),
        ("csrf", csrf.as_str()),
    ];
    let r = browser_post(
        &g,
        &host_a,
        "/admin/resume",
        &no_binding,
        &send,
        "same-origin",
    )
    .await;
    assert_eq!(r.status, 404);
    // None of that used it up: the browser that sent it still gets it back.
    let cookies = format!("grove_session={session}; grove_held={held}");
    let page = browser_get(&g, &host_a, &resume, &cookies).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Only for A"));

    // A form from another site is not kept: sign-in returns to the form.
    sign_out(
        &g,
        &Owner {
            session: session.clone(),
            csrf: csrf.clone(),
            ..a.clone()
        },
    )
    .await;
    let cookie = format!("grove_session={session}");
    let r = browser_post(&g, &host_a, "/admin/posts", &cookie, &fields, "cross-site").await;
    assert_eq!(r.status, 303);
    assert!(r.cookie("grove_held").is_none());
    assert_eq!(return_to(&r), format!("{}/admin/posts", g.origin(&host_a)));
}

#[tokio::test]
async fn a_get_of_any_admin_form_target_goes_to_the_form() {
    let g = grove();
    let o = g.sign_up("formgets").await;
    let post = o
        .api(
            &g,
            Method::POST,
            "/admin/api/posts",
            Some(json!({"title": "A post"})),
        )
        .await
        .json();
    let page = o
        .api(
            &g,
            Method::POST,
            "/admin/api/pages",
            Some(json!({"title": "A page"})),
        )
        .await
        .json();
    let (post_id, page_id) = (
        post["id"].as_str().unwrap_or_default(),
        page["id"].as_str().unwrap_or_default(),
    );
    for (target, form) in [
        ("/admin/posts".to_string(), "/admin/posts/new".to_string()),
        ("/admin/pages".to_string(), "/admin/pages/new".to_string()),
        (
            format!("/admin/posts/{post_id}/preview"),
            format!("/admin/posts/{post_id}"),
        ),
        ("/admin/preview".to_string(), "/admin/posts/new".to_string()),
    ] {
        let r = o.page(&g, &target).await;
        assert_eq!(
            (r.status, r.header("location")),
            (303, Some(form.as_str())),
            "GET {target}"
        );
        let f = o.page(&g, &form).await;
        assert_eq!(f.status, 200, "{form}");
    }
    // A GET of a delete target is the question asked before deleting.
    for target in [
        format!("/admin/posts/{post_id}/delete"),
        format!("/admin/pages/{page_id}/delete"),
    ] {
        let r = o.page(&g, &target).await;
        assert_eq!(r.status, 200, "GET {target}: the confirmation page");
        assert!(r.body.contains("This cannot be undone."));
    }

    // Signed out, a GET of a form target comes back to the form after sign-in.
    let r = browser_get(&g, &o.host(&g), "/admin/posts", "").await;
    assert_eq!(r.status, 303);
    let back_to = return_to(&r);
    let session = sign_in_to(&g, &o, &back_to).await;
    let r = browser_get(
        &g,
        &o.host(&g),
        &path_on(&g, &o.host(&g), &back_to),
        &format!("grove_session={session}"),
    )
    .await;
    assert_eq!(
        (r.status, r.header("location")),
        (303, Some("/admin/posts/new"))
    );
}
