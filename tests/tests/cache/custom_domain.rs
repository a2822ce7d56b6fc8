//! A blog on its subdomain and its verified custom domain: a write purges
//! every host's copy, and a slug change leaves no old URL answering.
//! Runs its own platform, since it changes a demo blog.

use grove_tests::platform::LocalPlatform;
use grove_tests::{seed, Grove};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_slug_change_purges_the_old_path_on_every_host() {
    let state = LocalPlatform::fresh_state("custom-domain");
    let platform = LocalPlatform::start(&state);
    let g = Grove::at(platform.port);
    let user = &seed::demo().users[0];
    let owner = g.sign_in(&user.email, &user.password, "autumn").await;
    let domain = seed::tenant("autumn")
        .domains
        .iter()
        .find(|d| d.verified == 1)
        .expect("autumn has a verified domain")
        .host
        .clone();
    let hosts = [owner.host(&g), domain.clone()];

    let created = owner
        .api(
            &g,
            Method::POST,
            "/admin/api/posts",
            Some(json!({"title": "Moving", "markdown": "where it was", "status": "published"})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_str().expect("id").to_string();
    let mut version = created.json()["version"].as_i64().expect("version");
    for host in &hosts {
        for _ in 0..2 {
            let r = g.get(host, "/blog/moving").await;
            assert_eq!(r.status, 200, "{host}");
        }
        assert_eq!(
            g.get(host, "/blog/moving").await.header("x-grove-edge"),
            Some("hit"),
            "{host} keeps it at the edge"
        );
    }

    let mut old = vec!["/blog/moving".to_string()];
    for (slug, text) in [("moved", "first move"), ("moved-again", "second move")] {
        let edit = json!({"title": "Moving", "slug": slug, "markdown": text, "status": "published", "version": version});
        let r = owner
            .api(
                &g,
                Method::PUT,
                &format!("/admin/api/posts/{id}"),
                Some(edit),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        version = r.json()["version"].as_i64().expect("version");
        for host in &hosts {
            // Every old address is purged from the edge and now answers
            // 301 to the newest one (`discovery::old_slugs`).
            let to = format!("/blog/{slug}");
            for path in &old {
                let r = g.get(host, path).await;
                assert_eq!(r.status, 301, "{host}{path} after the move to {slug}");
                assert_eq!(r.header("location"), Some(to.as_str()), "{host}{path}");
            }
            let r = g.get(host, &format!("/blog/{slug}")).await;
            assert_eq!(r.status, 200, "{host}/blog/{slug}");
            assert!(r.body.contains(text), "{host}/blog/{slug}");
            // Warm the new path too, so the next move has a copy to purge.
            g.get(host, &format!("/blog/{slug}")).await;
        }
        old.push(format!("/blog/{slug}"));
    }

    // The custom domain spelled with a trailing dot goes to its canonical origin.
    let r = g
        .raw(
            Method::GET,
            &format!("{domain}.:{}", g.port),
            "/blog/moved-again",
        )
        .await;
    assert_eq!(r.status, 301);
    assert_eq!(
        r.header("location"),
        Some(format!("{}/blog/moved-again", g.origin(&domain)).as_str())
    );
}
