//! Fixtures for native tests of the write path.

use std::collections::HashMap;

use super::content::{TenantContent, TenantInfo, WriteCtx};
use crate::model::Page;

pub const OWNER: &str = "u_owner";

/// A tenant with one page ("about") and no posts.
pub fn content() -> TenantContent {
    TenantContent {
        tenant: TenantInfo {
            id: "t_test".into(),
            subdomain: "test".into(),
            display_name: "Test".into(),
            owner_id: OWNER.into(),
            plan: crate::limits::policy::Plan::Free,
            suspended: false,
        },
        canonical_origin: "https://test.grove.place".into(),
        settings: HashMap::new(),
        views: HashMap::new(),
        posts: vec![],
        pages: vec![Page {
            id: "g1".into(),
            slug: "about".into(),
            title: "About".into(),
            markdown: "About us.".into(),
            show_in_nav: true,
            nav_order: 1,
            updated_at: 0,
            version: 1,
        }],
        old_slugs: vec![],
        domains: crate::domains::TenantDomains::new(
            crate::config::PlatformConfig::from_vars("grove.place", "https", "")
                .expect("a valid platform"),
        ),
    }
}

pub fn ctx(now: i64, new_id: &str) -> WriteCtx {
    WriteCtx {
        now,
        user_id: OWNER.into(),
        new_id: new_id.into(),
    }
}
