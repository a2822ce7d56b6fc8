//! Pending → verified → serving → primary → removed, on the paid blog.

use grove_tests::seed;
use reqwest::Method;
use serde_json::json;

use crate::{add, create_records, grove, harbor, read, target};

#[tokio::test]
async fn a_domain_goes_pending_verified_primary_and_away() {
    let g = grove();
    let (_turn, owner) = harbor(&g).await;
    let sub = owner.host(&g);
    let host = crate::fresh_domain("journey");
    let www = format!("www.{host}");
    let post = seed::tenant("harbor").published()[0].slug.clone();
    let post_path = format!("/blog/{post}");

    // Added: pending, with the records to create.
    let added = add(&g, &owner, &host, true).await;
    assert_eq!(added.status, 201, "{}", added.body);
    let d = added.json();
    assert_eq!(d["status"], "pending");
    assert_eq!(d["alias"], www.as_str());
    let records = d["records"].as_array().expect("records").clone();
    let has = |kind: &str, name: &str, value: Option<&str>| {
        records.iter().any(|r| {
            r["type"] == kind && r["name"] == name && value.is_none_or(|v| r["value"] == v)
        })
    };
    assert!(has("CNAME", &host, Some(&target(&g))), "{records:?}");
    assert!(has("CNAME", &www, Some(&target(&g))));
    let token = records
        .iter()
        .find(|r| r["type"] == "TXT")
        .and_then(|r| r["value"].as_str())
        .expect("a TXT record")
        .to_string();
    assert!(has(
        "TXT",
        &format!("_grove-challenge.{host}"),
        Some(&token)
    ));
    assert!(token.len() >= 32, "a token of its own: {token}");
    let page = owner.page(&g, "/admin/domains").await;
    assert!(page.body.contains(&token), "the page shows the records");
    for h in [&host, &www] {
        let r = read(&g, h, "/").await;
        assert_eq!(r.status, 404, "pending {h} must not serve");
        assert!(r.body.contains("No blog here"));
    }

    // Checked with no records: still pending, and says what is missing.
    let checked = owner
        .api(
            &g,
            Method::POST,
            &format!("/admin/api/domains/{host}/check"),
            None,
        )
        .await;
    assert_eq!(checked.status, 200, "{}", checked.body);
    let checked = checked.json();
    assert_eq!(checked["status"], "pending");
    let messages = checked["last_check"]["records"].to_string();
    assert!(
        messages.contains("No TXT record at _grove-challenge."),
        "{messages}"
    );

    // The records set: verified, and the blog is served there at once.
    create_records(&g, &owner, &host).await;
    let verified = owner
        .api(
            &g,
            Method::POST,
            &format!("/admin/api/domains/{host}/check"),
            None,
        )
        .await
        .json();
    assert_eq!(verified["status"], "verified", "{verified}");
    assert_eq!(verified["last_check"]["verdict"], "verified");
    let home = read(&g, &host, "/").await;
    assert_eq!(home.status, 200);
    assert!(
        home.body.contains("<title>Harbor Log</title>"),
        "{}",
        home.body
    );
    let on_domain = read(&g, &host, &post_path).await;
    assert_eq!(on_domain.status, 200);
    assert!(
        on_domain.body.contains(&format!(
            "<link rel=\"canonical\" href=\"{}{post_path}\">",
            g.origin(&sub)
        )),
        "the subdomain is still the primary address"
    );
    let alias = read(&g, &www, &format!("{post_path}?x=1")).await;
    assert_eq!(alias.status, 301, "the www alias redirects to its domain");
    assert_eq!(
        alias.header("location"),
        Some(format!("{}{post_path}?x=1", g.origin(&host)).as_str())
    );
    let ops = g.ops(Method::GET, "/tenants", None).await.json();
    let listed = ops["tenants"]
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["subdomain"] == "harbor"))
        .map(|t| t["domains"].to_string())
        .unwrap_or_default();
    assert!(
        listed.contains(&format!("\"host\":\"{host}\"")),
        "ops see it: {listed}"
    );

    // Primary: the subdomain's reader pages go there, the admin stays.
    let primary = owner
        .api(
            &g,
            Method::PUT,
            "/admin/api/domains/primary",
            Some(json!({"host": host})),
        )
        .await;
    assert_eq!(primary.status, 200, "{}", primary.body);
    for path in ["/", post_path.as_str(), "/blog?page=1"] {
        let r = read(&g, &sub, path).await;
        assert_eq!(r.status, 301, "{sub}{path}");
        assert_eq!(
            r.header("location"),
            Some(format!("{}{path}", g.origin(&host)).as_str())
        );
    }
    assert_eq!(
        owner.page(&g, "/admin").await.status,
        200,
        "the admin stays on the subdomain"
    );
    let anonymous_admin = read(&g, &sub, "/admin").await;
    assert_ne!(anonymous_admin.status, 301);
    let media = read(&g, &sub, "/media/0123456789abcdef0123456789abcdef.png").await;
    assert_ne!(media.status, 301, "media stay on every host");
    let page = read(&g, &host, &post_path).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(&format!(
            "<link rel=\"canonical\" href=\"{}{post_path}\">",
            g.origin(&host)
        )),
        "canonical links name the primary domain"
    );
    let alias = read(&g, &www, "/").await;
    assert_eq!(
        alias.header("location"),
        Some(format!("{}/", g.origin(&host)).as_str())
    );
    // Kept at the edge on the primary host, like any blog host (a copy
    // fetched within a second of the write's purge is not kept).
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    read(&g, &host, &post_path).await;
    assert_eq!(
        read(&g, &host, &post_path).await.header("x-grove-edge"),
        Some("hit")
    );

    // Removed: "No blog here" there, and the subdomain serves again.
    let removed = owner
        .api(
            &g,
            Method::DELETE,
            &format!("/admin/api/domains/{host}"),
            None,
        )
        .await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    for h in [&host, &www] {
        let r = read(&g, h, &post_path).await;
        assert_eq!(r.status, 404, "{h} after removal");
        assert!(r.body.contains("No blog here"));
    }
    let back = read(&g, &sub, &post_path).await;
    assert_eq!(back.status, 200, "the subdomain serves again");
    assert!(back.body.contains(&format!(
        "<link rel=\"canonical\" href=\"{}{post_path}\">",
        g.origin(&sub)
    )));
    let list = owner
        .api(&g, Method::GET, "/admin/api/domains", None)
        .await
        .json();
    assert_eq!(list["domains"], json!([]));
    assert_eq!(list["primary"], sub.as_str());
}

#[tokio::test]
async fn the_forms_add_check_choose_and_remove_without_javascript() {
    let g = grove();
    let (_turn, owner) = harbor(&g).await;
    let host = crate::fresh_domain("forms");
    let added = owner.form(&g, "/admin/domains", &[("host", &host)]).await;
    assert_eq!(added.status, 303, "{}", added.body);
    let page = owner.page(&g, "/admin/domains?notice=added").await;
    assert!(page.body.contains("Domain added."));
    assert!(page.body.contains(&format!("_grove-challenge.{host}")));
    create_records(&g, &owner, &host).await;
    let checked = owner
        .form(&g, &format!("/admin/domains/{host}/check"), &[])
        .await;
    assert_eq!(
        checked
            .header("location")
            .map(|l| l.starts_with("/admin/domains?notice=verified")),
        Some(true),
        "{:?}",
        checked.header("location")
    );
    let chosen = owner
        .form(&g, "/admin/domains/primary", &[("primary", &host)])
        .await;
    assert_eq!(chosen.status, 303);
    let page = owner.page(&g, "/admin/domains").await;
    assert!(page.body.contains("Primary</span>"), "{}", page.body);
    assert_eq!(read(&g, &owner.host(&g), "/").await.status, 301);
    let ask = owner
        .page(&g, &format!("/admin/domains/{host}/delete"))
        .await;
    assert!(ask.body.contains("becomes the primary again"));
    let gone = owner
        .form(
            &g,
            &format!("/admin/domains/{host}/delete"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(gone.status, 303);
    assert_eq!(read(&g, &owner.host(&g), "/").await.status, 200);
    assert_eq!(read(&g, &host, "/").await.status, 404);
}
