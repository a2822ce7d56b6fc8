//! Uploads to a blog's media library: `POST /admin/media` (a multipart form
//! with any number of `file` parts, no JavaScript needed) and `POST
//! /admin/api/media` (a raw body with `?filename=` and `?alt=`, or
//! multipart with one `file` part and an optional `alt` part).
//!
//! The bytes stay here, never in the tenant's actor (whose isolate memory
//! is for pages). Each file is checked and hashed (`media::upload`), its
//! bytes reserved by the actor against the plan's quota, put in R2, and
//! the reservation committed, or released if the put failed: a refused or
//! failed file leaves no row and no object.

use grove_shared::auth::session::csrf_matches;
use grove_shared::config::PlatformConfig;
use grove_shared::limits::policy::MAX_MEDIA_FILE_BYTES;
use grove_shared::media::item::MediaItem;
use grove_shared::media::upload::prepare;
use grove_shared::model::TenantRef;
use grove_shared::problem::{Format, Problem};
use grove_shared::protocol::{MediaAction, MediaReply, MediaRequest, MEDIA_BINDING, MEDIA_URL};
use worker::{Env, FormEntry, HttpMetadata, Request, Response, Result};

use crate::tenant_call::{self, ActorReply};
use crate::{respond, session};

/// The library page, where the form lives.
pub const FORM_PATH: &str = "/admin/media";
/// The API's upload endpoint.
pub const API_PATH: &str = "/admin/api/media";

/// Largest request body: the largest file any plan takes, plus room for a
/// form's other parts.
const MAX_BODY: u64 = MAX_MEDIA_FILE_BYTES + 1_000_000;

/// Whether this request is an upload (handled here, not by the actor).
pub fn is_upload(method: &str, path: &str) -> bool {
    method == "POST" && matches!(path.trim_end_matches('/'), FORM_PATH | API_PATH)
}

/// One file of a request.
struct Upload {
    bytes: Vec<u8>,
    filename: String,
    alt: String,
}

/// The outcome of one file: its item and whether it was new.
type Stored = std::result::Result<(MediaItem, bool), Problem>;

pub async fn handle(
    mut req: Request,
    env: &Env,
    config: &PlatformConfig,
    tenant: &TenantRef,
    now: i64,
) -> Result<Response> {
    let url = req.url()?;
    let api = url.path().trim_end_matches('/') == API_PATH;
    let format = if api { Format::Json } else { Format::Html };
    let site_url = format!("{}/", config.origin(&config.tenant_host(&tenant.subdomain)));
    let refuse = |p: Problem| respond::problem(&p.home(&site_url), format);

    let Some(signed_in) = session::current(env, &req, now).await? else {
        if api {
            return respond::json_error(
                401,
                "unauthenticated",
                "Sign in first: this needs a session cookie.",
            );
        }
        // A file cannot be kept across a sign-in: back to the library after it.
        let auth = config.origin(&config.tenant_host("auth"));
        let back = format!("{}{FORM_PATH}", site_url.trim_end_matches('/'));
        let location = format!(
            "{auth}/signin?return_to={}",
            grove_shared::auth::return_to::percent_encode_component(&back)
        );
        return respond::see_other(&location);
    };
    if signed_in.identity.user_id != tenant.owner_id {
        return refuse(Problem::new(
            403,
            "forbidden",
            "Forbidden",
            "You are signed in, but this blog is not yours to change.",
        ));
    }
    let too_large = || {
        Problem::new(
            413,
            "too_large",
            "Too large",
            &format!(
                "The upload is larger than {} MB, more than any plan takes per file. Nothing was stored.",
                MAX_MEDIA_FILE_BYTES / 1_000_000
            ),
        )
    };
    if let Some(len) = req
        .headers()
        .get("content-length")?
        .and_then(|l| l.parse::<u64>().ok())
    {
        if len > MAX_BODY {
            return refuse(too_large());
        }
    }
    let content_type = req.headers().get("content-type")?.unwrap_or_default();
    let multipart = content_type.starts_with("multipart/form-data");
    if !api && !multipart {
        return refuse(Problem::bad_request(
            "Upload files with the form on the media page (multipart/form-data).",
        ));
    }
    let (csrf, uploads) = if multipart {
        let Ok(form) = req.form_data().await else {
            return refuse(Problem::bad_request(
                "The upload is not a readable multipart form.",
            ));
        };
        let field = |name: &str| match form.get(name) {
            Some(FormEntry::Field(v)) => v,
            _ => String::new(),
        };
        let csrf = if api {
            req.headers().get("x-csrf-token")?.unwrap_or_default()
        } else {
            field("csrf")
        };
        let alt = field("alt");
        let mut uploads = Vec::new();
        for entry in form.get_all("file").unwrap_or_default() {
            if let FormEntry::File(file) = entry {
                // A form sent with no file chosen has one empty, nameless part.
                if file.size() == 0 && file.name().is_empty() {
                    continue;
                }
                if file.size() as u64 > MAX_BODY {
                    return refuse(too_large());
                }
                uploads.push(Upload {
                    bytes: file.bytes().await?,
                    filename: file.name(),
                    alt: alt.clone(),
                });
            }
        }
        (csrf, uploads)
    } else {
        let csrf = req.headers().get("x-csrf-token")?.unwrap_or_default();
        let query = |name: &str| {
            url.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        let bytes = req.bytes().await?;
        if bytes.len() as u64 > MAX_BODY {
            return refuse(too_large());
        }
        let upload = Upload {
            bytes,
            filename: query("filename"),
            alt: query("alt"),
        };
        (csrf, vec![upload])
    };
    if !csrf_matches(&signed_in.identity.csrf_token, &csrf) {
        return refuse(Problem::new(
            403,
            "csrf",
            "Request refused",
            "This request did not carry the CSRF token of your session. Nothing changed.",
        ));
    }
    if uploads.is_empty() {
        return refuse(Problem::bad_request("Choose at least one file to upload."));
    }
    if api && uploads.len() > 1 {
        return refuse(Problem::bad_request("The API takes one file per request."));
    }

    let mut outcomes: Vec<(String, Stored)> = Vec::new();
    for upload in uploads {
        let name = upload.filename.clone();
        let stored = store(env, tenant, &signed_in.identity.user_id, upload).await?;
        outcomes.push((name, stored));
    }
    if api {
        return match outcomes.pop() {
            Some((_, Ok((item, new)))) => {
                let status = if new { 201 } else { 200 };
                let body = grove_shared::admin_http::media::item_json(&item);
                respond::secure(Response::from_json(&body)?.with_status(status))
            }
            Some((_, Err(p))) => refuse(p),
            None => refuse(Problem::bad_request("Choose a file to upload.")),
        };
    }
    let stored = outcomes.iter().filter(|(_, o)| o.is_ok()).count();
    let failed: Vec<&(String, Stored)> = outcomes.iter().filter(|(_, o)| o.is_err()).collect();
    let Some((_, Err(first))) = failed.first() else {
        return respond::see_other(&format!("{FORM_PATH}?uploaded={stored}"));
    };
    let mut message = failed
        .iter()
        .filter_map(|(_, o)| o.as_ref().err().map(|p| p.message.clone()))
        .collect::<Vec<_>>()
        .join(" ");
    if stored > 0 {
        message.push_str(&format!(
            " The other {stored} file{} {} added to the library.",
            if stored == 1 { "" } else { "s" },
            if stored == 1 { "was" } else { "were" }
        ));
    }
    let mut p = Problem::new(first.status, first.code, first.title, &message);
    p.home = format!("{}{FORM_PATH}", site_url.trim_end_matches('/'));
    respond::problem(&p, Format::Html)
}

/// Checks, reserves, puts and commits one file.
async fn store(env: &Env, tenant: &TenantRef, user_id: &str, upload: Upload) -> Result<Stored> {
    let item = match prepare(&upload.bytes, &upload.filename, &upload.alt) {
        Ok(item) => item,
        Err(e) => return Ok(Err(e.problem(&upload.filename))),
    };
    let name = item.filename.clone();
    let step = |action| MediaRequest {
        tenant_id: tenant.id.clone(),
        user_id: user_id.to_string(),
        action,
    };
    match ask(
        env,
        &step(MediaAction::Reserve { item: item.clone() }),
        &name,
    )
    .await?
    {
        Ok(MediaReply::Reserved) => {}
        Ok(MediaReply::Existing { item }) => return Ok(Ok((item, false))),
        Ok(_) => return Ok(Err(late(&name))),
        Err(p) => return Ok(Err(p)),
    }
    let bucket = env.bucket(MEDIA_BINDING)?;
    let put = bucket
        .put(item.object_key(&tenant.id), upload.bytes)
        .http_metadata(HttpMetadata {
            content_type: Some(item.kind.mime().to_string()),
            ..Default::default()
        })
        .execute()
        .await;
    if let Err(e) = put {
        worker::console_error!("tenant {}: media put failed: {e}", tenant.id);
        let _ = ask(
            env,
            &step(MediaAction::Release {
                id: item.id.clone(),
            }),
            &name,
        )
        .await;
        return Ok(Err(Problem::unavailable(&format!(
            "{name} could not be stored right now. Nothing was kept: try again."
        ))));
    }
    match ask(
        env,
        &step(MediaAction::Commit {
            id: item.id.clone(),
        }),
        &name,
    )
    .await?
    {
        Ok(MediaReply::Committed { item }) => Ok(Ok((item, true))),
        Ok(_) => Ok(Err(late(&name))),
        Err(p) => Ok(Err(p)),
    }
}

fn late(name: &str) -> Problem {
    Problem::unavailable(&format!(
        "The blog did not confirm {name} in time. Reload the media page to see whether it was added."
    ))
}

/// One step with the actor: its reply, or the problem it answered.
async fn ask(
    env: &Env,
    req: &MediaRequest,
    name: &str,
) -> Result<std::result::Result<MediaReply, Problem>> {
    let body = serde_json::to_string(req).map_err(|e| worker::Error::RustError(e.to_string()))?;
    match tenant_call::call(env, &req.tenant_id, MEDIA_URL, Some(&body)).await? {
        ActorReply::Answered(resp) => {
            let status = resp.status();
            let mut resp = worker::Response::from(resp);
            if status == 200 {
                return Ok(match resp.json::<MediaReply>().await {
                    Ok(reply) => Ok(reply),
                    Err(_) => Err(late(name)),
                });
            }
            #[derive(serde::Deserialize)]
            struct Refusal {
                error: String,
                message: String,
            }
            let retry_after = resp.headers().get("retry-after")?;
            let Ok(refusal) = resp.json::<Refusal>().await else {
                return Ok(Err(late(name)));
            };
            let mut p = Problem::new(
                status,
                known_code(&refusal.error),
                "Upload refused",
                &refusal.message,
            );
            if let Some(after) = retry_after {
                p.retry_after = after.parse().ok();
            }
            Ok(Err(p))
        }
        ActorReply::TimedOut => Ok(Err(late(name))),
    }
}

/// The actor's error code, as one of the codes a refusal can carry.
fn known_code(code: &str) -> &'static str {
    const CODES: [&str; 10] = [
        "file_too_large",
        "storage_quota",
        "upload_in_progress",
        "rate_limited",
        "forbidden",
        "suspended",
        "not_found",
        "unavailable",
        "reservation_expired",
        "bad_request",
    ];
    CODES.into_iter().find(|c| *c == code).unwrap_or("refused")
}
