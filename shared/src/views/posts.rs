//! Post views: the home page, the paginated blog and tag lists, and a single post.

use maud::{html, Markup, PreEscaped};

use super::layout::{layout, layout_about, PageMeta};
use crate::discovery::meta::About;
use crate::markdown;
use crate::model::Post;
use crate::pagination::PageSlice;
use crate::site::{ReaderRoute, Site};
use crate::tags::tag_path;
use crate::time::Date;

/// Characters in a list excerpt.
const EXCERPT_CHARS: usize = 220;

fn byline(post: &Post) -> Markup {
    let minutes = markdown::reading_time_minutes(&post.markdown);
    html! {
        p class="byline" {
            @if let Some(at) = post.published_at {
                @let date = Date::from_unix_ms(at);
                time datetime=(date.iso()) { (date.long()) }
                " · "
            }
            (minutes) " min read"
            @if !post.tags.is_empty() {
                " · "
                span class="tags" {
                    @for tag in &post.tags {
                        a class="tag" href=(tag_path(tag, 1)) { "#" (tag) } " "
                    }
                }
            }
        }
    }
}

fn summary(post: &Post) -> Markup {
    html! {
        article class="summary" {
            h2 { a href={ "/blog/" (post.slug) } { (post.title) } }
            (byline(post))
            p class="excerpt" { (markdown::excerpt(&post.markdown, EXCERPT_CHARS)) }
        }
    }
}

/// `/`: the site's introduction and its most recent posts.
pub fn home(site: &Site, recent: &[Post]) -> Markup {
    let settings = &site.info.settings;
    let body = html! {
        section class="intro" {
            h1 { (settings.title) }
            @if !settings.description.is_empty() { p class="lead" { (settings.description) } }
        }
        section aria-labelledby="recent" {
            h2 id="recent" class="section-title" { "Recent posts" }
            @if recent.is_empty() {
                p class="empty" { "Nothing published yet." }
            }
            @for post in recent { (summary(post)) }
            @if site.posts().len() > recent.len() {
                p { a class="more" href="/blog" { "All posts →" } }
            }
        }
    };
    layout(
        site,
        &PageMeta {
            title: None,
            description: "",
            path: "/",
        },
        body,
    )
}

/// `/blog?page=N`: every published post, newest first.
pub fn blog_list(site: &Site, posts: &[Post], slice: &PageSlice) -> Markup {
    let heading = html! { "Blog" };
    let page_path = |page| ReaderRoute::Blog { page }.path();
    post_list(site, "Blog", heading, posts.iter(), slice, page_path)
}

/// `/tags/{tag}?page=N`: the published posts that carry `tag`, newest first.
pub fn tag_list(
    site: &Site,
    tag: &str,
    total: usize,
    posts: &[&Post],
    slice: &PageSlice,
) -> Markup {
    let heading = html! {
        "Posts tagged " span class="tag" { "#" (tag) }
        " " small class="count" { "(" (total) ")" }
    };
    let title = format!("Posts tagged #{tag}");
    let page_path = |page| {
        ReaderRoute::Tag {
            tag: tag.to_string(),
            page,
        }
        .path()
    };
    post_list(
        site,
        &title,
        heading,
        posts.iter().copied(),
        slice,
        page_path,
    )
}

/// One page of a list of post summaries, with links to its neighbours.
fn post_list<'p>(
    site: &Site,
    title: &str,
    heading: Markup,
    posts: impl Iterator<Item = &'p Post>,
    slice: &PageSlice,
    page_path: impl Fn(usize) -> String,
) -> Markup {
    let path = page_path(slice.page);
    let title = if slice.page == 1 {
        title.to_string()
    } else {
        format!("{title}, page {}", slice.page)
    };
    let posts: Vec<&Post> = posts.collect();
    let body = html! {
        h1 { (heading) }
        @if posts.is_empty() { p class="empty" { "Nothing published yet." } }
        @for post in posts { (summary(post)) }
        @if slice.total_pages > 1 {
            nav class="pagination" aria-label="Pagination" {
                @if slice.has_newer() { a rel="prev" href=(page_path(slice.page - 1)) { "← Newer" } }
                span { "Page " (slice.page) " of " (slice.total_pages) }
                @if slice.has_older() { a rel="next" href=(page_path(slice.page + 1)) { "Older →" } }
            }
        }
    };
    layout(
        site,
        &PageMeta {
            title: Some(&title),
            description: "",
            path: &path,
        },
        body,
    )
}

/// `/blog/{slug}`: one post, its Markdown rendered and sanitised.
pub fn post(site: &Site, post: &Post) -> Markup {
    let path = format!("/blog/{}", post.slug);
    let description = markdown::excerpt(&post.markdown, 160);
    let body = html! {
        article class="post" {
            header {
                h1 { (post.title) }
                (byline(post))
            }
            div class="prose" { (PreEscaped(markdown::render(&post.markdown))) }
        }
        p { a href="/blog" { "← All posts" } }
    };
    layout_about(
        site,
        &PageMeta {
            title: Some(&post.title),
            description: &description,
            path: &path,
        },
        About::Post(post),
        body,
    )
}
