//! `/robots.txt`: allows every crawler everything and names the sitemap,
//! unless the owner asked search engines to stay away (the blog setting
//! `discourage_search`), in which case it disallows everything.

use crate::reader_headers::Format;
use crate::site::{ReaderRoute, Rendered, Site};

/// The blog's robots.txt.
pub fn render(site: &Site) -> Rendered {
    let body = if site.info.settings.discourage_search {
        "# The owner of this blog asks search engines not to index it.\n\
         User-agent: *\nDisallow: /\n"
            .to_string()
    } else {
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}{}\n",
            site.info.canonical_origin,
            ReaderRoute::Sitemap.path()
        )
    };
    Rendered::of(Format::Text, 200, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::site_with;

    #[test]
    fn allows_all_and_names_the_sitemap() {
        let site = site_with(vec![], vec![]);
        let r = render(&site);
        assert_eq!((r.status, r.format), (200, Format::Text));
        let lines: Vec<&str> = r.html.lines().collect();
        assert!(lines.contains(&"User-agent: *") && lines.contains(&"Allow: /"));
        assert!(lines.contains(&"Sitemap: https://test.grove.place/sitemap.xml"));
        assert!(!r.html.contains("Disallow"));
    }

    #[test]
    fn the_owner_setting_disallows_everything() {
        let mut site = site_with(vec![], vec![]);
        site.info.settings.discourage_search = true;
        let r = render(&site);
        let lines: Vec<&str> = r.html.lines().collect();
        assert!(lines.contains(&"Disallow: /"));
        assert!(!lines.contains(&"Allow: /") && !r.html.contains("Sitemap:"));
    }
}
