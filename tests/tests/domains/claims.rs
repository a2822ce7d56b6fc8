//! A domain another blog holds is refused (409); a claim left unverified
//! for 7 days lapses and may be taken.

use grove_tests::seed;
use reqwest::Method;

use crate::{add, fresh_domain, grove, harbor, remove};

#[tokio::test]
async fn a_domain_verified_or_pending_on_another_blog_is_refused() {
    let g = grove();
    let (_turn, owner) = harbor(&g).await;
    let autumns = seed::tenant("autumn")
        .domains
        .iter()
        .find(|d| d.verified == 1)
        .expect("autumn has a verified domain")
        .host
        .clone();
    let r = add(&g, &owner, &autumns, false).await;
    assert_eq!(r.status, 409, "{}", r.body);
    let body = r.json();
    assert_eq!(
        (body["error"].as_str(), body["field"].as_str()),
        (Some("domain_taken"), Some("host"))
    );
    assert!(body["message"]
        .as_str()
        .unwrap_or_default()
        .contains("already connected to another blog"));

    // Harbor's fresh, unverified claim holds the name against another blog.
    let pending = fresh_domain("claimed");
    assert_eq!(add(&g, &owner, &pending, false).await.status, 201);
    let other = g.sign_up("domclaim").await;
    let r = add(&g, &other, &pending, false).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.json()["message"]
        .as_str()
        .unwrap_or_default()
        .contains("lapses"));
    remove(&g, &owner, &pending).await;
    // Removed, it is free again (the other blog is then stopped by its plan).
    assert_eq!(add(&g, &other, &pending, false).await.status, 403);

    let form = owner
        .form(&g, "/admin/domains", &[("host", &autumns)])
        .await;
    assert_eq!(form.status, 409);
    assert!(form.body.contains("already connected to another blog"));
}

#[tokio::test]
async fn a_claim_left_unverified_for_seven_days_may_be_taken() {
    let g = grove();
    let (_turn, owner) = harbor(&g).await;
    // Meadow added its domain when the demo was seeded (months ago) and
    // never verified it.
    let lapsed = seed::tenant("meadow")
        .domains
        .iter()
        .find(|d| d.verified == 0)
        .expect("meadow has an unverified domain")
        .host
        .clone();
    let r = add(&g, &owner, &lapsed, false).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["status"], "pending");
    // Its old token no longer verifies it: the new claim has its own.
    let token = seed::tenant("meadow").domains[0].token.clone();
    let d = owner
        .api(
            &g,
            Method::GET,
            &format!("/admin/api/domains/{lapsed}"),
            None,
        )
        .await
        .json();
    assert!(!d["records"].to_string().contains(&token));
    remove(&g, &owner, &lapsed).await;
    assert_eq!(crate::read(&g, &lapsed, "/").await.status, 404);
}
