//! One tenant's host never shows another tenant's content.

use grove_tests::seed;

use crate::{escaped, grove, linked_post_slugs};

#[tokio::test]
async fn a_tenants_host_never_shows_another_tenants_posts_or_pages() {
    let g = grove();
    let tenants = &seed::demo().tenants;
    for a in tenants {
        let host = format!("{}.{}", a.subdomain, g.base_domain);
        let mut bodies = Vec::new();
        for path in ["/", "/blog", "/blog?page=2"] {
            let r = g.get(&host, path).await;
            let own: Vec<String> = a.published().iter().map(|p| p.slug.clone()).collect();
            for slug in linked_post_slugs(&r.body) {
                assert!(
                    own.contains(&slug),
                    "{host}{path} lists foreign post {slug}"
                );
            }
            bodies.push(r.body);
        }
        for b in tenants.iter().filter(|b| b.id != a.id) {
            for p in &b.posts {
                let r = g.get(&host, &format!("/blog/{}", p.slug)).await;
                assert_eq!(
                    r.status, 404,
                    "{host} must not serve {}'s post {}",
                    b.subdomain, p.slug
                );
                bodies.push(r.body);
            }
            for p in &b.pages {
                let r = g.get(&host, &format!("/{}", p.slug)).await;
                if a.pages.iter().any(|own| own.slug == p.slug) {
                    assert!(
                        !r.body.contains(&format!("<h1>{}</h1>", escaped(&p.title))),
                        "{host} shows {}'s page",
                        b.subdomain
                    );
                } else {
                    assert_eq!(r.status, 404);
                }
                bodies.push(r.body);
            }
            for body in &bodies {
                assert!(
                    !body.contains(&escaped(&b.settings.site_title)),
                    "{host} mentions {}",
                    b.display_name
                );
                for p in &b.posts {
                    assert!(
                        !body.contains(&format!(">{}<", escaped(&p.title))),
                        "{host} shows {}",
                        p.title
                    );
                }
            }
        }
    }
}
