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
//! Like every error of the engine, these quote nothing from the file: an
//! unknown id may be anything its writer typed. The message names only
//! the model's own ids, and the error's JSON path says where the answer
//! is (`$.answers[2].choice`).

use super::questions::{question, Choice, Question, CUSTOM};
use super::Answers;
use crate::devices::MAX_YEAR_GROUP;
use crate::error::{not_one_of, Error, Location, Result};
use crate::policy::load::Format;
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
}
