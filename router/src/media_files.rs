//! `/media/{id}.{ext}` on a blog's hosts: files straight from R2, with no
//! actor hop, kept in the edge cache (Cache API) like pages.
//!
//! The tenant comes from the host, and only an exact media path names an
//! object (`MediaPath`), so a host can only ever serve its own tenant's
//! `tenants/{tenant_id}/media/` keys. The id is the content hash, so the
//! ETag is known from the URL and the file can be cached for a year: a
//! URL never changes meaning, and deleting a file purges it.

use grove_shared::media::item::MediaPath;
use grove_shared::media::range::{self, ByteRange};
use grove_shared::protocol::MEDIA_BINDING;
use worker::{Cache, Env, Headers, Response, Result};

use crate::edge_cache::raced_a_purge;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Whether `path` is under `/media/` (every such path is answered here).
pub fn is_media_path(path: &str) -> bool {
    path.starts_with("/media/")
}

/// Serves a file of `tenant_id` to a GET or HEAD (answered as a GET: the
/// runtime sends no body for it); `origin` is the host's canonical origin
/// (the cache key's prefix, as purges name it).
pub async fn serve(
    env: &Env,
    tenant_id: &str,
    origin: &str,
    path: &str,
    headers: &Headers,
) -> Result<Response> {
    let Some(media) = MediaPath::parse(path) else {
        return not_found();
    };
    let etag = media.etag();
    let not_modified = headers
        .get("if-none-match")?
        .is_some_and(|inm| inm.split(',').any(|t| matches_etag(t, &etag)));
    let range_header = headers.get("range")?;
    let key = format!("{origin}{path}");
    let cache = Cache::default();

    // The edge's copy answers whole-file GETs, HEADs and revalidations.
    if range_header.is_none() || not_modified {
        if let Some(hit) = cache.get(key.as_str(), true).await? {
            return finish(hit, not_modified, &etag);
        }
    }
    let bucket = env.bucket(MEDIA_BINDING)?;
    let object_key = media.object_key(tenant_id);
    let Some(meta) = bucket.head(object_key.as_str()).await? else {
        return not_found();
    };
    let size = meta.size();
    if not_modified {
        return finish(Response::empty()?, true, &etag);
    }
    let wanted = range::parse(range_header.as_deref(), size);
    let (status, object) = match wanted {
        ByteRange::Unsatisfiable => {
            let resp = Response::empty()?.with_status(416);
            set_headers(resp.headers(), media.kind.mime(), &etag)?;
            if let Some(cr) = wanted.content_range(size) {
                resp.headers().set("content-range", &cr)?;
            }
            return Ok(resp);
        }
        ByteRange::Partial { start, end } => {
            let r = worker::Range::OffsetWithLength {
                offset: start,
                length: end - start + 1,
            };
            (
                206,
                bucket.get(object_key.as_str()).range(r).execute().await?,
            )
        }
        ByteRange::Full => (200, bucket.get(object_key.as_str()).execute().await?),
    };
    let Some(object) = object else {
        return not_found();
    };
    let Some(body) = object.body() else {
        return not_found();
    };
    let resp = Response::from_body(body.response_body()?)?.with_status(status);
    set_headers(resp.headers(), media.kind.mime(), &etag)?;
    if let Some(cr) = wanted.content_range(size) {
        resp.headers().set("content-range", &cr)?;
    }
    if status == 200 {
        let fetched_at = worker::Date::now().as_millis() as i64;
        let mut resp = resp;
        let copy = resp.cloned()?;
        cache.put(key.as_str(), copy).await?;
        if raced_a_purge(&cache, tenant_id, fetched_at).await {
            cache.delete(key.as_str(), true).await?;
        }
        return Ok(resp);
    }
    Ok(resp)
}

fn matches_etag(candidate: &str, etag: &str) -> bool {
    let c = candidate.trim();
    c == "*" || c == etag || c.strip_prefix("W/") == Some(etag)
}

fn set_headers(h: &Headers, mime: &str, etag: &str) -> Result<()> {
    h.set("content-type", mime)?;
    h.set("cache-control", IMMUTABLE)?;
    h.set("etag", etag)?;
    h.set("x-content-type-options", "nosniff")?;
    h.set("accept-ranges", "bytes")?;
    // A file is never a document that runs anything.
    h.set("content-security-policy", "default-src 'none'; sandbox")?;
    Ok(())
}

/// The cached or fetched file, or a 304 for a matching validator.
fn finish(resp: Response, not_modified: bool, etag: &str) -> Result<Response> {
    if !not_modified {
        return Ok(resp);
    }
    let out = Response::empty()?.with_status(304);
    let h = out.headers();
    h.set("cache-control", IMMUTABLE)?;
    h.set("etag", etag)?;
    Ok(out)
}

fn not_found() -> Result<Response> {
    let resp = Response::ok("No such file on this blog.")?.with_status(404);
    resp.headers()
        .set("content-type", "text/plain; charset=utf-8")?;
    resp.headers().set("cache-control", "no-store")?;
    resp.headers().set("x-content-type-options", "nosniff")?;
    Ok(resp)
}
