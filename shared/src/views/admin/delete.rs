//! `/admin/{posts,pages}/{id}/delete`: the question asked before deleting.
//! The editor's "Delete" button leads here; only this page's button,
//! which sends `confirm=yes`, deletes.

use maud::{html, Markup};

use super::fields::delete_form;
use super::layout::admin_layout;
use super::AdminChrome;

/// What is about to be deleted.
pub struct DeleteTarget<'a> {
    /// "post" or "page".
    pub kind: &'a str,
    pub id: &'a str,
    pub title: &'a str,
    /// Its public address, when readers can see it now.
    pub public_url: Option<String>,
    pub version: i64,
}

/// The confirmation page: what goes, that it cannot be undone, and a way
/// back to the editor.
pub fn delete_confirmation(chrome: &AdminChrome, target: &DeleteTarget<'_>) -> Markup {
    let kind = target.kind;
    let title = if target.title.trim().is_empty() {
        "(untitled)"
    } else {
        target.title
    };
    let body = html! {
        p {
            "“" strong { (title) } "” will be deleted"
            @if let Some(url) = &target.public_url {
                " and disappear from your blog (" a href=(url) { (url) } ")"
            }
            ". This cannot be undone."
        }
        (delete_form(
            &format!("/admin/{kind}s/{}/delete", target.id),
            &chrome.csrf_token,
            Some(target.version),
            &format!("Delete {kind}"),
            true,
        ))
        p { a href={ "/admin/" (kind) "s/" (target.id) } { "Cancel: keep the " (kind) } }
    };
    admin_layout(chrome, &format!("Delete this {kind}?"), None, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::admin::test_util::{assert_admin_head, assert_csrf_in_every_form, chrome};

    #[test]
    fn asks_before_deleting_and_offers_the_way_back() {
        let target = DeleteTarget {
            kind: "post",
            id: "p1",
            title: "Hello <you>",
            public_url: Some("http://autumn.grove.localhost:8787/blog/hello".into()),
            version: 4,
        };
        let html = delete_confirmation(&chrome(), &target).into_string();
        assert_admin_head(&html, "Delete this post?");
        assert!(html.contains("<h1>Delete this post?</h1>"));
        assert!(html.contains("<strong>Hello &lt;you&gt;</strong>"));
        assert!(html.contains("This cannot be undone."));
        assert!(html.contains("href=\"http://autumn.grove.localhost:8787/blog/hello\""));
        assert!(html.contains("<form method=\"post\" action=\"/admin/posts/p1/delete\""));
        assert!(html.contains("<input type=\"hidden\" name=\"version\" value=\"4\">"));
        assert!(html.contains("<input type=\"hidden\" name=\"confirm\" value=\"yes\">"));
        assert!(html.contains(">Delete post</button>"));
        assert!(html.contains("<a href=\"/admin/posts/p1\">Cancel: keep the post</a>"));
        assert_csrf_in_every_form(&html, "tok-123");

        let draft_page = DeleteTarget {
            kind: "page",
            id: "g1",
            title: " ",
            public_url: None,
            version: 1,
        };
        let html = delete_confirmation(&chrome(), &draft_page).into_string();
        assert!(
            html.contains("<strong>(untitled)</strong>” will be deleted. This cannot be undone.")
        );
        assert!(html.contains("action=\"/admin/pages/g1/delete\""));
    }
}
