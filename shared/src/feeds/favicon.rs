//! Icons: each blog's favicon, the blog's initial on a rounded square of
//! its accent colour (an SVG written with quick-xml's `Writer`), and the
//! platform's own for the hosts that are no blog (apex, auth).
//!
//! A blog serves its icon at `/favicon.svg` (linked from every page's
//! head) and at `/favicon.ico`, which browsers ask for on their own: the
//! same SVG with its SVG type, which browsers display whatever the name.
//! Both are reader pages ([`crate::site::ReaderRoute::Favicon`]): rendered
//! by a settings write (title, accent), kept at the edge, 0 D1 reads.

use std::io;

use quick_xml::Writer;

use crate::reader_headers::Format;
use crate::site::{ReaderRoute, Rendered};
use crate::theme::{contrast_ratio, Rgb, SiteSettings};

/// The icon a page's head links to.
pub const SVG_PATH: &str = "/favicon.svg";
/// The path browsers ask for without being told.
pub const ICO_PATH: &str = "/favicon.ico";

/// The platform's icon colour (the meadow theme's green).
const PLATFORM_ACCENT: &str = "#2f7d4a";

/// One of the two paths of a blog's icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IconPath {
    Svg,
    Ico,
}

impl IconPath {
    pub const ALL: [IconPath; 2] = [IconPath::Svg, IconPath::Ico];

    pub fn path(self) -> &'static str {
        match self {
            IconPath::Svg => SVG_PATH,
            IconPath::Ico => ICO_PATH,
        }
    }

    /// The icon a file name at the root names (`favicon.svg`, `favicon.ico`).
    pub fn of_file(file: &str) -> Option<IconPath> {
        IconPath::ALL
            .into_iter()
            .find(|i| i.path().strip_prefix('/') == Some(file))
    }

    /// The icon a request path names (exactly; icons take no query).
    pub fn of_path(path: &str) -> Option<IconPath> {
        IconPath::ALL.into_iter().find(|i| i.path() == path)
    }

    /// Its cache key: `icon:svg`, `icon:ico`.
    pub fn cache_key(self) -> String {
        match self {
            IconPath::Svg => "icon:svg".into(),
            IconPath::Ico => "icon:ico".into(),
        }
    }

    /// The route a cache key names (the part after `icon:`).
    pub fn from_key(rest: &str) -> Option<ReaderRoute> {
        IconPath::ALL
            .into_iter()
            .find(|i| i.cache_key().strip_prefix("icon:") == Some(rest))
            .map(ReaderRoute::Favicon)
    }
}

/// The keys of a blog's icon pages.
pub fn keys() -> impl Iterator<Item = String> {
    IconPath::ALL.into_iter().map(IconPath::cache_key)
}

/// A blog's icon as a reader page.
pub fn render(settings: &SiteSettings) -> Rendered {
    Rendered::of(Format::Svg, 200, blog_icon(settings))
}

/// The blog's icon: its initial on its accent colour.
pub fn blog_icon(settings: &SiteSettings) -> String {
    icon(&initial(&settings.title), settings.accent())
}

/// The platform's icon, for the hosts that are not a blog.
pub fn platform_icon() -> String {
    icon("G", PLATFORM_ACCENT)
}

/// The first letter or digit of a title, upper-cased; `G` for none.
pub fn initial(title: &str) -> String {
    title
        .chars()
        .find(|c| c.is_alphanumeric())
        .map_or_else(|| "G".to_string(), |c| c.to_uppercase().collect())
}

/// The colour of the letter: white or near-black, whichever reads better
/// on the accent.
fn ink(accent: &str) -> &'static str {
    let Some(bg) = Rgb::from_hex(accent) else {
        return "#ffffff";
    };
    let (white, dark) = (Rgb(255, 255, 255), Rgb(17, 17, 17));
    if contrast_ratio(white, bg) >= contrast_ratio(dark, bg) {
        "#ffffff"
    } else {
        "#111111"
    }
}

fn icon(letter: &str, accent: &str) -> String {
    super::xml_string(|w| write_icon(w, letter, accent)).unwrap_or_default()
}

fn write_icon(w: &mut Writer<Vec<u8>>, letter: &str, accent: &str) -> io::Result<()> {
    w.create_element("svg")
        .with_attributes([
            ("xmlns", "http://www.w3.org/2000/svg"),
            ("viewBox", "0 0 64 64"),
            ("width", "64"),
            ("height", "64"),
        ])
        .write_inner_content(|w| {
            w.create_element("rect")
                .with_attributes([
                    ("width", "64"),
                    ("height", "64"),
                    ("rx", "14"),
                    ("fill", accent),
                ])
                .write_empty()?;
            w.create_element("text")
                .with_attributes([
                    ("x", "32"),
                    ("y", "45"),
                    ("text-anchor", "middle"),
                    (
                        "font-family",
                        "system-ui, -apple-system, Segoe UI, sans-serif",
                    ),
                    ("font-size", "38"),
                    ("font-weight", "700"),
                    ("fill", ink(accent)),
                ])
                .write_text_content(quick_xml::events::BytesText::new(letter))?;
            Ok(())
        })?;
    Ok(())
}
