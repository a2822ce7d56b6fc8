//! The `<link>`s a page's head carries for feeds and the icon: the blog's
//! three feeds on every page, a tag's three more on that tag's pages, and
//! the favicon. Feed readers and browsers find the feeds from any page.

use maud::{html, Markup};

use super::{favicon, path, FeedKind};
use crate::site::Site;
use crate::tags::tag_from_segment;

/// The head links of the page at `page_path` (its canonical path).
pub fn links(site: &Site, page_path: &str) -> Markup {
    let title = &site.info.settings.title;
    let tag = page_tag(page_path);
    html! {
        @for kind in FeedKind::ALL {
            link rel="alternate" type=(mime(kind)) title={ (title) " (" (kind.label()) ")" }
                href=(path(kind, None));
        }
        @if let Some(tag) = &tag {
            @for kind in FeedKind::ALL {
                link rel="alternate" type=(mime(kind))
                    title={ (title) " · #" (tag) " (" (kind.label()) ")" }
                    href=(path(kind, Some(tag)));
            }
        }
        link rel="icon" type="image/svg+xml" href=(favicon::SVG_PATH);
    }
}

/// The tag a page is the list of, from its path (`/tags/{tag}`, any page).
fn page_tag(page_path: &str) -> Option<String> {
    let segment = page_path.strip_prefix("/tags/")?;
    let segment = segment.split_once('?').map_or(segment, |(s, _)| s);
    tag_from_segment(segment)
}

/// The media type a feed link announces (without parameters).
fn mime(kind: FeedKind) -> &'static str {
    let full = kind.format().content_type();
    full.split_once(';').map_or(full, |(t, _)| t)
}
