//! Leaving: the export, then a deletion that asks for the password and
//! the blog's address, is answered once everything is gone, leaves nothing
//! of the blog in D1 (every table with a `tenant_id`), R2 or KV, signs its
//! owner out everywhere, holds its name, and touches no other blog. A
//! deletion cut short (local runs' `X-Grove-Fault: halt-deletion-after-N`)
//! refuses readers at once and is finished by the actor's alarm.

use std::time::{Duration, Instant};

use grove_tests::owner::{unique, Owner};
use grove_tests::state::LocalState;
use grove_tests::{Grove, Reply};
use reqwest::Method;
use serde_json::{json, Value};

use crate::{grove, me, page_on, publish, read};

/// A PNG whose header is valid, with `salt` in its filler.
fn png(salt: u8) -> Vec<u8> {
    grove_tests::media::png(salt, 512)
}

/// A blog with a post (edited, so it has history), a page, a setting and
/// a media file; answers the file's path.
async fn furnish(g: &Grove, o: &Owner, salt: u8) -> String {
    let post = publish(g, o, "Kept Words").await;
    let edited = o
        .api(
            g,
            Method::PUT,
            &format!("/admin/api/posts/{}", post["id"].as_str().unwrap()),
            Some(json!({ "title": "Kept Words", "markdown": "Edited.", "status": "published", "version": 1 })),
        )
        .await;
    assert_eq!(edited.status, 200, "{}", edited.body);
    let page = o
        .api(
            g,
            Method::POST,
            "/admin/api/pages",
            Some(json!({ "title": "About", "markdown": "Us." })),
        )
        .await;
    assert_eq!(page.status, 201, "{}", page.body);
    let settings = o
        .api(
            g,
            Method::PUT,
            "/admin/api/settings",
            Some(json!({ "site_description": "A blog to keep or not" })),
        )
        .await;
    assert_eq!(settings.status, 200, "{}", settings.body);
    let upload = g
        .send(
            g.request(
                Method::POST,
                &o.host(g),
                "/admin/api/media?filename=dot.png&alt=A%20dot",
            )
            .header("cookie", format!("grove_session={}", o.session))
            .header("x-csrf-token", &o.csrf)
            .header("content-type", "image/png")
            .body(png(salt)),
        )
        .await;
    assert_eq!(upload.status, 201, "{}", upload.body);
    let path = upload.json()["url"].as_str().unwrap().to_string();
    // Readers have been here: the host map and the edge know the blog.
    for p in ["/", "/blog/kept-words", "/about", path.as_str()] {
        assert_eq!(read(g, &o.host(g), p).await.status, 200, "{p}");
    }
    path
}

async fn delete_form(g: &Grove, o: &Owner, password: &str, confirm: &str) -> Reply {
    o.form(
        g,
        "/admin/account/delete",
        &[("password", password), ("confirm", confirm)],
    )
    .await
}

/// Tables whose rows outlive a blog on purpose: the hold on its name, the
/// record of its deletion, and the operators' audit trail.
const KEPT: [&str; 3] = ["subdomain_holds", "tenant_deletions", "ops_audit"];

/// Rows of the tenant (and of its owner) in every table of the schema,
/// counted in one statement.
fn rows_of(state: &LocalState, tenant_id: &str, user_id: &str) -> Vec<(String, i64)> {
    let mut counts: Vec<(String, String)> = state
        .tenant_tables()
        .into_iter()
        .filter(|t| !KEPT.contains(&t.as_str()))
        .map(|t| {
            let sql = format!("SELECT COUNT(*) FROM {t} WHERE tenant_id = '{tenant_id}'");
            (t, sql)
        })
        .collect();
    for (table, column, id) in [
        ("tenants", "id", tenant_id),
        ("users", "id", user_id),
        ("sessions", "user_id", user_id),
        ("password_resets", "user_id", user_id),
    ] {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE {column} = '{id}'");
        counts.push((table.to_string(), sql));
    }
    let columns: Vec<String> = counts
        .iter()
        .map(|(table, sql)| format!("({sql}) AS \"{table}\""))
        .collect();
    let row = state.d1(&format!("SELECT {}", columns.join(", ")));
    counts
        .into_iter()
        .map(|(table, _)| {
            let n = row[0][table.as_str()].as_i64().unwrap_or(-1);
            (table, n)
        })
        .collect()
}

/// The ops API's view of a tenant's deletion.
async fn ops_deletion(g: &Grove, tenant_id: &str) -> Reply {
    g.ops(Method::GET, &format!("/deletions/{tenant_id}"), None)
        .await
}

/// Everything of `victim` is gone: D1, R2, KV, sessions, pages, files.
/// `router_saw_it`: the deletion finished while this router waited for it
/// (it forgot the host at once); one the alarm finished reached no router,
/// whose memo may still send the host to the empty actor for up to 30 s.
async fn assert_gone(
    g: &Grove,
    state: &LocalState,
    victim: &Owner,
    user_id: &str,
    file: &str,
    router_saw_it: bool,
) {
    let rows = rows_of(state, &victim.tenant_id, user_id);
    assert!(rows.iter().all(|(_, n)| *n == 0), "rows left: {rows:?}");
    assert!(
        rows.iter().any(|(t, _)| t == "posts") && rows.iter().any(|(t, _)| t == "media"),
        "{rows:?}"
    );
    let hold = state.d1(&format!(
        "SELECT tenant_id, reason FROM subdomain_holds WHERE subdomain = '{}'",
        victim.subdomain
    ));
    assert_eq!(hold.len(), 1, "the name is held");
    assert_eq!(
        (hold[0]["tenant_id"].as_str(), hold[0]["reason"].as_str()),
        (Some(victim.tenant_id.as_str()), Some("deleted"))
    );
    let keys = state.kv_keys(&format!("sub:{}", victim.subdomain));
    assert!(
        !keys.contains(&format!("sub:{}", victim.subdomain)),
        "its host key is gone from KV: {keys:?}"
    );
    let ops = ops_deletion(g, &victim.tenant_id).await;
    assert_eq!(ops.status, 200, "{}", ops.body);
    let ops = ops.json();
    assert_eq!(ops["deletion"]["step"], "done", "{ops}");
    let finished = ops["deletion"]["finished_at"].as_i64().expect("finished");
    assert!(finished >= ops["deletion"]["requested_at"].as_i64().unwrap_or(i64::MAX));
    assert_eq!(
        ops["deletion"]["updated_at"].as_i64(),
        Some(finished),
        "the last step's time"
    );
    assert_eq!(
        ops["left"]["r2_objects"], 0,
        "nothing in R2 under tenants/{}/",
        victim.tenant_id
    );
    let host = victim.host(g);
    for path in ["/", "/blog/kept-words", "/about", file] {
        let r = read(g, &host, path).await;
        assert_eq!(r.status, 404, "{path}");
    }
    if router_saw_it {
        for path in ["/", file, "/admin"] {
            let r = read(g, &host, path).await;
            assert_eq!(r.status, 404, "{path}");
            assert!(r.body.contains("No blog here"), "{path}: {}", r.body);
        }
    }
}

/// Everything of `keeper` is still served.
async fn assert_untouched(
    g: &Grove,
    state: &LocalState,
    keeper: &Owner,
    user_id: &str,
    file: &str,
) {
    let host = keeper.host(g);
    for path in ["/", "/blog/kept-words", "/about", file] {
        assert_eq!(read(g, &host, path).await.status, 200, "{path}");
    }
    assert_eq!(
        me(g, keeper).await["tenant_id"],
        keeper.tenant_id.as_str(),
        "still signed in"
    );
    let rows = rows_of(state, &keeper.tenant_id, user_id);
    for table in [
        "posts",
        "post_revisions",
        "pages",
        "tenant_settings",
        "media",
        "tenants",
        "users",
        "sessions",
    ] {
        let n = rows.iter().find(|(t, _)| t == table).map_or(0, |(_, n)| *n);
        assert!(n > 0, "{table} of the other blog: {rows:?}");
    }
    assert!(state
        .kv_keys(&format!("sub:{}", keeper.subdomain))
        .contains(&format!("sub:{}", keeper.subdomain)));
}

#[tokio::test]
async fn deleting_a_blog_leaves_nothing_of_it_and_touches_no_other() {
    let g = grove();
    let state = LocalState::from_env();
    let victim = g.sign_up("leaver").await;
    let keeper = g.sign_up("stayer").await;
    let victim_user = me(&g, &victim).await["user_id"]
        .as_str()
        .unwrap()
        .to_string();
    let keeper_user = me(&g, &keeper).await["user_id"]
        .as_str()
        .unwrap()
        .to_string();
    let victim_file = furnish(&g, &victim, 1).await;
    let keeper_file = furnish(&g, &keeper, 2).await;
    // A second session of the owner, elsewhere: it goes too.
    let elsewhere = g
        .sign_in(&victim.email, &victim.password, &victim.subdomain)
        .await;

    // Export first: the self-describing JSON download of everything
    // (the zip is the export suite's).
    let export = victim.page(&g, "/admin/api/export?format=json").await;
    assert_eq!(export.status, 200, "{}", export.body);
    let disposition = export.header("content-disposition").unwrap_or_default();
    assert!(
        disposition.starts_with(&format!(
            "attachment; filename=\"grove-{}-",
            victim.subdomain
        )),
        "{disposition}"
    );
    let doc: Value = export.json();
    assert_eq!(
        (doc["format"].as_str(), doc["version"].as_u64()),
        (Some("grove-export"), Some(1))
    );
    assert_eq!(doc["posts"][0]["markdown"], "Edited.");
    assert_eq!(doc["pages"][0]["title"], "About");
    assert_eq!(doc["settings"]["site_description"], "A blog to keep or not");
    assert_eq!(doc["media"][0]["path"], victim_file.as_str());
    let account = victim.page(&g, "/admin/account").await;
    assert!(
        account.body.contains("Download the export")
            && account.body.contains("Delete this blog for good")
    );

    let deleted = delete_form(&g, &victim, &victim.password, &victim.subdomain).await;
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    assert!(deleted.body.contains("Your blog is deleted"));
    assert_eq!(
        deleted.cookie("grove_session").as_deref(),
        Some(""),
        "signed out"
    );

    assert_gone(&g, &state, &victim, &victim_user, &victim_file, true).await;
    for o in [&victim, &elsewhere] {
        let r = page_on(&g, o, &keeper.host(&g), "/admin/api/me").await;
        assert_eq!(r.status, 401, "every session of the owner is gone");
    }
    assert_untouched(&g, &state, &keeper, &keeper_user, &keeper_file).await;

    // The account went with its only blog: the address can sign up again,
    // but not for the held name.
    let held = g
        .post_auth_form(
            "/signup",
            &[
                ("email", &victim.email),
                ("password", "correct horse battery"),
                ("subdomain", &victim.subdomain),
            ],
        )
        .await;
    assert_ne!(held.status, 303, "the name is held: {}", held.body);
    let again = g
        .post_auth_form(
            "/signup",
            &[
                ("email", &victim.email),
                ("password", "correct horse battery"),
                ("subdomain", &unique("again")),
            ],
        )
        .await;
    assert_eq!(again.status, 303, "the email is free again: {}", again.body);
}

#[tokio::test]
async fn a_wrong_password_or_name_deletes_nothing() {
    let g = grove();
    let state = LocalState::from_env();
    let o = g.sign_up("wavering").await;
    let user = me(&g, &o).await["user_id"].as_str().unwrap().to_string();
    let file = furnish(&g, &o, 3).await;

    let wrong = delete_form(&g, &o, "not the password", &o.subdomain).await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(wrong.body.contains("That is not your password."));
    assert!(
        wrong.body.contains(&format!("value=\"{}\"", o.subdomain)),
        "the name typed stays"
    );
    assert!(
        !wrong.body.contains("not the password"),
        "a password is never shown again"
    );
    let name = delete_form(&g, &o, &o.password, "someone-else").await;
    assert_eq!(name.status, 422);
    assert!(name.body.contains(&format!("Type {}", o.subdomain)));
    let api = o
        .api(
            &g,
            Method::DELETE,
            "/admin/api/account",
            Some(json!({ "confirm": o.subdomain })),
        )
        .await;
    assert_eq!(api.status, 422, "{}", api.body);
    assert_eq!(api.json()["field"], "password");
    // A form that did not come through the password check is refused.
    let bypass = o
        .api(
            &g,
            Method::POST,
            "/admin/api/account",
            Some(json!({ "confirm": o.subdomain })),
        )
        .await;
    assert_eq!(bypass.status, 405);

    assert_eq!(
        ops_deletion(&g, &o.tenant_id).await.status,
        404,
        "no deletion began"
    );
    assert_untouched(&g, &state, &o, &user, &file).await;
}

#[tokio::test]
async fn a_deletion_cut_short_refuses_readers_and_the_alarm_finishes_it() {
    let g = grove();
    let state = LocalState::from_env();
    let o = g.sign_up("halted").await;
    let user = me(&g, &o).await["user_id"].as_str().unwrap().to_string();
    let file = furnish(&g, &o, 4).await;

    // The actor stops after its first step, as if it had died there.
    let req = g
        .request(Method::POST, &o.host(&g), "/admin/account/delete")
        .header("cookie", format!("grove_session={}", o.session))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-grove-fault", "halt-deletion-after-1")
        .body(grove_tests::owner::urlencode(&[
            ("password", &o.password),
            ("confirm", &o.subdomain),
            ("csrf", &o.csrf),
        ]));
    let cut = g.send(req).await;
    assert_eq!(
        cut.status, 503,
        "not finished, not acknowledged: {}",
        cut.body
    );
    assert!(cut.body.contains("being deleted"));

    // Readers are refused at once; ops see where it stands.
    let refused = read(&g, &o.host(&g), "/blog/kept-words").await;
    assert_eq!(refused.status, 410, "{}", refused.body);
    let ops = ops_deletion(&g, &o.tenant_id).await.json();
    assert_eq!(ops["deletion"]["step"], "media", "{ops}");
    assert!(ops["deletion"]["finished_at"].is_null());
    let write = o
        .api(
            &g,
            Method::POST,
            "/admin/api/posts",
            Some(json!({ "title": "Late" })),
        )
        .await;
    assert_eq!(write.status, 410, "no writes while it is under way");

    // The alarm finishes it with nobody asking.
    let began = Instant::now();
    loop {
        let ops = ops_deletion(&g, &o.tenant_id).await.json();
        if ops["deletion"]["step"] == "done" {
            break;
        }
        assert!(
            began.elapsed() < Duration::from_secs(30),
            "not finished: {ops}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_gone(&g, &state, &o, &user, &file, false).await;
}
