//! The DO protocol: the typed messages the router sends to a TenantDO.
//!
//! Defined once here and used by both sides. The router has already decided
//! which tenant a request is for; the actor trusts only what is in these
//! messages, never headers that came from a client.

use serde::{Deserialize, Serialize};

/// Binding name of the TenantDO namespace in `wrangler.toml`.
pub const TENANT_DO_BINDING: &str = "TENANT_DO";
/// Binding name of the D1 database.
pub const D1_BINDING: &str = "DB";

/// The R2 bucket of every tenant's media (`tenants/{tenant_id}/media/…`).
pub const MEDIA_BINDING: &str = "MEDIA";

/// URL the router GETs a [`ViewRequest`] at, the request in its query
/// ([`ViewRequest::to_url`]; a DO stub needs a full URL).
pub const VIEW_URL: &str = "https://tenant.internal/v1/view";

/// A reader asks for a page of a tenant's site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewRequest {
    /// The tenant the router resolved (the actor's key).
    pub tenant_id: String,
    /// The request path, e.g. `/blog/hello`.
    pub path: String,
    /// The raw query string without `?`, if any.
    pub query: Option<String>,
    /// The router keeps this page at the edge: answer with the page and its
    /// edge lifetime. Otherwise answer with the reader's final response
    /// (headers included), which the router passes through untouched.
    #[serde(default)]
    pub for_edge: bool,
    /// The reader's `If-None-Match`, for a 304 from the actor.
    #[serde(default)]
    pub if_none_match: Option<String>,
}

impl ViewRequest {
    /// The request as the URL of a plain GET to the actor (no body to
    /// stream and parse on the hot path).
    pub fn to_url(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("t", &self.tenant_id)
            .append_pair("p", &self.path);
        if let Some(query) = &self.query {
            q.append_pair("q", query);
        }
        if self.for_edge {
            q.append_pair("e", "1");
        }
        if let Some(inm) = &self.if_none_match {
            q.append_pair("m", inm);
        }
        format!("{VIEW_URL}?{}", q.finish())
    }

    /// Reads a request written by [`ViewRequest::to_url`].
    pub fn from_url(url: &str) -> Option<ViewRequest> {
        let query = url.strip_prefix(VIEW_URL)?.strip_prefix('?')?;
        let mut view = ViewRequest {
            tenant_id: String::new(),
            path: String::new(),
            query: None,
            for_edge: false,
            if_none_match: None,
        };
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            match &*key {
                "t" => view.tenant_id = value.into_owned(),
                "p" => view.path = value.into_owned(),
                "q" => view.query = Some(value.into_owned()),
                "e" => view.for_edge = value == "1",
                "m" => view.if_none_match = Some(value.into_owned()),
                _ => {}
            }
        }
        (!view.tenant_id.is_empty() && view.path.starts_with('/')).then_some(view)
    }
}

/// An actor's "303 See Other" travels back to the router as a 200 with this
/// header (the runtime would follow a real redirect between worker and
/// actor); the router turns it into the 303 the browser gets.
pub const REDIRECT_HEADER: &str = "x-grove-redirect";

/// URL the router posts an [`AdminRequest`] to.
pub const ADMIN_URL: &str = "https://tenant.internal/v1/admin";

/// The signed-in user, as verified by the router from the session cookie.
/// Never built from anything a client sent directly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub user_id: String,
    pub email: String,
    /// The session's CSRF token, for the forms the actor renders.
    pub csrf_token: String,
}

/// An owner's request to their tenant's admin (`/admin/...`). The router
/// has already checked the session and, for state-changing methods, the
/// CSRF token; the actor checks that the user owns the tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminRequest {
    pub tenant_id: String,
    pub user: Identity,
    /// `GET`, `POST`, `PUT` or `DELETE`.
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// The request body (a form, or JSON for `/admin/api/`).
    pub body: String,
    /// Public URL of the blog (`scheme://host[:port]/`), for links.
    pub site_url: String,
    /// Where the sign-out form posts.
    pub signout_url: String,
    /// The platform's home (`scheme://base[:port]/`), for links to its
    /// pages (pricing).
    #[serde(default)]
    pub apex_url: String,
}

/// URL the router posts a [`LeaveRequest`] to: an owner deletes their blog.
pub const LEAVE_URL: &str = "https://tenant.internal/v1/leave";

/// What the router found when it checked the password an owner typed again
/// to delete their blog (against the users table, with Argon2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordCheck {
    /// It is the account's password.
    Verified,
    /// It is not.
    Wrong,
    /// None was typed.
    Missing,
}

/// An owner asks to delete their blog (`POST /admin/account/delete`, or
/// `DELETE /admin/api/account`). The router checked the session, the CSRF
/// token and the password; the actor takes the password's outcome from
/// this message only, never from anything a client sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaveRequest {
    /// The request as any admin request; its body holds only what the
    /// owner typed to confirm (`confirm`, the blog's name), never the
    /// password.
    pub admin: AdminRequest,
    pub password: PasswordCheck,
    /// Local runs only (`DEV_METRICS`): stop after this many steps, as if
    /// the actor had died there, so tests can watch the alarm resume it.
    #[serde(default)]
    pub halt_after: Option<u8>,
}

/// URL the router posts a [`ControlRequest`] to (operators' changes).
pub const CONTROL_URL: &str = "https://tenant.internal/v1/control";

/// An operator's change, carried out by the tenant's actor, which answers
/// only once it holds: with every public path of the tenant (JSON array),
/// for the router to purge from the edge. Without that answer the router
/// tells the operator nothing was confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlRequest {
    pub tenant_id: String,
    #[serde(default)]
    pub action: ControlAction,
}

/// What operators changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlAction {
    /// Something the actor caches changed elsewhere (limits, plan): drop
    /// the lease of reader tokens and reload from D1.
    #[default]
    Reload,
    /// Suspend (true) or reinstate (false) the tenant: the actor writes it
    /// to D1 itself, through its write queue, and to its own meta.
    Suspend(bool),
    /// Move the tenant to a plan (operators, or an approved upgrade): the
    /// actor writes it through its write queue and leases afresh.
    SetPlan(crate::plans::Plan),
}

/// URL the router posts a [`ControlRequest`]-shaped body to for the actor's
/// figures (cache hits and misses, D1 statements, leased tokens).
pub const STATS_URL: &str = "https://tenant.internal/v1/stats";

/// Response header (between actor and router) with the D1 statements the
/// request made. The router passes it to clients only when the `DEV_METRICS`
/// var is `true` (local runs and the benchmark), and strips it otherwise.
pub const D1_QUERIES_HEADER: &str = "x-grove-d1-queries";
/// Local runs only: which layer served a reader page (`edge-memory`,
/// `edge-cache`, `actor-memory`, `actor-storage`, `actor-render`), for the
/// benchmark's figures layer by layer.
pub const LAYER_HEADER: &str = "x-grove-layer";

/// On a successful admin write, the paths whose pages changed (space
/// separated), for the router to purge from the edge cache.
pub const PURGE_HEADER: &str = "x-grove-purge";

/// On an admin answer whose write changed which hosts serve the tenant (a
/// custom domain verified or removed, a rename, a deletion): the host-map
/// keys to forget, space separated, each `sub:{name}` or `domain:{host}`
/// ([`HostKey`]). The router forgets each in its memo and in KV before it
/// answers, and purges the edge pages of those hosts with the write's
/// paths, so the next request anywhere reads the new mapping from D1.
pub const HOSTS_HEADER: &str = "x-grove-hosts";

/// One key of the host map, as [`HOSTS_HEADER`] carries it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HostKey {
    /// `{name}.{BASE_DOMAIN}`.
    Subdomain(String),
    /// A custom domain.
    Domain(String),
}

impl HostKey {
    /// `sub:{name}` or `domain:{host}`.
    pub fn encode(&self) -> String {
        match self {
            HostKey::Subdomain(name) => format!("sub:{name}"),
            HostKey::Domain(host) => format!("domain:{host}"),
        }
    }

    /// Reads one key written by [`HostKey::encode`].
    pub fn decode(s: &str) -> Option<HostKey> {
        match s.split_once(':')? {
            ("sub", name) if !name.is_empty() => Some(HostKey::Subdomain(name.to_string())),
            ("domain", host) if !host.is_empty() => Some(HostKey::Domain(host.to_string())),
            _ => None,
        }
    }

    /// A header value for `keys`.
    pub fn header(keys: &[HostKey]) -> String {
        keys.iter()
            .map(HostKey::encode)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The keys of a header value; malformed entries are skipped.
    pub fn parse_header(value: &str) -> Vec<HostKey> {
        value.split(' ').filter_map(HostKey::decode).collect()
    }
}

/// On a reader page, how many seconds the edge may keep it.
pub const EDGE_TTL_HEADER: &str = "x-grove-edge-ttl";

/// URL the router posts [`EdgeViewsRequest`]s to.
pub const VIEWS_URL: &str = "https://tenant.internal/v1/views";

/// Post views the edge cache served, counted by a router isolate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EdgeViewsRequest {
    pub tenant_id: String,
    /// `(slug, views)`.
    pub views: Vec<(String, u64)>,
}

/// A trivial actor call (local runs only): answered "pong" with no work.
pub const PING_URL: &str = "https://tenant.internal/v1/ping";

/// What a benchmark floor route (`/__grove/ping`, `/__grove/actor-ping`,
/// and the actor's [`PING_URL`]) answers with: `?bytes=N` of filler, and
/// with `&headers=page` the headers of a reader's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Floor {
    pub bytes: Option<usize>,
    pub page_headers: bool,
}

/// The largest filler a floor route sends.
pub const MAX_FLOOR_BYTES: usize = 1 << 20;

impl Floor {
    /// Reads a floor route's query (without `?`); bad or oversized sizes
    /// are ignored.
    pub fn from_query(query: Option<&str>) -> Floor {
        let mut floor = Floor::default();
        for pair in query.unwrap_or("").split('&') {
            match pair.split_once('=') {
                Some(("bytes", n)) => {
                    floor.bytes = n.parse().ok().filter(|n| *n <= MAX_FLOOR_BYTES)
                }
                Some(("headers", "page")) => floor.page_headers = true,
                _ => {}
            }
        }
        floor
    }

    /// The query to pass it on with (`""` when it asks for nothing).
    pub fn query(&self) -> String {
        match (self.bytes, self.page_headers) {
            (Some(n), true) => format!("?bytes={n}&headers=page"),
            (Some(n), false) => format!("?bytes={n}"),
            (None, _) => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_keys_round_trip_through_their_header() {
        let keys = vec![
            HostKey::Subdomain("old-name".into()),
            HostKey::Domain("www.example.com".into()),
        ];
        let header = HostKey::header(&keys);
        assert_eq!(header, "sub:old-name domain:www.example.com");
        assert_eq!(HostKey::parse_header(&header), keys);
        assert_eq!(
            HostKey::parse_header("sub: x:y domain:a.b"),
            vec![HostKey::Domain("a.b".into())]
        );
    }

    #[test]
    fn a_view_round_trips_through_its_url() {
        let view = ViewRequest {
            tenant_id: "t_a b".into(),
            path: "/blog/ünïcode & more".into(),
            query: Some("page=2&x=a+b".into()),
            for_edge: true,
            if_none_match: Some("\"e1\", W/\"e2\"".into()),
        };
        let url = view.to_url();
        assert!(url.starts_with(VIEW_URL));
        assert_eq!(ViewRequest::from_url(&url), Some(view));
        let plain = ViewRequest {
            tenant_id: "t".into(),
            path: "/".into(),
            query: None,
            for_edge: false,
            if_none_match: None,
        };
        assert_eq!(ViewRequest::from_url(&plain.to_url()), Some(plain));
    }

    #[test]
    fn malformed_view_urls_are_refused() {
        assert_eq!(ViewRequest::from_url("https://x/"), None);
        assert_eq!(ViewRequest::from_url(VIEWS_URL), None, "another route");
        assert_eq!(ViewRequest::from_url(&format!("{VIEWS_URL}?t=a&p=/")), None);
        assert_eq!(ViewRequest::from_url(&format!("{VIEW_URL}?p=/")), None);
        assert_eq!(
            ViewRequest::from_url(&format!("{VIEW_URL}?t=a&p=nope")),
            None
        );
    }

    #[test]
    fn floors_read_their_size_and_headers_and_pass_them_on() {
        let f = Floor::from_query(Some("a=1&bytes=12800&headers=page"));
        assert_eq!((f.bytes, f.page_headers), (Some(12_800), true));
        assert_eq!(
            Floor::from_query(Some(f.query().trim_start_matches('?'))),
            f
        );
        assert_eq!(Floor::from_query(Some("bytes=99999999")).bytes, None);
        assert_eq!(Floor::from_query(Some("bytes=x")).bytes, None);
        assert_eq!(Floor::from_query(None), Floor::default());
        assert_eq!(Floor::default().query(), "");
    }
}

/// The router's half of an upload, in three steps: reserve the file's
/// bytes (before the R2 put), then commit or release the reservation.
pub const MEDIA_URL: &str = "https://tenant.internal/v1/media";

/// One step of an upload, for the tenant's actor (which keeps the books).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaRequest {
    pub tenant_id: String,
    /// The signed-in user (the router checked the session and CSRF).
    pub user_id: String,
    pub action: MediaAction,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "do")]
pub enum MediaAction {
    /// Reserve the bytes of this checked file (`upload::prepare`).
    Reserve { item: crate::media::item::MediaItem },
    /// The object is in R2: keep it.
    Commit { id: String },
    /// The put failed: drop the reservation.
    Release { id: String },
}

/// The actor's answer to a [`MediaRequest`] that succeeded (a refusal is a
/// problem JSON with its status).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum MediaReply {
    /// Put the object, then commit.
    Reserved,
    /// The same bytes are already stored: nothing to put.
    Existing {
        item: crate::media::item::MediaItem,
    },
    Committed {
        item: crate::media::item::MediaItem,
    },
    Released,
}
