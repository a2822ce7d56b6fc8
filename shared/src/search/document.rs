//! What the search index holds for each published post and page, and how
//! a hit's snippet becomes safe HTML.
//!
//! The index (SQLite FTS5 in the tenant's own actor storage) keeps the
//! title, the tags and the text of the rendered Markdown, never its markup,
//! so a match is on what a reader sees. FTS5's `snippet()` marks matches
//! with the [`MARK_START`] and [`MARK_END`] control characters, which no
//! indexed text contains; [`snippet_html`] escapes everything else and only
//! then turns those two into `<mark>` and `</mark>`.

use crate::admin::content::TenantContent;
use crate::markdown;
use crate::model::{Page, Post};
use crate::site::{ReaderRoute, Site};

/// Where a match starts in a raw snippet (a control character).
pub const MARK_START: char = '\u{2}';
/// Where a match ends in a raw snippet.
pub const MARK_END: char = '\u{3}';

/// One row of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    /// `post:{id}` or `page:{id}`.
    pub key: String,
    /// The page's path on the blog.
    pub path: String,
    pub title: String,
    /// The tags, space-separated.
    pub tags: String,
    /// The rendered text, without markup.
    pub body: String,
    /// When it went live (Unix ms; pages 0): recency breaks ties.
    pub published_at: i64,
    /// Whether readers may find it (published and live); drafts and
    /// scheduled posts are indexed for the owner's filter only.
    pub visible: bool,
}

/// Text as the index may hold it: the two mark characters are control
/// characters no reader types, and are dropped with every other one.
fn indexable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn post_doc(p: &Post, site: &Site) -> SearchDoc {
    SearchDoc {
        visible: site.posts().iter().any(|v| v.id == p.id),
        key: format!("post:{}", p.id),
        path: ReaderRoute::Post(p.slug.clone()).path(),
        title: indexable(&p.title),
        tags: p.tags.join(" "),
        body: indexable(&markdown::plain_text(&p.markdown)),
        published_at: p.published_at.unwrap_or(0),
    }
}

fn page_doc(p: &Page) -> SearchDoc {
    SearchDoc {
        visible: true,
        key: format!("page:{}", p.id),
        path: ReaderRoute::Page(p.slug.clone()).path(),
        title: indexable(&p.title),
        tags: String::new(),
        body: indexable(&markdown::plain_text(&p.markdown)),
        published_at: 0,
    }
}

/// The index rows of a tenant's content: every post (readers find only
/// those live on `site`, the site built from it) and every page.
pub fn documents(content: &TenantContent, site: &Site) -> Vec<SearchDoc> {
    let posts = content.posts.iter().map(|p| post_doc(p, site));
    let pages = content.pages.iter().map(page_doc);
    posts.chain(pages).collect()
}

/// The index rows a write touched (`keys`: `post:{id}`, `page:{id}`), from
/// the content after it: rows to put (still there, marked visible or not)
/// and keys to drop (deleted). Only the touched posts are turned into text.
pub fn changes(
    content: &TenantContent,
    site: &Site,
    keys: &[String],
) -> (Vec<SearchDoc>, Vec<String>) {
    let wanted = |key: String| keys.contains(&key);
    let mut put: Vec<SearchDoc> = content
        .posts
        .iter()
        .filter(|p| wanted(format!("post:{}", p.id)))
        .map(|p| post_doc(p, site))
        .collect();
    put.extend(
        content
            .pages
            .iter()
            .filter(|p| wanted(format!("page:{}", p.id)))
            .map(page_doc),
    );
    let gone = keys
        .iter()
        .filter(|k| !put.iter().any(|d| &d.key == *k))
        .cloned()
        .collect();
    (put, gone)
}

/// A snippet from FTS5 (matches between [`MARK_START`] and [`MARK_END`])
/// as HTML: the text escaped, the matches in `<mark>`.
pub fn snippet_html(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 32);
    for c in raw.chars() {
        match c {
            MARK_START => out.push_str("<mark>"),
            MARK_END => out.push_str("</mark>"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PostStatus;
    use crate::test_support::{page, post, site_with};

    #[test]
    fn only_what_readers_see_is_indexed_as_text() {
        let mut live = post("live", PostStatus::Published, Some(100));
        live.markdown = "# Heading\n\nSome **bold** text and `code` with <b>html</b>.".into();
        live.tags = vec!["rust".into(), "web".into()];
        let draft = post("draft", PostStatus::Draft, None);
        let mut content = crate::admin::test_fixtures::content();
        content.posts = vec![live.clone(), draft.clone()];
        content.pages = vec![page("about", 0, true)];
        let site = site_with(vec![live, draft], vec![page("about", 0, true)]);
        let docs = documents(&content, &site);
        assert_eq!(docs.len(), 3, "{docs:?}");
        assert!(
            docs[0].visible && !docs[1].visible,
            "the draft is for the owner only"
        );
        let post = &docs[0];
        assert_eq!(
            (post.key.as_str(), post.path.as_str()),
            ("post:id-live", "/blog/live")
        );
        assert_eq!(post.tags, "rust web");
        let words = post.body.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains("Some bold text and code"), "{}", post.body);
        assert!(!post.body.contains("**") && !post.body.contains('#'));
        assert_eq!(docs[2].path, "/about");
    }

    #[test]
    fn snippets_escape_everything_but_the_marks() {
        let raw = format!("a <script> & {MARK_START}garden{MARK_END} \"q\" 'x'");
        assert_eq!(
            snippet_html(&raw),
            "a &lt;script&gt; &amp; <mark>garden</mark> &quot;q&quot; &#39;x&#39;"
        );
        // Text can never forge a mark: control characters are not indexed.
        assert_eq!(indexable("a\u{2}b\u{3}c"), "a b c");
    }
}
