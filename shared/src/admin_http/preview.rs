//! `POST /admin/preview`: the editor's text as readers would see it.
//!
//! The editor's Preview button posts its form here with
//! `formtarget="_blank"`, so the preview opens in a new tab and the editor
//! (with its unsaved text) stays as it was. The answer is the blog's own
//! post page, rendered by the same view the reader path uses, in the
//! blog's theme, with its navigation, plus a banner that says it is a
//! preview. Nothing is saved, and nothing reaches the edge cache (admin
//! answers are `no-store`). It renders only this tenant's own site: the
//! actor serving it is the tenant's, and the owner was checked.
//!
//! Why a POST answered in a new tab rather than a stored draft behind a
//! GET: a preview of text nobody saved should not be stored anywhere, and
//! the editor's form is never replaced, so it cannot be lost. Reloading
//! the preview tab asks to send the form again, which shows the same text.

use super::reply::Reply;
use crate::admin::content::TenantContent;
use crate::admin::errors::WriteError;
use crate::admin::forms::PostForm;
use crate::admin::input::{normalize_tags, MAX_MARKDOWN_BYTES};
use crate::admin::time_zone::WriterZone;
use crate::model::{Post, PostStatus};
use crate::problem::{Format, Problem};
use crate::slug::slug_from_title;
use crate::views;

/// The banner on top of a preview. Styled inline (the page's CSP allows
/// inline styles, not scripts), so the theme's stylesheet is untouched.
const BANNER: &str = "<div role=\"note\" aria-label=\"Preview\" class=\"grove-preview\" \
     style=\"background:#1d261f;color:#fff;font:600 15px/1.4 system-ui,sans-serif;\
     padding:.6rem 1rem;text-align:center\">\
     Preview: not saved, not published. Close this tab to go back to the editor.</div>";

/// The post the form describes, as it would be published.
fn post_from_form(form: &PostForm, stored: Option<&Post>, zone: &WriterZone, now: i64) -> Post {
    let title = match form.title.trim() {
        "" => "(untitled)".to_string(),
        t => t.to_string(),
    };
    let slug = match form.slug.trim() {
        "" => slug_from_title(&title),
        s => s.to_string(),
    };
    let raw: Vec<String> = form.tags.split(',').map(str::to_string).collect();
    let tags = normalize_tags(&raw, &mut Vec::new());
    let typed = form
        .zone(zone)
        .and_then(|z| z.parse_local(&form.publish_at));
    let kept = stored
        .filter(|p| p.status != PostStatus::Draft)
        .and_then(|p| p.published_at);
    Post {
        id: form.id.clone().unwrap_or_else(|| "preview".into()),
        slug,
        title,
        markdown: form.markdown.clone(),
        status: PostStatus::Published,
        tags,
        published_at: Some(typed.or(kept).unwrap_or(now)),
        updated_at: now,
        version: form.version.unwrap_or(0),
    }
}

/// The preview page of `form` on this tenant's site at `now`.
pub fn preview(content: &TenantContent, form: &PostForm, zone: &WriterZone, now: i64) -> Reply {
    if form.markdown.len() > MAX_MARKDOWN_BYTES {
        let e = WriteError::TooLarge("The body is larger than 1 MiB.".into());
        let p = Problem::new(413, "too_large", "Too large", &e.to_api().message).home("/admin");
        return Reply::problem(&p, Format::Html);
    }
    let stored = form.id.as_deref().and_then(|id| content.post(id));
    let post = post_from_form(form, stored, zone, now);
    let site = content.site(now);
    let page = views::post(&site, &post).into_string();
    Reply {
        status: 200,
        content_type: super::reply::HTML,
        body: mark_as_preview(&page),
        location: None,
    }
}

/// Adds `noindex` and the banner to a rendered page.
fn mark_as_preview(page: &str) -> String {
    let mut out = String::with_capacity(page.len() + BANNER.len() + 64);
    let head_end = page.find("<head>").map(|i| i + "<head>".len());
    let body_end = page
        .find("<body")
        .and_then(|i| page[i..].find('>').map(|j| i + j + 1));
    match (head_end, body_end) {
        (Some(h), Some(b)) if h < b => {
            out.push_str(&page[..h]);
            out.push_str("<meta name=\"robots\" content=\"noindex\">");
            out.push_str(&page[h..b]);
            out.push_str(BANNER);
            out.push_str(&page[b..]);
        }
        _ => out.push_str(page),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::test_fixtures::content;

    fn form(title: &str, markdown: &str) -> PostForm {
        PostForm {
            title: title.into(),
            markdown: markdown.into(),
            tags: "Rust, web dev".into(),
            ..PostForm::default()
        }
    }

    #[test]
    fn a_preview_is_the_readers_post_page_in_the_blogs_theme() {
        let c = content();
        let reply = preview(
            &c,
            &form("Hello <b>", "Some *text*"),
            &WriterZone::utc(),
            1_000,
        );
        assert_eq!(reply.status, 200);
        let html = &reply.body;
        let reader = views::post(
            &c.site(1_000),
            &post_from_form(
                &form("Hello <b>", "Some *text*"),
                None,
                &WriterZone::utc(),
                1_000,
            ),
        )
        .into_string();
        assert_eq!(
            mark_as_preview(&reader),
            *html,
            "the reader's page, marked as a preview"
        );
        assert!(html.contains("<h1>Hello &lt;b&gt;</h1>"));
        assert!(html.contains("<em>text</em>"));
        assert!(html.contains("--accent:"), "the theme's variables");
        assert!(html.contains("class=\"site-header\""), "the blog's header");
        assert!(html.contains("#rust") && html.contains("#web-dev"));
        assert!(html.contains("<head><meta name=\"robots\" content=\"noindex\">"));
        assert!(html.contains("Preview: not saved, not published."));
        assert!(!html.contains("admin-header"), "not the admin's styling");
        assert_eq!(
            html.matches("<script").count(),
            html.matches("<script type=\"application/ld+json\">")
                .count(),
            "no script runs"
        );
    }

    #[test]
    fn an_oversized_body_is_413_and_an_untitled_post_still_previews() {
        let c = content();
        let big = form("x", &"a".repeat(MAX_MARKDOWN_BYTES + 1));
        assert_eq!(preview(&c, &big, &WriterZone::utc(), 1).status, 413);
        let untitled = preview(&c, &form(" ", "text"), &WriterZone::utc(), 1);
        assert_eq!(untitled.status, 200);
        assert!(untitled.body.contains("<h1>(untitled)</h1>"));
    }

    #[test]
    fn the_banner_goes_right_after_the_body_tag() {
        let marked = mark_as_preview(
            "<html><head><title>t</title></head><body class=\"x\"><p>a</p></body></html>",
        );
        assert!(marked.starts_with("<html><head><meta name=\"robots\" content=\"noindex\"><title>"));
        assert!(marked.contains("<body class=\"x\"><div role=\"note\""));
        assert_eq!(mark_as_preview("no page"), "no page");
    }
}
