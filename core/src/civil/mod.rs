//! Civil time: dates and wall-clock times with no time zone.
//!
//! A school's policy speaks in civil time. "By the end of the school day",
//! "before 08:45", "the next working day", "the spring term runs from 6
//! January to 27 March": each is a calendar date or a time on the school's
//! clock, never an instant on a global timeline. So is a request: a report
//! is made at `2026-05-20T14:10`, local school time, and the engine, which
//! reads no clock, never converts it (as `jiff::civil` and chrono's
//! `Naive*` types, which these wrap, keep such values apart from zoned
//! ones).
//!
//! - [`Date`]: a calendar day, `YYYY-MM-DD`, read strictly (a date of birth,
//!   an incident date, a closure day); whole years between two dates.
//! - [`ClockTime`]: a time of day, `HH:MM`; [`LocalDateTime`]: a date and a
//!   time, `YYYY-MM-DDTHH:MM`, as a report time or a due time.
//! - [`Timetable`]: the school day (its start and end, breaks, lunch) and
//!   year (term dates, closure days), from which a local time gets its
//!   [`Period`] (lesson, break, after school, not a school day), and the
//!   working days (Monday to Friday but for closure days) and school days
//!   (working days in term) that deadlines count in.
//! - [`parse_hours`] and [`in_hours`]: opening hours such as `17:00-08:30`,
//!   which may run past midnight.
//!
//! Nothing here knows a domain, a policy or a request: the devices rules
//! match the [`Period`], and the escalation clock turns deadlines into due
//! times with the [`Timetable`].

/// Writes a civil type as its text (its `Display`) and reads it back with
/// its own `parse`, so that JSON and TOML hold `"2026-05-20"`, never a
/// struct; a value `parse` refuses is an `invalid_date` error, the same for
/// every civil type. The JSON Schema (feature `schema`) is a string with
/// the description and pattern given, and the format where JSON Schema has
/// one.
macro_rules! serde_as_text {
    (
        $t:ident,
        description = $description:literal,
        pattern = $pattern:literal
        $(, format = $format:literal)? $(,)?
    ) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                <$t>::parse(&s).map_err(|m| {
                    serde::de::Error::custom(format!("{}{m}", $crate::civil::INVALID_DATE))
                })
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $t {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($t).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "description": $description,
                    "type": "string",
                    $("format": $format,)?
                    "pattern": $pattern
                })
            }
        }
    };
}

mod date;
mod timetable;

pub use date::Date;
pub(crate) use date::{INVALID_DATE, MONTH_NAMES};
#[cfg(test)]
pub(crate) use timetable::sample as sample_timetable;
pub use timetable::{
    in_hours, parse_hours, ClockTime, DateSpan, LocalDateTime, Period, TimeSpan, Timetable,
};
