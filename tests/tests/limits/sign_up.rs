//! Sign-up limits count accounts created (5 per hour per address), not
//! fixable mistakes; raw submissions have a separate, generous bound.

use grove_tests::owner::unique;
use grove_tests::{seed, Grove};

use crate::grove;

async fn sign_up(g: &Grove, email: &str, password: &str, subdomain: &str) -> grove_tests::Reply {
    g.post_auth_form(
        "/signup",
        &[
            ("email", email),
            ("password", password),
            ("subdomain", subdomain),
            ("site_title", "My blog"),
        ],
    )
    .await
}

#[tokio::test]
async fn five_fixable_mistakes_then_a_successful_sign_up() {
    let g = grove();
    let name = unique("newcomer");
    let email = format!("{name}@example.test");
    let good = "correct horse battery";
    let autumn = &seed::demo().users[0];
    let mistakes: [(&str, &str, &str, u16); 5] = [
        (&email, "short", &name, 422),
        (&email, good, "admin", 422),
        (&email, good, "autumn", 409),
        (&autumn.email, good, &name, 409),
        ("not-an-email", good, &name, 422),
    ];
    for (i, (e, p, s, status)) in mistakes.into_iter().enumerate() {
        let r = sign_up(&g, e, p, s).await;
        assert_eq!(r.status, status, "mistake {i}: {}", r.body);
        assert!(!r.body.contains("Too many"), "mistake {i} is not throttled");
    }
    let r = sign_up(&g, &email, good, &name).await;
    assert_eq!(
        r.status, 303,
        "the corrected form creates the blog: {}",
        r.body
    );
    assert!(r.cookie("grove_session").is_some());
}

#[tokio::test]
async fn the_sixth_blog_from_one_address_in_an_hour_waits() {
    let g = grove();
    for i in 0..5 {
        let name = unique("many");
        let r = sign_up(
            &g,
            &format!("{name}@example.test"),
            "correct horse battery",
            &name,
        )
        .await;
        assert_eq!(r.status, 303, "blog {i}: {}", r.body);
    }
    let name = unique("many");
    let r = sign_up(
        &g,
        &format!("{name}@example.test"),
        "correct horse battery",
        &name,
    )
    .await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r
        .body
        .contains("5 blogs were created from your address in the last hour"));
    assert_eq!(r.header("ratelimit-policy"), Some("\"sign_up\";q=5;w=3600"));
    assert!(r.header("retry-after").is_some());
    assert!(
        r.body.contains(&format!("value=\"{name}\"")),
        "what was typed is kept"
    );
}
