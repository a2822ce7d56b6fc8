//! Property tests of everything that reads untrusted input: the Markdown
//! pipeline, Host headers, cookies and session tokens, email addresses,
//! admin forms and JSON input, the internal protocol, slugs and sign-in
//! redirects.
//!
//! One integration-test target with a module per area (one test binary to
//! build and link, not one per area); `html` is a helper that reads the
//! sanitiser's output. `make test` runs each property with proptest's default of
//! 256 cases; `make fuzz` (`scripts/fuzz.sh`) runs the same properties
//! with many more (`PROPTEST_CASES`). A failing case is shrunk and saved
//! under `proptest-regressions/`; commit that file with the fix so the
//! case is replayed first from then on.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cookie;
mod email;
mod forms;
mod host;
mod html;
mod markdown;
mod protocol;
mod return_to;
mod slug;
