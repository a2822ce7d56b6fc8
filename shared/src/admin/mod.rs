//! The owner's side: validated input, the write model and the storage port.
//!
//! - [`input`]: what forms and the JSON API submit, and its validation.
//! - [`forms`]: HTML form bodies, kept as typed, turned into input.
//! - [`errors`]: why a write was refused (and the JSON error shape).
//! - [`content`]: a tenant's whole content and the pure planning of writes.
//! - [`store`]: the storage port (D1 in the runtime, memory in tests).
//! - [`held`]: form submissions kept across a sign-in, so no text is lost.
//! - [`time_zone`]: the writer's time zone (a setting) for scheduling.
//! - [`listing`]: whether the blog is listed on Grove's home page (a setting).

pub mod content;
pub mod errors;
pub mod forms;
pub mod held;
pub mod input;
pub mod listing;
pub mod store;
pub mod time_zone;

#[cfg(test)]
pub(crate) mod test_fixtures;
