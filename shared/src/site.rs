//! A tenant's public site: its published content and how a reader's path
//! maps to a rendered page.
//!
//! [`Site`] is what the TenantDO loads once from D1; [`reader_route`] and
//! [`Site::render`] are pure, so the whole reader path is tested natively.
//! The actor memoises [`Rendered`] pages by [`ReaderRoute::cache_key`].

use crate::model::{Page, Post};
use crate::pagination::{page_from_query, paginate, POSTS_PER_PAGE};
use crate::reader_headers::Format;
use crate::slug::{validate_page_slug, validate_slug};
use crate::tags::{tag_from_segment, tag_path};
use crate::theme::SiteSettings;
use crate::views;

/// Posts listed on the home page.
pub const HOME_POSTS: usize = 5;

/// The site-wide facts every page needs.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteInfo {
    pub tenant_id: String,
    /// `scheme://host[:port]` of the tenant's primary host, for canonical links.
    pub canonical_origin: String,
    pub settings: SiteSettings,
}

/// A tenant's published content, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    pub info: SiteInfo,
    /// Visible posts, newest first.
    posts: Vec<Post>,
    /// Pages in navigation order.
    pages: Vec<Page>,
    /// Old slugs of posts, which redirect to the post (`discovery::old_slugs`).
    old_slugs: Vec<crate::discovery::old_slugs::OldSlug>,
}

/// A page of the site a reader can ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReaderRoute {
    Home,
    Blog {
        page: usize,
    },
    Post(String),
    Page(String),
    /// `/tags/{tag}?page=N`: the posts that carry a tag.
    Tag {
        tag: String,
        page: usize,
    },
    /// `/robots.txt` (`discovery::robots`).
    Robots,
    /// `/sitemap.xml`: the sitemap, or past 50,000 URLs its index.
    Sitemap,
    /// `/sitemap-{n}.xml`: part `n` (1-based) of a split sitemap.
    SitemapPart(usize),
    /// `/blog?tag=X`: answers 301 to `/tags/X`.
    TagAlias {
        tag: String,
        page: usize,
    },
}

impl ReaderRoute {
    /// Key under which the rendered page is memoised.
    pub fn cache_key(&self) -> String {
        match self {
            ReaderRoute::Home => "home".into(),
            ReaderRoute::Blog { page } => format!("blog:{page}"),
            ReaderRoute::Post(slug) => format!("post:{slug}"),
            ReaderRoute::Page(slug) => format!("page:{slug}"),
            // A tag never contains `:`.
            ReaderRoute::Tag { tag, page } => format!("tag:{page}:{tag}"),
            ReaderRoute::Robots => "robots".into(),
            ReaderRoute::Sitemap => "sitemap".into(),
            ReaderRoute::SitemapPart(n) => format!("sitemap:{n}"),
            ReaderRoute::TagAlias { tag, page } => format!("blogtag:{page}:{tag}"),
        }
    }

    /// The route a [`ReaderRoute::cache_key`] names.
    pub fn from_cache_key(key: &str) -> Option<ReaderRoute> {
        match key.split_once(':') {
            None if key == "home" => Some(ReaderRoute::Home),
            Some(("blog", page)) => page
                .parse()
                .ok()
                .filter(|p| *p >= 1)
                .map(|page| ReaderRoute::Blog { page }),
            Some(("post", slug)) => Some(ReaderRoute::Post(slug.to_string())),
            Some(("page", slug)) => Some(ReaderRoute::Page(slug.to_string())),
            Some(("tag", rest)) => {
                let (page, tag) = rest.split_once(':')?;
                let page = page.parse().ok().filter(|p| *p >= 1)?;
                Some(ReaderRoute::Tag {
                    tag: tag.to_string(),
                    page,
                })
            }
            None if key == "robots" => Some(ReaderRoute::Robots),
            None if key == "sitemap" => Some(ReaderRoute::Sitemap),
            Some(("sitemap", n)) => n
                .parse()
                .ok()
                .filter(|n| *n >= 1)
                .map(ReaderRoute::SitemapPart),
            Some(("blogtag", rest)) => {
                let (page, tag) = rest.split_once(':')?;
                let page = page.parse().ok().filter(|p| *p >= 1)?;
                Some(ReaderRoute::TagAlias {
                    tag: tag.to_string(),
                    page,
                })
            }
            _ => None,
        }
    }

    /// The canonical path of this route.
    pub fn path(&self) -> String {
        match self {
            ReaderRoute::Home => "/".into(),
            ReaderRoute::Blog { page: 1 } => "/blog".into(),
            ReaderRoute::Blog { page } => format!("/blog?page={page}"),
            ReaderRoute::Post(slug) => format!("/blog/{slug}"),
            ReaderRoute::Page(slug) => format!("/{slug}"),
            ReaderRoute::Tag { tag, page } => tag_path(tag, *page),
            ReaderRoute::Robots => "/robots.txt".into(),
            ReaderRoute::Sitemap => "/sitemap.xml".into(),
            ReaderRoute::SitemapPart(n) => format!("/sitemap-{n}.xml"),
            ReaderRoute::TagAlias { tag, page } => {
                let tag: String = form_urlencoded::byte_serialize(tag.as_bytes()).collect();
                match page {
                    1 => format!("/blog?tag={tag}"),
                    page => format!("/blog?tag={tag}&page={page}"),
                }
            }
        }
    }

    /// Whether a write renders this page again at once (and stores it).
    /// Deeper list pages shift whenever a post is added, so they are
    /// rendered when first read instead, from the loaded content.
    pub fn prerendered(&self) -> bool {
        match self {
            ReaderRoute::Blog { page } | ReaderRoute::Tag { page, .. } => *page == 1,
            ReaderRoute::Home | ReaderRoute::Post(_) | ReaderRoute::Page(_) => true,
            // A part of a split sitemap holds 50,000 URLs: rendered when read.
            ReaderRoute::Robots | ReaderRoute::Sitemap => true,
            ReaderRoute::SitemapPart(_) | ReaderRoute::TagAlias { .. } => false,
        }
    }
}

/// Why a path did not name a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteMiss {
    /// No such page: 404.
    NotFound,
    /// The request itself is wrong (e.g. `?page=abc`): 400 with this message.
    BadRequest(String),
}

/// Maps a request path and query to a route. A single trailing slash is ignored.
pub fn reader_route(path: &str, query: Option<&str>) -> Result<ReaderRoute, RouteMiss> {
    let path = if path.len() > 1 {
        path.strip_suffix('/').unwrap_or(path)
    } else {
        path
    };
    let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    if let Some(route) = crate::discovery::route(&segments, query) {
        return route;
    }
    match segments.as_slice() {
        [""] => Ok(ReaderRoute::Home),
        ["blog"] => page_from_query(query)
            .map(|page| ReaderRoute::Blog { page })
            .map_err(|e| RouteMiss::BadRequest(e.to_string())),
        ["blog", slug] if validate_slug(slug).is_ok() => Ok(ReaderRoute::Post((*slug).to_string())),
        [slug] if validate_page_slug(slug).is_ok() => Ok(ReaderRoute::Page((*slug).to_string())),
        ["tags", segment] => match tag_from_segment(segment) {
            Some(tag) => page_from_query(query)
                .map(|page| ReaderRoute::Tag { tag, page })
                .map_err(|e| RouteMiss::BadRequest(e.to_string())),
            None => Err(RouteMiss::NotFound),
        },
        _ => Err(RouteMiss::NotFound),
    }
}

/// A rendered response body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    pub status: u16,
    /// The body: HTML, or the text of a feed, sitemap, robots.txt or favicon.
    pub html: String,
    /// What the body is (its `Content-Type`); HTML unless said.
    #[serde(default)]
    pub format: Format,
    /// A strong validator of `html` (quoted, for the `ETag` header).
    pub etag: String,
    /// When this page's content last changed (Unix ms; 0 if unknown).
    #[serde(default)]
    pub modified: i64,
    /// Where a redirect (a 301) sends the reader: a path on the same host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

impl Rendered {
    /// Stamps the time the page was rendered.
    pub fn at(mut self, now: i64) -> Self {
        self.modified = now;
        self
    }

    /// An HTML page.
    pub fn new(status: u16, html: String) -> Self {
        Rendered::of(Format::Html, status, html)
    }

    /// A page of another format (a feed, a sitemap, robots.txt).
    pub fn of(format: Format, status: u16, body: String) -> Self {
        let etag = etag_of(&body);
        Rendered {
            status,
            html: body,
            format,
            etag,
            modified: 0,
            location: None,
        }
    }

    /// A permanent redirect to `location` (a path on the same host), with
    /// a small page saying where it went.
    pub fn redirect(location: String) -> Self {
        let body = maud::html! {
            (maud::DOCTYPE)
            html lang="en" {
                head { meta charset="utf-8"; title { "Moved" } }
                body { p { "This page moved to " a href=(location) { (location) } "." } }
            }
        };
        let mut page = Rendered::new(301, body.into_string());
        page.location = Some(location);
        page
    }

    /// Whether the actor keeps this page (memory, storage) to answer
    /// again: a page, or a redirect; never an error.
    pub fn is_kept(&self) -> bool {
        self.status == 200 || self.location.is_some()
    }
}

/// `"…"`: FNV-1a (64-bit) of the body plus its length. Not cryptographic; a
/// validator only has to change when the page does.
pub fn etag_of(body: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in body.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("\"{hash:016x}-{:x}\"", body.len())
}

impl Site {
    /// Builds a site from loaded rows, keeping only what readers may see at `now`.
    pub fn new(info: SiteInfo, mut posts: Vec<Post>, mut pages: Vec<Page>, now: i64) -> Self {
        posts.retain(|p| p.is_visible_at(now));
        posts.sort_by(|a, b| {
            b.published_at
                .cmp(&a.published_at)
                .then_with(|| a.slug.cmp(&b.slug))
        });
        pages.sort_by(|a, b| {
            a.nav_order
                .cmp(&b.nav_order)
                .then_with(|| a.slug.cmp(&b.slug))
        });
        Site {
            info,
            posts,
            pages,
            old_slugs: Vec::new(),
        }
    }

    /// The site with posts' old slugs, which redirect to the post.
    pub fn with_old_slugs(mut self, old_slugs: Vec<crate::discovery::old_slugs::OldSlug>) -> Self {
        self.old_slugs = old_slugs;
        self
    }

    /// Posts' old slugs.
    pub fn old_slugs(&self) -> &[crate::discovery::old_slugs::OldSlug] {
        &self.old_slugs
    }

    pub fn posts(&self) -> &[Post] {
        &self.posts
    }

    pub fn pages(&self) -> &[Page] {
        &self.pages
    }

    /// Number of `/blog?page=N` pages.
    pub fn blog_pages(&self) -> usize {
        self.posts.len().div_ceil(POSTS_PER_PAGE).max(1)
    }

    /// The keys of the list pages: home and every blog page.
    pub fn list_keys(&self) -> Vec<String> {
        let mut keys = vec![ReaderRoute::Home.cache_key()];
        keys.extend((1..=self.blog_pages()).map(|page| ReaderRoute::Blog { page }.cache_key()));
        keys
    }

    /// The visible posts that carry `tag`, newest first.
    pub fn tagged<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = &'a Post> + 'a {
        self.posts
            .iter()
            .filter(move |p| p.tags.iter().any(|t| t == tag))
    }

    /// Number of `/tags/{tag}?page=N` pages (0 for a tag no visible post carries).
    pub fn tag_pages(&self, tag: &str) -> usize {
        self.tagged(tag).count().div_ceil(POSTS_PER_PAGE)
    }

    /// Every tag a visible post carries, sorted.
    pub fn tags(&self) -> Vec<&str> {
        let mut tags: Vec<&str> = self
            .posts
            .iter()
            .flat_map(|p| p.tags.iter().map(String::as_str))
            .collect();
        tags.sort_unstable();
        tags.dedup();
        tags
    }

    /// The keys of a tag's list pages, plus the one a new post could add.
    pub fn tag_keys(&self, tag: &str) -> impl Iterator<Item = String> + '_ {
        let tag = tag.to_string();
        (1..=self.tag_pages(&tag) + 1).map(move |page| {
            ReaderRoute::Tag {
                tag: tag.clone(),
                page,
            }
            .cache_key()
        })
    }

    /// The keys of every page readers can see (lists, posts, pages, tags).
    pub fn all_keys(&self) -> Vec<String> {
        let mut keys = self.list_keys();
        for tag in self.tags() {
            keys.extend((1..=self.tag_pages(tag)).map(|page| {
                ReaderRoute::Tag {
                    tag: tag.to_string(),
                    page,
                }
                .cache_key()
            }));
        }
        keys.extend(
            self.posts
                .iter()
                .map(|p| ReaderRoute::Post(p.slug.clone()).cache_key()),
        );
        keys.extend(
            self.pages
                .iter()
                .map(|p| ReaderRoute::Page(p.slug.clone()).cache_key()),
        );
        keys.extend(crate::discovery::all_keys(self));
        keys
    }

    /// Pages shown in the navigation, in order.
    pub fn nav_pages(&self) -> impl Iterator<Item = &Page> {
        self.pages.iter().filter(|p| p.show_in_nav)
    }

    /// Renders a route; a route naming nothing renders the themed 404 page.
    pub fn render(&self, route: &ReaderRoute) -> Rendered {
        let ok = |html: maud::Markup| Rendered::new(200, html.into_string());
        match route {
            ReaderRoute::Home => {
                let recent = &self.posts[..self.posts.len().min(HOME_POSTS)];
                ok(views::home(self, recent))
            }
            ReaderRoute::Blog { page } => match paginate(self.posts.len(), *page, POSTS_PER_PAGE) {
                Some(slice) => ok(views::blog_list(
                    self,
                    &self.posts[slice.items.clone()],
                    &slice,
                )),
                None => self.render_not_found(),
            },
            ReaderRoute::Post(slug) => match self.posts.iter().find(|p| &p.slug == slug) {
                Some(post) => ok(views::post(self, post)),
                None => {
                    match crate::discovery::old_slugs::target(&self.old_slugs, &self.posts, slug) {
                        Some(post) => {
                            Rendered::redirect(ReaderRoute::Post(post.slug.clone()).path())
                        }
                        None => self.render_not_found(),
                    }
                }
            },
            ReaderRoute::Page(slug) => match self.pages.iter().find(|p| &p.slug == slug) {
                Some(page) => ok(views::page(self, page)),
                None => self.render_not_found(),
            },
            ReaderRoute::Tag { tag, page } => {
                let tagged: Vec<&Post> = self.tagged(tag).collect();
                match paginate(tagged.len(), *page, POSTS_PER_PAGE) {
                    Some(slice) if !tagged.is_empty() => ok(views::tag_list(
                        self,
                        tag,
                        tagged.len(),
                        &tagged[slice.items.clone()],
                        &slice,
                    )),
                    _ => self.render_not_found(),
                }
            }
            ReaderRoute::Robots
            | ReaderRoute::Sitemap
            | ReaderRoute::SitemapPart(_)
            | ReaderRoute::TagAlias { .. } => {
                crate::discovery::render(self, route).unwrap_or_else(|| self.render_not_found())
            }
        }
    }

    /// The themed "not found" page.
    pub fn render_not_found(&self) -> Rendered {
        Rendered::new(
            404,
            views::site_error(
                self,
                404,
                "Page not found",
                "There is nothing at this address.",
            )
            .into_string(),
        )
    }

    /// A themed error page for a request that cannot be served as asked.
    pub fn render_bad_request(&self, message: &str) -> Rendered {
        Rendered::new(
            400,
            views::site_error(self, 400, "Bad request", message).into_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Post, PostStatus};
    use crate::test_support::{page, post, site_with};

    #[test]
    fn routes_reader_paths() {
        assert_eq!(reader_route("/", None), Ok(ReaderRoute::Home));
        assert_eq!(
            reader_route("/blog", None),
            Ok(ReaderRoute::Blog { page: 1 })
        );
        assert_eq!(
            reader_route("/blog/", Some("page=2")),
            Ok(ReaderRoute::Blog { page: 2 })
        );
        assert_eq!(
            reader_route("/blog/hello-world", None),
            Ok(ReaderRoute::Post("hello-world".into()))
        );
        assert_eq!(
            reader_route("/about/", None),
            Ok(ReaderRoute::Page("about".into()))
        );
        assert_eq!(
            reader_route("/blog/Bad_Slug", None),
            Err(RouteMiss::NotFound)
        );
        assert_eq!(reader_route("/a/b/c", None), Err(RouteMiss::NotFound));
        assert_eq!(reader_route("/admin", None), Err(RouteMiss::NotFound));
        assert!(matches!(
            reader_route("/blog", Some("page=x")),
            Err(RouteMiss::BadRequest(_))
        ));
    }

    #[test]
    fn drafts_and_future_posts_never_render() {
        let site = site_with(
            vec![
                post("live", PostStatus::Published, Some(100)),
                post("secret-draft", PostStatus::Draft, Some(50)),
                post("future", PostStatus::Published, Some(10_000)),
                post("later", PostStatus::Scheduled, Some(150)),
            ],
            vec![],
        );
        assert_eq!(site.posts().len(), 1);
        assert_eq!(
            site.render(&ReaderRoute::Post("secret-draft".into()))
                .status,
            404
        );
        assert_eq!(site.render(&ReaderRoute::Post("future".into())).status, 404);
        let home = site.render(&ReaderRoute::Home).html;
        assert!(
            home.contains("Title of live")
                && !home.contains("secret-draft")
                && !home.contains("future")
        );
    }

    #[test]
    fn blog_lists_paginate_newest_first() {
        let posts = (1..=7)
            .map(|i| post(&format!("p{i}"), PostStatus::Published, Some(i * 10)))
            .collect();
        let site = site_with(posts, vec![]);
        let first = site.render(&ReaderRoute::Blog { page: 1 });
        assert_eq!(first.status, 200);
        let p7 = first.html.find("/blog/p7").unwrap();
        let p3 = first.html.find("/blog/p3").unwrap();
        assert!(p7 < p3, "newest first");
        assert!(!first.html.contains("/blog/p2\""));
        assert!(first.html.contains("href=\"/blog?page=2\""));
        let second = site.render(&ReaderRoute::Blog { page: 2 });
        assert!(second.html.contains("/blog/p2\"") && second.html.contains("/blog/p1\""));
        assert!(second.html.contains("href=\"/blog\""));
        assert_eq!(site.render(&ReaderRoute::Blog { page: 3 }).status, 404);
    }

    #[test]
    fn pages_render_and_appear_in_nav_order() {
        let site = site_with(
            vec![],
            vec![
                page("contact", 2, true),
                page("about", 1, true),
                page("hidden", 0, false),
            ],
        );
        let home = site.render(&ReaderRoute::Home).html;
        let about = home.find("href=\"/about\"").unwrap();
        let contact = home.find("href=\"/contact\"").unwrap();
        assert!(about < contact);
        assert!(!home.contains("href=\"/hidden\""));
        assert_eq!(site.render(&ReaderRoute::Page("hidden".into())).status, 200);
        assert_eq!(site.render(&ReaderRoute::Page("nope".into())).status, 404);
    }

    #[test]
    fn tag_paths_route_to_tag_pages_and_back() {
        assert_eq!(
            reader_route("/tags/caf%C3%A9", Some("page=2")),
            Ok(ReaderRoute::Tag {
                tag: "café".into(),
                page: 2
            })
        );
        assert_eq!(reader_route("/tags/Rust", None), Err(RouteMiss::NotFound));
        assert_eq!(reader_route("/tags/a%2Fb", None), Err(RouteMiss::NotFound));
        assert_eq!(reader_route("/tags", None), Err(RouteMiss::NotFound));
        assert!(matches!(
            reader_route("/tags/rust", Some("page=0")),
            Err(RouteMiss::BadRequest(_))
        ));
        for route in [
            ReaderRoute::Tag {
                tag: "日本語".into(),
                page: 1,
            },
            ReaderRoute::Tag {
                tag: "web-dev".into(),
                page: 3,
            },
        ] {
            assert_eq!(
                ReaderRoute::from_cache_key(&route.cache_key()),
                Some(route.clone())
            );
            let path = route.path();
            let (path, query) = match path.split_once('?') {
                Some((p, q)) => (p, Some(q)),
                None => (path.as_str(), None),
            };
            assert_eq!(reader_route(path, query), Ok(route));
        }
    }

    #[test]
    fn tag_pages_list_only_visible_posts_that_carry_the_tag() {
        let mut posts: Vec<Post> = (1..=7)
            .map(|i| {
                let mut p = post(&format!("p{i}"), PostStatus::Published, Some(i * 10));
                p.tags = vec![if i % 2 == 0 { "even" } else { "odd" }.into(), "all".into()];
                p
            })
            .collect();
        let mut draft = post("secret", PostStatus::Draft, None);
        draft.tags = vec!["even".into()];
        posts.push(draft);
        let site = site_with(posts, vec![]);
        let tag = |tag: &str, page| ReaderRoute::Tag {
            tag: tag.into(),
            page,
        };
        let even = site.render(&tag("even", 1));
        assert_eq!(even.status, 200);
        assert!(even.html.contains("/blog/p6\"") && even.html.contains("/blog/p2\""));
        assert!(!even.html.contains("/blog/p1\"") && !even.html.contains("secret"));
        assert!(even.html.contains("Posts tagged"));
        let all2 = site.render(&tag("all", 2));
        assert!(all2.html.contains("/blog/p2\"") && all2.html.contains("/blog/p1\""));
        assert!(
            all2.html.contains("href=\"/tags/all\""),
            "a link back to page 1"
        );
        assert_eq!(site.render(&tag("all", 3)).status, 404);
        assert_eq!(site.render(&tag("nobody", 1)).status, 404);
        let post_page = site.render(&ReaderRoute::Post("p2".into())).html;
        assert!(
            post_page.contains("href=\"/tags/even\""),
            "tags link to their pages"
        );
        let keys = site.all_keys();
        for key in ["tag:1:all", "tag:2:all", "tag:1:even", "tag:1:odd"] {
            assert!(keys.contains(&key.to_string()), "{key} in {keys:?}");
        }
        assert!(!keys.iter().any(|k| k.starts_with("tag:3:")));
    }

    #[test]
    fn bad_requests_render_a_themed_400() {
        let site = site_with(vec![], vec![]);
        let Err(RouteMiss::BadRequest(message)) = reader_route("/blog", Some("page=0")) else {
            panic!("page=0 is a bad request");
        };
        let r = site.render_bad_request(&message);
        assert_eq!(r.status, 400);
        assert!(r.html.contains("page must be a whole number"));
        assert!(r.html.contains("--accent:"));
    }
}
