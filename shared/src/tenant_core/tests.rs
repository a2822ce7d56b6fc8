//! Native tests of the actor core on in-memory ports.
//! Compiled only under #[cfg(test)] (see `mod tests` in tenant_core.rs).

use futures::executor::block_on;
use futures::future::join_all;

use super::*;
use crate::admin::input::{PageInput, PostInput, SettingsInput};
use crate::admin::store::{Fault, MemoryStore};
use crate::admin::test_fixtures::{content, ctx};
use crate::model::PostStatus;
use crate::page_store::MemoryPageStore;

type Core = TenantCore<MemoryStore, MemoryPageStore>;

fn core() -> Core {
    TenantCore::new(MemoryStore::with(content()), MemoryPageStore::default())
}

fn publish(title: &str, version: Option<i64>) -> crate::admin::input::PostDraft {
    PostInput {
        title: title.into(),
        markdown: format!("Body of {title}"),
        status: Some(PostStatus::Published),
        version,
        ..Default::default()
    }
    .validate(1_000)
    .unwrap()
}

#[test]
fn an_acknowledged_write_is_visible_to_the_next_read() {
    let core = core();
    block_on(async {
        assert_eq!(
            core.view("t_test", "/blog/fresh", None, 1_000)
                .await
                .unwrap()
                .unwrap()
                .status,
            404
        );
        core.write(
            "t_test",
            &Command::CreatePost(publish("Fresh", None)),
            &ctx(1_000, "p1"),
        )
        .await
        .unwrap();
        let page = core
            .view("t_test", "/blog/fresh", None, 1_001)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(page.status, 200);
        assert!(page.html.contains("Body of Fresh"));
        let home = core
            .view("t_test", "/", None, 1_001)
            .await
            .unwrap()
            .unwrap();
        assert!(
            home.html.contains("/blog/fresh"),
            "the home page list is refreshed too"
        );
    });
    assert_eq!(core.store().loads.get(), 1, "one load, then memory");
}

#[test]
fn writes_pre_render_into_storage_and_report_paths_to_purge() {
    let core = core();
    block_on(async {
        core.write(
            "t_test",
            &Command::CreatePost(publish("Pre Rendered", None)),
            &ctx(1_000, "p1"),
        )
        .await
        .unwrap();
    });
    let stored = core.pages().pages.borrow();
    assert!(
        stored
            .get("post:pre-rendered")
            .is_some_and(|p| p.html.contains("Body of Pre Rendered")),
        "rendered when written"
    );
    assert!(stored.get("home").is_some() && stored.get("blog:1").is_some());
    drop(stored);
    let purge = core.take_purge();
    for path in ["/", "/blog", "/blog/pre-rendered"] {
        assert!(purge.contains(&path.to_string()), "{purge:?}");
    }
    assert!(core.take_purge().is_empty(), "taken once");
    assert_eq!(
        core.cache_stats().renders,
        4,
        "post, home, blog:1 and the sitemap (blog:2 does not exist yet)"
    );
}

#[test]
fn a_restarted_actor_serves_stored_pages_without_loading_d1() {
    let first = core();
    block_on(async {
        first
            .write(
                "t_test",
                &Command::CreatePost(publish("Survivor", None)),
                &ctx(1_000, "p1"),
            )
            .await
            .unwrap();
    });
    let (store, pages) = first.into_ports();
    let loads_before = store.loads.get();
    let restarted = TenantCore::new(store, pages);
    block_on(async {
        let meta = restarted.meta("t_test", 2_000).await.unwrap().unwrap();
        assert!(!meta.suspended);
        for path in ["/blog/survivor", "/", "/blog"] {
            let page = restarted
                .view("t_test", path, None, 2_000)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(page.status, 200, "{path}");
        }
    });
    assert_eq!(
        restarted.store().loads.get(),
        loads_before,
        "no D1 load for stored pages"
    );
    assert_eq!(restarted.cache_stats().storage_hits, 3);
    assert_eq!(restarted.cache_stats().renders, 0);
}

#[test]
fn settings_and_pages_re_render_every_page() {
    let core = core();
    block_on(async {
        core.write(
            "t_test",
            &Command::CreatePost(publish("One", None)),
            &ctx(1_000, "p1"),
        )
        .await
        .unwrap();
        core.take_purge();
        let settings = SettingsInput {
            site_title: Some("Renamed".into()),
            ..Default::default()
        }
        .validate()
        .unwrap();
        core.write(
            "t_test",
            &Command::UpdateSettings(settings),
            &ctx(2_000, "x"),
        )
        .await
        .unwrap();
        {
            let stored = core.pages().pages.borrow();
            assert!(stored
                .get("post:one")
                .is_some_and(|p| p.html.contains("Renamed")));
            assert!(stored
                .get("page:about")
                .is_some_and(|p| p.html.contains("Renamed")));
        }
        assert!(core.take_purge().contains(&"/blog/one".to_string()));
        let page = PageInput {
            title: "Contact".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        core.write("t_test", &Command::CreatePage(page), &ctx(3_000, "g2"))
            .await
            .unwrap();
        let post = core
            .view("t_test", "/blog/one", None, 3_001)
            .await
            .unwrap()
            .unwrap();
        assert!(
            post.html.contains("href=\"/contact\""),
            "the navigation on every page changed"
        );
    });
}

#[test]
fn a_failed_commit_changes_nothing() {
    let core = core();
    block_on(async {
        core.view("t_test", "/", None, 1_000).await.unwrap();
        core.store().next_fault.set(Fault::FailBeforeCommit);
        let err = core
            .write(
                "t_test",
                &Command::CreatePost(publish("Lost", None)),
                &ctx(1_000, "p1"),
            )
            .await;
        assert!(matches!(err, Err(WriteError::Store(_))));
        assert_eq!(
            core.view("t_test", "/blog/lost", None, 1_001)
                .await
                .unwrap()
                .unwrap()
                .status,
            404
        );
        assert_eq!(
            core.read("t_test", 1_001, |c| c.posts.len()).await.unwrap(),
            Some(0)
        );
        assert!(
            core.view("t_test", "/", None, 1_001)
                .await
                .unwrap()
                .unwrap()
                .status
                == 200
        );
    });
}

/// With a store that suspends at every call, the ten edits below really
/// interleave: without the write lock they would all plan against version
/// 1 and nine would hit the revision guard in the store (a store error, not
/// the clean conflict an owner can act on).
#[test]
fn concurrent_edits_are_serialised_and_stale_ones_refused() {
    let core = TenantCore::new(MemoryStore::slow(content(), 2), MemoryPageStore::default());
    block_on(async {
        core.write(
            "t_test",
            &Command::CreatePost(publish("Base", None)),
            &ctx(1_000, "p1"),
        )
        .await
        .unwrap();
        let edits: Vec<_> = (0..10)
            .map(|i| {
                let cmd = Command::UpdatePost {
                    id: "p1".into(),
                    version: 1,
                    draft: publish(&format!("Edit {i}"), Some(1)),
                };
                let core = &core;
                async move { core.write("t_test", &cmd, &ctx(2_000 + i, "unused")).await }
            })
            .collect();
        let results = join_all(edits).await;
        let won = results.iter().filter(|r| r.is_ok()).count();
        let conflicts = results
            .iter()
            .filter(|r| matches!(r, Err(WriteError::Conflict(_))))
            .count();
        assert_eq!((won, conflicts), (1, 9));
    });
    let revisions = core.store().revisions.borrow();
    let versions: Vec<i64> = revisions.iter().map(|r| r.version).collect();
    assert_eq!(versions, vec![1, 2]);
}

#[test]
fn unknown_tenants_are_none_not_errors() {
    let core = core();
    block_on(async {
        assert!(core.view("t_other", "/", None, 0).await.unwrap().is_none());
        assert!(core.view("t_test", "/", None, 0).await.unwrap().is_some());
        assert!(
            core.view("t_other", "/blog", None, 0)
                .await
                .unwrap()
                .is_none(),
            "a loaded actor serves only its tenant"
        );
        assert!(matches!(
            core.write(
                "t_other",
                &Command::CreatePost(publish("x", None)),
                &ctx(0, "p")
            )
            .await,
            Err(WriteError::NotFound)
        ));
    });
}

#[test]
fn the_memory_budget_holds_with_many_large_posts() {
    let core = TenantCore::with_budget(
        MemoryStore::with(content()),
        MemoryPageStore::default(),
        64 * 1024,
    );
    block_on(async {
        for i in 0..60 {
            let big = PostInput {
                title: format!("Big {i}"),
                markdown: "word ".repeat(2_000),
                status: Some(PostStatus::Published),
                ..Default::default()
            };
            core.write(
                "t_test",
                &Command::CreatePost(big.validate(1_000).unwrap()),
                &ctx(1_000 + i, &format!("p{i}")),
            )
            .await
            .unwrap();
        }
        for i in 0..60 {
            assert_eq!(
                core.view("t_test", &format!("/blog/big-{i}"), None, 5_000)
                    .await
                    .unwrap()
                    .unwrap()
                    .status,
                200
            );
        }
    });
    let stats = core.cache_stats();
    assert!(stats.bytes <= stats.budget_bytes, "{stats:?}");
    assert!(stats.evictions > 0 && stats.storage_hits > 0, "{stats:?}");
}

#[test]
fn a_commit_that_landed_but_reported_an_error_is_reloaded_before_the_next_write() {
    let core = core();
    block_on(async {
        core.write(
            "t_test",
            &Command::CreatePost(publish("Landed", None)),
            &ctx(1_000, "p1"),
        )
        .await
        .unwrap();
        assert!(core
            .view("t_test", "/blog/landed", None, 1_001)
            .await
            .unwrap()
            .unwrap()
            .html
            .contains("Body of Landed"));
        core.take_purge();
        core.store().next_fault.set(Fault::CommitThenFail);
        let mut edit = publish("Landed", Some(1));
        edit.markdown = "The edit that landed".into();
        let unknown = core
            .write(
                "t_test",
                &Command::UpdatePost {
                    id: "p1".into(),
                    version: 1,
                    draft: edit,
                },
                &ctx(2_000, "unused"),
            )
            .await;
        assert!(matches!(unknown, Err(WriteError::Store(_))), "{unknown:?}");
        assert!(
            core.take_purge().contains(&"/blog/landed".to_string()),
            "the edge is told to drop the page the write may have changed"
        );
        // Readers see what D1 holds, not the actor's old copy.
        let page = core
            .view("t_test", "/blog/landed", None, 2_001)
            .await
            .unwrap()
            .unwrap();
        assert!(page.html.contains("The edit that landed"), "{}", page.html);
        // The next write plans against D1's version (2), so it is accepted.
        let mut next = publish("Landed", Some(2));
        next.markdown = "The next edit".into();
        let out = core
            .write(
                "t_test",
                &Command::UpdatePost {
                    id: "p1".into(),
                    version: 2,
                    draft: next,
                },
                &ctx(3_000, "unused"),
            )
            .await;
        assert!(out.is_ok(), "{out:?}");
        assert_eq!(
            core.read("t_test", 3_001, |c| c.post("p1").map(|p| p.version))
                .await
                .unwrap(),
            Some(Some(3))
        );
    });
    assert_eq!(
        core.store().loads.get(),
        2,
        "reloaded once, after the error"
    );
}

#[test]
fn a_suspension_is_written_through_the_actor_and_survives_a_restart() {
    let core = core();
    block_on(async {
        let out = core
            .write("t_test", &Command::SetSuspended(true), &ctx(1_000, "x"))
            .await;
        assert_eq!(out, Ok(Outcome::Suspended(true)));
        assert!(core.meta("t_test", 1_001).await.unwrap().unwrap().suspended);
    });
    assert!(
        core.store()
            .content
            .borrow()
            .as_ref()
            .unwrap()
            .tenant
            .suspended,
        "D1 holds it"
    );
    let (store, pages) = core.into_ports();
    let restarted = TenantCore::new(store, pages);
    block_on(async {
        assert!(
            restarted
                .meta("t_test", 2_000)
                .await
                .unwrap()
                .unwrap()
                .suspended
        );
        assert_eq!(
            restarted
                .write("t_test", &Command::SetSuspended(false), &ctx(3_000, "x"))
                .await,
            Ok(Outcome::Suspended(false))
        );
        assert!(
            !restarted
                .meta("t_test", 3_001)
                .await
                .unwrap()
                .unwrap()
                .suspended
        );
    });
}

fn tagged(title: &str, tags: &[&str]) -> crate::admin::input::PostDraft {
    let mut draft = publish(title, None);
    draft.tags = tags.iter().map(|t| t.to_string()).collect();
    draft
}

#[test]
fn retagging_a_post_moves_it_between_tag_pages_at_once_and_across_a_restart() {
    let core = core();
    let outcome = block_on(core.write(
        "t_test",
        &Command::CreatePost(tagged("Frost", &["seasons", "café"])),
        &ctx(1_000, "p1"),
    ))
    .unwrap();
    assert!(
        core.pages().pages.borrow().contains_key("tag:1:café"),
        "a tag's first page is rendered when written"
    );
    let purge = core.take_purge();
    for path in ["/tags/seasons", "/tags/caf%C3%A9"] {
        assert!(purge.contains(&path.to_string()), "{path} in {purge:?}");
    }
    let view = |core: &Core, path: &str| {
        block_on(core.view("t_test", path, None, 1_001))
            .unwrap()
            .unwrap()
    };
    let page = view(&core, "/tags/caf%C3%A9");
    assert_eq!(page.status, 200);
    assert!(page.html.contains("Frost") && page.html.contains("Posts tagged"));

    let Outcome::Post(post) = outcome else {
        panic!("a post was written");
    };
    let edit = Command::UpdatePost {
        id: post.id,
        version: post.version,
        draft: tagged("Frost", &["winter"]),
    };
    block_on(core.write("t_test", &edit, &ctx(1_002, "p2"))).unwrap();
    let purge = core.take_purge();
    for path in ["/tags/seasons", "/tags/winter", "/tags/caf%C3%A9"] {
        assert!(purge.contains(&path.to_string()), "{path} in {purge:?}");
    }
    assert_eq!(
        view(&core, "/tags/seasons").status,
        404,
        "no post carries it now"
    );
    assert!(view(&core, "/tags/winter").html.contains("Frost"));

    let (store, pages) = core.into_ports();
    let loads = store.loads.get();
    let restarted = TenantCore::new(store, pages);
    assert!(view(&restarted, "/tags/winter").html.contains("Frost"));
    assert_eq!(restarted.store().loads.get(), loads, "served from storage");
}

#[test]
fn actors_sharing_an_isolate_stay_within_its_budgets_and_reload_what_it_dropped() {
    use crate::isolate_memory::IsolateMemory;
    // Room for a few tenants' pages and contents, not for 40.
    let memory: CoreMemory = IsolateMemory::with_budgets(64 * 1024, 24 * 1024);
    let cores: Vec<(String, Core)> = (0..40)
        .map(|i| {
            let mut c = content();
            c.tenant.id = format!("t_{i:02}");
            let core = TenantCore::with_memory(
                MemoryStore::with(c),
                MemoryPageStore::default(),
                memory.clone(),
            );
            (format!("t_{i:02}"), core)
        })
        .collect();
    for (tenant, core) in &cores {
        let title = format!("Post of {tenant}");
        block_on(core.write(
            tenant,
            &Command::CreatePost(publish(&title, None)),
            &ctx(1_000, "p1"),
        ))
        .unwrap();
        let stats = memory.stats();
        assert!(stats.page_bytes <= stats.page_budget_bytes, "{stats:?}");
        assert!(
            stats.content_bytes <= stats.content_budget_bytes,
            "{stats:?}"
        );
    }
    let stats = memory.stats();
    assert!(
        stats.page_evictions > 0 && stats.content_evictions > 0,
        "{stats:?}"
    );
    assert!(stats.contents < 40, "{stats:?}");

    // The first tenant's content was dropped: its next write reads D1 again
    // and succeeds, and every tenant still serves its own post.
    let (first, core) = &cores[0];
    let loads = core.store().loads.get();
    let draft = PostInput {
        title: "Second".into(),
        markdown: "Another".into(),
        status: Some(PostStatus::Published),
        ..Default::default()
    }
    .validate(1_000)
    .unwrap();
    block_on(core.write(first, &Command::CreatePost(draft), &ctx(2_000, "p2"))).unwrap();
    assert_eq!(core.store().loads.get(), loads + 1, "reloaded from D1");
    for (tenant, core) in &cores {
        let slug = format!("post-of-{}", tenant.replace('_', "-"));
        let page = block_on(core.view(tenant, &format!("/blog/{slug}"), None, 3_000))
            .unwrap()
            .unwrap();
        assert_eq!(page.status, 200, "{tenant}");
        assert!(page.html.contains(&format!("Post of {tenant}")));
    }
    // One actor serves one tenant: a message naming another finds nothing.
    let (_, second) = &cores[1];
    let other = block_on(second.view(first, "/", None, 3_000)).unwrap();
    assert!(other.is_none(), "t_01's actor does not answer for t_00");
}

#[test]
fn a_failed_index_update_is_rebuilt_before_the_next_search() {
    let core = core();
    let search = |q: &str| {
        block_on(core.search("t_test", q, 1, true, 1_001))
            .unwrap()
            .unwrap()
            .html
            .clone()
    };
    assert!(search("fresh").contains("\"total\":0"));
    core.pages().search.fail_updates.set(true);
    block_on(core.write(
        "t_test",
        &Command::CreatePost(publish("Fresh Words", None)),
        &ctx(1_000, "p1"),
    ))
    .expect("the write stands: the index is derived");
    core.pages().search.fail_updates.set(false);
    assert_eq!(
        *core.pages().search.version.borrow(),
        None,
        "marked stale in storage, so a restart rebuilds it too"
    );
    let found = search("fresh");
    assert!(found.contains("\"total\":1"), "{found}");
    assert_eq!(
        *core.pages().search.rebuilds.borrow(),
        2,
        "rebuilt once more"
    );
}

#[test]
fn searches_follow_writes_and_repeat_from_memory() {
    let core = core();
    let search = |q: &str| {
        block_on(core.search("t_test", q, 1, true, 1_001))
            .unwrap()
            .unwrap()
    };
    let first = search("fresh");
    assert_eq!(first.status, 200);
    assert!(first.html.contains("\"total\":0"), "{}", first.html);
    assert_eq!(
        *core.pages().search.rebuilds.borrow(),
        1,
        "built from the content once"
    );

    let Outcome::Post(post) = block_on(core.write(
        "t_test",
        &Command::CreatePost(publish("Fresh Words", None)),
        &ctx(1_000, "p1"),
    ))
    .unwrap() else {
        panic!("a post was written");
    };
    let mut draft = publish("Hidden Fresh", None);
    draft.status = PostStatus::Draft;
    block_on(core.write("t_test", &Command::CreatePost(draft), &ctx(1_000, "p2"))).unwrap();
    let found = search("fresh");
    assert!(
        found.html.contains("\"total\":1") && found.html.contains("Fresh Words"),
        "{}",
        found.html
    );
    assert!(!found.html.contains("Hidden"), "drafts are not indexed");
    let searches = *core.pages().search.searches.borrow();
    assert_eq!(
        search("  FRESH ").html,
        found.html,
        "the same query, normalised"
    );
    assert_eq!(
        *core.pages().search.searches.borrow(),
        searches,
        "answered from memory"
    );

    block_on(core.write(
        "t_test",
        &Command::DeletePost {
            id: post.id,
            version: None,
        },
        &ctx(1_002, "p3"),
    ))
    .unwrap();
    assert!(
        search("fresh").html.contains("\"total\":0"),
        "deleted: gone, cache retired"
    );
    assert_eq!(
        *core.pages().search.rebuilds.borrow(),
        1,
        "updated, never rebuilt"
    );

    let refused = block_on(core.search("t_test", &"x".repeat(201), 1, false, 1_003))
        .unwrap()
        .unwrap();
    assert_eq!(refused.status, 400);
    assert!(refused.html.contains("at most 200 characters"));
}

/// A reader who misses a page while a write is between dropping it and
/// applying itself renders the old site: that page must not be kept (in
/// memory or storage), or it would outlive the write. Deeper list pages
/// are not rendered again by the write, and a page stored that way would
/// also survive a crash before the write's own pages are stored.
#[test]
fn a_page_rendered_during_a_write_is_not_kept() {
    let core = TenantCore::new(MemoryStore::slow(content(), 2), MemoryPageStore::default());
    block_on(async {
        for i in 0..6 {
            core.write(
                "t_test",
                &Command::CreatePost(publish(&format!("Older {i}"), None)),
                &ctx(1_000 + i, &format!("p{i}")),
            )
            .await
            .unwrap();
        }
        let before = core
            .view("t_test", "/blog", Some("page=2"), 2_000)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(before.status, 200, "six posts: page 2 exists");
        let write = async {
            core.write(
                "t_test",
                &Command::CreatePost(publish("Newest", None)),
                &ctx(3_000, "p9"),
            )
            .await
            .unwrap();
        };
        // Polled after the write has dropped the page and is committing.
        let read = async {
            core.view("t_test", "/blog", Some("page=2"), 3_000)
                .await
                .unwrap()
                .unwrap()
        };
        let ((), during) = futures::join!(write, read);
        assert_eq!(
            during.html, before.html,
            "a read during the write sees the old page"
        );
        let after = core
            .view("t_test", "/blog", Some("page=2"), 3_001)
            .await
            .unwrap()
            .unwrap();
        assert_ne!(
            after.html, before.html,
            "the write shifted a post onto page 2"
        );
        let fresh = TenantCore::new(
            MemoryStore::with(core.store().content.borrow().clone().unwrap()),
            MemoryPageStore::default(),
        );
        let expected = fresh
            .view("t_test", "/blog", Some("page=2"), 3_001)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(after.html, expected.html);
        let stored = core
            .pages()
            .pages
            .borrow()
            .get(&ReaderRoute::Blog { page: 2 }.cache_key())
            .cloned();
        assert!(
            stored.is_none_or(|p| p.html == expected.html),
            "no stale page in storage"
        );
    });
}

fn page_draft(slug: &str) -> crate::admin::input::PageDraft {
    PageInput {
        title: format!("Page {slug}"),
        slug: Some(slug.into()),
        markdown: "Text.".into(),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

#[test]
fn of_parallel_creates_at_quota_minus_one_exactly_one_succeeds() {
    // The fixture has one page; the free plan allows 10.
    let core = TenantCore::new(MemoryStore::slow(content(), 3), MemoryPageStore::default());
    block_on(async {
        for i in 0..8 {
            let id = format!("g-fill-{i}");
            core.write(
                "t_test",
                &Command::CreatePage(page_draft(&format!("fill-{i}"))),
                &ctx(1_000, &id),
            )
            .await
            .unwrap();
        }
        let ids: Vec<String> = (0..6).map(|i| format!("g-race-{i}")).collect();
        let creates = ids.iter().enumerate().map(|(i, id)| {
            let core = &core;
            async move {
                let command = Command::CreatePage(page_draft(&format!("race-{i}")));
                core.write("t_test", &command, &ctx(2_000, id)).await
            }
        });
        let results = join_all(creates).await;
        let won = results.iter().filter(|r| r.is_ok()).count();
        let over = results
            .iter()
            .filter(|r| {
                matches!(
                    r,
                    Err(WriteError::OverQuota {
                        kind: crate::plans::QuotaKind::Pages,
                        ..
                    })
                )
            })
            .count();
        assert_eq!((won, over), (1, 5), "{results:?}");
        let pages = core.read("t_test", 3_000, |c| c.pages.len()).await.unwrap();
        assert_eq!(pages, Some(10));
    });
}

#[test]
fn a_downgrade_keeps_everything_and_only_stops_additions() {
    let mut start = content();
    start.tenant.plan = crate::plans::Plan::Paid;
    let core = TenantCore::new(MemoryStore::with(start), MemoryPageStore::default());
    block_on(async {
        for i in 0..11 {
            let id = format!("g-{i}");
            core.write(
                "t_test",
                &Command::CreatePage(page_draft(&format!("p-{i}"))),
                &ctx(1_000, &id),
            )
            .await
            .unwrap();
        }
        core.write(
            "t_test",
            &Command::SetPlan(crate::plans::Plan::Free),
            &ctx(2_000, "x"),
        )
        .await
        .unwrap();
        // All 12 pages are still there and served.
        assert_eq!(
            core.read("t_test", 3_000, |c| c.pages.len()).await.unwrap(),
            Some(12)
        );
        let page = core
            .view("t_test", "/p-10", None, 3_000)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(page.status, 200);
        // A new page is refused; a draft post is fine, publishing it is not
        // (posts are under their own quota: 0 of 100 here, so it goes through).
        let refused = core
            .write(
                "t_test",
                &Command::CreatePage(page_draft("one-more")),
                &ctx(4_000, "g-x"),
            )
            .await;
        assert!(
            matches!(refused, Err(WriteError::OverQuota { .. })),
            "{refused:?}"
        );
        assert_eq!(
            core.read("t_test", 4_000, |c| c.pages.len()).await.unwrap(),
            Some(12)
        );
        // Deleting down to under the quota lets the owner add again.
        for i in 0..3 {
            let id = format!("g-{i}");
            core.write(
                "t_test",
                &Command::DeletePage { id, version: None },
                &ctx(5_000, "x"),
            )
            .await
            .unwrap();
        }
        core.write(
            "t_test",
            &Command::CreatePage(page_draft("one-more")),
            &ctx(6_000, "g-y"),
        )
        .await
        .unwrap();
    });
}

#[test]
fn drafts_are_not_counted_but_publishing_one_is() {
    let mut start = content();
    start.posts = (0..100)
        .map(|i| crate::model::Post {
            id: format!("p{i}"),
            slug: format!("post-{i}"),
            title: format!("Post {i}"),
            markdown: String::new(),
            status: PostStatus::Published,
            tags: vec![],
            published_at: Some(500),
            updated_at: 500,
            version: 1,
        })
        .collect();
    let core = TenantCore::new(MemoryStore::with(start), MemoryPageStore::default());
    block_on(async {
        let draft = PostInput {
            title: "Not yet".into(),
            markdown: "Later.".into(),
            status: Some(PostStatus::Draft),
            ..Default::default()
        }
        .validate(1_000)
        .unwrap();
        core.write("t_test", &Command::CreatePost(draft), &ctx(1_000, "d1"))
            .await
            .unwrap();
        let refused = core
            .write(
                "t_test",
                &Command::UpdatePost {
                    id: "d1".into(),
                    version: 1,
                    draft: publish("Not yet", Some(1)),
                },
                &ctx(2_000, "x"),
            )
            .await;
        let Err(e) = refused else {
            panic!("published over the quota")
        };
        assert_eq!(e.status(), 403);
        assert!(e
            .to_api()
            .message
            .contains("100 published posts, the most the free plan allows"));
        let status = core
            .read("t_test", 3_000, |c| c.post("d1").map(|p| p.status))
            .await
            .unwrap();
        assert_eq!(status, Some(Some(PostStatus::Draft)), "nothing changed");
        // Editing an already published post is never refused.
        core.write(
            "t_test",
            &Command::UpdatePost {
                id: "p0".into(),
                version: 1,
                draft: publish("Post 0 again", Some(1)),
            },
            &ctx(4_000, "x"),
        )
        .await
        .unwrap();
    });
}
