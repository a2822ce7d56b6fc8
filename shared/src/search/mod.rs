//! Search on every blog: the reader's query language and how it becomes
//! a safe SQLite FTS5 expression ([`query`]).

pub mod query;
