//! Sign-ups racing for one address: exactly one blog, and nothing half-made
//! for the others.

use futures::future::join_all;
use grove_tests::owner::{unique, urlencode};
use grove_tests::Grove;
use reqwest::Method;

use crate::admin_with;

#[tokio::test]
async fn eight_sign_ups_for_one_name_make_exactly_one_blog() {
    let name = unique("race");
    // Each sign-up comes from its own client address, as eight people
    // would (one address may create only five blogs an hour).
    let clients: Vec<Grove> = (0..8).map(|_| Grove::from_env()).collect();
    let forms = join_all(clients.iter().map(|g| g.auth_form("/signup"))).await;
    let emails: Vec<String> = (0..8).map(|i| format!("{name}-{i}@example.test")).collect();
    let sends = clients
        .iter()
        .zip(&forms)
        .zip(&emails)
        .map(|((g, (csrf, cookie)), email)| {
            let body = urlencode(&[
                ("email", email),
                ("password", "correct horse battery"),
                ("subdomain", &name),
                ("site_title", "Raced"),
                ("csrf", csrf),
            ]);
            g.send(
                g.request(Method::POST, &g.auth_host(), "/signup")
                    .header("cookie", format!("grove_form_csrf={cookie}"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body),
            )
        });
    let replies = join_all(sends).await;

    // Locally one isolate serves all eight, so the losers mostly meet the
    // name check after the winner's write; in production, isolates race
    // to D1, where the unique name refuses all but one batch (its error
    // mapped by `SignUpClash`). Either way: one blog, seven 409s.
    let won: Vec<usize> = (0..8).filter(|&i| replies[i].status == 303).collect();
    assert_eq!(
        won.len(),
        1,
        "exactly one sign-up wins: {:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    let winner = won[0];
    let welcome = format!("{}/admin/welcome", clients[0].tenant_origin(&name));
    assert_eq!(replies[winner].header("location"), Some(welcome.as_str()));
    let session = replies[winner]
        .cookie("grove_session")
        .expect("the winner is signed in");
    let g = &clients[0];
    let host = format!("{name}.{}", g.base_domain);
    assert_eq!(
        admin_with(g, &host, &session).await.status,
        200,
        "the blog exists"
    );

    for (i, reply) in replies.iter().enumerate().filter(|(i, _)| *i != winner) {
        assert_eq!(reply.status, 409, "sign-up {i}: {}", reply.body);
        assert!(reply.body.contains("id=\"subdomain-error\""), "sign-up {i}");
        assert!(
            reply.body.contains("That address is taken")
                || reply
                    .body
                    .contains("Someone took that address a moment ago"),
            "sign-up {i} says why: {}",
            reply.body
        );
        assert!(
            reply.body.contains(&format!("value=\"{}\"", emails[i])),
            "the form comes back"
        );
        assert!(reply.cookie("grove_session").is_none());
        // No account was half-made: the email has no password.
        let signin = clients[i]
            .sign_in_reply(&emails[i], "correct horse battery", None)
            .await;
        assert_eq!(signin.status, 401, "sign-up {i} left no account");
    }
    // And the winner's account is whole: it signs in to its blog.
    let signin = clients[winner]
        .sign_in_reply(&emails[winner], "correct horse battery", None)
        .await;
    assert_eq!(signin.status, 303);
    assert_eq!(
        signin.header("location"),
        Some(format!("{}/admin", g.tenant_origin(&name)).as_str())
    );
}
