//! Search on every blog: the reader's query language and how it becomes
//! a safe SQLite FTS5 expression ([`query`]); what the index holds and how
//! a snippet becomes safe HTML ([`document`]); the index's port
//! ([`index`]).

pub mod document;
pub mod index;
pub mod query;
