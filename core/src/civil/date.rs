//! A calendar date, `YYYY-MM-DD`, read strictly and written without
//! chrono's format machinery.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// The prefix of a serde error message for a malformed date or time, by
/// which the reader gives it the code `invalid_date`.
pub(crate) const INVALID_DATE: &str = "invalid_date: ";

/// The months' names, January first.
pub(crate) const MONTH_NAMES: [&str; 12] = [
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

/// A calendar date (`YYYY-MM-DD`), between the years 1900 and 2200.
///
/// Parsed strictly: `2025-02-30`, `2025-2-3` and year 0 are rejected with the
/// `invalid_date` code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    /// Earliest year accepted.
    pub const MIN_YEAR: i32 = 1900;
    /// Latest year accepted.
    pub const MAX_YEAR: i32 = 2200;

    /// Parses `YYYY-MM-DD`. A failure's message names the expected form,
    /// never the text (a date of birth is personal data).
    pub fn parse(s: &str) -> Result<Date, String> {
        let b = s.as_bytes();
        let shaped = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shaped {
            return Err("not a date in the form YYYY-MM-DD".into());
        }
        // Shaped above, so the fields are digits: no format parser needed
        // (chrono's strftime parser is large in the WebAssembly build).
        let number =
            |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0'));
        let date = i32::try_from(number(0..4))
            .ok()
            .and_then(|year| NaiveDate::from_ymd_opt(year, number(5..7), number(8..10)))
            .ok_or_else(|| String::from("not a real calendar date; expected YYYY-MM-DD"))?;
        if !(Self::MIN_YEAR..=Self::MAX_YEAR).contains(&date.year()) {
            return Err(format!(
                "a year outside {}-{}; expected YYYY-MM-DD",
                Self::MIN_YEAR,
                Self::MAX_YEAR
            ));
        }
        Ok(Date(date))
    }

    /// Whole years from `self` (a date of birth) to `on`: a birthday on `on`
    /// counts, and someone born on 29 February turns a year older on 1 March
    /// in a common year. `None` if `on` is before `self`.
    pub fn whole_years_until(self, on: Date) -> Option<u32> {
        let (born, on) = (self.0, on.0);
        if on < born {
            return None;
        }
        let mut years = on.year() - born.year();
        if (on.month(), on.day()) < (born.month(), born.day()) {
            years -= 1;
        }
        u32::try_from(years).ok()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_date(f, self.0)
    }
}

/// `YYYY-MM-DD`, as chrono's `%Y-%m-%d` writes it (a year outside
/// 0..=9999 gets a sign), without chrono's format machinery.
pub(crate) fn write_date(f: &mut fmt::Formatter<'_>, d: NaiveDate) -> fmt::Result {
    let year = d.year();
    if (0..=9999).contains(&year) {
        write!(f, "{year:04}")?;
    } else {
        write!(f, "{year:+05}")?;
    }
    write!(f, "-{:02}-{:02}", d.month(), d.day())
}

serde_as_text!(
    Date,
    description = "A calendar day, `YYYY-MM-DD`.",
    pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    format = "date"
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Parsing and writing by hand agree with chrono's `%Y-%m-%d`
        /// (which they replace), on real and impossible dates alike.
        #[test]
        fn dates_read_and_write_as_chrono_does(y in 0u32..10000, m in 0u32..14, day in 0u32..33) {
            let text = format!("{y:04}-{m:02}-{day:02}");
            let chrono = NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .ok()
                .filter(|d| (Date::MIN_YEAR..=Date::MAX_YEAR).contains(&d.year()));
            let ours = Date::parse(&text).ok();
            prop_assert_eq!(ours.map(|d| d.0), chrono);
            if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m.max(1), day.max(1)) {
                prop_assert_eq!(Date(date).to_string(), date.format("%Y-%m-%d").to_string());
            }
        }
    }

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn birthday_on_the_day_counts() {
        assert_eq!(d("2008-03-14").whole_years_until(d("2026-03-14")), Some(18));
        assert_eq!(d("2008-03-14").whole_years_until(d("2026-03-13")), Some(17));
    }

    #[test]
    fn leap_day_birthday_turns_on_first_of_march() {
        assert_eq!(d("2008-02-29").whole_years_until(d("2026-02-28")), Some(17));
        assert_eq!(d("2008-02-29").whole_years_until(d("2026-03-01")), Some(18));
    }

    #[test]
    fn strict_dates() {
        assert!(Date::parse("2025-02-30").is_err());
        assert!(Date::parse("2025-2-3").is_err());
        assert!(Date::parse("0000-01-01").is_err());
        assert!(Date::parse("2025-01-01T00:00").is_err());
        assert!(Date::parse("2024-02-29").is_ok());
    }
}
