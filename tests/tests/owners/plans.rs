//! Plans end to end: quotas enforced exactly by the blog's actor under
//! parallel creates, a downgrade that keeps everything, an owner's upgrade
//! request approved by an operator, and the ops API's plan change (audited).

use std::sync::Arc;

use reqwest::Method;
use serde_json::{json, Value};

use crate::{grove, read};
use grove_tests::owner::Owner;
use grove_tests::Grove;

async fn create_page(g: &Grove, owner: &Owner, slug: &str) -> grove_tests::Reply {
    let body = json!({"title": format!("Page {slug}"), "slug": slug, "markdown": format!("Text of {slug}.")});
    owner
        .api(g, Method::POST, "/admin/api/pages", Some(body))
        .await
}

async fn pages_of(g: &Grove, owner: &Owner) -> usize {
    let list = owner.api(g, Method::GET, "/admin/api/pages", None).await;
    assert_eq!(list.status, 200, "{}", list.body);
    list.json().as_array().map_or(0, Vec::len)
}

async fn ask_plan(g: &Grove, owner: &Owner, body: Value) -> grove_tests::Reply {
    owner
        .api(g, Method::POST, "/admin/api/plan", Some(body))
        .await
}

async fn plan_of(g: &Grove, owner: &Owner) -> Value {
    owner
        .api(g, Method::GET, "/admin/api/plan", None)
        .await
        .json()
}

/// Runs `n` requests at once, each from its own task.
async fn at_once<F, Fut>(n: usize, f: F) -> Vec<grove_tests::Reply>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = grove_tests::Reply> + Send + 'static,
{
    let tasks: Vec<_> = (0..n).map(|i| tokio::spawn(f(i))).collect();
    let mut out = Vec::with_capacity(n);
    for t in tasks {
        out.push(t.await.expect("task finished"));
    }
    out
}

fn assert_over_quota(reply: &grove_tests::Reply, quota: &str, needs: &str) {
    assert_eq!(reply.status, 403, "{}", reply.body);
    let body = reply.json();
    assert_eq!(body["error"], "quota_exceeded", "{body}");
    assert_eq!(body["field"], quota, "{body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&format!("The {needs} plan allows")),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_eight_parallel_page_creates_at_quota_minus_one_exactly_one_succeeds() {
    let g = Arc::new(grove());
    let owner = g.sign_up("pquota").await;
    let start = pages_of(&g, &owner).await;
    for i in start..9 {
        let r = create_page(&g, &owner, &format!("fill-{i}")).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    assert_eq!(pages_of(&g, &owner).await, 9);
    let replies = at_once(8, |i| {
        let (g, owner) = (g.clone(), owner.clone());
        async move { create_page(&g, &owner, &format!("race-{i}")).await }
    })
    .await;
    let created: Vec<_> = replies.iter().filter(|r| r.status == 201).collect();
    assert_eq!(
        created.len(),
        1,
        "{:?}",
        replies
            .iter()
            .map(|r| (r.status, &r.body))
            .collect::<Vec<_>>()
    );
    for r in replies.iter().filter(|r| r.status != 201) {
        assert_over_quota(r, "pages", "paid");
    }
    assert_eq!(pages_of(&g, &owner).await, 10, "the quota holds exactly");
    // The form says the same, on the editor.
    let form = owner
        .form(
            &g,
            "/admin/pages",
            &[
                ("title", "Form page"),
                ("slug", "form-page"),
                ("markdown", "x"),
                ("nav_order", "0"),
            ],
        )
        .await;
    assert_eq!(form.status, 403, "{}", form.body);
    assert!(
        form.body.contains("the most the free plan allows"),
        "{}",
        form.body
    );
    assert!(form.body.contains("Form page"), "what was typed comes back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_parallel_publishes_at_quota_minus_one_exactly_one_goes_live() {
    let g = Arc::new(grove());
    let owner = g.sign_up("postquota").await;
    for i in 0..99 {
        let body = json!({"title": format!("Post {i}"), "markdown": "x", "status": "published"});
        let r = owner
            .api(&g, Method::POST, "/admin/api/posts", Some(body))
            .await;
        assert_eq!(r.status, 201, "post {i}: {}", r.body);
    }
    // Drafts are not counted: one more draft is fine at any count.
    let draft = owner
        .api(
            &g,
            Method::POST,
            "/admin/api/posts",
            Some(json!({"title": "Kept back", "markdown": "x", "status": "draft"})),
        )
        .await;
    assert_eq!(draft.status, 201, "{}", draft.body);
    let replies = at_once(6, |i| {
        let (g, owner) = (g.clone(), owner.clone());
        async move {
            let body =
                json!({"title": format!("Race {i}"), "markdown": "x", "status": "published"});
            owner
                .api(&g, Method::POST, "/admin/api/posts", Some(body))
                .await
        }
    })
    .await;
    assert_eq!(replies.iter().filter(|r| r.status == 201).count(), 1);
    for r in replies.iter().filter(|r| r.status != 201) {
        assert_over_quota(r, "published_posts", "paid");
    }
    let plan = plan_of(&g, &owner).await;
    let posts = plan["quotas"]
        .as_array()
        .and_then(|q| q.iter().find(|q| q["quota"] == "published_posts"))
        .cloned();
    assert_eq!(
        posts,
        Some(json!({"quota": "published_posts", "used": 100, "limit": 100})),
        "{plan}"
    );
}

#[tokio::test]
async fn a_downgrade_keeps_the_content_and_refuses_only_new_content() {
    let g = grove();
    let owner = g.sign_up("downgrade").await;
    let up = g
        .ops(
            Method::PUT,
            &format!("/tenants/{}/plan", owner.tenant_id),
            Some(json!({"plan": "paid"})),
        )
        .await;
    assert_eq!(up.status, 200, "{}", up.body);
    assert_eq!(up.json()["previous"], "free");
    let start = pages_of(&g, &owner).await;
    for i in start..12 {
        let r = create_page(&g, &owner, &format!("kept-{i}")).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    // The owner moves to free from the plan page.
    let page = owner.page(&g, "/admin/plan").await;
    assert!(page.body.contains("value=\"downgrade\""), "{}", page.body);
    let down = owner
        .form(&g, "/admin/plan", &[("action", "downgrade")])
        .await;
    assert_eq!(down.status, 303, "{}", down.body);
    let plan = plan_of(&g, &owner).await;
    assert_eq!(plan["plan"], "free", "{plan}");
    // Nothing was deleted: every page is still there and still served.
    assert_eq!(pages_of(&g, &owner).await, 12);
    let host = owner.host(&g);
    assert_eq!(read(&g, &host, "/kept-11").await.status, 200);
    let page = owner.page(&g, "/admin/plan").await;
    assert!(
        page.body.contains("over: nothing was deleted"),
        "{}",
        page.body
    );
    // New pages are refused until the blog is under the quota again.
    assert_over_quota(&create_page(&g, &owner, "one-more").await, "pages", "paid");
    let list = owner
        .api(&g, Method::GET, "/admin/api/pages", None)
        .await
        .json();
    let ids: Vec<String> = list
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["id"].as_str().map(str::to_string))
        .collect();
    for id in ids.iter().take(3) {
        let r = owner
            .api(&g, Method::DELETE, &format!("/admin/api/pages/{id}"), None)
            .await;
        assert!(r.status < 300, "{} {}", r.status, r.body);
    }
    assert_eq!(pages_of(&g, &owner).await, 9);
    let r = create_page(&g, &owner, "one-more").await;
    assert_eq!(r.status, 201, "{}", r.body);
    // The ops change is in the audit trail.
    let audit = g
        .ops(
            Method::GET,
            &format!("/audit?tenant_id={}", owner.tenant_id),
            None,
        )
        .await
        .json();
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.contains(&"set_plan"), "{audit}");
}

#[tokio::test]
async fn an_upgrade_is_a_request_an_operator_approves() {
    let g = grove();
    let owner = g.sign_up("upgrade").await;
    let asked = ask_plan(&g, &owner, json!({"plan": "paid"})).await;
    assert_eq!(asked.status, 202, "{}", asked.body);
    let request_id = asked.json()["pending"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(!request_id.is_empty(), "{}", asked.body);
    // Asking twice makes one request; the blog is still free.
    let again = ask_plan(&g, &owner, json!({"plan": "paid"})).await;
    assert_eq!(again.json()["pending"]["id"], request_id.as_str());
    let plan = plan_of(&g, &owner).await;
    assert_eq!(
        (plan["plan"].clone(), plan["pending"]["plan"].clone()),
        (json!("free"), json!("paid")),
        "{plan}"
    );
    let page = owner.page(&g, "/admin/plan").await;
    assert!(
        page.body.contains("An operator will review it"),
        "{}",
        page.body
    );
    // Ops sees it pending, and approves it.
    let pending = g.ops(Method::GET, "/plan-requests", None).await.json();
    let mine: Vec<&Value> = pending["requests"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["tenant_id"] == owner.tenant_id.as_str())
        .collect();
    assert_eq!(mine.len(), 1, "{pending}");
    assert_eq!(mine[0]["subdomain"], owner.subdomain.as_str());
    let approved = g
        .ops(
            Method::POST,
            &format!("/plan-requests/{request_id}/approve"),
            None,
        )
        .await;
    assert_eq!(approved.status, 200, "{}", approved.body);
    let plan = plan_of(&g, &owner).await;
    assert_eq!(
        (plan["plan"].clone(), plan["pending"].clone()),
        (json!("paid"), Value::Null),
        "{plan}"
    );
    // Approving again finds nothing pending.
    assert_eq!(
        g.ops(
            Method::POST,
            &format!("/plan-requests/{request_id}/approve"),
            None
        )
        .await
        .status,
        404
    );
    // Paid quotas apply at once: an eleventh page is fine.
    let start = pages_of(&g, &owner).await;
    for i in start..11 {
        assert_eq!(create_page(&g, &owner, &format!("p-{i}")).await.status, 201);
    }
}

#[tokio::test]
async fn a_declined_or_withdrawn_request_changes_nothing() {
    let g = grove();
    let owner = g.sign_up("declined").await;
    let asked = owner
        .form(&g, "/admin/plan", &[("action", "upgrade")])
        .await;
    assert_eq!(asked.status, 303);
    let withdrawn = owner
        .form(&g, "/admin/plan", &[("action", "withdraw")])
        .await;
    assert_eq!(withdrawn.status, 303);
    assert_eq!(plan_of(&g, &owner).await["pending"], Value::Null);
    let asked = ask_plan(&g, &owner, json!({"plan": "paid"})).await;
    let id = asked.json()["pending"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let declined = g
        .ops(Method::POST, &format!("/plan-requests/{id}/decline"), None)
        .await;
    assert_eq!(declined.status, 200, "{}", declined.body);
    let plan = plan_of(&g, &owner).await;
    assert_eq!(
        (plan["plan"].clone(), plan["pending"].clone()),
        (json!("free"), Value::Null)
    );
}

#[tokio::test]
async fn bad_plan_input_is_refused_with_a_field_and_changes_nothing() {
    let g = grove();
    let owner = g.sign_up("badplan").await;
    let r = ask_plan(&g, &owner, json!({"plan": "platinum"})).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["field"], "plan");
    let r = ask_plan(&g, &owner, json!({"tier": "paid"})).await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = g
        .ops(
            Method::PUT,
            &format!("/tenants/{}/plan", owner.tenant_id),
            Some(json!({"plan": "gold"})),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["field"].clone()),
        (422, json!("plan")),
        "{}",
        r.body
    );
    let r = g
        .ops(
            Method::PUT,
            "/tenants/t_nobody/plan",
            Some(json!({"plan": "paid"})),
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(plan_of(&g, &owner).await["plan"], "free");
    // Another owner cannot touch this blog's plan.
    let other = g.sign_up("planthief").await;
    let r = other
        .api_on(
            &g,
            &owner.host(&g),
            Method::POST,
            "/admin/api/plan",
            Some(json!({"plan": "free"})),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
}

#[tokio::test]
async fn the_pricing_page_shows_the_plans_the_platform_enforces() {
    let g = grove();
    let r = g.get(&g.base_domain.clone(), "/pricing").await;
    assert_eq!(r.status, 200);
    for text in [
        "<td>10,000</td>",
        "<td>100 MB (5 MB a file)</td>",
        "takes no payment yet",
    ] {
        assert!(r.body.contains(text), "{text}: {}", r.body);
    }
}
