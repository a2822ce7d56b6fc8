//! The server-rendered admin under `/admin`: list, edit, preview, publish,
//! schedule, delete (after a confirmation page); pages; settings. Works
//! without JavaScript. Times in forms are in the blog's time zone (or the
//! one the form names); everything stored is UTC.
//!
//! A GET of a POST-only form target redirects (303) to the page that owns
//! the form. A successful POST redirects (303) to the saved item with a notice; a
//! refused one re-renders the form with what the user typed and the errors
//! next to the fields, with the error's status (409, 413, 422).

use super::preview;
use super::reply::Reply;
use super::RequestCtx;
use crate::admin::content::{Command, Outcome, TenantContent, WriteCtx};
use crate::admin::errors::{FieldError, WriteError};
use crate::admin::forms::{FormData, PageForm, PostAction, PostForm, SettingsForm};
use crate::admin::held;
use crate::admin::store::ContentStore;
use crate::admin::time_zone::{self, WriterZone};
use crate::model::{Page, Post, PostStatus};
use crate::page_store::PageStore;
use crate::protocol::AdminRequest;
use crate::tenant_core::TenantCore;
use crate::views::admin::{self as v, AdminChrome};

/// Notices a redirect may ask for (never echoes arbitrary query text).
/// The dashboard's filter (`?q=`), when one was typed.
fn filter_query(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.trim().to_string())
        .filter(|q| !q.is_empty())
}

fn notice(query: Option<&str>) -> Option<&'static str> {
    let q = query?;
    q.split('&').find_map(|p| match p {
        "notice=saved" => Some("Saved."),
        "notice=published" => Some("Published."),
        "notice=updated" => Some("Updated."),
        "notice=scheduled" => Some("Scheduled."),
        "notice=draft" => Some("Saved as a draft."),
        "notice=deleted" => Some("Deleted."),
        "notice=moved" => Some("Updated. The old address now redirects here."),
        _ => None,
    })
}

pub(super) fn chrome(req: &AdminRequest, content: &TenantContent) -> AdminChrome {
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

/// The blog's time zone, and whether it has chosen none (UTC by default).
fn blog_zone(content: &TenantContent) -> (WriterZone, bool) {
    let setting = content.settings.get(time_zone::SETTING).map(String::as_str);
    let unset = setting.is_none_or(|v| v.trim().is_empty());
    (WriterZone::from_setting(setting), unset)
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
    let (zone, zone_unset) = blog_zone(&content);
    match (req.method.as_str(), segments) {
        ("GET", []) => {
            let filter = filter_query(req.query.as_deref());
            let posts = match &filter {
                None => content.posts.clone(),
                Some(q) => match core.filter_posts(&req.tenant_id, q, ctx.now).await {
                    Ok(Some(ids)) => ids
                        .iter()
                        .filter_map(|id| content.posts.iter().find(|p| &p.id == id).cloned())
                        .collect(),
                    Ok(None) => return Reply::not_found(false),
                    Err(_) => return Reply::unavailable(false),
                },
            };
            let usage = super::plan::content_usage(&content);
            Reply::html(
                200,
                v::dashboard_with(
                    &chrome,
                    &v::PostList {
                        posts: &posts,
                        filter: filter.as_deref(),
                        any: !content.posts.is_empty(),
                    },
                    &content.pages,
                    &content.views,
                    &zone,
                    notice,
                    maud::html! {
                        (v::welcome::checklist(&chrome, Some(&crate::lifecycle::welcome::Checklist::of(&content))))
                        (v::usage_summary(content.tenant.plan, &usage))
                    },
                ),
            )
        }
        ("GET", ["posts", "new"]) => Reply::html(
            200,
            v::post_editor(
                &chrome,
                &PostForm::new_in(&zone, zone_unset),
                None,
                None,
                None,
            ),
        ),
        ("POST", ["posts"]) => save_post(core, req, ctx, &chrome, &content, None).await,
        ("POST", ["preview"]) => match form(req) {
            Ok(data) => preview::preview(
                &content,
                &PostForm::from_form(&data, None, None),
                &zone,
                ctx.now,
            ),
            Err(reply) => reply,
        },
        ("POST", ["posts", id, "preview"]) => match (form(req), content.post(id)) {
            (Err(reply), _) => reply,
            (Ok(_), None) => Reply::not_found(false),
            (Ok(data), Some(post)) => {
                let form = PostForm::from_form(&data, Some(post.id.clone()), Some(post.status));
                preview::preview(&content, &form, &zone, ctx.now)
            }
        },
        ("GET", ["posts", id]) => match content.post(id) {
            Some(post) => Reply::html(200, {
                let mut form = PostForm::from_post(post, &zone, zone_unset);
                form.old_slugs = crate::discovery::old_slugs::of_post(&content.old_slugs, id)
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                v::post_editor(&chrome, &form, None, None, notice)
            }),
            None => Reply::not_found(false),
        },
        ("POST", ["posts", id]) => match content.post(id) {
            Some(post) => save_post(core, req, ctx, &chrome, &content, Some(post)).await,
            None => Reply::not_found(false),
        },
        ("GET", ["posts", id, "delete"]) => ask_delete(&chrome, &content, "post", id),
        ("POST", ["posts", id, "delete"]) => {
            delete_confirmed(core, req, ctx, &chrome, &content, "post", id).await
        }
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
        ("GET", ["pages", id, "delete"]) => ask_delete(&chrome, &content, "page", id),
        ("POST", ["pages", id, "delete"]) => {
            delete_confirmed(core, req, ctx, &chrome, &content, "page", id).await
        }
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
            | ["posts" | "pages" | "settings" | "preview"]
            | ["posts" | "pages", _]
            | ["posts" | "pages", _, "delete"]
            | ["posts", _, "preview"],
        ) => Reply::method_not_allowed(false),
        _ => Reply::not_found(false),
    }
}

fn trimmed(path: &str) -> &str {
    path.trim_end_matches('/')
}

pub(super) fn write_ctx(req: &AdminRequest, ctx: &RequestCtx) -> WriteCtx {
    WriteCtx {
        now: ctx.now,
        user_id: req.user.user_id.clone(),
        new_id: ctx.new_id.clone(),
    }
}

/// The page that asks before deleting the post or page (`kind`) `id`;
/// the item's public address is shown when readers can see it now.
fn ask_delete(chrome: &AdminChrome, content: &TenantContent, kind: &str, id: &str) -> Reply {
    let base = chrome.site_url.trim_end_matches('/');
    let found = match kind {
        "post" => content.post(id).map(|p| {
            let public =
                (p.status == PostStatus::Published).then(|| format!("{base}/blog/{}", p.slug));
            (p.title.as_str(), p.version, public)
        }),
        _ => content.page(id).map(|p| {
            (
                p.title.as_str(),
                p.version,
                Some(format!("{base}/{}", p.slug)),
            )
        }),
    };
    let Some((title, version, public_url)) = found else {
        return Reply::not_found(false);
    };
    let target = v::DeleteTarget {
        kind,
        id,
        title,
        public_url,
        version,
    };
    Reply::html(200, v::delete_confirmation(chrome, &target))
}

/// A delete form: carried out only from the confirmation page (`confirm=yes`),
/// which is shown otherwise.
async fn delete_confirmed<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    ctx: &RequestCtx,
    chrome: &AdminChrome,
    content: &TenantContent,
    kind: &str,
    id: &str,
) -> Reply {
    let f = match form(req) {
        Ok(f) => f,
        Err(reply) => return reply,
    };
    if f.get("confirm") != "yes" {
        return ask_delete(chrome, content, kind, id);
    }
    let (id, version) = (id.to_string(), f.get("version").parse().ok());
    let command = match kind {
        "post" if content.post(&id).is_some() => Command::DeletePost { id, version },
        "page" if content.page(&id).is_some() => Command::DeletePage { id, version },
        _ => return Reply::not_found(false),
    };
    delete(core, req, ctx, command).await
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
    content: &TenantContent,
    current: Option<&Post>,
) -> Reply {
    let data = match form(req) {
        Ok(d) => d,
        Err(reply) => return reply,
    };
    let (zone, _) = blog_zone(content);
    let action = PostAction::parse(data.get("action"));
    let mut post_form = PostForm::from_form(
        &data,
        current.map(|p| p.id.clone()),
        current.map(|p| p.status),
    );
    let editor =
        |f: &PostForm, status: u16, error: Option<&WriteError>, conflict: Option<&Post>| {
            Reply::html(status, v::post_editor(chrome, f, error, conflict, None))
        };
    if action == PostAction::Preview {
        // A browser without `formaction` posts Preview here: same answer.
        return preview::preview(content, &post_form, &zone, ctx.now);
    }
    let input = match post_form.to_input(action, &zone) {
        Ok(input) => input,
        Err(message) => {
            let e = WriteError::Invalid(vec![FieldError::new("publish_at", message)]);
            return editor(&post_form, 422, Some(&e), None);
        }
    };
    let draft = match input.validate(ctx.now) {
        Ok(d) => d,
        Err(e) => return editor(&post_form, e.status(), Some(&e), None),
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
            let was_published = current.is_some_and(|p| p.status == PostStatus::Published);
            let moved = current.is_some_and(|p| p.slug != post.slug && p.is_visible_at(ctx.now));
            let what = match post.status {
                PostStatus::Published if moved => "moved",
                PostStatus::Published if was_published => "updated",
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
                    // The banner says what the conflict section says.
                    let e = WriteError::Conflict(v::conflict_message("post"));
                    editor(&post_form, 409, Some(&e), Some(&latest))
                }
                _ => {
                    let e = WriteError::Invalid(vec![FieldError::new("slug", &message)]);
                    editor(&post_form, 409, Some(&e), None)
                }
            }
        }
        Err(e) => editor(&post_form, e.status(), Some(&e), None),
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
                    let e = WriteError::Conflict(v::conflict_message("page"));
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
