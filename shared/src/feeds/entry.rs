//! What a feed says, whatever its format: the channel (the blog, or one
//! of its tags) and its entries, with ids, dates and absolute HTML.
//!
//! Ids are `urn:uuid:` IRIs derived from the tenant id and the post id
//! (SHA-256, as a version 8 UUID): they name neither the host nor the
//! slug, so a renamed post, a renamed blog or a new primary domain never
//! makes a feed reader show a post twice.

use std::cell::RefCell;
use std::rc::Rc;

use sha2::{Digest, Sha256};

use super::{path, FeedKind};
use crate::byte_lru::ByteLru;
use crate::markdown;
use crate::model::Post;
use crate::site::{etag_of, Site};
use crate::tags::tag_path;

/// Characters of an entry's plain-text summary.
const SUMMARY_CHARS: usize = 300;

/// Bytes of post HTML (made absolute) the isolate keeps between renders:
/// a write renders up to a dozen feeds that share most of their posts.
const HTML_MEMO_BYTES: usize = 4 * 1024 * 1024;

thread_local! {
    static HTML_MEMO: RefCell<ByteLru<Rc<str>>> =
        RefCell::new(ByteLru::with_budget(HTML_MEMO_BYTES));
}

/// A feed's header: the blog, or one tag of it.
#[derive(Debug, Clone)]
pub struct Channel {
    pub id: String,
    pub title: String,
    pub description: String,
    /// The HTML page the feed mirrors (the home page, or the tag's page).
    pub home_url: String,
    /// The feed's own URL.
    pub self_url: String,
    /// The newest entry's time (Unix ms; 0 for no entries).
    pub updated: i64,
    pub author: Author,
    pub entries: Vec<Entry>,
}

/// Who writes the blog: its title and address (Grove keeps no author
/// name apart from the blog's).
#[derive(Debug, Clone)]
pub struct Author {
    pub name: String,
    pub url: String,
}

/// One post as a feed shows it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Stable across slug, host and domain changes.
    pub id: String,
    pub url: String,
    pub title: String,
    /// The post's full, sanitised HTML, links and images absolute.
    pub html: Rc<str>,
    /// Plain text, for readers that show a summary.
    pub summary: String,
    /// Unix ms.
    pub published: i64,
    /// Unix ms; never before `published`.
    pub updated: i64,
    pub tags: Vec<String>,
}

impl Channel {
    /// The channel of the blog (`tag` = `None`) or of one tag, with `posts`.
    pub fn of(site: &Site, tag: Option<&str>, kind: FeedKind, posts: &[&Post]) -> Channel {
        let origin = &site.info.canonical_origin;
        let settings = &site.info.settings;
        let (title, description, home) = match tag {
            None => (
                settings.title.clone(),
                settings.description.clone(),
                "/".to_string(),
            ),
            Some(tag) => (
                format!("{} · #{tag}", settings.title),
                format!("Posts tagged #{tag} on {}", settings.title),
                tag_path(tag, 1),
            ),
        };
        let entries: Vec<Entry> = posts.iter().map(|p| Entry::of(site, p)).collect();
        let scope = match tag {
            None => format!("feed\0{}", site.info.tenant_id),
            Some(tag) => format!("feed\0{}\0tag\0{tag}", site.info.tenant_id),
        };
        Channel {
            id: urn_uuid(&scope),
            title,
            description,
            home_url: format!("{origin}{home}"),
            self_url: format!("{origin}{}", path(kind, tag)),
            updated: entries.iter().map(|e| e.updated).max().unwrap_or(0),
            author: Author {
                name: settings.title.clone(),
                url: format!("{origin}/"),
            },
            entries,
        }
    }
}

impl Entry {
    pub fn of(site: &Site, post: &Post) -> Entry {
        let url = format!("{}/blog/{}", site.info.canonical_origin, post.slug);
        let published = post.published_at.unwrap_or(post.updated_at);
        Entry {
            id: post_id(&site.info.tenant_id, &post.id),
            html: absolute_html(&site.info.tenant_id, &url, &post.markdown),
            url,
            title: post.title.clone(),
            summary: markdown::excerpt(&post.markdown, SUMMARY_CHARS),
            published,
            updated: post.updated_at.max(published),
            tags: post.tags.clone(),
        }
    }
}

/// The id of a post in every feed: from the tenant and post ids only.
pub fn post_id(tenant_id: &str, post_id: &str) -> String {
    urn_uuid(&format!("post\0{tenant_id}\0{post_id}"))
}

/// `urn:uuid:…`: a version 8 (custom) UUID from the SHA-256 of `name`.
fn urn_uuid(name: &str) -> String {
    let digest = Sha256::digest(format!("grove-feed-id\0{name}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A post's HTML with its relative links and images made absolute against
/// its own URL (so `/media/…` and `#notes` work in any feed reader),
/// remembered by tenant, URL and text so a write's dozen feeds render it
/// once (the memo is the isolate's, shared by its tenants).
fn absolute_html(tenant_id: &str, post_url: &str, text: &str) -> Rc<str> {
    let key = format!("{tenant_id}\0{post_url}\0{}", etag_of(text));
    if let Some(html) = HTML_MEMO.with(|m| m.borrow_mut().get(&key).cloned()) {
        return html;
    }
    let html: Rc<str> = markdown::render_absolute(text, post_url).into();
    HTML_MEMO.with(|m| {
        m.borrow_mut()
            .insert(key.clone(), Rc::clone(&html), key.len() + html.len())
    });
    html
}

/// RFC 822 (as RFC 2822 and HTTP write it), for RSS: `Mon, 30 Nov 2026 08:05:09 GMT`.
pub fn rfc822(ms: i64) -> String {
    crate::time::http_date(ms)
}

/// RFC 3339 in UTC to the second, for Atom and JSON Feed: `2026-11-30T08:05:09Z`.
pub fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_second(ms.div_euclid(1000))
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_string()
}
