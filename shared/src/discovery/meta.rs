//! What a reader page's `<head>` tells search engines and link previews:
//! `noindex` when the owner discourages search engines, OpenGraph and
//! Twitter card tags (title, description from the excerpt, the first image
//! as an absolute URL), and on posts a JSON-LD `BlogPosting`.
//!
//! The JSON-LD is a data block (`<script type="application/ld+json">`),
//! which browsers never run: reader pages keep their CSP without
//! `script-src`. `<`, `>` and `&` are escaped in the JSON, so no text of a
//! post can close the element.

use maud::{html, Markup, PreEscaped};
use pulldown_cmark::{Event, Parser, Tag};

use super::w3c_datetime;
use crate::model::{Page, Post};
use crate::site::Site;

/// What a page is about, beyond its title and description.
#[derive(Debug, Clone, Copy)]
pub enum About<'a> {
    /// A list, the home page, an error: the site itself.
    Site,
    Post(&'a Post),
    Page(&'a Page),
}

/// The first image of a Markdown text, as an absolute URL: a path on the
/// blog (`/media/…`) is made absolute against `origin`, an `http(s)` URL is
/// kept, anything else (relative, `data:`) is not used.
pub fn first_image(markdown: &str, origin: &str) -> Option<String> {
    let dest = Parser::new_ext(markdown, crate::markdown::options()).find_map(|e| match e {
        Event::Start(Tag::Image { dest_url, .. }) => Some(dest_url),
        _ => None,
    })?;
    let dest = dest.trim();
    let lower = dest.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        Some(dest.to_string())
    } else if dest.starts_with('/') && !dest.starts_with("//") {
        Some(format!("{origin}{dest}"))
    } else {
        None
    }
}

/// The head block of a page: `title` its own title (the site's for the
/// home page), `description` what the description meta says, `path` its
/// canonical path.
pub fn head(site: &Site, title: &str, description: &str, path: &str, about: About<'_>) -> Markup {
    let settings = &site.info.settings;
    let origin = &site.info.canonical_origin;
    let url = format!("{origin}{path}");
    let image = match about {
        About::Post(p) => first_image(&p.markdown, origin),
        About::Page(p) => first_image(&p.markdown, origin),
        About::Site => None,
    };
    let post = match about {
        About::Post(p) => Some(p),
        _ => None,
    };
    html! {
        @if settings.discourage_search {
            meta name="robots" content="noindex";
        }
        meta property="og:site_name" content=(settings.title);
        meta property="og:type" content=(if post.is_some() { "article" } else { "website" });
        meta property="og:title" content=(title);
        @if !description.is_empty() {
            meta property="og:description" content=(description);
        }
        meta property="og:url" content=(url);
        @if let Some(image) = &image {
            meta property="og:image" content=(image);
        }
        @if let Some(post) = post {
            @if let Some(at) = post.published_at {
                meta property="article:published_time" content=(w3c_datetime(at));
            }
            meta property="article:modified_time" content=(w3c_datetime(post.updated_at));
            @for tag in &post.tags {
                meta property="article:tag" content=(tag);
            }
        }
        meta name="twitter:card" content=(if image.is_some() { "summary_large_image" } else { "summary" });
        meta name="twitter:title" content=(title);
        @if !description.is_empty() {
            meta name="twitter:description" content=(description);
        }
        @if let Some(image) = &image {
            meta name="twitter:image" content=(image);
        }
        @if let Some(post) = post {
            script type="application/ld+json" {
                (PreEscaped(blog_posting(site, post, description, &url, image.as_deref())))
            }
        }
    }
}

/// The JSON-LD `BlogPosting` of a post, safe inside a `<script>` element.
pub fn blog_posting(
    site: &Site,
    post: &Post,
    description: &str,
    url: &str,
    image: Option<&str>,
) -> String {
    let origin = &site.info.canonical_origin;
    let blog = serde_json::json!({
        "@type": "Organization",
        "name": site.info.settings.title,
        "url": format!("{origin}/"),
    });
    let mut ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "url": url,
        "mainEntityOfPage": url,
        "dateModified": w3c_datetime(post.updated_at),
        "author": blog,
        "publisher": blog,
        "isPartOf": {
            "@type": "Blog",
            "name": site.info.settings.title,
            "url": format!("{origin}/"),
        },
    });
    if let Some(obj) = ld.as_object_mut() {
        if !description.is_empty() {
            obj.insert("description".into(), description.into());
        }
        if let Some(at) = post.published_at {
            obj.insert("datePublished".into(), w3c_datetime(at).into());
        }
        if let Some(image) = image {
            obj.insert("image".into(), image.into());
        }
        if !post.tags.is_empty() {
            obj.insert("keywords".into(), post.tags.clone().into());
        }
    }
    crate::tenant_core::json_for_any_context(&ld)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PostStatus;
    use crate::site::ReaderRoute;
    use crate::test_support::{page, post, site_with};

    /// The `content` of the `<meta>` whose attribute `attr` is `name`.
    fn meta_content<'a>(html: &'a str, attr: &str, name: &str) -> Vec<&'a str> {
        let needle = format!("<meta {attr}=\"{name}\" content=\"");
        html.match_indices(&needle)
            .map(|(i, _)| {
                let rest = &html[i + needle.len()..];
                &rest[..rest.find('"').unwrap_or(0)]
            })
            .collect()
    }

    fn ld_json(html: &str) -> serde_json::Value {
        let open = "<script type=\"application/ld+json\">";
        let start = html.find(open).expect("a JSON-LD block") + open.len();
        let end = start + html[start..].find("</script>").expect("closed");
        serde_json::from_str(&html[start..end]).expect("valid JSON")
    }

    #[test]
    fn first_images_are_made_absolute_or_left_out() {
        let o = "https://b.test";
        assert_eq!(
            first_image("Hi\n\n![a](/media/abc.png) ![b](/media/z.png)", o).as_deref(),
            Some("https://b.test/media/abc.png")
        );
        assert_eq!(
            first_image("![x](https://cdn.test/i.jpg \"t\")", o).as_deref(),
            Some("https://cdn.test/i.jpg")
        );
        for none in [
            "no image",
            "![r](relative.png)",
            "![d](data:image/png;base64,AAAA)",
            "![j](javascript:alert(1))",
            "![p](//evil.test/x.png)",
        ] {
            assert_eq!(first_image(none, o), None, "{none}");
        }
    }

    #[test]
    fn a_post_has_opengraph_twitter_and_a_blog_posting() {
        let mut p = post("hello", PostStatus::Published, Some(500));
        p.markdown = "Intro </script><b>bold</b> & more.\n\n![cat](/media/cat.png)".into();
        p.title = "Hello \"world\" </script>".into();
        p.tags = vec!["rust".into(), "web".into()];
        p.updated_at = 2 * 86_400_000;
        let site = site_with(vec![p.clone()], vec![]);
        let html = site.render(&ReaderRoute::Post("hello".into())).html;
        assert_eq!(meta_content(&html, "property", "og:type"), ["article"]);
        assert_eq!(
            meta_content(&html, "property", "og:url"),
            ["https://test.grove.place/blog/hello"]
        );
        assert_eq!(
            meta_content(&html, "property", "og:image"),
            ["https://test.grove.place/media/cat.png"]
        );
        assert_eq!(
            meta_content(&html, "name", "twitter:card"),
            ["summary_large_image"]
        );
        assert_eq!(
            meta_content(&html, "property", "article:tag"),
            ["rust", "web"]
        );
        let description = meta_content(&html, "property", "og:description");
        assert_eq!(description.len(), 1);
        assert!(description[0].starts_with("Intro"));
        assert_eq!(
            meta_content(&html, "name", "twitter:description"),
            description
        );
        assert!(meta_content(&html, "name", "robots").is_empty());
        // The data block: no `<` can end it early, and it parses.
        assert_eq!(html.matches("</script>").count(), 1, "only its own end tag");
        let ld = ld_json(&html);
        assert_eq!(ld["@type"], "BlogPosting");
        assert_eq!(ld["headline"], "Hello \"world\" </script>");
        assert_eq!(ld["url"], "https://test.grove.place/blog/hello");
        assert_eq!(ld["datePublished"], "1970-01-01T00:00:00Z");
        assert_eq!(ld["dateModified"], "1970-01-03T00:00:00Z");
        assert_eq!(ld["image"], "https://test.grove.place/media/cat.png");
        assert_eq!(ld["keywords"], serde_json::json!(["rust", "web"]));
        assert_eq!(ld["author"]["name"], "Test Blog");
    }

    #[test]
    fn other_pages_are_websites_without_json_ld() {
        let site = site_with(
            vec![post("a", PostStatus::Published, Some(1))],
            vec![page("about", 1, true)],
        );
        for route in [
            ReaderRoute::Home,
            ReaderRoute::Blog { page: 1 },
            ReaderRoute::Page("about".into()),
        ] {
            let html = site.render(&route).html;
            assert_eq!(
                meta_content(&html, "property", "og:type"),
                ["website"],
                "{route:?}"
            );
            assert_eq!(meta_content(&html, "name", "twitter:card"), ["summary"]);
            assert!(!html.contains("application/ld+json"));
        }
        let home = site.render(&ReaderRoute::Home).html;
        assert_eq!(meta_content(&home, "property", "og:title"), ["Test Blog"]);
        assert_eq!(
            meta_content(&home, "property", "og:description"),
            ["A blog for tests"]
        );
    }

    #[test]
    fn discouraging_search_engines_marks_every_page_noindex() {
        let mut site = site_with(
            vec![post("a", PostStatus::Published, Some(1))],
            vec![page("about", 1, true)],
        );
        site.info.settings.discourage_search = true;
        for route in [
            ReaderRoute::Home,
            ReaderRoute::Blog { page: 1 },
            ReaderRoute::Post("a".into()),
            ReaderRoute::Page("about".into()),
            ReaderRoute::Tag {
                tag: "notes".into(),
                page: 1,
            },
        ] {
            let html = site.render(&route).html;
            assert_eq!(
                meta_content(&html, "name", "robots"),
                ["noindex"],
                "{route:?}"
            );
        }
        assert!(site.render_not_found().html.contains("content=\"noindex\""));
    }
}
