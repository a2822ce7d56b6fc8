//! The blog's address (its subdomain) and the form that renames it: a
//! section of the settings page, and a page of its own
//! (`/admin/settings/address`) that shows a refused rename with what was
//! typed and why.

use maud::{html, Markup};

use super::fields::error_banner;
use super::layout::admin_layout;
use super::{csrf_input, AdminChrome, Field, InputAttrs};
use crate::admin::errors::WriteError;

/// Where the rename form posts.
pub const ADDRESS_PATH: &str = "/admin/settings/address";

/// The blog's subdomain and the rest of its host (`grove.place`, no port),
/// from the admin's `site_url`, which is always the subdomain's origin
/// (the admin is served there).
pub fn current_address(site_url: &str) -> Option<(&str, &str)> {
    let host = site_url.split_once("://")?.1.split('/').next()?;
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    host.split_once('.')
        .filter(|(sub, rest)| !sub.is_empty() && !rest.is_empty())
}

fn form(chrome: &AdminChrome, typed: Option<&str>, error: Option<&WriteError>) -> Markup {
    let (current, base) = current_address(&chrome.site_url).unwrap_or(("", ""));
    let hint = format!("lower-case letters, digits and hyphens; your blog will be at NAME.{base}");
    html! {
        p {
            "Your blog is at " strong { (current) "." (base) } ". "
            "After a change, the old address sends readers (and links) to the new one for 30 days, "
            "and nobody else can take it in that time; you can take it back. "
            "You stay signed in."
        }
        form method="post" action=(ADDRESS_PATH) class="settings" {
            (csrf_input(&chrome.csrf_token))
            (Field::new("subdomain", "New address")
                .hint(&hint)
                .write_error(error)
                .input("text", Some(typed.unwrap_or(current)), &InputAttrs {
                    required: true,
                    minlength: Some(3),
                    maxlength: Some(30),
                    autocomplete: Some("off"),
                    spellcheck: Some("false"),
                    ..InputAttrs::default()
                }))
            div class="actions" {
                button type="submit" { "Change address" }
            }
        }
    }
}

/// The settings page's section.
pub fn address_section(chrome: &AdminChrome) -> Markup {
    html! {
        section aria-labelledby="address-heading" {
            h2 id="address-heading" { "Blog address" }
            (form(chrome, None, None))
        }
    }
}

/// The rename form on a page of its own, with what was typed and why it
/// was refused (or a notice after a rename).
pub fn address_page(
    chrome: &AdminChrome,
    typed: Option<&str>,
    error: Option<&WriteError>,
    notice: Option<&str>,
) -> Markup {
    let body = html! {
        (error_banner(error, &["subdomain"]))
        (form(chrome, typed, error))
        p { a href="/admin/settings" { "Back to Settings" } }
    };
    admin_layout(chrome, "Blog address", notice, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::errors::FieldError;
    use crate::views::admin::test_util::{assert_admin_head, assert_csrf_in_every_form, chrome};

    #[test]
    fn the_address_comes_from_the_admins_own_host() {
        assert_eq!(
            current_address("http://autumn.grove.localhost:8787/"),
            Some(("autumn", "grove.localhost"))
        );
        assert_eq!(
            current_address("https://a-b.grove.place/"),
            Some(("a-b", "grove.place"))
        );
        assert_eq!(current_address("nonsense"), None);
    }

    #[test]
    fn a_refused_name_is_kept_and_its_error_is_next_to_the_field() {
        let error = WriteError::Invalid(vec![FieldError::new(
            "subdomain",
            "That address is taken by another blog. Try another.",
        )]);
        let html = address_page(&chrome(), Some("Taken<x>"), Some(&error), None).into_string();
        assert_admin_head(&html, "Blog address");
        assert_csrf_in_every_form(&html, "tok-123");
        assert!(html.contains("value=\"Taken&lt;x&gt;\""));
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(html.contains("That address is taken by another blog."));
        assert!(html.contains("Your blog is at <strong>autumn.grove.localhost</strong>"));
        let section = address_section(&chrome()).into_string();
        assert!(section.contains("action=\"/admin/settings/address\""));
        assert!(section.contains("value=\"autumn\""));
    }
}
