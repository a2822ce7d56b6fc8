//! The Markdown pipeline: one place owns the parser options, the event
//! rewrites (heading anchors, footnote ids) and the sanitiser.
//!
//! Order matters: Markdown is rendered to HTML first, then sanitised with
//! ammonia's allow-list, because pulldown-cmark passes raw HTML (including
//! `<script>`) straight through. Everything that leaves [`render`] is safe to
//! embed in a page.
//!
//! Every `id` in a rendered document is unique and depends only on the
//! document: `ids` hands out heading and footnote ids (avoiding ids the
//! author wrote in raw HTML), `footnotes` numbers notes and links them
//! both ways, and the sanitiser keeps the first element of any id.

mod footnotes;
mod ids;

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use footnotes::Footnotes;
use ids::{heading_id_base, IdLedger, MAX_ID_LEN, RESERVED_ID_PREFIX};
use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Words per minute used for reading time.
const WORDS_PER_MINUTE: usize = 220;

/// The parser options, set explicitly.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders Markdown to sanitised HTML.
pub fn render(markdown: &str) -> String {
    render_in_page(markdown, &[])
}

/// Renders Markdown for a page that already has elements with `page_ids`
/// (the admin editor around a preview has `title`, `slug`, …): no element
/// of the result takes one of them, so the page's ids stay unique.
pub fn render_in_page(markdown: &str, page_ids: &[&str]) -> String {
    let mut ids = IdLedger::default();
    for id in page_ids {
        ids.reserve(id);
    }
    let events = rewrite_events(Parser::new_ext(markdown, options()), ids);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events.into_iter());
    sanitizer(page_ids).clean(&raw).to_string()
}

/// Gives headings unique `id`s with a self-link, and footnotes prefixed ids
/// (`fn-…` for a note, `fnref-…` for each reference to it). All of them,
/// and the ids an author wrote in raw HTML, come from one [`IdLedger`], so
/// no two elements of a document share an id. Footnote ids are given
/// first, so a heading such as "Fn a" never takes a note's id.
fn rewrite_events<'a>(parser: Parser<'a>, mut ids: IdLedger) -> Vec<Event<'a>> {
    let events: Vec<Event<'a>> = parser.collect();
    for event in &events {
        if let Event::Html(html) | Event::InlineHtml(html) = event {
            ids.reserve_raw_html(html);
        }
    }
    let mut notes = Footnotes::assign(&events, &mut ids);

    let mut out = Vec::with_capacity(events.len());
    let mut heading: Option<(HeadingLevel, Vec<Event<'a>>, String)> = None;
    for event in events {
        let event = match event {
            Event::TaskListMarker(done) => task_checkbox(done),
            Event::Html(raw) => Event::Html(without_inputs(raw)),
            Event::InlineHtml(raw) => Event::InlineHtml(without_inputs(raw)),
            Event::FootnoteReference(label) => notes.reference(&label),
            Event::Start(Tag::FootnoteDefinition(label)) => notes.definition(&label),
            Event::End(TagEnd::FootnoteDefinition) => Event::Html(CowStr::Borrowed("</div>\n")),
            other => other,
        };
        if let Some((level, buffered, text)) = heading.as_mut() {
            match event {
                Event::End(TagEnd::Heading(_)) => {
                    let level = *level;
                    let id = ids.claim(&heading_id_base(text));
                    out.push(Event::Html(format!("<{level} id=\"{id}\">").into()));
                    out.append(buffered);
                    out.push(Event::Html(
                        format!(
                            " <a class=\"anchor\" href=\"#{id}\" aria-label=\"{}\">#</a></{level}>\n",
                            anchor_label(text)
                        )
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
            other => out.push(other),
        }
    }
    out
}

/// The accessible name of a heading's `#` self-link. The link stays in the
/// tab order (keyboard users can reach it; CSS shows it on focus), so it is
/// never `aria-hidden`: a focusable element inside `aria-hidden` is
/// announced as nothing at all.
fn anchor_label(heading_text: &str) -> String {
    let text = heading_text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if text.is_empty() {
        return "Link to this section".to_string();
    }
    escape_attribute(&format!("Link to this section: {text}"))
}

/// A task list's checkbox. It only shows the state (`disabled`), and its
/// `aria-label` says the state in words, so assistive technology never
/// meets an unlabelled form control.
fn task_checkbox<'a>(done: bool) -> Event<'a> {
    Event::Html(CowStr::Borrowed(if done {
        "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
    } else {
        "<input type=\"checkbox\" disabled aria-label=\"Not done\"> "
    }))
}

/// An author's raw HTML with every `<input` tag turned into text. The only
/// form controls in a document are the task checkboxes Grove writes, each
/// labelled; a raw `<input>` would be an unlabelled control (and the
/// sanitiser cannot tell the two apart). Tag names never decode entities,
/// so no spelling of an `input` tag gets past this.
fn without_inputs(raw: CowStr<'_>) -> CowStr<'_> {
    let opens_input = |rest: &[u8]| {
        rest.first() == Some(&b'<')
            && rest
                .get(1..6)
                .is_some_and(|name| name.eq_ignore_ascii_case(b"input"))
    };
    let bytes = raw.as_bytes();
    if !(0..bytes.len()).any(|i| opens_input(&bytes[i..])) {
        return raw;
    }
    let mut out = String::with_capacity(raw.len() + 8);
    let mut from = 0;
    for i in 0..bytes.len() {
        if opens_input(&bytes[i..]) {
            // `<` is ASCII, so `i` is a char boundary.
            out.push_str(&raw[from..i]);
            out.push_str("&lt;");
            from = i + 1;
        }
    }
    out.push_str(&raw[from..]);
    out.into()
}

/// Text made safe inside a double-quoted attribute value.
fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
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

/// The sanitiser for one document: ammonia's allow-list plus our markup.
///
/// Accessibility is part of the allow-list, kept as narrow as the markup
/// Grove writes: `aria-label` only on links (heading anchors) and inputs
/// (task checkboxes); `tabindex` never from the author, but set to `0` on
/// every `pre` and `table`, which scroll inside their own box and so must
/// take keyboard focus; no `aria-hidden`, which would hide focusable
/// content from assistive technology.
///
/// Built per render because it remembers the ids it kept: the first kept
/// element with an id keeps it and later ones lose it, so a page never has
/// two elements with one id whatever raw HTML the author wrote (the
/// page's own `page_ids` count as kept from the start). The ids
/// Grove generates are unique already and pass unchanged: no `id_prefix`,
/// at most [`MAX_ID_LEN`] bytes, never the page's own `grove-` prefix.
fn sanitizer(page_ids: &[&str]) -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_tags(["input"]);
    // Only elements that stay in the page can claim an id.
    let kept_tags = b.clone_tags();
    let kept_ids = Mutex::new(
        page_ids
            .iter()
            .map(|id| id.to_string())
            .collect::<HashSet<_>>(),
    );
    b.add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"])
        .add_tag_attributes("a", ["aria-label"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .add_generic_attributes(["id", "class"])
        .set_tag_attribute_value("pre", "tabindex", "0")
        .set_tag_attribute_value("table", "tabindex", "0")
        .link_rel(Some("nofollow noopener noreferrer"))
        .attribute_filter(
            move |element, attribute, value| match (element, attribute) {
                (_, "class") => {
                    let kept: Vec<&str> = value
                        .split_whitespace()
                        .filter(|c| allowed_class(c))
                        .collect();
                    (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
                }
                (_, "id") => (kept_tags.contains(element) && keep_id(value, &kept_ids))
                    .then(|| Cow::Owned(value.to_string())),
                ("input", "type") => (value == "checkbox").then_some(Cow::Borrowed("checkbox")),
                ("td" | "th", "style") => match value.trim().trim_end_matches(';') {
                    "text-align: left" | "text-align: center" | "text-align: right" => {
                        Some(Cow::Owned(value.to_string()))
                    }
                    _ => None,
                },
                _ => Some(Cow::Owned(value.to_string())),
            },
        );
    b
}

/// Whether an element may keep `id`: a usable id not already kept.
fn keep_id(id: &str, kept: &Mutex<HashSet<String>>) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && !id.starts_with(RESERVED_ID_PREFIX)
        && kept
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id.to_string())
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
        assert!(html.contains("<table tabindex=\"0\">"), "{html}");
        assert!(
            html.contains("<td style=\"text-align: center\">2</td>"),
            "{html}"
        );
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(
            html.contains(
                "<li><input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"Done\"> done</li>"
            ),
            "{html}"
        );
        assert!(
            html.contains(
                "<li><input type=\"checkbox\" disabled=\"\" aria-label=\"Not done\"> todo</li>"
            ),
            "{html}"
        );
        assert!(
            html.contains("<code class=\"language-rust\">fn main() {}"),
            "{html}"
        );
    }

    /// Every opening tag `<name …>` of a rendered fragment, as written.
    fn tags<'h>(html: &'h str, name: &str) -> Vec<&'h str> {
        let open = format!("<{name}");
        html.match_indices(&open)
            .filter(|(at, _)| {
                let next = html.as_bytes().get(at + open.len());
                matches!(next, Some(b' ' | b'>'))
            })
            .filter_map(|(at, _)| html[at..].split_once('>').map(|(tag, _)| tag))
            .collect()
    }

    #[test]
    fn code_blocks_and_tables_take_keyboard_focus() {
        // They scroll inside their own box; a keyboard user must be able
        // to focus them to scroll (axe: scrollable-region-focusable).
        let html = render(concat!(
            "```rust\nfn main() { let long = \"line that scrolls\"; }\n```\n\n",
            "    indented code\n\n",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n",
            "<pre tabindex=\"-1\">raw</pre>\n\n",
            "<p tabindex=\"0\">not focusable</p> <a href=\"/x\" tabindex=\"5\">x</a>\n",
        ));
        let pres = tags(&html, "pre");
        assert_eq!(pres.len(), 3, "{html}");
        assert!(pres.iter().all(|t| *t == "<pre tabindex=\"0\""), "{pres:?}");
        assert_eq!(tags(&html, "table"), ["<table tabindex=\"0\""], "{html}");
        assert!(
            html.contains("<pre tabindex=\"0\"><code class=\"language-rust\">fn main()"),
            "{html}"
        );
        // Authors cannot put anything else in the tab order.
        assert_eq!(html.matches("tabindex").count(), 4, "{html}");
    }

    #[test]
    fn task_checkboxes_are_labelled_with_their_state() {
        let html = render("- [x] Buy milk\n- [ ] Write *post*\n\n1. [X] loose\n\n2. [ ] list\n");
        let inputs = tags(&html, "input");
        assert_eq!(
            inputs,
            [
                "<input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"Done\"",
                "<input type=\"checkbox\" disabled=\"\" aria-label=\"Not done\"",
                "<input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"Done\"",
                "<input type=\"checkbox\" disabled=\"\" aria-label=\"Not done\"",
            ],
            "{html}"
        );
        assert!(html.contains("aria-label=\"Not done\"> Write <em>post</em></li>"));
    }

    #[test]
    fn raw_inputs_are_text_so_every_control_is_labelled() {
        let html = render(concat!(
            "<input type=\"checkbox\" checked> mine\n\n",
            "Inline <INPUT type=checkbox> and <img alt=\"<input>\" src=\"a.png\">\n\n",
            "- [ ] real\n",
        ));
        let inputs = tags(&html, "input");
        assert_eq!(inputs.len(), 1, "{html}");
        assert!(inputs[0].contains("aria-label=\"Not done\""), "{html}");
        assert!(
            html.contains("&lt;input type=\"checkbox\" checked&gt; mine"),
            "{html}"
        );
        assert!(html.contains("&lt;INPUT type=checkbox&gt;"), "{html}");
        assert!(
            html.contains("alt=\"&lt;input&gt;\""),
            "an attribute's text is kept: {html}"
        );
    }

    #[test]
    fn heading_anchors_are_named_links_never_hidden() {
        let html = render(concat!(
            "## Hello,   *World*!\n\n",
            "### Tom & \"Jerry\" `<3`\n\n",
            "#### ![](x.png)\n\n",
            "<div aria-hidden=\"true\"><a href=\"/x\">hidden link</a></div>\n",
        ));
        assert!(
            html.contains(concat!(
                "<h2 id=\"hello-world\">Hello,   <em>World</em>! ",
                "<a class=\"anchor\" href=\"#hello-world\" ",
                "aria-label=\"Link to this section: Hello, World!\" ",
                "rel=\"nofollow noopener noreferrer\">#</a></h2>"
            )),
            "{html}"
        );
        assert!(
            html.contains("aria-label=\"Link to this section: Tom &amp; “Jerry” &lt;3\" rel="),
            "{html}"
        );
        assert!(
            html.contains("aria-label=\"Link to this section\" rel="),
            "{html}"
        );
        // Nothing focusable is ever hidden from assistive technology.
        assert!(!html.contains("aria-hidden"), "{html}");
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

    /// Every `id="…"` value in a rendered page, in document order.
    fn ids(html: &str) -> Vec<&str> {
        html.split(" id=\"")
            .skip(1)
            .filter_map(|rest| rest.split_once('"').map(|(id, _)| id))
            .collect()
    }

    fn assert_unique(ids: &[&str]) {
        let mut seen = std::collections::HashSet::new();
        for id in ids {
            assert!(seen.insert(*id), "id {id:?} appears twice in {ids:?}");
        }
    }

    #[test]
    fn a_footnote_referenced_twice_gets_one_id_per_reference() {
        let html = render("One.[^a] Two.[^a]\n\n[^a]: The note.\n");
        assert_eq!(ids(&html), ["fnref-a", "fnref-a-2", "fn-a"], "{html}");
        // Both references point at the note; the note points back at the first.
        assert_eq!(html.matches("href=\"#fn-a\"").count(), 2, "{html}");
        assert_eq!(html.matches("href=\"#fnref-a\"").count(), 1, "{html}");
    }

    #[test]
    fn a_heading_never_repeats_an_id_made_by_numbering() {
        let html = render("## Intro\n\n## Intro\n\n## Intro 2\n");
        assert_eq!(ids(&html), ["intro", "intro-2", "intro-2-2"], "{html}");
        assert!(html.contains("href=\"#intro-2-2\""), "{html}");
    }

    #[test]
    fn a_heading_never_takes_a_footnote_id() {
        let html = render("## Fn a\n\nText.[^a]\n\n[^a]: The note.\n");
        let found = ids(&html);
        assert_unique(&found);
        assert_eq!(found, ["fn-a-2", "fnref-a", "fn-a"], "{html}");
        assert!(
            html.contains("<h2 id=\"fn-a-2\">Fn a <a class=\"anchor\" href=\"#fn-a-2\""),
            "{html}"
        );
        assert!(
            html.contains("<div class=\"footnote-definition\" id=\"fn-a\">"),
            "{html}"
        );
    }

    #[test]
    fn ids_written_in_raw_html_are_kept_out_of_the_way_and_never_doubled() {
        let html = render(concat!(
            "<span id=\"intro\">mine</span>\n\n",
            "## Intro\n\n",
            "<p id=\"twice\">a</p><p id=\"twice\">b</p>\n\n",
            "<font id=\"gone\">unwrapped</font> <b id=\"gone\">kept</b>\n",
        ));
        assert_eq!(ids(&html), ["intro", "intro-2", "twice", "gone"], "{html}");
        assert!(html.contains("<b id=\"gone\">kept</b>"), "{html}");
    }

    #[test]
    fn footnote_labels_match_like_the_parser_and_never_share_ids() {
        // `[^A]` is the note `[^a]`; `a b` and `a-b` are two notes with one slug.
        let html = render("X[^A] y[^a b] z[^a-b].\n\n[^a]: One.\n[^a b]: Two.\n[^a-b]: Three.\n");
        let found = ids(&html);
        assert_unique(&found);
        assert_eq!(
            found,
            [
                "fnref-a",
                "fnref-a-b",
                "fnref-a-b-2",
                "fn-a",
                "fn-a-b",
                "fn-a-b-2"
            ],
            "{html}"
        );
        assert!(
            html.contains("id=\"fnref-a-b-2\"><a href=\"#fn-a-b-2\""),
            "{html}"
        );
    }

    #[test]
    fn footnotes_inside_headings_and_without_references() {
        let html = render("## Title[^n]\n\n[^n]: Note.\n\n[^unused]: Never cited.\n");
        assert_eq!(
            ids(&html),
            ["title", "fnref-n", "fn-n", "fn-unused"],
            "{html}"
        );
        assert!(html.contains("<a href=\"#fn-n\""), "{html}");
        assert!(
            html.contains("<sup class=\"footnote-definition-label\">2</sup>"),
            "{html}"
        );
    }

    #[test]
    fn generated_ids_survive_the_sanitiser() {
        // Too long for the sanitiser, or in the page's own `grove-` space:
        // both used to lose their id while the anchor still pointed at it.
        let long = "word ".repeat(30);
        let md = format!("# {long}\n\n# Grove news\n\nA note.[^grove-x]\n\n[^grove-x]: N.\n");
        let html = render(&md);
        let found = ids(&html);
        assert_eq!(found.len(), 4, "{html}");
        assert!(found.iter().all(|id| id.len() <= 80), "{found:?}");
        assert_eq!(found[1], "section-grove-news");
        for href in html.split("href=\"#").skip(1) {
            let target = href.split('"').next().unwrap_or_default();
            assert!(found.contains(&target), "#{target} has no element: {html}");
        }
        assert_eq!(render(&md), html, "a re-render gives the same ids");
    }

    #[test]
    fn a_preview_never_takes_an_id_of_the_page_around_it() {
        let md = "## Title\n\n<span id=\"slug\">raw</span>\n";
        let html = render_in_page(md, &["title", "slug"]);
        assert_eq!(ids(&html), ["title-2"], "{html}");
        assert_eq!(ids(&render(md)), ["title", "slug"]);
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
            "<input",
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
