//! Pages of the auth host: sign in, sign up, signed out, and "not your
//! blog". They share the platform's look; none uses JavaScript. The
//! forgotten-password pages are in [`super::password_reset`].

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::admin::{csrf_input, Field, InputAttrs};
use crate::auth::password::MIN_PASSWORD_CHARS;

const PLATFORM_CSS: &str = include_str!("platform.css");
const AUTH_CSS: &str = include_str!("auth.css");

/// What the sign-in and sign-up forms keep of what was typed. The password
/// is never kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthForm {
    pub email: String,
    pub subdomain: String,
    pub site_title: String,
}

pub(super) fn shell(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) " · Grove" }
                style { (PreEscaped(PLATFORM_CSS)) (PreEscaped(AUTH_CSS)) }
            }
            body {
                main class="wrap auth" { (body) }
                footer class="wrap auth" { p { "Grove · blogs at the edge" } }
            }
        }
    }
}

/// `/signin`. `error` is a general message ("That email and password do
/// not match."); the email typed is kept, the password never.
pub fn signin_page(
    form: &AuthForm,
    error: Option<&str>,
    csrf: &str,
    return_to: Option<&str>,
    signup_url: &str,
) -> Markup {
    let body = html! {
        h1 { "Sign in" }
        @if let Some(message) = error {
            div class="error-banner" role="alert" id="signin-error" { p { (message) } }
        }
        form method="post" action="/signin" {
            (csrf_input(csrf))
            @if let Some(to) = return_to { input type="hidden" name="return_to" value=(to); }
            (Field::new("email", "Email").input("email", Some(&form.email), &InputAttrs {
                required: true,
                autocomplete: Some("username"),
                ..InputAttrs::default()
            }))
            (Field::new("password", "Password").input("password", None, &InputAttrs {
                required: true,
                autocomplete: Some("current-password"),
                ..InputAttrs::default()
            }))
            button type="submit" { "Sign in" }
        }
        p class="alt" { a href=(crate::accounts::reset::FORGOT_PATH) { "Forgot password?" } }
        p class="alt" { "No blog yet? " a href=(signup_url) { "Create one" } }
    };
    shell("Sign in", body)
}

/// The sign-up form's fields, in order.
const SIGNUP_FIELDS: [&str; 4] = ["email", "password", "subdomain", "site_title"];

/// `/signup`. `errors` are (field name, message) pairs shown next to their
/// fields; values are kept except the password.
pub fn signup_page(
    form: &AuthForm,
    errors: &[(&str, String)],
    csrf: &str,
    base_domain: &str,
    signin_url: &str,
) -> Markup {
    let error_for = |name: &str| {
        errors
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, m)| m.as_str())
    };
    let marked = errors.iter().any(|(n, _)| SIGNUP_FIELDS.contains(n));
    let stray: Vec<&str> = errors
        .iter()
        .filter(|(n, _)| !SIGNUP_FIELDS.contains(n))
        .map(|(_, m)| m.as_str())
        .collect();
    let password_hint = format!("at least {MIN_PASSWORD_CHARS} characters");
    let subdomain_hint = format!(
        "Your blog's address: NAME.{base_domain}. 3 to 30 lower-case letters, digits and hyphens."
    );
    let body = html! {
        h1 { "Start a blog" }
        @if marked || !stray.is_empty() {
            div class="error-banner" role="alert" {
                @if marked { p { "Please correct the fields marked below." } }
                @for message in &stray { p { (message) } }
            }
        }
        form method="post" action="/signup" {
            (csrf_input(csrf))
            (Field::new("email", "Email").error(error_for("email")).input(
                "email",
                Some(&form.email),
                &InputAttrs { required: true, autocomplete: Some("username"), ..InputAttrs::default() },
            ))
            (Field::new("password", "Password")
                .hint(&password_hint)
                .error(error_for("password"))
                .input("password", None, &InputAttrs {
                    required: true,
                    autocomplete: Some("new-password"),
                    minlength: Some(MIN_PASSWORD_CHARS),
                    ..InputAttrs::default()
                }))
            (Field::new("subdomain", "Blog address")
                .hint(&subdomain_hint)
                .error(error_for("subdomain"))
                .input("text", Some(&form.subdomain), &InputAttrs {
                    required: true,
                    autocomplete: Some("off"),
                    spellcheck: Some("false"),
                    minlength: Some(3),
                    maxlength: Some(30),
                    ..InputAttrs::default()
                }))
            (Field::new("site_title", "Blog title").error(error_for("site_title")).input(
                "text",
                Some(&form.site_title),
                &InputAttrs { required: true, maxlength: Some(100), ..InputAttrs::default() },
            ))
            button type="submit" { "Create blog" }
        }
        p class="alt" { "Already have a blog? " a href=(signin_url) { "Sign in" } }
    };
    shell("Start a blog", body)
}

/// After signing out: the way back to the blog the owner came from (its
/// public page, if the sign-out form named it and it is on this
/// platform), signing in again, and Grove's home.
pub fn signed_out_page(apex_url: &str, blog_url: Option<&str>, signin_url: &str) -> Markup {
    let body = html! {
        h1 { "You are signed out." }
        ul class="ways" {
            @if let Some(blog) = blog_url {
                li { a href=(blog) { "Back to " (host_of(blog)) } }
            }
            li { a href=(signin_url) { "Sign in again" } }
            li { a href=(apex_url) { "Go to Grove's home page" } }
        }
    };
    shell("Signed out", body)
}

/// `autumn.grove.place` from `https://autumn.grove.place/`.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

/// 403: signed in, but the blog belongs to someone else. The caller sets
/// the status code.
pub fn forbidden_page(message: &str, apex_url: &str) -> Markup {
    let body = html! {
        section class="error" {
            p class="status" { "403" }
            h1 { "Not your blog" }
            p { (message) }
            p { a href=(apex_url) { "Go to Grove's home page" } }
        }
    };
    shell("Not your blog", body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::admin::test_util::{assert_csrf_in_every_form, count};

    fn head_ok(html: &str, title: &str) {
        assert!(
            html.starts_with("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"),
            "{html}"
        );
        assert!(html
            .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
        assert!(
            html.contains(&format!("<title>{title} · Grove</title>")),
            "{html}"
        );
        assert!(!html.contains("<script"));
    }

    fn form() -> AuthForm {
        AuthForm {
            email: "autumn@example.com\"><script>".into(),
            subdomain: "autumn".into(),
            site_title: "Autumn <Notes>".into(),
        }
    }

    #[test]
    fn signin_keeps_the_email_never_the_password() {
        let html = signin_page(
            &form(),
            Some("That email and password do not match."),
            "c-1",
            Some("http://autumn.grove.localhost:8787/admin?x=1&y=2"),
            "/signup",
        )
        .into_string();
        head_ok(&html, "Sign in");
        assert!(html.contains("<form method=\"post\" action=\"/signin\">"));
        assert_csrf_in_every_form(&html, "c-1");
        assert!(html.contains(
            "<input type=\"hidden\" name=\"return_to\" value=\"http://autumn.grove.localhost:8787/admin?x=1&amp;y=2\">"
        ));
        assert!(html.contains("role=\"alert\""));
        assert!(html.contains("That email and password do not match."));
        assert!(html.contains(
            "<input type=\"email\" id=\"email\" name=\"email\" value=\"autumn@example.com&quot;&gt;&lt;script&gt;\" required autocomplete=\"username\">"
        ));
        assert!(html.contains(
            "<input type=\"password\" id=\"password\" name=\"password\" required autocomplete=\"current-password\">"
        ));
        assert!(!html.contains("<script>"));
        assert!(
            html.contains("<label for=\"email\">") && html.contains("<label for=\"password\">")
        );
        assert!(html.contains("href=\"/signup\""));
        assert!(html.contains("<a href=\"/forgot\">Forgot password?</a>"));

        let plain = signin_page(&AuthForm::default(), None, "c-1", None, "/signup").into_string();
        assert!(!plain.contains("return_to") && !plain.contains("class=\"error-banner\""));
    }

    #[test]
    fn signup_shows_errors_by_their_fields_and_keeps_values() {
        let errors = [
            (
                "subdomain",
                "that subdomain is reserved by the platform".to_string(),
            ),
            (
                "password",
                "a password needs at least 10 characters".to_string(),
            ),
            ("form", "Too many sign-ups; try again later.".to_string()),
        ];
        let html =
            signup_page(&form(), &errors, "c-2", "grove.localhost:8787", "/signin").into_string();
        head_ok(&html, "Start a blog");
        assert!(html.contains("<form method=\"post\" action=\"/signup\">"));
        assert_csrf_in_every_form(&html, "c-2");
        assert!(html.contains("NAME.grove.localhost:8787"));
        assert!(html.contains("value=\"autumn\""));
        assert!(html.contains("value=\"Autumn &lt;Notes&gt;\""));
        assert!(html.contains(
            "aria-invalid=\"true\" aria-describedby=\"subdomain-error subdomain-hint\"><p class=\"field-error\" id=\"subdomain-error\">that subdomain is reserved by the platform</p>"
        ));
        assert!(html.contains("<p class=\"field-error\" id=\"password-error\">"));
        assert!(html.contains("autocomplete=\"new-password\""));
        assert!(html.contains("at least 10 characters"));
        let password = html.split("id=\"password\"").nth(1).unwrap();
        assert!(!password.split('>').next().unwrap().contains("value="));
        assert!(html.contains("Please correct the fields marked below."));
        assert!(
            html.contains("Too many sign-ups; try again later."),
            "non-field error"
        );
        assert_eq!(count(&html, "aria-invalid=\"true\""), 2);
        assert!(html.contains("href=\"/signin\""));

        let clean =
            signup_page(&AuthForm::default(), &[], "c-2", "grove.place", "/signin").into_string();
        assert!(
            !clean.contains("class=\"error-banner\"") && !clean.contains("aria-invalid=\"true\"")
        );
    }

    #[test]
    fn signed_out_and_forbidden_link_home() {
        let html = signed_out_page("http://grove.localhost:8787/", None, "/signin").into_string();
        head_ok(&html, "Signed out");
        assert!(html.contains("<h1>You are signed out.</h1>"));
        assert!(html.contains("href=\"http://grove.localhost:8787/\""));
        assert!(html.contains("<a href=\"/signin\">Sign in again</a>"));
        assert!(!html.contains("Back to"));

        let html = signed_out_page(
            "http://grove.localhost:8787/",
            Some("http://autumn.grove.localhost:8787/"),
            "/signin?return_to=http%3A%2F%2Fautumn.grove.localhost%3A8787%2Fadmin",
        )
        .into_string();
        assert!(html.contains(
            "<a href=\"http://autumn.grove.localhost:8787/\">Back to autumn.grove.localhost:8787</a>"
        ), "{html}");
        assert!(html.contains(
            "<a href=\"/signin?return_to=http%3A%2F%2Fautumn.grove.localhost%3A8787%2Fadmin\">Sign in again</a>"
        ));

        let html = forbidden_page(
            "This blog belongs to <someone> else.",
            "http://grove.localhost:8787/",
        )
        .into_string();
        head_ok(&html, "Not your blog");
        assert!(html.contains("<p class=\"status\">403</p>"));
        assert!(html.contains("<h1>Not your blog</h1>"));
        assert!(html.contains("This blog belongs to &lt;someone&gt; else."));
        assert!(html.contains("href=\"http://grove.localhost:8787/\""));
    }
}
