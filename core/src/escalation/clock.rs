//! Turning a deadline into an absolute due time, and choosing a contact's
//! daytime or out-of-hours route.
//!
//! Everything is local school time, to the minute, computed from the
//! report time the request gives (the engine reads no clock):
//!
//! - `immediately`: the report time.
//! - `end_of_lesson`: the end of the lesson (or break, or lunch) under way
//!   at the report time, from the policy's timetable. Outside those, the
//!   report time: there is no lesson to wait for.
//! - `same_day`: the end of the school day when reported on a school day
//!   before it ends. Reported later, or on a day the school is closed: the
//!   end of that calendar day (23:59), or, where the policy says so, the
//!   start of the next school day.
//! - `within_one_working_day`: the end of the school day on the next working
//!   day after the day of the report. Working days are Monday to Friday
//!   except the policy's closure dates (bank holidays, training days); term
//!   dates do not count, since the bodies a school contacts work through the
//!   school holidays.
//! - `when_facts_established`: no time.
//!
//! Every due time is at or after the report time.
//!
//! A contact with an out-of-hours route is taken to be open whenever that
//! route does not apply (a working day, outside the route's hours);
//! [`Clock::opens`] finds when a closed one next opens.

use super::vocab::AfterHours;
use crate::civil::{in_hours, parse_hours, ClockTime, LocalDateTime, Period, Timetable};
use crate::contacts::Contact;
use crate::vocab::Deadline;
use chrono::NaiveTime;

/// The due-time calculator of one policy.
#[derive(Debug, Clone)]
pub struct Clock {
    timetable: Timetable,
    after_hours: AfterHours,
}

impl Clock {
    /// A calculator for `timetable`, with `after_hours` saying what "the same
    /// day" means for a report after the school day.
    pub fn new(timetable: Timetable, after_hours: AfterHours) -> Clock {
        Clock {
            timetable,
            after_hours,
        }
    }

    /// The absolute time `deadline` falls due for a report made `at`.
    pub fn due(&self, deadline: Deadline, at: LocalDateTime) -> Option<LocalDateTime> {
        let t = &self.timetable;
        let due = match deadline {
            Deadline::Immediately => at,
            Deadline::EndOfLesson => match t.period_at(at) {
                Period::Lesson | Period::Break | Period::Lunch => {
                    at.date().at(t.end_of_span(at.time()))
                }
                _ => at,
            },
            Deadline::SameDay => {
                let date = at.date();
                if t.is_school_day(date) && at.time() < t.day_end {
                    date.at(t.day_end)
                } else {
                    match self.after_hours {
                        AfterHours::EndOfCalendarDay => at.end_of_calendar_day(),
                        AfterHours::NextSchoolDayStart => date
                            .next_day_where(|d| t.is_school_day(d))
                            .map(|d| d.at(t.day_start))
                            .unwrap_or_else(|| at.end_of_calendar_day()),
                    }
                }
            }
            Deadline::WithinOneWorkingDay => at
                .date()
                .next_day_where(|d| t.is_working_day(d))
                .map(|d| d.at(t.day_end))
                .unwrap_or_else(|| at.end_of_calendar_day()),
            // Set with its due time, the body's opening, by the plan.
            Deadline::WhenFactsEstablished | Deadline::WhenServiceOpens => return None,
        };
        Some(due.max(at))
    }

    /// Whether a report made `at` uses `contact`'s out-of-hours route: the
    /// contact has one and `at` falls in its hours, or on a day that is not
    /// a working day.
    pub fn out_of_hours(&self, contact: &Contact, at: LocalDateTime) -> bool {
        let Some(route) = &contact.out_of_hours else {
            return false;
        };
        if !self.timetable.is_working_day(at.date()) {
            return true;
        }
        match parse_hours(&route.hours) {
            Some((start, end)) => in_hours(start, end, at.time()),
            // Unreadable hours are refused when the policy loads.
            None => false,
        }
    }
}

impl Clock {
    /// When `contact`'s daytime service next opens, for a report made `at`
    /// while it is closed (its out-of-hours route applies): the first
    /// minute after `at` that is on a working day and outside the route's
    /// hours. `None` when it is open at `at`, has no out-of-hours route (its
    /// hours are not known), or does not open within a year.
    pub fn opens(&self, contact: &Contact, at: LocalDateTime) -> Option<LocalDateTime> {
        let route = contact.out_of_hours.as_ref()?;
        if !self.out_of_hours(contact, at) {
            return None;
        }
        let (_, end) = parse_hours(&route.hours)?;
        let midnight = ClockTime(NaiveTime::MIN);
        // It can only open at the end of the route's hours or at the start
        // of a day (after a day that was not a working day).
        at.date()
            .days_ahead(0)
            .flat_map(|d| [d.at(midnight), d.at(end)])
            .filter(|t| *t > at)
            .find(|t| !self.out_of_hours(contact, *t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::OutOfHours;

    fn clock(after_hours: AfterHours) -> Clock {
        // Spring bank holiday 2026 (a Monday) is closed.
        let tt = crate::civil::sample_timetable(&["2026-05-25"]);
        Clock::new(tt, after_hours)
    }

    fn due(c: &Clock, d: Deadline, at: &str) -> Option<String> {
        c.due(d, LocalDateTime::parse(at).unwrap())
            .map(|t| t.to_string())
    }

    /// Fails unless `deadline`, for a report made at the first time of
    /// each case, is due at the second.
    fn assert_due(c: &Clock, deadline: Deadline, cases: &[(&str, &str)]) {
        for &(at, want) in cases {
            let got = due(c, deadline, at);
            assert_eq!(got.as_deref(), Some(want), "{deadline:?} at {at}");
        }
    }

    /// A local body whose out-of-hours route runs from 17:00 to 08:30.
    fn front_door() -> Contact {
        Contact {
            title: "Front door".into(),
            name: None,
            phone: Some("01234".into()),
            email: None,
            hours: None,
            out_of_hours: Some(OutOfHours {
                title: "Emergency duty team".into(),
                phone: Some("09876".into()),
                hours: "17:00-08:30".into(),
                emergency_only: false,
            }),
            cite: None,
        }
    }

    #[test]
    fn immediately_is_the_report_time() {
        let c = clock(AfterHours::EndOfCalendarDay);
        assert_due(
            &c,
            Deadline::Immediately,
            &[("2026-05-20T22:10", "2026-05-20T22:10")],
        );
    }

    #[test]
    fn end_of_lesson_is_the_next_boundary() {
        let c = clock(AfterHours::EndOfCalendarDay);
        assert_due(
            &c,
            Deadline::EndOfLesson,
            &[
                ("2026-05-20T09:00", "2026-05-20T10:30"),
                ("2026-05-20T10:29", "2026-05-20T10:30"),
                // In the break: the break's end.
                ("2026-05-20T10:30", "2026-05-20T10:45"),
                ("2026-05-20T12:30", "2026-05-20T13:00"),
                ("2026-05-20T14:00", "2026-05-20T15:15"),
                // No lesson under way: the report time.
                ("2026-05-20T16:00", "2026-05-20T16:00"),
                ("2026-05-23T11:00", "2026-05-23T11:00"),
            ],
        );
    }

    #[test]
    fn same_day_before_and_after_the_school_day_ends() {
        let c = clock(AfterHours::EndOfCalendarDay);
        assert_due(
            &c,
            Deadline::SameDay,
            &[
                ("2026-05-20T07:30", "2026-05-20T15:15"),
                ("2026-05-20T15:14", "2026-05-20T15:15"),
                ("2026-05-20T15:15", "2026-05-20T23:59"),
            ],
        );
        let next = clock(AfterHours::NextSchoolDayStart);
        assert_due(
            &next,
            Deadline::SameDay,
            &[
                ("2026-05-20T15:15", "2026-05-21T08:45"),
                // Friday evening: Monday is the bank holiday, so Tuesday.
                ("2026-05-22T18:00", "2026-05-26T08:45"),
            ],
        );
    }

    #[test]
    fn one_working_day_skips_weekends_and_closures() {
        let c = clock(AfterHours::EndOfCalendarDay);
        assert_due(
            &c,
            Deadline::WithinOneWorkingDay,
            &[
                // Wednesday -> Thursday.
                ("2026-05-20T09:00", "2026-05-21T15:15"),
                // Friday afternoon -> Monday.
                ("2026-05-15T14:00", "2026-05-18T15:15"),
                // Friday before the bank holiday -> Tuesday.
                ("2026-05-22T14:00", "2026-05-26T15:15"),
                // Saturday -> Monday.
                ("2026-05-16T10:00", "2026-05-18T15:15"),
            ],
        );
    }

    #[test]
    fn facts_established_has_no_time() {
        let c = clock(AfterHours::EndOfCalendarDay);
        assert_eq!(
            due(&c, Deadline::WhenFactsEstablished, "2026-05-20T09:00"),
            None
        );
    }

    #[test]
    fn out_of_hours_boundaries() {
        let c = clock(AfterHours::EndOfCalendarDay);
        let contact = front_door();
        let ooh = |at| c.out_of_hours(&contact, LocalDateTime::parse(at).unwrap());
        assert!(!ooh("2026-05-20T16:59"));
        assert!(ooh("2026-05-20T17:00"));
        assert!(ooh("2026-05-21T08:29"));
        assert!(!ooh("2026-05-21T08:30"));
        // Saturday and the bank holiday: out of hours all day.
        assert!(ooh("2026-05-23T12:00"));
        assert!(ooh("2026-05-25T12:00"));
    }

    #[test]
    fn a_closed_service_opens_at_the_end_of_its_out_of_hours() {
        let c = clock(AfterHours::EndOfCalendarDay);
        let contact = front_door();
        let opens = |at| {
            c.opens(&contact, LocalDateTime::parse(at).unwrap())
                .map(|t| t.to_string())
        };
        // Open: nothing to wait for.
        assert_eq!(opens("2026-05-20T16:59"), None);
        assert_eq!(opens("2026-05-20T08:30"), None);
        for (at, want) in [
            // Wednesday evening and Thursday early morning: Thursday 08:30.
            ("2026-05-20T17:00", "2026-05-21T08:30"),
            ("2026-05-21T00:10", "2026-05-21T08:30"),
            // Friday evening before the bank holiday: Tuesday.
            ("2026-05-22T19:00", "2026-05-26T08:30"),
            ("2026-05-23T12:00", "2026-05-26T08:30"),
        ] {
            assert_eq!(opens(at).as_deref(), Some(want), "{at}");
        }
        let mut no_route = contact.clone();
        no_route.out_of_hours = None;
        assert_eq!(
            c.opens(&no_route, LocalDateTime::parse("2026-05-23T12:00").unwrap()),
            None
        );
        assert_eq!(
            LocalDateTime::parse("2026-05-26T08:30").unwrap().spoken(),
            "Tuesday 26 May 2026, 08:30"
        );
    }

    #[test]
    fn hours_must_be_two_times() {
        assert!(parse_hours("17:00-08:30").is_some());
        assert!(parse_hours("17:00 - 08:30").is_some());
        assert!(parse_hours("evenings").is_none());
        assert!(parse_hours("17:00-17:00").is_none());
    }
}
