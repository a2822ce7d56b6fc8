//! Every reader route of every demo tenant, checked against the seed.

use grove_tests::seed::{self, Tenant};
use grove_tests::Grove;

use crate::{escaped, grove, linked_post_slugs};

fn host(g: &Grove, t: &Tenant) -> String {
    format!("{}.{}", t.subdomain, g.base_domain)
}

/// Asserts the page wears the tenant's theme.
fn assert_themed(t: &Tenant, html: &str) {
    assert!(
        html.contains(&format!("--accent:{}", t.settings.primary_color)),
        "{} accent colour",
        t.subdomain
    );
    assert!(
        html.contains(&format!("<body class=\"theme-{}\">", t.settings.theme)),
        "{} theme class",
        t.subdomain
    );
}

#[tokio::test]
async fn home_shows_the_site_and_its_newest_posts() {
    let g = grove();
    for t in &seed::demo().tenants {
        let r = g.get(&host(&g, t), "/").await;
        assert_eq!(r.status, 200, "{}", t.subdomain);
        assert!(r.body.starts_with("<!DOCTYPE html>"));
        assert!(r.body.contains(&format!(
            "<title>{}</title>",
            escaped(&t.settings.site_title)
        )));
        assert!(r.body.contains(&format!(
            "<meta name=\"description\" content=\"{}\">",
            escaped(&t.settings.site_description)
        )));
        // The canonical address is the blog's primary host.
        let primary = t
            .domains
            .iter()
            .find(|d| d.primary)
            .map_or_else(|| host(&g, t), |d| d.host.clone());
        assert!(r.body.contains(&format!(
            "<link rel=\"canonical\" href=\"{}/\">",
            g.origin(&primary)
        )));
        let newest: Vec<String> = t
            .published()
            .iter()
            .take(5)
            .map(|p| p.slug.clone())
            .collect();
        assert_eq!(
            linked_post_slugs(&r.body),
            newest,
            "{} home lists the five newest posts",
            t.subdomain
        );
        assert!(r.body.contains("href=\"/blog\""));
        assert_themed(t, &r.body);
    }
}

#[tokio::test]
async fn blog_lists_every_published_post_newest_first_across_pages() {
    let g = grove();
    for t in &seed::demo().tenants {
        let mut listed = Vec::new();
        let mut page = 1;
        loop {
            let r = g.get(&host(&g, t), &format!("/blog?page={page}")).await;
            if r.status == 404 {
                break;
            }
            assert_eq!(r.status, 200);
            assert_themed(t, &r.body);
            let slugs = linked_post_slugs(&r.body);
            assert!(
                !slugs.is_empty() && slugs.len() <= 5,
                "page {page} has 1..=5 posts"
            );
            listed.extend(slugs);
            page += 1;
            assert!(page < 10, "pagination must end");
        }
        let expected: Vec<String> = t.published().iter().map(|p| p.slug.clone()).collect();
        assert_eq!(listed, expected, "{}", t.subdomain);
        assert!(page > 2, "{} has more than one page of posts", t.subdomain);
        // Page 1 is also plain /blog, which links to page 2.
        let first = g.get(&host(&g, t), "/blog").await;
        assert!(first.body.contains("href=\"/blog?page=2\""));
    }
}

#[tokio::test]
async fn a_bad_page_number_is_a_400_with_a_message() {
    let g = grove();
    let t = seed::tenant("autumn");
    for q in ["page=abc", "page=0", "page=-2"] {
        let r = g.get(&host(&g, t), &format!("/blog?{q}")).await;
        assert_eq!(r.status, 400, "{q}");
        assert!(r.body.contains("page must be a whole number"), "{q}");
        assert_themed(t, &r.body);
    }
}

#[tokio::test]
async fn every_published_post_renders_its_markdown_in_its_theme() {
    let g = grove();
    for t in &seed::demo().tenants {
        for p in t.published() {
            let r = g.get(&host(&g, t), &format!("/blog/{}", p.slug)).await;
            assert_eq!(r.status, 200, "{}/{}", t.subdomain, p.slug);
            assert!(r.body.contains(&format!(
                "<title>{} · {}</title>",
                escaped(&p.title),
                escaped(&t.settings.site_title)
            )));
            assert!(r.body.contains(&format!("<h1>{}</h1>", escaped(&p.title))));
            assert!(
                r.body.contains(&format!("/blog/{}\">", p.slug)),
                "canonical link"
            );
            assert!(r.body.contains(" min read"), "reading time");
            let md = &p.markdown;
            if md.contains("|--") || md.contains("|:-") {
                assert!(
                    r.body.contains("<table tabindex=\"0\">"),
                    "{} table",
                    p.slug
                );
            }
            if md.contains("```") {
                assert!(
                    r.body.contains("<pre tabindex=\"0\"><code"),
                    "{} code block",
                    p.slug
                );
            }
            if md.contains("[^") {
                assert!(
                    r.body.contains("class=\"footnote-definition\""),
                    "{} footnotes",
                    p.slug
                );
                assert!(
                    r.body.contains("href=\"#fn-"),
                    "{} footnote reference",
                    p.slug
                );
            }
            if md.contains("](media:") {
                // An image from the blog's media library, served from R2.
                let start = r.body.find("<img src=\"/media/").expect("a library image");
                let src = &r.body[start + 10..];
                let src = &src[..src.find('"').unwrap_or(0)];
                let file = g.get(&host(&g, t), src).await;
                assert_eq!(file.status, 200, "{} image {src}", p.slug);
                assert_eq!(file.header("content-type"), Some("image/png"));
            } else if md.contains("![") {
                assert!(r.body.contains("<img src=\"https://"), "{} image", p.slug);
            }
            assert_eq!(
                r.body.matches("<script").count(),
                r.body
                    .matches("<script type=\"application/ld+json\">")
                    .count(),
                "no script on {}, only its JSON-LD data block",
                p.slug
            );
            assert_themed(t, &r.body);
        }
    }
}

#[tokio::test]
async fn rust_code_tables_and_footnotes_render_as_html() {
    let g = grove();
    let t = seed::tenant("autumn");
    let r = g.get(&host(&g, t), "/blog/rust-on-the-edge").await;
    assert_eq!(r.status, 200);
    assert!(r
        .body
        .contains("<h2 id=\"a-handler-in-ten-lines\">A handler in ten lines"));
    assert!(r
        .body
        .contains("<code class=\"language-rust\">async fn fetch"));
    assert!(r
        .body
        .contains("<th style=\"text-align: right\">Time (ms)</th>"));
    assert!(r
        .body
        .contains("<div class=\"footnote-definition\" id=\"fn-salt\">"));
    assert!(r.body.contains("--bg:#fbf7f0"), "paper theme background");
}

/// What axe found on rendered posts, fixed in the Markdown renderer: code
/// blocks and tables that scroll take keyboard focus, heading anchors are
/// named links (nothing focusable is `aria-hidden`), and task checkboxes
/// are labelled.
#[tokio::test]
async fn rendered_posts_carry_accessible_markup() {
    let g = grove();
    let t = seed::tenant("autumn");
    let r = g.get(&host(&g, t), "/blog/rust-on-the-edge").await;
    assert_eq!(r.status, 200);
    let body = &r.body;
    assert!(body.starts_with("<!DOCTYPE html><html lang=\"en\">"));
    assert!(body.contains("<pre tabindex=\"0\"><code class=\"language-rust\">"));
    assert!(body.contains("<table tabindex=\"0\">"));
    assert!(body.contains(
        "<a class=\"anchor\" href=\"#a-handler-in-ten-lines\" aria-label=\"Link to this section: A handler in ten lines\""
    ));
    assert!(!body.contains("aria-hidden"));

    let r = g.get(&host(&g, t), "/blog/slow-cooked-beans").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains(
        "<input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"Done\"> Buy borlotti beans"
    ));
    assert!(r.body.contains(
        "<input type=\"checkbox\" disabled=\"\" aria-label=\"Not done\"> Learn patience"
    ));
    assert_eq!(
        r.body.matches("<input type=\"checkbox\"").count(),
        3,
        "only the task boxes are checkboxes"
    );
    assert_eq!(
        r.body.matches("<input").count(),
        4,
        "the task boxes and the search box"
    );
}

#[tokio::test]
async fn pages_render_and_are_listed_in_the_navigation_in_order() {
    let g = grove();
    for t in &seed::demo().tenants {
        let home = g.get(&host(&g, t), "/").await;
        let mut last = 0;
        for p in &t.pages {
            let link = format!("<a href=\"/{}\">{}</a>", p.slug, escaped(&p.title));
            let at = home
                .body
                .find(&link)
                .unwrap_or_else(|| panic!("nav links {}", p.slug));
            assert!(at > last, "nav order of {}", p.slug);
            last = at;
            let r = g.get(&host(&g, t), &format!("/{}", p.slug)).await;
            assert_eq!(r.status, 200);
            assert!(r.body.contains(&format!("<h1>{}</h1>", escaped(&p.title))));
            let first_words: String = p
                .markdown
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ");
            assert!(r.body.contains(&first_words), "{} body", p.slug);
            assert_themed(t, &r.body);
        }
    }
}

#[tokio::test]
async fn drafts_are_never_visible_to_readers() {
    let g = grove();
    for t in &seed::demo().tenants {
        let drafts = t.drafts();
        assert!(
            !drafts.is_empty(),
            "the seed has a draft for {}",
            t.subdomain
        );
        let mut seen = vec![
            g.get(&host(&g, t), "/").await.body,
            g.get(&host(&g, t), "/blog").await.body,
            g.get(&host(&g, t), "/blog?page=2").await.body,
        ];
        for d in drafts {
            let r = g.get(&host(&g, t), &format!("/blog/{}", d.slug)).await;
            assert_eq!(r.status, 404, "draft {} must be a 404", d.slug);
            seen.push(r.body);
            for body in &seen {
                assert!(!body.contains(&escaped(&d.title)), "draft title leaked");
                assert!(!body.contains("SECRET-"), "draft text leaked");
            }
        }
    }
}

#[tokio::test]
async fn an_unknown_slug_is_a_404_in_the_tenants_theme() {
    let g = grove();
    for t in &seed::demo().tenants {
        for path in [
            "/blog/no-such-post",
            "/no-such-page",
            "/blog/Not_A_Slug",
            "/a/b/c",
        ] {
            let r = g.get(&host(&g, t), path).await;
            assert_eq!(r.status, 404, "{path}");
            assert!(r.body.contains("Page not found"));
            assert!(
                r.body.contains(&escaped(&t.settings.site_title)),
                "404 shows the site"
            );
            assert_themed(t, &r.body);
        }
    }
}
