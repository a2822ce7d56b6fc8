//! Platform pages, outside any tenant: the apex landing page and the
//! errors shown when a host names no blog or an actor cannot answer.

use maud::{html, Markup, PreEscaped, DOCTYPE};

pub(crate) const PLATFORM_CSS: &str = include_str!("platform.css");

/// A blog listed on the landing page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlogCard {
    pub url: String,
    pub title: String,
    pub description: String,
}

pub(crate) fn shell(title: &str, canonical: Option<&str>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                meta name="description" content="Grove: fast, simple blogs on your own subdomain or domain.";
                @if let Some(href) = canonical { link rel="canonical" href=(href); }
                style { (PreEscaped(PLATFORM_CSS)) }
            }
            body {
                main class="wrap" { (body) }
                footer class="wrap" { p { "Grove · blogs at the edge" } }
            }
        }
    }
}

/// Who is looking at the home page, and so which way in it offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visitor {
    /// Anyone not signed in: start a blog, or sign in (both on the auth host).
    Anonymous {
        signup_url: String,
        signin_url: String,
    },
    /// A signed-in owner: the way to their blog's admin, and to the blog.
    Owner {
        admin_url: String,
        blog_url: String,
        blog_title: String,
    },
}

/// The apex: what Grove is, the way in, and blogs to read.
pub fn landing(apex_url: &str, blogs: &[BlogCard], visitor: &Visitor) -> Markup {
    let body = html! {
        header class="hero" {
            h1 { "Grove" }
            p class="lead" { "Blogs that load instantly, on your own subdomain or your own domain." }
            @match visitor {
                Visitor::Anonymous { signup_url, signin_url } => {
                    p class="cta" {
                        a class="button" href=(signup_url) { "Start a blog" }
                        span { "Have one? " a href=(signin_url) { "Sign in" } }
                    }
                }
                Visitor::Owner { admin_url, blog_url, blog_title } => {
                    p class="cta" {
                        a class="button" href=(admin_url) { "Go to your blog's admin" }
                        span { "or read " a href=(blog_url) { (blog_title) } }
                    }
                }
            }
        }
        section aria-labelledby="blogs" {
            h2 id="blogs" { "Read a blog" }
            @if blogs.is_empty() { p { "No blogs yet." } }
            ul class="blogs" {
                @for b in blogs {
                    li {
                        a href=(b.url) { (b.title) }
                        @if !b.description.is_empty() { p { (b.description) } }
                    }
                }
            }
        }
    };
    shell("Grove — blogs at the edge", Some(apex_url), body)
}

/// A platform error page (unknown blog, bad Host, unavailable actor).
/// What the error page's one link says, from where it goes: the admin's
/// media library, another admin page, a blog, or Grove's home.
fn back_label(url: &str) -> &'static str {
    let path = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.find('/').map_or("/", |i| &rest[i..]));
    if path.starts_with("/admin/media") {
        "Back to the media library"
    } else if path.starts_with("/admin") {
        "Back to the admin"
    } else if url.starts_with('/') {
        "Go to the home page"
    } else {
        "Go to Grove's home page"
    }
}

pub fn platform_error(status: u16, title: &str, message: &str, apex_url: &str) -> Markup {
    let body = html! {
        section class="error" {
            p class="status" { (status) }
            h1 { (title) }
            p { (message) }
            p { a href=(apex_url) { (back_label(apex_url)) } }
        }
    };
    shell(&format!("{title} · Grove"), None, body)
}

#[cfg(test)]
mod back_link_tests {
    use super::back_label;

    #[test]
    fn the_error_page_says_where_its_link_goes() {
        assert_eq!(
            back_label("http://grove.localhost:8787/"),
            "Go to Grove's home page"
        );
        assert_eq!(
            back_label("http://a.grove.localhost:8787/admin/media"),
            "Back to the media library"
        );
        assert_eq!(back_label("/admin"), "Back to the admin");
        assert_eq!(back_label("/"), "Go to the home page");
    }
}
