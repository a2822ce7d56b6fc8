//! The internal protocol: a view request survives its URL whatever the
//! path and query hold, decoding never panics and what it accepts
//! re-encodes to itself, and the JSON messages round-trip.

use grove_shared::actor::request::ActorRequest;
use grove_shared::protocol::{
    AdminRequest, ControlAction, ControlRequest, EdgeViewsRequest, Floor, Identity, ViewRequest,
    ADMIN_URL, CONTROL_URL, MAX_FLOOR_BYTES, PING_URL, STATS_URL, VIEWS_URL, VIEW_URL,
};
use proptest::prelude::*;

/// Strings with the characters that matter in URLs and queries.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[a-z0-9/?&=+%#;: \"'\\\\é\u{0}-]{0,24}",]
}

/// A query in the view URL's shape: its keys (and others), values raw or
/// encoded, repeated or missing.
fn query() -> impl Strategy<Value = String> {
    let pair = (
        prop::sample::select(vec!["t", "p", "q", "e", "m", "x", "", "t="]),
        prop_oneof![text(), text().prop_map(|v| format!("/{v}"))],
        any::<bool>(),
    )
        .prop_map(|(k, v, raw)| {
            let v = if raw {
                v
            } else {
                form_urlencoded::byte_serialize(v.as_bytes()).collect()
            };
            format!("{k}={v}")
        });
    prop_oneof![
        3 => (any::<bool>(), prop::collection::vec(pair, 0..6)).prop_map(|(base, p)| {
            let base = if base { "t=a&p=/&" } else { "" };
            format!("{base}{}", p.join("&"))
        }),
        1 => text(),
    ]
}

fn view_request() -> impl Strategy<Value = ViewRequest> {
    (
        text().prop_filter("a tenant id is not empty", |t| !t.is_empty()),
        text(),
        prop::option::of(text()),
        any::<bool>(),
        prop::option::of(text()),
    )
        .prop_map(
            |(tenant_id, path, query, for_edge, if_none_match)| ViewRequest {
                tenant_id,
                path: format!("/{path}"),
                query,
                for_edge,
                if_none_match,
            },
        )
}

fn admin_request() -> impl Strategy<Value = AdminRequest> {
    (
        (text(), text(), text(), text()),
        (
            text(),
            text(),
            prop::option::of(text()),
            text(),
            text(),
            text(),
        ),
    )
        .prop_map(
            |(
                (tenant_id, user_id, email, csrf_token),
                (method, path, query, body, site_url, signout_url),
            )| {
                AdminRequest {
                    tenant_id,
                    user: Identity {
                        user_id,
                        email,
                        csrf_token,
                    },
                    method,
                    path,
                    query,
                    body,
                    apex_url: site_url.clone(),
                    site_url,
                    signout_url,
                }
            },
        )
}

proptest! {
    #[test]
    fn a_view_request_round_trips_through_its_url(view in view_request()) {
        let url = view.to_url();
        prop_assert!(url.starts_with(VIEW_URL));
        prop_assert_eq!(ViewRequest::from_url(&url), Some(view));
    }

    /// Decoding anything never panics; whatever it accepts is a request
    /// the router could have sent, and encodes back to an equal one.
    #[test]
    fn decoding_any_url_is_total(tail in query(), prefixed in any::<bool>()) {
        let url = if prefixed { format!("{VIEW_URL}?{tail}") } else { tail };
        if let Some(view) = ViewRequest::from_url(&url) {
            prop_assert!(!view.tenant_id.is_empty() && view.path.starts_with('/'));
            prop_assert_eq!(ViewRequest::from_url(&view.to_url()), Some(view));
        }
    }

    #[test]
    fn floors_read_any_query_and_pass_themselves_on(query in prop::option::of(text())) {
        let floor = Floor::from_query(query.as_deref());
        prop_assert!(floor.bytes.is_none_or(|n| n <= MAX_FLOOR_BYTES));
        let again = floor.query();
        prop_assert_eq!(Floor::from_query(Some(again.trim_start_matches('?'))).bytes, floor.bytes);
    }

    #[test]
    fn json_messages_round_trip_and_decoding_never_panics(admin in admin_request(), junk in text(), views in prop::collection::vec((text(), any::<u64>()), 0..4)) {
        let json = serde_json::to_string(&admin).unwrap();
        prop_assert_eq!(serde_json::from_str::<AdminRequest>(&json).unwrap(), admin.clone());
        let edge = EdgeViewsRequest { tenant_id: admin.tenant_id.clone(), views };
        let json = serde_json::to_string(&edge).unwrap();
        prop_assert_eq!(serde_json::from_str::<EdgeViewsRequest>(&json).unwrap(), edge);
        let _ = serde_json::from_str::<AdminRequest>(&junk);
        let _ = serde_json::from_str::<ControlRequest>(&junk);
        let _ = serde_json::from_str::<EdgeViewsRequest>(&junk);
        let _ = serde_json::from_str::<ViewRequest>(&junk);
    }

    #[test]
    fn an_actor_parses_any_request_once_into_its_variant_or_refuses_it(
        method in prop::sample::select(vec!["GET", "POST", "PUT", "DELETE", ""]),
        route in prop::sample::select(vec![VIEW_URL, ADMIN_URL, CONTROL_URL, STATS_URL, VIEWS_URL, PING_URL, "https://tenant.internal/v1/other", ""]),
        tail in query(),
        body in text(),
        view in view_request(),
        admin in admin_request(),
    ) {
        // Any input: an answer, never a panic.
        let _ = ActorRequest::parse(method, &format!("{route}?{tail}"), &body);
        let _ = ActorRequest::parse(method, route, &body);
        // What the router sends is read back as it was sent.
        prop_assert_eq!(ActorRequest::parse("GET", &view.to_url(), ""), Ok(ActorRequest::View(view)));
        let json = serde_json::to_string(&admin).unwrap();
        prop_assert_eq!(ActorRequest::parse("POST", ADMIN_URL, &json), Ok(ActorRequest::Admin(admin.clone())));
        for action in [ControlAction::Reload, ControlAction::Suspend(true), ControlAction::Suspend(false)] {
            let control = ControlRequest { tenant_id: admin.tenant_id.clone(), action };
            let json = serde_json::to_string(&control).unwrap();
            prop_assert_eq!(ActorRequest::parse("POST", CONTROL_URL, &json), Ok(ActorRequest::Control(control)));
        }
    }
}
