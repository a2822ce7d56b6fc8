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

#[cfg(test)]
mod tests {
    use super::*;

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
