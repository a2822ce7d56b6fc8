//! `GET /admin/api/export`: the blog as a zip, streamed to the owner.
//!
//! Reached from the admin proxy after the session and the owner check.
//! The tenant's actor supplies the content (the JSON export, which it
//! checks the owner for again); the router turns it into a zip as the
//! download's body is read (`lifecycle::export_zip`), copying each media
//! file from R2 chunk by chunk, so memory holds the export's text and
//! about one chunk, and each file costs one R2 read. `?format=json`
//! is the actor's JSON document, passed through as before.

use std::pin::Pin;

use futures::{Stream, StreamExt};
use grove_shared::lifecycle::archive::{self, Archive, ExportFormat};
use grove_shared::lifecycle::export::Export;
use grove_shared::lifecycle::export_zip::{ExportZip, MediaFiles};
use grove_shared::model::TenantRef;
use grove_shared::problem::{Format, Problem};
use grove_shared::protocol::{AdminRequest, MEDIA_BINDING};
use grove_shared::views::admin::account::EXPORT_PATH;
use worker::{Bucket, Env, Response, Result};

use crate::respond;
use crate::tenant_call::{self, ActorReply};

/// What the admin proxy does with a request.
pub enum Handled {
    /// Not the zip: the actor answers it as any admin request.
    NotZip,
    /// Answered here.
    Answer(Result<Response>),
}

/// Answers `GET /admin/api/export` (the zip) for `tenant`; anything else
/// goes on to the actor.
pub async fn handle(env: &Env, tenant: &TenantRef, admin: &AdminRequest, now: i64) -> Handled {
    if admin.method != "GET" || admin.path.trim_end_matches('/') != EXPORT_PATH {
        return Handled::NotZip;
    }
    match ExportFormat::of(admin.query.as_deref()) {
        Ok(ExportFormat::Json) => Handled::NotZip,
        Ok(ExportFormat::Zip) => Handled::Answer(zip(env, tenant, admin, now).await),
        Err(message) => Handled::Answer(respond::problem(
            &Problem::bad_request(message).field("format"),
            Format::Json,
        )),
    }
}

async fn zip(env: &Env, tenant: &TenantRef, admin: &AdminRequest, now: i64) -> Result<Response> {
    let mut ask = admin.clone();
    ask.query = Some("format=json".into());
    let mut resp = match tenant_call::admin(env, &ask).await? {
        ActorReply::Answered(resp) => Response::from(resp),
        ActorReply::TimedOut => {
            worker::console_error!("tenant {}: export: no answer in time", tenant.id);
            return respond::problem(
                &Problem::unavailable("Your blog did not answer in time. Try again in a moment."),
                Format::Json,
            );
        }
    };
    if resp.status_code() != 200 {
        // The actor's refusal (not the owner, unavailable), as it said it.
        return respond::secure(resp);
    }
    let export: Export = match resp.json().await {
        Ok(export) => export,
        Err(e) => {
            worker::console_error!("tenant {}: export: unreadable answer: {e}", tenant.id);
            return respond::problem(
                &Problem::unavailable("The export could not be prepared. Try again in a moment."),
                Format::Json,
            );
        }
    };
    let subdomain = export.blog.subdomain.clone();
    let files = R2Files(env.bucket(MEDIA_BINDING)?);
    let writer = ExportZip::new(Archive::new(export), files, &tenant.id);
    let tenant_id = tenant.id.clone();
    let body = futures::stream::unfold(writer, move |mut w| {
        let tenant_id = tenant_id.clone();
        async move {
            match w.next_chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), w)),
                Ok(None) => None,
                Err(e) => {
                    worker::console_error!("tenant {tenant_id}: export stopped: {e}");
                    Some((Err(worker::Error::RustError("export stopped".into())), w))
                }
            }
        }
    });
    let resp = Response::from_stream(body)?;
    let h = resp.headers();
    h.set("content-type", "application/zip")?;
    h.set(
        "content-disposition",
        &archive::disposition(&subdomain, now),
    )?;
    h.set("cache-control", "no-store")?;
    h.set("x-content-type-options", "nosniff")?;
    Ok(resp)
}

/// The library's files in R2.
struct R2Files(Bucket);

type Body = Pin<Box<dyn Stream<Item = std::result::Result<Vec<u8>, String>>>>;

impl MediaFiles for R2Files {
    type Body = Body;

    async fn open(&self, key: &str) -> std::result::Result<Option<Body>, String> {
        let object = self.0.get(key).execute().await.map_err(|e| e.to_string())?;
        let Some(object) = object else {
            return Ok(None);
        };
        let Some(body) = object.body() else {
            return Ok(None);
        };
        let stream = body.stream().map_err(|e| e.to_string())?;
        Ok(Some(Box::pin(stream.map(|r| r.map_err(|e| e.to_string())))))
    }
}
