//! The ThresholdDO: rate limits that operators can tune at runtime.
//!
//! One instance per tenant (`tenant:{id}`) holds that tenant's buckets
//! (reader views, admin writes, uploads, searches) and its operator
//! overrides; instances keyed by client or account (`signin:{ip}:{email}`,
//! `signin-account:{email}`, `signup:{ip}`, `signup-attempts:{ip}`) count
//! failed sign-ins, accounts created and sign-up attempts. Every bucket and
//! override is saved in the object's storage after each change, so limits
//! of any window survive eviction and restarts. The logic is
//! `grove_shared::limits`; this crate is glue and must never panic.
//!
//! # Layout
//! - [`threshold_do`]: the Durable Object.
//! - [`clock`]: governor's clock, reading the Workers time.
//! - [`client`]: how the router and the TenantDO ask a ThresholdDO, with a deadline.

pub mod client;
pub mod clock;
pub mod threshold_do;

pub use threshold_do::ThresholdDO;
