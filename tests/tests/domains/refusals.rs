//! What is refused before anything is stored: a free blog (the quota),
//! names that are not a custom domain, and everyone but the owner.

use reqwest::Method;
use serde_json::json;

use crate::{fresh_domain, grove, harbor};

#[tokio::test]
async fn a_free_blog_is_told_which_plan_allows_custom_domains() {
    let g = grove();
    let owner = g.sign_up("domfree").await;
    let r = crate::add(&g, &owner, &fresh_domain("free"), false).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let body = r.json();
    assert_eq!(body["error"], "quota_exceeded");
    assert_eq!(body["field"], "custom_domains");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("free plan includes no custom domains"),
        "{message}"
    );
    assert!(message.contains("paid plan allows 3"), "{message}");
    let list = owner
        .api(&g, Method::GET, "/admin/api/domains", None)
        .await
        .json();
    assert_eq!(list["domains"], json!([]));
    assert_eq!(list["quota"]["max"], 0);
    let page = owner.page(&g, "/admin/domains").await;
    assert!(page
        .body
        .contains("The free plan includes no custom domains."));
}

#[tokio::test]
async fn names_that_are_not_a_custom_domain_are_refused_on_their_field() {
    let g = grove();
    let owner = g.sign_up("dombad").await;
    let own = owner.host(&g);
    for (host, alias) in [
        ("", false),
        ("https://example.com/", false),
        ("192.0.2.10", false),
        ("[2001:db8::1]", false),
        ("example.com:8080", false),
        ("no_underscores.example", false),
        ("localhost", false),
        ("blog.localhost", false),
        (g.base_domain.as_str(), false),
        (own.as_str(), false),
        ("blog.example.com", true),
    ] {
        let r = owner
            .api(
                &g,
                Method::POST,
                "/admin/api/domains",
                Some(json!({"host": host, "alias": alias})),
            )
            .await;
        assert_eq!(r.status, 422, "{host}: {}", r.body);
        let body = r.json();
        let field = if alias { "alias" } else { "host" };
        assert_eq!(
            (body["error"].as_str(), body["field"].as_str()),
            (Some("invalid"), Some(field)),
            "{host}"
        );
        assert!(
            body["message"].as_str().is_some_and(|m| m.ends_with('.')),
            "{body}"
        );
    }
    let form = owner
        .form(&g, "/admin/domains", &[("host", "http://example.com")])
        .await;
    assert_eq!(form.status, 422);
    assert!(
        form.body.contains("id=\"host-error\""),
        "the error sits by its field"
    );
    assert!(
        form.body.contains("value=\"http://example.com\""),
        "what was typed comes back"
    );
    let unknown = owner
        .api(
            &g,
            Method::POST,
            "/admin/api/domains",
            Some(json!({"host": "a.example", "owner": "x"})),
        )
        .await;
    assert_eq!(unknown.status, 400);
}

#[tokio::test]
async fn only_the_owner_adds_a_domain() {
    let g = grove();
    let other = g.sign_up("domother").await;
    let (_turn, owner) = harbor(&g).await;
    let host = fresh_domain("notyours");
    let harbor_host = owner.host(&g);
    let api = other
        .api_on(
            &g,
            &harbor_host,
            Method::POST,
            "/admin/api/domains",
            Some(json!({"host": host})),
        )
        .await;
    assert_eq!(api.status, 403, "{}", api.body);
    let form = other
        .form_on(&g, &harbor_host, "/admin/domains", &[("host", &host)])
        .await;
    assert_eq!(form.status, 403);
    let anonymous = g
        .send(
            g.request(Method::POST, &harbor_host, "/admin/api/domains")
                .header("content-type", "application/json")
                .body(json!({"host": host}).to_string()),
        )
        .await;
    assert_eq!(anonymous.status, 401);
    let list = owner
        .api(&g, Method::GET, "/admin/api/domains", None)
        .await
        .json();
    assert!(!list.to_string().contains(&host), "nothing was added");
}

#[tokio::test]
async fn the_local_dns_records_need_the_ops_token() {
    let g = grove();
    let r = g
        .send(
            g.request(Method::PUT, &g.ops_host(), "/dev/dns/x.example")
                .body(r#"{"TXT":["x"]}"#),
        )
        .await;
    assert_eq!(r.status, 401);
    let bad = g
        .ops(
            Method::PUT,
            "/dev/dns/x.example",
            Some(json!({"MX": ["mail.example"]})),
        )
        .await;
    assert_eq!(bad.status, 400);
}
