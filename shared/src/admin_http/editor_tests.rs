//! The editor as a writer uses it, through the admin's HTTP handling:
//! the themed preview, notices, the delete confirmation, the time zone.

use futures::executor::block_on;

use super::tests::{request, run};
use crate::admin::store::MemoryStore;
use crate::admin::test_fixtures::{content, OWNER};
use crate::model::PostStatus;
use crate::page_store::MemoryPageStore;
use crate::tenant_core::TenantCore;
use crate::time::parse_datetime_local;

type Core = TenantCore<MemoryStore, MemoryPageStore>;

fn core() -> Core {
    TenantCore::new(MemoryStore::with(content()), MemoryPageStore::default())
}

fn post(core: &Core, path: &str, body: &str, new_id: &str) -> super::reply::Reply {
    run(core, request(OWNER, "POST", path, body), new_id)
}

fn get(core: &Core, path: &str, query: Option<&str>) -> super::reply::Reply {
    let mut req = request(OWNER, "GET", path, "");
    req.query = query.map(str::to_string);
    run(core, req, "x")
}

#[test]
fn preview_shows_the_post_in_the_blogs_theme_and_saves_nothing() {
    let core = core();
    let r = post(
        &core,
        "/admin/preview",
        "csrf=tok&title=Draft+%3Ci%3E&markdown=Hello+**there**&tags=rust&action=preview",
        "x",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<h1>Draft &lt;i&gt;</h1>"));
    assert!(r.body.contains("<strong>there</strong>"));
    assert!(r.body.contains("<body class=\"theme-"), "the blog's theme");
    assert!(
        r.body.contains("<a href=\"/about\">About</a>"),
        "the blog's nav"
    );
    assert!(
        !r.body.contains("admin-header") && !r.body.contains("name=\"csrf\""),
        "no admin form: only the reader's own (the search box)"
    );
    assert!(r.body.contains("Preview: not saved, not published."));
    assert_eq!(core.store().commits.get(), 0, "nothing was saved");

    // A saved post's preview keeps its publish time.
    post(
        &core,
        "/admin/posts",
        "title=Saved&markdown=old&action=publish",
        "p1",
    );
    let r = post(
        &core,
        "/admin/posts/p1/preview",
        "title=Saved&markdown=new+text&action=preview&version=1",
        "x",
    );
    assert_eq!(r.status, 200);
    assert!(r.body.contains("new text") && !r.body.contains(">old<"));
    assert_eq!(
        post(&core, "/admin/posts/nope/preview", "title=x", "x").status,
        404
    );
    assert_eq!(
        post(&core, "/admin/preview", "title=%ZZ", "x").status,
        400,
        "a body that is not a form"
    );
}

#[test]
fn a_preview_is_only_for_the_blogs_owner() {
    let core = core();
    let r = run(
        &core,
        request("u_other", "POST", "/admin/preview", "title=x&markdown=y"),
        "x",
    );
    assert_eq!(r.status, 403);
    assert!(!r.body.contains("theme-"));
}

#[test]
fn publishing_links_to_the_post_and_an_update_says_updated() {
    let core = core();
    let r = post(
        &core,
        "/admin/posts",
        "title=Hello&markdown=x&action=publish",
        "p1",
    );
    assert_eq!(
        r.location.as_deref(),
        Some("/admin/posts/p1?notice=published")
    );
    let page = get(&core, "/admin/posts/p1", Some("notice=published"));
    assert!(page
        .body
        .contains("Published. <a href=\"https://test.grove.place/blog/hello\">View post</a>"));
    let r = post(
        &core,
        "/admin/posts/p1",
        "title=Hello&slug=hello&markdown=y&action=publish&version=1",
        "x",
    );
    assert_eq!(
        r.location.as_deref(),
        Some("/admin/posts/p1?notice=updated")
    );
    let page = get(&core, "/admin/posts/p1", Some("notice=updated"));
    assert!(page
        .body
        .contains("Updated. <a href=\"https://test.grove.place/blog/hello\">View post</a>"));
}

#[test]
fn delete_asks_first_and_only_the_confirmation_deletes() {
    let core = core();
    post(&core, "/admin/posts", "title=Doomed&action=draft", "p1");
    let asked = post(&core, "/admin/posts/p1/delete", "csrf=tok&version=1", "x");
    assert_eq!(asked.status, 200);
    assert!(asked.body.contains("<h1>Delete this post?</h1>"));
    assert!(asked
        .body
        .contains("<input type=\"hidden\" name=\"confirm\" value=\"yes\">"));
    assert!(block_on(core.read("t_test", 0, |c| c.post("p1").is_some()))
        .ok()
        .flatten()
        .unwrap_or(false));
    let done = post(
        &core,
        "/admin/posts/p1/delete",
        "csrf=tok&version=1&confirm=yes",
        "x",
    );
    assert_eq!(done.location.as_deref(), Some("/admin?notice=deleted"));
    assert_eq!(
        block_on(core.read("t_test", 0, |c| c.post("p1").is_some()))
            .ok()
            .flatten(),
        Some(false)
    );
    let page = post(&core, "/admin/pages/g1/delete", "csrf=tok", "x");
    assert!(page.body.contains("<h1>Delete this page?</h1>"));
    assert!(page.body.contains("https://test.grove.place/about"));
    assert_eq!(
        post(&core, "/admin/pages/nope/delete", "confirm=yes", "x").status,
        404
    );
}

#[test]
fn scheduling_reads_the_time_in_the_writers_zone() {
    let core = core();
    let saved = post(
        &core,
        "/admin/settings",
        "site_title=Test&theme=paper&time_zone=Europe%2FBerlin",
        "x",
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let editor = get(&core, "/admin/posts/new", None);
    assert!(editor
        .body
        .contains("<span id=\"publish_at-zone\">Europe/Berlin</span>"));
    assert!(
        !editor.body.contains("data-from-browser"),
        "the blog chose a zone"
    );
    // 2030-01-10 09:30 in Berlin (UTC+1) is 08:30 UTC.
    let r = post(
        &core,
        "/admin/posts",
        "title=Later&action=schedule&publish_at=2030-01-10T09%3A30",
        "p1",
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let stored = block_on(core.read("t_test", 0, |c| c.post("p1").cloned()))
        .ok()
        .flatten()
        .flatten();
    let stored = stored.as_ref();
    assert_eq!(stored.map(|p| p.status), Some(PostStatus::Scheduled));
    assert_eq!(
        stored.and_then(|p| p.published_at),
        parse_datetime_local("2030-01-10T08:30")
    );
    let editor = get(&core, "/admin/posts/p1", None);
    assert!(
        editor.body.contains("value=\"2030-01-10T09:30\""),
        "shown as typed"
    );
    let dashboard = get(&core, "/admin", None);
    assert!(dashboard
        .body
        .contains("10 January 2030, 09:30 Europe/Berlin"));
    // The zone the form names wins (the browser's, picked by the script).
    let r = post(
        &core,
        "/admin/posts",
        "title=Tokyo&action=schedule&publish_at=2030-01-10T09%3A30&time_zone=Asia%2FTokyo",
        "p2",
    );
    assert_eq!(r.status, 303);
    let at = block_on(core.read("t_test", 0, |c| c.post("p2").and_then(|p| p.published_at)))
        .ok()
        .flatten()
        .flatten();
    assert_eq!(at, parse_datetime_local("2030-01-10T00:30"));
    let bad = post(
        &core,
        "/admin/settings",
        "site_title=Test&theme=paper&time_zone=Mars%2FBase",
        "x",
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Choose one of the listed time zones."));
}

#[test]
fn scheduling_without_a_date_asks_for_one() {
    let core = core();
    let r = post(
        &core,
        "/admin/posts",
        "title=Soon&markdown=kept&action=schedule&publish_at=",
        "p1",
    );
    assert_eq!(r.status, 422);
    assert!(r
        .body
        .contains("<a href=\"#publish_at\">Pick a date and time for the post to go live.</a>"));
    assert!(!r.body.contains("must be in the future"));
    assert!(
        r.body.contains("tabindex=\"-1\" autofocus"),
        "the summary takes focus"
    );
    assert!(r.body.contains(">\nkept</textarea>"), "the text is kept");
}

#[test]
fn a_new_blogs_editor_lets_the_browser_pick_the_zone() {
    let core = core();
    let editor = get(&core, "/admin/posts/new", None);
    assert!(editor
        .body
        .contains("name=\"time_zone\" value=\"\" data-from-browser>"));
    assert!(editor
        .body
        .contains("<span id=\"publish_at-zone\">UTC</span>"));
    let settings = get(&core, "/admin/settings", None);
    assert!(settings
        .body
        .contains("<select id=\"time_zone\" name=\"time_zone\" data-from-browser"));
}
