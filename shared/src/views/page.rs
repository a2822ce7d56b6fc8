//! Standalone pages and the tenant-themed error pages.

use maud::{html, Markup, PreEscaped};

use super::layout::{layout, layout_about, PageMeta};
use crate::discovery::meta::About;
use crate::markdown;
use crate::model::Page;
use crate::site::Site;

/// `/{slug}`: a page such as About.
pub fn page(site: &Site, page: &Page) -> Markup {
    let path = format!("/{}", page.slug);
    let description = markdown::excerpt(&page.markdown, 160);
    let body = html! {
        article class="page" {
            h1 { (page.title) }
            div class="prose" { (PreEscaped(markdown::render(&page.markdown))) }
        }
    };
    layout_about(
        site,
        &PageMeta {
            title: Some(&page.title),
            description: &description,
            path: &path,
        },
        About::Page(page),
        body,
    )
}

/// A 404 or 400 in the tenant's theme.
pub fn site_error(site: &Site, status: u16, title: &str, message: &str) -> Markup {
    let body = html! {
        section class="error" {
            p class="status" { (status) }
            h1 { (title) }
            p { (message) }
            p { a href="/" { "Go to the home page" } " or " a href="/blog" { "browse all posts" } "." }
        }
    };
    layout(
        site,
        &PageMeta {
            title: Some(title),
            description: "",
            path: "/",
        },
        body,
    )
}
