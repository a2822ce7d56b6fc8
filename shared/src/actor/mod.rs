//! The tenant actor, apart from the Workers runtime: its internal requests
//! ([`request`]), the shell that decides around the core ([`shell`]:
//! suspension, limits, the reader lease, view counts, alarms, operators'
//! changes), its timing rules ([`schedule`]) and the ports it runs on
//! ([`ports`]), the journal of recent purges ([`purge_journal`]), and a
//! blog's deletion as the actor carries it out ([`leaving`]). The core itself (content, write queue, read cache) is
//! [`crate::tenant_core`].
//!
//! The TenantDO is a thin adapter: it parses a request into an
//! [`request::ActorRequest`], calls the shell, and turns the answer into a
//! response. Everything it used to decide is here, tested natively with
//! in-memory ports that can suspend and fail.

pub mod leaving;
pub mod media;
pub mod ports;
pub mod purge_journal;
pub mod request;
pub mod schedule;
pub mod shell;

#[cfg(test)]
mod fakes;
#[cfg(test)]
mod leaving_tests;
#[cfg(test)]
mod tests;
