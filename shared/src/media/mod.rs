//! Media: the files an owner uploads, as pure rules.
//!
//! The bytes never pass through the tenant's actor. The router checks and
//! hashes an upload ([`upload::prepare`]), asks the actor to reserve its
//! bytes against the plan's quota, puts the object in R2 under
//! `tenants/{tenant_id}/media/{id}.{ext}`, then asks the actor to commit
//! (or release) the reservation. The actor, the tenant's single writer,
//! keeps the books ([`library`]): one row per file in D1, reservations
//! included, so a quota holds exactly under any number of concurrent
//! uploads and across restarts. Readers get files from R2 at
//! `/media/{id}.{ext}` through the router and the edge cache, with no actor
//! hop ([`item::MediaPath`]).

pub mod error;
pub mod item;
pub mod kind;
pub mod library;
pub mod range;
pub mod refs;
pub mod upload;
