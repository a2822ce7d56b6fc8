//! A blog's life after sign-up, apart from the runtime: the setup
//! wizard's progress ([`welcome`]), renaming the subdomain ([`rename`]),
//! the export format ([`export`]), the Markdown files of an export and
//! an import ([`front_matter`]) and deleting a blog step by step
//! ([`deletion`], over the [`ports::Lifecycle`] port, with an in-memory
//! fake for native tests in [`fake`]).
//!
//! The pages and handlers that use them are in `admin_http` (`welcome`,
//! `address`, `account`) and `views::admin`; the actor's side of a
//! deletion (refusing readers and writers while it runs, resuming it from
//! the alarm) is `actor::leaving`.
//!
//! The export's zip: its layout ([`archive`]), the writer that streams it
//! ([`export_zip`], over the [`export_zip::MediaFiles`] port to storage)
//! and the zip format itself ([`zip_stream`]).

pub mod archive;
pub mod deletion;
pub mod export;
pub mod export_zip;
pub mod fake;
pub mod front_matter;
pub mod ports;
pub mod rename;
pub mod welcome;
pub mod zip_stream;
