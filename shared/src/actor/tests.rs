//! Native tests of the actor shell on in-memory ports.

use std::rc::Rc;

use futures::executor::block_on;

use super::fakes::FakeRuntime;
use super::shell::{AdminAnswer, TenantShell};
use crate::admin::content::WriteCtx;
use crate::admin::store::{Fault, MemoryStore};
use crate::admin::test_fixtures::{content, OWNER};
use crate::admin_http::RequestCtx;
use crate::page_store::MemoryPageStore;
use crate::protocol::{
    AdminRequest, ControlAction, ControlRequest, EdgeViewsRequest, Identity, ViewRequest,
};
use crate::tenant_core::TenantCore;
use crate::view_counts::FLUSH_AFTER_MS;

pub(super) type Shell = TenantShell<MemoryStore, MemoryPageStore, FakeRuntime>;

fn shell() -> Rc<Shell> {
    let core = TenantCore::new(MemoryStore::with(content()), MemoryPageStore::default());
    Rc::new(TenantShell::new(core, FakeRuntime::default(), true))
}

/// The same actor after a restart: memory gone, its stores (D1, its own
/// storage) as they were.
pub(super) fn restart(s: Rc<Shell>) -> Rc<Shell> {
    let s = Rc::try_unwrap(s).ok().expect("one owner");
    let (core, runtime) = s.into_parts();
    let (store, pages) = core.into_ports();
    Rc::new(TenantShell::new(
        TenantCore::new(store, pages),
        runtime,
        true,
    ))
}

fn view(path: &str, for_edge: bool) -> ViewRequest {
    ViewRequest {
        tenant_id: "t_test".into(),
        path: path.into(),
        query: None,
        for_edge,
        if_none_match: None,
    }
}

pub(super) fn admin(method: &str, path: &str, body: &str) -> AdminRequest {
    AdminRequest {
        tenant_id: "t_test".into(),
        user: Identity {
            user_id: OWNER.into(),
            email: "owner@example.test".into(),
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

pub(super) fn rctx(now: i64) -> RequestCtx {
    RequestCtx {
        now,
        new_id: format!("id{now}"),
    }
}

fn wctx(now: i64) -> WriteCtx {
    WriteCtx {
        now,
        user_id: "ops".into(),
        new_id: "unused".into(),
    }
}

fn control(action: ControlAction) -> ControlRequest {
    ControlRequest {
        tenant_id: "t_test".into(),
        action,
    }
}

const POST: &str = r#"{"title":"Hello","markdown":"Hi there","status":"published"}"#;

#[test]
fn a_suspension_is_confirmed_only_once_it_holds_and_survives_a_restart() {
    let s = shell();
    block_on(async {
        assert_eq!(
            s.view(&view("/", false), 1_000)
                .await
                .map(|p| p.page.status)
                .ok(),
            Some(200)
        );
        let paths = s
            .control(&control(ControlAction::Suspend(true)), &wctx(2_000))
            .await
            .expect("confirmed");
        assert!(paths.contains(&"/".to_string()) && paths.contains(&"/about".to_string()));
        let refused = s
            .view(&view("/", false), 2_001)
            .await
            .expect_err("suspended");
        assert_eq!((refused.status, refused.code), (503, "suspended"));
        let write = s
            .admin(&admin("POST", "/admin/api/posts", POST), &rctx(2_002))
            .await;
        assert_eq!(write.reply.expect_err("no writes").status, 403);
    });
    // The flag is in D1 and in the actor's own storage: a restarted actor
    // (no message from anyone) still refuses readers.
    let s = restart(s);
    assert!(
        s.core()
            .store()
            .content
            .borrow()
            .as_ref()
            .expect("tenant")
            .tenant
            .suspended
    );
    block_on(async {
        assert_eq!(
            s.view(&view("/", false), 3_000)
                .await
                .expect_err("still")
                .status,
            503
        );
        s.control(&control(ControlAction::Suspend(false)), &wctx(4_000))
            .await
            .expect("confirmed");
        assert_eq!(
            s.view(&view("/", false), 4_001)
                .await
                .map(|p| p.page.status)
                .ok(),
            Some(200)
        );
    });
}

#[test]
fn a_suspension_that_d1_refused_is_not_confirmed_and_changes_nothing() {
    let s = shell();
    block_on(async {
        s.view(&view("/", false), 1_000).await.expect("served");
        s.core().store().next_fault.set(Fault::FailBeforeCommit);
        let refused = s
            .control(&control(ControlAction::Suspend(true)), &wctx(2_000))
            .await
            .expect_err("not confirmed");
        assert_eq!(refused.status, 503);
        assert!(
            s.view(&view("/", false), 2_001).await.is_ok(),
            "still online"
        );
    });
    assert!(
        !s.core()
            .store()
            .content
            .borrow()
            .as_ref()
            .expect("tenant")
            .tenant
            .suspended
    );
    assert!(
        !s.runtime().errors.borrow().is_empty(),
        "the cause is logged"
    );
}

#[test]
fn readers_over_the_limit_get_a_429_and_a_silent_limiter_lets_them_in() {
    let s = shell();
    s.runtime().tokens.set(Some(2));
    block_on(async {
        assert!(s.view(&view("/", false), 1_000).await.is_ok());
        assert!(s.view(&view("/", false), 1_001).await.is_ok());
        let refused = s.view(&view("/", false), 1_002).await.expect_err("over");
        assert_eq!(refused.status, 429);
        assert_eq!(refused.retry_after, Some(1));
        assert!(refused
            .headers()
            .iter()
            .any(|(h, _)| *h == "ratelimit-policy"));
        s.runtime().limiter_down.set(true);
        assert!(s.view(&view("/", false), 1_003).await.is_ok(), "fail open");
    });
}

#[test]
fn the_reader_lease_is_refilled_in_the_background() {
    let s = shell();
    block_on(async {
        s.view(&view("/", false), 1_000).await.expect("served");
        let asked = s.runtime().takes.get();
        // The first ask leased one token; later views spend leased tokens
        // and ask for the next lease in the background.
        for i in 0..10 {
            s.view(&view("/", false), 1_001 + i).await.expect("served");
            s.runtime().run_tasks().await;
        }
        assert!(s.runtime().takes.get() > asked);
        assert!(s.stats().leased_reader_tokens > 0);
    });
}

#[test]
fn the_edge_keeps_lists_no_later_than_the_next_publish_and_posts_a_minute() {
    let s = shell();
    block_on(async {
        let body = r#"{"title":"Later","markdown":"Soon","status":"scheduled","publish_at":31000}"#;
        let w = s
            .admin(&admin("POST", "/admin/api/posts", body), &rctx(1_000))
            .await;
        assert_eq!(w.reply.expect("reply").status, 201);
        let home = s.view(&view("/", true), 1_000).await.expect("home");
        assert_eq!(home.edge_ttl, Some(30));
        let about = s.view(&view("/about", true), 1_000).await.expect("about");
        assert_eq!(about.edge_ttl, Some(60));
        let bypass = s.view(&view("/about", false), 1_000).await.expect("about");
        assert_eq!(bypass.edge_ttl, None);
    });
    assert_eq!(
        s.runtime().alarm.get(),
        Some(31_000),
        "the alarm publishes it"
    );
}

#[test]
fn a_write_names_only_the_pages_the_edge_holds_for_purging() {
    let s = shell();
    block_on(async {
        // After a start the actor cannot know what the edge holds: the
        // first write names every page it changed.
        let first = s
            .admin(&admin("POST", "/admin/api/posts", POST), &rctx(1_000))
            .await;
        assert!(
            first.purge.contains(&"/blog/hello".to_string()),
            "{:?}",
            first.purge
        );
        // A minute later (the first write's copies have expired everywhere),
        // only the home page has been handed to the edge since.
        s.view(&view("/", true), 61_500)
            .await
            .expect("home at the edge");
        let second = r#"{"title":"Again","markdown":"More","status":"published"}"#;
        let w = s
            .admin(&admin("POST", "/admin/api/posts", second), &rctx(62_000))
            .await;
        assert_eq!(
            w.purge,
            vec!["/".to_string()],
            "the edge held only the home page"
        );
        assert!(w.limit.is_some(), "the write was counted");
    });
}

#[test]
fn views_are_saved_flushed_by_the_alarm_and_restored_when_the_flush_fails() {
    let s = shell();
    block_on(async {
        let w = s
            .admin(&admin("POST", "/admin/api/posts", POST), &rctx(1_000))
            .await;
        assert_eq!(w.reply.expect("reply").status, 201);
        for i in 0..3 {
            s.view(&view("/blog/hello", false), 2_000 + i)
                .await
                .expect("post");
        }
        let edge = EdgeViewsRequest {
            tenant_id: "t_test".into(),
            views: vec![("hello".into(), 4)],
        };
        s.edge_views(&edge, 2_010).await.expect("counted");
        s.runtime().run_tasks().await;
        let saved = s.runtime().views.borrow().clone().expect("saved");
        assert_eq!(saved.total(), 7, "saved to the actor's storage");
        let flush_at = s.runtime().alarm.get().expect("an alarm for the flush");
        assert_eq!(flush_at, 2_000 + FLUSH_AFTER_MS);
        assert_eq!(s.runtime().tenant.borrow().as_deref(), Some("t_test"));

        // The first flush fails: the views stay, and the alarm is set again.
        s.core().store().next_fault.set(Fault::FailBeforeCommit);
        s.alarm(flush_at, "x".into()).await;
        assert_eq!(s.stats().pending_views, 7);
        let retry = s.runtime().alarm.get().expect("retried");
        assert!(retry > flush_at);
        s.alarm(retry, "y".into()).await;
        assert_eq!(s.stats().pending_views, 0);
        assert_eq!(s.runtime().alarm.get(), None, "nothing left to do");
    });
    let content = s.core().store().content.borrow();
    let views: i64 = content.as_ref().expect("tenant").views.values().sum();
    assert_eq!(views, 7, "every view reached D1 once");
}

#[test]
fn a_reload_drops_the_lease_and_rereads_d1() {
    let s = shell();
    block_on(async {
        s.view(&view("/", false), 1_000).await.expect("served");
        s.core()
            .store()
            .content
            .borrow_mut()
            .as_mut()
            .expect("tenant")
            .tenant
            .plan = crate::limits::policy::Plan::Paid;
        s.control(&control(ControlAction::Reload), &wctx(2_000))
            .await
            .expect("confirmed");
        assert_eq!(s.stats().leased_reader_tokens, 0);
        let plan = s
            .core()
            .meta("t_test", 2_001)
            .await
            .expect("meta")
            .expect("tenant")
            .plan;
        assert_eq!(plan, crate::limits::policy::Plan::Paid);
    });
}

#[test]
fn messages_for_another_tenant_find_no_blog() {
    let s = shell();
    block_on(async {
        let mut other = view("/", false);
        other.tenant_id = "t_other".into();
        assert_eq!(s.view(&other, 1_000).await.expect_err("none").status, 404);
        let mut c = control(ControlAction::Suspend(true));
        c.tenant_id = "t_other".into();
        assert_eq!(
            s.control(&c, &wctx(1_000)).await.expect_err("none").status,
            404
        );
    });
}

/// The router may die after the actor committed a write but before it
/// purged the edge: the next admin request, even a GET after a restart,
/// hands the write's paths over again, until the edge TTL has passed.
#[test]
fn a_purge_the_router_never_carried_out_is_handed_over_again() {
    let s = shell();
    let paths = block_on(async {
        let w = s
            .admin(&admin("POST", "/admin/api/posts", POST), &rctx(1_000))
            .await;
        assert!(w.purge.contains(&"/blog/hello".to_string()));
        w.purge
    });
    let s = restart(s);
    block_on(async {
        let later = s
            .admin(&admin("GET", "/admin/api/posts", ""), &rctx(30_000))
            .await;
        assert_eq!(later.purge, paths, "handed over again after the restart");
        let expired = s
            .admin(&admin("GET", "/admin/api/posts", ""), &rctx(61_001))
            .await;
        assert!(expired.purge.is_empty(), "{:?}", expired.purge);
    });
}

#[test]
fn an_answer_that_changes_which_hosts_serve_names_them_for_the_router() {
    use crate::domains::dns::RecordType;
    use crate::protocol::HostKey;
    let mut c = content();
    c.tenant.plan = crate::limits::policy::Plan::Paid;
    let core = TenantCore::new(MemoryStore::with(c), MemoryPageStore::default());
    let s = Rc::new(TenantShell::new(core, FakeRuntime::default(), true));
    let now = 2_000_000_000_000;
    let body = r#"{"host":"blog.example.com"}"#;
    let added = block_on(s.admin(&admin("POST", "/admin/api/domains", body), &rctx(now)));
    assert!(added.hosts.is_empty(), "a pending domain serves nothing");
    let dns = &s.core().store().domain_book.dns;
    let token = s
        .core()
        .store()
        .content
        .borrow()
        .as_ref()
        .and_then(|c| c.domains.get("blog.example.com").map(|d| d.token.clone()))
        .expect("the domain's token");
    dns.set("_grove-challenge.blog.example.com", RecordType::Txt, &token);
    dns.set("blog.example.com", RecordType::Cname, "domains.grove.place");
    let check = admin("POST", "/admin/api/domains/blog.example.com/check", "");
    let verified = block_on(s.admin(&check, &rctx(now + 1)));
    assert_eq!(
        verified.hosts,
        vec![HostKey::Domain("blog.example.com".into())]
    );
    // The edge holds a page: moving the primary purges it (its canonical link changes).
    block_on(s.view(&view("/about", true), now + 1)).expect("the page");
    let primary = admin(
        "PUT",
        "/admin/api/domains/primary",
        r#"{"host":"blog.example.com"}"#,
    );
    let moved = block_on(s.admin(&primary, &rctx(now + 2)));
    assert_eq!(
        moved.hosts.len(),
        2,
        "the subdomain and the domain: {:?}",
        moved.hosts
    );
    assert!(
        moved.purge.contains(&"/about".to_string()),
        "every page names the new canonical origin"
    );
}

#[test]
fn an_admin_answer_carries_its_redirect_purge_and_hosts_on_the_wire() {
    use crate::admin_http::reply::Reply;
    use crate::protocol::{HostKey, HOSTS_HEADER, PURGE_HEADER, REDIRECT_HEADER};
    let answer = AdminAnswer {
        reply: Ok(Reply::see_other("/admin/plan?notice=downgraded")),
        format: crate::problem::Format::Html,
        limit: None,
        purge: vec!["/".into(), "/blog".into()],
        hosts: vec![HostKey::Subdomain("old".into())],
    };
    let wire = answer.wire();
    let header = |name: &str| {
        wire.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(
        wire.status, 200,
        "a redirect travels as a 200 the router turns into a 303"
    );
    assert_eq!(
        header(REDIRECT_HEADER),
        Some("/admin/plan?notice=downgraded")
    );
    assert_eq!(header(PURGE_HEADER), Some("/ /blog"));
    assert_eq!(header(HOSTS_HEADER), Some("sub:old"));
    assert_eq!(header("cache-control"), Some("no-store"));
    let refused = AdminAnswer {
        reply: Err(crate::problem::Problem::over_quota(
            crate::plans::QuotaKind::Pages,
            crate::plans::Plan::Free,
        )),
        format: crate::problem::Format::Json,
        limit: None,
        purge: vec![],
        hosts: vec![],
    };
    let wire = refused.wire();
    assert_eq!(wire.status, 403);
    assert!(wire.body.contains("\"field\":\"pages\""), "{}", wire.body);
    assert!(!wire
        .headers
        .iter()
        .any(|(n, _)| *n == PURGE_HEADER || *n == HOSTS_HEADER));
}
