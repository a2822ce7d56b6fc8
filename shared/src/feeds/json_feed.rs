//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>), written with
//! `serde_json`: `content_html` is the full HTML, `summary` plain text,
//! dates RFC 3339.

use serde_json::{json, Value};

use super::entry::{rfc3339, Channel};

/// The channel as a JSON Feed document.
pub fn write(c: &Channel) -> Option<String> {
    let author = json!({ "name": c.author.name, "url": c.author.url });
    let items: Vec<Value> = c
        .entries
        .iter()
        .map(|e| {
            json!({
                "id": e.id,
                "url": e.url,
                "title": e.title,
                "content_html": &*e.html,
                "summary": e.summary,
                "date_published": rfc3339(e.published),
                "date_modified": rfc3339(e.updated),
                "tags": e.tags,
                "authors": [author.clone()],
            })
        })
        .collect();
    let mut feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": c.title,
        "home_page_url": c.home_url,
        "feed_url": c.self_url,
        "authors": [author],
        "items": items,
    });
    if !c.description.is_empty() {
        feed["description"] = Value::String(c.description.clone());
    }
    Some(feed.to_string())
}
