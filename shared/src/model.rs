//! Domain types: tenants, posts, pages, as stored in D1 and held by the TenantDO.
//!
//! Times are Unix milliseconds (`i64`); D1 hands integers back as JS numbers,
//! which are exact up to 2^53.

use serde::{Deserialize, Serialize};

/// A tenant as the router knows it: the immutable id that keys its actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantRef {
    pub id: String,
    pub subdomain: String,
    /// The user who may change this tenant.
    pub owner_id: String,
    /// The blog's primary custom domain, if it has one: readers on its
    /// other hosts are redirected there ([`crate::domains::redirect`]).
    /// Required in a stored mapping (no default), so a mapping kept from
    /// before primaries existed does not parse and is read again.
    #[serde(deserialize_with = "Option::deserialize")]
    pub primary_domain: Option<String>,
    /// When the host looked up is the www (or bare) alias of a domain: that
    /// domain. Required like `primary_domain`.
    #[serde(deserialize_with = "Option::deserialize")]
    pub alias_of: Option<String>,
}

/// Publication state of a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PostStatus {
    Draft,
    Published,
    Scheduled,
}

impl PostStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PostStatus::Draft => "draft",
            PostStatus::Published => "published",
            PostStatus::Scheduled => "scheduled",
        }
    }
}

/// A blog post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub markdown: String,
    pub status: PostStatus,
    pub tags: Vec<String>,
    pub published_at: Option<i64>,
    pub updated_at: i64,
    pub version: i64,
}

impl Post {
    /// Whether a reader may see this post at `now`.
    pub fn is_visible_at(&self, now: i64) -> bool {
        self.status == PostStatus::Published && self.published_at.is_some_and(|t| t <= now)
    }
}

/// A standalone page (About, Contact, ...), reachable at `/{slug}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub markdown: String,
    pub show_in_nav: bool,
    pub nav_order: i64,
    pub updated_at: i64,
    pub version: i64,
}

/// Parses the `tags` column: a JSON array of strings. Anything else is no tags.
pub fn parse_tags(raw: &str) -> Vec<String> {
    serde_json::from_str::<Vec<String>>(raw).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(status: PostStatus, published_at: Option<i64>) -> Post {
        Post {
            id: "p".into(),
            slug: "s".into(),
            title: "t".into(),
            markdown: String::new(),
            status,
            tags: vec![],
            published_at,
            updated_at: 0,
            version: 1,
        }
    }

    #[test]
    fn only_published_posts_whose_time_has_come_are_visible() {
        assert!(post(PostStatus::Published, Some(10)).is_visible_at(10));
        assert!(!post(PostStatus::Published, Some(11)).is_visible_at(10));
        assert!(!post(PostStatus::Published, None).is_visible_at(10));
        assert!(!post(PostStatus::Draft, Some(1)).is_visible_at(10));
        assert!(!post(PostStatus::Scheduled, Some(1)).is_visible_at(10));
    }

    #[test]
    fn a_stored_mapping_without_the_primary_domain_is_not_trusted() {
        let old = r#"{"id":"t","subdomain":"a","owner_id":"u"}"#;
        assert!(serde_json::from_str::<TenantRef>(old).is_err());
        let new = r#"{"id":"t","subdomain":"a","owner_id":"u","primary_domain":null,"alias_of":"example.com"}"#;
        let t: TenantRef = serde_json::from_str(new).unwrap();
        assert_eq!(
            (t.primary_domain, t.alias_of.as_deref()),
            (None, Some("example.com"))
        );
    }

    #[test]
    fn tags_parse_from_json_or_fall_back_to_none() {
        assert_eq!(parse_tags(r#"["rust","wasm"]"#), vec!["rust", "wasm"]);
        assert!(parse_tags("rust,wasm").is_empty());
        assert!(parse_tags("").is_empty());
    }
}
