//! Unique `id`s within one rendered document.
//!
//! Heading anchors, footnote ids and the ids an author wrote in raw HTML
//! share one namespace, so one ledger hands them all out. The approach is
//! zola's `find_anchor`: every id given is recorded; a wanted id that is
//! taken gets `-2`, `-3`… appended, and each such candidate is checked
//! again against everything taken (a heading "Intro 2" after two "Intro"s
//! gets `intro-2-2`, not a second `intro-2`). Ids depend only on the
//! document, so a re-render gives the same ids.
//!
//! The sanitiser keeps the first element with a given id and drops the id
//! from later ones (see `markdown::sanitizer`); the ledger makes sure the
//! ids Grove generates never need that.

use std::collections::{HashMap, HashSet};

use super::slugify_text;

/// Longest id kept; the sanitiser drops longer ones.
pub(super) const MAX_ID_LEN: usize = 80;
/// Ids with this prefix belong to the page around the document (the
/// layout's `grove-content`); the sanitiser drops them from documents.
pub(super) const RESERVED_ID_PREFIX: &str = "grove-";

/// The ids taken so far in one document.
#[derive(Debug, Default)]
pub(super) struct IdLedger {
    taken: HashSet<String>,
    /// The last suffix tried for each wanted id. Ids are never given back,
    /// so every smaller suffix is still taken and the search resumes here:
    /// a document of n equal headings costs O(n), not O(n²).
    last_suffix: HashMap<String, u64>,
}

impl IdLedger {
    /// Marks `id` as taken (an id of the page around the document).
    pub(super) fn reserve(&mut self, id: &str) {
        self.taken.insert(id.to_string());
    }

    /// Marks every id an author wrote in a piece of raw HTML as taken, so
    /// generated ids keep out of their way (best effort: an id spelled
    /// with character references is not seen here, and the sanitiser's
    /// first-one-wins rule still keeps the page's ids unique).
    pub(super) fn reserve_raw_html(&mut self, html: &str) {
        for id in raw_html_ids(html) {
            self.reserve(id);
        }
    }

    /// The id `wanted` if it is free, else the first free `wanted-N`
    /// (N = 2, 3, …), cut to [`MAX_ID_LEN`]; recorded as taken.
    pub(super) fn claim(&mut self, wanted: &str) -> String {
        let first = fit(wanted, MAX_ID_LEN);
        if self.taken.insert(first.to_string()) {
            return first.to_string();
        }
        let n = self.last_suffix.entry(first.to_string()).or_insert(1);
        loop {
            *n += 1;
            let suffix = format!("-{n}");
            let candidate = format!("{}{suffix}", fit(first, MAX_ID_LEN - suffix.len()));
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// `id` cut to at most `len` bytes, without a trailing hyphen. Ids are
/// ASCII here, so any byte is a char boundary.
fn fit(id: &str, len: usize) -> &str {
    let cut = id.get(..len).unwrap_or(id);
    cut.trim_end_matches('-')
}

/// What a heading's id is made from: its text as a slug, `section` when
/// the text has no ASCII letters or digits, and never an id of the page
/// around the document.
pub(super) fn heading_id_base(text: &str) -> String {
    let slug = slugify_text(text);
    if slug.is_empty() {
        "section".to_string()
    } else if slug.starts_with(RESERVED_ID_PREFIX) {
        format!("section-{slug}")
    } else {
        slug
    }
}

/// What a footnote's ids are made from: its label as a slug, or its
/// number when the label has no ASCII letters or digits.
pub(super) fn footnote_id_base(label: &str, number: usize) -> String {
    let slug = slugify_text(label);
    if slug.is_empty() {
        number.to_string()
    } else {
        slug
    }
}

/// The values of `id` attributes in a piece of raw HTML, found loosely:
/// `id` after a tag-ish boundary, `=`, then a quoted or bare value. It may
/// find ids that are not attributes (text such as `x id=y` inside raw
/// HTML); reserving those too costs nothing.
fn raw_html_ids(html: &str) -> Vec<&str> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(at) = find_id_name(bytes, i) {
        i = at + 2;
        let mut j = skip_spaces(bytes, i);
        if bytes.get(j) != Some(&b'=') {
            continue;
        }
        j = skip_spaces(bytes, j + 1);
        let (start, end) = match bytes.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let start = j + 1;
                let len = bytes
                    .get(start..)
                    .and_then(|rest| rest.iter().position(|&b| b == q));
                match len {
                    Some(len) => (start, start + len),
                    None => break,
                }
            }
            Some(_) => {
                let len = bytes.get(j..).map_or(0, |rest| {
                    rest.iter()
                        .position(|&b| b.is_ascii_whitespace() || b == b'>')
                        .unwrap_or(rest.len())
                });
                (j, j + len)
            }
            None => break,
        };
        if let Some(id) = html.get(start..end) {
            found.push(id);
        }
        i = end;
    }
    found
}

/// The next `id` (any case) at or after `from` that starts an attribute
/// name: at the start, or after whitespace, `/` or a closing quote.
fn find_id_name(bytes: &[u8], from: usize) -> Option<usize> {
    (from..bytes.len().saturating_sub(1)).find(|&k| {
        let name = bytes
            .get(k..k + 2)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"id"));
        let boundary = k == 0
            || bytes
                .get(k - 1)
                .is_some_and(|&b| b.is_ascii_whitespace() || matches!(b, b'/' | b'"' | b'\''));
        name && boundary
    })
}

fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_number_from_two_and_check_every_candidate_again() {
        let mut ledger = IdLedger::default();
        assert_eq!(ledger.claim("intro"), "intro");
        assert_eq!(ledger.claim("intro"), "intro-2");
        assert_eq!(ledger.claim("intro-2"), "intro-2-2");
        assert_eq!(ledger.claim("intro"), "intro-3");
    }

    #[test]
    fn many_equal_headings_cost_linear_time() {
        // Searching from -2 each time took about n²/2 probes: 5·10⁹ here,
        // from a 300 KB post of "#a" lines.
        let mut ledger = IdLedger::default();
        for _ in 0..100_000 {
            ledger.claim("a");
        }
        assert_eq!(ledger.claim("a"), "a-100001");
        assert_eq!(ledger.claim("a-100002"), "a-100002");
        assert_eq!(ledger.claim("a"), "a-100003");
    }

    #[test]
    fn long_ids_are_cut_to_what_the_sanitiser_keeps() {
        let mut ledger = IdLedger::default();
        let long = format!("{}-b", "a".repeat(79));
        let first = ledger.claim(&long);
        assert_eq!(first, "a".repeat(79));
        let second = ledger.claim(&long);
        assert_eq!(second, format!("{}-2", "a".repeat(78)));
        assert!(second.len() <= MAX_ID_LEN);
    }

    #[test]
    fn raw_html_ids_are_found_in_any_spelling() {
        assert_eq!(
            raw_html_ids(r#"<a id="x"></a><span ID = 'y' class=z><b id=w>"#),
            ["x", "y", "w"]
        );
        assert_eq!(raw_html_ids(r#"<a/id="s"><a title="t"id="u">"#), ["s", "u"]);
        assert!(raw_html_ids(r#"<a data-id="x" valid="y" id"#).is_empty());
        assert!(raw_html_ids(r#"<a id="unterminated"#).is_empty());
        let mut ledger = IdLedger::default();
        ledger.reserve_raw_html("<a id=\"intro\">");
        assert_eq!(ledger.claim("intro"), "intro-2");
    }

    #[test]
    fn heading_and_footnote_bases() {
        assert_eq!(heading_id_base("Hello, World"), "hello-world");
        assert_eq!(heading_id_base("日本語"), "section");
        assert_eq!(heading_id_base("Grove content"), "section-grove-content");
        assert_eq!(heading_id_base("Grove"), "grove");
        assert_eq!(footnote_id_base("Source 1", 3), "source-1");
        assert_eq!(footnote_id_base("注", 3), "3");
    }
}
