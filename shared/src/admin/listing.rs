//! Whether a blog is listed on Grove's home page: a blog setting
//! (`listed`, `true` or `false`).
//!
//! **On by default.** A blog on Grove is public at its address from the
//! start, so listing it shows no one anything they could not already
//! read; and the home page only lists blogs that have published something
//! (a post or a page), so a new, empty blog is not listed whatever this
//! says. An owner who wants readers only through their own links turns it
//! off in Settings. The apex reads the setting straight from D1
//! (`router/src/apex.rs`), so unknown or missing values mean listed.

/// The settings key.
pub const SETTING: &str = "listed";

/// Whether a blog with this stored value is listed: anything but `false`
/// (absent included) is.
pub fn is_listed(value: Option<&str>) -> bool {
    value.map(str::trim) != Some("false")
}

/// The stored value for `listed`.
pub fn value_of(listed: bool) -> &'static str {
    if listed {
        "true"
    } else {
        "false"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_unless_the_owner_said_no() {
        assert!(is_listed(None));
        assert!(is_listed(Some("true")));
        assert!(is_listed(Some("")));
        assert!(!is_listed(Some("false")));
        assert!(!is_listed(Some(value_of(false))));
        assert!(is_listed(Some(value_of(true))));
    }
}
