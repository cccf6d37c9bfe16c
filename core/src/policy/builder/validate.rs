//! Each answer checked against the question model on its own, before any
//! policy is written (issue 24).
//!
//! Two callers give answers one at a time: an answers file, read by
//! [`crate::json::build_policy`], and a person at the terminal, whose
//! answer to one question is checked as soon as it is typed so that a
//! mistake is put right there and then, not after the last question. Both
//! go through the same checks here, so a choice the terminal accepts is
//! one the file accepts, and the reverse.
//!
//! The checks are the ones a single answer can fail on its own: a
//! question the model does not have, a choice its question does not offer,
//! year groups out of order or out of range, a question answered twice.
//! What depends on the answers together (a citation for every departure
//! from national guidance, year groups only where pupils may bring a
//! phone, custom rules behind a `custom` answer) is the builder's, when it
//! writes the policy.
//!
//! The terminal also asks for what a policy's `[roles]`, `[bodies]` and
//! `[timetable]` give, so the parties it offers ([`named_people`],
//! [`local_bodies`]) and the readers of what is typed ([`hours`],
//! [`school_day`], [`add_to_day`], [`contact`]) are here too: the civil
//! types' own parsers and the floor's own check of a contact, one value
//! at a time, so nothing the terminal accepts fails when the policy loads.
//!
//! Like every error of the engine, these quote nothing from the file: an
//! unknown id may be anything its writer typed. The message names only
//! the model's own ids, and the error's JSON path says where the answer
//! is (`$.answers[2].choice`).

use super::questions::{question, Choice, Question, CUSTOM};
use super::Answers;
use crate::civil::{parse_hours, ClockTime, Date, DateSpan, TimeSpan, Timetable};
use crate::contacts::Contact;
use crate::devices::MAX_YEAR_GROUP;
use crate::error::{not_one_of, Error, Location, Result};
use crate::policy::load::{parse, Format};
use crate::policy::{floor, presets};
use crate::vocab::Who;
use crate::wire::json_in::from_json_raw;
use crate::wire::toml_json;

/// Reads an answers file. An error about its data is placed by its JSON
/// path from the root (`$.answers[0].choice`) in TOML as in JSON: the
/// policy reader places a TOML document's errors by line and column only,
/// so the same text, read again as the JSON it converts to, names the
/// path.
pub fn read(text: &str, format: Format) -> Result<Answers> {
    let error = match Answers::from_text(text, format) {
        Ok(answers) => return Ok(answers),
        Err(error) => error,
    };
    if format != Format::Toml || error.path().is_some() {
        return Err(error);
    }
    let path = toml::de::DeTable::parse(text)
        .ok()
        .and_then(|root| toml_json::to_json(&root).ok())
        .and_then(|json| {
            from_json_raw::<Answers>(&json)
                .err()
                .map(|fault| fault.into_error(&json, "answers file"))
        })
        .and_then(|e| e.path().map(str::to_string));
    Err(match path {
        Some(path) => with_path(error, path),
        None => error,
    })
}

/// `error`, its location given `path` too.
fn with_path(error: Error, path: String) -> Error {
    let place = |at: Location| Location {
        path: Some(path),
        ..at
    };
    match error {
        Error::InvalidValue { at, message } => Error::InvalidValue {
            at: place(at),
            message,
        },
        Error::InvalidDate { at, message } => Error::InvalidDate {
            at: place(at),
            message,
        },
        Error::UnknownField { at } => Error::UnknownField { at: place(at) },
        Error::MissingField { at, field } => Error::MissingField {
            at: place(at),
            field,
        },
        Error::DuplicateField { at, field } => Error::DuplicateField {
            at: place(at),
            field,
        },
        other => other,
    }
}

/// The question with this id, or why there is none.
pub fn question_of(id: &str) -> std::result::Result<&'static Question, String> {
    question(id).ok_or_else(|| "not a question of the model".to_string())
}

/// The choice with this id among the answers `question` allows: `None` is
/// [`CUSTOM`], the school's own rules. The error lists the choices.
pub fn choice_of(
    question: &'static Question,
    id: &str,
) -> std::result::Result<Option<&'static Choice>, String> {
    if id == CUSTOM {
        return Ok(None);
    }
    question.choice(id).map(Some).ok_or_else(|| {
        not_one_of(
            question
                .choices
                .iter()
                .map(|c| c.id)
                .chain(std::iter::once(CUSTOM)),
        )
    })
}

/// Year groups `[from, to]`, inclusive, or why they cannot be.
pub fn year_range([from, to]: [u8; 2]) -> std::result::Result<[u8; 2], String> {
    if from > to || to > MAX_YEAR_GROUP {
        return Err(format!(
            "expected two year groups, the first no later than the second, from 0 \
             (Reception) to {MAX_YEAR_GROUP}"
        ));
    }
    Ok([from, to])
}

/// A policy id the built policy may take: 1-64 lower-case letters, digits
/// or hyphens (as every policy's), and not a built-in policy's, or why not.
pub fn policy_id(id: &str) -> std::result::Result<(), String> {
    if !crate::policy::resolve::is_policy_id(id) {
        return Err("expected 1 to 64 lower-case letters, digits or hyphens".to_string());
    }
    if crate::policy::presets::index(id).is_some() {
        return Err("this is the id of a built-in policy: choose your school's own".to_string());
    }
    Ok(())
}

/// The named people a policy's `roles` may give, offered in the
/// terminal: every party who is a person in the school (the DSL, the
/// headteacher, the chair of governors, ...), in the vocabulary's order.
pub fn named_people() -> impl Iterator<Item = Who> {
    Who::ALL.iter().copied().filter(|w| w.is_person_in_school())
}

/// The local bodies a policy's `bodies` may give, offered in the
/// terminal: every party outside the school that a step refers or reports
/// to (the LADO, children's social care, the police, ...). Not the groups
/// within the school (all staff, the office), the young person or their
/// parents, nor the police on 999, whose number no school changes.
pub fn local_bodies() -> impl Iterator<Item = Who> {
    Who::ALL.iter().copied().filter(|w| {
        !w.is_person_in_school()
            && !matches!(
                w,
                Who::AllStaff
                    | Who::SchoolOffice
                    | Who::YoungPerson
                    | Who::Parents
                    | Who::Police999
            )
    })
}

/// Opening hours as a policy gives them, `HH:MM-HH:MM` (they may run
/// past midnight, as `17:00-08:30`), read as a policy's are, or why not.
pub fn hours(typed: &str) -> std::result::Result<(), String> {
    parse_hours(typed).map(|_| ()).ok_or_else(|| {
        "expected two different times of day, HH:MM-HH:MM, such as 09:00-17:00".to_string()
    })
}

/// The contact a school gives for `who` checked as its policy will be: an
/// out-of-hours route's hours must be readable, and the floor's own check
/// of contacts applies (the route of a recipient of the floor's steps
/// must reach someone outside the school day: the school's own
/// `timetable` where it gives one, and the national one).
pub fn contact(
    who: Who,
    contact: &Contact,
    timetable: Option<&Timetable>,
) -> std::result::Result<(), String> {
    if let Some(route) = &contact.out_of_hours {
        hours(&route.hours)?;
    }
    let national = presets::json(0)
        .map_err(str::to_string)
        .and_then(|text| parse(&text, Format::Json).map_err(|e| e.to_string()))?;
    let recipients = floor::floor_recipients(&national);
    let school_days: Vec<&Timetable> = [timetable, national.timetable.as_ref()]
        .into_iter()
        .flatten()
        .collect();
    match floor::contact_fault(who, contact, &recipients, &school_days) {
        Some(why) => Err(why.to_string()),
        None => Ok(()),
    }
}

/// A school day from its start and end as typed (`HH:MM`), with no
/// breaks or term dates yet, or why not.
pub fn school_day(start: &str, end: &str) -> std::result::Result<Timetable, String> {
    let timetable = Timetable {
        day_start: ClockTime::parse(start)?,
        day_end: ClockTime::parse(end)?,
        breaks: Vec::new(),
        lunch: None,
        terms: Vec::new(),
        closures: Vec::new(),
        cite: None,
    };
    timetable.validate()?;
    Ok(timetable)
}

/// What a school gives of its day and year, one part at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayPart {
    /// A break, `HH:MM-HH:MM`.
    Break,
    /// The lunch break, `HH:MM-HH:MM`.
    Lunch,
    /// A term, by its first and last days: `YYYY-MM-DD to YYYY-MM-DD`.
    Term,
    /// A closure day in term (a bank holiday, a training day), `YYYY-MM-DD`.
    Closure,
}

/// `timetable` with `part` as typed added, checked as a policy's
/// timetable is (each span within the school day, each term in order);
/// unchanged, with the reason, when it will not do.
pub fn add_to_day(
    timetable: &mut Timetable,
    part: DayPart,
    typed: &str,
) -> std::result::Result<(), String> {
    let span = |typed: &str| {
        let (start, end) = typed
            .split_once('-')
            .ok_or_else(|| "expected two times, HH:MM-HH:MM, such as 10:30-10:45".to_string())?;
        Ok::<_, String>(TimeSpan {
            start: ClockTime::parse(start.trim())?,
            end: ClockTime::parse(end.trim())?,
        })
    };
    let mut with = timetable.clone();
    match part {
        DayPart::Break => with.breaks.push(span(typed)?),
        DayPart::Lunch => with.lunch = Some(span(typed)?),
        DayPart::Term => {
            let (start, end) = typed.split_once(" to ").ok_or_else(|| {
                "expected the first and last days, such as 2026-09-03 to 2026-12-18".to_string()
            })?;
            with.terms.push(DateSpan {
                start: Date::parse(start.trim())?,
                end: Date::parse(end.trim())?,
            });
        }
        DayPart::Closure => with.closures.push(Date::parse(typed)?),
    }
    with.validate()?;
    *timetable = with;
    Ok(())
}

/// An error of the builder, its path (`answers[0]`) read from the
/// document's root (`$.answers[0]`), and a missing field's path ending at
/// the field (`$.answers[0].cite`), as every other error of an answers
/// file is placed.
pub(crate) fn rooted(error: Error) -> Error {
    let root = |mut at: Location| {
        if let Some(path) = at.path.as_mut().filter(|p| !p.starts_with('$')) {
            *path = format!("$.{path}");
        }
        at
    };
    match error {
        Error::InvalidValue { at, message } => Error::InvalidValue {
            at: root(at),
            message,
        },
        // As the reader of the file places it: at the field that is missing.
        Error::MissingField { at, field } => {
            let mut at = root(at);
            if let Some(path) = at.path.as_mut().filter(|p| !p.ends_with(field.as_str())) {
                path.push('.');
                path.push_str(&field);
            }
            Error::MissingField { at, field }
        }
        other => other,
    }
}

/// Checks every answer of `answers` on its own: a question of the model,
/// answered once, with a choice it offers, and year groups in range. The
/// first failure is the error, at its JSON path.
pub fn answers(answers: &Answers) -> Result<()> {
    let mut seen: Vec<&str> = Vec::new();
    for (i, answer) in answers.answers.iter().enumerate() {
        let invalid = |field: &str, message: String| Error::InvalidValue {
            at: Location::path(format!("$.answers[{i}].{field}")),
            message,
        };
        let q = question_of(&answer.question).map_err(|m| invalid("question", m))?;
        if seen.contains(&q.id) {
            return Err(invalid(
                "question",
                "this question is answered twice".to_string(),
            ));
        }
        seen.push(q.id);
        choice_of(q, &answer.choice).map_err(|m| invalid("choice", m))?;
        if let Some(years) = answer.years {
            year_range(years).map_err(|m| invalid("years", m))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::OutOfHours;

    fn answers_of(answers: &str) -> Answers {
        let text = format!(
            "{{\"school\": {{\"id\": \"s\", \"name\": \"S\", \"version\": \"1\", \
             \"source\": \"S\"}}, \"answers\": [{answers}]}}"
        );
        Answers::from_text(&text, Format::Json).unwrap()
    }

    /// Each kind of bad answer is refused at its own path, quoting nothing
    /// the file said; good answers pass.
    #[test]
    fn each_bad_answer_is_refused_at_its_path() {
        let cases = [
            (
                r#"{"question": "devices.my_secret", "choice": "x"}"#,
                "$.answers[0].question",
            ),
            (
                r#"{"question": "devices.pupil_phones", "choice": "my_secret"}"#,
                "$.answers[0].choice",
            ),
            (
                r#"{"question": "devices.pupil_phones", "choice": "not_allowed"},
                   {"question": "devices.pupil_phones", "choice": "not_allowed"}"#,
                "$.answers[1].question",
            ),
            (
                r#"{"question": "devices.pupil_phone_years", "choice": "some_years", "years": [6, 5]}"#,
                "$.answers[0].years",
            ),
            (
                r#"{"question": "devices.pupil_phone_years", "choice": "some_years", "years": [5, 14]}"#,
                "$.answers[0].years",
            ),
        ];
        for (text, path) in cases {
            let e = answers(&answers_of(text)).unwrap_err();
            assert_eq!(e.code(), "invalid_value", "{text}");
            assert_eq!(e.path(), Some(path), "{text}");
            assert!(!e.to_string().contains("my_secret"), "{e}");
        }
        let good = r#"{"question": "devices.pupil_phones", "choice": "hand_in_at_gate"},
            {"question": "devices.pupil_phone_years", "choice": "some_years", "years": [5, 6]}"#;
        assert_eq!(answers(&answers_of(good)), Ok(()));
    }

    /// The list of choices comes from the model: every choice of the
    /// question, and `custom`.
    #[test]
    fn a_choice_not_offered_lists_the_questions_choices() {
        let q = question_of("devices.pupil_phones").unwrap();
        let message = choice_of(q, "drawer").unwrap_err();
        for c in q.choices {
            assert!(message.contains(c.id), "{message}");
        }
        assert!(message.ends_with(CUSTOM));
        assert_eq!(choice_of(q, CUSTOM), Ok(None));
        assert_eq!(
            choice_of(q, q.default).map(|c| c.map(|c| c.id)),
            Ok(Some(q.default))
        );
    }

    /// A TOML answers file's data errors carry their JSON path as well as
    /// their line and column, quoting nothing; syntax errors keep theirs.
    #[test]
    fn toml_errors_are_placed_by_path_too() {
        let school = "[school]\nid = \"s\"\nname = \"S\"\nversion = \"1\"\nsource = \"S\"\n";
        let cases = [
            ("choice = 3", "$.answers[0].choice"),
            ("choice = \"x\"\nyears = \"secret\"", "$.answers[0].years"),
            ("choice = \"x\"\nsecret = 1", "$.answers[0]"),
        ];
        for (answer, path) in cases {
            let text = format!("{school}[[answers]]\nquestion = \"q\"\n{answer}\n");
            let e = read(&text, Format::Toml).unwrap_err();
            assert_eq!(e.path(), Some(path), "{answer}");
            assert!(e.location().and_then(|at| at.line).is_some(), "{answer}");
            assert!(!e.to_string().contains("secret"), "{e}");
        }
        let e = read("[school\n", Format::Toml).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_toml", None));
    }

    /// A policy id is refused when ill-formed or a built-in policy's.
    #[test]
    fn a_policy_id_is_the_schools_own() {
        assert_eq!(policy_id("st-marys-2026"), Ok(()));
        for bad in ["", "St Mary's", "a_b", "baseline", &"a".repeat(65)] {
            assert!(policy_id(bad).is_err(), "{bad}");
        }
    }

    /// The people and the bodies offered are parties of the vocabulary,
    /// none in both lists, the DSL among the people and the LADO among
    /// the bodies; the police on 999 is not offered.
    #[test]
    fn people_and_bodies_come_from_the_vocabulary() {
        let people: Vec<Who> = named_people().collect();
        let bodies: Vec<Who> = local_bodies().collect();
        assert!(people.contains(&Who::Dsl) && people.contains(&Who::Headteacher));
        assert!(bodies.contains(&Who::Lado) && bodies.contains(&Who::ChildrensSocialCare));
        assert!(people.iter().all(|w| !bodies.contains(w)));
        assert!(!bodies.contains(&Who::Police999) && !bodies.contains(&Who::Parents));
    }

    /// Hours and the parts of the school day are read as a policy's are:
    /// a refusal leaves the timetable as it was.
    #[test]
    fn the_school_day_is_read_part_by_part() {
        assert_eq!(hours("17:00-08:30"), Ok(()));
        for bad in ["9-5", "17:00", "25:00-08:00", "08:00-08:00"] {
            assert!(hours(bad).is_err(), "{bad}");
        }
        assert!(school_day("8.45", "15:15").is_err());
        assert!(school_day("15:15", "08:45").is_err());
        let mut day = school_day("08:45", "15:15").unwrap();
        let good = [
            (DayPart::Break, "10:30-10:45"),
            (DayPart::Lunch, "12:00 - 13:00"),
            (DayPart::Term, "2026-09-03 to 2026-12-18"),
            (DayPart::Closure, "2026-11-02"),
        ];
        for (part, typed) in good {
            assert_eq!(add_to_day(&mut day, part, typed), Ok(()), "{typed}");
        }
        let before = day.clone();
        let bad = [
            (DayPart::Break, "16:00-16:15"),
            (DayPart::Break, "10:45-10:30"),
            (DayPart::Lunch, "noon"),
            (DayPart::Term, "2026-12-18 to 2026-09-03"),
            (DayPart::Term, "2026-02-30 to 2026-03-01"),
            (DayPart::Closure, "2 November"),
        ];
        for (part, typed) in bad {
            assert!(add_to_day(&mut day, part, typed).is_err(), "{typed}");
        }
        assert_eq!(day, before);
        assert_eq!(day.breaks.len(), 1);
        assert_eq!(day.terms.len(), 1);
    }

    /// A contact is checked by the floor's own rule: the out-of-hours
    /// route of a body the floor's steps go to must have a phone and fall
    /// outside the school day, the school's own or the national one.
    #[test]
    fn a_contact_is_checked_as_the_floor_checks_it() {
        let route = |hours: &str, phone: Option<&str>| Contact {
            title: "Children's social care".into(),
            name: None,
            phone: Some("01234 567890".into()),
            email: None,
            hours: Some("09:00-17:00".into()),
            out_of_hours: Some(OutOfHours {
                title: "Emergency duty team".into(),
                phone: phone.map(str::to_string),
                hours: hours.into(),
                emergency_only: false,
            }),
            cite: None,
        };
        let who = Who::ChildrensSocialCare;
        assert_eq!(
            contact(who, &route("17:00-08:30", Some("01234 000111")), None),
            Ok(())
        );
        assert!(contact(who, &route("12:00-18:00", Some("01234 000111")), None).is_err());
        assert!(contact(who, &route("17:00-08:30", None), None).is_err());
        assert!(contact(who, &route("late", Some("01234 000111")), None).is_err());
        // The school's own day counts too: a day ending at 17:30.
        let long = school_day("08:00", "17:30").unwrap();
        let evening = route("17:00-08:30", Some("01234 000111"));
        assert!(contact(who, &evening, Some(&long)).is_err());
    }
}
