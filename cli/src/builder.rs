//! `safeguard policy new --answers FILE [-o OUT]`: a school's policy from
//! its answers to the question model (issue 24).
//!
//! A DSL or a vendor answers the choices where school policies differ
//! (where pupils' phones go, the emergency route, parents filming at
//! events) in a TOML or JSON answers file (its JSON Schema is
//! `schema/answers.schema.json`); this writes the policy TOML, which
//! extends the national baseline, each rule under a comment naming the
//! answer that produced it. The engine builds the text and loads it before
//! handing it back, so what is written is a policy `eval --policy` and
//! `lint` accept.
//!
//! Without `--answers`, a person at a terminal is asked the questions
//! instead ([`crate::ask`]); the session's answers become an answers file
//! (saved with `--save-answers`, or where the person says when offered at
//! the end), and the policy is built from that file's text as `--answers`
//! would build it. With neither a file nor a terminal the command refuses
//! at once (exit 2): waiting on a pipe for answers nobody will type would
//! hang a script.

use crate::ask::Session;
use crate::failure::Failure;
use crate::input;
use safeguard_engine::{json, Format};
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Builds the policy for the answers in `answers` (TOML, or JSON by its
/// `.json` extension) and writes it to `output`, or stdout.
pub fn new(answers: &Path, output: Option<&Path>) -> Result<(), Failure> {
    let text = input::read_answers_text(answers)?;
    let policy = json::build_policy(&text, input::format_of(answers))?;
    write_policy(&policy, output)
}

/// Asks the questions in the terminal, then writes the answers (to
/// `save_answers`, or where the person says) and the policy they build
/// (to `output`, or where the person says). Refuses when standard input
/// is not a terminal.
pub fn interactive(output: Option<&Path>, save_answers: Option<&Path>) -> Result<(), Failure> {
    let stdin = io::stdin();
    if !stdin.is_terminal() {
        return Err(Failure::usage(
            "there is no terminal to ask the questions in: give the answers with \
             `--answers FILE`, or run `safeguard policy new` in a terminal",
        ));
    }
    let mut session = Session::new(stdin.lock(), io::stderr());
    let answers = session.run()?;
    let id = answers["school"]["id"]
        .as_str()
        .unwrap_or("policy")
        .to_string();
    let save_answers = match save_answers {
        Some(path) => Some(path.to_path_buf()),
        None => offered(
            &mut session,
            "Save your answers, to open them again later with --answers? Type a file name, \
             or press Enter not to",
            "",
        )?,
    };
    let format = save_answers
        .as_deref()
        .map_or(Format::Toml, input::format_of);
    let text = answers_text(&answers, format)?;
    if let Some(path) = &save_answers {
        std::fs::write(path, &text)
            .map_err(|e| Failure::io(format!("cannot write `{}`", path.display()), e))?;
        session.tell(&format!("Your answers are in {}.", path.display()))?;
    }
    let policy = json::build_policy(&text, format)?;
    let output = match output {
        Some(path) => path.to_path_buf(),
        None => offered(
            &mut session,
            "Where shall the policy be written?",
            &format!("{id}.toml"),
        )?
        .unwrap_or_else(|| PathBuf::from(format!("{id}.toml"))),
    };
    write_policy(&policy, Some(&output))?;
    session.tell(&format!(
        "Your policy is in {0}. Check it with: safeguard lint {0}",
        output.display()
    ))
}

/// A file name typed after `prompt`, or `default` on Enter (`None` for an
/// empty default).
fn offered<R: BufRead, W: Write>(
    session: &mut Session<R, W>,
    prompt: &str,
    default: &str,
) -> Result<Option<PathBuf>, Failure> {
    let typed = session.line(&if default.is_empty() {
        format!("{prompt}: ")
    } else {
        format!("{prompt} [{default}]: ")
    })?;
    let name = if typed.is_empty() { default } else { &typed };
    Ok((!name.is_empty()).then(|| PathBuf::from(name)))
}

/// The answers as an answers file: TOML (the school first, then the
/// answers, under a line saying what the file is), or JSON.
fn answers_text(answers: &serde_json::Value, format: Format) -> Result<String, Failure> {
    let part = |key: &str| {
        let mut table = serde_json::Map::new();
        table.insert(key.into(), answers[key].clone());
        toml::to_string(&table).ok()
    };
    let text = match format {
        Format::Json => serde_json::to_string_pretty(answers).map(|t| t + "\n").ok(),
        // The school, then what the session gave of its people, bodies
        // and day (each only when given), then the answers: tables all,
        // but for no answers at all, `answers = []`, which must come
        // first so as not to fall inside a table.
        Format::Toml => {
            let none = answers["answers"].as_array().is_some_and(Vec::is_empty);
            let order = if none {
                ["answers", "school", "roles", "bodies", "timetable"]
            } else {
                ["school", "roles", "bodies", "timetable", "answers"]
            };
            order
                .into_iter()
                .filter(|key| *key == "answers" || answers.get(key).is_some())
                .map(part)
                .collect::<Option<Vec<String>>>()
                .map(|parts| {
                    format!(
                        "# Answers to the question model, from `safeguard policy new`; build the\n\
                 # policy again with `safeguard policy new --answers FILE`.\n\n\
                 {}",
                        parts.join("\n")
                    )
                })
        }
    };
    text.ok_or_else(|| Failure::io("cannot write the answers", io::Error::other("serialise")))
}

/// Writes the policy to `output`, or stdout.
fn write_policy(policy: &str, output: Option<&Path>) -> Result<(), Failure> {
    match output {
        Some(path) => std::fs::write(path, policy)
            .map_err(|e| Failure::io(format!("cannot write `{}`", path.display()), e)),
        None => {
            let mut stdout = io::stdout().lock();
            stdout
                .write_all(policy.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(Failure::writing)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The saved TOML builds the policy the JSON does, with the school's
    /// people, bodies and day, and with no answers at all (every question
    /// skipped), when `answers = []` must not fall inside a table.
    #[test]
    fn saved_toml_builds_what_the_json_builds() {
        let school = json!({ "id": "oak", "name": "Oak", "version": "1", "source": "Oak policy" });
        let people = json!({ "dsl": { "title": "DSL", "name": "Ann Smith" } });
        let day = json!({ "day_start": "08:40", "day_end": "15:20", "breaks": [] });
        for answers in [
            json!({ "school": school, "answers": [] }),
            json!({ "school": school, "answers": [], "roles": people, "timetable": day }),
            json!({
                "school": school,
                "answers": [{ "question": "devices.pupil_phones", "choice": "hand_in_at_gate",
                              "cite": { "source": "Oak policy", "section": "Phones" } }],
                "roles": people,
            }),
        ] {
            let toml = answers_text(&answers, Format::Toml).unwrap();
            let from_json = answers_text(&answers, Format::Json).unwrap();
            let built = json::build_policy(&toml, Format::Toml);
            assert_eq!(
                built,
                json::build_policy(&from_json, Format::Json),
                "{toml}"
            );
            let built = built.unwrap();
            assert_eq!(built.contains("Ann Smith"), answers.get("roles").is_some());
            assert_eq!(built.contains("08:40"), answers.get("timetable").is_some());
        }
    }
}
