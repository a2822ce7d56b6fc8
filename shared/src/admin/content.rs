//! A tenant's whole content as its actor holds it (drafts included), and
//! the pure planning of writes against it.
//!
//! A write is planned first ([`TenantContent::plan`]: validate against the
//! current state, decide versions and times, list the storage changes),
//! then committed to D1 as one batch, and only then applied to memory
//! ([`TenantContent::apply`]). A failed commit leaves memory untouched.

use std::collections::HashMap;

use super::errors::WriteError;
use super::input::{PageDraft, PostDraft, SettingsDraft};
use crate::model::{Page, Post, PostStatus};
use crate::plans::QuotaKind;
use crate::site::{Site, SiteInfo};
use crate::theme::SiteSettings;

/// Who the tenant is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantInfo {
    pub id: String,
    pub subdomain: String,
    pub display_name: String,
    pub owner_id: String,
    pub plan: crate::limits::policy::Plan,
    /// Suspended by operators: readers get a 503 page, owners cannot write.
    pub suspended: bool,
}

/// Everything the actor knows about its tenant.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantContent {
    pub tenant: TenantInfo,
    /// `scheme://host[:port]` of the tenant's primary host.
    pub canonical_origin: String,
    pub settings: HashMap<String, String>,
    /// Every post, any status.
    pub posts: Vec<Post>,
    pub pages: Vec<Page>,
    /// Views per post id, as flushed to D1.
    pub views: HashMap<String, i64>,
    /// Custom domains, verified or pending (`canonical_origin` follows
    /// their primary).
    pub domains: crate::domains::TenantDomains,
    /// Old slugs of posts, which redirect to them (`discovery::old_slugs`).
    pub old_slugs: Vec<crate::discovery::old_slugs::OldSlug>,
}

/// The facts a write needs from outside: time, the author, a fresh id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteCtx {
    pub now: i64,
    pub user_id: String,
    /// An unused id, for a create.
    pub new_id: String,
}

/// A write an owner (or the scheduler) asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    CreatePost(PostDraft),
    UpdatePost {
        id: String,
        version: i64,
        draft: PostDraft,
    },
    DeletePost {
        id: String,
        version: Option<i64>,
    },
    CreatePage(PageDraft),
    UpdatePage {
        id: String,
        version: i64,
        draft: PageDraft,
    },
    DeletePage {
        id: String,
        version: Option<i64>,
    },
    UpdateSettings(SettingsDraft),
    /// Publish every scheduled post whose time has come (the alarm).
    PublishDue,
    /// Operators suspend (or reinstate) the tenant.
    SetSuspended(bool),
    /// The owner renames the blog's subdomain to `to` (checked already,
    /// `lifecycle::rename`).
    Rename {
        to: String,
    },
    /// The blog moves to another plan (operators, an approved upgrade, or
    /// the owner's downgrade). Nothing is deleted by a downgrade.
    SetPlan(crate::plans::Plan),
    /// The owner's custom domains (`crate::domains::plan`).
    Domain(crate::domains::plan::DomainCommand),
    /// An import: many posts and pages in one batch (`crate::import::plan`).
    Import(Box<crate::import::plan::ImportCommand>),
}

/// One row of a post's history: the state after an accepted write.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Revision {
    pub post_id: String,
    pub version: i64,
    pub title: String,
    pub markdown: String,
    pub status: PostStatus,
    pub edited_by: String,
    pub edited_at: i64,
}

/// A storage change; a commit applies a list of them atomically.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    InsertPost(Post),
    /// Update guarded by the version the plan was based on.
    UpdatePost {
        post: Post,
        expected_version: i64,
    },
    DeletePost {
        id: String,
    },
    InsertRevision(Revision),
    InsertPage(Page),
    UpdatePage {
        page: Page,
        expected_version: i64,
    },
    DeletePage {
        id: String,
    },
    PutSetting {
        key: String,
        value: String,
    },
    /// The tenant's suspension flag (operators only).
    SetSuspended(bool),
    /// The subdomain moves from `from` to `to`; `from` is held for this
    /// tenant until `held_until` (one batch: `d1_store`).
    Rename {
        from: String,
        to: String,
        held_until: i64,
    },
    /// The tenant's plan.
    SetPlan(crate::plans::Plan),
    /// A row of the `domains` table.
    Domain(crate::domains::plan::DomainChange),
    /// A row of `post_old_slugs` (`discovery::old_slugs`).
    OldSlug(crate::discovery::old_slugs::OldSlugChange),
}

/// What a successful write produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Post(Post),
    Page(Page),
    Deleted,
    Settings,
    /// Ids of scheduled posts that went live.
    Published(Vec<String>),
    /// The tenant's suspension, as it now stands.
    Suspended(bool),
    /// The subdomain, as it now stands.
    Renamed {
        from: String,
        to: String,
    },
    /// The tenant's plan, as it now stands.
    Plan(crate::plans::Plan),
    /// A custom domain as it now stands (`None` once removed).
    Domain(Option<crate::domains::Domain>),
    /// What an import did.
    Imported(Box<crate::import::plan::Report>),
}

/// A planned write: the changes to commit and the outcome once committed.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub changes: Vec<Change>,
    pub outcome: Outcome,
}

fn conflict_version(kind: &str, current: i64) -> WriteError {
    WriteError::Conflict(format!(
        "This {kind} was changed since you opened it (it is now at version {current}). Reload it and apply your edit again."
    ))
}

pub(crate) fn revision(post: &Post, ctx: &WriteCtx) -> Change {
    Change::InsertRevision(Revision {
        post_id: post.id.clone(),
        version: post.version,
        title: post.title.clone(),
        markdown: post.markdown.clone(),
        status: post.status,
        edited_by: ctx.user_id.clone(),
        edited_at: ctx.now,
    })
}

impl TenantContent {
    /// The public site at `now`: only what readers may see.
    pub fn site(&self, now: i64) -> Site {
        let info = SiteInfo {
            tenant_id: self.tenant.id.clone(),
            canonical_origin: self.canonical_origin.clone(),
            settings: self.site_settings(),
        };
        Site::new(info, self.posts.clone(), self.pages.clone(), now)
            .with_old_slugs(self.old_slugs.clone())
    }

    pub fn site_settings(&self) -> SiteSettings {
        SiteSettings::from_rows(&self.tenant.display_name, &self.settings)
    }

    pub fn post(&self, id: &str) -> Option<&Post> {
        self.posts.iter().find(|p| p.id == id)
    }

    pub fn page(&self, id: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.id == id)
    }

    /// Adds flushed views (by slug) to the counts shown in the admin.
    pub fn add_views(&mut self, batch: &[(String, u64)]) {
        for (slug, n) in batch {
            if let Some(post) = self.posts.iter().find(|p| &p.slug == slug) {
                *self.views.entry(post.id.clone()).or_insert(0) += *n as i64;
            }
        }
    }

    /// What it holds in memory, roughly (strings and a fixed cost per item).
    pub fn approx_bytes(&self) -> usize {
        const ITEM: usize = 160;
        let posts: usize = self
            .posts
            .iter()
            .map(|p| {
                let tags: usize = p.tags.iter().map(|t| t.len() + 24).sum();
                ITEM + p.id.len() + p.slug.len() + p.title.len() + p.markdown.len() + tags
            })
            .sum();
        let pages: usize = self
            .pages
            .iter()
            .map(|p| ITEM + p.id.len() + p.slug.len() + p.title.len() + p.markdown.len())
            .sum();
        let settings: usize = self
            .settings
            .iter()
            .map(|(k, v)| ITEM + k.len() + v.len())
            .sum();
        let views = self.views.len() * (ITEM / 2 + 32);
        1024 + posts + pages + settings + views
    }

    /// How much of a quota the blog uses now. Media is booked in D1
    /// (`media::library`), not part of the content, so not counted here;
    /// custom domains are (verified and pending, aliases not counted).
    pub fn usage(&self, kind: QuotaKind) -> Option<u64> {
        match kind {
            QuotaKind::PublishedPosts => Some(
                self.posts
                    .iter()
                    .filter(|p| p.status != PostStatus::Draft)
                    .count() as u64,
            ),
            QuotaKind::Pages => Some(self.pages.len() as u64),
            QuotaKind::CustomDomains => Some(self.domains.counted() as u64),
            QuotaKind::MediaBytes => None,
        }
    }

    /// Refuses a write that would add one more of `kind` at or over the
    /// plan's quota. Runs inside the tenant's write queue, so the count and
    /// the write it guards are never interleaved with another write: of N
    /// creates at quota − 1, exactly one gets through. A blog over its
    /// quota (after a downgrade) keeps everything; it only cannot add more.
    fn check_quota(&self, kind: QuotaKind) -> Result<(), WriteError> {
        let plan = self.tenant.plan;
        match self.usage(kind) {
            Some(used) if used >= kind.limit(plan) => Err(WriteError::OverQuota { kind, plan }),
            _ => Ok(()),
        }
    }

    /// When the next scheduled post goes live.
    pub fn next_scheduled(&self) -> Option<i64> {
        self.posts
            .iter()
            .filter(|p| p.status == PostStatus::Scheduled)
            .filter_map(|p| p.published_at)
            .min()
    }

    /// Validates `command` against the current state and lists its changes.
    pub fn plan(&self, command: &Command, ctx: &WriteCtx) -> Result<Plan, WriteError> {
        let mut plan = self.plan_command(command, ctx)?;
        // Posts' old addresses follow their slugs, in the same batch.
        let old_slugs = crate::discovery::old_slugs::follow(self, &plan.changes, ctx.now);
        plan.changes.extend(old_slugs);
        Ok(plan)
    }

    fn plan_command(&self, command: &Command, ctx: &WriteCtx) -> Result<Plan, WriteError> {
        match command {
            Command::CreatePost(draft) => {
                self.check_post_slug(&draft.slug, None)?;
                let post = self.build_post(ctx.new_id.clone(), draft, None, 1, ctx);
                if post.status != PostStatus::Draft {
                    self.check_quota(QuotaKind::PublishedPosts)?;
                }
                Ok(Plan {
                    changes: vec![Change::InsertPost(post.clone()), revision(&post, ctx)],
                    outcome: Outcome::Post(post),
                })
            }
            Command::UpdatePost { id, version, draft } => {
                let current = self.post(id).ok_or(WriteError::NotFound)?;
                if current.version != *version {
                    return Err(conflict_version("post", current.version));
                }
                self.check_post_slug(&draft.slug, Some(id))?;
                let post =
                    self.build_post(id.clone(), draft, Some(current), current.version + 1, ctx);
                if current.status == PostStatus::Draft && post.status != PostStatus::Draft {
                    self.check_quota(QuotaKind::PublishedPosts)?;
                }
                Ok(Plan {
                    changes: vec![
                        Change::UpdatePost {
                            post: post.clone(),
                            expected_version: current.version,
                        },
                        revision(&post, ctx),
                    ],
                    outcome: Outcome::Post(post),
                })
            }
            Command::DeletePost { id, version } => {
                let current = self.post(id).ok_or(WriteError::NotFound)?;
                if version.is_some_and(|v| v != current.version) {
                    return Err(conflict_version("post", current.version));
                }
                Ok(Plan {
                    changes: vec![Change::DeletePost { id: id.clone() }],
                    outcome: Outcome::Deleted,
                })
            }
            Command::CreatePage(draft) => {
                self.check_page_slug(&draft.slug, None)?;
                self.check_quota(QuotaKind::Pages)?;
                let page = build_page(ctx.new_id.clone(), draft, 1, ctx.now);
                Ok(Plan {
                    changes: vec![Change::InsertPage(page.clone())],
                    outcome: Outcome::Page(page),
                })
            }
            Command::UpdatePage { id, version, draft } => {
                let current = self.page(id).ok_or(WriteError::NotFound)?;
                if current.version != *version {
                    return Err(conflict_version("page", current.version));
                }
                self.check_page_slug(&draft.slug, Some(id))?;
                let page = build_page(id.clone(), draft, current.version + 1, ctx.now);
                Ok(Plan {
                    changes: vec![Change::UpdatePage {
                        page: page.clone(),
                        expected_version: current.version,
                    }],
                    outcome: Outcome::Page(page),
                })
            }
            Command::DeletePage { id, version } => {
                let current = self.page(id).ok_or(WriteError::NotFound)?;
                if version.is_some_and(|v| v != current.version) {
                    return Err(conflict_version("page", current.version));
                }
                Ok(Plan {
                    changes: vec![Change::DeletePage { id: id.clone() }],
                    outcome: Outcome::Deleted,
                })
            }
            Command::UpdateSettings(draft) => {
                let current = self.site_settings();
                draft.check_contrast(current.theme, current.primary_color.as_ref())?;
                Ok(Plan {
                    changes: draft
                        .rows
                        .iter()
                        .map(|(key, value)| Change::PutSetting {
                            key: key.clone(),
                            value: value.clone(),
                        })
                        .collect(),
                    outcome: Outcome::Settings,
                })
            }
            Command::PublishDue => {
                let mut changes = Vec::new();
                let mut ids = Vec::new();
                for p in &self.posts {
                    if p.status == PostStatus::Scheduled
                        && p.published_at.is_some_and(|t| t <= ctx.now)
                    {
                        let mut post = p.clone();
                        post.status = PostStatus::Published;
                        post.version += 1;
                        post.updated_at = ctx.now;
                        ids.push(post.id.clone());
                        let rev = revision(&post, ctx);
                        changes.push(Change::UpdatePost {
                            post,
                            expected_version: p.version,
                        });
                        changes.push(rev);
                    }
                }
                Ok(Plan {
                    changes,
                    outcome: Outcome::Published(ids),
                })
            }
            Command::SetSuspended(suspended) => Ok(Plan {
                changes: if self.tenant.suspended == *suspended {
                    Vec::new()
                } else {
                    vec![Change::SetSuspended(*suspended)]
                },
                outcome: Outcome::Suspended(*suspended),
            }),
            Command::Rename { to } => {
                let from = self.tenant.subdomain.clone();
                if *to == from {
                    return Err(crate::lifecycle::rename::Refusal::Unchanged.error());
                }
                Ok(Plan {
                    changes: vec![Change::Rename {
                        from: from.clone(),
                        to: to.clone(),
                        held_until: ctx.now + crate::lifecycle::rename::HOLD_MS,
                    }],
                    outcome: Outcome::Renamed {
                        from,
                        to: to.clone(),
                    },
                })
            }
            Command::SetPlan(plan) => Ok(Plan {
                changes: if self.tenant.plan == *plan {
                    Vec::new()
                } else {
                    vec![Change::SetPlan(*plan)]
                },
                outcome: Outcome::Plan(*plan),
            }),
            Command::Domain(command) => {
                let (changes, domain) = self.domains.plan(command, self.tenant.plan, ctx.now)?;
                Ok(Plan {
                    changes: changes.into_iter().map(Change::Domain).collect(),
                    outcome: Outcome::Domain(domain),
                })
            }
            Command::Import(import) => crate::import::plan::command(self, import, ctx),
        }
    }

    /// Applies a committed plan to memory.
    pub fn apply(&mut self, plan: &Plan) {
        for change in &plan.changes {
            match change {
                Change::InsertPost(post) => self.posts.push(post.clone()),
                Change::UpdatePost { post, .. } => {
                    if let Some(slot) = self.posts.iter_mut().find(|p| p.id == post.id) {
                        *slot = post.clone();
                    }
                }
                Change::DeletePost { id } => self.posts.retain(|p| &p.id != id),
                Change::InsertRevision(_) => {}
                Change::InsertPage(page) => self.pages.push(page.clone()),
                Change::UpdatePage { page, .. } => {
                    if let Some(slot) = self.pages.iter_mut().find(|p| p.id == page.id) {
                        *slot = page.clone();
                    }
                }
                Change::DeletePage { id } => self.pages.retain(|p| &p.id != id),
                Change::PutSetting { key, value } => {
                    self.settings.insert(key.clone(), value.clone());
                }
                Change::SetSuspended(suspended) => self.tenant.suspended = *suspended,
                // Canonical links follow the subdomain unless a custom
                // domain is primary.
                Change::Rename { to, .. } => {
                    self.tenant.subdomain = to.clone();
                    self.canonical_origin = self.domains.canonical_origin(to);
                }
                Change::SetPlan(plan) => self.tenant.plan = *plan,
                Change::Domain(change) => {
                    self.domains.apply(change);
                    self.canonical_origin = self.domains.canonical_origin(&self.tenant.subdomain);
                }
                Change::OldSlug(change) => {
                    crate::discovery::old_slugs::apply(&mut self.old_slugs, change)
                }
            }
        }
    }

    fn check_post_slug(&self, slug: &str, except: Option<&str>) -> Result<(), WriteError> {
        if self
            .posts
            .iter()
            .any(|p| p.slug == slug && Some(p.id.as_str()) != except)
        {
            return Err(WriteError::Conflict(format!(
                "Another post already uses the slug \"{slug}\"."
            )));
        }
        Ok(())
    }

    fn check_page_slug(&self, slug: &str, except: Option<&str>) -> Result<(), WriteError> {
        if self
            .pages
            .iter()
            .any(|p| p.slug == slug && Some(p.id.as_str()) != except)
        {
            return Err(WriteError::Conflict(format!(
                "Another page already uses the slug \"{slug}\"."
            )));
        }
        Ok(())
    }

    fn build_post(
        &self,
        id: String,
        draft: &PostDraft,
        current: Option<&Post>,
        version: i64,
        ctx: &WriteCtx,
    ) -> Post {
        let kept = current
            .filter(|c| c.status == PostStatus::Published)
            .and_then(|c| c.published_at);
        let published_at = match draft.status {
            PostStatus::Draft => None,
            PostStatus::Scheduled => draft.publish_at,
            // The editor shows the time to the minute: the same minute
            // sent back keeps the stored time, so re-saving a post does not
            // move it (or swap it with a post of the same minute).
            PostStatus::Published => match (draft.publish_at, kept) {
                (Some(asked), Some(kept)) if same_minute(asked, kept) => Some(kept),
                (Some(asked), _) => Some(asked),
                (None, kept) => kept.or(Some(ctx.now)),
            },
        };
        Post {
            id,
            slug: draft.slug.clone(),
            title: draft.title.clone(),
            markdown: draft.markdown.clone(),
            status: draft.status,
            tags: draft.tags.clone(),
            published_at,
            updated_at: ctx.now,
            version,
        }
    }
}

/// Whether two times (Unix ms) fall in the same minute.
fn same_minute(a: i64, b: i64) -> bool {
    a.div_euclid(60_000) == b.div_euclid(60_000)
}

fn build_page(id: String, draft: &PageDraft, version: i64, now: i64) -> Page {
    Page {
        id,
        slug: draft.slug.clone(),
        title: draft.title.clone(),
        markdown: draft.markdown.clone(),
        show_in_nav: draft.show_in_nav,
        nav_order: draft.nav_order,
        updated_at: now,
        version,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::input::{PageInput, PostInput, SettingsInput};
    use crate::admin::test_fixtures::{content, ctx};
    use crate::theme::ThemePreset;

    fn draft(title: &str, status: PostStatus, publish_at: Option<i64>) -> PostDraft {
        PostInput {
            title: title.into(),
            markdown: "Body".into(),
            status: Some(status),
            publish_at,
            ..Default::default()
        }
        .validate(1_000)
        .unwrap()
    }

    fn apply(c: &mut TenantContent, cmd: Command, ctx: &WriteCtx) -> Result<Outcome, WriteError> {
        let plan = c.plan(&cmd, ctx)?;
        c.apply(&plan);
        Ok(plan.outcome)
    }

    #[test]
    fn an_accent_alone_is_checked_against_the_saved_theme() {
        let mut c = content();
        let settings = |json: &str| {
            let input: SettingsInput = serde_json::from_str(json).unwrap();
            Command::UpdateSettings(input.validate().unwrap())
        };
        apply(
            &mut c,
            settings(r#"{"theme":"midnight"}"#),
            &ctx(1_000, "x"),
        )
        .unwrap();
        // Navy passes validation alone (no theme named) but not on Midnight.
        let refused = apply(
            &mut c,
            settings(r##"{"primary_color":"#000080"}"##),
            &ctx(1_000, "x"),
        );
        assert!(
            matches!(&refused, Err(e) if e.field_message("primary_color").is_some_and(|m| m.contains("#6b6bff"))),
            "{refused:?}"
        );
        assert_eq!(c.site_settings().primary_color, None, "nothing changed");
        apply(
            &mut c,
            settings(r##"{"primary_color":"#6b6bff"}"##),
            &ctx(1_000, "x"),
        )
        .unwrap();
        // Back to Paper, the saved light blue would be faint.
        assert!(apply(&mut c, settings(r#"{"theme":"paper"}"#), &ctx(1_000, "x")).is_err());
        apply(
            &mut c,
            settings(r#"{"theme":"paper","primary_color":""}"#),
            &ctx(1_000, "x"),
        )
        .unwrap();
        assert_eq!(c.site_settings().theme, ThemePreset::Paper);
    }

    #[test]
    fn create_then_update_bumps_the_version_and_records_history() {
        let mut c = content();
        let Outcome::Post(p) = apply(
            &mut c,
            Command::CreatePost(draft("New", PostStatus::Draft, None)),
            &ctx(1_000, "p1"),
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!((p.version, p.published_at), (1, None));
        let plan = c
            .plan(
                &Command::UpdatePost {
                    id: "p1".into(),
                    version: 1,
                    draft: draft("New", PostStatus::Published, None),
                },
                &ctx(2_000, "x"),
            )
            .unwrap();
        assert!(
            matches!(&plan.changes[1], Change::InsertRevision(r) if r.version == 2 && r.edited_by == "u_owner")
        );
        c.apply(&plan);
        let p = c.post("p1").unwrap();
        assert_eq!(
            (p.version, p.status, p.published_at),
            (2, PostStatus::Published, Some(2_000))
        );
        // Republishing keeps the original publish time.
        apply(
            &mut c,
            Command::UpdatePost {
                id: "p1".into(),
                version: 2,
                draft: draft("New", PostStatus::Published, None),
            },
            &ctx(3_000, "x"),
        )
        .unwrap();
        assert_eq!(c.post("p1").unwrap().published_at, Some(2_000));
    }

    #[test]
    fn a_stale_version_is_a_conflict_and_changes_nothing() {
        let mut c = content();
        apply(
            &mut c,
            Command::CreatePost(draft("A", PostStatus::Draft, None)),
            &ctx(1_000, "p1"),
        )
        .unwrap();
        let before = c.clone();
        let stale = Command::UpdatePost {
            id: "p1".into(),
            version: 7,
            draft: draft("B", PostStatus::Draft, None),
        };
        assert!(matches!(
            c.plan(&stale, &ctx(2_000, "x")),
            Err(WriteError::Conflict(_))
        ));
        assert_eq!(c, before);
    }

    #[test]
    fn slugs_are_unique_per_tenant() {
        let mut c = content();
        apply(
            &mut c,
            Command::CreatePost(draft("Same", PostStatus::Draft, None)),
            &ctx(1_000, "p1"),
        )
        .unwrap();
        let again = Command::CreatePost(draft("Same", PostStatus::Draft, None));
        assert!(
            matches!(c.plan(&again, &ctx(1_000, "p2")), Err(WriteError::Conflict(m)) if m.contains("same"))
        );
        let page = PageInput {
            title: "About".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert!(matches!(
            c.plan(&Command::CreatePage(page), &ctx(1_000, "g2")),
            Err(WriteError::Conflict(_))
        ));
    }

    #[test]
    fn scheduled_posts_publish_when_due() {
        let mut c = content();
        apply(
            &mut c,
            Command::CreatePost(draft("Later", PostStatus::Scheduled, Some(5_000))),
            &ctx(1_000, "p1"),
        )
        .unwrap();
        assert_eq!(c.next_scheduled(), Some(5_000));
        assert!(c.site(4_999).posts().iter().all(|p| p.id != "p1"));
        assert_eq!(
            apply(&mut c, Command::PublishDue, &ctx(4_999, "x")).unwrap(),
            Outcome::Published(vec![])
        );
        assert_eq!(
            apply(&mut c, Command::PublishDue, &ctx(5_000, "x")).unwrap(),
            Outcome::Published(vec!["p1".into()])
        );
        let p = c.post("p1").unwrap();
        assert_eq!(
            (p.status, p.published_at, p.version),
            (PostStatus::Published, Some(5_000), 2)
        );
        assert_eq!(c.next_scheduled(), None);
        assert!(c.site(5_000).posts().iter().any(|p| p.id == "p1"));
    }

    #[test]
    fn deletes_check_the_version_when_given() {
        let mut c = content();
        apply(
            &mut c,
            Command::CreatePost(draft("A", PostStatus::Draft, None)),
            &ctx(1_000, "p1"),
        )
        .unwrap();
        assert!(matches!(
            c.plan(
                &Command::DeletePost {
                    id: "p1".into(),
                    version: Some(9)
                },
                &ctx(1, "x")
            ),
            Err(WriteError::Conflict(_))
        ));
        assert!(matches!(
            c.plan(
                &Command::DeletePost {
                    id: "nope".into(),
                    version: None
                },
                &ctx(1, "x")
            ),
            Err(WriteError::NotFound)
        ));
        apply(
            &mut c,
            Command::DeletePost {
                id: "p1".into(),
                version: Some(1),
            },
            &ctx(1, "x"),
        )
        .unwrap();
        assert!(c.post("p1").is_none());
    }

    #[test]
    fn re_saving_a_post_with_its_minute_keeps_its_exact_publish_time() {
        let mut c = content();
        let Outcome::Post(p) = apply(
            &mut c,
            Command::CreatePost(draft("Timed", PostStatus::Published, None)),
            &ctx(45_678, "p1"),
        )
        .unwrap() else {
            panic!("a post")
        };
        assert_eq!(p.published_at, Some(45_678));
        // The editor sends the time back to the minute.
        let update = |version, at| Command::UpdatePost {
            id: "p1".into(),
            version,
            draft: PostInput {
                title: "Timed".into(),
                markdown: "Body".into(),
                status: Some(PostStatus::Published),
                publish_at: Some(at),
                ..Default::default()
            }
            .validate(200_000)
            .unwrap(),
        };
        let Outcome::Post(p) = apply(&mut c, update(1, 0), &ctx(90_000, "x")).unwrap() else {
            panic!("a post")
        };
        assert_eq!(p.published_at, Some(45_678), "same minute: kept");
        let Outcome::Post(p) = apply(&mut c, update(2, 120_000), &ctx(91_000, "x")).unwrap() else {
            panic!("a post")
        };
        assert_eq!(p.published_at, Some(120_000), "another minute: moved");
    }
}
