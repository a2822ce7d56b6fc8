//! One error type for the edge of every Grove component: a [`Problem`]
//! says what went wrong for the client (status, a stable code, a title and
//! a human message) and renders itself as HTML for browsers or JSON for the
//! API, with the headers that go with it (`Retry-After`, rate-limit
//! headers). The cause of an internal failure is logged where it happens,
//! never put in a Problem: nothing internal reaches a client.

use serde::Serialize;

use crate::limits::headers;
use crate::limits::set::TakeReply;
use crate::views;

/// How the client wants its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A page (browsers, forms).
    Html,
    /// `{error, message}` (the admin API, the ops API, tools).
    Json,
}

impl Format {
    /// JSON for `/admin/api/...`, HTML for everything else.
    pub fn for_admin_path(path: &str) -> Format {
        if path == "/admin/api" || path.starts_with("/admin/api/") {
            Format::Json
        } else {
            Format::Html
        }
    }
}

/// What a client is told when a request cannot be served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub status: u16,
    /// Stable, machine-readable: `suspended`, `rate_limited`, ...
    pub code: &'static str,
    /// The page's heading.
    pub title: &'static str,
    pub message: String,
    /// Where the error page's "home" link goes.
    pub home: String,
    /// Seconds until trying again makes sense.
    pub retry_after: Option<u64>,
    /// The rate limit that refused the request, for its headers.
    pub limit: Option<TakeReply>,
    /// The input field (or quota) the problem is about, for the API.
    pub field: Option<&'static str>,
}

#[derive(Serialize)]
struct JsonBody<'a> {
    error: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_after: Option<u64>,
}

/// A rendered problem: status, headers and body, for any runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Problem {
    pub fn new(status: u16, code: &'static str, title: &'static str, message: &str) -> Problem {
        Problem {
            status,
            code,
            title,
            message: message.to_string(),
            home: "/".to_string(),
            retry_after: None,
            limit: None,
            field: None,
        }
    }

    /// The same problem, about `field`.
    pub fn field(mut self, field: &'static str) -> Problem {
        self.field = Some(field);
        self
    }

    /// A write that would take the blog over a quota of its plan (403
    /// `quota_exceeded`); the message names the plan that allows more.
    pub fn over_quota(kind: crate::plans::QuotaKind, plan: crate::plans::Plan) -> Problem {
        Problem::new(
            403,
            "quota_exceeded",
            "Over your plan's quota",
            &kind.refusal(plan),
        )
        .home("/admin/plan")
        .field(kind.as_str())
    }

    /// The same problem, with its page linking to `home`.
    pub fn home(mut self, home: &str) -> Problem {
        self.home = home.to_string();
        self
    }

    /// A reader's blog is suspended by operators.
    pub fn blog_suspended() -> Problem {
        Problem::new(
            503,
            "suspended",
            "This blog is suspended",
            "This blog has been suspended by Grove's operators and cannot be shown.",
        )
    }

    /// An owner tries to change a suspended blog.
    pub fn write_suspended() -> Problem {
        Problem::new(
            403,
            "suspended",
            "Blog suspended",
            "This blog is suspended by Grove's operators: it cannot be changed.",
        )
        .home("/admin")
    }

    /// Something this request needs did not answer; trying again may work.
    pub fn unavailable(message: &str) -> Problem {
        let mut p = Problem::new(503, "unavailable", "Temporarily unavailable", message);
        p.retry_after = Some(5);
        p
    }

    /// The blog a message names does not exist.
    pub fn no_such_blog() -> Problem {
        Problem::new(
            404,
            "not_found",
            "No blog here",
            "There is no blog at this address.",
        )
    }

    /// A malformed request (internal messages included).
    pub fn bad_request(message: &str) -> Problem {
        Problem::new(400, "bad_request", "Bad request", message)
    }

    /// Over a rate limit: 429 with `Retry-After` and the limit's headers.
    pub fn too_many(reply: &TakeReply) -> Problem {
        let secs = headers::retry_after_secs(&reply.decision);
        let message = format!(
            "Too many requests. Please try again in {secs} second{}.",
            if secs == 1 { "" } else { "s" }
        );
        let mut p = Problem::new(429, "rate_limited", "Slow down", &message);
        p.retry_after = Some(secs);
        p.limit = Some(*reply);
        p
    }

    /// The headers that go with this problem (besides the content type).
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut h = vec![("cache-control", "no-store".to_string())];
        if let Some(secs) = self.retry_after {
            h.push(("retry-after", secs.to_string()));
        }
        if let Some(limit) = &self.limit {
            h.extend(limit_headers(limit));
        }
        h
    }

    /// Status, headers (content type first) and body in `format`.
    pub fn render(&self, format: Format) -> Rendered {
        let (content_type, body) = match format {
            Format::Json => (
                "application/json",
                serde_json::to_string(&JsonBody {
                    error: self.code,
                    message: &self.message,
                    field: self.field,
                    retry_after: self.retry_after,
                })
                .unwrap_or_default(),
            ),
            Format::Html => (
                "text/html; charset=utf-8",
                views::platform_error(self.status, self.title, &self.message, &self.home)
                    .into_string(),
            ),
        };
        let mut headers = vec![("content-type", content_type.to_string())];
        headers.extend(self.headers());
        Rendered {
            status: self.status,
            headers,
            body,
        }
    }
}

/// `RateLimit-Policy` and `RateLimit` for a limiter's answer.
pub fn limit_headers(reply: &TakeReply) -> [(&'static str, String); 2] {
    [
        (
            "ratelimit-policy",
            headers::policy(reply.class, reply.limit),
        ),
        (
            "ratelimit",
            headers::remaining(reply.class, &reply.decision),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::bucket::Decision;
    use crate::limits::policy::{Limit, LimitClass, LimitSource};

    fn refused() -> TakeReply {
        TakeReply {
            class: LimitClass::AdminWrites,
            limit: Limit::new(60, 60),
            source: LimitSource::Plan,
            last_reset_ms: None,
            decision: Decision {
                granted: 0,
                remaining: 0,
                retry_after_ms: 1_500,
                reset_ms: 60_000,
            },
        }
    }

    #[test]
    fn renders_as_json_for_the_api_and_as_a_page_for_browsers() {
        let p = Problem::too_many(&refused());
        let json = p.render(Format::Json);
        assert_eq!(json.status, 429);
        let body: serde_json::Value = serde_json::from_str(&json.body).unwrap();
        assert_eq!(body["error"], "rate_limited");
        assert_eq!(body["retry_after"], 2);
        assert!(json.headers.contains(&("retry-after", "2".into())));
        assert!(json
            .headers
            .contains(&("ratelimit-policy", "\"admin_writes\";q=60;w=60".into())));
        let html = p.render(Format::Html);
        assert!(html.body.contains("Slow down") && html.body.contains("2 seconds"));
        assert_eq!(html.headers[0].1, "text/html; charset=utf-8");
    }

    #[test]
    fn the_format_follows_the_admin_path() {
        assert_eq!(Format::for_admin_path("/admin/api/posts"), Format::Json);
        assert_eq!(Format::for_admin_path("/admin/api"), Format::Json);
        assert_eq!(Format::for_admin_path("/admin/apiary"), Format::Html);
        assert_eq!(Format::for_admin_path("/admin/posts"), Format::Html);
    }

    #[test]
    fn messages_are_escaped_in_pages() {
        let p = Problem::bad_request("<script>alert(1)</script>");
        assert!(!p.render(Format::Html).body.contains("<script>alert"));
    }
}
