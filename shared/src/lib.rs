//! Grove's pure core, shared by the router and the actors.
//!
//! This crate owns the domain types, the DO protocol, host routing, the
//! Markdown pipeline and the HTML views. It must never depend on `worker`
//! or do I/O, and never read the clock: callers pass `now` in. That keeps
//! every decision testable natively with `cargo test -p grove-shared`.
//!
//! # Layout
//! - [`tenant_core`]: the TenantDO's core: state, write queue, read cache.
//! - [`actor`]: the TenantDO apart from the runtime: its requests, the shell that
//!   decides around the core (suspension, limits, views, alarms), its ports.
//! - [`problem`]: the one error type at the edge, rendered as HTML or JSON.
//! - [`admin_http`]: the admin over HTTP (forms and JSON API) as the actor serves it.
//! - [`admin`]: owners' input, validation, the write model, the storage port.
//! - [`config`]: base domain and public URLs.
//! - [`memo`]: the bounded TTL memo the router keeps (host → tenant).
//! - [`isolate_memory`]: the budgets all actors of an isolate share (pages, contents).
//! - [`reader_cache`]: the actor's share of the isolate's rendered pages.
//! - [`reader_headers`]: caching, validator and security headers of reader pages.
//! - [`edge_memory`]: the router's in-isolate copy of hot edge pages.
//! - [`feeds`]: RSS, Atom and JSON Feed (the blog's and each tag's), the favicon, their head links.
//! - [`byte_lru`]: the byte-bounded LRU both page caches are built on.
//! - [`limits`]: rate-limit policy, GCRA buckets (governor), the ThresholdDO core.
//! - [`host`]: Host header parsing; apex / www / platform / tenant decisions.
//! - [`page_store`]: the port for pre-rendered pages (the actor's own storage).
//! - [`protocol`]: the typed messages the router sends to a TenantDO.
//! - [`model`]: tenants, posts, pages.
//! - [`theme`]: settings, theme presets, colours and fonts as CSS variables.
//! - [`markdown`]: pulldown-cmark options, event rewrites, sanitisation.
//! - [`slug`], [`pagination`], [`time`]: small rules used by the reader path.
//! - [`plans`]: free and paid: quotas and what the pricing page says.
//! - [`billing`]: the port that approves a move to a dearer plan (an operator, for now).
//! - [`media`]: uploads checked by their bytes, media ids and paths, the quota books.
//! - [`domains`]: custom domains: names, the DnsResolver port and checks, the primary host.
//! - [`search`]: readers' search queries, parsed into safe FTS5 expressions.
//! - [`served_pages`]: pages the actor handed to the edge, so writes purge only those.
//! - [`site`]: a tenant's published site and path → rendered page.
//! - [`tags`]: what a tag is, and the path of its page.
//! - [`discovery`]: sitemap, robots.txt, head meta for search engines and
//!   link previews, posts' old addresses (301), `/blog?tag=` (301).
//! - [`view_counts`]: the actor's buffer of post views, flushed to D1 in batches.
//! - [`views`]: maud templates (tenant pages and platform pages).
//! - [`auth`]: passwords, session tokens, cookies, safe redirects, emails.
//! - [`import`]: reading import files (zip, Markdown, WXR, Ghost) and planning their write.
//! - [`lifecycle`]: after sign-up: the setup wizard's progress, renaming, the
//!   export format, and deleting a blog step by step (resumable).
//! - [`accounts`]: blog addresses (available, taken, held), password resets, the `Mailer` port.

pub mod accounts;
pub mod actor;
pub mod admin;
pub mod admin_http;
pub mod auth;
pub mod billing;
pub mod byte_lru;
pub mod config;
pub mod discovery;
pub mod domains;
pub mod edge_memory;
pub mod feeds;
pub mod host;
pub mod import;
pub mod isolate_memory;
pub mod lifecycle;
pub mod limits;
pub mod markdown;
pub mod media;
pub mod memo;
pub mod model;
pub mod page_store;
pub mod pagination;
pub mod plans;
pub mod problem;
pub mod protocol;
pub mod reader_cache;
pub mod reader_headers;
pub mod search;
pub mod served_pages;
pub mod site;
pub mod slug;
pub mod tags;
pub mod tenant_core;
pub mod theme;
pub mod time;
pub mod view_counts;
pub mod views;

#[cfg(test)]
mod test_support;
