//! The writer's time zone: a blog setting (an IANA name such as
//! `Europe/Berlin`, or empty for UTC), used to show and read the editor's
//! `datetime-local` field. Times are stored as UTC (Unix ms) everywhere;
//! only the admin's input and display are local.
//!
//! The tz database is built into the binary (`jiff`'s bundled copy): a
//! Worker has no system zoneinfo.

use jiff::tz::{self, TimeZone};
use jiff::Timestamp;

use crate::time::{format_datetime_local, parse_datetime_local, Date};

/// The settings key that holds the zone's name.
pub const SETTING: &str = "time_zone";

/// A valid writer's zone: UTC, or a zone of the tz database.
#[derive(Debug, Clone)]
pub struct WriterZone {
    /// `None` for UTC.
    name: Option<String>,
    tz: TimeZone,
}

impl PartialEq for WriterZone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl WriterZone {
    pub fn utc() -> Self {
        WriterZone {
            name: None,
            tz: TimeZone::UTC,
        }
    }

    /// A zone by its IANA name; empty or `UTC` is UTC. `None` if unknown.
    pub fn parse(name: &str) -> Option<Self> {
        let name = name.trim();
        if name.is_empty() || name.eq_ignore_ascii_case("utc") {
            return Some(WriterZone::utc());
        }
        // Names are short ASCII; refuse anything else before a lookup.
        if name.len() > 64
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'+'))
        {
            return None;
        }
        let tz = tz::db().get(name).ok()?;
        let canonical = tz.iana_name().unwrap_or(name).to_string();
        Some(WriterZone {
            name: Some(canonical),
            tz,
        })
    }

    /// The zone stored in a blog's settings; UTC when unset or unknown.
    pub fn from_setting(value: Option<&str>) -> Self {
        value.and_then(Self::parse).unwrap_or_else(Self::utc)
    }

    /// The name as stored and shown: `UTC`, or the IANA name.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("UTC")
    }

    /// The value kept in settings: empty for UTC.
    pub fn setting_value(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }

    /// Unix ms as a `datetime-local` value in this zone (`2026-12-01T10:30`).
    pub fn format_local(&self, ms: i64) -> String {
        match self.wall_clock_ms(ms) {
            Some(local) => format_datetime_local(local),
            None => format_datetime_local(ms),
        }
    }

    /// The wall-clock time of `ms` in this zone, as Unix ms of that civil
    /// time read as UTC (a device for reusing the UTC calendar code).
    fn wall_clock_ms(&self, ms: i64) -> Option<i64> {
        let ts = Timestamp::from_millisecond(ms).ok()?;
        let civil = self.tz.to_datetime(ts);
        let as_utc = TimeZone::UTC
            .to_ambiguous_timestamp(civil)
            .compatible()
            .ok()?;
        Some(as_utc.as_millisecond())
    }

    /// Reads a `datetime-local` value typed in this zone, to Unix ms
    /// (UTC). A time skipped by a clock change moves forward by the gap;
    /// a repeated one takes the earlier instant. `None` if not a date-time.
    pub fn parse_local(&self, s: &str) -> Option<i64> {
        let as_utc = parse_datetime_local(s)?;
        let civil = TimeZone::UTC.to_datetime(Timestamp::from_millisecond(as_utc).ok()?);
        let ts = self.tz.to_ambiguous_timestamp(civil).compatible().ok()?;
        Some(ts.as_millisecond())
    }

    /// `5 October 2026, 13:30 Europe/Berlin`: a moment for the writer.
    pub fn long(&self, ms: i64) -> String {
        let local = self.wall_clock_ms(ms).unwrap_or(ms);
        let hhmm = format_datetime_local(local);
        let hhmm = hhmm.split_once('T').map_or("", |(_, t)| t).to_string();
        format!(
            "{}, {hhmm} {}",
            Date::from_unix_ms(local).long(),
            self.name()
        )
    }
}

/// Validates a settings value: a known zone (stored by its canonical
/// name) or empty (UTC).
pub fn check_setting(
    value: &str,
    rows: &mut Vec<(String, String)>,
    errors: &mut Vec<crate::admin::errors::FieldError>,
) {
    match WriterZone::parse(value) {
        Some(zone) => rows.push((SETTING.to_string(), zone.setting_value().to_string())),
        None => errors.push(crate::admin::errors::FieldError::new(
            SETTING,
            "Choose one of the listed time zones.",
        )),
    }
}

/// Every zone name a writer can choose, sorted (UTC first).
pub fn names() -> Vec<String> {
    let mut names: Vec<String> = tz::db()
        .available()
        .map(|n| n.as_str().to_string())
        .filter(|n| n.contains('/') && !n.starts_with("Etc/") && !n.starts_with("SystemV/"))
        .collect();
    names.sort();
    names.dedup();
    names.insert(0, "UTC".to_string());
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-10-05T12:00:00Z
    const OCT5_NOON: i64 = 1_791_201_600_000;

    #[test]
    fn utc_is_the_default_and_unknown_names_are_refused() {
        assert_eq!(
            WriterZone::parse("").map(|z| z.name().to_string()),
            Some("UTC".into())
        );
        assert_eq!(WriterZone::from_setting(None), WriterZone::utc());
        assert_eq!(
            WriterZone::from_setting(Some("Mars/Olympus")),
            WriterZone::utc()
        );
        assert!(WriterZone::parse("Mars/Olympus").is_none());
        assert!(WriterZone::parse("../../etc/passwd").is_none());
        assert!(WriterZone::parse("Europe/Berlin\"><b>").is_none());
        let berlin = WriterZone::parse("Europe/Berlin").unwrap();
        assert_eq!(
            (berlin.name(), berlin.setting_value()),
            ("Europe/Berlin", "Europe/Berlin")
        );
        assert_eq!(WriterZone::utc().setting_value(), "");
    }

    #[test]
    fn local_input_round_trips_through_utc() {
        let berlin = WriterZone::parse("Europe/Berlin").unwrap();
        // Summer time: UTC+2.
        assert_eq!(berlin.format_local(OCT5_NOON), "2026-10-05T14:00");
        assert_eq!(berlin.parse_local("2026-10-05T14:00"), Some(OCT5_NOON));
        assert_eq!(
            berlin.long(OCT5_NOON),
            "5 October 2026, 14:00 Europe/Berlin"
        );
        let ny = WriterZone::parse("America/New_York").unwrap();
        assert_eq!(ny.format_local(OCT5_NOON), "2026-10-05T08:00");
        assert_eq!(ny.parse_local("2026-10-05T08:00"), Some(OCT5_NOON));
        let utc = WriterZone::utc();
        assert_eq!(utc.format_local(OCT5_NOON), "2026-10-05T12:00");
        assert_eq!(utc.parse_local("2026-10-05T12:00"), Some(OCT5_NOON));
        assert_eq!(utc.long(OCT5_NOON), "5 October 2026, 12:00 UTC");
        assert_eq!(berlin.parse_local("tomorrow"), None);
    }

    #[test]
    fn clock_changes_have_one_answer() {
        let berlin = WriterZone::parse("Europe/Berlin").unwrap();
        // 29 March 2026, 02:30 does not exist in Berlin: it reads as 03:30 CEST.
        let gap = berlin.parse_local("2026-03-29T02:30").unwrap();
        assert_eq!(berlin.format_local(gap), "2026-03-29T03:30");
        // 25 October 2026, 02:30 happens twice: the first (CEST, UTC+2).
        let fold = berlin.parse_local("2026-10-25T02:30").unwrap();
        assert_eq!(
            fold,
            berlin.parse_local("2026-10-25T01:30").unwrap() + 3_600_000
        );
        assert_eq!(berlin.format_local(fold), "2026-10-25T02:30");
    }

    #[test]
    fn settings_keep_a_known_zone_or_utc() {
        let (mut rows, mut errors) = (vec![], vec![]);
        check_setting(" Europe/Berlin ", &mut rows, &mut errors);
        check_setting("UTC", &mut rows, &mut errors);
        assert_eq!(
            rows,
            vec![
                (SETTING.to_string(), "Europe/Berlin".to_string()),
                (SETTING.to_string(), String::new())
            ]
        );
        check_setting("Nowhere/Land", &mut rows, &mut errors);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, SETTING);
    }

    #[test]
    fn the_list_has_the_common_zones() {
        let names = names();
        assert_eq!(names[0], "UTC");
        for n in [
            "Europe/Berlin",
            "America/New_York",
            "Asia/Tokyo",
            "Australia/Sydney",
        ] {
            assert!(names.iter().any(|x| x == n), "{n}");
        }
        assert!(names.len() > 300);
    }
}
