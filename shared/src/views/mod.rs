//! HTML views (maud). Each returns `Markup`; none does I/O.
//!
//! - `layout`: the themed page shell shared by every tenant page.
//! - `posts`: home, blog list and single post.
//! - `page`: standalone pages and themed error pages.
//! - `platform`: the apex landing page and platform-level errors.
//! - `pricing`: the plans side by side (`/pricing` on the apex).
//! - [`admin`]: the owner's admin pages (dashboard, editors, settings).
//! - [`auth`]: the auth host's pages (sign in, sign up, signed out, 403).
//! - [`password_reset`]: a forgotten password: ask for a link, the new password.
//! - [`dev_outbox`]: the local outbox page (mail Grove would have sent).
//! - [`search`]: a blog's search page.

pub mod admin;
pub mod auth;
pub mod dev_outbox;
mod layout;
mod page;
pub mod password_reset;
mod platform;
mod posts;
mod pricing;
pub mod search;

pub use page::{page, site_error};
pub use platform::{landing, platform_error, BlogCard, Visitor};
pub use posts::{blog_list, home, post, tag_list};
pub use pricing::pricing;

#[cfg(test)]
mod tests {
    use crate::model::PostStatus;
    use crate::site::ReaderRoute;
    use crate::test_support::{page, post, site_with};

    #[test]
    fn post_page_has_the_html5_head_a_reader_and_crawler_need() {
        let mut p = post("hello", PostStatus::Published, Some(100));
        p.markdown = "Intro line for the description.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n".into();
        let site = site_with(vec![p], vec![page("about", 1, true)]);
        let html = site.render(&ReaderRoute::Post("hello".into())).html;
        assert!(
            html.starts_with("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"),
            "{html}"
        );
        assert!(html
            .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
        assert!(html.contains("<title>Title of hello · Test Blog</title>"));
        assert!(html
            .contains("<meta name=\"description\" content=\"Intro line for the description.\">"));
        assert!(
            html.contains("<link rel=\"canonical\" href=\"https://test.grove.place/blog/hello\">")
        );
        assert!(html.contains("<h1>Title of hello</h1>"));
        assert!(html.contains("<table tabindex=\"0\">"));
        assert!(html.contains("--bg:#11151c"), "midnight theme variables");
        assert!(html.contains("<body class=\"theme-midnight\">"));
        assert!(
            html.contains("<a href=\"/about\">Page about</a>"),
            "nav lists pages"
        );
        assert_eq!(
            html.matches("<script").count(),
            html.matches("<script type=\"application/ld+json\">")
                .count(),
            "readable without JavaScript: data blocks only"
        );
    }

    /// The declarations of every rule in `css` whose selector list names
    /// `selector` exactly (rules inside `@media` included).
    fn declarations<'c>(css: &'c str, selector: &str) -> Vec<&'c str> {
        css.split('}')
            .filter_map(|rule| rule.rsplit_once('{'))
            .filter(|(selectors, _)| {
                let selectors = selectors.rsplit('{').next().unwrap_or_default();
                selectors.split(',').any(|s| s.trim() == selector)
            })
            .flat_map(|(_, decls)| decls.split(';').map(str::trim))
            .collect()
    }

    #[test]
    fn long_words_wrap_and_wide_things_scroll_in_their_own_box() {
        // A long link once widened a post to 577 px on a 390 px phone.
        let site = super::layout::SITE_CSS;
        assert!(declarations(site, "body").contains(&"overflow-wrap:anywhere"));
        for (selector, wanted) in [
            (".prose img", "max-width:100%"),
            (".prose pre", "overflow-x:auto"),
            (".prose table", "overflow-x:auto"),
            (".prose table", "display:block"),
            // Cells keep whole words; the table scrolls instead.
            (".prose td", "overflow-wrap:normal"),
            // What scrolls takes focus (the renderer adds `tabindex`), and
            // focus shows.
            (
                ".prose pre:focus-visible",
                "outline:2px solid var(--accent)",
            ),
            (
                ".prose table:focus-visible",
                "outline:2px solid var(--accent)",
            ),
            // Heading anchors show when focused, not only on hover.
            (".prose .anchor:focus", "opacity:1"),
        ] {
            assert!(
                declarations(site, selector).contains(&wanted),
                "{selector} {{{wanted}}} in site.css"
            );
        }
        let platform = super::platform::PLATFORM_CSS;
        assert!(declarations(platform, "body").contains(&"overflow-wrap:anywhere"));
        assert!(declarations(platform, "img").contains(&"max-width:100%"));

        // The pages carry them: reader, platform and auth.
        let post = site_with(vec![post("x", PostStatus::Published, Some(1))], vec![])
            .render(&ReaderRoute::Post("x".into()))
            .html;
        assert!(post.contains(site), "reader pages");
        let landing = super::landing("http://grove.localhost/", &[], &anonymous()).into_string();
        let signin =
            super::auth::signin_page(&Default::default(), None, "c", None, "/signup").into_string();
        for page in [landing, signin] {
            assert!(page.contains(platform), "platform and auth pages");
        }
    }

    #[test]
    fn accent_text_never_sits_on_the_surface_colour() {
        // Accents are checked against the page's background only, so the
        // places with a surface background show links in the text colour.
        let site = super::layout::SITE_CSS;
        assert!(declarations(site, ".skip:focus").contains(&"color:var(--fg)"));
        assert!(declarations(site, ".site-header nav a:hover").contains(&"color:var(--fg)"));
        assert!(declarations(site, ".prose a>code").contains(&"background:none"));
    }

    /// What a validator and assistive technology check on any page: the
    /// language is set, no id appears twice, and every form control a
    /// person can reach is labelled (`aria-label`, or a `<label for>`).
    fn assert_valid_page(html: &str) {
        assert!(
            html.starts_with("<!DOCTYPE html><html lang=\"en\">"),
            "lang: {html}"
        );
        let ids: Vec<&str> = html
            .split(" id=\"")
            .skip(1)
            .filter_map(|rest| rest.split_once('"').map(|(id, _)| id))
            .collect();
        let mut seen = std::collections::HashSet::new();
        for id in &ids {
            assert!(seen.insert(*id), "id {id:?} twice: {html}");
        }
        for control in ["<input", "<textarea", "<select"] {
            for tag in html.split(control).skip(1) {
                let tag = tag.split_once('>').map_or(tag, |(t, _)| t);
                if tag.contains("type=\"hidden\"") || tag.contains("aria-label=\"") {
                    continue;
                }
                let id = tag
                    .split(" id=\"")
                    .nth(1)
                    .and_then(|rest| rest.split_once('"'))
                    .map(|(id, _)| id);
                let labelled = id.is_some_and(|id| html.contains(&format!("<label for=\"{id}\"")));
                assert!(labelled, "unlabelled {control}{tag}> in {html}");
            }
        }
    }

    #[test]
    fn every_page_is_valid_html_with_lang_unique_ids_and_labels() {
        let mut p = post("rich", PostStatus::Published, Some(100));
        p.markdown = concat!(
            "## Recent\n\n## Recent\n\n## Grove content\n\n",
            "- [x] done\n- [ ] to do\n\n```\ncode\n```\n\n| a |\n|---|\n| 1 |\n\n",
            "A note.[^1]\n\n[^1]: The note.\n\n",
            "<span id=\"grove-content\">raw</span> <input type=\"text\">\n",
        )
        .into();
        let mut about = page("about", 1, true);
        about.markdown = "## Recent\n\n- [ ] item\n".into();
        let site = site_with(vec![p], vec![about]);
        for route in [
            ReaderRoute::Home,
            ReaderRoute::Blog { page: 1 },
            ReaderRoute::Post("rich".into()),
            ReaderRoute::Page("about".into()),
            ReaderRoute::Post("missing".into()),
        ] {
            let html = site.render(&route).html;
            assert_valid_page(&html);
        }
        let rich = site.render(&ReaderRoute::Post("rich".into())).html;
        assert_eq!(rich.matches("type=\"checkbox\"").count(), 2, "{rich}");
        assert_eq!(
            rich.matches("<input").count(),
            3,
            "two tasks and the search box"
        );

        let signup_errors = [("email", "Enter an email.".to_string())];
        for html in [
            super::landing("http://grove.localhost/", &[], &anonymous()).into_string(),
            super::platform_error(404, "No blog here", "Nothing.", "http://grove.localhost/")
                .into_string(),
            super::auth::signin_page(&Default::default(), Some("No."), "c", Some("/x"), "/signup")
                .into_string(),
            super::auth::signup_page(
                &Default::default(),
                &signup_errors,
                "c",
                "grove.place",
                "/signin",
            )
            .into_string(),
            super::auth::signed_out_page(
                "http://grove.localhost/",
                Some("http://a.grove.localhost/"),
                "/signin",
            )
            .into_string(),
            super::auth::forbidden_page("Not yours.", "http://grove.localhost/").into_string(),
        ] {
            assert_valid_page(&html);
        }
    }

    #[test]
    fn titles_and_descriptions_are_escaped() {
        let mut p = post("x", PostStatus::Published, Some(1));
        p.title = "<script>alert(1)</script> & \"quotes\"".into();
        let site = site_with(vec![p], vec![]);
        let html = site.render(&ReaderRoute::Post("x".into())).html;
        assert!(!html.contains("<script>alert"));
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"),
            "{html}"
        );
    }

    fn anonymous() -> super::Visitor {
        super::Visitor::Anonymous {
            signup_url: "http://auth.grove.localhost:8787/signup".into(),
            signin_url: "http://auth.grove.localhost:8787/signin".into(),
        }
    }

    #[test]
    fn landing_lists_blogs_and_errors_link_home() {
        let cards = vec![super::BlogCard {
            url: "http://autumn.grove.localhost:8787/".into(),
            title: "Autumn <Notes>".into(),
            description: "Leaves".into(),
        }];
        let html =
            super::landing("http://grove.localhost:8787/", &cards, &anonymous()).into_string();
        assert!(
            html.contains(
                "<a href=\"http://autumn.grove.localhost:8787/\">Autumn &lt;Notes&gt;</a>"
            ),
            "{html}"
        );
        assert!(html.contains(
            "<a class=\"button\" href=\"http://auth.grove.localhost:8787/signup\">Start a blog</a>"
        ));
        assert!(html.contains("<a href=\"http://auth.grove.localhost:8787/signin\">Sign in</a>"));
        assert!(!html.contains("admin"));

        let owner = super::Visitor::Owner {
            admin_url: "http://autumn.grove.localhost:8787/admin".into(),
            blog_url: "http://autumn.grove.localhost:8787/".into(),
            blog_title: "Autumn <Notes>".into(),
        };
        let html = super::landing("http://grove.localhost:8787/", &cards, &owner).into_string();
        assert!(html.contains(
            "<a class=\"button\" href=\"http://autumn.grove.localhost:8787/admin\">Go to your blog&#39;s admin</a>"
        ) || html.contains(
            "<a class=\"button\" href=\"http://autumn.grove.localhost:8787/admin\">Go to your blog's admin</a>"
        ), "{html}");
        assert!(!html.contains("Start a blog") && !html.contains("/signin"));
        let err = super::platform_error(404, "No blog here", "Nothing.", "http://grove.localhost/")
            .into_string();
        assert!(
            err.contains("<title>No blog here · Grove</title>")
                && err.contains("href=\"http://grove.localhost/\"")
        );
    }
}
