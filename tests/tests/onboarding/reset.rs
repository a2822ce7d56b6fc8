//! A forgotten password, end to end through the local outbox: the link,
//! the new password, every old session signed out, the link used once;
//! and the answer that never says whether an address has an account.

use std::time::Duration;

use grove_tests::owner::unique;
use grove_tests::Grove;
use reqwest::Method;

use crate::{admin_with, ask_reset, grove, open_link, send_new_password, token_of};

#[tokio::test]
async fn a_forgotten_password_is_reset_through_the_mailed_link() {
    let g = grove();
    let owner = g.sign_up("forgot").await;
    let other = g
        .sign_in(&owner.email, &owner.password, &owner.subdomain)
        .await;
    let host = owner.host(&g);

    let before = g.mails_to(&owner.email).await.len();
    let asked = ask_reset(&g, &owner.email).await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    assert!(asked.body.contains(&format!(
        "If an account exists for <strong>{}</strong>",
        owner.email
    )));
    let mail = g.next_mail_to(&owner.email, before).await;
    assert_eq!(mail.subject, "Reset your Grove password");
    let auth = g.origin(&g.auth_host());
    let link = mail
        .link(&format!("{auth}/reset?token="))
        .expect("the link in the mail");
    let token = token_of(&link);

    let (page, form) = open_link(&g, &link).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<h1>Choose a new password</h1>"));
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    let form = form.expect("the new-password form");

    // Bad input: the form comes back, errors by field, nothing changes.
    let short = send_new_password(&g, &token, &form, "short", "short").await;
    assert_eq!(short.status, 422);
    assert!(short.body.contains("id=\"password-error\""));
    assert!(short
        .body
        .contains("A password needs at least 10 characters."));
    assert!(short
        .body
        .contains(&format!("name=\"token\" value=\"{token}\"")));
    let differ = send_new_password(
        &g,
        &token,
        &form,
        "a brand new password",
        "a brand new passwort",
    )
    .await;
    assert_eq!(differ.status, 422);
    assert!(differ.body.contains("id=\"password_again-error\""));
    assert_eq!(
        admin_with(&g, &host, &owner.session).await.status,
        200,
        "still signed in"
    );

    let done = send_new_password(
        &g,
        &token,
        &form,
        "a brand new password",
        "a brand new password",
    )
    .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        done.header("location"),
        Some(format!("{}/admin", g.tenant_origin(&owner.subdomain)).as_str())
    );
    let fresh = done.cookie("grove_session").expect("signed in afresh");
    assert_eq!(admin_with(&g, &host, &fresh).await.status, 200);

    // Every older session is signed out: the admin sends them to sign in.
    for old in [&owner.session, &other.session] {
        let r = admin_with(&g, &host, old).await;
        assert_eq!(r.status, 303, "an old session is gone");
        assert!(r
            .header("location")
            .unwrap_or_default()
            .contains("/signin?return_to="));
    }
    // The old password no longer works; the new one does.
    assert_eq!(
        g.sign_in_reply(&owner.email, &owner.password, None)
            .await
            .status,
        401
    );
    assert_eq!(
        g.sign_in_reply(&owner.email, "a brand new password", None)
            .await
            .status,
        303
    );

    // The link works once.
    let again = send_new_password(
        &g,
        &token,
        &form,
        "another new password",
        "another new password",
    )
    .await;
    assert_eq!(again.status, 410);
    assert!(again.body.contains("used already"), "{}", again.body);
    assert!(again.body.contains("href=\"/forgot\""));
    let (reopened, _) = open_link(&g, &link).await;
    assert_eq!(reopened.status, 410);
    assert_eq!(
        g.sign_in_reply(&owner.email, "another new password", None)
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn an_unknown_address_gets_the_same_answer_and_no_mail() {
    let g = grove();
    let owner = g.sign_up("knownaddr").await;
    let nobody = format!("{}@example.test", unique("nobody"));
    let before = g.mails_to(&owner.email).await.len();
    let known = ask_reset(&g, &owner.email).await;
    let unknown = ask_reset(&g, &nobody).await;
    assert_eq!(known.status, 200);
    assert_eq!(unknown.status, 200);
    assert_eq!(
        known.body.replace(&owner.email, "ADDRESS"),
        unknown.body.replace(&nobody, "ADDRESS"),
        "the same page, word for word"
    );
    assert_eq!(known.header("set-cookie"), unknown.header("set-cookie"));
    // The known address's mail arrives; by then the other's would have too.
    g.next_mail_to(&owner.email, before).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        g.mails_to(&nobody).await.is_empty(),
        "no mail for an address without an account"
    );
}

#[tokio::test]
async fn asking_again_replaces_the_older_link() {
    let g = grove();
    let owner = g.sign_up("twice").await;
    let prefix = format!("{}/reset?token=", g.origin(&g.auth_host()));
    let n = g.mails_to(&owner.email).await.len();
    ask_reset(&g, &owner.email).await;
    let first = g.next_mail_to(&owner.email, n).await.link(&prefix).unwrap();
    ask_reset(&g, &owner.email).await;
    let second = g
        .next_mail_to(&owner.email, n + 1)
        .await
        .link(&prefix)
        .unwrap();
    assert_ne!(first, second);
    let (old, _) = open_link(&g, &first).await;
    assert_eq!(old.status, 410);
    assert!(old.body.contains("newer link replaced it"), "{}", old.body);
    let (new, _) = open_link(&g, &second).await;
    assert_eq!(new.status, 200);
}

#[tokio::test]
async fn a_link_that_does_not_work_says_so_and_offers_a_new_one() {
    let g = grove();
    let well_formed = "A".repeat(43);
    for path in [
        "/reset".to_string(),
        "/reset?token=short".to_string(),
        format!("/reset?token={well_formed}"),
    ] {
        let r = g.send(g.request(Method::GET, &g.auth_host(), &path)).await;
        assert_eq!(r.status, 410, "{path}");
        assert!(
            r.body.contains("<h1>This link does not work</h1>"),
            "{path}"
        );
        assert!(
            r.body
                .contains("<a href=\"/forgot\">Ask for a new link</a>"),
            "{path}"
        );
    }
    let (csrf, cookie) = g.auth_form("/forgot").await;
    let r = send_new_password(
        &g,
        &well_formed,
        &(csrf, cookie),
        "a brand new password",
        "a brand new password",
    )
    .await;
    assert_eq!(r.status, 410);
}

#[tokio::test]
async fn the_forgot_form_checks_the_address_and_the_links_are_there() {
    let g = grove();
    let signin = g
        .send(g.request(Method::GET, &g.auth_host(), "/signin"))
        .await;
    assert!(signin
        .body
        .contains("<a href=\"/forgot\">Forgot password?</a>"));
    let bad = ask_reset(&g, "not-an-email").await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("id=\"email-error\""));
    assert!(bad.body.contains("value=\"not-an-email\""));
}

#[tokio::test]
async fn links_are_limited_per_address_and_per_client() {
    // Five links an hour for one address, whoever asks; the sixth waits.
    let nobody = format!("{}@example.test", unique("flood"));
    for i in 0..5 {
        let r = ask_reset(&Grove::from_env(), &nobody).await;
        assert_eq!(r.status, 200, "request {i}");
    }
    let r = ask_reset(&Grove::from_env(), &nobody).await;
    assert_eq!(r.status, 429);
    assert!(r
        .body
        .contains("Too many reset links were asked for this address"));
    assert_eq!(
        r.header("ratelimit-policy"),
        Some("\"password_reset_address\";q=5;w=3600")
    );
    assert!(
        r.body.contains(&format!("value=\"{nobody}\"")),
        "the form comes back"
    );

    // Twenty an hour from one client address, whatever it asks for.
    let g = grove();
    for i in 0..20 {
        let r = ask_reset(&g, &format!("{}@example.test", unique("spread"))).await;
        assert_eq!(r.status, 200, "request {i}");
    }
    let r = ask_reset(&g, &format!("{}@example.test", unique("spread"))).await;
    assert_eq!(r.status, 429);
    assert!(r
        .body
        .contains("Too many reset links were asked for from your address"));
}

#[tokio::test]
async fn an_expired_link_says_so_and_changes_nothing() {
    let g = grove();
    let owner = g.sign_up("expired").await;
    let n = g.mails_to(&owner.email).await.len();
    ask_reset(&g, &owner.email).await;
    let prefix = format!("{}/reset?token=", g.origin(&g.auth_host()));
    let link = g.next_mail_to(&owner.email, n).await.link(&prefix).unwrap();
    // An hour passes (the row's expiry moved into the past).
    g.sql(&format!(
        "UPDATE password_resets SET expires_at = {} WHERE user_id = '{}'",
        crate::now_ms() - 1_000,
        owner_id(&g, &owner).await
    ));
    let (page, _) = open_link(&g, &link).await;
    assert_eq!(page.status, 410);
    assert!(page.body.contains("This link has expired"), "{}", page.body);
    let form = g.auth_form("/forgot").await;
    let r = send_new_password(
        &g,
        &token_of(&link),
        &form,
        "a brand new password",
        "a brand new password",
    )
    .await;
    assert_eq!(r.status, 410);
    assert_eq!(
        g.sign_in_reply(&owner.email, &owner.password, None)
            .await
            .status,
        303,
        "the password is unchanged"
    );
}

/// The owner's user id, from the admin API.
async fn owner_id(g: &Grove, owner: &grove_tests::owner::Owner) -> String {
    let me = owner
        .api(g, Method::GET, "/admin/api/me", None)
        .await
        .json();
    me["user_id"]
        .as_str()
        .expect("user_id in /admin/api/me")
        .to_string()
}
