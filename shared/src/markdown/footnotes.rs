//! Footnote numbers and ids, and the markup of references and notes.

use std::collections::HashMap;

use pulldown_cmark::{Event, Tag};
use unicase::UniCase;

use super::ids::{footnote_id_base, IdLedger};

/// The numbers and ids of a document's footnotes, given in document order
/// before any heading id.
///
/// Labels match as pulldown-cmark matches them (Unicode case folding), so
/// `[^A]` refers to `[^a]:`. A note is numbered by its label's first
/// appearance; each definition gets its own `fn-…` id and each reference
/// its own `fnref-…` id (`fnref-a`, `fnref-a-2`, …). References link to
/// the label's first definition, a definition back to the label's first
/// reference.
pub(super) struct Footnotes {
    numbers: HashMap<UniCase<String>, usize>,
    first_definition: HashMap<UniCase<String>, String>,
    first_reference: HashMap<UniCase<String>, String>,
    /// The id of every reference and definition, in document order.
    ids: std::vec::IntoIter<String>,
}

impl Footnotes {
    pub(super) fn assign(events: &[Event<'_>], ids: &mut IdLedger) -> Self {
        let mut numbers = HashMap::new();
        let mut first_definition = HashMap::new();
        let mut first_reference = HashMap::new();
        let mut in_order = Vec::new();
        for event in events {
            let (label, is_definition) = match event {
                Event::FootnoteReference(label) => (label, false),
                Event::Start(Tag::FootnoteDefinition(label)) => (label, true),
                _ => continue,
            };
            let key = UniCase::new(label.to_string());
            let next = numbers.len() + 1;
            let number = *numbers.entry(key.clone()).or_insert(next);
            let base = footnote_id_base(label, number);
            let (prefix, firsts) = if is_definition {
                ("fn", &mut first_definition)
            } else {
                ("fnref", &mut first_reference)
            };
            let id = ids.claim(&format!("{prefix}-{base}"));
            firsts.entry(key).or_insert_with(|| id.clone());
            in_order.push(id);
        }
        Footnotes {
            numbers,
            first_definition,
            first_reference,
            ids: in_order.into_iter(),
        }
    }

    /// The next id in document order (there is one per footnote event).
    fn next_id(&mut self) -> String {
        self.ids.next().unwrap_or_default()
    }

    fn number(&self, key: &UniCase<String>) -> usize {
        self.numbers.get(key).copied().unwrap_or_default()
    }

    pub(super) fn reference<'a>(&mut self, label: &str) -> Event<'a> {
        let key = UniCase::new(label.to_string());
        let id = self.next_id();
        let n = self.number(&key);
        let html = match self.first_definition.get(&key) {
            Some(target) => format!(
                "<sup class=\"footnote-reference\" id=\"{id}\"><a href=\"#{target}\">{n}</a></sup>"
            ),
            None => format!("<sup class=\"footnote-reference\" id=\"{id}\">{n}</sup>"),
        };
        Event::Html(html.into())
    }

    pub(super) fn definition<'a>(&mut self, label: &str) -> Event<'a> {
        let key = UniCase::new(label.to_string());
        let id = self.next_id();
        let n = self.number(&key);
        let label = match self.first_reference.get(&key) {
            Some(back) => format!("<a href=\"#{back}\">{n}</a>"),
            None => n.to_string(),
        };
        Event::Html(
            format!(
                "<div class=\"footnote-definition\" id=\"{id}\"><sup class=\"footnote-definition-label\">{label}</sup>"
            )
            .into(),
        )
    }
}
