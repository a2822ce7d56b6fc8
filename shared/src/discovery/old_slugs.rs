//! A post's old addresses: when the slug of a live post changes, the old
//! slug is kept (D1's `post_old_slugs`, loaded with the content), and
//! `/blog/{old}` answers 301 to the post's address as it now stands.
//!
//! Rules, decided here and applied in the same batch as the post's write:
//! - renaming a live (published, visible) post keeps its old slug; a
//!   draft's slug was never public, so it keeps none;
//! - a slug that a post takes (created or renamed onto it) stops
//!   redirecting: a post at an address always wins over a redirect;
//! - a deleted post's old slugs go with it.
//!
//! Old slugs point at the post's id, so a post renamed twice redirects from
//! both old addresses straight to the newest one.

use crate::admin::content::{Change, TenantContent};
use crate::model::Post;

/// A kept old slug of a post.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OldSlug {
    pub slug: String,
    pub post_id: String,
    /// When the post left this slug (Unix ms).
    pub created_at: i64,
}

/// A change to the kept old slugs (one `Change::OldSlug` each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OldSlugChange {
    /// Keep `slug` as an old address of `post_id` (replacing any other).
    Keep(OldSlug),
    /// A post now lives at `slug`: it no longer redirects.
    Release { slug: String },
    /// The post is gone: its old addresses go too.
    ForgetPost { post_id: String },
}

/// The old-slug changes that follow from a plan's post changes, planned
/// against `content` as it stands before the plan.
pub fn follow(content: &TenantContent, changes: &[Change], now: i64) -> Vec<Change> {
    let mut out = Vec::new();
    let taken = |slug: &str, out: &mut Vec<Change>| {
        if content.old_slugs.iter().any(|o| o.slug == slug) {
            out.push(Change::OldSlug(OldSlugChange::Release {
                slug: slug.to_string(),
            }));
        }
    };
    for change in changes {
        match change {
            Change::InsertPost(post) => taken(&post.slug, &mut out),
            Change::UpdatePost { post, .. } => {
                let Some(before) = content.post(&post.id) else {
                    continue;
                };
                if before.slug == post.slug {
                    continue;
                }
                taken(&post.slug, &mut out);
                if before.is_visible_at(now) {
                    out.push(Change::OldSlug(OldSlugChange::Keep(OldSlug {
                        slug: before.slug.clone(),
                        post_id: post.id.clone(),
                        created_at: now,
                    })));
                }
            }
            Change::DeletePost { id } if content.old_slugs.iter().any(|o| &o.post_id == id) => {
                out.push(Change::OldSlug(OldSlugChange::ForgetPost {
                    post_id: id.clone(),
                }));
            }
            _ => {}
        }
    }
    out
}

/// Applies a committed change to the kept old slugs.
pub fn apply(old_slugs: &mut Vec<OldSlug>, change: &OldSlugChange) {
    match change {
        OldSlugChange::Keep(kept) => {
            old_slugs.retain(|o| o.slug != kept.slug);
            old_slugs.push(kept.clone());
        }
        OldSlugChange::Release { slug } => old_slugs.retain(|o| &o.slug != slug),
        OldSlugChange::ForgetPost { post_id } => old_slugs.retain(|o| &o.post_id != post_id),
    }
}

/// The old slugs of one post, most recent first (for the editor).
pub fn of_post<'a>(old_slugs: &'a [OldSlug], post_id: &str) -> Vec<&'a str> {
    let mut mine: Vec<&OldSlug> = old_slugs.iter().filter(|o| o.post_id == post_id).collect();
    mine.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.slug.cmp(&b.slug)));
    mine.into_iter().map(|o| o.slug.as_str()).collect()
}

/// Where `/blog/{slug}` now lives, if `slug` is an old slug of a visible
/// post (`posts`: the visible ones).
pub fn target<'a>(old_slugs: &[OldSlug], posts: &'a [Post], slug: &str) -> Option<&'a Post> {
    let kept = old_slugs.iter().find(|o| o.slug == slug)?;
    posts.iter().find(|p| p.id == kept.post_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::content::{Command, Outcome, WriteCtx};
    use crate::admin::input::PostInput;
    use crate::admin::test_fixtures::{content, ctx};
    use crate::model::PostStatus;
    use crate::site::ReaderRoute;

    fn write(c: &mut TenantContent, command: Command, ctx: &WriteCtx) -> Post {
        let plan = c.plan(&command, ctx).unwrap();
        c.apply(&plan);
        match plan.outcome {
            Outcome::Post(p) => p,
            other => panic!("a post, got {other:?}"),
        }
    }

    fn draft(title: &str, slug: &str, status: PostStatus) -> crate::admin::input::PostDraft {
        PostInput {
            title: title.into(),
            slug: Some(slug.into()),
            markdown: "Body".into(),
            status: Some(status),
            ..Default::default()
        }
        .validate(1_000)
        .unwrap()
    }

    fn rename(c: &mut TenantContent, id: &str, slug: &str, status: PostStatus, now: i64) -> Post {
        let version = c.post(id).unwrap().version;
        write(
            c,
            Command::UpdatePost {
                id: id.into(),
                version,
                draft: draft("Post", slug, status),
            },
            &ctx(now, "x"),
        )
    }

    #[test]
    fn renaming_a_live_post_keeps_the_old_slug_which_redirects() {
        let mut c = content();
        write(
            &mut c,
            Command::CreatePost(draft("Post", "first", PostStatus::Published)),
            &ctx(1_000, "p1"),
        );
        rename(&mut c, "p1", "second", PostStatus::Published, 2_000);
        rename(&mut c, "p1", "third", PostStatus::Published, 3_000);
        assert_eq!(of_post(&c.old_slugs, "p1"), ["second", "first"]);
        let site = c.site(4_000);
        for old in ["first", "second"] {
            let r = site.render(&ReaderRoute::Post(old.into()));
            assert_eq!(r.status, 301, "{old}");
            assert_eq!(r.location.as_deref(), Some("/blog/third"));
        }
        assert_eq!(site.render(&ReaderRoute::Post("third".into())).status, 200);
        assert_eq!(site.render(&ReaderRoute::Post("nope".into())).status, 404);
        // Renaming back onto an old slug: it is live again, not a redirect.
        rename(&mut c, "p1", "first", PostStatus::Published, 5_000);
        assert_eq!(of_post(&c.old_slugs, "p1"), ["third", "second"]);
        let site = c.site(6_000);
        assert_eq!(site.render(&ReaderRoute::Post("first".into())).status, 200);
        assert_eq!(
            site.render(&ReaderRoute::Post("third".into()))
                .location
                .as_deref(),
            Some("/blog/first")
        );
    }

    #[test]
    fn a_new_post_taking_an_old_slug_wins_over_the_redirect() {
        let mut c = content();
        write(
            &mut c,
            Command::CreatePost(draft("Post", "first", PostStatus::Published)),
            &ctx(1_000, "p1"),
        );
        rename(&mut c, "p1", "moved", PostStatus::Published, 2_000);
        let plan = c
            .plan(
                &Command::CreatePost(draft("New", "first", PostStatus::Published)),
                &ctx(3_000, "p2"),
            )
            .unwrap();
        assert!(plan
            .changes
            .contains(&Change::OldSlug(OldSlugChange::Release {
                slug: "first".into()
            })));
        c.apply(&plan);
        assert!(c.old_slugs.is_empty());
        let r = c.site(4_000).render(&ReaderRoute::Post("first".into()));
        assert_eq!(r.status, 200);
        assert!(r.html.contains("New"));
    }

    #[test]
    fn drafts_keep_no_old_slug_and_deleted_posts_forget_theirs() {
        let mut c = content();
        write(
            &mut c,
            Command::CreatePost(draft("Post", "a", PostStatus::Draft)),
            &ctx(1_000, "p1"),
        );
        rename(&mut c, "p1", "b", PostStatus::Draft, 2_000);
        assert!(c.old_slugs.is_empty(), "a draft's slug was never public");
        rename(&mut c, "p1", "c", PostStatus::Published, 3_000);
        assert!(c.old_slugs.is_empty());
        rename(&mut c, "p1", "d", PostStatus::Published, 4_000);
        assert_eq!(of_post(&c.old_slugs, "p1"), ["c"]);
        // Unpublished: the old address is a 404 like the post's own.
        rename(&mut c, "p1", "d", PostStatus::Draft, 5_000);
        assert_eq!(
            c.site(6_000).render(&ReaderRoute::Post("c".into())).status,
            404
        );
        let plan = c
            .plan(
                &Command::DeletePost {
                    id: "p1".into(),
                    version: None,
                },
                &ctx(7_000, "x"),
            )
            .unwrap();
        c.apply(&plan);
        assert!(c.old_slugs.is_empty());
    }
}
