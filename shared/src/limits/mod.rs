//! Rate limits: the policy (classes, plan defaults, overrides), GCRA
//! buckets on governor behind an injected clock, the per-actor set of
//! buckets the ThresholdDO holds, and the IETF `RateLimit` headers.
//!
//! - [`policy`]: classes, plans, defaults, precedence, lease sizes.
//! - [`bucket`]: one governor GCRA bucket that can be saved and restored.
//! - [`set`]: a ThresholdDO's buckets and overrides, and its protocol.
//! - [`lease`]: the TenantDO's lease of reader tokens (accuracy stated there).
//! - [`sign_in`]: sign-in and sign-up bounds: failures only, known addresses.
//! - [`headers`]: `RateLimit-Policy`, `RateLimit`, `Retry-After` values.

pub mod bucket;
pub mod headers;
pub mod lease;
pub mod policy;
pub mod set;
pub mod sign_in;
