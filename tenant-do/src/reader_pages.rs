//! The actor's finished reader responses (for signed-in readers and other
//! requests the edge does not keep): each page's body and headers are kept
//! as ready-made runtime objects, so answering a hot page copies nothing
//! through the worker and sets no header one by one.
//!
//! Entries are keyed by tenant, status and ETag (a hash of the page): a
//! changed page has a new key, so nothing here is ever stale, and old
//! entries simply age out under the byte budget. The budget is the
//! isolate's, shared by all its actors (see `grove_shared::isolate_memory`):
//! the bodies live in the JS heap, which every actor of the isolate shares.

use std::cell::RefCell;
use std::rc::Rc;

use grove_shared::byte_lru::ByteLru;
use grove_shared::reader_headers::{self, Edge};
use grove_shared::site::Rendered;
use worker::js_sys::Uint8Array;
use worker::{web_sys, Headers, Response, Result};

/// Memory for ready-made responses of all actors in an isolate (the
/// hottest pages only; the pages themselves live in the page cache).
pub const BUDGET_BYTES: usize = 8 * 1024 * 1024;
/// What a page's ready-made headers weigh, roughly.
const HEADERS_WEIGHT: usize = 512;

struct ReadyPage {
    body: Uint8Array,
    headers: web_sys::Headers,
}

thread_local! {
    static READY: RefCell<ByteLru<Rc<ReadyPage>>> = RefCell::new(ByteLru::with_budget(BUDGET_BYTES));
}

/// Ready-made reader responses by tenant, status and ETag (the isolate's).
#[derive(Default)]
pub struct ReaderPages;

/// What the isolate's ready-made responses hold.
#[derive(serde::Serialize)]
pub struct ReadyStats {
    pub entries: usize,
    pub bytes: usize,
    pub budget_bytes: usize,
}

impl ReaderPages {
    pub fn stats(&self) -> ReadyStats {
        READY.with(|r| {
            let r = r.borrow();
            ReadyStats {
                entries: r.len(),
                bytes: r.bytes(),
                budget_bytes: r.budget(),
            }
        })
    }

    /// `page` with every header the reader gets (the router passes it
    /// through untouched), or a 304 when `If-None-Match` matches.
    pub fn respond(
        &self,
        tenant_id: &str,
        page: &Rendered,
        if_none_match: Option<&str>,
    ) -> Result<Response> {
        let key = format!("{tenant_id}\n{} {}", page.status, page.etag);
        let ready = READY.with(|r| r.borrow_mut().get(&key).cloned());
        let ready = match ready {
            Some(ready) => ready,
            None => {
                let ready = Rc::new(ReadyPage {
                    body: Uint8Array::from(page.html.as_bytes()),
                    headers: headers(page)?.0,
                });
                let weight = page.html.len() + HEADERS_WEIGHT;
                READY.with(|r| r.borrow_mut().insert(key, Rc::clone(&ready), weight));
                ready
            }
        };
        let init = web_sys::ResponseInit::new();
        init.set_headers_headers(&ready.headers);
        let body = if page.status == 200 && reader_headers::etag_matches(if_none_match, &page.etag)
        {
            init.set_status(304);
            None
        } else {
            init.set_status(page.status);
            Some(ready.body.as_ref())
        };
        Ok(web_sys::Response::new_with_opt_buffer_source_and_init(body, &init)?.into())
    }
}

fn headers(page: &Rendered) -> Result<Headers> {
    let modified = (page.modified > 0).then(|| grove_shared::time::http_date(page.modified));
    let h = Headers::new();
    for (name, value) in reader_headers::page_headers(
        page.status,
        page.format.content_type(),
        &page.etag,
        modified.as_deref(),
        Edge::Bypass,
    ) {
        h.set(name, value)?;
    }
    Ok(h)
}
