//! The TenantDO's internal requests, parsed once into one enum.
//!
//! The router speaks to an actor over HTTP inside the runtime: a reader's
//! view is a plain GET whose URL carries the request (no body to stream on
//! the hot path); everything else is a POST of JSON to a fixed URL. The
//! actor turns what arrives into an [`ActorRequest`] here and dispatches
//! with one `match`.

use thiserror::Error;

use crate::protocol::{
    AdminRequest, ControlRequest, EdgeViewsRequest, Floor, LeaveRequest, MediaRequest, ViewRequest,
    ADMIN_URL, CONTROL_URL, LEAVE_URL, MEDIA_URL, PING_URL, STATS_URL, VIEWS_URL,
};

/// Everything a TenantDO is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActorRequest {
    /// A reader's page.
    View(ViewRequest),
    /// An owner's admin request (already authenticated by the router).
    Admin(AdminRequest),
    /// Post views the edge served, counted by a router isolate.
    EdgeViews(EdgeViewsRequest),
    /// The actor's figures (ops API).
    Stats,
    /// An operator's change, acknowledged once it holds.
    Control(ControlRequest),
    /// The benchmark's actor floor.
    Ping(Floor),
    /// A step of an owner's upload (the router holds the bytes).
    Media(MediaRequest),
    /// An owner deletes their blog (the router checked the password).
    Leave(LeaveRequest),
}

/// Why an internal request was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProtocolError {
    #[error("unknown internal route")]
    UnknownRoute,
    #[error("malformed {0} request")]
    Malformed(&'static str),
}

impl ActorRequest {
    /// Whether the request's body must be read before [`ActorRequest::parse`]
    /// (views and pings carry everything in their URL).
    pub fn has_body(method: &str) -> bool {
        method == "POST"
    }

    /// Reads one internal request: its method, full URL and body (empty
    /// when it has none).
    pub fn parse(method: &str, url: &str, body: &str) -> Result<ActorRequest, ProtocolError> {
        if let Some(rest) = url.strip_prefix(PING_URL) {
            return Ok(ActorRequest::Ping(Floor::from_query(
                rest.strip_prefix('?'),
            )));
        }
        if method == "GET" {
            return ViewRequest::from_url(url)
                .map(ActorRequest::View)
                .ok_or(ProtocolError::UnknownRoute);
        }
        if method != "POST" {
            return Err(ProtocolError::UnknownRoute);
        }
        match url {
            ADMIN_URL => json(body, "admin").map(ActorRequest::Admin),
            VIEWS_URL => json(body, "views").map(ActorRequest::EdgeViews),
            CONTROL_URL => json(body, "control").map(ActorRequest::Control),
            MEDIA_URL => json(body, "media").map(ActorRequest::Media),
            LEAVE_URL => json(body, "leave").map(ActorRequest::Leave),
            STATS_URL => Ok(ActorRequest::Stats),
            _ => Err(ProtocolError::UnknownRoute),
        }
    }
}

fn json<T: serde::de::DeserializeOwned>(
    body: &str,
    what: &'static str,
) -> Result<T, ProtocolError> {
    serde_json::from_str(body).map_err(|_| ProtocolError::Malformed(what))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{ControlAction, VIEW_URL};

    #[test]
    fn every_route_parses_into_its_variant() {
        let view = ViewRequest {
            tenant_id: "t1".into(),
            path: "/blog".into(),
            query: Some("page=2".into()),
            for_edge: true,
            if_none_match: None,
        };
        assert_eq!(
            ActorRequest::parse("GET", &view.to_url(), ""),
            Ok(ActorRequest::View(view))
        );
        assert_eq!(
            ActorRequest::parse(
                "POST",
                CONTROL_URL,
                r#"{"tenant_id":"t1","action":{"suspend":true}}"#
            ),
            Ok(ActorRequest::Control(ControlRequest {
                tenant_id: "t1".into(),
                action: ControlAction::Suspend(true),
            }))
        );
        assert_eq!(
            ActorRequest::parse("POST", CONTROL_URL, r#"{"tenant_id":"t1"}"#),
            Ok(ActorRequest::Control(ControlRequest {
                tenant_id: "t1".into(),
                action: ControlAction::Reload,
            })),
            "a control message without an action reloads"
        );
        assert_eq!(
            ActorRequest::parse("POST", STATS_URL, ""),
            Ok(ActorRequest::Stats)
        );
        assert!(matches!(
            ActorRequest::parse("GET", &format!("{PING_URL}?bytes=10"), ""),
            Ok(ActorRequest::Ping(Floor {
                bytes: Some(10),
                ..
            }))
        ));
    }

    #[test]
    fn malformed_and_unknown_requests_are_refused() {
        assert_eq!(
            ActorRequest::parse("POST", ADMIN_URL, "{not json"),
            Err(ProtocolError::Malformed("admin"))
        );
        assert_eq!(
            ActorRequest::parse(
                "POST",
                CONTROL_URL,
                r#"{"tenant_id":"t","action":"explode"}"#
            ),
            Err(ProtocolError::Malformed("control"))
        );
        assert_eq!(
            ActorRequest::parse("POST", VIEWS_URL, r#"{"tenant_id":"t","views":[],"x":1}"#),
            Err(ProtocolError::Malformed("views")),
            "unknown fields are refused"
        );
        assert_eq!(
            ActorRequest::parse("GET", "https://tenant.internal/v1/nope", ""),
            Err(ProtocolError::UnknownRoute)
        );
        assert_eq!(
            ActorRequest::parse("DELETE", ADMIN_URL, ""),
            Err(ProtocolError::UnknownRoute)
        );
        assert_eq!(
            ActorRequest::parse("GET", &format!("{VIEW_URL}?p=/"), ""),
            Err(ProtocolError::UnknownRoute),
            "a view without a tenant"
        );
    }
}
