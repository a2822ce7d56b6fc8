//! The Markdown pipeline: one place owns the parser options, the event
//! rewrites (heading anchors, footnote ids) and the sanitiser.
//!
//! Order matters: Markdown is rendered to HTML first, then sanitised with
//! ammonia's allow-list, because pulldown-cmark passes raw HTML (including
//! `<script>`) straight through. Everything that leaves [`render`] is safe to
//! embed in a page.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Words per minute used for reading time.
const WORDS_PER_MINUTE: usize = 220;

/// The parser options, set explicitly.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders Markdown to sanitised HTML.
pub fn render(markdown: &str) -> String {
    let events = rewrite_events(Parser::new_ext(markdown, options()));
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events.into_iter());
    sanitizer().clean(&raw).to_string()
}

/// Gives headings stable `id`s with a self-link, and footnotes prefixed ids
/// (`fn-…`, `fnref-…`) so they cannot collide with heading ids.
fn rewrite_events<'a>(parser: Parser<'a>) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut footnote_numbers: HashMap<String, usize> = HashMap::new();
    let mut heading: Option<(HeadingLevel, Vec<Event<'a>>, String)> = None;

    for event in parser {
        if let Some((level, buffered, text)) = heading.as_mut() {
            match event {
                Event::End(TagEnd::Heading(_)) => {
                    let level = *level;
                    let id = unique_id(&mut used_ids, &slugify_text(text));
                    out.push(Event::Html(format!("<{level} id=\"{id}\">").into()));
                    out.append(buffered);
                    out.push(Event::Html(
                        format!(" <a class=\"anchor\" href=\"#{id}\" aria-hidden=\"true\">#</a></{level}>\n")
                            .into(),
                    ));
                    heading = None;
                }
                other => {
                    if let Event::Text(t) | Event::Code(t) = &other {
                        text.push_str(t);
                    }
                    buffered.push(other);
                }
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level, Vec::new(), String::new()))
            }
            Event::FootnoteReference(name) => {
                let next = footnote_numbers.len() + 1;
                let n = *footnote_numbers.entry(name.to_string()).or_insert(next);
                let key = slugify_text(&name);
                out.push(Event::Html(
                    format!(
                        "<sup class=\"footnote-reference\" id=\"fnref-{key}\"><a href=\"#fn-{key}\">{n}</a></sup>"
                    )
                    .into(),
                ));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let next = footnote_numbers.len() + 1;
                let n = *footnote_numbers.entry(name.to_string()).or_insert(next);
                let key = slugify_text(&name);
                out.push(Event::Html(
                    format!(
                        "<div class=\"footnote-definition\" id=\"fn-{key}\"><sup class=\"footnote-definition-label\"><a href=\"#fnref-{key}\">{n}</a></sup>"
                    )
                    .into(),
                ));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                out.push(Event::Html(CowStr::Borrowed("</div>\n")))
            }
            other => out.push(other),
        }
    }
    out
}

fn unique_id(used: &mut HashMap<String, usize>, base: &str) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let count = used.entry(base.to_string()).or_insert(0);
    *count += 1;
    if *count == 1 {
        base.to_string()
    } else {
        format!("{base}-{count}")
    }
}

/// Lower-case ASCII letters and digits joined by single hyphens.
pub fn slugify_text(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Class names the sanitiser keeps: code languages and our own markup.
fn allowed_class(class: &str) -> bool {
    matches!(
        class,
        "anchor" | "footnote-reference" | "footnote-definition" | "footnote-definition-label"
    ) || class.strip_prefix("language-").is_some_and(|lang| {
        !lang.is_empty()
            && lang.len() <= 32
            && lang
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-#_".contains(&b))
    })
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["input"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("td", ["style"])
            .add_tag_attributes("th", ["style"])
            .add_generic_attributes(["id", "class", "aria-hidden"])
            .link_rel(Some("nofollow noopener noreferrer"))
            .attribute_filter(|element, attribute, value| match (element, attribute) {
                (_, "class") => {
                    let kept: Vec<&str> = value
                        .split_whitespace()
                        .filter(|c| allowed_class(c))
                        .collect();
                    (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
                }
                (_, "id") => {
                    (!value.is_empty() && value.len() <= 80 && !value.starts_with("grove-"))
                        .then(|| Cow::Owned(value.to_string()))
                }
                ("input", "type") => (value == "checkbox").then_some(Cow::Borrowed("checkbox")),
                ("td" | "th", "style") => match value.trim().trim_end_matches(';') {
                    "text-align: left" | "text-align: center" | "text-align: right" => {
                        Some(Cow::Owned(value.to_string()))
                    }
                    _ => None,
                },
                _ => Some(Cow::Owned(value.to_string())),
            });
        b
    })
}

/// The readable text of a document: what a reader sees, without markup.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !text.ends_with(' ') => {
                text.push(' ')
            }
            _ => {}
        }
    }
    text.trim().to_string()
}

/// Estimated minutes to read, at least one.
pub fn reading_time_minutes(markdown: &str) -> usize {
    let words = plain_text(markdown).split_whitespace().count();
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

/// A short plain-text summary: the first paragraphs, cut at a word boundary.
pub fn excerpt(markdown: &str, max_chars: usize) -> String {
    let mut text = String::new();
    let mut in_paragraph = false;
    // Image alt text, struck-out words and footnotes are not prose to summarise.
    let mut skipped = 0usize;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Image { .. } | Tag::Strikethrough | Tag::FootnoteDefinition(_)) => {
                skipped += 1
            }
            Event::End(TagEnd::Image | TagEnd::Strikethrough | TagEnd::FootnoteDefinition) => {
                skipped = skipped.saturating_sub(1)
            }
            _ if skipped > 0 => {}
            Event::Start(Tag::Paragraph) => in_paragraph = true,
            Event::End(TagEnd::Paragraph) => {
                in_paragraph = false;
                text.push(' ');
                if text.chars().count() >= max_chars {
                    break;
                }
            }
            Event::Text(t) | Event::Code(t) if in_paragraph => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_paragraph => text.push(' '),
            _ => {}
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max_chars {
        return text;
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!(
        "{}…",
        cut.trim_end_matches(|c: char| c.is_ascii_punctuation())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_tables_strikethrough_tasks_and_code() {
        let html = render(
            "| a | b |\n|:-|:-:|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n- [ ] todo\n\n```rust\nfn main() {}\n```\n",
        );
        assert!(html.contains("<table>"), "{html}");
        assert!(
            html.contains("<td style=\"text-align: center\">2</td>"),
            "{html}"
        );
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(
            html.contains("<li><input disabled=\"\" type=\"checkbox\" checked=\"\">\ndone</li>"),
            "{html}"
        );
        assert!(
            html.contains("<li><input disabled=\"\" type=\"checkbox\">\ntodo</li>"),
            "{html}"
        );
        assert!(
            html.contains("<code class=\"language-rust\">fn main() {}"),
            "{html}"
        );
    }

    #[test]
    fn headings_get_unique_anchors() {
        let html = render("## Hello, World!\n\n## Hello World\n\n### `code` title\n");
        assert!(
            html.contains(
                "<h2 id=\"hello-world\">Hello, World! <a class=\"anchor\" href=\"#hello-world\""
            ),
            "{html}"
        );
        assert!(html.contains("<h2 id=\"hello-world-2\">"), "{html}");
        assert!(html.contains("<h3 id=\"code-title\">"), "{html}");
    }

    #[test]
    fn footnotes_link_both_ways_with_prefixed_ids() {
        let html = render("A claim.[^src]\n\n[^src]: The source.\n");
        assert!(html.contains("id=\"fnref-src\""), "{html}");
        assert!(html.contains("href=\"#fn-src\""), "{html}");
        assert!(html.contains("id=\"fn-src\""), "{html}");
        assert!(html.contains("The source."), "{html}");
    }

    #[test]
    fn hostile_html_is_removed() {
        let html = render(concat!(
            "<script>alert(1)</script>\n\n",
            "<img src=\"x.png\" onerror=\"alert(2)\">\n\n",
            "[click](javascript:alert(3))\n\n",
            "<a href=\"javascript:alert(4)\">raw</a>\n\n",
            "<iframe src=\"https://evil.example\"></iframe>\n\n",
            "<div style=\"position:fixed\" onclick=\"x()\" class=\"grove-header\" id=\"grove-main\">div</div>\n\n",
            "<form action=\"/x\"><input type=\"text\" name=\"q\"></form>\n\n",
            "<svg><script>alert(5)</script></svg>\n",
        ));
        let lower = html.to_lowercase();
        for forbidden in [
            "<script",
            "onerror",
            "onclick",
            "javascript:",
            "<iframe",
            "style=",
            "grove-",
            "<form",
            "type=\"text\"",
            "<svg",
        ] {
            assert!(!lower.contains(forbidden), "{forbidden} survived: {html}");
        }
        assert!(html.contains("<img src=\"x.png\">"), "{html}");
        assert!(html.contains(">click</a>"), "{html}");
    }

    #[test]
    fn links_get_rel_and_keep_http_urls() {
        let html = render("[site](https://example.com/a) and <https://example.org>\n");
        assert!(
            html.contains("href=\"https://example.com/a\" rel=\"nofollow noopener noreferrer\""),
            "{html}"
        );
        assert!(html.contains("href=\"https://example.org\""), "{html}");
    }

    #[test]
    fn excerpt_and_reading_time() {
        let md = "# Title\n\nFirst *para* with `code`.\n\nSecond para goes on and on.\n";
        assert_eq!(
            excerpt(md, 200),
            "First para with code. Second para goes on and on."
        );
        assert_eq!(excerpt(md, 20), "First para with…");
        assert_eq!(reading_time_minutes(md), 1);
        let noisy = "Kept ~~struck~~ words.[^n]\n\n![alt text](https://x.test/a.png)\n\n[^n]: A footnote.\n";
        assert_eq!(excerpt(noisy, 200), "Kept words.");
        let long = "word ".repeat(1000);
        assert_eq!(reading_time_minutes(&long), 5);
    }

    #[test]
    fn slugify_text_is_ascii_and_hyphenated() {
        assert_eq!(slugify_text("  Hello, World! 2026 "), "hello-world-2026");
        assert_eq!(slugify_text("---"), "");
    }
}
