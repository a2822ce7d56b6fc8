//! RSS 2.0, written with quick-xml's `Writer` (every text and attribute
//! escaped by it). An item's `description` is its plain-text summary and
//! `content:encoded` its full HTML; the `guid` is the stable id, so
//! `isPermaLink="false"`; the author is `dc:creator` (RSS's own `author`
//! must be an email address, which Grove does not publish).

use std::io;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use super::entry::{rfc822, Channel};

/// The channel as an RSS 2.0 document.
/// `None` only if writing to memory failed, which it does not.
pub fn write(channel: &Channel) -> Option<String> {
    super::xml_string(|w| write_rss(w, channel))
}

fn write_rss(w: &mut Writer<Vec<u8>>, c: &Channel) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    w.create_element("rss")
        .with_attributes([
            ("version", "2.0"),
            ("xmlns:atom", "http://www.w3.org/2005/Atom"),
            ("xmlns:content", "http://purl.org/rss/1.0/modules/content/"),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
        ])
        .write_inner_content(|w| {
            w.create_element("channel").write_inner_content(|w| {
                text(w, "title", &c.title)?;
                text(w, "link", &c.home_url)?;
                // Required: a blog without a description repeats its title.
                let description = if c.description.is_empty() {
                    &c.title
                } else {
                    &c.description
                };
                text(w, "description", description)?;
                w.create_element("atom:link")
                    .with_attributes([
                        ("href", c.self_url.as_str()),
                        ("rel", "self"),
                        ("type", "application/rss+xml"),
                    ])
                    .write_empty()?;
                if c.updated > 0 {
                    text(w, "lastBuildDate", &rfc822(c.updated))?;
                }
                text(w, "generator", "Grove")?;
                for e in &c.entries {
                    w.create_element("item").write_inner_content(|w| {
                        text(w, "title", &e.title)?;
                        text(w, "link", &e.url)?;
                        w.create_element("guid")
                            .with_attribute(("isPermaLink", "false"))
                            .write_text_content(BytesText::new(&e.id))?;
                        text(w, "pubDate", &rfc822(e.published))?;
                        text(w, "dc:creator", &c.author.name)?;
                        for tag in &e.tags {
                            text(w, "category", tag)?;
                        }
                        text(w, "description", &e.summary)?;
                        text(w, "content:encoded", &e.html)?;
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
            Ok(())
        })?;
    Ok(())
}

/// `<name>value</name>`, the value escaped.
pub(super) fn text(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}
