//! `/search?q=…&page=N`: a blog's search page, in its theme.

use maud::{html, Markup, PreEscaped};

use super::layout::{layout, PageMeta};
use crate::pagination::PageSlice;
use crate::search::document::snippet_html;
use crate::search::index::Found;
use crate::site::Site;
use crate::time::Date;

/// Results per page.
pub const RESULTS_PER_PAGE: usize = 10;

/// What the search page shows below its form.
pub enum Outcome<'a> {
    /// Nothing asked yet.
    Empty,
    /// The query cannot be run; says why.
    Refused(&'a str),
    /// A page of results (possibly none).
    Found(&'a Found, &'a PageSlice),
}

fn page_link(q: &str, page: usize) -> String {
    let q: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
    if page <= 1 {
        format!("/search?q={q}")
    } else {
        format!("/search?q={q}&page={page}")
    }
}

/// The search page for what the reader typed (`q`, shown back as typed).
pub fn search_page(site: &Site, q: &str, outcome: &Outcome<'_>) -> Markup {
    let title = if q.trim().is_empty() {
        "Search".to_string()
    } else {
        format!("Search: {q}")
    };
    let body = html! {
        h1 { "Search" }
        form class="search-form" role="search" action="/search" method="get" {
            input type="search" name="q" value=(q) aria-label="Search this blog" maxlength="200";
            button type="submit" { "Search" }
        }
        @match outcome {
            Outcome::Empty => p class="empty" { "Type a word or two to search this blog's posts and pages." },
            Outcome::Refused(why) => p class="empty" role="alert" { (why) },
            Outcome::Found(found, slice) => {
                @if found.total == 0 {
                    p class="empty" { "Nothing matches “" (q) "”. Try fewer or other words." }
                } @else {
                    p class="count" {
                        (found.total) @if found.total == 1 { " result" } @else { " results" }
                        @if slice.total_pages > 1 { ", page " (slice.page) " of " (slice.total_pages) }
                    }
                    ol class="results" start=((slice.page - 1) * RESULTS_PER_PAGE + 1) {
                        @for hit in &found.hits {
                            li class="result summary" {
                                h2 { a href=(hit.path) { (PreEscaped(snippet_html(&hit.title_raw))) } }
                                @if hit.published_at > 0 {
                                    @let date = Date::from_unix_ms(hit.published_at);
                                    p class="byline" { time datetime=(date.iso()) { (date.long()) } }
                                }
                                p class="excerpt" { (PreEscaped(snippet_html(&hit.snippet_raw))) }
                            }
                        }
                    }
                    @if slice.total_pages > 1 {
                        nav class="pagination" aria-label="Pagination" {
                            @if slice.has_newer() { a rel="prev" href=(page_link(q, slice.page - 1)) { "← Previous" } }
                            span { "Page " (slice.page) " of " (slice.total_pages) }
                            @if slice.has_older() { a rel="next" href=(page_link(q, slice.page + 1)) { "Next →" } }
                        }
                    }
                }
            }
        }
    };
    layout(
        site,
        &PageMeta {
            title: Some(&title),
            description: "",
            path: "/search",
        },
        body,
    )
}
