//! The import's decisions against a blog, natively.

use super::*;
use crate::admin::test_fixtures::{content, ctx};
use crate::import::archive::tests::zip_of;
use crate::lifecycle::front_matter;

const NOW: i64 = 1_800_000_000_000;

fn post(slug: &str, status: PostStatus, published_at: Option<i64>) -> Post {
    Post {
        id: format!("id-{slug}"),
        slug: slug.into(),
        title: format!("Title of {slug}: with a colon"),
        markdown: format!("# {slug}\n\nSome *text* with a [link](/media/ab.png).\n"),
        status,
        tags: vec!["rust".into(), "café".into()],
        published_at,
        updated_at: 1_700_000_000_123,
        version: 3,
    }
}

/// A blog with three posts (published, draft, scheduled) and its page,
/// and the zip its export holds.
fn exported() -> (TenantContent, Vec<u8>) {
    let mut blog = content();
    blog.posts = vec![
        post("first", PostStatus::Published, Some(1_700_000_000_000)),
        post("second", PostStatus::Draft, None),
        post("later", PostStatus::Scheduled, Some(NOW + 86_400_000)),
    ];
    let mut files: Vec<(String, String)> = blog
        .posts
        .iter()
        .map(|p| (format!("posts/{}.md", p.slug), front_matter::write_post(p)))
        .collect();
    files.extend(
        blog.pages
            .iter()
            .map(|p| (format!("pages/{}.md", p.slug), front_matter::write_page(p))),
    );
    files.push(("settings.json".into(), "{}".into()));
    let entries: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_bytes()))
        .collect();
    (blog, zip_of(&entries))
}

fn empty_blog() -> TenantContent {
    let mut blog = content();
    blog.pages.clear();
    blog
}

/// The plan of importing `bundle` into `blog` at `now`.
fn plan_import(
    blog: &TenantContent,
    bundle: Bundle,
    on_conflict: OnConflict,
    now: i64,
) -> Result<Plan, WriteError> {
    let import = ImportCommand {
        bundle,
        on_conflict,
    };
    blog.plan(
        &crate::admin::content::Command::Import(Box::new(import)),
        &ctx(now, "seed"),
    )
}

fn apply(blog: &mut TenantContent, bundle: &Bundle, on_conflict: OnConflict) -> Report {
    let plan = plan_import(blog, bundle.clone(), on_conflict, NOW).unwrap();
    blog.apply(&plan);
    match plan.outcome {
        Outcome::Imported(report) => *report,
        other => panic!("{other:?}"),
    }
}

/// What readers and the editor see of a post (its id and version are the
/// new blog's own).
fn visible(
    p: &Post,
) -> (
    String,
    String,
    String,
    PostStatus,
    Vec<String>,
    Option<i64>,
    i64,
) {
    (
        p.slug.clone(),
        p.title.clone(),
        p.markdown.clone(),
        p.status,
        p.tags.clone(),
        p.published_at,
        p.updated_at,
    )
}

#[test]
fn export_then_import_into_an_empty_blog_gives_identical_posts() {
    let (source, zip) = exported();
    let bundle = crate::import::read("grove.zip", &zip).unwrap();
    let mut target = empty_blog();
    let preview = preview(&target, &bundle, OnConflict::Skip, NOW);
    assert!(preview.dry_run && !preview.imported);
    assert_eq!(
        (
            preview.counts.create,
            preview.counts.posts,
            preview.counts.pages
        ),
        (4, 3, 1)
    );
    assert_eq!(preview.message, "Ready to import: 4 new items.");
    assert!(target.posts.is_empty(), "a preview writes nothing");

    let report = apply(&mut target, &bundle, OnConflict::Skip);
    assert!(report.imported && !report.dry_run);
    assert_eq!(report.message, "Imported: 4 new items.");
    let mut want: Vec<_> = source.posts.iter().map(visible).collect();
    let mut got: Vec<_> = target.posts.iter().map(visible).collect();
    want.sort_by(|a, b| a.0.cmp(&b.0));
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(got, want);
    let (a, b) = (&source.pages[0], &target.pages[0]);
    assert_eq!(
        (
            &a.slug,
            &a.title,
            &a.markdown,
            a.show_in_nav,
            a.nav_order,
            a.updated_at
        ),
        (
            &b.slug,
            &b.title,
            &b.markdown,
            b.show_in_nav,
            b.nav_order,
            b.updated_at
        )
    );
    assert!(target
        .posts
        .iter()
        .all(|p| p.version == 1 && p.id.len() == 32));
    let ids: std::collections::HashSet<_> = target.posts.iter().map(|p| &p.id).collect();
    assert_eq!(ids.len(), 3, "every post has its own id");
}

#[test]
fn importing_the_same_file_twice_creates_nothing_new() {
    let (_, zip) = exported();
    let bundle = crate::import::read("grove.zip", &zip).unwrap();
    let mut blog = empty_blog();
    apply(&mut blog, &bundle, OnConflict::Skip);
    let before = blog.clone();
    let plan = plan_import(&blog, bundle, OnConflict::Replace, NOW + 1).unwrap();
    assert!(plan.changes.is_empty(), "{:?}", plan.changes);
    let Outcome::Imported(report) = plan.outcome else {
        panic!()
    };
    assert_eq!(report.counts.unchanged, 4);
    assert!(!report.imported);
    assert_eq!(
        report.message,
        "Nothing to import; 4 items already on the blog."
    );
    blog.apply(&Plan {
        changes: vec![],
        outcome: Outcome::Deleted,
    });
    assert_eq!(blog, before);
}

#[test]
fn a_conflict_by_slug_is_kept_unless_the_owner_asks_to_replace() {
    let mut blog = empty_blog();
    blog.posts = vec![post("first", PostStatus::Published, Some(1_000))];
    let mut item = Item::new(Kind::Post, "posts/first.md", "Another first", "Other text");
    item.slug = Some("first".into());
    item.status = Some(PostStatus::Published);
    item.published_at = Some(2_000);
    let mut bundle = Bundle::new(Format::Markdown);
    bundle.push(item);

    let kept = apply(&mut blog, &bundle, OnConflict::Skip);
    assert_eq!(kept.items[0].action, Action::Conflict);
    assert!(kept.items[0].notes[0].contains("kept as it is"));
    assert!(!kept.imported);
    assert_eq!(blog.posts[0].title, "Title of first: with a colon");

    let plan = plan_import(&blog, bundle, OnConflict::Replace, NOW).unwrap();
    assert!(
        matches!(
            &plan.changes[..],
            [Change::UpdatePost { post, expected_version: 3 }, Change::InsertRevision(r)]
                if post.id == "id-first" && post.version == 4 && r.version == 4
        ),
        "{:?}",
        plan.changes
    );
    blog.apply(&plan);
    assert_eq!(blog.posts[0].title, "Another first");
}

#[test]
fn invalid_items_are_listed_and_the_rest_is_imported() {
    let mut bundle = Bundle::new(Format::Wxr);
    bundle.push(Item::new(Kind::Post, "item 1", "", "No title"));
    bundle.push(Item::new(
        Kind::Post,
        "item 2",
        "Huge",
        &"x".repeat(1024 * 1024 + 1),
    ));
    bundle.push(Item::new(Kind::Post, "item 3", "Fine", "Body"));
    bundle.push(Item::new(Kind::Post, "item 4", "Fine", "Same slug again"));
    bundle
        .skipped
        .push(Skipped::new("item 5", "In WordPress's trash."));
    let mut blog = empty_blog();
    let report = apply(&mut blog, &bundle, OnConflict::Skip);
    let actions: Vec<Action> = report.items.iter().map(|l| l.action).collect();
    assert_eq!(
        actions,
        [
            Action::Invalid,
            Action::Invalid,
            Action::Create,
            Action::Invalid
        ]
    );
    assert_eq!(report.items[0].notes, ["Give it a title."]);
    assert!(report.items[1].notes[0].contains("1 MiB"));
    assert!(report.items[3].notes[0].contains("only the first"));
    assert_eq!(blog.posts.len(), 1);
    assert_eq!(
        blog.posts[0].status,
        PostStatus::Draft,
        "no status: a draft"
    );
    assert_eq!(
        report.message,
        "Imported: 1 new item; 4 items skipped (see why below)."
    );
}

#[test]
fn over_a_quota_nothing_is_imported_and_the_preview_says_so() {
    let mut bundle = Bundle::new(Format::Markdown);
    for i in 0..101 {
        let mut item = Item::new(Kind::Post, &format!("p{i}"), &format!("Post {i}"), "Body");
        item.status = Some(PostStatus::Published);
        item.published_at = Some(1_000 + i);
        bundle.push(item);
    }
    let blog = empty_blog();
    let shown = preview(&blog, &bundle, OnConflict::Skip, NOW);
    assert!(
        shown.message.starts_with("Nothing can be imported"),
        "{}",
        shown.message
    );
    assert!(shown.message.contains("100"), "{}", shown.message);
    let refused = plan_import(&blog, bundle, OnConflict::Skip, NOW);
    assert!(matches!(
        refused,
        Err(WriteError::OverQuota {
            kind: QuotaKind::PublishedPosts,
            ..
        })
    ));
}

#[test]
fn foreign_tags_slugs_and_dates_are_made_grove_ones() {
    let mut item = Item::new(Kind::Post, "a", "Café au lait", "Body");
    item.slug = Some("Café au Lait".into());
    item.tags = (0..12).map(|i| format!("Tag {i} & more")).collect();
    item.tags.insert(0, "C++".into());
    item.status = Some(PostStatus::Scheduled);
    item.published_at = Some(NOW - 1);
    let mut bundle = Bundle::new(Format::Wxr);
    bundle.push(item);
    let mut blog = empty_blog();
    let report = apply(&mut blog, &bundle, OnConflict::Skip);
    let p = &blog.posts[0];
    assert_eq!(p.slug, "caf-au-lait");
    assert_eq!(p.tags.len(), 10);
    assert_eq!(
        (p.tags[0].as_str(), p.tags[1].as_str()),
        ("c", "tag-0-more")
    );
    assert_eq!(
        (p.status, p.published_at),
        (PostStatus::Published, Some(NOW - 1))
    );
    assert!(report.items[0]
        .notes
        .iter()
        .any(|n| n.contains("becomes \"caf-au-lait\"")));
    assert!(report.items[0].notes.iter().any(|n| n.contains("first 10")));
}

#[test]
fn the_wordpress_sample_imports_with_its_script_removed_and_said() {
    let bundle =
        crate::import::read("wp.xml", crate::import::wxr::tests::SAMPLE.as_bytes()).unwrap();
    let mut blog = empty_blog();
    let report = apply(&mut blog, &bundle, OnConflict::Skip);
    assert_eq!(report.counts.create, 4);
    let seeds = blog
        .posts
        .iter()
        .find(|p| p.title == "Seed catalogue & notes")
        .unwrap();
    assert_eq!(seeds.slug, "seed-catalogue-notes");
    assert!(!seeds.markdown.contains("<script"));
    let line = report
        .items
        .iter()
        .find(|l| l.slug == "seed-catalogue-notes")
        .unwrap();
    assert!(line.notes.iter().any(|n| n.contains("removed on import")));
    let hello = blog
        .posts
        .iter()
        .find(|p| p.slug == "hello-from-the-garden")
        .unwrap();
    assert_eq!(hello.tags, ["gardening", "spring-planting"]);
    assert!(crate::markdown::render(&hello.markdown).contains("The first shoots are up."));
}
