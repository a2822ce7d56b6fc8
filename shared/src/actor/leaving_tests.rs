//! Native tests of renames and deletions through the actor's shell, on
//! in-memory ports (`MemoryStore` for D1's content, `MemoryLifecycle` for
//! everything else a blog lives in).

use std::rc::Rc;

use futures::executor::block_on;

use super::fakes::FakeRuntime;
use super::shell::{AdminAnswer, TenantShell};
use super::tests::{admin, rctx, restart, Shell};
use crate::admin::store::MemoryStore;
use crate::admin::test_fixtures::{content, OWNER};
use crate::lifecycle::deletion::{Step, RESUME_AFTER_MS};
use crate::lifecycle::rename::HOLD_MS;
use crate::page_store::MemoryPageStore;
use crate::protocol::{HostKey, LeaveRequest, PasswordCheck, ViewRequest};
use crate::tenant_core::TenantCore;

fn shell() -> Rc<Shell> {
    let core = TenantCore::new(MemoryStore::with(content()), MemoryPageStore::default());
    let s = Rc::new(TenantShell::new(core, FakeRuntime::default(), true));
    let world = &s.runtime().lifecycle;
    world.add_tenant("t_test", "test", OWNER);
    world.add_objects("t_test", 3);
    world.add_tenant("t_other", "other-blog", "u_other");
    world.add_objects("t_other", 2);
    s
}

fn view(path: &str) -> ViewRequest {
    ViewRequest {
        tenant_id: "t_test".into(),
        path: path.into(),
        query: None,
        for_edge: true,
        if_none_match: None,
    }
}

fn status(a: &AdminAnswer) -> u16 {
    match &a.reply {
        Ok(reply) => reply.status,
        Err(p) => p.status,
    }
}

fn body(a: &AdminAnswer) -> String {
    match &a.reply {
        Ok(reply) => reply.body.clone(),
        Err(p) => p.message.clone(),
    }
}

fn rename(s: &Rc<Shell>, to: &str, now: i64) -> AdminAnswer {
    rename_on(s, "test", to, now)
}

/// A rename asked on the admin of `host`'s subdomain.
fn rename_on(s: &Rc<Shell>, host: &str, to: &str, now: i64) -> AdminAnswer {
    let form = format!("subdomain={to}&csrf=tok");
    let mut req = admin("POST", "/admin/settings/address", &form);
    req.site_url = format!("https://{host}.grove.place/");
    block_on(s.admin(&req, &rctx(now)))
}

#[test]
fn a_rename_moves_the_blog_holds_the_old_name_and_renders_every_page_anew() {
    let s = shell();
    block_on(async {
        let home = s.view(&view("/"), 1_000).await.expect("served");
        assert!(home
            .page
            .html
            .contains("href=\"https://test.grove.place/\""));
    });
    let a = rename(&s, " Fresh-Name ", 2_000);
    let reply = a.reply.as_ref().expect("an answer");
    assert_eq!(
        reply.location.as_deref(),
        Some("https://fresh-name.grove.place/admin/settings/address?notice=renamed")
    );
    assert!(a.hosts.contains(&HostKey::Subdomain("test".into())));
    assert!(a.hosts.contains(&HostKey::Subdomain("fresh-name".into())));
    assert!(a.purge.contains(&"/".to_string()) && a.purge.contains(&"/about".to_string()));
    let store = s.core().store();
    assert_eq!(
        store
            .content
            .borrow()
            .as_ref()
            .map(|c| c.tenant.subdomain.clone()),
        Some("fresh-name".into())
    );
    assert_eq!(
        *store.holds.borrow(),
        vec![("test".to_string(), "t_test".to_string(), 2_000 + HOLD_MS)]
    );
    block_on(async {
        let home = s.view(&view("/"), 2_001).await.expect("served");
        assert!(
            home.page
                .html
                .contains("href=\"https://fresh-name.grove.place/\""),
            "the canonical link names the new host"
        );
    });
    // The blog may take an old name back; nobody else could.
    assert_eq!(
        status(&rename_on(&s, "fresh-name", "third-name", 3_000)),
        303
    );
    let back = rename_on(&s, "third-name", "fresh-name", 4_000);
    assert_eq!(status(&back), 303, "{}", body(&back));
    let holds = s.core().store().holds.borrow().clone();
    assert!(
        holds.contains(&(
            "third-name".to_string(),
            "t_test".to_string(),
            4_000 + HOLD_MS
        )),
        "{holds:?}"
    );
    assert!(
        !holds.iter().any(|(name, _, _)| name == "fresh-name"),
        "its own hold on the name it took back is gone: {holds:?}"
    );
}

#[test]
fn a_taken_held_reserved_or_invalid_name_is_refused_and_changes_nothing() {
    let s = shell();
    s.runtime()
        .lifecycle
        .add_hold("held-name", "t_gone", "deleted", 10_000);
    for (name, expected) in [
        ("other-blog", "taken by another blog"),
        ("held-name", "held for it for 30 days"),
        ("admin", "reserved by Grove"),
        ("no", "3 to 30 characters"),
        ("test", "already your blog's address"),
    ] {
        let a = rename(&s, name, 2_000);
        let page = body(&a);
        assert!(matches!(status(&a), 409 | 422), "{name}: {}", status(&a));
        assert!(page.contains(expected), "{name}: {page}");
        assert!(
            page.contains(&format!("value=\"{name}\"")),
            "{name}: typed value kept"
        );
        assert!(
            a.hosts.is_empty() && a.purge.is_empty(),
            "{name}: nothing to forget"
        );
    }
    assert_eq!(s.core().store().commits.get(), 0, "nothing was written");
    // The API says which.
    let api = block_on(s.admin(
        &admin("PUT", "/admin/api/address", r#"{"subdomain":"other-blog"}"#),
        &rctx(3_000),
    ));
    assert_eq!(status(&api), 409);
    assert!(
        body(&api).contains("\"error\":\"taken\"")
            && body(&api).contains("\"field\":\"subdomain\"")
    );
}

#[test]
fn a_name_taken_in_a_race_is_refused_by_the_database() {
    let s = shell();
    // D1 knows what the look-up before the write did not see.
    s.core()
        .store()
        .holds
        .borrow_mut()
        .push(("raced".into(), "t_other".into(), 9_999_999));
    let a = rename(&s, "raced", 2_000);
    assert_eq!(status(&a), 409);
    assert!(body(&a).contains("held for it"));
    assert!(a.hosts.is_empty());
    assert_eq!(
        s.core()
            .store()
            .content
            .borrow()
            .as_ref()
            .map(|c| c.tenant.subdomain.clone()),
        Some("test".into())
    );
}

fn leave(password: PasswordCheck, confirm: &str, halt_after: Option<u8>) -> LeaveRequest {
    LeaveRequest {
        admin: admin(
            "POST",
            "/admin/account/delete",
            &format!("confirm={confirm}"),
        ),
        password,
        halt_after,
    }
}

#[test]
fn a_wrong_password_or_name_deletes_nothing() {
    let s = shell();
    for (password, confirm) in [
        (PasswordCheck::Wrong, "test"),
        (PasswordCheck::Missing, "test"),
        (PasswordCheck::Verified, "other-blog"),
    ] {
        let a = block_on(s.leave(&leave(password, confirm, None), &rctx(2_000)));
        assert_eq!(status(&a), 422, "{password:?} {confirm}");
        assert!(a.hosts.is_empty() && a.purge.is_empty());
    }
    let world = &s.runtime().lifecycle;
    assert!(world.everything_of("t_test", OWNER, 3));
    assert!(world.record_of("t_test").is_none());
    block_on(async {
        assert!(s.view(&view("/"), 2_001).await.is_ok(), "still online");
    });
}

#[test]
fn a_deletion_is_answered_once_everything_is_gone() {
    let s = shell();
    block_on(async { s.view(&view("/about"), 1_000).await.expect("served") });
    let a = block_on(s.leave(&leave(PasswordCheck::Verified, "test", None), &rctx(2_000)));
    assert_eq!(status(&a), 200, "{}", body(&a));
    assert!(body(&a).contains("Your blog is deleted"));
    assert_eq!(a.hosts, vec![HostKey::Subdomain("test".into())]);
    assert!(
        a.purge.contains(&"/about".to_string()),
        "every page leaves the edge"
    );
    let world = &s.runtime().lifecycle;
    assert!(world.nothing_of("t_test", OWNER), "{world:?}");
    assert!(world.everything_of("t_other", "u_other", 2));
    assert_eq!(world.record_of("t_test").map(|r| r.step), Some(Step::Done));
    assert_eq!(s.runtime().alarm.get(), None, "no alarm left");
    block_on(async {
        let gone = s.view(&view("/about"), 2_001).await.expect_err("gone");
        assert_eq!((gone.status, gone.code), (404, "not_found"));
        let write = s.admin(&admin("GET", "/admin", ""), &rctx(2_002)).await;
        assert_eq!(status(&write), 404);
    });
    assert_eq!(s.core().cache_stats().bytes, 0, "nothing of it in memory");
}

#[test]
fn an_interrupted_deletion_refuses_everyone_and_the_alarm_finishes_it_after_a_restart() {
    let s = shell();
    let a = block_on(s.leave(
        &leave(PasswordCheck::Verified, "test", Some(2)),
        &rctx(2_000),
    ));
    assert_eq!(status(&a), 503, "not finished: not acknowledged");
    assert_eq!(
        s.runtime().alarm.get(),
        Some(2_000 + RESUME_AFTER_MS),
        "the alarm will resume it"
    );
    let world = &s.runtime().lifecycle;
    assert_eq!(world.record_of("t_test").map(|r| r.step), Some(Step::Rows));
    // The actor dies; a new one, on the same storage, refuses readers and writers.
    let s = restart(s);
    block_on(async {
        let refused = s.view(&view("/"), 3_000).await.expect_err("being deleted");
        assert_eq!((refused.status, refused.code), (410, "deleted"));
        let write = s
            .admin(
                &admin("POST", "/admin/api/posts", r#"{"title":"x"}"#),
                &rctx(3_001),
            )
            .await;
        assert_eq!(status(&write), 410);
        let again = s
            .leave(&leave(PasswordCheck::Verified, "test", None), &rctx(3_002))
            .await;
        assert_eq!(status(&again), 409, "one deletion at a time");
        s.alarm(5_000, "x".into()).await;
    });
    let world = &s.runtime().lifecycle;
    assert!(world.nothing_of("t_test", OWNER), "{world:?}");
    assert!(world.everything_of("t_other", "u_other", 2));
    let record = world.record_of("t_test").expect("ops see it");
    assert_eq!((record.step, record.finished_at), (Step::Done, Some(5_000)));
    block_on(async {
        assert_eq!(
            s.view(&view("/"), 5_001).await.expect_err("gone").status,
            404
        );
    });
}

#[test]
fn a_failed_step_is_retried_by_the_alarm() {
    let s = shell();
    s.runtime().lifecycle.fail_next("delete_objects");
    let a = block_on(s.leave(&leave(PasswordCheck::Verified, "test", None), &rctx(2_000)));
    assert_eq!(status(&a), 503);
    assert!(s.runtime().alarm.get().is_some_and(|at| at > 2_000));
    assert!(
        !s.runtime().errors.borrow().is_empty(),
        "the cause is logged"
    );
    block_on(s.alarm(10_000, "x".into()));
    assert!(s.runtime().lifecycle.nothing_of("t_test", OWNER));
}

#[test]
fn a_rename_leaves_the_canonical_links_on_a_primary_custom_domain() {
    let mut c = content();
    let mut primary = crate::domains::fixtures::domain("example.com", true);
    primary.primary = true;
    c.domains.list.push(primary);
    c.canonical_origin = c.domains.canonical_origin("test");
    let core = TenantCore::new(MemoryStore::with(c), MemoryPageStore::default());
    let s = Rc::new(TenantShell::new(core, FakeRuntime::default(), true));
    let a = rename(&s, "fresh-name", 2_000);
    assert_eq!(status(&a), 303, "{}", body(&a));
    assert!(
        a.hosts.contains(&HostKey::Subdomain("fresh-name".into())),
        "the subdomain moved: {:?}",
        a.hosts
    );
    block_on(async {
        let home = s.view(&view("/"), 2_001).await.expect("served");
        assert!(home.page.html.contains("href=\"https://example.com/\""));
        assert!(!home.page.html.contains("grove.place/\""));
    });
}
