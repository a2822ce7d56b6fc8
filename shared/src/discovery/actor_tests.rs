//! The discovery pages through the actor core, on in-memory ports: what a
//! write renders again and purges, and what a restarted actor answers
//! from its storage without reading D1.

use futures::executor::block_on;

use crate::admin::content::Command;
use crate::admin::input::{PostInput, SettingsInput};
use crate::admin::store::MemoryStore;
use crate::admin::test_fixtures::{content, ctx};
use crate::model::PostStatus;
use crate::page_store::MemoryPageStore;
use crate::tenant_core::TenantCore;

type Core = TenantCore<MemoryStore, MemoryPageStore>;

fn core() -> Core {
    TenantCore::new(MemoryStore::with(content()), MemoryPageStore::default())
}

fn post(title: &str, slug: &str, version: Option<i64>) -> crate::admin::input::PostDraft {
    PostInput {
        title: title.into(),
        slug: Some(slug.into()),
        markdown: format!("Body of {title}"),
        status: Some(PostStatus::Published),
        version,
        ..Default::default()
    }
    .validate(1_000)
    .unwrap()
}

async fn view(core: &Core, path: &str, query: Option<&str>) -> std::rc::Rc<crate::site::Rendered> {
    core.view("t_test", path, query, 5_000)
        .await
        .unwrap()
        .unwrap()
}

#[test]
fn a_publish_renders_the_sitemap_again_and_purges_it() {
    let core = core();
    block_on(async {
        let before = view(&core, "/sitemap.xml", None).await;
        assert!(!before.html.contains("/blog/fresh"));
        core.take_purge();
        core.write(
            "t_test",
            &Command::CreatePost(post("Fresh", "fresh", None)),
            &ctx(1_000, "p1"),
        )
        .await
        .unwrap();
        assert!(core.take_purge().contains(&"/sitemap.xml".to_string()));
        let stored = core.pages().pages.borrow().get("sitemap").cloned();
        assert!(
            stored.is_some_and(|s| s.html.contains("https://test.grove.place/blog/fresh")),
            "rendered by the write"
        );
        let after = view(&core, "/sitemap.xml", None).await;
        assert_eq!(after.format, crate::reader_headers::Format::Xml);
        assert!(after.html.contains("/blog/fresh"));
    });
}

#[test]
fn the_owner_setting_changes_robots_and_every_page() {
    let core = core();
    block_on(async {
        core.write(
            "t_test",
            &Command::CreatePost(post("One", "one", None)),
            &ctx(1_000, "p1"),
        )
        .await
        .unwrap();
        assert!(view(&core, "/robots.txt", None)
            .await
            .html
            .contains("Allow: /"));
        core.take_purge();
        let discourage = SettingsInput {
            discourage_search: Some(true),
            ..Default::default()
        }
        .validate()
        .unwrap();
        core.write(
            "t_test",
            &Command::UpdateSettings(discourage),
            &ctx(2_000, "x"),
        )
        .await
        .unwrap();
        let purge = core.take_purge();
        for path in ["/robots.txt", "/blog/one", "/", "/sitemap.xml"] {
            assert!(purge.contains(&path.to_string()), "{path} in {purge:?}");
        }
        assert!(view(&core, "/robots.txt", None)
            .await
            .html
            .contains("Disallow: /"));
        let post = view(&core, "/blog/one", None).await;
        assert!(post
            .html
            .contains("<meta name=\"robots\" content=\"noindex\">"));
    });
}

#[test]
fn an_old_slug_answers_301_from_storage_after_a_restart_without_d1() {
    let first = core();
    block_on(async {
        first
            .write(
                "t_test",
                &Command::CreatePost(post("Moving", "before", None)),
                &ctx(1_000, "p1"),
            )
            .await
            .unwrap();
        first.take_purge();
        first
            .write(
                "t_test",
                &Command::UpdatePost {
                    id: "p1".into(),
                    version: 1,
                    draft: post("Moving", "after", Some(1)),
                },
                &ctx(2_000, "x"),
            )
            .await
            .unwrap();
        let purge = first.take_purge();
        assert!(purge.contains(&"/blog/before".to_string()), "{purge:?}");
    });
    let (store, pages) = first.into_ports();
    let loads = store.loads.get();
    let restarted = TenantCore::new(store, pages);
    block_on(async {
        let moved = view(&restarted, "/blog/before", None).await;
        assert_eq!(moved.status, 301);
        assert_eq!(moved.location.as_deref(), Some("/blog/after"));
        assert_eq!(view(&restarted, "/blog/after", None).await.status, 200);
        // `/blog?tag=` needs no content at all.
        let alias = view(&restarted, "/blog", Some("tag=notes")).await;
        assert_eq!(
            (alias.status, alias.location.as_deref()),
            (301, Some("/tags/notes"))
        );
    });
    assert_eq!(restarted.store().loads.get(), loads, "no D1 load");
    assert_eq!(restarted.cache_stats().renders, 0);
}

#[test]
fn deleting_the_post_turns_its_old_address_into_a_404() {
    let core = core();
    block_on(async {
        core.write(
            "t_test",
            &Command::CreatePost(post("Gone", "old", None)),
            &ctx(1_000, "p1"),
        )
        .await
        .unwrap();
        core.write(
            "t_test",
            &Command::UpdatePost {
                id: "p1".into(),
                version: 1,
                draft: post("Gone", "new", Some(1)),
            },
            &ctx(2_000, "x"),
        )
        .await
        .unwrap();
        assert_eq!(view(&core, "/blog/old", None).await.status, 301);
        core.take_purge();
        core.write(
            "t_test",
            &Command::DeletePost {
                id: "p1".into(),
                version: None,
            },
            &ctx(3_000, "x"),
        )
        .await
        .unwrap();
        assert!(core.take_purge().contains(&"/blog/old".to_string()));
        assert_eq!(view(&core, "/blog/old", None).await.status, 404);
        assert!(core.pages().pages.borrow().get("post:old").is_none());
    });
}
