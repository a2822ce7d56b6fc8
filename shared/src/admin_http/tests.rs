//! Tests of the admin over HTTP.
