//! What an import would do to a blog, and the write that does it.
//!
//! [`decide`] checks every item of a [`Bundle`] against the blog's
//! content: validated by the editor's own rules (`PostInput::validate`,
//! `PageInput::validate`), matched by slug, and counted against the
//! plan's quotas. The dry-run preview is its [`Report`]; the write is
//! [`command`], which the actor runs inside its write queue (the content
//! cannot change between the decision and the commit), so the preview
//! and the write use the same rules.
//!
//! - **Idempotent.** An item whose slug the blog has, with the same
//!   content, is `unchanged`: importing a file twice writes nothing.
//! - **Conflicts by slug.** The same slug with other content is a
//!   conflict: kept as it is (the default), or replaced when the owner
//!   asks (a new version of the post, in its history).
//! - **Per-item errors never stop the rest.** An invalid item (no title, a
//!   body over 1 MiB, ...) is listed with its reason and the rest is
//!   imported. Only a quota refuses the whole import, and then nothing
//!   is written; the report says which happened.
//! - **One batch.** Every change is committed to D1 as one batch (all or
//!   nothing), then rendered, indexed and purged like any write.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Bundle, Format, Item, Kind, Skipped};
use crate::admin::content::{revision, Change, Outcome, Plan, TenantContent, WriteCtx};
use crate::admin::errors::WriteError;
use crate::admin::input::{PageInput, PostInput, MAX_TAGS};
use crate::model::{Page, Post, PostStatus};
use crate::plans::QuotaKind;
use crate::slug::slug_from_title;
use crate::tags::{is_tag, MAX_TAG_CHARS};

/// What to do with an item whose slug the blog already has, with other
/// content.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnConflict {
    /// Keep the blog's (the default).
    #[default]
    Skip,
    /// Replace it with the file's (a new version).
    Replace,
}

impl OnConflict {
    pub fn parse(value: &str) -> Option<OnConflict> {
        match value {
            "skip" => Some(OnConflict::Skip),
            "replace" => Some(OnConflict::Replace),
            _ => None,
        }
    }
}

/// An import the actor runs as one write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportCommand {
    pub bundle: Bundle,
    #[serde(default)]
    pub on_conflict: OnConflict,
}

/// What happens to one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// A new post or page.
    Create,
    /// The blog's item with this slug is replaced (a new version).
    Replace,
    /// The blog has it already, the same.
    Unchanged,
    /// The blog has this slug with other content: kept, the item skipped.
    Conflict,
    /// The item does not validate: skipped, with the reason.
    Invalid,
}

/// One item's line in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub kind: Kind,
    pub source: String,
    pub title: String,
    /// The slug it has (or would have) on the blog; empty if invalid.
    pub slug: String,
    pub action: Action,
    /// Why it is skipped, or what was adjusted (tags, a slug, HTML).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// How many items take each action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub posts: u32,
    pub pages: u32,
    pub create: u32,
    pub replace: u32,
    pub unchanged: u32,
    pub conflict: u32,
    pub invalid: u32,
    /// Left out while reading the file (see `skipped`).
    pub skipped: u32,
}

/// The preview, and the answer after applying.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub format: Format,
    /// `true` for a preview: nothing was written.
    pub dry_run: bool,
    /// Whether the import wrote anything (always `false` in a dry run).
    pub imported: bool,
    /// One sentence for the owner.
    pub message: String,
    pub counts: Counts,
    pub items: Vec<Line>,
    /// Parts of the file left out while reading it, and why.
    pub skipped: Vec<Skipped>,
    pub notes: Vec<String>,
    /// Why nothing can be imported (a quota), if so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
    #[serde(skip)]
    pub over_quota: Option<QuotaKind>,
}

/// An item ready to be written (ids and versions are given by [`command`]).
enum Ready {
    Post(Post, Option<(String, i64)>),
    Page(Page, Option<(String, i64)>),
}

/// Tags as a file gives them, made tags Grove keeps: lower-case, spaces
/// and other characters to hyphens, at most 32 characters, at most 10.
fn clean_tags(raw: &[String], notes: &mut Vec<String>) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw {
        let mut clean = String::new();
        for c in tag.trim().to_lowercase().chars() {
            let c = if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            };
            if !(c == '-' && (clean.is_empty() || clean.ends_with('-'))) {
                clean.push(c);
            }
        }
        let clean: String = clean
            .trim_end_matches('-')
            .chars()
            .take(MAX_TAG_CHARS)
            .collect();
        let clean = clean.trim_end_matches('-').to_string();
        if is_tag(&clean) && !tags.contains(&clean) {
            tags.push(clean);
        }
    }
    if tags.len() > MAX_TAGS {
        notes.push(format!(
            "Kept the first {MAX_TAGS} of its {} tags.",
            tags.len()
        ));
        tags.truncate(MAX_TAGS);
    }
    tags
}

/// A slug as a file gives it, made one Grove keeps (`Café au lait` →
/// `cafe-au-lait`); `None` to make one from the title.
fn clean_slug(raw: Option<&str>, notes: &mut Vec<String>) -> Option<String> {
    let raw = raw?.trim();
    if raw.is_empty() {
        return None;
    }
    let slug = slug_from_title(raw);
    if slug.is_empty() {
        return None;
    }
    if slug != raw {
        notes.push(format!("Its slug \"{raw}\" becomes \"{slug}\"."));
    }
    Some(slug)
}

fn reasons(error: &WriteError) -> String {
    match error {
        WriteError::Invalid(fields) => fields
            .iter()
            .map(|f| f.message.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_api().message,
    }
}

/// The post an item makes at `now`, or why it makes none.
fn post_of(item: &Item, now: i64, notes: &mut Vec<String>) -> Result<Post, String> {
    let tags = clean_tags(&item.tags, notes);
    let slug = clean_slug(item.slug.as_deref(), notes);
    // A scheduled time already past went live then; a published time
    // still ahead is a schedule.
    let status = match (item.status.unwrap_or(PostStatus::Draft), item.published_at) {
        (PostStatus::Scheduled, Some(at)) if at <= now => PostStatus::Published,
        (PostStatus::Published, Some(at)) if at > now => PostStatus::Scheduled,
        (status, _) => status,
    };
    let input = PostInput {
        title: item.title.clone(),
        slug,
        markdown: item.markdown.clone(),
        tags,
        status: Some(status),
        publish_at: item.published_at,
        version: None,
    };
    let draft = input.validate(now).map_err(|e| reasons(&e))?;
    let published_at = match draft.status {
        PostStatus::Draft => None,
        _ => draft.publish_at.or(Some(now)),
    };
    Ok(Post {
        id: String::new(),
        slug: draft.slug,
        title: draft.title,
        markdown: draft.markdown,
        status: draft.status,
        tags: draft.tags,
        published_at,
        updated_at: item.updated_at.unwrap_or(now),
        version: 1,
    })
}

/// The page an item makes at `now`, or why it makes none.
fn page_of(item: &Item, now: i64, notes: &mut Vec<String>) -> Result<Page, String> {
    let slug = clean_slug(item.slug.as_deref(), notes);
    let input = PageInput {
        title: item.title.clone(),
        slug,
        markdown: item.markdown.clone(),
        show_in_nav: item.show_in_nav,
        nav_order: item.nav_order.map(|n| n.clamp(0, 1000)),
        version: None,
    };
    let draft = input.validate().map_err(|e| reasons(&e))?;
    Ok(Page {
        id: String::new(),
        slug: draft.slug,
        title: draft.title,
        markdown: draft.markdown,
        show_in_nav: draft.show_in_nav,
        nav_order: draft.nav_order,
        updated_at: item.updated_at.unwrap_or(now),
        version: 1,
    })
}

fn same_post(a: &Post, b: &Post) -> bool {
    (&a.title, &a.markdown, &a.tags, a.status, a.published_at)
        == (&b.title, &b.markdown, &b.tags, b.status, b.published_at)
}

fn same_page(a: &Page, b: &Page) -> bool {
    (&a.title, &a.markdown, a.show_in_nav, a.nav_order)
        == (&b.title, &b.markdown, b.show_in_nav, b.nav_order)
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Decides every item of `bundle` against `content` at `now`.
fn decide(
    content: &TenantContent,
    bundle: &Bundle,
    on_conflict: OnConflict,
    now: i64,
) -> (Report, Vec<Ready>) {
    let mut counts = Counts {
        skipped: bundle.skipped.len() as u32,
        ..Counts::default()
    };
    let mut lines = Vec::new();
    let mut ready = Vec::new();
    let mut post_slugs: Vec<String> = Vec::new();
    let mut page_slugs: Vec<String> = Vec::new();
    let (mut new_live, mut new_pages) = (0u64, 0u64);
    for item in &bundle.items {
        let mut notes = Vec::new();
        if item.sanitised {
            notes.push(
                "Its HTML carried scripts or event handlers: they were removed on import.".into(),
            );
        }
        let made = match item.kind {
            Kind::Post => post_of(item, now, &mut notes).map(|p| (p.slug.clone(), Some(p), None)),
            Kind::Page => page_of(item, now, &mut notes).map(|p| (p.slug.clone(), None, Some(p))),
        };
        let mut line = Line {
            kind: item.kind,
            source: item.source.clone(),
            title: item.title.trim().to_string(),
            slug: String::new(),
            action: Action::Invalid,
            notes,
        };
        match item.kind {
            Kind::Post => counts.posts += 1,
            Kind::Page => counts.pages += 1,
        }
        let (slug, post, page) = match made {
            Ok(made) => made,
            Err(reason) => {
                line.notes.push(reason);
                counts.invalid += 1;
                lines.push(line);
                continue;
            }
        };
        line.slug = slug.clone();
        let seen = match item.kind {
            Kind::Post => &mut post_slugs,
            Kind::Page => &mut page_slugs,
        };
        if seen.contains(&slug) {
            line.notes.push(format!(
                "Another {} in this file has the slug \"{slug}\": only the first is imported.",
                item.kind.as_str()
            ));
            counts.invalid += 1;
            lines.push(line);
            continue;
        }
        seen.push(slug.clone());
        line.action = match (post, page) {
            (Some(post), _) => match content.posts.iter().find(|p| p.slug == slug) {
                None => {
                    new_live += u64::from(post.status != PostStatus::Draft);
                    ready.push(Ready::Post(post, None));
                    Action::Create
                }
                Some(current) if same_post(current, &post) => Action::Unchanged,
                Some(current) => match on_conflict {
                    OnConflict::Skip => Action::Conflict,
                    OnConflict::Replace => {
                        new_live += u64::from(
                            current.status == PostStatus::Draft && post.status != PostStatus::Draft,
                        );
                        ready.push(Ready::Post(
                            post,
                            Some((current.id.clone(), current.version)),
                        ));
                        Action::Replace
                    }
                },
            },
            (None, Some(page)) => match content.pages.iter().find(|p| p.slug == slug) {
                None => {
                    new_pages += 1;
                    ready.push(Ready::Page(page, None));
                    Action::Create
                }
                Some(current) if same_page(current, &page) => Action::Unchanged,
                Some(current) => match on_conflict {
                    OnConflict::Skip => Action::Conflict,
                    OnConflict::Replace => {
                        ready.push(Ready::Page(
                            page,
                            Some((current.id.clone(), current.version)),
                        ));
                        Action::Replace
                    }
                },
            },
            (None, None) => Action::Invalid,
        };
        match line.action {
            Action::Create => counts.create += 1,
            Action::Replace => counts.replace += 1,
            Action::Unchanged => counts.unchanged += 1,
            Action::Conflict => {
                counts.conflict += 1;
                line.notes.push(format!(
                    "The blog has a {} with this slug and other content: it is kept as it is.",
                    item.kind.as_str()
                ));
            }
            Action::Invalid => counts.invalid += 1,
        }
        lines.push(line);
    }
    let plan = content.tenant.plan;
    let mut over_quota = None;
    for (kind, added) in [
        (QuotaKind::PublishedPosts, new_live),
        (QuotaKind::Pages, new_pages),
    ] {
        let used = content.usage(kind).unwrap_or(0);
        if added > 0 && used + added > kind.limit(plan) {
            over_quota = Some(kind);
            break;
        }
    }
    let refusal = over_quota.map(|kind| {
        format!(
            "Nothing can be imported: it would take the blog past its plan's quota. {}",
            kind.refusal(plan)
        )
    });
    let report = Report {
        format: bundle.format,
        dry_run: true,
        imported: false,
        message: String::new(),
        counts,
        items: lines,
        skipped: bundle.skipped.clone(),
        notes: bundle.notes.clone(),
        refusal,
        over_quota,
    };
    (report, ready)
}

impl Report {
    /// The report's one sentence, for a preview or after the write.
    fn summarise(&mut self) {
        let c = self.counts;
        let left = c.conflict + c.invalid + c.skipped;
        let mut parts = Vec::new();
        if c.create > 0 {
            parts.push(plural(c.create, "new item", "new items"));
        }
        if c.replace > 0 {
            parts.push(format!("{} replaced", plural(c.replace, "item", "items")));
        }
        let doing = if parts.is_empty() {
            String::new()
        } else {
            parts.join(", ")
        };
        let rest = {
            let mut rest = Vec::new();
            if c.unchanged > 0 {
                rest.push(format!(
                    "{} already on the blog",
                    plural(c.unchanged, "item", "items")
                ));
            }
            if left > 0 {
                rest.push(format!(
                    "{} skipped (see why below)",
                    plural(left, "item", "items")
                ));
            }
            rest.join("; ")
        };
        let tail = |s: &str| {
            if rest.is_empty() {
                format!("{s}.")
            } else {
                format!("{s}; {rest}.")
            }
        };
        self.message = match (&self.refusal, self.dry_run, doing.is_empty()) {
            (Some(refusal), _, _) => refusal.clone(),
            (None, _, true) => tail("Nothing to import"),
            (None, true, false) => tail(&format!("Ready to import: {doing}")),
            (None, false, false) => tail(&format!("Imported: {doing}")),
        };
    }
}

/// The dry run: what importing `bundle` would do now, writing nothing.
pub fn preview(
    content: &TenantContent,
    bundle: &Bundle,
    on_conflict: OnConflict,
    now: i64,
) -> Report {
    let (mut report, _) = decide(content, bundle, on_conflict, now);
    report.summarise();
    report
}

/// The id of the `index`th new item: unique, from the write's fresh id.
fn item_id(seed: &str, index: usize) -> String {
    let digest = Sha256::digest(format!("{seed}:{index}").as_bytes());
    hex::encode(&digest[..16])
}

/// The write: the changes of one batch (new rows first, then their
/// history, then replacements) and the report. A quota refuses it all.
pub fn command(
    content: &TenantContent,
    import: &ImportCommand,
    ctx: &WriteCtx,
) -> Result<Plan, WriteError> {
    let (mut report, ready) = decide(content, &import.bundle, import.on_conflict, ctx.now);
    if let Some(kind) = report.over_quota {
        return Err(WriteError::OverQuota {
            kind,
            plan: content.tenant.plan,
        });
    }
    let mut inserts = Vec::new();
    let mut history = Vec::new();
    let mut updates = Vec::new();
    for (index, item) in ready.into_iter().enumerate() {
        match item {
            Ready::Post(mut post, None) => {
                post.id = item_id(&ctx.new_id, index);
                history.push(revision(&post, ctx));
                inserts.push(Change::InsertPost(post));
            }
            Ready::Post(mut post, Some((id, version))) => {
                post.id = id;
                post.version = version + 1;
                history.push(revision(&post, ctx));
                updates.push(Change::UpdatePost {
                    post,
                    expected_version: version,
                });
            }
            Ready::Page(mut page, None) => {
                page.id = item_id(&ctx.new_id, index);
                inserts.push(Change::InsertPage(page));
            }
            Ready::Page(mut page, Some((id, version))) => {
                page.id = id;
                page.version = version + 1;
                updates.push(Change::UpdatePage {
                    page,
                    expected_version: version,
                });
            }
        }
    }
    let mut changes = inserts;
    changes.append(&mut updates);
    changes.append(&mut history);
    report.dry_run = false;
    report.imported = !changes.is_empty();
    report.summarise();
    Ok(Plan {
        changes,
        outcome: Outcome::Imported(Box::new(report)),
    })
}

#[cfg(test)]
mod tests;
