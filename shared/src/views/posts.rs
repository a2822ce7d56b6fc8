//! Post views: the home page, the paginated blog list and a single post.

use maud::{html, Markup, PreEscaped};

use super::layout::{layout, PageMeta};
use crate::markdown;
use crate::model::Post;
use crate::pagination::PageSlice;
use crate::site::Site;
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
                    @for tag in &post.tags { span class="tag" { "#" (tag) } " " }
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
    let path = if slice.page == 1 {
        "/blog".to_string()
    } else {
        format!("/blog?page={}", slice.page)
    };
    let title = if slice.page == 1 {
        "Blog".to_string()
    } else {
        format!("Blog, page {}", slice.page)
    };
    let newer = if slice.page == 2 {
        "/blog".to_string()
    } else {
        format!("/blog?page={}", slice.page.saturating_sub(1))
    };
    let body = html! {
        h1 { "Blog" }
        @if posts.is_empty() { p class="empty" { "Nothing published yet." } }
        @for post in posts { (summary(post)) }
        @if slice.total_pages > 1 {
            nav class="pagination" aria-label="Pagination" {
                @if slice.has_newer() { a rel="prev" href=(newer) { "← Newer" } }
                span { "Page " (slice.page) " of " (slice.total_pages) }
                @if slice.has_older() { a rel="next" href={ "/blog?page=" (slice.page + 1) } { "Older →" } }
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
    layout(
        site,
        &PageMeta {
            title: Some(&post.title),
            description: &description,
            path: &path,
        },
        body,
    )
}
