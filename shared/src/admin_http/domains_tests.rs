//! Custom domains over HTTP, on the in-memory store and resolver: the
//! quota, claims of other blogs, checks, the primary host and what the
//! router is told to forget.

use futures::executor::block_on;
use futures::future::join_all;

use super::reply::Reply;
use super::tests::request;
use super::{handle, RequestCtx};
use crate::admin::store::MemoryStore;
use crate::admin::test_fixtures::{content, OWNER};
use crate::domains::book::{Claim, CLAIM_LAPSES_AFTER_MS};
use crate::domains::dns::RecordType;
use crate::limits::policy::Plan;
use crate::page_store::MemoryPageStore;
use crate::protocol::HostKey;
use crate::tenant_core::TenantCore;

const NOW: i64 = 2_000_000_000_000;
type Core = TenantCore<MemoryStore, MemoryPageStore>;

fn blog(plan: Plan) -> Core {
    let mut c = content();
    c.tenant.plan = plan;
    TenantCore::new(MemoryStore::with(c), MemoryPageStore::default())
}

fn call(core: &Core, method: &str, path: &str, body: &str) -> Reply {
    block_on(handle(
        core,
        &request(OWNER, method, path, body),
        &RequestCtx {
            now: NOW,
            new_id: format!("token{}", core.store().commits.get()),
        },
    ))
}

fn json(reply: &Reply) -> serde_json::Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("JSON: {}", reply.body))
}

fn set_records(core: &Core, host: &str) {
    let token = json(&call(
        core,
        "GET",
        &format!("/admin/api/domains/{host}"),
        "",
    ))["records"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["type"] == "TXT"))
        .and_then(|r| r["value"].as_str())
        .expect("a TXT record to create")
        .to_string();
    let dns = &core.store().domain_book.dns;
    dns.set(&format!("_grove-challenge.{host}"), RecordType::Txt, &token);
    dns.set(host, RecordType::Cname, "domains.grove.place");
}

/// Sends the check form of `host`; where it redirects.
fn check_form(core: &Core, host: &str) -> Option<String> {
    call(
        core,
        "POST",
        &format!("/admin/domains/{host}/check"),
        "csrf=tok",
    )
    .location
}

fn canonical_of_about(core: &Core) -> String {
    let page = block_on(core.view("t_test", "/about", None, NOW))
        .expect("store")
        .expect("page");
    let start = page
        .html
        .find("rel=\"canonical\" href=\"")
        .expect("a canonical link")
        + 22;
    page.html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_free_blog_is_refused_naming_the_quota_and_the_plan_that_allows_more() {
    let core = blog(Plan::Free);
    let r = call(
        &core,
        "POST",
        "/admin/api/domains",
        r#"{"host":"example.com"}"#,
    );
    assert_eq!(r.status, 403, "{}", r.body);
    let body = json(&r);
    assert_eq!(body["error"], "quota_exceeded");
    assert_eq!(body["field"], "custom_domains");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("free plan includes no custom domains"),
        "{message}"
    );
    assert!(message.contains("paid plan allows 3"), "{message}");
    assert_eq!(core.store().commits.get(), 0, "nothing was stored");
    // The form says the same, with what was typed.
    let form = call(&core, "POST", "/admin/domains", "csrf=tok&host=example.com");
    assert_eq!(form.status, 403);
    assert!(form.body.contains("paid plan allows 3"));
    assert!(form.body.contains("value=\"example.com\""));
}

#[test]
fn bad_names_are_refused_field_by_field_and_nothing_is_stored() {
    let core = blog(Plan::Paid);
    for (body, field) in [
        (r#"{"host":""}"#, "host"),
        (r#"{"host":"https://example.com/"}"#, "host"),
        (r#"{"host":"192.0.2.1"}"#, "host"),
        (r#"{"host":"example.com:8080"}"#, "host"),
        (r#"{"host":"autumn.grove.place"}"#, "host"),
        (r#"{"host":"grove.place"}"#, "host"),
        (r#"{"host":"printer.local"}"#, "host"),
        (r#"{"host":"blog.example.com","alias":true}"#, "alias"),
    ] {
        let r = call(&core, "POST", "/admin/api/domains", body);
        assert_eq!(
            (r.status, json(&r)["field"].as_str()),
            (422, Some(field)),
            "{body}: {}",
            r.body
        );
        assert!(json(&r)["message"].as_str().is_some_and(|m| m.len() > 20));
    }
    let unknown = call(
        &core,
        "POST",
        "/admin/api/domains",
        r#"{"host":"a.example","tenant":"x"}"#,
    );
    assert_eq!(unknown.status, 400);
    let form = call(
        &core,
        "POST",
        "/admin/domains",
        "csrf=tok&host=not+a+domain",
    );
    assert_eq!(form.status, 422);
    assert!(
        form.body.contains("id=\"host-error\"") && form.body.contains("value=\"not a domain\"")
    );
    assert_eq!(core.store().commits.get(), 0);
}

#[test]
fn a_domain_goes_pending_then_verified_then_primary_then_away() {
    let core = blog(Plan::Paid);
    let added = call(
        &core,
        "POST",
        "/admin/api/domains",
        r#"{"host":"Example.COM","alias":true}"#,
    );
    assert_eq!(added.status, 201, "{}", added.body);
    let d = json(&added);
    assert_eq!(
        (
            d["host"].as_str(),
            d["status"].as_str(),
            d["alias"].as_str()
        ),
        (
            Some("example.com"),
            Some("pending"),
            Some("www.example.com")
        )
    );
    let records = d["records"].as_array().expect("records");
    assert_eq!(records.len(), 3, "CNAME, TXT and the alias's CNAME");
    assert!(
        core.take_hosts().is_empty(),
        "a pending domain serves nothing"
    );

    let unchecked = json(&call(
        &core,
        "POST",
        "/admin/api/domains/example.com/check",
        "",
    ));
    assert_eq!(unchecked["status"], "pending");
    assert_eq!(unchecked["last_check"]["verdict"], "pending");
    assert!(core.take_hosts().is_empty());

    core.store().domain_book.dns.down.set(true);
    let down = call(&core, "POST", "/admin/api/domains/example.com/check", "");
    assert_eq!(
        down.status, 200,
        "a resolver that does not answer is no 5xx"
    );
    assert_eq!(json(&down)["last_check"]["verdict"], "could_not_check");
    core.store().domain_book.dns.down.set(false);

    set_records(&core, "example.com");
    let verified = json(&call(
        &core,
        "POST",
        "/admin/api/domains/example.com/check",
        "",
    ));
    assert_eq!(verified["status"], "verified", "{verified}");
    assert_eq!(
        core.take_hosts(),
        vec![
            HostKey::Domain("example.com".into()),
            HostKey::Domain("www.example.com".into())
        ]
    );
    assert_eq!(canonical_of_about(&core), "https://test.grove.place/about");

    let primary = call(
        &core,
        "PUT",
        "/admin/api/domains/primary",
        r#"{"host":"example.com"}"#,
    );
    assert_eq!(
        (primary.status, json(&primary)["primary"].as_str()),
        (200, Some("example.com"))
    );
    let keys = core.take_hosts();
    assert!(
        keys.contains(&HostKey::Subdomain("test".into())) && keys.len() == 3,
        "{keys:?}"
    );
    assert_eq!(
        canonical_of_about(&core),
        "https://example.com/about",
        "every page names it"
    );
    assert!(
        core.take_purge().contains(&"/about".to_string()),
        "and every page is purged"
    );

    let removed = call(&core, "DELETE", "/admin/api/domains/example.com", "");
    assert_eq!(removed.status, 200);
    assert_eq!(core.take_hosts().len(), 3);
    assert_eq!(canonical_of_about(&core), "https://test.grove.place/about");
    let list = json(&call(&core, "GET", "/admin/api/domains", ""));
    assert_eq!(list["domains"].as_array().map(Vec::len), Some(0));
    assert_eq!(list["primary"], "test.grove.place");
}

#[test]
fn only_a_verified_domain_can_be_primary_and_the_form_says_so() {
    let core = blog(Plan::Paid);
    call(
        &core,
        "POST",
        "/admin/api/domains",
        r#"{"host":"blog.example.com"}"#,
    );
    let r = call(
        &core,
        "POST",
        "/admin/domains/primary",
        "csrf=tok&primary=blog.example.com",
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("is not a verified domain"), "{}", r.body);
    let api = call(
        &core,
        "PUT",
        "/admin/api/domains/primary",
        r#"{"host":"blog.example.com"}"#,
    );
    assert_eq!(
        (api.status, json(&api)["field"].as_str()),
        (422, Some("primary"))
    );
    let back = call(
        &core,
        "PUT",
        "/admin/api/domains/primary",
        r#"{"host":null}"#,
    );
    assert_eq!(back.status, 200, "the subdomain is always allowed");
}

#[test]
fn another_blogs_claim_is_refused_unless_it_lapsed_unverified() {
    let core = blog(Plan::Paid);
    let book = &core.store().domain_book;
    let other = |verified, age| Claim {
        tenant_id: "t_other".into(),
        verified,
        created_at: NOW - age,
    };
    book.claim_for_other("verified.example", other(true, 100 * CLAIM_LAPSES_AFTER_MS));
    book.claim_for_other("fresh.example", other(false, 1_000));
    book.claim_for_other(
        "lapsed.example",
        other(false, CLAIM_LAPSES_AFTER_MS + 1_000),
    );
    for host in ["verified.example", "fresh.example"] {
        let r = call(
            &core,
            "POST",
            "/admin/api/domains",
            &format!(r#"{{"host":"{host}"}}"#),
        );
        assert_eq!(r.status, 409, "{host}");
        assert_eq!(
            (json(&r)["error"].as_str(), json(&r)["field"].as_str()),
            (Some("domain_taken"), Some("host"))
        );
    }
    let fresh = json(&call(
        &core,
        "POST",
        "/admin/api/domains",
        r#"{"host":"fresh.example"}"#,
    ));
    assert!(
        fresh["message"]
            .as_str()
            .is_some_and(|m| m.contains("lapses")),
        "{fresh}"
    );
    let taken = call(
        &core,
        "POST",
        "/admin/api/domains",
        r#"{"host":"lapsed.example"}"#,
    );
    assert_eq!(taken.status, 201, "{}", taken.body);
    assert!(
        book.others
            .borrow()
            .iter()
            .all(|(h, _)| h != "lapsed.example"),
        "the lapsed claim went"
    );
    let form = call(
        &core,
        "POST",
        "/admin/domains",
        "csrf=tok&host=verified.example",
    );
    assert_eq!(form.status, 409);
    assert!(form.body.contains("already connected to another blog"));
}

#[test]
fn a_claim_taken_over_after_it_lapsed_leaves_this_blog_at_its_next_check() {
    let core = blog(Plan::Paid);
    call(
        &core,
        "POST",
        "/admin/api/domains",
        r#"{"host":"slow.example"}"#,
    );
    // Another blog took the lapsed claim: D1 no longer has this blog's row.
    if let Some(c) = core.store().content.borrow_mut().as_mut() {
        c.domains.list.clear();
    }
    core.store().domain_book.claim_for_other(
        "slow.example",
        Claim {
            tenant_id: "t_other".into(),
            verified: false,
            created_at: NOW,
        },
    );
    let r = call(&core, "POST", "/admin/api/domains/slow.example/check", "");
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(json(&r)["message"]
        .as_str()
        .is_some_and(|m| m.contains("no longer this blog's")));
    let list = json(&call(&core, "GET", "/admin/api/domains", ""));
    assert_eq!(list["domains"].as_array().map(Vec::len), Some(0));
}

#[test]
fn parallel_adds_at_quota_minus_one_let_exactly_one_through() {
    let mut c = content();
    c.tenant.plan = Plan::Paid;
    let core = TenantCore::new(MemoryStore::slow(c, 2), MemoryPageStore::default());
    for host in ["a.example", "b.example"] {
        assert_eq!(
            call(
                &core,
                "POST",
                "/admin/api/domains",
                &format!(r#"{{"host":"{host}"}}"#)
            )
            .status,
            201
        );
    }
    let requests: Vec<_> = (0..8)
        .map(|i| {
            request(
                OWNER,
                "POST",
                "/admin/api/domains",
                &format!(r#"{{"host":"n{i}.example"}}"#),
            )
        })
        .collect();
    let ctx = RequestCtx {
        now: NOW,
        new_id: "tok".into(),
    };
    let replies = block_on(join_all(requests.iter().map(|r| handle(&core, r, &ctx))));
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 403).count(),
        7,
        "{statuses:?}"
    );
    let list = json(&call(&core, "GET", "/admin/api/domains", ""));
    assert_eq!(list["quota"]["used"], 3);
}

#[test]
fn the_page_lists_records_checks_and_the_forms_and_get_of_a_form_target_goes_back() {
    let core = blog(Plan::Paid);
    let added = call(
        &core,
        "POST",
        "/admin/domains",
        "csrf=tok&host=example.com&alias=yes",
    );
    assert_eq!(added.status, 303);
    assert_eq!(
        added.location.as_deref(),
        Some("/admin/domains?notice=added#domain-example.com")
    );
    let page = call(&core, "GET", "/admin/domains", "");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("_grove-challenge.example.com"));
    assert!(page
        .body
        .contains("Also answers on <strong>www.example.com</strong>"));
    assert_eq!(
        check_form(&core, "example.com").as_deref(),
        Some("/admin/domains?notice=pending#domain-example.com")
    );
    set_records(&core, "example.com");
    assert_eq!(
        check_form(&core, "example.com").as_deref(),
        Some("/admin/domains?notice=verified#domain-example.com")
    );
    assert_eq!(
        call(&core, "GET", "/admin/domains/example.com/check", "")
            .location
            .as_deref(),
        Some("/admin/domains")
    );
    let ask = call(&core, "GET", "/admin/domains/example.com/delete", "");
    assert!(ask.body.contains("Remove example.com?"));
    assert_eq!(
        call(&core, "GET", "/admin/domains/nope.example/delete", "").status,
        404
    );
    let gone = call(
        &core,
        "POST",
        "/admin/domains/example.com/delete",
        "csrf=tok&confirm=yes",
    );
    assert_eq!(
        gone.location.as_deref(),
        Some("/admin/domains?notice=removed")
    );
    assert_eq!(call(&core, "PATCH", "/admin/api/domains", "").status, 405);
}

#[test]
fn another_user_is_refused() {
    let core = blog(Plan::Paid);
    let r = block_on(handle(
        &core,
        &request(
            "u_other",
            "POST",
            "/admin/api/domains",
            r#"{"host":"example.com"}"#,
        ),
        &RequestCtx {
            now: NOW,
            new_id: "x".into(),
        },
    ));
    assert_eq!(r.status, 403);
    assert_eq!(core.store().commits.get(), 0);
}
