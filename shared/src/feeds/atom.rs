//! Atom 1.0 (RFC 4287), written with quick-xml's `Writer`. Each entry's
//! `content` is its full HTML (`type="html"`, escaped by the writer), its
//! `summary` plain text, its tags `category` terms.

use std::io;

use quick_xml::events::{BytesDecl, Event};
use quick_xml::Writer;

use super::entry::{rfc3339, Channel};
use super::rss::text;

/// The channel as an Atom feed document.
/// `None` only if writing to memory failed, which it does not.
pub fn write(channel: &Channel) -> Option<String> {
    super::xml_string(|w| write_atom(w, channel))
}

fn write_atom(w: &mut Writer<Vec<u8>>, c: &Channel) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    w.create_element("feed")
        .with_attribute(("xmlns", "http://www.w3.org/2005/Atom"))
        .write_inner_content(|w| {
            text(w, "id", &c.id)?;
            text(w, "title", &c.title)?;
            if !c.description.is_empty() {
                text(w, "subtitle", &c.description)?;
            }
            text(w, "updated", &rfc3339(c.updated))?;
            link(w, "self", "application/atom+xml", &c.self_url)?;
            link(w, "alternate", "text/html", &c.home_url)?;
            author(w, c)?;
            text(w, "generator", "Grove")?;
            for e in &c.entries {
                w.create_element("entry").write_inner_content(|w| {
                    text(w, "id", &e.id)?;
                    text(w, "title", &e.title)?;
                    link(w, "alternate", "text/html", &e.url)?;
                    text(w, "published", &rfc3339(e.published))?;
                    text(w, "updated", &rfc3339(e.updated))?;
                    author(w, c)?;
                    for tag in &e.tags {
                        w.create_element("category")
                            .with_attribute(("term", tag.as_str()))
                            .write_empty()?;
                    }
                    text(w, "summary", &e.summary)?;
                    w.create_element("content")
                        .with_attribute(("type", "html"))
                        .write_text_content(quick_xml::events::BytesText::new(&e.html))?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(())
}

fn link(w: &mut Writer<Vec<u8>>, rel: &str, kind: &str, href: &str) -> io::Result<()> {
    w.create_element("link")
        .with_attributes([("rel", rel), ("type", kind), ("href", href)])
        .write_empty()?;
    Ok(())
}

fn author(w: &mut Writer<Vec<u8>>, c: &Channel) -> io::Result<()> {
    w.create_element("author").write_inner_content(|w| {
        text(w, "name", &c.author.name)?;
        text(w, "uri", &c.author.url)?;
        Ok(())
    })?;
    Ok(())
}
