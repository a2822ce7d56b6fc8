//! What the admin answers: a status, a body and maybe a redirect.

use serde::Serialize;

use crate::admin::errors::{ApiError, WriteError};
use crate::problem::{Format, Problem};
use crate::views;

/// A response, independent of the Workers runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    pub location: Option<String>,
}

pub const JSON: &str = "application/json";
pub const HTML: &str = "text/html; charset=utf-8";

impl Reply {
    pub fn json<T: Serialize>(status: u16, value: &T) -> Reply {
        match serde_json::to_string(value) {
            Ok(body) => Reply {
                status,
                content_type: JSON,
                body,
                location: None,
            },
            Err(_) => Reply::unavailable(true),
        }
    }

    pub fn html(status: u16, markup: maud::Markup) -> Reply {
        Reply {
            status,
            content_type: HTML,
            body: markup.into_string(),
            location: None,
        }
    }

    /// 303 See Other: after a successful form POST.
    pub fn see_other(location: &str) -> Reply {
        Reply {
            status: 303,
            content_type: HTML,
            body: String::new(),
            location: Some(location.to_string()),
        }
    }

    pub fn api_error(error: &WriteError) -> Reply {
        Reply::json(error.status(), &error.to_api())
    }

    /// A [`Problem`] in `format`.
    pub fn problem(p: &Problem, format: Format) -> Reply {
        let rendered = p.render(format);
        Reply {
            status: rendered.status,
            content_type: match format {
                Format::Json => JSON,
                Format::Html => HTML,
            },
            body: rendered.body,
            location: None,
        }
    }

    fn simple(api: bool, status: u16, error: &'static str, message: &str) -> Reply {
        let format = if api { Format::Json } else { Format::Html };
        Reply::problem(
            &Problem::new(status, error, "Sorry", message).home("/admin"),
            format,
        )
    }

    pub fn not_found(api: bool) -> Reply {
        Reply::simple(api, 404, "not_found", "There is nothing at this address.")
    }

    pub fn method_not_allowed(api: bool) -> Reply {
        Reply::simple(
            api,
            405,
            "method_not_allowed",
            "That method is not allowed here.",
        )
    }

    pub fn bad_request(api: bool, message: &str) -> Reply {
        Reply::simple(api, 400, "bad_request", message)
    }

    pub fn unavailable(api: bool) -> Reply {
        Reply::simple(
            api,
            503,
            "unavailable",
            "The blog cannot be managed right now. Please try again.",
        )
    }

    pub fn forbidden(api: bool, site_url: &str) -> Reply {
        let message = "You are signed in, but this blog is not yours to change.";
        if api {
            Reply::json(
                403,
                &ApiError {
                    error: "forbidden",
                    message: message.to_string(),
                    field: None,
                    fields: vec![],
                },
            )
        } else {
            Reply::html(403, views::auth::forbidden_page(message, site_url))
        }
    }
}
