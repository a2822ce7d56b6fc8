//! The Markdown pipeline: any input renders without panicking, nothing
//! executable survives the sanitiser, every id is unique, and the ids
//! Grove generates survive sanitising (every anchor and footnote link
//! lands on an element).

use std::collections::HashSet;

use grove_shared::markdown::{excerpt, plain_text, reading_time_minutes, render, render_in_page};
use proptest::prelude::*;

use crate::html::{opening_tags, Tag};

/// Schemes the sanitiser lets through (ammonia's defaults).
const ALLOWED_SCHEMES: &[&str] = &[
    "bitcoin",
    "ftp",
    "ftps",
    "geo",
    "http",
    "https",
    "im",
    "irc",
    "ircs",
    "magnet",
    "mailto",
    "mms",
    "mx",
    "news",
    "nntp",
    "openpgp4fpr",
    "sip",
    "sms",
    "smsto",
    "ssh",
    "tel",
    "url",
    "webcal",
    "wtai",
    "xmpp",
];

/// Attributes whose value is a URL a browser may load or navigate to.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "cite",
    "action",
    "formaction",
    "poster",
    "background",
    "srcset",
    "longdesc",
    "xlink:href",
    "data",
    "codebase",
    "ping",
    "manifest",
    "usemap",
];

/// Elements that must never come out of the sanitiser.
const FORBIDDEN_TAGS: &[&str] = &[
    "script", "iframe", "object", "embed", "style", "svg", "math", "form", "base", "meta", "link",
    "frame", "frameset", "applet", "noscript", "template", "textarea", "select", "button",
];

fn text_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Intro".to_string()),
        Just("Intro 2".to_string()),
        Just("intro-2".to_string()),
        Just("Fn a".to_string()),
        Just("Fnref a".to_string()),
        Just("fnref a 2".to_string()),
        Just("Grove content".to_string()),
        Just("section".to_string()),
        Just("日本語".to_string()),
        Just("`code` & <b>bold</b>".to_string()),
        Just("word ".repeat(25)),
        "[a-zA-Z0-9 ,.!-]{0,12}",
    ]
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_string()),
        Just("A".to_string()),
        Just("a b".to_string()),
        Just("a-b".to_string()),
        Just("1".to_string()),
        Just("注".to_string()),
        Just("grove-x".to_string()),
        "[a-z0-9]{1,4}",
    ]
}

fn id_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("intro".to_string()),
        Just("intro-2".to_string()),
        Just("fn-a".to_string()),
        Just("fnref-a".to_string()),
        Just("grove-content".to_string()),
        Just("section".to_string()),
        Just("x".repeat(90)),
        Just(String::new()),
        "[a-zA-Z0-9_-]{1,6}",
    ]
}

/// Pieces of Markdown that make ids: headings, footnotes and raw HTML
/// that carries ids but no links.
fn id_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        (1..=6usize, text_piece()).prop_map(|(l, t)| format!("{} {t}\n\n", "#".repeat(l))),
        (text_piece(), "[=-]").prop_map(|(t, u)| format!("{t}\n{}\n\n", u.repeat(3))),
        label().prop_map(|l| format!("note[^{l}] ")),
        (label(), text_piece()).prop_map(|(l, t)| format!("\n\n[^{l}]: {t}\n\n")),
        (
            prop::sample::select(vec!["span", "p", "font", "div", "b", "a", "h2", "blink"]),
            prop::sample::select(vec!["id", "ID", "Id"]),
            id_value(),
        )
            .prop_map(|(tag, attr, id)| format!("<{tag} {attr}=\"{id}\">x</{tag}>\n\n")),
        text_piece().prop_map(|t| format!("{t}\n\n")),
        Just("> ## Quoted heading\n\n".to_string()),
        Just("- ## Listed heading[^a]\n- item\n\n".to_string()),
        Just("[^a]: # Heading in a note\n\n".to_string()),
        Just("> [^b]: A note in a quote[^a].\n\n".to_string()),
        Just("| h[^a] |\n|-|\n| x[^b] |\n\n".to_string()),
        Just("[^a]:\n    ## Indented heading\n\n    More[^a].\n\n".to_string()),
        Just("1. [^A]: in a list\n2. ref[^a]\n\n".to_string()),
        Just("![image[^a]](x.png) [link[^b]](https://x.test/)\n\n".to_string()),
    ]
}

fn hostile_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("javascript:alert(1)".to_string()),
        Just(" JaVaScRiPt:alert(1)".to_string()),
        Just("java\tscript:alert(1)".to_string()),
        Just("java&#x09;script:alert(1)".to_string()),
        Just("&#106;avascript:alert(1)".to_string()),
        Just("javascript&colon;alert(1)".to_string()),
        Just("vbscript:msgbox(1)".to_string()),
        Just("data:text/html,<script>alert(1)</script>".to_string()),
        Just("https://example.com/ok".to_string()),
        Just("#fn-a".to_string()),
        Just("/relative?x=1".to_string()),
        Just("alert(1)".to_string()),
        Just("position:fixed".to_string()),
        Just("text-align: center".to_string()),
        "[ -~]{0,12}",
    ]
}

/// Pieces of hostile or unusual Markdown and HTML.
fn hostile_piece() -> impl Strategy<Value = String> {
    let tag = prop::sample::select(vec![
        "script", "iframe", "object", "embed", "style", "svg", "math", "form", "input", "a", "img",
        "div", "span", "td", "base", "meta", "link", "details", "textarea", "select", "noscript",
        "template", "video", "audio", "source", "button", "table", "p", "frame", "marquee",
    ]);
    let attr = prop::sample::select(vec![
        "id",
        "onclick",
        "onerror",
        "ONLOAD",
        "href",
        "src",
        "style",
        "class",
        "type",
        "action",
        "formaction",
        "xlink:href",
        "srcset",
        "data",
        "data-x",
        "aria-hidden",
        "checked",
        "name",
        "srcdoc",
        "background",
        "poster",
        "tabindex",
        "aria-label",
    ]);
    prop_oneof![
        (
            tag.clone(),
            prop::collection::vec((attr, hostile_value()), 0..3)
        )
            .prop_map(|(tag, attrs)| {
                let attrs: String = attrs
                    .iter()
                    .map(|(a, v)| format!(" {a}=\"{}\"", v.replace('"', "&quot;")))
                    .collect();
                format!("<{tag}{attrs}>inside</{tag}>")
            }),
        tag.prop_map(|t| format!("<{t}>")),
        hostile_value().prop_map(|v| format!("[link]({v})")),
        hostile_value().prop_map(|v| format!("![img]({v})")),
        hostile_value().prop_map(|v| format!("<{v}>")),
        hostile_value().prop_map(|v| format!("[ref]\n\n[ref]: {v}\n")),
        "[a-zA-Z+#_ <>\"-]{0,12}".prop_map(|l| format!("\n```{l}\ncode <script>\n```\n")),
        Just("| a | b |\n|:-|-:|\n| 1 | 2 |\n".to_string()),
        Just("- [x] done\n- [ ] todo\n".to_string()),
        Just("1. [X] loose\n\n   - [ ] nested <input type=checkbox>\n".to_string()),
        Just("```\ncode\n```\n\n    indented\n\n<pre tabindex=\"-1\">raw</pre>\n".to_string()),
        Just("<!-- comment --><![CDATA[x]]><?php x ?>".to_string()),
        Just("&lt;script&gt; &#x3C;script&#x3E; &amp;".to_string()),
        // Ids the ledger cannot see: spelled with references.
        Just("<span id=\"int&#114;o\">x</span> <b id=\"fn&#45;a\">y</b>\n\n".to_string()),
        "[<>&\"'=\\[\\]()!#*_`~:^/\\\\ \na-z0-9-]{0,24}",
        id_piece(),
    ]
}

fn document(piece: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop::collection::vec(piece, 0..16).prop_map(|pieces| pieces.concat())
}

/// Any string at all, weighted towards Markdown's special characters.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<char>(), 0..300).prop_map(String::from_iter),
        "[\\[\\]()<>!#*_`~:^|\\\\/&;=\"' \t\na-z0-9\u{0}\u{a0}\u{2028}-]{0,300}",
    ]
}

/// Nothing executable: no forbidden element, no event handler, no style
/// but table alignment, and no URL with a scheme outside the allow-list.
fn assert_nothing_executable(html: &str, tags: &[Tag]) {
    let lower = html.to_lowercase();
    for forbidden in ["<script", "<iframe", "<object", "<embed", "<style"] {
        assert!(!lower.contains(forbidden), "{forbidden} in {html}");
    }
    for tag in tags {
        assert!(
            !FORBIDDEN_TAGS.contains(&tag.name.as_str()),
            "<{}> in {html}",
            tag.name
        );
        for (name, value) in &tag.attrs {
            assert!(!name.starts_with("on"), "{name}= in {html}");
            assert!(name != "srcdoc", "srcdoc in {html}");
            if name == "style" {
                assert!(
                    matches!(tag.name.as_str(), "td" | "th") && value.starts_with("text-align: "),
                    "style={value:?} in {html}"
                );
            }
            if URL_ATTRS.contains(&name.as_str()) {
                assert_safe_url(value, html);
            }
        }
    }
}

/// A URL is safe if, read as a browser reads it (ASCII tab and newline
/// removed, leading spaces and controls trimmed), it has no scheme or an
/// allowed one.
fn assert_safe_url(value: &str, html: &str) {
    let url: String = value
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_start_matches(|c: char| c <= ' ')
        .to_ascii_lowercase();
    for bad in ["javascript:", "vbscript:", "data:"] {
        assert!(!url.starts_with(bad), "{bad} URL {value:?} in {html}");
    }
    if let Some((scheme, _)) = url.split_once(':') {
        let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if is_scheme {
            assert!(
                ALLOWED_SCHEMES.contains(&scheme),
                "scheme {scheme:?} in {html}"
            );
        }
    }
}

fn assert_ids_unique(html: &str, tags: &[Tag]) -> HashSet<String> {
    let mut ids = HashSet::new();
    for id in tags.iter().filter_map(|t| t.attr("id")) {
        assert!(ids.insert(id.to_string()), "id {id:?} twice in {html}");
        assert!(!id.starts_with("grove-"), "page id {id:?} in {html}");
    }
    ids
}

/// What assistive technology meets: every form control is a disabled
/// task checkbox with a label, the boxes that scroll (`pre`, `table`) take
/// focus and nothing else is put in the tab order, and nothing is hidden
/// with `aria-hidden`.
fn assert_accessible(html: &str, tags: &[Tag]) {
    for tag in tags {
        assert!(tag.attr("aria-hidden").is_none(), "aria-hidden in {html}");
        match tag.name.as_str() {
            "input" => {
                assert_eq!(tag.attr("type"), Some("checkbox"), "{html}");
                assert!(tag.attr("disabled").is_some(), "{html}");
                let label = tag.attr("aria-label");
                let expected = if tag.attr("checked").is_some() {
                    "Done"
                } else {
                    "Not done"
                };
                assert_eq!(label, Some(expected), "{html}");
            }
            "pre" | "table" => assert_eq!(tag.attr("tabindex"), Some("0"), "{html}"),
            _ => assert!(
                tag.attr("tabindex").is_none(),
                "tabindex on <{}> in {html}",
                tag.name
            ),
        }
    }
}

fn check(markdown: &str) -> (String, Vec<Tag>) {
    let html = render(markdown);
    let tags = opening_tags(&html);
    assert_nothing_executable(&html, &tags);
    assert_ids_unique(&html, &tags);
    assert_accessible(&html, &tags);
    (html, tags)
}

proptest! {
    /// Any input at all: no panic in any entry point, safe and unique.
    #[test]
    fn any_text_renders_safely(markdown in any_text()) {
        check(&markdown);
        let _ = plain_text(&markdown);
        prop_assert!(reading_time_minutes(&markdown) >= 1);
        let short = excerpt(&markdown, 40);
        prop_assert!(short.chars().count() <= 41, "{short:?}");
    }

    /// Hostile HTML, links and Markdown: nothing executable survives.
    #[test]
    fn hostile_documents_render_safely(markdown in document(hostile_piece())) {
        check(&markdown);
    }

    /// Headings, footnotes and raw-HTML ids: ids are unique, stable, and
    /// every anchor and footnote link Grove writes lands on an element.
    #[test]
    fn generated_ids_are_unique_stable_and_resolve(markdown in document(id_piece())) {
        let (html, tags) = check(&markdown);
        let ids: HashSet<&str> = tags.iter().filter_map(|t| t.attr("id")).collect();
        for tag in tags.iter().filter(|t| t.name == "a") {
            if let Some(target) = tag.attr("href").and_then(|h| h.strip_prefix('#')) {
                prop_assert!(ids.contains(target), "#{target} lands nowhere in {html}");
            }
        }
        let headings = tags.iter().filter(|t| matches!(t.name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")).count();
        let anchors: Vec<&Tag> = tags.iter().filter(|t| t.attr("class") == Some("anchor")).collect();
        prop_assert!(anchors.len() <= headings);
        for anchor in anchors {
            let name = anchor.attr("aria-label").unwrap_or_default();
            prop_assert!(name.starts_with("Link to this section"), "unnamed anchor in {html}");
        }
        prop_assert_eq!(render(&markdown), html, "a re-render changed the page");
    }

    /// Rendered into a page that has ids of its own (the admin preview),
    /// the document takes none of them.
    #[test]
    fn a_document_never_takes_an_id_of_its_page(markdown in document(id_piece())) {
        let page = ["intro", "fn-a", "fnref-a", "title", "section", "x"];
        let html = render_in_page(&markdown, &page);
        let tags = opening_tags(&html);
        assert_nothing_executable(&html, &tags);
        let ids = assert_ids_unique(&html, &tags);
        for id in page {
            prop_assert!(!ids.contains(id), "page id {id:?} in {html}");
        }
    }
}
