//! The forgotten-password pages of the auth host: ask for a link, "check
//! your mail" (the same whether or not the address has an account), the
//! new-password form a link opens, and the page for a link that does not
//! work. No JavaScript; every form carries the auth host's CSRF value.

use maud::{html, Markup};

use super::admin::{csrf_input, Field, InputAttrs};
use super::auth::shell;
use crate::accounts::reset::{TokenState, FORGOT_PATH, RESET_PATH};
use crate::auth::password::MIN_PASSWORD_CHARS;

/// `/forgot`: the address to send a link to. `error` is the field's
/// message (not an email address); `notice` a message about the whole
/// form (too many requests).
pub fn forgot_page(email: &str, error: Option<&str>, notice: Option<&str>, csrf: &str) -> Markup {
    let body = html! {
        h1 { "Forgot your password?" }
        @if let Some(message) = notice {
            div class="error-banner" role="alert" { p { (message) } }
        } @else if error.is_some() {
            div class="error-banner" role="alert" { p { "Please correct the field marked below." } }
        }
        p { "Type the email address you sign in with. We will send a link to choose a new password." }
        form method="post" action=(FORGOT_PATH) {
            (csrf_input(csrf))
            (Field::new("email", "Email").error(error).input("email", Some(email), &InputAttrs {
                required: true,
                autocomplete: Some("username"),
                ..InputAttrs::default()
            }))
            button type="submit" { "Send the link" }
        }
        p class="alt" { "Remembered it? " a href="/signin" { "Sign in" } }
    };
    shell("Forgot your password?", body)
}

/// The answer to `/forgot`, the same whether or not `email` has an account.
pub fn forgot_sent_page(email: &str) -> Markup {
    let body = html! {
        h1 { "Check your email" }
        p role="status" {
            "If an account exists for " strong { (email) } ", we sent a link to it. "
            "The link works once, within an hour."
        }
        p { "Nothing arrived after a few minutes? Check the spam folder, or "
            a href=(FORGOT_PATH) { "ask for a new link" } "." }
        p class="alt" { a href="/signin" { "Back to sign in" } }
    };
    shell("Check your email", body)
}

/// `/reset?token=…`: the new password, twice. `errors` are (field,
/// message) pairs shown next to `password` and `password_again`.
pub fn reset_page(token: &str, errors: &[(&str, String)], csrf: &str) -> Markup {
    let error_for = |name: &str| {
        errors
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, m)| m.as_str())
    };
    let hint = format!("at least {MIN_PASSWORD_CHARS} characters");
    let attrs = || InputAttrs {
        required: true,
        autocomplete: Some("new-password"),
        minlength: Some(MIN_PASSWORD_CHARS),
        ..InputAttrs::default()
    };
    let body = html! {
        h1 { "Choose a new password" }
        @if !errors.is_empty() {
            div class="error-banner" role="alert" { p { "Please correct the fields marked below." } }
        }
        form method="post" action=(RESET_PATH) {
            (csrf_input(csrf))
            input type="hidden" name="token" value=(token);
            (Field::new("password", "New password").hint(&hint).error(error_for("password"))
                .input("password", None, &attrs()))
            (Field::new("password_again", "New password, again").error(error_for("password_again"))
                .input("password", None, &attrs()))
            button type="submit" { "Save the new password" }
        }
        p { "Saving it signs you out everywhere else and signs you in here." }
    };
    shell("Choose a new password", body)
}

/// A reset link that does not work (unknown, expired or used), with the
/// way to ask for another. The caller sets the status code.
pub fn reset_link_gone_page(state: TokenState) -> Markup {
    let body = html! {
        h1 { "This link does not work" }
        p { (state.explanation()) }
        p { a href=(FORGOT_PATH) { "Ask for a new link" } }
        p class="alt" { "Know your password? " a href="/signin" { "Sign in" } }
    };
    shell("This link does not work", body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::admin::test_util::assert_csrf_in_every_form;

    #[test]
    fn asking_for_a_link_keeps_what_was_typed_and_marks_the_field() {
        let html = forgot_page(
            "a@b\"><script>",
            Some("That is not an email address."),
            None,
            "c-1",
        )
        .into_string();
        assert!(html.contains("<title>Forgot your password? · Grove</title>"));
        assert!(html.contains("<form method=\"post\" action=\"/forgot\">"));
        assert_csrf_in_every_form(&html, "c-1");
        assert!(html.contains("value=\"a@b&quot;&gt;&lt;script&gt;\""));
        assert!(!html.contains("<script>"));
        assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"email-error\""));
        assert!(html.contains("That is not an email address."));
        assert!(html.contains("href=\"/signin\""));

        let limited =
            forgot_page("a@b.c", None, Some("Too many links asked for."), "c-1").into_string();
        assert!(limited.contains("Too many links asked for."));
        assert!(!limited.contains("aria-invalid=\"true\""));
    }

    #[test]
    fn the_answer_never_says_whether_there_is_an_account() {
        let html = forgot_sent_page("who@example.com").into_string();
        assert!(html.contains(
            "If an account exists for <strong>who@example.com</strong>, we sent a link to it."
        ));
        assert!(html.contains("within an hour"));
        assert!(html.contains("href=\"/forgot\""));
    }

    #[test]
    fn the_new_password_form_carries_the_token_and_shows_errors_by_field() {
        let errors = [(
            "password_again",
            "The two passwords are not the same.".to_string(),
        )];
        let html = reset_page("tok\"en", &errors, "c-2").into_string();
        assert!(html.contains("<form method=\"post\" action=\"/reset\">"));
        assert_csrf_in_every_form(&html, "c-2");
        assert!(html.contains("<input type=\"hidden\" name=\"token\" value=\"tok&quot;en\">"));
        assert!(html.contains("<label for=\"password\">New password</label>"));
        assert!(html.contains("<label for=\"password_again\">New password, again</label>"));
        assert_eq!(html.matches("autocomplete=\"new-password\"").count(), 2);
        assert!(html.contains("<p class=\"field-error\" id=\"password_again-error\">The two passwords are not the same.</p>"));
        assert!(!html.contains("id=\"password-error\""));
        // A password is never put back into the form.
        assert_eq!(html.matches("type=\"password\"").count(), 2);
        assert!(!html.contains("type=\"password\" id=\"password\" name=\"password\" value="));
    }

    #[test]
    fn a_link_that_does_not_work_says_why_and_offers_a_new_one() {
        for state in [TokenState::Unknown, TokenState::Expired, TokenState::Used] {
            let html = reset_link_gone_page(state).into_string();
            assert!(html.contains("<h1>This link does not work</h1>"));
            assert!(html.contains(state.explanation()), "{state:?}");
            assert!(html.contains("<a href=\"/forgot\">Ask for a new link</a>"));
        }
    }
}
