//! Import through the actor's admin, on the in-memory store: the preview
//! writes nothing, applying is one commit, a failed commit leaves nothing.

use crate::admin::store::{Fault, MemoryStore};
use crate::admin::test_fixtures::{content, OWNER};
use crate::admin_http::tests::{request, run};
use crate::import::plan::OnConflict;
use crate::import::{Bundle, FileError, Format, ImportCall, Item, Kind, Mode};
use crate::model::PostStatus;
use crate::page_store::MemoryPageStore;
use crate::tenant_core::TenantCore;

fn bundle() -> Bundle {
    let mut b = Bundle::new(Format::Markdown);
    let mut item = Item::new(Kind::Post, "hello.md", "Hello", "Body");
    item.status = Some(PostStatus::Published);
    item.published_at = Some(5_000);
    item.tags = vec!["rust".into()];
    b.push(item);
    b.push(Item::new(Kind::Post, "empty.md", "", "No title"));
    b
}

fn call(mode: Mode, file: Result<Bundle, FileError>) -> String {
    serde_json::to_string(&ImportCall {
        mode,
        on_conflict: OnConflict::Skip,
        file,
    })
    .unwrap()
}

/// The owner posts `body` to `path`.
fn post(
    core: &TenantCore<MemoryStore, MemoryPageStore>,
    path: &str,
    body: &str,
    id: &str,
) -> crate::admin_http::reply::Reply {
    run(core, request(OWNER, "POST", path, body), id)
}

#[test]
fn a_preview_writes_nothing_and_applying_writes_once() {
    let core = TenantCore::new(MemoryStore::with(content()), MemoryPageStore::default());
    let shown = post(
        &core,
        "/admin/api/import",
        &call(Mode::Preview, Ok(bundle())),
        "x",
    );
    assert_eq!(shown.status, 200, "{}", shown.body);
    let report: serde_json::Value = serde_json::from_str(&shown.body).unwrap();
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["counts"]["create"], 1);
    assert_eq!(report["counts"]["invalid"], 1);
    assert_eq!(report["items"][1]["notes"][0], "Give it a title.");
    assert_eq!(core.store().commits.get(), 0);

    let done = post(
        &core,
        "/admin/api/import",
        &call(Mode::Apply, Ok(bundle())),
        "seed",
    );
    assert_eq!(done.status, 200, "{}", done.body);
    let report: serde_json::Value = serde_json::from_str(&done.body).unwrap();
    assert_eq!(
        (report["imported"].clone(), report["dry_run"].clone()),
        (true.into(), false.into())
    );
    assert_eq!(core.store().commits.get(), 1, "one batch");
    // Readers see it at once: rendered by the write, like any post.
    let page = futures::executor::block_on(core.view("t_test", "/blog/hello", None, 10_000))
        .unwrap()
        .unwrap();
    assert_eq!(page.status, 200);
    assert!(core.take_purge().iter().any(|p| p == "/blog/hello"));

    let again = post(
        &core,
        "/admin/api/import",
        &call(Mode::Apply, Ok(bundle())),
        "seed2",
    );
    let report: serde_json::Value = serde_json::from_str(&again.body).unwrap();
    assert_eq!(
        (
            report["imported"].clone(),
            report["counts"]["unchanged"].clone()
        ),
        (false.into(), 1.into())
    );
    assert_eq!(
        core.store().commits.get(),
        1,
        "the same file again writes nothing"
    );
}

#[test]
fn a_failed_commit_leaves_nothing_and_says_so() {
    let core = TenantCore::new(MemoryStore::with(content()), MemoryPageStore::default());
    core.store().next_fault.set(Fault::FailBeforeCommit);
    let failed = post(
        &core,
        "/admin/api/import",
        &call(Mode::Apply, Ok(bundle())),
        "seed",
    );
    assert_eq!(failed.status, 503, "{}", failed.body);
    let html = run(&core, request(OWNER, "GET", "/admin/api/posts", ""), "x");
    assert_eq!(html.body, "[]", "no post, not half of one");
}

#[test]
fn a_refused_file_answers_4xx_with_the_field_and_the_form_again() {
    let core = TenantCore::new(MemoryStore::with(content()), MemoryPageStore::default());
    let bomb = FileError::new("zip_bomb", "The zip inflates 1000 times its size.");
    let api = post(
        &core,
        "/admin/api/import",
        &call(Mode::Preview, Err(bomb.clone())),
        "x",
    );
    assert_eq!(api.status, 413);
    let body: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(
        (body["error"].as_str(), body["field"].as_str()),
        (Some("zip_bomb"), Some("file"))
    );
    let page = post(&core, "/admin/import", &call(Mode::Preview, Err(bomb)), "x");
    assert_eq!(page.status, 413);
    assert!(page.body.contains("The zip inflates 1000 times its size."));
    assert!(page.body.contains(r#"type="file""#));
    let garbage = post(&core, "/admin/api/import", "title=x", "x");
    assert_eq!(garbage.status, 400);
    assert_eq!(core.store().commits.get(), 0);
}

#[test]
fn the_html_flow_previews_then_applies() {
    let core = TenantCore::new(MemoryStore::with(content()), MemoryPageStore::default());
    let form = run(&core, request(OWNER, "GET", "/admin/import", ""), "x");
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Preview the import"));
    let preview = post(
        &core,
        "/admin/import",
        &call(Mode::Preview, Ok(bundle())),
        "x",
    );
    assert_eq!(preview.status, 200);
    assert!(
        preview.body.contains("Ready to import: 1 new item"),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("Import 1 item"));
    let done = post(
        &core,
        "/admin/import",
        &call(Mode::Apply, Ok(bundle())),
        "seed",
    );
    assert_eq!(done.status, 200);
    assert!(done.body.contains("Imported: 1 new item"), "{}", done.body);
    let other = run(
        &core,
        request(
            "u_other",
            "POST",
            "/admin/import",
            &call(Mode::Apply, Ok(bundle())),
        ),
        "x",
    );
    assert_eq!(other.status, 403);
}
