//! Import uploads: `POST /admin/import` (a multipart form: `csrf`,
//! `mode`, `on_conflict`, and a `file`, or, from the preview page, the
//! file as read in `bundle`) and `POST /admin/api/import` (the file's
//! bytes as the body; `?mode=preview|apply`, `?on_conflict=skip|replace`,
//! `?filename=`).
//!
//! The router reads the bytes (bounded) and the file (`import::read`,
//! pure, with its limits checked before any work), so the upload never
//! enters the tenant's actor; the actor gets an [`ImportCall`] in the
//! usual admin request and answers the preview or the write.

use grove_shared::import::plan::OnConflict;
use grove_shared::import::{self, Bundle, FileError, ImportCall, Mode, MAX_FILE_BYTES};
use grove_shared::problem::Problem;
use worker::{FormEntry, Request, Url};

/// The form's path and the API's.
pub const FORM_PATH: &str = "/admin/import";
pub const API_PATH: &str = "/admin/api/import";

/// Largest request body: the largest file, plus room for the form's other
/// parts (or the preview's copy of what was read, which is about the
/// file's text).
pub const MAX_BODY: usize = 2 * MAX_FILE_BYTES + 1_000_000;

/// Whether this request is an import upload (read here, not as text).
pub fn is_import(method: &str, path: &str) -> bool {
    method == "POST" && matches!(path.trim_end_matches('/'), FORM_PATH | API_PATH)
}

/// An import request, read: the CSRF token it presented (the form's
/// field; the API's header is read by the caller) and the body for the
/// actor.
pub struct Read {
    pub csrf: Option<String>,
    pub body: String,
}

/// The answer to an import over [`MAX_FILE_BYTES`].
pub fn too_large() -> Problem {
    Problem::new(
        413,
        "too_large",
        "Too large",
        &format!(
            "The file is larger than {} MB, the most an import takes. Nothing was imported.",
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
}

fn call(
    mode: Mode,
    on_conflict: OnConflict,
    file: Result<Bundle, FileError>,
) -> Result<Read, Box<Problem>> {
    let body = serde_json::to_string(&ImportCall {
        mode,
        on_conflict,
        file,
    })
    .map_err(|_| {
        Box::new(Problem::unavailable(
            "The file could not be passed on. Nothing was imported.",
        ))
    })?;
    Ok(Read { csrf: None, body })
}

/// Reads the request into the actor's [`ImportCall`], or the problem to
/// answer at once (a body too large, a form that is not one).
pub async fn read(
    req: &mut Request,
    url: &Url,
    api: bool,
) -> worker::Result<Result<Read, Problem>> {
    let content_type = req.headers().get("content-type")?.unwrap_or_default();
    let query = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    if !content_type.starts_with("multipart/form-data") {
        if !api {
            return Ok(Err(Problem::bad_request(
                "Upload the file with the form on the import page (multipart/form-data).",
            )));
        }
        let on_conflict = match query("on_conflict").as_str() {
            "" => Some(OnConflict::Skip),
            other => OnConflict::parse(other),
        };
        let (Some(mode), Some(on_conflict)) = (Mode::parse(&query("mode")), on_conflict) else {
            return Ok(Err(Problem::bad_request(
                "mode is preview or apply, and on_conflict is skip or replace.",
            )));
        };
        let bytes = req.bytes().await?;
        if bytes.len() > MAX_BODY {
            return Ok(Err(too_large()));
        }
        let file = import::read(&query("filename"), &bytes);
        return Ok(call(mode, on_conflict, file).map_err(|p| *p));
    }
    let Ok(form) = req.form_data().await else {
        return Ok(Err(Problem::bad_request(
            "The upload is not a readable multipart form.",
        )));
    };
    let field = |name: &str| match form.get(name) {
        Some(FormEntry::Field(v)) => v,
        _ => String::new(),
    };
    let mode = Mode::parse(&field("mode")).unwrap_or_default();
    let on_conflict = OnConflict::parse(&field("on_conflict")).unwrap_or_default();
    let csrf = Some(field("csrf"));
    let carried = field("bundle");
    let file = if !carried.is_empty() {
        // The preview's copy of what was read: checked again by the actor.
        if carried.len() > MAX_BODY {
            return Ok(Err(too_large()));
        }
        serde_json::from_str::<Bundle>(&carried).map_err(|_| {
            FileError::new(
                "bad_preview",
                "The preview's copy of the file was damaged on the way. Choose the file again.",
            )
        })
    } else {
        match form.get("file") {
            Some(FormEntry::File(file)) if !(file.size() == 0 && file.name().is_empty()) => {
                if file.size() > MAX_BODY {
                    return Ok(Err(too_large()));
                }
                let bytes = file.bytes().await?;
                import::read(&file.name(), &bytes)
            }
            _ => Err(FileError::new("empty", "Choose a file to import.")),
        }
    };
    Ok(call(mode, on_conflict, file)
        .map(|read| Read { csrf, ..read })
        .map_err(|p| *p))
}
