//! Which site a Host names: apex, www, reserved, tenants, custom domains, garbage.

use grove_tests::seed;
use reqwest::Method;

use crate::{escaped, grove};

#[tokio::test]
async fn apex_is_a_landing_page_listing_the_demo_blogs() {
    let g = grove();
    let r = g.get(&g.base_domain, "/").await;
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .unwrap_or_default()
        .starts_with("text/html"));
    assert!(r.body.contains("<h1>Grove</h1>"), "{}", r.body);
    for t in &seed::demo().tenants {
        assert!(
            r.body.contains(&escaped(&t.settings.site_title)),
            "apex lists {}",
            t.subdomain
        );
        assert!(r
            .body
            .contains(&format!("href=\"{}/\"", g.tenant_origin(&t.subdomain))));
    }
}

#[tokio::test]
async fn www_redirects_permanently_to_the_apex_keeping_the_path() {
    let g = grove();
    let r = g
        .get(&format!("www.{}", g.base_domain), "/blog?page=2")
        .await;
    assert_eq!(r.status, 301);
    assert_eq!(
        r.header("location"),
        Some(format!("{}/blog?page=2", g.origin(&g.base_domain)).as_str())
    );
}

#[tokio::test]
async fn reserved_subdomains_are_never_blogs() {
    let g = grove();
    // auth and ops are platform hosts with their own tests; these serve nothing.
    for sub in ["admin", "api", "cdn", "static"] {
        let r = g.get(&format!("{sub}.{}", g.base_domain), "/").await;
        assert_eq!(r.status, 404, "{sub}");
        assert!(r.body.contains("No blog here"), "{sub}");
    }
}

#[tokio::test]
async fn the_auth_host_is_the_sign_in_page_not_a_blog() {
    let g = grove();
    let r = g.get(&format!("auth.{}", g.base_domain), "/").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/signin"));
}

#[tokio::test]
async fn unknown_blogs_get_a_friendly_404() {
    let g = grove();
    for host in [
        format!("nope.{}", g.base_domain),
        format!("a.b.{}", g.base_domain),
    ] {
        let r = g.get(&host, "/").await;
        assert_eq!(r.status, 404, "{host}");
        assert!(r.body.contains("No blog here"), "{host}");
        assert!(
            r.body
                .contains(&format!("href=\"{}/\"", g.origin(&g.base_domain))),
            "links home"
        );
    }
}

#[tokio::test]
async fn malformed_hosts_are_rejected_with_400() {
    // Hosts the runtime cannot even turn into a URL (a non-numeric port)
    // never reach the worker: workerd answers those itself. The native
    // tests of `grove_shared::host` cover them.
    let g = grove();
    for bad in [
        "bad_host.grove.localhost",
        "a..grove.localhost",
        "-x.grove.localhost",
        "autumn..test",
    ] {
        let r = g.raw(Method::GET, bad, "/").await;
        assert_eq!(r.status, 400, "{bad}");
        assert!(
            r.body.contains("The Host header is not a valid host name"),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn any_spelling_of_a_host_leads_to_its_canonical_origin() {
    let g = grove();
    let autumn = seed::tenant("autumn");
    let r = g.raw(Method::GET, "AUTUMN.Grove.LocalHost:1234", "/").await;
    assert_eq!(r.status, 301);
    let canonical = format!("autumn.{}:{}", g.base_domain, g.port);
    assert_eq!(
        r.header("location"),
        Some(format!("http://{canonical}/").as_str())
    );
    let r = g.raw(Method::GET, &canonical, "/").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains(&format!(
        "<title>{}</title>",
        escaped(&autumn.settings.site_title)
    )));
}

#[tokio::test]
async fn a_verified_custom_domain_serves_its_tenant_and_an_unverified_one_does_not() {
    let g = grove();
    let mut checked = 0;
    for t in &seed::demo().tenants {
        for d in &t.domains {
            let home = g.get(&d.host, "/").await;
            if d.verified == 1 {
                assert_eq!(home.status, 200, "{}", d.host);
                assert!(home.body.contains(&format!(
                    "<title>{}</title>",
                    escaped(&t.settings.site_title)
                )));
                let post = t.published()[0];
                let r = g.get(&d.host, &format!("/blog/{}", post.slug)).await;
                assert_eq!(r.status, 200);
                assert!(r
                    .body
                    .contains(&format!("<h1>{}</h1>", escaped(&post.title))));
                // The canonical address is the blog's primary host: this
                // domain if it is primary, else the subdomain.
                let primary = t
                    .domains
                    .iter()
                    .find(|d| d.primary)
                    .map_or_else(|| g.tenant_origin(&t.subdomain), |p| g.origin(&p.host));
                assert!(r.body.contains(&format!(
                    "<link rel=\"canonical\" href=\"{primary}/blog/{}\">",
                    post.slug
                )));
            } else {
                assert_eq!(home.status, 404, "unverified {} must not serve", d.host);
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 2,
        "the seed has a verified and an unverified domain"
    );
}

#[tokio::test]
async fn only_get_and_head_are_served_to_readers() {
    let g = grove();
    let host = format!("autumn.{}:{}", g.base_domain, g.port);
    let r = g.raw(Method::POST, &host, "/").await;
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("GET, HEAD"));
    let head = g.raw(Method::HEAD, &host, "/").await;
    assert_eq!(head.status, 200);
}
