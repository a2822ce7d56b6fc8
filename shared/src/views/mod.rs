//! HTML views (maud). Each returns `Markup`; none does I/O.
//!
//! - `layout`: the themed page shell shared by every tenant page.
//! - `posts`: home, blog list and single post.
//! - `page`: standalone pages and themed error pages.
//! - `platform`: the apex landing page and platform-level errors.
//! - [`admin`]: the owner's admin pages (dashboard, editors, settings).
//! - [`auth`]: the auth host's pages (sign in, sign up, signed out, 403).

pub mod admin;
pub mod auth;
mod layout;
mod page;
mod platform;
mod posts;

pub use page::{page, site_error};
pub use platform::{landing, platform_error, BlogCard};
pub use posts::{blog_list, home, post};

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
        assert!(!html.contains("<script"), "readable without JavaScript");
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

    #[test]
    fn landing_lists_blogs_and_errors_link_home() {
        let cards = vec![super::BlogCard {
            url: "http://autumn.grove.localhost:8787/".into(),
            title: "Autumn <Notes>".into(),
            description: "Leaves".into(),
        }];
        let html = super::landing("http://grove.localhost:8787/", &cards).into_string();
        assert!(
            html.contains(
                "<a href=\"http://autumn.grove.localhost:8787/\">Autumn &lt;Notes&gt;</a>"
            ),
            "{html}"
        );
        let err = super::platform_error(404, "No blog here", "Nothing.", "http://grove.localhost/")
            .into_string();
        assert!(
            err.contains("<title>No blog here · Grove</title>")
                && err.contains("href=\"http://grove.localhost/\"")
        );
    }
}
