//! `/admin/welcome`: the setup wizard's requests. Each step saves through
//! the actor's normal write path (one `UpdateSettings` with the step's
//! fields and the progress, [`crate::lifecycle::welcome`]), or is skipped
//! (only the progress is saved); a refused step comes back with what was
//! typed and a message next to each field. `/admin/welcome/preview/{preset}`
//! renders the blog's home page in a preset, for the theme step's frames,
//! and stores nothing.
//!
//! | path | |
//! |---|---|
//! | GET `/admin/welcome[?step=title\|theme\|post]` | the wizard, at that step (else the first not done) |
//! | POST `/admin/welcome/title` | `site_title`, `site_description`, `action=save\|skip` |
//! | POST `/admin/welcome/theme` | `theme`, `action=save\|skip` |
//! | POST `/admin/welcome/post` | `action=skip` (the step is done by publishing a post) |
//! | POST `/admin/welcome/dismiss` | hides the dashboard's checklist |
//! | GET `/admin/welcome/preview/{preset}` | the home page in `preset` |

use super::reply::{Reply, HTML};
use super::RequestCtx;
use crate::admin::content::{Command, TenantContent};
use crate::admin::errors::{FieldError, WriteError};
use crate::admin::forms::FormData;
use crate::admin::input::{SettingsDraft, SettingsInput};
use crate::admin::store::ContentStore;
use crate::lifecycle::welcome::{Checklist, Progress, State, Step, SETTING, WIZARD_PATH};
use crate::page_store::PageStore;
use crate::protocol::AdminRequest;
use crate::site::ReaderRoute;
use crate::tenant_core::TenantCore;
use crate::theme::ThemePreset;
use crate::views::admin::welcome::{welcome_page, Wizard};
use crate::views::admin::AdminChrome;

/// The step a query names (`?step=theme`).
fn step_in(query: Option<&str>) -> Option<Step> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == "step")
        .and_then(|(_, v)| Step::parse(&v))
}

/// What a step's form holds, as typed.
struct Typed {
    title: String,
    description: String,
    theme: String,
}

impl Typed {
    fn stored(content: &TenantContent) -> Typed {
        let settings = content.site_settings();
        Typed {
            title: settings.title,
            description: settings.description,
            theme: settings.theme.as_str().to_string(),
        }
    }
}

fn page(
    chrome: &AdminChrome,
    checklist: &Checklist,
    step: Option<Step>,
    typed: &Typed,
    status: u16,
    error: Option<&WriteError>,
) -> Reply {
    let wizard = Wizard {
        checklist,
        step,
        site_title: &typed.title,
        site_description: &typed.description,
        theme: &typed.theme,
        error,
    };
    Reply::html(status, welcome_page(chrome, &wizard, None))
}

/// Where the wizard goes after `step`: the next step, or the dashboard
/// (with its checklist) after the last.
fn after(step: Step) -> Reply {
    match step.next() {
        Some(next) => Reply::see_other(&format!("{WIZARD_PATH}?step={}", next.as_str())),
        None => Reply::see_other("/admin"),
    }
}

pub(super) async fn handle<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    ctx: &RequestCtx,
    content: &TenantContent,
    chrome: &AdminChrome,
    rest: &[&str],
) -> Reply {
    let checklist = Checklist::of(content);
    match (req.method.as_str(), rest) {
        ("GET", []) => {
            let step = step_in(req.query.as_deref()).or_else(|| checklist.next_step());
            page(chrome, &checklist, step, &Typed::stored(content), 200, None)
        }
        ("GET", ["preview", preset]) => match ThemePreset::parse(preset) {
            Some(preset) => preview(content, preset, ctx.now),
            None => Reply::not_found(false),
        },
        ("POST", [step @ ("title" | "theme" | "post")]) => {
            let Some(data) = FormData::parse(&req.body) else {
                return Reply::bad_request(false, "The form could not be read.");
            };
            let step = Step::parse(step).unwrap_or(Step::Title);
            save_step(core, req, ctx, content, chrome, &checklist, step, &data).await
        }
        ("POST", ["dismiss"]) => {
            let progress = Progress {
                dismissed: true,
                ..checklist.stored
            };
            match write(core, req, ctx, Vec::new(), progress).await {
                Ok(()) => Reply::see_other("/admin"),
                Err(e) => problem(&e),
            }
        }
        ("GET" | "HEAD", _) => Reply::see_other(WIZARD_PATH),
        _ => Reply::method_not_allowed(false),
    }
}

/// Saves (or skips) one step.
#[allow(clippy::too_many_arguments)]
async fn save_step<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    ctx: &RequestCtx,
    content: &TenantContent,
    chrome: &AdminChrome,
    checklist: &Checklist,
    step: Step,
    data: &FormData,
) -> Reply {
    let stored = checklist.stored;
    if data.get("action") == "skip" || step == Step::Post {
        let state = match checklist.state(step) {
            State::Done => State::Done,
            _ => State::Skipped,
        };
        return match write(core, req, ctx, Vec::new(), stored.with(step, state)).await {
            Ok(()) => after(step),
            Err(e) => problem(&e),
        };
    }
    let mut typed = Typed::stored(content);
    let input = match step {
        Step::Title => {
            typed.title = data.get("site_title").to_string();
            typed.description = data.get("site_description").to_string();
            SettingsInput {
                site_title: Some(typed.title.clone()),
                site_description: Some(typed.description.clone()),
                ..SettingsInput::default()
            }
        }
        _ => {
            typed.theme = data.get("theme").to_string();
            SettingsInput {
                theme: Some(typed.theme.clone()),
                ..SettingsInput::default()
            }
        }
    };
    let refused = |e: &WriteError| {
        let e = on_theme_field(step, e);
        page(chrome, checklist, Some(step), &typed, e.status(), Some(&e))
    };
    let rows = match input.validate() {
        Ok(draft) => draft.rows,
        Err(e) => return refused(&e),
    };
    match write(core, req, ctx, rows, stored.with(step, State::Done)).await {
        Ok(()) => after(step),
        Err(e @ WriteError::Invalid(_)) => refused(&e),
        Err(e) => problem(&e),
    }
}

/// The theme step has one field: an accent the new theme makes hard to
/// read (saved earlier in Settings) is said there.
fn on_theme_field(step: Step, e: &WriteError) -> WriteError {
    match (step, e) {
        (Step::Theme, WriteError::Invalid(fields)) => WriteError::Invalid(
            fields
                .iter()
                .map(|f| {
                    let message = match f.field {
                        "theme" => f.message.clone(),
                        _ => format!("{} Change it in Settings first.", f.message),
                    };
                    FieldError::new("theme", &message)
                })
                .collect(),
        ),
        _ => e.clone(),
    }
}

/// One write of the actor's normal path: the step's settings and the
/// progress together.
async fn write<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    ctx: &RequestCtx,
    mut rows: Vec<(String, String)>,
    progress: Progress,
) -> Result<(), WriteError> {
    rows.push((SETTING.to_string(), progress.encode()));
    let wctx = super::html::write_ctx(req, ctx);
    core.write(
        &req.tenant_id,
        &Command::UpdateSettings(SettingsDraft { rows }),
        &wctx,
    )
    .await
    .map(|_| ())
}

fn problem(e: &WriteError) -> Reply {
    let status = e.status();
    Reply::html(
        status,
        crate::views::platform_error(status, "Not saved", &e.to_api().message, WIZARD_PATH),
    )
}

/// The blog's home page in `preset`, as readers would get it, marked
/// `noindex`; nothing is stored.
fn preview(content: &TenantContent, preset: ThemePreset, now: i64) -> Reply {
    let mut content = content.clone();
    content
        .settings
        .insert("theme".into(), preset.as_str().into());
    let page = content.site(now).render(&ReaderRoute::Home).html;
    let body = match page.find("<head>") {
        Some(i) => {
            let at = i + "<head>".len();
            format!(
                "{}<meta name=\"robots\" content=\"noindex\">{}",
                &page[..at],
                &page[at..]
            )
        }
        None => page,
    };
    Reply {
        status: 200,
        content_type: HTML,
        body,
        location: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::test_fixtures::content;

    #[test]
    fn a_preview_is_the_home_page_in_the_preset_and_changes_nothing() {
        let c = content();
        let midnight = preview(&c, ThemePreset::Midnight, 1_000);
        let paper = preview(&c, ThemePreset::Paper, 1_000);
        assert_eq!(midnight.status, 200);
        assert!(midnight
            .body
            .contains("<head><meta name=\"robots\" content=\"noindex\">"));
        assert_ne!(midnight.body, paper.body, "each preset looks its own");
        assert!(midnight.body.contains("#11151c"), "Midnight's background");
        assert!(
            !c.settings.contains_key("theme"),
            "the blog's theme is untouched"
        );
    }

    #[test]
    fn a_step_is_read_from_the_query() {
        assert_eq!(step_in(Some("step=theme")), Some(Step::Theme));
        assert_eq!(step_in(Some("x=1&step=post")), Some(Step::Post));
        assert_eq!(step_in(Some("step=nope")), None);
        assert_eq!(step_in(None), None);
    }
}
