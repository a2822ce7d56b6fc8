//! Which posts and pages use a file: their Markdown names its path.

use crate::admin::content::TenantContent;

use super::item::MediaItem;

/// The titles of the posts and pages whose Markdown uses `item`.
pub fn used_by(content: &TenantContent, item: &MediaItem) -> Vec<String> {
    let path = item.path();
    let posts = content
        .posts
        .iter()
        .filter(|p| p.markdown.contains(&path))
        .map(|p| p.title.clone());
    let pages = content
        .pages
        .iter()
        .filter(|p| p.markdown.contains(&path))
        .map(|p| p.title.clone());
    posts.chain(pages).collect()
}
