//! `/admin/welcome`, the setup wizard (title and description, a theme
//! with a preview of the home page in each preset, a first post), and the
//! dashboard's checklist that leads back to it until every step is done.
//!
//! The theme previews are `<iframe>`s of `/admin/welcome/preview/{preset}`:
//! the blog's real home page, rendered by the reader's view in that preset
//! and shrunk to a thumbnail with CSS, so the preview is exactly what
//! readers would get and the preset's stylesheet never touches the admin's.
//! They need no script; the frames are `inert` (their links cannot take
//! focus or clicks) and each has a full-size link beside it.

use maud::{html, Markup, PreEscaped};

use super::fields::error_banner;
use super::layout::admin_layout;
use super::{csrf_input, AdminChrome, Field, InputAttrs};
use crate::admin::errors::WriteError;
use crate::lifecycle::welcome::{Checklist, State, Step, PREVIEW_PATH, WIZARD_PATH};
use crate::theme::ThemePreset;

/// The wizard's own styles (the admin's CSP allows inline styles).
const WELCOME_CSS: &str = "\
.wizard-steps{list-style:none;padding:0;margin:0 0 1.5rem;display:flex;flex-wrap:wrap;gap:.5rem}\
.wizard-steps li{border:1px solid var(--border);border-radius:2rem;padding:.25rem .8rem;background:var(--surface)}\
.wizard-steps li[aria-current]{border-color:var(--accent);font-weight:600}\
.wizard-steps .state{color:var(--muted);font-size:.9rem}\
.themes{border:0;padding:0;margin:0 0 1rem;display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(16.5rem,1fr))}\
.themes legend{font-weight:600;margin-bottom:.5rem}\
.theme-choice{border:1px solid var(--border);border-radius:.5rem;padding:.75rem;display:grid;gap:.5rem;min-width:0}\
.theme-choice:has(input:checked){border-color:var(--accent);box-shadow:0 0 0 2px var(--accent)}\
.theme-frame{width:15rem;max-width:100%;height:10.5rem;overflow:hidden;border:1px solid var(--border);border-radius:.3rem;background:#fff}\
.theme-frame iframe{width:60rem;height:42rem;border:0;transform:scale(.25);transform-origin:0 0;pointer-events:none}\
.checklist{background:var(--surface);border:1px solid var(--border);border-radius:.5rem;padding:.5rem 1.25rem 1rem;margin:0 0 1.5rem}\
.checklist ul{padding-left:1.25rem}\
.checklist li{margin:.3rem 0}\
.checklist form{margin:0}\
.button-link{display:inline-block;font-weight:600;padding:.5rem 1rem;border-radius:.4rem;border:1px solid var(--accent);background:var(--accent);color:#fff;text-decoration:none}";

fn state_text(state: State) -> &'static str {
    match state {
        State::Done => "done",
        State::Skipped => "skipped",
        State::Todo => "to do",
    }
}

fn step_link(step: Step) -> String {
    format!("{WIZARD_PATH}?step={}", step.as_str())
}

/// What the wizard shows: the step open, what was typed, what was wrong.
pub struct Wizard<'a> {
    pub checklist: &'a Checklist,
    /// The step shown; `None`: everything is done.
    pub step: Option<Step>,
    pub site_title: &'a str,
    pub site_description: &'a str,
    /// The theme selected (the blog's, or the one sent).
    pub theme: &'a str,
    pub error: Option<&'a WriteError>,
}

fn steps_nav(w: &Wizard<'_>) -> Markup {
    html! {
        nav aria-label="Setup steps" {
            ol class="wizard-steps" {
                @for (step, state) in &w.checklist.steps {
                    li aria-current=[(w.step == Some(*step)).then_some("step")] {
                        a href=(step_link(*step)) { (step.number()) ". " (step.label()) }
                        " " span class="state" { "(" (state_text(*state)) ")" }
                    }
                }
            }
        }
    }
}

/// Save and Skip: Skip sends the form without the browser's checks.
fn actions(save: &str) -> Markup {
    html! {
        div class="actions" {
            button type="submit" class="primary" name="action" value="save" { (save) }
            button type="submit" name="action" value="skip" formnovalidate { "Skip this step" }
        }
    }
}

fn title_step(chrome: &AdminChrome, w: &Wizard<'_>) -> Markup {
    html! {
        h2 id="step-heading" { "Step 1 of 3: name your blog" }
        p { "The title and description head your home page and every page of your blog." }
        (error_banner(w.error, &["site_title", "site_description"]))
        form method="post" action={ (WIZARD_PATH) "/title" } class="settings" aria-labelledby="step-heading" {
            (csrf_input(&chrome.csrf_token))
            (Field::new("site_title", "Site title").write_error(w.error).input(
                "text",
                Some(w.site_title),
                &InputAttrs { required: true, maxlength: Some(100), ..InputAttrs::default() },
            ))
            (Field::new("site_description", "Description")
                .hint("a sentence under the title on your home page")
                .write_error(w.error)
                .textarea(w.site_description, 3, None))
            (actions("Save and continue"))
        }
    }
}

fn theme_step(chrome: &AdminChrome, w: &Wizard<'_>) -> Markup {
    let field = Field::new("theme", "Theme").write_error(w.error);
    html! {
        h2 id="step-heading" { "Step 2 of 3: choose a theme" }
        p { "Each preview is your home page as readers will see it in that theme. You can change it later in Settings." }
        (error_banner(w.error, &["theme"]))
        form method="post" action={ (WIZARD_PATH) "/theme" } aria-labelledby="step-heading" {
            (csrf_input(&chrome.csrf_token))
            fieldset class="themes" aria-describedby=[field.error.map(|_| "theme-error")] {
                legend { "Theme" }
                @for preset in ThemePreset::ALL {
                    @let id = format!("theme-{}", preset.as_str());
                    @let preview = format!("{PREVIEW_PATH}/{}", preset.as_str());
                    div class="theme-choice" {
                        div class="check" {
                            input type="radio" name="theme" id=(id) value=(preset.as_str())
                                checked[w.theme == preset.as_str()];
                            label for=(id) { (preset.label()) }
                        }
                        div class="theme-frame" inert {
                            iframe src=(preview) loading="lazy" tabindex="-1"
                                title={ "Your home page in the " (preset.label()) " theme" } {}
                        }
                        a href=(preview) target="_blank" {
                            "See " (preset.label()) " full size"
                            span class="visually-hidden" { " (opens in a new tab)" }
                        }
                    }
                }
            }
            (field.error_text())
            (actions("Save and continue"))
        }
    }
}

fn post_step(chrome: &AdminChrome) -> Markup {
    html! {
        h2 id="step-heading" { "Step 3 of 3: a first post" }
        p { "Write it in the editor: save it as a draft or publish it when it is ready. This step is done once a post is published." }
        p { a class="button-link" href="/admin/posts/new" { "Write a post" } }
        p { "Moving from another blog? " a href="/admin/import" { "Import your posts" } " from a Grove export, WordPress or Ghost: you see what would happen before anything is written." }
        form method="post" action={ (WIZARD_PATH) "/post" } aria-labelledby="step-heading" {
            (csrf_input(&chrome.csrf_token))
            div class="actions" {
                button type="submit" name="action" value="skip" { "Skip this step" }
            }
        }
    }
}

fn all_done(chrome: &AdminChrome) -> Markup {
    html! {
        h2 { "All set" }
        p { "Your blog has a title, a theme and a first post." }
        p { a href=(chrome.site_url) { "View your blog" } " · " a href="/admin" { "Go to your posts and pages" } }
    }
}

/// The wizard at `w.step`.
pub fn welcome_page(chrome: &AdminChrome, w: &Wizard<'_>, notice: Option<&str>) -> Markup {
    let body = html! {
        style { (PreEscaped(WELCOME_CSS)) }
        p { "Three steps to a blog that is ready for readers. Each can be skipped and done later: the checklist on your dashboard leads back here." }
        (steps_nav(w))
        section aria-live="polite" {
            @match w.step {
                Some(Step::Title) => (title_step(chrome, w)),
                Some(Step::Theme) => (theme_step(chrome, w)),
                Some(Step::Post) => (post_step(chrome)),
                None => (all_done(chrome)),
            }
        }
    };
    admin_layout(chrome, "Set up your blog", notice, body)
}

/// The dashboard's checklist, while it shows (nothing otherwise).
pub fn checklist(chrome: &AdminChrome, list: Option<&Checklist>) -> Markup {
    let Some(list) = list.filter(|l| l.show) else {
        return html! {};
    };
    html! {
        style { (PreEscaped(WELCOME_CSS)) }
        section class="checklist" aria-labelledby="checklist-heading" {
            h2 id="checklist-heading" { "Get your blog ready" }
            p { (list.done()) " of 3 steps done." }
            ul {
                @for (step, state) in &list.steps {
                    li {
                        @if *state == State::Done {
                            (step.label()) ": done"
                        } @else {
                            a href=(step_link(*step)) { (step.label()) }
                            @if *state == State::Skipped { " (skipped)" }
                        }
                    }
                }
            }
            form method="post" action={ (WIZARD_PATH) "/dismiss" } {
                (csrf_input(&chrome.csrf_token))
                button type="submit" class="link" { "Hide this checklist" }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::errors::FieldError;
    use crate::admin::test_fixtures::content;
    use crate::lifecycle::welcome::{Progress, SETTING};
    use crate::views::admin::test_util::{assert_admin_head, assert_csrf_in_every_form, chrome};

    fn list(progress: Progress) -> Checklist {
        let mut c = content();
        c.pages.clear();
        c.settings.insert(SETTING.into(), progress.encode());
        Checklist::of(&c)
    }

    fn wizard<'a>(
        list: &'a Checklist,
        step: Option<Step>,
        error: Option<&'a WriteError>,
    ) -> Wizard<'a> {
        Wizard {
            checklist: list,
            step,
            site_title: "My <blog>",
            site_description: "",
            theme: "meadow",
            error,
        }
    }

    #[test]
    fn the_title_step_keeps_what_was_typed_and_names_the_wrong_field() {
        let l = list(Progress::default());
        let error = WriteError::Invalid(vec![FieldError::new(
            "site_title",
            "The site title is 1 to 100 characters.",
        )]);
        let html = welcome_page(
            &chrome(),
            &wizard(&l, Some(Step::Title), Some(&error)),
            None,
        )
        .into_string();
        assert_admin_head(&html, "Set up your blog");
        assert_csrf_in_every_form(&html, "tok-123");
        assert!(html.contains("Step 1 of 3"));
        assert!(html.contains("value=\"My &lt;blog&gt;\""));
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(html.contains("The site title is 1 to 100 characters."));
        assert!(html.contains("<li aria-current=\"step\"><a href=\"/admin/welcome?step=title\">"));
        assert!(
            html.contains("value=\"skip\" formnovalidate"),
            "skipping ignores the checks"
        );
    }

    #[test]
    fn the_theme_step_frames_a_preview_of_every_preset() {
        let l = list(Progress::default());
        let html =
            welcome_page(&chrome(), &wizard(&l, Some(Step::Theme), None), None).into_string();
        for preset in ThemePreset::ALL {
            let src = format!("src=\"/admin/welcome/preview/{}\"", preset.as_str());
            assert!(html.contains(&src), "{src}");
            assert!(html.contains(&format!(
                "title=\"Your home page in the {} theme\"",
                preset.label()
            )));
        }
        assert_eq!(html.matches("<iframe").count(), 3);
        assert_eq!(html.matches(" inert>").count(), 3, "frames take no focus");
        assert!(html.contains("id=\"theme-meadow\" value=\"meadow\" checked>"));
        assert_eq!(html.matches(" checked").count(), 1);
        assert_csrf_in_every_form(&html, "tok-123");
    }

    #[test]
    fn the_post_step_offers_the_editor_and_the_import() {
        let l = list(Progress::default());
        let html = welcome_page(&chrome(), &wizard(&l, Some(Step::Post), None), None).into_string();
        assert!(html.contains("href=\"/admin/posts/new\""));
        assert!(html.contains("href=\"/admin/import\""));
        let done = welcome_page(&chrome(), &wizard(&l, None, None), None).into_string();
        assert!(done.contains("All set"));
    }

    #[test]
    fn the_checklist_links_each_step_left_and_can_be_hidden() {
        let l = list(
            Progress::default()
                .with(Step::Title, State::Done)
                .with(Step::Theme, State::Skipped),
        );
        let html = checklist(&chrome(), Some(&l)).into_string();
        assert!(html.contains("1 of 3 steps done."));
        assert!(html.contains("Name your blog and describe it: done"));
        assert!(html.contains("<a href=\"/admin/welcome?step=theme\">Choose a theme</a> (skipped)"));
        assert!(html.contains("<a href=\"/admin/welcome?step=post\">Publish a first post</a>"));
        assert!(html.contains("action=\"/admin/welcome/dismiss\""));
        assert_csrf_in_every_form(&html, "tok-123");
        let hidden = list(Progress {
            dismissed: true,
            ..Progress::default()
        });
        assert_eq!(checklist(&chrome(), Some(&hidden)).into_string(), "");
        assert_eq!(checklist(&chrome(), None).into_string(), "");
    }
}
