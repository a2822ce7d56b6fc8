//! The server-rendered admin under `/admin`: list, edit, preview, publish,
//! schedule, delete; pages; settings. Works without JavaScript.
//!
//! A GET of a POST-only form target redirects (303) to the page that owns
//! the form. A successful POST redirects (303) to the saved item with a notice; a
//! refused one re-renders the form with what the user typed and the errors
//! next to the fields, with the error's status (409, 413, 422).

use super::reply::Reply;
use super::RequestCtx;
use crate::admin::content::{Command, Outcome, TenantContent, WriteCtx};
use crate::admin::errors::{FieldError, WriteError};
use crate::admin::forms::{FormData, PageForm, PostAction, PostForm, SettingsForm};
use crate::admin::held;
use crate::admin::store::ContentStore;
use crate::markdown;
use crate::model::{Page, Post, PostStatus};
use crate::page_store::PageStore;
use crate::protocol::AdminRequest;
use crate::tenant_core::TenantCore;
use crate::views::admin::{self as v, AdminChrome};

/// Notices a redirect may ask for (never echoes arbitrary query text).
fn notice(query: Option<&str>) -> Option<&'static str> {
    let q = query?;
    q.split('&').find_map(|p| match p {
        "notice=saved" => Some("Saved."),
        "notice=published" => Some("Published."),
        "notice=scheduled" => Some("Scheduled."),
        "notice=draft" => Some("Saved as a draft."),
        "notice=deleted" => Some("Deleted."),
        _ => None,
    })
}

fn chrome(req: &AdminRequest, content: &TenantContent) -> AdminChrome {
    AdminChrome {
        site_title: content.site_settings().title,
        site_url: req.site_url.clone(),
        email: req.user.email.clone(),
        csrf_token: req.user.csrf_token.clone(),
        signout_url: req.signout_url.clone(),
    }
}

/// Reads the whole content (cloned), or the reply to give if it cannot be had.
async fn snapshot<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    now: i64,
) -> Result<TenantContent, Reply> {
    match core.read(&req.tenant_id, now, Clone::clone).await {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(Reply::not_found(false)),
        Err(_) => Err(Reply::unavailable(false)),
    }
}

fn form(req: &AdminRequest) -> Result<FormData, Reply> {
    FormData::parse(&req.body)
        .ok_or_else(|| Reply::bad_request(false, "The form could not be read."))
}

/// Serves `/admin/{segments..}`.
pub async fn handle<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    segments: &[&str],
    ctx: &RequestCtx,
) -> Reply {
    let content = match snapshot(core, req, ctx.now).await {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let chrome = chrome(req, &content);
    let notice = notice(req.query.as_deref());
    match (req.method.as_str(), segments) {
        ("GET", []) => Reply::html(
            200,
            v::dashboard(
                &chrome,
                &content.posts,
                &content.pages,
                &content.views,
                notice,
            ),
        ),
        ("GET", ["posts", "new"]) => Reply::html(
            200,
            v::post_editor(&chrome, &PostForm::default(), None, None, None, None),
        ),
        ("POST", ["posts"]) => save_post(core, req, ctx, &chrome, None).await,
        ("GET", ["posts", id]) => match content.post(id) {
            Some(post) => Reply::html(
                200,
                v::post_editor(
                    &chrome,
                    &PostForm::from_post(post),
                    None,
                    None,
                    None,
                    notice,
                ),
            ),
            None => Reply::not_found(false),
        },
        ("POST", ["posts", id]) => match content.post(id) {
            Some(post) => save_post(core, req, ctx, &chrome, Some(post)).await,
            None => Reply::not_found(false),
        },
        ("POST", ["posts", id, "delete"]) => match form(req) {
            Ok(f) => {
                delete(
                    core,
                    req,
                    ctx,
                    Command::DeletePost {
                        id: id.to_string(),
                        version: f.get("version").parse().ok(),
                    },
                )
                .await
            }
            Err(reply) => reply,
        },
        ("GET", ["pages", "new"]) => {
            let blank = PageForm {
                show_in_nav: true,
                nav_order: "0".into(),
                ..Default::default()
            };
            Reply::html(200, v::page_editor(&chrome, &blank, None, None, None))
        }
        ("POST", ["pages"]) => save_page(core, req, ctx, &chrome, None).await,
        ("GET", ["pages", id]) => match content.page(id) {
            Some(page) => Reply::html(
                200,
                v::page_editor(&chrome, &PageForm::from_page(page), None, None, notice),
            ),
            None => Reply::not_found(false),
        },
        ("POST", ["pages", id]) => match content.page(id) {
            Some(page) => save_page(core, req, ctx, &chrome, Some(page)).await,
            None => Reply::not_found(false),
        },
        ("POST", ["pages", id, "delete"]) => match form(req) {
            Ok(f) => {
                delete(
                    core,
                    req,
                    ctx,
                    Command::DeletePage {
                        id: id.to_string(),
                        version: f.get("version").parse().ok(),
                    },
                )
                .await
            }
            Err(reply) => reply,
        },
        ("GET", ["settings"]) => {
            let form = SettingsForm::from_rows(&content.settings, &content.tenant.display_name);
            Reply::html(200, v::settings_form(&chrome, &form, None, notice))
        }
        ("POST", ["settings"]) => save_settings(core, req, ctx, &chrome).await,
        // A GET of a form's target (a bookmark, a sign-in that returned
        // there) goes to the page that owns the form.
        ("GET" | "HEAD", _) => match held::form_page(&req.path) {
            Some(page) if page != trimmed(&req.path) => Reply::see_other(&page),
            _ => Reply::not_found(false),
        },
        (
            _,
            []
            | ["posts" | "pages" | "settings"]
            | ["posts" | "pages", _]
            | ["posts" | "pages", _, "delete"],
        ) => Reply::method_not_allowed(false),
        _ => Reply::not_found(false),
    }
}

fn trimmed(path: &str) -> &str {
    path.trim_end_matches('/')
}

fn write_ctx(req: &AdminRequest, ctx: &RequestCtx) -> WriteCtx {
    WriteCtx {
        now: ctx.now,
        user_id: req.user.user_id.clone(),
        new_id: ctx.new_id.clone(),
    }
}

async fn delete<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    ctx: &RequestCtx,
    command: Command,
) -> Reply {
    match core
        .write(&req.tenant_id, &command, &write_ctx(req, ctx))
        .await
    {
        Ok(_) => Reply::see_other("/admin?notice=deleted"),
        Err(WriteError::NotFound) => Reply::not_found(false),
        Err(e) => {
            let status = e.status();
            Reply::html(
                status,
                crate::views::platform_error(status, "Not deleted", &e.to_api().message, "/admin"),
            )
        }
    }
}

async fn save_post<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    ctx: &RequestCtx,
    chrome: &AdminChrome,
    current: Option<&Post>,
) -> Reply {
    let data = match form(req) {
        Ok(d) => d,
        Err(reply) => return reply,
    };
    let action = PostAction::parse(data.get("action"));
    let mut post_form = PostForm::from_form(
        &data,
        current.map(|p| p.id.clone()),
        current.map(|p| p.status),
    );
    let editor = |f: &PostForm,
                  status: u16,
                  error: Option<&WriteError>,
                  preview: Option<&str>,
                  conflict: Option<&Post>| {
        Reply::html(
            status,
            v::post_editor(chrome, f, error, preview, conflict, None),
        )
    };
    let input = match post_form.to_input(action) {
        Ok(input) => input,
        Err(message) => {
            let e = WriteError::Invalid(vec![FieldError::new("publish_at", message)]);
            return editor(&post_form, 422, Some(&e), None, None);
        }
    };
    if action == PostAction::Preview {
        if post_form.markdown.len() > crate::admin::input::MAX_MARKDOWN_BYTES {
            let e = WriteError::TooLarge("The body is larger than 1 MiB.".into());
            return editor(&post_form, 413, Some(&e), None, None);
        }
        let preview = markdown::render_in_page(
            &post_form.markdown,
            crate::views::admin::post_editor::EDITOR_IDS,
        );
        return editor(&post_form, 200, None, Some(&preview), None);
    }
    let draft = match input.validate(ctx.now) {
        Ok(d) => d,
        Err(e) => return editor(&post_form, e.status(), Some(&e), None, None),
    };
    let command = match current {
        None => Command::CreatePost(draft),
        Some(p) => Command::UpdatePost {
            id: p.id.clone(),
            version: post_form.version.unwrap_or(0),
            draft,
        },
    };
    let wctx = write_ctx(req, ctx);
    match core.write(&req.tenant_id, &command, &wctx).await {
        Ok(Outcome::Post(post)) => {
            let what = match post.status {
                PostStatus::Published => "published",
                PostStatus::Scheduled => "scheduled",
                PostStatus::Draft => "draft",
            };
            Reply::see_other(&format!("/admin/posts/{}?notice={what}", post.id))
        }
        Ok(_) => Reply::see_other("/admin"),
        Err(WriteError::Conflict(message)) => {
            // A stale version shows the stored post next to the user's text;
            // a taken slug is an error on the slug field.
            let latest = core
                .read(&req.tenant_id, ctx.now, |c| {
                    current.and_then(|p| c.post(&p.id).cloned())
                })
                .await;
            match latest {
                Ok(Some(Some(latest))) if Some(latest.version) != post_form.version => {
                    post_form.version = Some(latest.version);
                    post_form.status = Some(latest.status);
                    let e = WriteError::Conflict(message);
                    editor(&post_form, 409, Some(&e), None, Some(&latest))
                }
                _ => {
                    let e = WriteError::Invalid(vec![FieldError::new("slug", &message)]);
                    editor(&post_form, 409, Some(&e), None, None)
                }
            }
        }
        Err(e) => editor(&post_form, e.status(), Some(&e), None, None),
    }
}

async fn save_page<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    ctx: &RequestCtx,
    chrome: &AdminChrome,
    current: Option<&Page>,
) -> Reply {
    let data = match form(req) {
        Ok(d) => d,
        Err(reply) => return reply,
    };
    let mut page_form = PageForm::from_form(&data, current.map(|p| p.id.clone()));
    let editor =
        |f: &PageForm, status: u16, error: Option<&WriteError>, conflict: Option<&Page>| {
            Reply::html(status, v::page_editor(chrome, f, error, conflict, None))
        };
    let draft = match page_form.to_input() {
        Ok(input) => match input.validate() {
            Ok(d) => d,
            Err(e) => return editor(&page_form, e.status(), Some(&e), None),
        },
        Err(message) => {
            let e = WriteError::Invalid(vec![FieldError::new("nav_order", message)]);
            return editor(&page_form, 422, Some(&e), None);
        }
    };
    let command = match current {
        None => Command::CreatePage(draft),
        Some(p) => Command::UpdatePage {
            id: p.id.clone(),
            version: page_form.version.unwrap_or(0),
            draft,
        },
    };
    let wctx = write_ctx(req, ctx);
    match core.write(&req.tenant_id, &command, &wctx).await {
        Ok(Outcome::Page(page)) => {
            Reply::see_other(&format!("/admin/pages/{}?notice=saved", page.id))
        }
        Ok(_) => Reply::see_other("/admin"),
        Err(WriteError::Conflict(message)) => {
            let latest = core
                .read(&req.tenant_id, ctx.now, |c| {
                    current.and_then(|p| c.page(&p.id).cloned())
                })
                .await;
            match latest {
                Ok(Some(Some(latest))) if Some(latest.version) != page_form.version => {
                    page_form.version = Some(latest.version);
                    let e = WriteError::Conflict(message);
                    editor(&page_form, 409, Some(&e), Some(&latest))
                }
                _ => {
                    let e = WriteError::Invalid(vec![FieldError::new("slug", &message)]);
                    editor(&page_form, 409, Some(&e), None)
                }
            }
        }
        Err(e) => editor(&page_form, e.status(), Some(&e), None),
    }
}

async fn save_settings<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    ctx: &RequestCtx,
    chrome: &AdminChrome,
) -> Reply {
    let data = match form(req) {
        Ok(d) => d,
        Err(reply) => return reply,
    };
    let settings_form = SettingsForm::from_form(&data);
    let draft = match settings_form.to_input().validate() {
        Ok(d) => d,
        Err(e) => {
            return Reply::html(
                e.status(),
                v::settings_form(chrome, &settings_form, Some(&e), None),
            )
        }
    };
    let wctx = write_ctx(req, ctx);
    match core
        .write(&req.tenant_id, &Command::UpdateSettings(draft), &wctx)
        .await
    {
        Ok(_) => Reply::see_other("/admin/settings?notice=saved"),
        Err(e) => Reply::html(
            e.status(),
            v::settings_form(chrome, &settings_form, Some(&e), None),
        ),
    }
}
