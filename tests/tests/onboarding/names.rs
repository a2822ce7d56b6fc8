//! Blog addresses: the availability API's answer for each rule, the same
//! rules on the sign-up form, and reserved names that are no blog.

use grove_tests::owner::unique;
use reqwest::Method;
use serde_json::json;

use crate::grove;

#[tokio::test]
async fn the_api_answers_each_rule_with_a_reason_and_a_code() {
    let g = grove();
    let free = unique("free");
    let cases = [
        (
            free.clone(),
            json!({"name": free, "available": true, "reason": null, "code": null}),
        ),
        (
            free.to_uppercase(),
            json!({"name": free, "available": true, "reason": null, "code": null}),
        ),
        (
            "ab".into(),
            json!({"name": "ab", "available": false, "reason": "An address is 3 to 30 characters long.", "code": "length"}),
        ),
        (
            "a".repeat(31),
            json!({"name": "a".repeat(31), "available": false, "reason": "An address is 3 to 30 characters long.", "code": "length"}),
        ),
        (
            "my_blog".into(),
            json!({"name": "my_blog", "available": false, "reason": "An address uses only lower-case letters a to z, digits and hyphens.", "code": "characters"}),
        ),
        (
            "caf%C3%A9s".into(),
            json!({"name": "cafés", "available": false, "reason": "An address uses only lower-case letters a to z, digits and hyphens.", "code": "characters"}),
        ),
        (
            "my--blog".into(),
            json!({"name": "my--blog", "available": false, "reason": "An address cannot start or end with a hyphen, or have two hyphens in a row.", "code": "hyphens"}),
        ),
        (
            "-blog".into(),
            json!({"name": "-blog", "available": false, "reason": "An address cannot start or end with a hyphen, or have two hyphens in a row.", "code": "hyphens"}),
        ),
        (
            "billing".into(),
            json!({"name": "billing", "available": false, "reason": "That address is reserved by Grove.", "code": "reserved"}),
        ),
        (
            "WWW".into(),
            json!({"name": "www", "available": false, "reason": "That address is reserved by Grove.", "code": "reserved"}),
        ),
        (
            "autumn".into(),
            json!({"name": "autumn", "available": false, "reason": "That address is taken. Try another.", "code": "taken"}),
        ),
        (
            "Meadow".into(),
            json!({"name": "meadow", "available": false, "reason": "That address is taken. Try another.", "code": "taken"}),
        ),
    ];
    for (asked, expected) in cases {
        let r = g
            .send(g.request(
                Method::GET,
                &g.auth_host(),
                &format!("/api/subdomains/{asked}"),
            ))
            .await;
        assert_eq!(r.status, 200, "{asked}: {}", r.body);
        assert!(r
            .header("content-type")
            .unwrap_or_default()
            .starts_with("application/json"));
        assert_eq!(r.header("cache-control"), Some("no-store"));
        assert_eq!(r.json(), expected, "{asked}");
    }
}

#[tokio::test]
async fn a_name_taken_by_sign_up_is_taken_at_once() {
    let g = grove();
    let owner = g.sign_up("soon").await;
    let r = g
        .send(g.request(
            Method::GET,
            &g.auth_host(),
            &format!("/api/subdomains/{}", owner.subdomain),
        ))
        .await;
    assert_eq!(r.json()["code"], "taken");
}

#[tokio::test]
async fn the_api_is_read_only_and_names_one_segment() {
    let g = grove();
    let post = g
        .send(g.request(Method::POST, &g.auth_host(), "/api/subdomains/someblog"))
        .await;
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
    assert_eq!(post.json()["error"], "method_not_allowed");
    let deeper = g
        .send(g.request(Method::GET, &g.auth_host(), "/api/subdomains/a/b"))
        .await;
    assert_eq!(deeper.status, 404);
    assert_eq!(deeper.json()["error"], "not_found");
}

#[tokio::test]
async fn sign_up_checks_the_same_rules_and_lower_cases_the_name() {
    let g = grove();
    for (name, words) in [
        ("my--blog", "two hyphens in a row"),
        ("support", "reserved by Grove"),
        ("Autumn", "That address is taken"),
    ] {
        let email = format!("{}@example.test", unique("rules"));
        let r = g
            .post_auth_form(
                "/signup",
                &[
                    ("email", &email),
                    ("password", "correct horse battery"),
                    ("subdomain", name),
                    ("site_title", "Mine"),
                ],
            )
            .await;
        assert!(matches!(r.status, 409 | 422), "{name}: {}", r.status);
        assert!(r.body.contains("id=\"subdomain-error\""), "{name}");
        assert!(r.body.contains(words), "{name}: {}", r.body);
        assert!(
            r.body
                .contains(&format!("value=\"{}\"", name.to_lowercase())),
            "kept, lower-cased"
        );
        assert_eq!(
            g.sign_in_reply(&email, "correct horse battery", None)
                .await
                .status,
            401,
            "no account was made"
        );
    }
    // Upper case is the same address, lower-cased.
    let name = unique("upper");
    let r = g
        .post_auth_form(
            "/signup",
            &[
                ("email", &format!("{name}@example.test")),
                ("password", "correct horse battery"),
                ("subdomain", &name.to_uppercase()),
                ("site_title", "Upper"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some(format!("{}/admin/welcome", g.tenant_origin(&name)).as_str()),
        "a new blog lands on the setup wizard"
    );
}

#[tokio::test]
async fn reserved_names_that_are_not_platform_hosts_are_no_blog() {
    let g = grove();
    for sub in ["billing", "signup", "support", "status", "ns1"] {
        let r = g
            .send(g.request(Method::GET, &format!("{sub}.{}", g.base_domain), "/"))
            .await;
        assert_eq!(r.status, 404, "{sub}");
        assert!(r.body.contains("No blog here"), "{sub}");
    }
}
