//! The JSON API under `/admin/api`: the same operations and rules as the
//! forms, for tools and tests.
//!
//! | path | methods |
//! |---|---|
//! | `/admin/api/me` | GET: user, tenant and CSRF token |
//! | `/admin/api/posts` | GET list, POST create |
//! | `/admin/api/posts/{id}` | GET, PUT (with `version`), DELETE (`?version=N` optional) |
//! | `/admin/api/posts/{id}/history` | GET: accepted versions, oldest first |
//! | `/admin/api/pages`, `/admin/api/pages/{id}` | as posts |
//! | `/admin/api/settings` | GET, PUT |
//! | `/admin/api/views` | GET: views per post slug, as flushed to D1 |
//!
//! Errors are `{error, message, field?}` with 400/404/405/409/413/422.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::reply::Reply;
use super::RequestCtx;
use crate::admin::content::{Command, Outcome, WriteCtx};
use crate::admin::errors::{FieldError, WriteError};
use crate::admin::input::{PageInput, PostInput, SettingsInput};
use crate::admin::store::ContentStore;
use crate::page_store::PageStore;
use crate::protocol::AdminRequest;
use crate::tenant_core::TenantCore;

#[derive(Serialize)]
struct Me<'a> {
    user_id: &'a str,
    email: &'a str,
    tenant_id: &'a str,
    csrf_token: &'a str,
}

#[derive(Serialize)]
struct Deleted<'a> {
    deleted: &'a str,
}

/// Effective settings as the API shows them.
#[derive(Serialize)]
struct Settings {
    site_title: String,
    site_description: String,
    theme: &'static str,
    primary_color: Option<String>,
    font_family: Option<&'static str>,
    /// The writer's zone (IANA name), `UTC` when none is set.
    time_zone: String,
    /// Listed on Grove's home page (`admin::listing`).
    listed: bool,
    /// Search engines are asked not to index the blog (`discovery`).
    discourage_search: bool,
}

fn parse<T: DeserializeOwned>(body: &str) -> Result<T, WriteError> {
    serde_json::from_str(body).map_err(|e| {
        WriteError::BadRequest(format!("The body is not valid JSON for this request: {e}"))
    })
}

fn version_from_query(query: Option<&str>) -> Result<Option<i64>, WriteError> {
    let Some(query) = query else { return Ok(None) };
    for pair in query.split('&') {
        if let Some(v) = pair.strip_prefix("version=") {
            return v.parse().map(Some).map_err(|_| {
                WriteError::Invalid(vec![FieldError::new("version", "The version is a number.")])
            });
        }
    }
    Ok(None)
}

fn require_version(version: Option<i64>) -> Result<i64, WriteError> {
    version.ok_or_else(|| {
        WriteError::Invalid(vec![FieldError::new(
            "version",
            "Send the version you edited.",
        )])
    })
}

async fn write<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    ctx: &RequestCtx,
    command: Command,
    created: bool,
) -> Reply {
    let wctx = WriteCtx {
        now: ctx.now,
        user_id: req.user.user_id.clone(),
        new_id: ctx.new_id.clone(),
    };
    match core.write(&req.tenant_id, &command, &wctx).await {
        Ok(Outcome::Post(post)) => Reply::json(if created { 201 } else { 200 }, &post),
        Ok(Outcome::Page(page)) => Reply::json(if created { 201 } else { 200 }, &page),
        Ok(Outcome::Settings) => settings(core, req, ctx).await,
        Ok(Outcome::Deleted)
        | Ok(Outcome::Published(_))
        | Ok(Outcome::Suspended(_))
        | Ok(Outcome::Renamed { .. })
        | Ok(Outcome::Plan(_))
        | Ok(Outcome::Domain(_))
        | Ok(Outcome::Imported(_)) => Reply::json(
            200,
            &Deleted {
                deleted: segment_id(req),
            },
        ),
        Err(e) => Reply::api_error(&e),
    }
}

fn segment_id(req: &AdminRequest) -> &str {
    req.path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
}

async fn settings<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    ctx: &RequestCtx,
) -> Reply {
    let settings = core
        .read(&req.tenant_id, ctx.now, |c| {
            let s = c.site_settings();
            Settings {
                site_title: s.title,
                site_description: s.description,
                theme: s.theme.as_str(),
                primary_color: s.primary_color.map(|c| c.as_str().to_string()),
                font_family: s.font_family.map(|f| f.as_str()),
                time_zone: crate::admin::time_zone::WriterZone::from_setting(
                    c.settings
                        .get(crate::admin::time_zone::SETTING)
                        .map(String::as_str),
                )
                .name()
                .to_string(),
                listed: crate::admin::listing::is_listed(
                    c.settings
                        .get(crate::admin::listing::SETTING)
                        .map(String::as_str),
                ),
                discourage_search: s.discourage_search,
            }
        })
        .await;
    match settings {
        Ok(Some(s)) => Reply::json(200, &s),
        Ok(None) => Reply::not_found(true),
        Err(_) => Reply::unavailable(true),
    }
}

/// Serves `/admin/api/{segments..}`.
pub async fn handle<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    segments: &[&str],
    ctx: &RequestCtx,
) -> Reply {
    let method = req.method.as_str();
    let result = match (method, segments) {
        ("GET", ["me"]) => {
            return Reply::json(
                200,
                &Me {
                    user_id: &req.user.user_id,
                    email: &req.user.email,
                    tenant_id: &req.tenant_id,
                    csrf_token: &req.user.csrf_token,
                },
            )
        }
        ("GET", ["posts"]) => {
            let posts = core
                .read(&req.tenant_id, ctx.now, |c| {
                    let mut posts = c.posts.clone();
                    posts.sort_by(|a, b| {
                        b.updated_at
                            .cmp(&a.updated_at)
                            .then_with(|| a.slug.cmp(&b.slug))
                    });
                    posts
                })
                .await;
            return match posts {
                Ok(Some(posts)) => Reply::json(200, &posts),
                Ok(None) => Reply::not_found(true),
                Err(_) => Reply::unavailable(true),
            };
        }
        ("POST", ["posts"]) => parse::<PostInput>(&req.body)
            .and_then(|input| input.validate(ctx.now))
            .map(|draft| (Command::CreatePost(draft), true)),
        ("GET", ["posts", id]) => {
            return match core
                .read(&req.tenant_id, ctx.now, |c| c.post(id).cloned())
                .await
            {
                Ok(Some(Some(post))) => Reply::json(200, &post),
                Ok(_) => Reply::not_found(true),
                Err(_) => Reply::unavailable(true),
            }
        }
        ("PUT", ["posts", id]) => parse::<PostInput>(&req.body).and_then(|input| {
            let version = require_version(input.version)?;
            let draft = input.validate(ctx.now)?;
            Ok((
                Command::UpdatePost {
                    id: id.to_string(),
                    version,
                    draft,
                },
                false,
            ))
        }),
        ("DELETE", ["posts", id]) => version_from_query(req.query.as_deref()).map(|version| {
            (
                Command::DeletePost {
                    id: id.to_string(),
                    version,
                },
                false,
            )
        }),
        ("GET", ["posts", id, "history"]) => {
            let exists = core
                .read(&req.tenant_id, ctx.now, |c| c.post(id).is_some())
                .await;
            if !matches!(exists, Ok(Some(true))) {
                return Reply::not_found(true);
            }
            return match core.store().history(&req.tenant_id, id).await {
                Ok(history) => Reply::json(200, &history),
                Err(_) => Reply::unavailable(true),
            };
        }
        ("GET", ["views"]) => {
            let views = core
                .read(&req.tenant_id, ctx.now, |c| {
                    c.posts
                        .iter()
                        .map(|p| (p.slug.clone(), c.views.get(&p.id).copied().unwrap_or(0)))
                        .collect::<std::collections::BTreeMap<_, _>>()
                })
                .await;
            return match views {
                Ok(Some(views)) => Reply::json(200, &views),
                Ok(None) => Reply::not_found(true),
                Err(_) => Reply::unavailable(true),
            };
        }
        ("GET", ["pages"]) => {
            return match core
                .read(&req.tenant_id, ctx.now, |c| c.pages.clone())
                .await
            {
                Ok(Some(pages)) => Reply::json(200, &pages),
                Ok(None) => Reply::not_found(true),
                Err(_) => Reply::unavailable(true),
            };
        }
        ("POST", ["pages"]) => parse::<PageInput>(&req.body)
            .and_then(|input| input.validate())
            .map(|draft| (Command::CreatePage(draft), true)),
        ("GET", ["pages", id]) => {
            return match core
                .read(&req.tenant_id, ctx.now, |c| c.page(id).cloned())
                .await
            {
                Ok(Some(Some(page))) => Reply::json(200, &page),
                Ok(_) => Reply::not_found(true),
                Err(_) => Reply::unavailable(true),
            }
        }
        ("PUT", ["pages", id]) => parse::<PageInput>(&req.body).and_then(|input| {
            let version = require_version(input.version)?;
            let draft = input.validate()?;
            Ok((
                Command::UpdatePage {
                    id: id.to_string(),
                    version,
                    draft,
                },
                false,
            ))
        }),
        ("DELETE", ["pages", id]) => version_from_query(req.query.as_deref()).map(|version| {
            (
                Command::DeletePage {
                    id: id.to_string(),
                    version,
                },
                false,
            )
        }),
        ("GET", ["settings"]) => return settings(core, req, ctx).await,
        ("PUT", ["settings"]) => parse::<SettingsInput>(&req.body)
            .and_then(|input| input.validate())
            .map(|draft| (Command::UpdateSettings(draft), false)),
        (_, ["me" | "posts" | "pages" | "settings"])
        | (_, ["posts" | "pages", _])
        | (_, ["posts", _, "history"]) => return Reply::method_not_allowed(true),
        _ => return Reply::not_found(true),
    };
    match result {
        Ok((command, created)) => write(core, req, ctx, command, created).await,
        Err(e) => Reply::api_error(&e),
    }
}
