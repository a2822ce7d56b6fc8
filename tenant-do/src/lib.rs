//! The TenantDO: one Durable Object per tenant, keyed by the immutable
//! tenant id.
//!
//! It owns the tenant's hot cache (the loaded site and its rendered pages)
//! and serialises every write for its tenant (see `grove_shared::tenant_core`). The logic it
//! runs lives in `grove-shared`; this crate is glue to the Workers runtime
//! and must stay thin: no business rules here, no panics on any path (a
//! panic in a DO leaves its caller hanging and wipes the isolate).
//!
//! # Layout
//! - [`tenant_do`]: the Durable Object: parses a request, asks the shell
//!   (`grove_shared::actor`), builds the response.
//! - [`runtime`]: the shell's runtime port over DO storage, alarms, the
//!   ThresholdDO and background tasks.
//! - [`d1_store`]: the storage port over D1 (load in one batch, commit in one batch).
//! - [`d1_media`]: the media books over D1 (reservations, quota) and the R2 bucket.
//! - [`lifecycle`]: renames and deletion over D1, KV, R2, the ThresholdDO and the actor's storage.
//! - [`d1_billing`]: plan upgrades approved by an operator (`plan_requests`).
//! - [`d1_domains`]: custom domains over D1 (rows, claims across blogs).
//! - [`dns`]: the DNS resolver: DNS-over-HTTPS, or a local table (`DNS_RESOLVER`).
//! - [`do_page_store`]: pre-rendered pages in the actor's own storage.
//! - [`do_search_index`]: the tenant's FTS5 search index in its own SQLite.
//! - [`reader_pages`]: ready-made reader responses of the hottest pages.
//! - [`isolate`]: the memory budgets all actors of an isolate share.
//! - [`ids`]: random ids from the runtime's CSPRNG.
//! - [`limits`]: asking the tenant's ThresholdDO for tokens.
//! - [`env_config`]: reading the platform configuration from worker vars.

pub mod d1_billing;
pub mod d1_domains;
pub mod d1_media;
pub mod d1_store;
pub mod dns;
pub mod do_page_store;
pub mod do_search_index;
pub mod env_config;
pub mod ids;
pub mod isolate;
pub mod lifecycle;
pub mod limits;
pub mod reader_pages;
pub mod runtime;
pub mod tenant_do;

pub use tenant_do::TenantDO;
