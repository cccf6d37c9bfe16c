//! Times of day, local date-times, and the school day: turning a local
//! date and time into a [`Period`], and finding working days.
//!
//! A policy's timetable gives the start and end of the school day, its
//! breaks and lunch, and optionally term dates and closure days. Every span
//! is half-open, `[start, end)`: at the first minute of a break it is break,
//! at the minute the break ends it is lesson again, and at the minute the day
//! ends it is after school. Saturdays, Sundays, closure days and days outside
//! the listed terms are `non_school_day`.

use super::date::{write_date, Date};
use crate::vocab::tokens;
use crate::vocab::Cite;
use chrono::{Datelike, Days, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How far ahead the next school or working day is looked for (a year).
const SEARCH_DAYS: u64 = 400;

tokens! {
    /// Part of the day. `non_school_day` is what a weekend, a closure day or
    /// a day outside term resolves to from `context.at`.
    pub enum Period {
        Lesson = "lesson",
        Break = "break",
        Lunch = "lunch",
        BeforeSchool = "before_school",
        AfterSchool = "after_school",
        Exam = "exam",
        SchoolEvent = "school_event",
        NonSchoolDay = "non_school_day",
    }
}

/// A time of day, `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(pub NaiveTime);

impl ClockTime {
    /// Parses `HH:MM` (24-hour).
    pub fn parse(s: &str) -> Result<ClockTime, String> {
        let b = s.as_bytes();
        let shaped = b.len() == 5
            && b[2] == b':'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 2 || c.is_ascii_digit());
        if !shaped {
            return Err("not a time in the form HH:MM".into());
        }
        // Shaped above: two digits, a colon, two digits.
        let two = |i: usize| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
        NaiveTime::from_hms_opt(two(0), two(3), 0)
            .map(ClockTime)
            .ok_or_else(|| "not a real time of day; expected HH:MM".into())
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use chrono::Timelike;
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

serde_as_text!(
    ClockTime,
    description = "A time of day, `HH:MM`.",
    pattern = "^[0-9]{2}:[0-9]{2}$"
);

/// A local date and time, `YYYY-MM-DDTHH:MM` (school time, no zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime(pub NaiveDateTime);

impl LocalDateTime {
    /// Parses `YYYY-MM-DDTHH:MM`.
    pub fn parse(s: &str) -> Result<LocalDateTime, String> {
        let (date, time) = s
            .split_once('T')
            .ok_or_else(|| String::from("not a local time in the form YYYY-MM-DDTHH:MM"))?;
        let date = Date::parse(date)?;
        let time = ClockTime::parse(time)?;
        Ok(LocalDateTime(date.0.and_time(time.0)))
    }

    /// The calendar date.
    pub fn date(self) -> Date {
        Date(self.0.date())
    }

    /// The time of day.
    pub fn time(self) -> ClockTime {
        ClockTime(self.0.time())
    }

    /// [`LocalDateTime::wire`] written into `buf`, with no allocation.
    pub fn wire_buf(self, buf: &mut [u8; 16]) -> &str {
        use chrono::Timelike;
        let (d, t) = (self.0.date(), self.0.time());
        let year = d.year();
        if !(0..=9999).contains(&year) {
            return "";
        }
        let fields = [
            (year as u32 / 100, None),
            (year as u32 % 100, Some(b'-')),
            (d.month(), Some(b'-')),
            (d.day(), Some(b'T')),
            (t.hour(), Some(b':')),
            (t.minute(), None),
        ];
        let mut i = 0;
        for (n, sep) in fields {
            buf[i] = b'0' + (n / 10) as u8;
            buf[i + 1] = b'0' + (n % 10) as u8;
            i += 2;
            if let Some(c) = sep {
                buf[i] = c;
                i += 1;
            }
        }
        std::str::from_utf8(&buf[..i]).unwrap_or("")
    }

    /// The wire form `YYYY-MM-DDTHH:MM`, as `Display` writes it, without
    /// the cost of chrono's formatter (a plan writes one per step).
    pub fn wire(self) -> String {
        use chrono::Timelike;
        let (d, t) = (self.0.date(), self.0.time());
        let year = d.year();
        if !(0..=9999).contains(&year) {
            return self.to_string();
        }
        let mut out = String::with_capacity(16);
        let mut two = |n: u32, sep: Option<char>| {
            out.push(char::from(b'0' + (n / 10) as u8));
            out.push(char::from(b'0' + (n % 10) as u8));
            if let Some(c) = sep {
                out.push(c);
            }
        };
        two(year as u32 / 100, None);
        two(year as u32 % 100, Some('-'));
        two(d.month(), Some('-'));
        two(d.day(), Some('T'));
        two(t.hour(), Some(':'));
        two(t.minute(), None);
        out
    }
}

impl fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use chrono::Timelike;
        write_date(f, self.0.date())?;
        write!(f, "T{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

serde_as_text!(
    LocalDateTime,
    description = "A local school time, `YYYY-MM-DDTHH:MM`, without a time zone.",
    pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$"
);

/// A span of the day, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TimeSpan {
    pub start: ClockTime,
    pub end: ClockTime,
}

impl TimeSpan {
    fn contains(&self, t: ClockTime) -> bool {
        self.start <= t && t < self.end
    }
}

/// A span of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DateSpan {
    pub start: Date,
    pub end: Date,
}

/// The school day and year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Timetable {
    /// When the school day (and the first lesson) starts.
    pub day_start: ClockTime,
    /// When the school day ends.
    pub day_end: ClockTime,
    /// Morning and afternoon breaks.
    #[serde(default)]
    pub breaks: Vec<TimeSpan>,
    /// The lunch break, where the policy gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lunch: Option<TimeSpan>,
    /// Term dates; when given, days outside every term are not school days.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<DateSpan>,
    /// Closure days within term (bank holidays, training days).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closures: Vec<Date>,
    /// Where the policy gives the timetable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cite: Option<Cite>,
}

impl Timetable {
    /// Whether `date` is a school day.
    pub fn is_school_day(&self, date: Date) -> bool {
        let weekend = matches!(date.0.weekday(), Weekday::Sat | Weekday::Sun);
        let in_term =
            self.terms.is_empty() || self.terms.iter().any(|t| t.start <= date && date <= t.end);
        !weekend && in_term && !self.closures.contains(&date)
    }

    /// The period at a local date and time.
    pub fn period_at(&self, at: LocalDateTime) -> Period {
        if !self.is_school_day(at.date()) {
            return Period::NonSchoolDay;
        }
        let t = at.time();
        if t < self.day_start {
            Period::BeforeSchool
        } else if t >= self.day_end {
            Period::AfterSchool
        } else if self.lunch.is_some_and(|l| l.contains(t)) {
            Period::Lunch
        } else if self.breaks.iter().any(|b| b.contains(t)) {
            Period::Break
        } else {
            Period::Lesson
        }
    }

    /// Checks the spans make sense: start before end, inside the day.
    pub fn validate(&self) -> Result<(), String> {
        if self.day_start >= self.day_end {
            return Err(format!(
                "the school day starts at {} but ends at {}",
                self.day_start, self.day_end
            ));
        }
        for span in self.breaks.iter().chain(self.lunch.iter()) {
            if span.start >= span.end || span.start < self.day_start || span.end > self.day_end {
                return Err(format!(
                    "the span {}-{} must start before it ends and lie within the school day",
                    span.start, span.end
                ));
            }
        }
        for term in &self.terms {
            if term.start > term.end {
                return Err(format!(
                    "the term {}..{} ends before it starts",
                    term.start, term.end
                ));
            }
        }
        Ok(())
    }
}

impl Timetable {
    /// A working day: Monday to Friday, not a closure date (bank holidays,
    /// training days). Term dates do not count: the bodies a school
    /// contacts work through the school holidays.
    pub fn is_working_day(&self, date: Date) -> bool {
        !matches!(date.0.weekday(), Weekday::Sat | Weekday::Sun) && !self.closures.contains(&date)
    }

    /// The end of the lesson, break or lunch under way at `now` (a time
    /// within the school day): the next boundary of the day after it.
    pub fn end_of_span(&self, now: ClockTime) -> ClockTime {
        self.breaks
            .iter()
            .chain(self.lunch.iter())
            .flat_map(|s| [s.start, s.end])
            .chain([self.day_end])
            .filter(|&b| b > now)
            .min()
            .unwrap_or(self.day_end)
    }
}

impl Date {
    /// The local date and time at `time` on this day.
    pub fn at(self, time: ClockTime) -> LocalDateTime {
        LocalDateTime(self.0.and_time(time.0))
    }

    /// The first day after this one for which `ok` holds, within a year.
    pub fn next_day_where(self, ok: impl Fn(Date) -> bool) -> Option<Date> {
        self.days_ahead(1).find(|&d| ok(d))
    }

    /// This day and the days after it (from `first` days ahead), for a year.
    pub fn days_ahead(self, first: u64) -> impl Iterator<Item = Date> {
        (first..=SEARCH_DAYS).filter_map(move |n| self.0.checked_add_days(Days::new(n)).map(Date))
    }
}

impl LocalDateTime {
    /// The last minute (23:59) of this calendar day.
    pub fn end_of_calendar_day(self) -> LocalDateTime {
        let last = NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(self.0.time());
        self.date().at(ClockTime(last))
    }

    /// The time as a person reads it: "Monday 9 March 2026, 08:30".
    pub fn spoken(self) -> String {
        const DAYS: [&str; 7] = [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ];
        const MONTHS: [&str; 12] = super::MONTH_NAMES;
        let d = self.0.date();
        format!(
            "{} {} {} {}, {}",
            DAYS[d.weekday().num_days_from_monday() as usize],
            d.day(),
            MONTHS[d.month0() as usize],
            d.year(),
            self.time()
        )
    }
}

/// Opening hours written `HH:MM-HH:MM`: the start and end, which may run
/// past midnight (`17:00-08:30`). `None` for anything else, or a span
/// that starts where it ends.
pub fn parse_hours(s: &str) -> Option<(ClockTime, ClockTime)> {
    let (a, b) = s.split_once('-')?;
    let start = ClockTime::parse(a.trim()).ok()?;
    let end = ClockTime::parse(b.trim()).ok()?;
    (start != end).then_some((start, end))
}

/// Whether `t` lies in `[start, end)`, wrapping past midnight when
/// `end < start`.
pub fn in_hours(start: ClockTime, end: ClockTime, t: ClockTime) -> bool {
    if start < end {
        start <= t && t < end
    } else {
        t >= start || t < end
    }
}

/// A school day for tests: 08:45 to 15:15, a break at 10:30-10:45, lunch
/// at 12:00-13:00, no terms, and the given closure days.
#[cfg(test)]
pub(crate) fn sample(closures: &[&str]) -> Timetable {
    let time = |s| ClockTime::parse(s).unwrap_or(ClockTime(NaiveTime::MIN));
    Timetable {
        day_start: time("08:45"),
        day_end: time("15:15"),
        breaks: vec![TimeSpan {
            start: time("10:30"),
            end: time("10:45"),
        }],
        lunch: Some(TimeSpan {
            start: time("12:00"),
            end: time("13:00"),
        }),
        terms: vec![],
        closures: closures
            .iter()
            .filter_map(|d| Date::parse(d).ok())
            .collect(),
        cite: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_and_write_as_chrono_does() {
        for h in 0..30 {
            for m in (0..70).step_by(7) {
                let text = format!("{h:02}:{m:02}");
                let chrono = NaiveTime::parse_from_str(&text, "%H:%M").ok();
                assert_eq!(ClockTime::parse(&text).ok().map(|t| t.0), chrono, "{text}");
                if let Some(t) = chrono {
                    assert_eq!(ClockTime(t).to_string(), t.format("%H:%M").to_string());
                }
            }
        }
    }

    #[test]
    fn wire_form_is_the_display_form() {
        let start = chrono::NaiveDate::from_ymd_opt(1, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        // Every 7919 minutes over ~10,000 years, plus the edges.
        for k in 0..700_000i64 {
            let at = LocalDateTime(start + chrono::Duration::minutes(k * 7919));
            assert_eq!(at.wire(), at.to_string());
            if k % 64 == 0 {
                // Display is hand-written; chrono's format is the reference.
                assert_eq!(at.to_string(), at.0.format("%Y-%m-%dT%H:%M").to_string());
            }
            if at.0.year() <= 9999 {
                assert_eq!(at.wire_buf(&mut [0; 16]), at.to_string());
            }
        }
        for s in ["2024-02-29T23:59", "2099-12-31T23:59", "2026-01-01T00:00"] {
            let at = LocalDateTime::parse(s).unwrap();
            assert_eq!(at.wire(), s);
        }
    }

    fn timetable() -> Timetable {
        sample(&["2026-05-04"])
    }

    fn at(s: &str) -> Period {
        timetable().period_at(LocalDateTime::parse(s).unwrap())
    }

    #[test]
    fn boundary_minutes() {
        // 2026-11-23 is a Monday.
        for (time, want) in [
            ("2026-11-23T08:44", Period::BeforeSchool),
            ("2026-11-23T08:45", Period::Lesson),
            ("2026-11-23T10:29", Period::Lesson),
            ("2026-11-23T10:30", Period::Break),
            ("2026-11-23T10:44", Period::Break),
            ("2026-11-23T10:45", Period::Lesson),
            ("2026-11-23T11:59", Period::Lesson),
            ("2026-11-23T12:00", Period::Lunch),
            ("2026-11-23T12:59", Period::Lunch),
            ("2026-11-23T13:00", Period::Lesson),
            ("2026-11-23T15:14", Period::Lesson),
            ("2026-11-23T15:15", Period::AfterSchool),
        ] {
            assert_eq!(at(time), want, "{time}");
        }
    }

    #[test]
    fn weekends_and_closures_are_not_school_days() {
        assert_eq!(at("2026-11-21T10:00"), Period::NonSchoolDay); // Saturday
        assert_eq!(at("2026-11-22T10:00"), Period::NonSchoolDay); // Sunday
        assert_eq!(at("2026-05-04T10:00"), Period::NonSchoolDay); // bank holiday
    }

    #[test]
    fn outside_terms_is_not_a_school_day() {
        let mut t = timetable();
        t.terms = vec![DateSpan {
            start: Date::parse("2026-09-03").unwrap(),
            end: Date::parse("2026-12-18").unwrap(),
        }];
        let p = |s| t.period_at(LocalDateTime::parse(s).unwrap());
        assert_eq!(p("2026-12-18T10:00"), Period::Lesson);
        assert_eq!(p("2026-12-21T10:00"), Period::NonSchoolDay);
    }

    #[test]
    fn strict_times() {
        assert!(LocalDateTime::parse("2026-11-23T25:00").is_err());
        assert!(LocalDateTime::parse("2026-11-23T10:60").is_err());
        assert!(LocalDateTime::parse("2026-11-23 10:00").is_err());
        assert!(LocalDateTime::parse("2026-02-30T10:00").is_err());
    }
}
