//! The page shell every tenant page shares: head, header with navigation,
//! footer, and the theme's CSS variables.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::discovery::meta::About;
use crate::site::Site;

/// The base stylesheet; colours and fonts come from the theme's variables.
pub(crate) const SITE_CSS: &str = include_str!("site.css");

/// What a page tells the layout about itself.
pub(crate) struct PageMeta<'a> {
    /// The page's own title (the site title is appended).
    pub title: Option<&'a str>,
    pub description: &'a str,
    /// Canonical path, e.g. `/blog/hello`.
    pub path: &'a str,
}

pub(crate) fn layout(site: &Site, meta: &PageMeta<'_>, body: Markup) -> Markup {
    layout_about(site, meta, About::Site, body)
}

/// [`layout`] of a page about a post or a page (its head meta says so).
pub(crate) fn layout_about(
    site: &Site,
    meta: &PageMeta<'_>,
    about: About<'_>,
    body: Markup,
) -> Markup {
    let settings = &site.info.settings;
    let full_title = match meta.title {
        Some(t) => format!("{t} · {}", settings.title),
        None => settings.title.clone(),
    };
    let description = if meta.description.is_empty() {
        &settings.description
    } else {
        meta.description
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (full_title) }
                @if !description.is_empty() {
                    meta name="description" content=(description);
                }
                link rel="canonical" href={ (site.info.canonical_origin) (meta.path) };
                (crate::discovery::meta::head(site, meta.title.unwrap_or(&settings.title), description, meta.path, about))
                meta name="generator" content="Grove";
                style { (PreEscaped(settings.css_variables())) (PreEscaped(SITE_CSS)) }
            }
            body class={ "theme-" (settings.theme.as_str()) } {
                a class="skip" href="#grove-content" { "Skip to content" }
                header class="site-header" {
                    div class="wrap" {
                        a class="site-title" href="/" { (settings.title) }
                        nav aria-label="Site" {
                            a href="/" { "Home" }
                            a href="/blog" { "Blog" }
                            @for p in site.nav_pages() {
                                a href={ "/" (p.slug) } { (p.title) }
                            }
                        }
                        form class="site-search" role="search" action="/search" method="get" {
                            input type="search" name="q" aria-label="Search this blog" placeholder="Search" maxlength="200";
                            button type="submit" { "Search" }
                        }
                    }
                }
                main id="grove-content" class="wrap" { (body) }
                footer class="site-footer wrap" {
                    p { "© " (settings.title) " · Published with Grove" }
                }
            }
        }
    }
}
