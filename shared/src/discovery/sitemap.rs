//! `/sitemap.xml`: every page a reader can find (home, the blog list,
//! each published post and page, each tag page), with when it last
//! changed, written with an XML writer (never by concatenating strings).
//!
//! The sitemaps protocol allows 50,000 URLs in one file. Past that,
//! `/sitemap.xml` becomes a sitemap index naming `/sitemap-1.xml`,
//! `/sitemap-2.xml`, …, each holding up to 50,000 URLs in the same order.

use std::io;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use super::w3c_datetime;
use crate::reader_headers::Format;
use crate::site::{ReaderRoute, Rendered, Site};

/// URLs one sitemap file may hold (the sitemaps protocol's limit).
pub const MAX_URLS: usize = 50_000;
/// The namespace of both sitemaps and sitemap indexes.
const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// One URL of the sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The canonical path (the site's origin is added when written).
    pub path: String,
    /// When its content last changed (Unix ms), if known.
    pub modified: Option<i64>,
}

/// Every URL of the site, in a stable order: home, the blog list, posts
/// (newest first), pages (in navigation order), tag pages (by tag).
pub fn entries(site: &Site) -> Vec<Entry> {
    let newest = site.posts().iter().map(|p| p.updated_at).max();
    let mut out = vec![
        Entry {
            path: ReaderRoute::Home.path(),
            modified: newest,
        },
        Entry {
            path: ReaderRoute::Blog { page: 1 }.path(),
            modified: newest,
        },
    ];
    out.extend(site.posts().iter().map(|p| Entry {
        path: ReaderRoute::Post(p.slug.clone()).path(),
        modified: Some(p.updated_at),
    }));
    out.extend(site.pages().iter().map(|p| Entry {
        path: ReaderRoute::Page(p.slug.clone()).path(),
        modified: Some(p.updated_at),
    }));
    for tag in site.tags() {
        out.push(Entry {
            path: ReaderRoute::Tag {
                tag: tag.to_string(),
                page: 1,
            }
            .path(),
            modified: site.tagged(tag).map(|p| p.updated_at).max(),
        });
    }
    out
}

/// Number of `/sitemap-N.xml` files: 0 while one `/sitemap.xml` holds
/// every URL.
pub fn part_count(site: &Site) -> usize {
    parts_of(url_count(site), MAX_URLS)
}

fn url_count(site: &Site) -> usize {
    2 + site.posts().len() + site.pages().len() + site.tags().len()
}

fn parts_of(urls: usize, limit: usize) -> usize {
    if urls <= limit {
        0
    } else {
        urls.div_ceil(limit)
    }
}

/// `/sitemap.xml`: every URL, or past [`MAX_URLS`] an index of the parts.
pub fn render_sitemap(site: &Site) -> Rendered {
    render_with_limit(site, None, MAX_URLS)
}

/// `/sitemap-{part}.xml` (1-based); a 404 when the sitemap is not split
/// or has no such part.
pub fn render_part(site: &Site, part: usize) -> Rendered {
    render_with_limit(site, Some(part), MAX_URLS)
}

fn render_with_limit(site: &Site, part: Option<usize>, limit: usize) -> Rendered {
    let all = entries(site);
    let parts = parts_of(all.len(), limit);
    let origin = &site.info.canonical_origin;
    let written = match part {
        None if parts == 0 => urlset(origin, &all),
        None => index(origin, &all, parts, limit),
        Some(n) if (1..=parts).contains(&n) => {
            let start = (n - 1) * limit;
            urlset(origin, &all[start..all.len().min(start + limit)])
        }
        Some(_) => return site.render_not_found(),
    };
    match written {
        Ok(xml) => Rendered::of(Format::Xml, 200, xml),
        // Writing to memory fails only if the bytes were not UTF-8, which
        // every input here is.
        Err(_) => site.render_not_found(),
    }
}

fn document(body: impl FnOnce(&mut Writer<Vec<u8>>) -> io::Result<()>) -> io::Result<String> {
    let mut writer = Writer::new(Vec::new());
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    body(&mut writer)?;
    String::from_utf8(writer.into_inner()).map_err(io::Error::other)
}

fn text_element(w: &mut Writer<Vec<u8>>, name: &str, text: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(text))?;
    Ok(())
}

fn urlset(origin: &str, entries: &[Entry]) -> io::Result<String> {
    document(|w| {
        w.create_element("urlset")
            .with_attribute(("xmlns", NS))
            .write_inner_content(|w| {
                for e in entries {
                    w.create_element("url").write_inner_content(|w| {
                        text_element(w, "loc", &format!("{origin}{}", e.path))?;
                        if let Some(at) = e.modified.filter(|at| *at > 0) {
                            text_element(w, "lastmod", &w3c_datetime(at))?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        Ok(())
    })
}

fn index(origin: &str, entries: &[Entry], parts: usize, limit: usize) -> io::Result<String> {
    document(|w| {
        w.create_element("sitemapindex")
            .with_attribute(("xmlns", NS))
            .write_inner_content(|w| {
                for (i, chunk) in entries.chunks(limit).take(parts).enumerate() {
                    w.create_element("sitemap").write_inner_content(|w| {
                        let path = ReaderRoute::SitemapPart(i + 1).path();
                        text_element(w, "loc", &format!("{origin}{path}"))?;
                        if let Some(at) = chunk.iter().filter_map(|e| e.modified).max() {
                            text_element(w, "lastmod", &w3c_datetime(at))?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Post, PostStatus};
    use crate::test_support::{page, post, site_with};
    use quick_xml::events::Event as XmlEvent;
    use quick_xml::Reader;

    /// The text of every `<name>` element, read back with an XML parser.
    fn texts(xml: &str, name: &str) -> Vec<String> {
        let mut reader = Reader::from_str(xml);
        let mut out = Vec::new();
        let mut text: Option<String> = None;
        loop {
            match reader.read_event().unwrap() {
                XmlEvent::Start(e) if e.name().as_ref() == name => text = Some(String::new()),
                XmlEvent::Text(t) => {
                    if let Some(text) = text.as_mut() {
                        text.push_str(&t.into_inner());
                    }
                }
                XmlEvent::GeneralRef(r) => {
                    let c = match r.into_inner().as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("unexpected entity {other}"),
                    };
                    if let Some(text) = text.as_mut() {
                        text.push_str(c);
                    }
                }
                XmlEvent::End(e) if e.name().as_ref() == name => out.extend(text.take()),
                XmlEvent::Eof => break,
                _ => {}
            }
        }
        out
    }

    fn tagged(slug: &str, at: i64, tags: &[&str]) -> Post {
        let mut p = post(slug, PostStatus::Published, Some(at));
        p.tags = tags.iter().map(|t| t.to_string()).collect();
        p
    }

    #[test]
    fn lists_every_published_post_page_and_tag_page_with_lastmod() {
        let mut pg = page("about", 1, true);
        pg.updated_at = 86_400_000;
        let site = site_with(
            vec![
                tagged("first", 100, &["rust", "café"]),
                tagged("second", 200, &["rust"]),
                post("draft", PostStatus::Draft, None),
                post("future", PostStatus::Published, Some(10_000)),
            ],
            vec![pg],
        );
        let r = render_sitemap(&site);
        assert_eq!((r.status, r.format), (200, Format::Xml));
        assert!(r
            .html
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(r
            .html
            .contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
        let o = "https://test.grove.place";
        assert_eq!(
            texts(&r.html, "loc"),
            vec![
                format!("{o}/"),
                format!("{o}/blog"),
                format!("{o}/blog/second"),
                format!("{o}/blog/first"),
                format!("{o}/about"),
                format!("{o}/tags/caf%C3%A9"),
                format!("{o}/tags/rust"),
            ]
        );
        let lastmods = texts(&r.html, "lastmod");
        assert_eq!(lastmods.len(), 7, "{lastmods:?}");
        assert_eq!(lastmods[4], "1970-01-02T00:00:00Z", "the page's own time");
        assert!(!r.html.contains("draft") && !r.html.contains("future"));
        assert_eq!(render_part(&site, 1).status, 404, "no parts while it fits");
    }

    #[test]
    fn an_empty_blog_still_has_a_valid_sitemap() {
        let site = site_with(vec![], vec![]);
        let r = render_sitemap(&site);
        assert_eq!(texts(&r.html, "loc").len(), 2);
        assert!(
            texts(&r.html, "lastmod").is_empty(),
            "nothing published: no date"
        );
    }

    #[test]
    fn past_the_limit_the_sitemap_is_an_index_of_parts_holding_every_url() {
        let posts: Vec<Post> = (0..7)
            .map(|i| tagged(&format!("p{i}"), 100 + i, &[]))
            .collect();
        let site = site_with(posts, vec![]);
        // 2 + 7 URLs, 4 per file: 3 parts.
        let index = render_with_limit(&site, None, 4);
        assert!(index.html.contains("<sitemapindex xmlns="));
        let o = "https://test.grove.place";
        assert_eq!(
            texts(&index.html, "loc"),
            (1..=3)
                .map(|n| format!("{o}/sitemap-{n}.xml"))
                .collect::<Vec<_>>()
        );
        let mut all = Vec::new();
        for n in 1..=3 {
            let part = render_with_limit(&site, Some(n), 4);
            assert_eq!(part.status, 200);
            let locs = texts(&part.html, "loc");
            assert!(locs.len() <= 4);
            all.extend(locs);
        }
        let whole: Vec<String> = entries(&site)
            .iter()
            .map(|e| format!("{o}{}", e.path))
            .collect();
        assert_eq!(all, whole, "the parts hold every URL once, in order");
        assert_eq!(render_with_limit(&site, Some(4), 4).status, 404);
        assert_eq!(render_with_limit(&site, Some(0), 4).status, 404);
    }

    #[test]
    fn a_site_of_more_than_fifty_thousand_urls_is_split() {
        let posts: Vec<Post> = (0..MAX_URLS as i64)
            .map(|i| tagged(&format!("post-{i}"), 1 + i % 900, &[]))
            .collect();
        let site = site_with(posts, vec![page("about", 1, true)]);
        assert_eq!(url_count(&site), MAX_URLS + 3);
        assert_eq!(part_count(&site), 2);
        let index = render_sitemap(&site);
        assert_eq!(texts(&index.html, "loc").len(), 2);
        let first = render_part(&site, 1);
        let second = render_part(&site, 2);
        assert_eq!(texts(&first.html, "loc").len(), MAX_URLS);
        let tail: Vec<String> = entries(&site)[MAX_URLS..]
            .iter()
            .map(|e| format!("https://test.grove.place{}", e.path))
            .collect();
        assert_eq!(texts(&second.html, "loc"), tail);
        assert_eq!(tail.len(), 3);
        assert!(tail.ends_with(&["https://test.grove.place/about".to_string()]));
        assert_eq!(render_part(&site, 3).status, 404);
    }

    #[test]
    fn urls_are_escaped_by_the_writer() {
        let mut info_site = site_with(vec![tagged("a", 100, &[])], vec![]);
        info_site.info.canonical_origin = "https://x.test/?a=1&b=<2>".into();
        let r = render_sitemap(&info_site);
        assert!(r.html.contains("a=1&amp;b=&lt;2&gt;"), "{}", r.html);
        assert!(texts(&r.html, "loc")[0].starts_with("https://x.test/?a=1&b=<2>"));
    }
}
