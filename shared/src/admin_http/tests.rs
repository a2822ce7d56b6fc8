//! Tests of the admin over HTTP, on the in-memory store.

use futures::executor::block_on;

use super::reply::Reply;
use super::{handle, RequestCtx};
use crate::admin::store::MemoryStore;
use crate::admin::test_fixtures::{content, OWNER};
use crate::page_store::MemoryPageStore;
use crate::protocol::{AdminRequest, Identity};
use crate::tenant_core::TenantCore;

pub(super) fn request(user: &str, method: &str, path: &str, body: &str) -> AdminRequest {
    AdminRequest {
        tenant_id: "t_test".into(),
        user: Identity {
            user_id: user.into(),
            email: format!("{user}@example.test"),
            csrf_token: "tok".into(),
        },
        method: method.into(),
        path: path.into(),
        query: None,
        body: body.into(),
        site_url: "https://test.grove.place/".into(),
        signout_url: "https://auth.grove.place/signout".into(),
        apex_url: "https://grove.place/".into(),
    }
}

pub(super) fn run(
    core: &TenantCore<MemoryStore, MemoryPageStore>,
    req: AdminRequest,
    id: &str,
) -> Reply {
    block_on(handle(
        core,
        &req,
        &RequestCtx {
            now: 10_000,
            new_id: id.into(),
        },
    ))
}

fn json(reply: &Reply) -> serde_json::Value {
    serde_json::from_str(&reply.body).expect("a JSON body")
}

#[test]
fn only_the_owner_gets_in() {
    let core = TenantCore::new(MemoryStore::with(content()), MemoryPageStore::default());
    let api = run(
        &core,
        request("u_other", "GET", "/admin/api/posts", ""),
        "x",
    );
    assert_eq!(api.status, 403);
    assert_eq!(json(&api)["error"], "forbidden");
    let html = run(
        &core,
        request("u_other", "POST", "/admin/posts", "title=x"),
        "x",
    );
    assert_eq!(html.status, 403);
    assert_eq!(core.store().commits.get(), 0, "nothing was written");
}

#[test]
fn the_api_creates_reads_and_guards_versions() {
    let core = TenantCore::new(MemoryStore::with(content()), MemoryPageStore::default());
    let created = run(
        &core,
        request(
            OWNER,
            "POST",
            "/admin/api/posts",
            r#"{"title":"Hello","status":"published"}"#,
        ),
        "p1",
    );
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(json(&created)["slug"], "hello");
    assert_eq!(
        run(&core, request(OWNER, "GET", "/admin/api/posts/p1", ""), "x").status,
        200
    );

    let no_version = run(
        &core,
        request(OWNER, "PUT", "/admin/api/posts/p1", r#"{"title":"Hello"}"#),
        "x",
    );
    assert_eq!(
        (no_version.status, json(&no_version)["field"].as_str()),
        (422, Some("version"))
    );
    let stale = run(
        &core,
        request(
            OWNER,
            "PUT",
            "/admin/api/posts/p1",
            r#"{"title":"Hi","version":5}"#,
        ),
        "x",
    );
    assert_eq!(
        (stale.status, json(&stale)["error"].as_str()),
        (409, Some("conflict"))
    );
    let unknown = run(
        &core,
        request(
            OWNER,
            "POST",
            "/admin/api/posts",
            r#"{"title":"x","tenant_id":"t_other"}"#,
        ),
        "p2",
    );
    assert_eq!(unknown.status, 400);
    assert_eq!(
        run(&core, request(OWNER, "PATCH", "/admin/api/posts", ""), "x").status,
        405
    );
    assert_eq!(
        run(&core, request(OWNER, "GET", "/admin/api/nope", ""), "x").status,
        404
    );
    let history = run(
        &core,
        request(OWNER, "GET", "/admin/api/posts/p1/history", ""),
        "x",
    );
    assert_eq!(json(&history).as_array().map(Vec::len), Some(1));
}

#[test]
fn forms_redirect_on_success_and_re_render_on_error() {
    let core = TenantCore::new(MemoryStore::with(content()), MemoryPageStore::default());
    let ok = run(
        &core,
        request(
            OWNER,
            "POST",
            "/admin/posts",
            "title=Made+Here&markdown=Hi&action=publish",
        ),
        "p1",
    );
    assert_eq!(
        (ok.status, ok.location.as_deref()),
        (303, Some("/admin/posts/p1?notice=published"))
    );

    let bad = run(
        &core,
        request(
            OWNER,
            "POST",
            "/admin/posts",
            "title=&markdown=kept+text&action=publish",
        ),
        "p2",
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("id=\"title-error\"") && bad.body.contains("kept text"));

    let preview = run(
        &core,
        request(
            OWNER,
            "POST",
            "/admin/posts",
            "title=P&markdown=**bold**&action=preview",
        ),
        "p3",
    );
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("<strong>bold</strong>"));
    assert!(
        preview.body.contains("class=\"site-header\""),
        "a preview posted to the save route is the themed page too"
    );
    assert_eq!(
        core.store().commits.get(),
        1,
        "only the successful save was committed"
    );

    // An edit based on an old version shows the conflict and keeps the user's text.
    let v1 = run(
        &core,
        request(
            OWNER,
            "POST",
            "/admin/posts/p1",
            "title=Made+Here&markdown=first&version=1&action=publish",
        ),
        "x",
    );
    assert_eq!(v1.status, 303);
    let stale = run(
        &core,
        request(
            OWNER,
            "POST",
            "/admin/posts/p1",
            "title=Made+Here&markdown=mine&version=1&action=publish",
        ),
        "x",
    );
    assert_eq!(stale.status, 409);
    assert!(
        stale.body.contains("mine") && stale.body.contains("first"),
        "both texts are shown"
    );
}

#[test]
fn a_get_of_a_form_target_goes_to_the_page_that_owns_the_form() {
    let core = TenantCore::new(MemoryStore::with(content()), MemoryPageStore::default());
    let created = run(
        &core,
        request(OWNER, "POST", "/admin/posts", "title=Kept&action=draft"),
        "p9",
    );
    assert_eq!(created.status, 303, "{}", created.body);
    for (target, page) in [
        ("/admin/posts", "/admin/posts/new"),
        ("/admin/pages/", "/admin/pages/new"),
        ("/admin/preview", "/admin/posts/new"),
        ("/admin/posts/p9/preview", "/admin/posts/p9"),
    ] {
        let r = run(&core, request(OWNER, "GET", target, ""), "x");
        assert_eq!(
            (r.status, r.location.as_deref()),
            (303, Some(page)),
            "{target}"
        );
    }
    assert_eq!(
        run(&core, request(OWNER, "GET", "/admin/posts/p9", ""), "x").status,
        200,
        "a target that is also a page is served, never redirected to itself"
    );
    for target in ["/admin/posts/p9/delete", "/admin/pages/g1/delete"] {
        let r = run(&core, request(OWNER, "GET", target, ""), "x");
        assert_eq!(r.status, 200, "{target}: the confirmation page");
        assert!(r.body.contains("This cannot be undone."));
    }
    assert_eq!(
        run(&core, request(OWNER, "PUT", "/admin/posts", ""), "x").status,
        405
    );
    assert_eq!(
        run(&core, request(OWNER, "GET", "/admin/nothing", ""), "x").status,
        404
    );
}
