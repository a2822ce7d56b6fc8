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

/// URL the router posts a [`ViewRequest`] to (a DO stub needs a full URL).
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
}
