//! The way in, end to end against the real Workers runtime: the home
//! page's links, redirects and list of blogs, blog addresses (the
//! availability API, its rules, held names, sign-up racing for one name),
//! a forgotten password through the local outbox, and, on a platform of
//! the test's own, the production mailer posting to a provider.

// Native test code: std time is fine here (the ban is for wasm32).
#![allow(clippy::disallowed_methods, clippy::expect_used, clippy::unwrap_used)]

mod holds;
mod home;
mod http_mailer;
mod listing;
mod names;
mod race;
mod reset;

use grove_tests::owner::form_csrf;
use grove_tests::owner::urlencode;
use grove_tests::{Grove, Reply};
use reqwest::Method;

pub fn grove() -> Grove {
    Grove::from_env()
}

/// Unix ms now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Asks for a reset link for `email` through the `/forgot` form.
pub async fn ask_reset(g: &Grove, email: &str) -> Reply {
    let (csrf, cookie) = g.auth_form("/forgot").await;
    let req = g
        .request(Method::POST, &g.auth_host(), "/forgot")
        .header("cookie", format!("grove_form_csrf={cookie}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(urlencode(&[("email", email), ("csrf", &csrf)]));
    g.send(req).await
}

/// Opens a reset link; returns the page, its form's CSRF value and the
/// form cookie (when the page is the form).
pub async fn open_link(g: &Grove, link: &str) -> (Reply, Option<(String, String)>) {
    let page = g
        .send(g.request(Method::GET, &g.auth_host(), &g.path_of(link)))
        .await;
    let form = (page.status == 200).then(|| {
        let cookie = page.cookie("grove_form_csrf").expect("form CSRF cookie");
        (form_csrf(&page.body), cookie)
    });
    (page, form)
}

/// Sends the new-password form.
pub async fn send_new_password(
    g: &Grove,
    token: &str,
    (csrf, cookie): &(String, String),
    password: &str,
    again: &str,
) -> Reply {
    let req = g
        .request(Method::POST, &g.auth_host(), "/reset")
        .header("cookie", format!("grove_form_csrf={cookie}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(urlencode(&[
            ("token", token),
            ("password", password),
            ("password_again", again),
            ("csrf", csrf),
        ]));
    g.send(req).await
}

/// The token of a reset link.
pub fn token_of(link: &str) -> String {
    link.split_once("token=")
        .map(|(_, t)| t.to_string())
        .expect("a token in the link")
}

/// An admin page with a session cookie (no CSRF needed for a GET).
pub async fn admin_with(g: &Grove, host: &str, session: &str) -> Reply {
    g.send(
        g.request(Method::GET, host, "/admin")
            .header("cookie", format!("grove_session={session}")),
    )
    .await
}
