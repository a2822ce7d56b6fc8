//! The actor's timing decisions, pure: how long the edge may keep a page,
//! and when the actor's alarm must next fire.

/// The edge cache's lifetime for a page (the staleness bound elsewhere).
pub const EDGE_TTL_SECS: i64 = 60;
/// Retry delay of a scheduled publish that could not be written.
pub const ALARM_RETRY_MS: i64 = 5_000;

/// How long the edge may keep the page at `path`: [`EDGE_TTL_SECS`], but
/// lists (which a scheduled post joins) never past the next scheduled
/// publish, so no alarm has to purge the edge.
pub fn edge_ttl(path: &str, next_scheduled: Option<i64>, now: i64) -> i64 {
    let is_list = path == "/" || path.trim_end_matches('/') == "/blog";
    match next_scheduled {
        Some(at) if is_list => ((at - now) / 1000).clamp(0, EDGE_TTL_SECS),
        _ => EDGE_TTL_SECS,
    }
}

/// When the alarm must fire: the earlier of the next scheduled post and
/// the next view flush, or never.
pub fn next_alarm(next_scheduled: Option<i64>, views_flush_at: Option<i64>) -> Option<i64> {
    match (next_scheduled, views_flush_at) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_kept_at_the_edge_no_later_than_the_next_publish() {
        let now = 1_000_000;
        assert_eq!(edge_ttl("/blog/post", Some(now + 5_000), now), 60);
        assert_eq!(edge_ttl("/", Some(now + 5_000), now), 5);
        assert_eq!(edge_ttl("/blog/", Some(now + 5_000), now), 5);
        assert_eq!(edge_ttl("/blog", Some(now + 600_000), now), 60);
        assert_eq!(
            edge_ttl("/blog", Some(now - 1), now),
            0,
            "overdue: not kept"
        );
        assert_eq!(edge_ttl("/", None, now), 60);
    }

    #[test]
    fn the_alarm_fires_for_whichever_comes_first() {
        assert_eq!(next_alarm(Some(5), Some(3)), Some(3));
        assert_eq!(next_alarm(Some(5), None), Some(5));
        assert_eq!(next_alarm(None, Some(7)), Some(7));
        assert_eq!(next_alarm(None, None), None);
    }
}
