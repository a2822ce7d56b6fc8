//! Names held after a rename or deletion (`subdomain_holds`): not
//! available while the hold lasts, free again once it has passed. No API
//! writes holds yet, so the rows are put into the platform's D1 directly.

use grove_tests::owner::unique;
use reqwest::Method;

use crate::{grove, now_ms};

#[tokio::test]
async fn a_held_name_is_refused_and_a_lapsed_hold_frees_it() {
    let g = grove();
    let held = unique("held");
    let lapsed = unique("lapsed");
    let now = now_ms();
    g.sql(&format!(
        "INSERT INTO subdomain_holds (subdomain, tenant_id, reason, held_until) VALUES \
         ('{held}', 't_gone', 'deleted', {}), ('{lapsed}', 't_gone', 'renamed', {})",
        now + 30 * 86_400_000,
        now - 1_000
    ));
    let ask = |name: String| {
        let g = &g;
        async move {
            g.send(g.request(
                Method::GET,
                &g.auth_host(),
                &format!("/api/subdomains/{name}"),
            ))
            .await
            .json()
        }
    };
    let answer = ask(held.clone()).await;
    assert_eq!(answer["available"], false);
    assert_eq!(answer["code"], "held");
    assert!(answer["reason"].as_str().unwrap().contains("held"));
    assert_eq!(ask(held.to_uppercase()).await["code"], "held");
    assert_eq!(ask(lapsed.clone()).await["available"], true);

    // Sign-up says the same, and makes nothing.
    let email = format!("{held}@example.test");
    let refused = g
        .post_auth_form(
            "/signup",
            &[
                ("email", &email),
                ("password", "correct horse battery"),
                ("subdomain", &held),
                ("site_title", "Held"),
            ],
        )
        .await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("id=\"subdomain-error\""));
    assert!(refused.body.contains("is held for now"));
    assert_eq!(
        g.sign_in_reply(&email, "correct horse battery", None)
            .await
            .status,
        401
    );

    // A lapsed hold is swept by the sign-up that takes the name.
    let taken = g
        .post_auth_form(
            "/signup",
            &[
                ("email", &format!("{lapsed}@example.test")),
                ("password", "correct horse battery"),
                ("subdomain", &lapsed),
                ("site_title", "Lapsed"),
            ],
        )
        .await;
    assert_eq!(taken.status, 303, "{}", taken.body);
    assert_eq!(ask(lapsed).await["code"], "taken");
}
