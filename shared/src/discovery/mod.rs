//! Discovery: how search engines, crawlers and link previews find a blog,
//! and how its links keep working.
//!
//! - [`sitemap`] writes `/sitemap.xml` (an index of `/sitemap-N.xml` past 50,000 URLs);
//! - [`robots`] writes `/robots.txt`;
//! - [`meta`] writes the `<head>` block of every reader page (`noindex`,
//!   OpenGraph, Twitter card, JSON-LD `BlogPosting`);
//! - [`old_slugs`] keeps a renamed post's old addresses, which answer 301;
//! - here: the reader routes this part adds, which keys a write renders
//!   again, the owner's "discourage search engines" setting, and
//!   `/blog?tag=X`, which answers 301 to the tag's page `/tags/X`.
//!
//! Sitemaps and robots.txt are reader pages like any other: rendered by
//! the writes that change them, kept by the actor and the edge, and purged
//! with the pages they list. A redirect is a rendered page too (a
//! [`Rendered`] with a location), so the actor answers it from memory.

pub mod meta;
pub mod old_slugs;
pub mod robots;
pub mod sitemap;

use crate::site::{ReaderRoute, Rendered, RouteMiss, Site};
use crate::tags::{is_tag, tag_path};

/// The blog setting that asks search engines not to index the blog
/// (`true` or `false`; anything else, or nothing, is `false`).
pub const DISCOURAGE_SETTING: &str = "discourage_search";

/// Whether a stored value of [`DISCOURAGE_SETTING`] discourages indexing.
pub fn discourages(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.trim() == "true")
}

/// The stored value of [`DISCOURAGE_SETTING`].
pub fn discourage_value(on: bool) -> &'static str {
    if on {
        "true"
    } else {
        "false"
    }
}

/// A time as a W3C datetime / RFC 3339 (`2026-12-01T09:30:00Z`), to the second.
pub fn w3c_datetime(ms: i64) -> String {
    jiff::Timestamp::from_second(ms.div_euclid(1000))
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// The route of a path this part serves (`segments`: the path split at
/// `/`), if it is one of them.
pub fn route(segments: &[&str], query: Option<&str>) -> Option<Result<ReaderRoute, RouteMiss>> {
    match segments {
        ["robots.txt"] => Some(Ok(ReaderRoute::Robots)),
        ["sitemap.xml"] => Some(Ok(ReaderRoute::Sitemap)),
        ["blog"] => {
            let tag = form_urlencoded::parse(query?.as_bytes())
                .find(|(k, _)| k == "tag")?
                .1
                .trim()
                .to_lowercase();
            let page = match crate::pagination::page_from_query(query) {
                Ok(page) => page,
                Err(e) => return Some(Err(RouteMiss::BadRequest(e.to_string()))),
            };
            Some(if is_tag(&tag) {
                Ok(ReaderRoute::TagAlias { tag, page })
            } else {
                Err(RouteMiss::NotFound)
            })
        }
        [file] => {
            let n = file.strip_prefix("sitemap-")?.strip_suffix(".xml")?;
            let part = n
                .parse::<usize>()
                .ok()
                .filter(|p| *p >= 1 && n == p.to_string());
            Some(
                part.map(ReaderRoute::SitemapPart)
                    .ok_or(RouteMiss::NotFound),
            )
        }
        _ => None,
    }
}

/// The answer of a route that needs no content at all (so the actor
/// gives it without loading anything): `/blog?tag=X` → `/tags/X`.
pub fn without_content(route: &ReaderRoute) -> Option<Rendered> {
    match route {
        ReaderRoute::TagAlias { tag, page } => Some(Rendered::redirect(tag_path(tag, *page))),
        _ => None,
    }
}

/// Renders a route of this part.
pub fn render(site: &Site, route: &ReaderRoute) -> Option<Rendered> {
    Some(match route {
        ReaderRoute::Robots => robots::render(site),
        ReaderRoute::Sitemap => sitemap::render_sitemap(site),
        ReaderRoute::SitemapPart(n) => sitemap::render_part(site, *n),
        _ => return without_content(route),
    })
}

/// The keys of the sitemap: `/sitemap.xml` and its parts, plus the part
/// a new post could add.
fn sitemap_keys(site: &Site) -> impl Iterator<Item = String> {
    let parts = sitemap::part_count(site);
    std::iter::once(ReaderRoute::Sitemap.cache_key())
        .chain((1..=parts + 1).map(|n| ReaderRoute::SitemapPart(n).cache_key()))
}

/// The keys of the old addresses of posts (their 301s).
fn old_slug_keys(site: &Site) -> impl Iterator<Item = String> + '_ {
    site.old_slugs()
        .iter()
        .map(|o| ReaderRoute::Post(o.slug.clone()).cache_key())
}

/// Keys this part adds to every page of the site.
pub fn all_keys(site: &Site) -> Vec<String> {
    let mut keys = vec![ReaderRoute::Robots.cache_key()];
    keys.push(ReaderRoute::Sitemap.cache_key());
    keys.extend((1..=sitemap::part_count(site)).map(|n| ReaderRoute::SitemapPart(n).cache_key()));
    keys.extend(old_slug_keys(site));
    keys
}

/// Keys a write of a post changes besides the post and the lists: the
/// sitemap, and every old address (its target may have moved or gone).
pub fn post_change_keys(site: &Site) -> Vec<String> {
    sitemap_keys(site).chain(old_slug_keys(site)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::reader_route;

    #[test]
    fn routes_discovery_paths() {
        assert_eq!(reader_route("/robots.txt", None), Ok(ReaderRoute::Robots));
        assert_eq!(reader_route("/sitemap.xml", None), Ok(ReaderRoute::Sitemap));
        assert_eq!(
            reader_route("/sitemap-12.xml", None),
            Ok(ReaderRoute::SitemapPart(12))
        );
        for bad in [
            "/sitemap-0.xml",
            "/sitemap-01.xml",
            "/sitemap-x.xml",
            "/sitemap-.xml",
        ] {
            assert_eq!(reader_route(bad, None), Err(RouteMiss::NotFound), "{bad}");
        }
        for route in [
            ReaderRoute::Robots,
            ReaderRoute::Sitemap,
            ReaderRoute::SitemapPart(3),
            ReaderRoute::TagAlias {
                tag: "café".into(),
                page: 2,
            },
        ] {
            assert_eq!(
                ReaderRoute::from_cache_key(&route.cache_key()),
                Some(route.clone())
            );
        }
        assert_eq!(ReaderRoute::SitemapPart(3).path(), "/sitemap-3.xml");
    }

    #[test]
    fn blog_with_a_tag_redirects_to_the_tag_page() {
        let route = reader_route("/blog", Some("tag=Caf%C3%A9")).unwrap();
        assert_eq!(
            route,
            ReaderRoute::TagAlias {
                tag: "café".into(),
                page: 1
            }
        );
        let r = without_content(&route).unwrap();
        assert_eq!(r.status, 301);
        assert_eq!(r.location.as_deref(), Some("/tags/caf%C3%A9"));
        let paged = reader_route("/blog", Some("page=2&tag=rust")).unwrap();
        assert_eq!(
            without_content(&paged).unwrap().location.as_deref(),
            Some("/tags/rust?page=2")
        );
        assert_eq!(
            reader_route("/blog", Some("tag=a%20b%2Fc")),
            Err(RouteMiss::NotFound)
        );
        assert!(matches!(
            reader_route("/blog", Some("tag=rust&page=0")),
            Err(RouteMiss::BadRequest(_))
        ));
        assert_eq!(
            reader_route("/blog", Some("page=2")),
            Ok(ReaderRoute::Blog { page: 2 })
        );
    }

    #[test]
    fn the_setting_is_off_unless_stored_true() {
        assert!(!discourages(None) && !discourages(Some("")) && !discourages(Some("yes")));
        assert!(discourages(Some(discourage_value(true))));
        assert!(!discourages(Some(discourage_value(false))));
    }

    #[test]
    fn datetimes_are_rfc_3339_to_the_second() {
        assert_eq!(w3c_datetime(0), "1970-01-01T00:00:00Z");
        assert_eq!(w3c_datetime(1_796_000_123_999), "2026-11-30T00:55:23Z");
    }
}

#[cfg(test)]
mod actor_tests;
