//! `/admin`: every post (any status, most recently edited first) and every
//! page (in navigation order).

use maud::{html, Markup};

use super::layout::admin_layout;
use super::AdminChrome;
use std::collections::HashMap;

use crate::admin::time_zone::WriterZone;
use crate::model::{Page, Post, PostStatus};
use crate::time::Date;

/// The public URL of `path` (no leading slash) on the blog.
fn public_url(site_url: &str, path: &str) -> String {
    format!("{}/{path}", site_url.trim_end_matches('/'))
}

/// When a post went or goes live: the date, and for a scheduled post the
/// time too, in the blog's time zone.
fn post_time(post: &Post, zone: &WriterZone) -> Markup {
    let Some(at) = post.published_at else {
        return html! {};
    };
    let date = Date::from_unix_ms(at);
    let utc = crate::time::format_datetime_local(at);
    html! {
        @if post.status == PostStatus::Scheduled {
            time datetime={ (utc) "Z" } { (zone.long(at)) }
        } @else {
            time datetime=(date.iso()) { (date.long()) }
        }
    }
}

/// The posts the dashboard lists: all of them, or those matching a filter.
pub struct PostList<'a> {
    pub posts: &'a [Post],
    /// What the owner typed in the filter box, if anything.
    pub filter: Option<&'a str>,
    /// Whether the blog has any post at all.
    pub any: bool,
}

fn filter_form(filter: Option<&str>) -> Markup {
    html! {
        form class="post-filter" role="search" action="/admin" method="get" {
            label for="post-filter" { "Filter posts" }
            input type="search" id="post-filter" name="q" value=[filter] maxlength="200";
            button type="submit" { "Filter" }
            @if filter.is_some() { a href="/admin" { "Show all" } }
        }
    }
}

fn posts_table(
    chrome: &AdminChrome,
    list: &PostList<'_>,
    views: &HashMap<String, i64>,
    zone: &WriterZone,
) -> Markup {
    let mut sorted: Vec<&Post> = list.posts.iter().collect();
    // A filter lists the best matches first; otherwise the latest edits.
    if list.filter.is_none() {
        sorted.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(a.title.cmp(&b.title)));
    }
    html! {
        section aria-labelledby="posts-heading" {
            h2 id="posts-heading" { "Posts" }
            @if list.any { (filter_form(list.filter)) }
            @if let (Some(q), true) = (list.filter, sorted.is_empty()) {
                p class="empty" { "No post matches “" (q) "”." }
            } @else if sorted.is_empty() {
                p class="empty" {
                    "No posts yet. " a href="/admin/posts/new" { "Write your first post" } "."
                }
            } @else {
                @if let Some(q) = list.filter {
                    p class="count" role="status" {
                        (sorted.len()) @if sorted.len() == 1 { " post matches “" } @else { " posts match “" } (q) "”."
                    }
                }
                div class="table-wrap" {
                    table {
                        thead {
                            tr {
                                th scope="col" { "Title" }
                                th scope="col" { "Status" }
                                th scope="col" { "Date" }
                                th scope="col" class="num" { "Views" }
                                th scope="col" { span class="visually-hidden" { "On the blog" } }
                            }
                        }
                        tbody {
                            @for post in sorted {
                                @let status = post.status.as_str();
                                tr {
                                    td class="title" { a href={ "/admin/posts/" (post.id) } { (display_title(&post.title)) } }
                                    td data-label="Status" { span class={ "status status-" (status) } { (status) } }
                                    td data-label="Date" { (post_time(post, zone)) }
                                    td class="num" data-label="Views" { (views.get(&post.id).copied().unwrap_or(0)) }
                                    td class="view" {
                                        @if post.status == PostStatus::Published {
                                            a href=(public_url(&chrome.site_url, &format!("blog/{}", post.slug))) {
                                                "View" span class="visually-hidden" { " " (post.title) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn pages_table(chrome: &AdminChrome, pages: &[Page]) -> Markup {
    let mut sorted: Vec<&Page> = pages.iter().collect();
    sorted.sort_by(|a, b| a.nav_order.cmp(&b.nav_order).then(a.title.cmp(&b.title)));
    html! {
        section aria-labelledby="pages-heading" {
            h2 id="pages-heading" { "Pages" }
            @if sorted.is_empty() {
                p class="empty" {
                    "No pages yet. " a href="/admin/pages/new" { "Add a page" } ", such as About."
                }
            } @else {
                div class="table-wrap" {
                    table {
                        thead {
                            tr {
                                th scope="col" { "Title" }
                                th scope="col" { "In navigation" }
                                th scope="col" { "Order" }
                                th scope="col" { span class="visually-hidden" { "On the blog" } }
                            }
                        }
                        tbody {
                            @for page in sorted {
                                tr {
                                    td class="title" { a href={ "/admin/pages/" (page.id) } { (display_title(&page.title)) } }
                                    td data-label="In navigation" { @if page.show_in_nav { "Yes" } @else { "No" } }
                                    td data-label="Order" { (page.nav_order) }
                                    td class="view" {
                                        a href=(public_url(&chrome.site_url, &page.slug)) {
                                            "View" span class="visually-hidden" { " " (page.title) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A title to link, never empty (an empty link cannot be clicked or read).
fn display_title(title: &str) -> &str {
    if title.trim().is_empty() {
        "(untitled)"
    } else {
        title
    }
}

/// The dashboard: posts, then pages; scheduled times in `zone` (the
/// blog's). On a narrow screen each row becomes a card (admin.css).
pub fn dashboard(
    chrome: &AdminChrome,
    posts: &PostList<'_>,
    pages: &[Page],
    views: &HashMap<String, i64>,
    zone: &WriterZone,
    notice: Option<&str>,
) -> Markup {
    dashboard_with(chrome, posts, pages, views, zone, notice, html! {})
}

/// [`dashboard`] with `panels` above the lists (the plan's usage, the
/// setup checklist).
pub fn dashboard_with(
    chrome: &AdminChrome,
    posts: &PostList<'_>,
    pages: &[Page],
    views: &HashMap<String, i64>,
    zone: &WriterZone,
    notice: Option<&str>,
    panels: Markup,
) -> Markup {
    let body = html! {
        (panels)
        (posts_table(chrome, posts, views, zone))
        (pages_table(chrome, pages))
    };
    admin_layout(chrome, "Posts and pages", notice, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::admin::test_util::{assert_admin_head, assert_csrf_in_every_form, chrome};

    fn post(id: &str, status: PostStatus, published_at: Option<i64>, updated_at: i64) -> Post {
        Post {
            id: id.into(),
            slug: format!("slug-{id}"),
            title: format!("Title {id}"),
            markdown: String::new(),
            status,
            tags: vec![],
            published_at,
            updated_at,
            version: 1,
        }
    }

    fn page(id: &str, nav_order: i64, show_in_nav: bool) -> Page {
        Page {
            id: id.into(),
            slug: format!("page-{id}"),
            title: format!("Page {id}"),
            markdown: String::new(),
            show_in_nav,
            nav_order,
            updated_at: 0,
            version: 1,
        }
    }

    // 2026-10-05T12:00:00Z
    const OCT5_NOON: i64 = 1_791_201_600_000;

    #[test]
    fn lists_posts_newest_edit_first_with_status_time_and_links() {
        let mut xss = post("d", PostStatus::Draft, None, 50);
        xss.title = "<script>alert(1)</script>".into();
        let posts = vec![
            post("a", PostStatus::Published, Some(OCT5_NOON), 10),
            post(
                "b",
                PostStatus::Scheduled,
                Some(OCT5_NOON + 90 * 60_000),
                30,
            ),
            xss,
        ];
        let html = dashboard(
            &chrome(),
            &all(&posts),
            &[],
            &HashMap::new(),
            &WriterZone::utc(),
            Some("Deleted."),
        )
        .into_string();
        assert_admin_head(&html, "Posts and pages");
        assert!(html.contains("<h1>Posts and pages</h1>"));
        assert!(html.contains("<p class=\"notice\" role=\"status\">Deleted.</p>"));

        let d = html.find("href=\"/admin/posts/d\"").unwrap();
        let b = html.find("href=\"/admin/posts/b\"").unwrap();
        let a = html.find("href=\"/admin/posts/a\"").unwrap();
        assert!(d < b && b < a, "newest updated_at first");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script>"));

        assert!(html.contains(
            "<td data-label=\"Status\"><span class=\"status status-draft\">draft</span>"
        ));
        assert!(html.contains("<span class=\"status status-published\">published</span>"));
        assert!(html.contains("<span class=\"status status-scheduled\">scheduled</span>"));
        assert!(html.contains("<time datetime=\"2026-10-05\">5 October 2026</time>"));
        assert!(
            html.contains("<time datetime=\"2026-10-05T13:30Z\">5 October 2026, 13:30 UTC</time>")
        );

        assert!(html.contains("href=\"http://autumn.grove.localhost:8787/blog/slug-a\""));
        assert!(
            !html.contains("/blog/slug-b") && !html.contains("/blog/slug-d"),
            "only published posts link to the blog"
        );
        assert_csrf_in_every_form(&html, "tok-123");
    }

    #[test]
    fn scheduled_times_are_in_the_blogs_zone_and_rows_label_their_cells() {
        let posts = vec![post(
            "b",
            PostStatus::Scheduled,
            Some(OCT5_NOON + 90 * 60_000),
            30,
        )];
        let berlin = WriterZone::parse("Europe/Berlin").unwrap();
        let html =
            dashboard(&chrome(), &all(&posts), &[], &HashMap::new(), &berlin, None).into_string();
        assert!(html.contains(
            "<time datetime=\"2026-10-05T13:30Z\">5 October 2026, 15:30 Europe/Berlin</time>"
        ));
        assert!(html.contains("<td class=\"title\"><a href=\"/admin/posts/b\">"));
        assert!(html.contains("<td class=\"num\" data-label=\"Views\">0</td>"));
        assert!(
            html.contains("<td class=\"view\"></td>"),
            "empty for a scheduled post"
        );
    }

    #[test]
    fn empty_states_and_pages_in_nav_order() {
        let html = dashboard(
            &chrome(),
            &all(&[]),
            &[],
            &HashMap::new(),
            &WriterZone::utc(),
            None,
        )
        .into_string();
        assert!(html.contains("No posts yet."));
        assert!(!html.contains("Filter posts"), "nothing to filter yet");
        assert!(html.contains("No pages yet."));
        assert!(!html.contains("<table>"));

        let pages = vec![page("late", 5, false), page("early", 1, true)];
        let html = dashboard(
            &chrome(),
            &all(&[]),
            &pages,
            &HashMap::new(),
            &WriterZone::utc(),
            None,
        )
        .into_string();
        let early = html.find("href=\"/admin/pages/early\"").unwrap();
        let late = html.find("href=\"/admin/pages/late\"").unwrap();
        assert!(early < late, "nav order");
        let row = |id: &str| {
            let start = html.find(&format!("href=\"/admin/pages/{id}\"")).unwrap();
            html[start..].split("</tr>").next().unwrap().to_string()
        };
        assert!(row("early").contains("<td data-label=\"In navigation\">Yes</td>"));
        assert!(row("late").contains("<td data-label=\"In navigation\">No</td>"));
        assert!(html.contains("href=\"http://autumn.grove.localhost:8787/page-early\""));
    }

    fn all(posts: &[Post]) -> PostList<'_> {
        PostList {
            posts,
            filter: None,
            any: !posts.is_empty(),
        }
    }

    #[test]
    fn a_filter_shows_what_was_typed_its_matches_in_order_and_a_way_back() {
        let posts = vec![
            post("b", PostStatus::Draft, None, 30),
            post("a", PostStatus::Published, Some(OCT5_NOON), 10),
        ];
        let list = PostList {
            posts: &posts,
            filter: Some("kale <b>"),
            any: true,
        };
        let html = dashboard(
            &chrome(),
            &list,
            &[],
            &HashMap::new(),
            &WriterZone::utc(),
            None,
        )
        .into_string();
        assert!(
            html.contains("value=\"kale &lt;b&gt;\""),
            "the query, escaped"
        );
        assert!(html.contains("2 posts match “kale &lt;b&gt;”."));
        let b = html.find("href=\"/admin/posts/b\"").unwrap();
        let a = html.find("href=\"/admin/posts/a\"").unwrap();
        assert!(b < a, "best match first, as the index ranked them");
        assert!(html.contains("<a href=\"/admin\">Show all</a>"));
        let none = PostList {
            posts: &[],
            filter: Some("zzz"),
            any: true,
        };
        let html = dashboard(
            &chrome(),
            &none,
            &[],
            &HashMap::new(),
            &WriterZone::utc(),
            None,
        )
        .into_string();
        assert!(html.contains("No post matches “zzz”.") && !html.contains("No posts yet"));
    }
}
