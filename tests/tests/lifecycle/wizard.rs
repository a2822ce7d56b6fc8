//! The setup wizard: each step saved or skipped, resumed at the first
//! step not done, its progress kept with the blog (in D1), and the
//! dashboard's checklist until every step is done or it is hidden.

use grove_tests::owner::Owner;
use grove_tests::state::LocalState;
use grove_tests::Grove;

use crate::{grove, page_on, publish, read};

async fn step(g: &Grove, o: &Owner, which: &str, fields: &[(&str, &str)]) -> grove_tests::Reply {
    o.form(g, &format!("/admin/welcome/{which}"), fields).await
}

#[tokio::test]
async fn the_wizard_saves_skips_and_resumes_and_the_checklist_shows_until_every_step_is_done() {
    let g = grove();
    let o = g.sign_up("wiz").await;
    let host = o.host(&g);

    let dash = o.page(&g, "/admin").await;
    assert!(dash.body.contains("Get your blog ready"), "{}", dash.body);
    assert!(dash.body.contains("0 of 3 steps done."));

    let wizard = o.page(&g, "/admin/welcome").await;
    assert_eq!(wizard.status, 200);
    assert!(wizard.body.contains("Step 1 of 3"));

    // A title is required: the form comes back with what was typed.
    let refused = step(
        &g,
        &o,
        "title",
        &[
            ("site_title", "  "),
            ("site_description", "Kept as typed"),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(refused.status, 422);
    assert!(refused
        .body
        .contains("The site title is 1 to 100 characters."));
    assert!(refused.body.contains("Kept as typed"));
    assert!(refused.body.contains("aria-invalid=\"true\""));

    let saved = step(
        &g,
        &o,
        "title",
        &[
            ("site_title", "Wizard Weather"),
            ("site_description", "Made in three steps"),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.header("location"), Some("/admin/welcome?step=theme"));
    let home = read(&g, &host, "/").await;
    assert!(home.body.contains("Wizard Weather") && home.body.contains("Made in three steps"));

    // Skip the theme and the post: the checklist still lists them.
    let skipped = step(&g, &o, "theme", &[("action", "skip")]).await;
    assert_eq!(skipped.header("location"), Some("/admin/welcome?step=post"));
    let skipped = step(&g, &o, "post", &[("action", "skip")]).await;
    assert_eq!(skipped.header("location"), Some("/admin"));
    let dash = o.page(&g, "/admin").await;
    assert!(dash.body.contains("1 of 3 steps done."), "{}", dash.body);
    assert!(dash
        .body
        .contains("<a href=\"/admin/welcome?step=theme\">Choose a theme</a> (skipped)"));

    // The progress is a setting of the blog, in D1: it outlives any actor.
    let state = LocalState::from_env();
    let stored = state.d1(&format!(
        "SELECT value FROM tenant_settings WHERE tenant_id = '{}' AND key = 'welcome'",
        o.tenant_id
    ));
    assert_eq!(
        stored[0]["value"], "title=done&theme=skipped&post=skipped",
        "{stored:?}"
    );

    // Coming back resumes at the first step skipped, with a preview of
    // the home page in each theme.
    let wizard = o.page(&g, "/admin/welcome").await;
    assert!(wizard.body.contains("Step 2 of 3"), "{}", wizard.body);
    assert_eq!(wizard.body.matches("<iframe").count(), 3);
    let csp = wizard.header("content-security-policy").unwrap_or_default();
    assert!(
        csp.contains("frame-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    let preview = o.page(&g, "/admin/welcome/preview/midnight").await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("Wizard Weather") && preview.body.contains("#11151c"));
    let csp = preview
        .header("content-security-policy")
        .unwrap_or_default();
    assert!(
        csp.contains("frame-ancestors 'self'") && !csp.contains("script-src"),
        "{csp}"
    );
    assert_eq!(preview.header("x-frame-options"), Some("SAMEORIGIN"));
    assert!(
        !read(&g, &host, "/").await.body.contains("#11151c"),
        "a preview changes nothing"
    );
    let settings = o.page(&g, "/admin/settings").await;
    assert_eq!(
        settings.header("x-frame-options"),
        Some("DENY"),
        "other pages frame nothing"
    );

    let unknown = step(&g, &o, "theme", &[("theme", "neon"), ("action", "save")]).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.body.contains("Choose one of the themes."));
    let chosen = step(
        &g,
        &o,
        "theme",
        &[("theme", "midnight"), ("action", "save")],
    )
    .await;
    assert_eq!(chosen.status, 303);
    assert!(
        read(&g, &host, "/").await.body.contains("#11151c"),
        "readers see the theme"
    );

    // Publishing a first post finishes the last step: no checklist.
    assert!(o
        .page(&g, "/admin")
        .await
        .body
        .contains("2 of 3 steps done."));
    publish(&g, &o, "First Light").await;
    let dash = o.page(&g, "/admin").await;
    assert!(!dash.body.contains("Get your blog ready"), "{}", dash.body);
    let done = o.page(&g, "/admin/welcome").await;
    assert!(done.body.contains("All set"));
}

#[tokio::test]
async fn a_hidden_checklist_stays_hidden_and_other_blogs_cannot_touch_the_wizard() {
    let g = grove();
    let o = g.sign_up("hide").await;
    let other = g.sign_up("nosy").await;
    // Someone else's session gets nothing of this blog's wizard.
    let refused = page_on(&g, &other, &o.host(&g), "/admin/welcome").await;
    assert_eq!(refused.status, 403);
    let hidden = o.form(&g, "/admin/welcome/dismiss", &[]).await;
    assert_eq!(hidden.status, 303);
    assert_eq!(hidden.header("location"), Some("/admin"));
    let dash = o.page(&g, "/admin").await;
    assert_eq!(dash.status, 200);
    assert!(!dash.body.contains("Get your blog ready"));
    // The wizard itself stays there to come back to.
    assert!(o
        .page(&g, "/admin/welcome")
        .await
        .body
        .contains("Step 1 of 3"));
}
