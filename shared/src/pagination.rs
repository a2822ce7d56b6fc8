//! Pagination of post lists: `?page=N`, 1-based.

use std::ops::Range;

use thiserror::Error;

/// Posts per list page.
pub const POSTS_PER_PAGE: usize = 5;

/// A `page` query parameter that is not a page number.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("page must be a whole number from 1 up")]
pub struct BadPageNumber;

/// Reads `page` from a query string; absent means page 1.
pub fn page_from_query(query: Option<&str>) -> Result<usize, BadPageNumber> {
    let Some(query) = query else { return Ok(1) };
    let mut page = 1;
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key == "page" {
            page = value
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=1_000_000).contains(n))
                .ok_or(BadPageNumber)?;
        }
    }
    Ok(page)
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSlice {
    pub page: usize,
    pub total_pages: usize,
    /// Indexes into the full list.
    pub items: Range<usize>,
}

impl PageSlice {
    pub fn has_newer(&self) -> bool {
        self.page > 1
    }
    pub fn has_older(&self) -> bool {
        self.page < self.total_pages
    }
}

/// The slice for `page`, or `None` past the last page. An empty list has one (empty) page.
pub fn paginate(total_items: usize, page: usize, per_page: usize) -> Option<PageSlice> {
    let per_page = per_page.max(1);
    let total_pages = total_items.div_ceil(per_page).max(1);
    if page == 0 || page > total_pages {
        return None;
    }
    let start = (page - 1) * per_page;
    Some(PageSlice {
        page,
        total_pages,
        items: start..(start + per_page).min(total_items),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_page_numbers() {
        assert_eq!(page_from_query(None), Ok(1));
        assert_eq!(page_from_query(Some("")), Ok(1));
        assert_eq!(page_from_query(Some("page=3")), Ok(3));
        assert_eq!(page_from_query(Some("utm=x&page=2")), Ok(2));
        for bad in [
            "page=0",
            "page=-1",
            "page=abc",
            "page=",
            "page=1.5",
            "page=99999999999999999999",
        ] {
            assert_eq!(page_from_query(Some(bad)), Err(BadPageNumber), "{bad}");
        }
    }

    #[test]
    fn slices_lists() {
        assert_eq!(
            paginate(7, 1, 5),
            Some(PageSlice {
                page: 1,
                total_pages: 2,
                items: 0..5
            })
        );
        assert_eq!(
            paginate(7, 2, 5),
            Some(PageSlice {
                page: 2,
                total_pages: 2,
                items: 5..7
            })
        );
        assert_eq!(paginate(7, 3, 5), None);
        assert_eq!(
            paginate(0, 1, 5),
            Some(PageSlice {
                page: 1,
                total_pages: 1,
                items: 0..0
            })
        );
        assert_eq!(
            paginate(10, 2, 5).map(|s| (s.has_newer(), s.has_older())),
            Some((true, false))
        );
    }
}
