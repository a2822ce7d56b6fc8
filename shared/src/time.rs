//! Calendar arithmetic for display. Time is always passed in (Unix ms):
//! `std::time` panics on wasm32.

/// A calendar date (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: i64,
    pub month: u32,
    pub day: u32,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// The UTC date of a Unix time in milliseconds.
    pub fn from_unix_ms(ms: i64) -> Self {
        // Howard Hinnant's civil_from_days.
        let z = ms.div_euclid(86_400_000) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date { year, month, day }
    }

    /// `2026-10-05`, for `<time datetime>`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `5 October 2026`, for readers.
    pub fn long(self) -> String {
        let month = MONTHS.get(self.month as usize - 1).copied().unwrap_or("");
        format!("{} {} {}", self.day, month, self.year)
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses an HTML `datetime-local` value (`2026-12-01T10:30`, seconds
/// optional), read as UTC, to Unix ms.
pub fn parse_datetime_local(s: &str) -> Option<i64> {
    let (date, time) = s.trim().split_once('T')?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.splitn(3, ':').map(|p| p.parse::<i64>().ok());
    let (hour, minute) = (t.next()??, t.next()??);
    let second = t
        .next()
        .map_or(Some(0), |s| s)
        .filter(|s| (0..60).contains(s))?;
    let month = u32::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
    let day = u32::try_from(day).ok().filter(|d| (1..=31).contains(d))?;
    if !(1970..=9999).contains(&year) || !(0..24).contains(&hour) || !(0..60).contains(&minute) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // Reject dates like 31 February, which would silently roll over.
    if Date::from_unix_ms(days * 86_400_000) != (Date { year, month, day }) {
        return None;
    }
    Some(((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000)
}

/// Formats Unix ms as a `datetime-local` value in UTC (`2026-12-01T10:30`).
pub fn format_datetime_local(ms: i64) -> String {
    let date = Date::from_unix_ms(ms);
    let minutes = ms.div_euclid(60_000).rem_euclid(24 * 60);
    format!("{}T{:02}:{:02}", date.iso(), minutes / 60, minutes % 60)
}

/// An HTTP date (IMF-fixdate, RFC 9110): `Mon, 30 Nov 2026 08:00:00 GMT`.
pub fn http_date(ms: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MON: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let date = Date::from_unix_ms(ms);
    let days = ms.div_euclid(86_400_000);
    let secs = ms.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        DAYS.get(days.rem_euclid(7) as usize)
            .copied()
            .unwrap_or("Thu"),
        date.day,
        MON.get(date.month as usize - 1).copied().unwrap_or("Jan"),
        date.year,
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_are_imf_fixdate() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        // 2026-11-30T08:05:09Z
        assert_eq!(
            http_date(1_796_025_909_000),
            "Mon, 30 Nov 2026 08:05:09 GMT"
        );
    }

    #[test]
    fn datetime_local_round_trips_in_utc() {
        assert_eq!(
            parse_datetime_local("2026-10-05T12:00"),
            Some(1_791_201_600_000)
        );
        assert_eq!(
            parse_datetime_local("2026-10-05T12:00:30"),
            Some(1_791_201_630_000)
        );
        assert_eq!(format_datetime_local(1_791_201_600_000), "2026-10-05T12:00");
        for bad in [
            "",
            "2026-10-05",
            "2026-02-30T10:00",
            "2026-13-01T10:00",
            "2026-10-05T24:00",
            "x-y-zTa:b",
        ] {
            assert_eq!(parse_datetime_local(bad), None, "{bad}");
        }
    }

    #[test]
    fn converts_unix_times_to_dates() {
        assert_eq!(Date::from_unix_ms(0).iso(), "1970-01-01");
        // 2026-10-05T12:00:00Z
        assert_eq!(Date::from_unix_ms(1_791_201_600_000).iso(), "2026-10-05");
        assert_eq!(
            Date::from_unix_ms(1_791_201_600_000).long(),
            "5 October 2026"
        );
        // 2024-02-29 (leap day)
        assert_eq!(Date::from_unix_ms(1_709_164_800_000).iso(), "2024-02-29");
        assert_eq!(Date::from_unix_ms(-86_400_000).iso(), "1969-12-31");
    }
}
