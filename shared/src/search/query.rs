//! A reader's search query, turned into an SQLite FTS5 `MATCH` expression
//! that cannot be anything but what the reader meant.
//!
//! The language readers expect: every word must match; the last word also
//! matches as a prefix (`garde` finds "garden"); `"quoted phrases"`;
//! `-word` (or `-"a phrase"`) excludes. Case, accents and stemming are the
//! index's tokenizer's business (`porter unicode61 remove_diacritics 2`).
//!
//! Safety comes from the output's shape, not from filtering the input:
//! every term is emitted as an FTS5 string (`"…"`, inner quotes doubled)
//! made only of the word characters the tokenizer indexes, so FTS5
//! operators (`NEAR`, `AND`, `:`, `^`, `*`, parentheses) typed by a reader
//! are never operators. The normalised form is also the result cache's key.

use thiserror::Error;

/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most terms a query may have (words and phrases, excluded ones too).
pub const MAX_TERMS: usize = 16;

/// A query that cannot be run.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QueryError {
    #[error("The search is too long: at most {MAX_QUERY_CHARS} characters.")]
    TooLong,
}

/// A term: the words of one bare word or of one quoted phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    words: Vec<String>,
    excluded: bool,
    /// A phrase (quoted): matched as written, never as a prefix.
    quoted: bool,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    terms: Vec<Term>,
}

/// Whether `c` belongs to a word as the index's tokenizer (unicode61) sees
/// it: letters, digits and marks; everything else separates words.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || (!c.is_ascii() && !c.is_whitespace() && !c.is_control() && is_mark(c))
}

/// Combining marks (accents written as separate characters).
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The words of `text`, lower-cased.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

impl Query {
    /// Parses what a reader typed. Anything that is not a word, a quote or
    /// a leading `-` separates words; an unclosed quote runs to the end.
    pub fn parse(input: &str) -> Result<Query, QueryError> {
        if input.chars().count() > MAX_QUERY_CHARS {
            return Err(QueryError::TooLong);
        }
        let mut terms = Vec::new();
        let mut rest = input;
        // Whether the next term starts after a space (or at the start): a
        // hyphen excludes only there, so `pre-war` is two words, not one
        // word minus another.
        let mut at_boundary = true;
        while let Some(start) = rest.find(|c: char| is_word_char(c) || c == '"' || c == '-') {
            if start > 0 {
                at_boundary = rest[..start].ends_with(char::is_whitespace);
            }
            rest = &rest[start..];
            let excluded = rest.starts_with('-') && at_boundary;
            if rest.starts_with('-') && !excluded {
                rest = &rest[1..];
                continue;
            }
            if excluded {
                rest = &rest[1..];
                // A lone or doubled hyphen excludes nothing.
                if !rest.starts_with(|c: char| is_word_char(c) || c == '"') {
                    continue;
                }
            }
            let (text, quoted, next) = if let Some(after) = rest.strip_prefix('"') {
                let end = after.find('"').unwrap_or(after.len());
                let next = (end + 1).min(after.len());
                (&after[..end], true, &after[next..])
            } else {
                let end = rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len());
                (&rest[..end], false, &rest[end..])
            };
            rest = next;
            at_boundary = false;
            let words = words(text);
            if !words.is_empty() {
                terms.push(Term {
                    words,
                    excluded,
                    quoted,
                });
            }
        }
        terms.truncate(MAX_TERMS);
        Ok(Query { terms })
    }

    /// Whether nothing can match (no word to look for).
    pub fn is_empty(&self) -> bool {
        !self.terms.iter().any(|t| !t.excluded)
    }

    /// The query as one canonical string (the result cache's key): the
    /// same meaning always gives the same key.
    pub fn normalized(&self) -> String {
        self.terms
            .iter()
            .map(|t| {
                let text = t.words.join(" ");
                let text = if t.quoted {
                    format!("\"{text}\"")
                } else {
                    text
                };
                if t.excluded {
                    format!("-{text}")
                } else {
                    text
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The FTS5 `MATCH` expression, or `None` when nothing can match.
    /// Included terms are joined by AND, then each excluded one is taken
    /// away with NOT; the last included bare word is also a prefix.
    pub fn fts(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let last_bare = self.terms.iter().rposition(|t| !t.excluded && !t.quoted);
        let mut included = Vec::new();
        let mut excluded = Vec::new();
        for (i, term) in self.terms.iter().enumerate() {
            // Words are word characters only, so they never hold a quote;
            // doubling them anyway keeps the string safe if that changes.
            let string = format!("\"{}\"", term.words.join(" ").replace('"', "\"\""));
            if term.excluded {
                excluded.push(string);
            } else if Some(i) == last_bare {
                included.push(format!("{string}*"));
            } else {
                included.push(string);
            }
        }
        let mut expr = included.join(" AND ");
        for term in excluded {
            expr = format!("({expr}) NOT {term}");
        }
        Some(expr)
    }

    /// The words to highlight in titles (those not excluded).
    pub fn highlight_words(&self) -> Vec<&str> {
        self.terms
            .iter()
            .filter(|t| !t.excluded)
            .flat_map(|t| t.words.iter().map(String::as_str))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fts(q: &str) -> Option<String> {
        Query::parse(q).expect("parses").fts()
    }

    #[test]
    fn every_word_must_match_and_the_last_is_a_prefix() {
        assert_eq!(fts("garden"), Some("\"garden\"*".into()));
        assert_eq!(fts("Slow  Garden"), Some("\"slow\" AND \"garden\"*".into()));
    }

    #[test]
    fn phrases_and_exclusions() {
        assert_eq!(
            fts("\"green tomato\" chutney -beans"),
            Some("(\"green tomato\" AND \"chutney\"*) NOT \"beans\"".into())
        );
        assert_eq!(fts("\"first frost\""), Some("\"first frost\"".into()));
        assert_eq!(
            fts("frost -\"green tomato\""),
            Some("(\"frost\"*) NOT \"green tomato\"".into())
        );
        assert_eq!(fts("-beans"), None, "only exclusions: nothing to find");
        assert_eq!(fts("pre-war"), Some("\"pre\" AND \"war\"*".into()));
    }

    #[test]
    fn normalised_queries_are_the_cache_key() {
        let a = Query::parse("  Garden   -Weeds \"Slow  Cook\"").unwrap();
        let b = Query::parse("garden -weeds \"slow cook\"").unwrap();
        assert_eq!(a.normalized(), b.normalized());
        assert_eq!(a.normalized(), "garden -weeds \"slow cook\"");
    }

    #[test]
    fn too_long_is_an_error_that_says_why() {
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        let err = Query::parse(&long).unwrap_err();
        assert!(err.to_string().contains("at most 200 characters"));
        assert!(Query::parse(&"a".repeat(MAX_QUERY_CHARS)).is_ok());
    }

    /// Hostile input never yields an FTS5 operator: every term is a quoted
    /// string of word characters, joined only by AND and NOT.
    #[test]
    fn hostile_queries_only_ever_become_quoted_words() {
        let hostile = [
            "\"",
            "\"\"",
            "\"unbalanced",
            "a\"b\"c\"",
            "NEAR(a b)",
            "NEAR(",
            "a NEAR/2 b",
            "title:secret",
            "{title body}:x",
            "^start",
            "a*",
            "*",
            "a OR b",
            "a AND b",
            "NOT a",
            "(a",
            "a)",
            "((((",
            "'; DROP TABLE posts; --",
            "1 OR 1=1",
            "\u{0}\u{1}\u{7f}",
            "\u{202e}evil",
            "🌱🌱",
            "日本語 検索",
            "<script>alert(1)</script>",
            "&amp; &lt;",
            "----",
            "- - -",
            "-",
            "a - b",
            "\\\"",
            "%",
            "_",
            "a:b:c",
            "+a +b",
            "a|b",
            "$x",
            "\t\n\r",
            "  ",
            "",
        ];
        for q in hostile {
            let query = Query::parse(q).expect("short queries parse");
            let Some(expr) = query.fts() else {
                continue;
            };
            // Strip the quoted strings: only AND, NOT, parentheses, spaces
            // and prefix stars may remain between them.
            let mut outside = String::new();
            let mut inside = false;
            for c in expr.chars() {
                if c == '"' {
                    inside = !inside;
                } else if !inside {
                    outside.push(c);
                } else {
                    assert!(
                        is_word_char(c) || c == ' ',
                        "{c:?} inside a string of {expr:?} from {q:?}"
                    );
                }
            }
            assert!(!inside, "balanced quotes in {expr:?}");
            let leftover = outside.replace("AND", "").replace("NOT", "");
            assert!(
                leftover.chars().all(|c| matches!(c, ' ' | '(' | ')' | '*')),
                "{q:?} gave {expr:?}"
            );
        }
    }

    #[test]
    fn cjk_and_accents_are_words() {
        assert_eq!(fts("日本語"), Some("\"日本語\"*".into()));
        assert_eq!(
            fts("Crème brûlée"),
            Some("\"crème\" AND \"brûlée\"*".into())
        );
    }
}
