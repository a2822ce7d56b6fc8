//! A blog's feeds and icon: RSS 2.0 (`/rss.xml`), Atom 1.0 (`/atom.xml`)
//! and JSON Feed 1.1 (`/feed.json`), for the whole blog and for each tag
//! (`/tags/{tag}/rss.xml`, …); the favicon (`/favicon.svg`,
//! `/favicon.ico`); and the `<link>`s in every page's head that point
//! readers and feed readers at them.
//!
//! They are reader pages like any other ([`crate::site::ReaderRoute::Feed`]
//! and [`crate::site::ReaderRoute::Favicon`]): rendered by the writes that
//! change them, kept by the actor and the edge, validated by ETag. This
//! module owns their routes, cache keys and bodies; [`crate::site`] only
//! delegates to it.
//!
//! - [`entry`]: what a feed says about the blog and each post (ids, dates,
//!   absolute HTML), shared by the three formats.
//! - [`rss`], [`atom`], [`json_feed`]: one writer per format.
//! - [`favicon`]: the blog's icon and the platform's.
//! - [`head`]: the `<link rel="alternate">` and `<link rel="icon">` tags.

pub mod atom;
pub mod entry;
pub mod favicon;
pub mod head;
pub mod json_feed;
pub mod rss;

use crate::reader_headers::Format;
use crate::site::{ReaderRoute, Rendered, Site};
use crate::tags::{tag_from_segment, tag_path};

/// Posts in a feed: the latest ones.
pub const FEED_ITEMS: usize = 20;

/// One of the three feed formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedKind {
    Rss,
    Atom,
    Json,
}

impl FeedKind {
    pub const ALL: [FeedKind; 3] = [FeedKind::Rss, FeedKind::Atom, FeedKind::Json];

    /// The file name at the end of the feed's path.
    pub fn file(self) -> &'static str {
        match self {
            FeedKind::Rss => "rss.xml",
            FeedKind::Atom => "atom.xml",
            FeedKind::Json => "feed.json",
        }
    }

    /// The kind a file name names.
    pub fn from_file(file: &str) -> Option<FeedKind> {
        FeedKind::ALL.into_iter().find(|k| k.file() == file)
    }

    /// Its word in a cache key (never contains `:`).
    fn key(self) -> &'static str {
        match self {
            FeedKind::Rss => "rss",
            FeedKind::Atom => "atom",
            FeedKind::Json => "json",
        }
    }

    /// What the body is, for its `Content-Type`.
    pub fn format(self) -> Format {
        match self {
            FeedKind::Rss => Format::Rss,
            FeedKind::Atom => Format::Atom,
            FeedKind::Json => Format::JsonFeed,
        }
    }

    /// The format's name, for a link's title.
    pub fn label(self) -> &'static str {
        match self {
            FeedKind::Rss => "RSS",
            FeedKind::Atom => "Atom",
            FeedKind::Json => "JSON Feed",
        }
    }
}

/// The route of a feed's or the icon's path segments: `["rss.xml"]`,
/// `["tags", "{tag}", "atom.xml"]`, `["favicon.ico"]`; `None` if they name
/// neither.
pub fn route(segments: &[&str]) -> Option<ReaderRoute> {
    match segments {
        [file] => match FeedKind::from_file(file) {
            Some(kind) => Some(ReaderRoute::Feed { kind, tag: None }),
            None => favicon::IconPath::of_file(file).map(ReaderRoute::Favicon),
        },
        ["tags", segment, file] => {
            let kind = FeedKind::from_file(file)?;
            let tag = tag_from_segment(segment)?;
            Some(ReaderRoute::Feed {
                kind,
                tag: Some(tag),
            })
        }
        _ => None,
    }
}

/// The canonical path of a feed: `/rss.xml`, `/tags/caf%C3%A9/rss.xml`.
pub fn path(kind: FeedKind, tag: Option<&str>) -> String {
    match tag {
        None => format!("/{}", kind.file()),
        Some(tag) => format!("{}/{}", tag_path(tag, 1), kind.file()),
    }
}

/// The cache key of a feed: `feed:rss:` for the blog, `feed:rss:{tag}`
/// for a tag (a tag never contains `:`).
pub fn cache_key(kind: FeedKind, tag: Option<&str>) -> String {
    format!("feed:{}:{}", kind.key(), tag.unwrap_or_default())
}

/// The route a feed's cache key names (the part after `feed:`).
pub fn route_from_key(rest: &str) -> Option<ReaderRoute> {
    let (kind, tag) = rest.split_once(':')?;
    let kind = FeedKind::ALL.into_iter().find(|k| k.key() == kind)?;
    let tag = (!tag.is_empty()).then(|| tag.to_string());
    Some(ReaderRoute::Feed { kind, tag })
}

/// The keys of the blog's three feeds.
pub fn site_keys() -> impl Iterator<Item = String> {
    FeedKind::ALL.into_iter().map(|k| cache_key(k, None))
}

/// The keys of a tag's three feeds.
pub fn tag_keys(tag: &str) -> impl Iterator<Item = String> + '_ {
    FeedKind::ALL
        .into_iter()
        .map(move |k| cache_key(k, Some(tag)))
}

/// Renders a feed: the blog's latest [`FEED_ITEMS`] posts, or a tag's;
/// `None` for a tag no visible post carries (its page is a 404 too).
pub fn render(site: &Site, kind: FeedKind, tag: Option<&str>) -> Option<Rendered> {
    let posts: Vec<_> = match tag {
        None => site.posts().iter().take(FEED_ITEMS).collect(),
        Some(tag) => site.tagged(tag).take(FEED_ITEMS).collect(),
    };
    if tag.is_some() && posts.is_empty() {
        return None;
    }
    let channel = entry::Channel::of(site, tag, kind, &posts);
    let body = match kind {
        FeedKind::Rss => rss::write(&channel),
        FeedKind::Atom => atom::write(&channel),
        FeedKind::Json => json_feed::write(&channel),
    }?;
    Some(Rendered::of(kind.format(), 200, body))
}

/// The XML document `write` makes. `None` only if writing to memory
/// failed or the bytes were not UTF-8, neither of which happens: every
/// text written comes from a `&str`.
pub(crate) fn xml_string(
    write: impl FnOnce(&mut quick_xml::Writer<Vec<u8>>) -> std::io::Result<()>,
) -> Option<String> {
    let mut w = quick_xml::Writer::new(Vec::new());
    write(&mut w).ok()?;
    String::from_utf8(w.into_inner()).ok()
}

#[cfg(test)]
mod tests;
