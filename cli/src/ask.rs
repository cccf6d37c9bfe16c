//! `safeguard policy new` in a terminal: the question model asked one
//! question at a time (issue 24).
//!
//! A DSL or an office worker answers the same questions an answers file
//! does, in the model's order, a heading for each domain. Everything shown
//! (the domains, each question, its help and its choices, which choice is
//! the national default) is read from the engine's model, so a question
//! added there is asked here with no edit. Enter keeps the national
//! default, `?` shows the help, `-` skips the question (the national
//! default applies, and the answers file leaves it out). Each answer is
//! checked as soon as it is typed, through the engine's own checks
//! (`policy::builder::validate`), and a wrong one is asked again with
//! words saying what belongs there.
//!
//! The session ends as an answers file, not as a policy: the policy is
//! built from that file's text by the same call `--answers` makes, so the
//! answers saved with `--save-answers` (or when offered at the end)
//! rebuild the very same policy when given back to `--answers`.
//!
//! The session reads lines from any reader and writes to any writer, so
//! its unit tests feed it typed lines; the command gives it the terminal
//! (prompts go to standard error, leaving standard output for the
//! policy). Without a terminal there is no one to ask: the command refuses
//! (exit 2) rather than wait on a pipe.

use crate::failure::Failure;
use safeguard_engine::policy::builder::questions::{Question, QUESTIONS};
use safeguard_engine::policy::builder::validate;
use serde_json::{json, Map, Value};
use std::io::{BufRead, Write};

/// What a person typed can be put right by asking again; anything else
/// ends the session.
type Asked<T> = Result<T, Failure>;

/// One question-and-answer session over `input` and `output`.
pub struct Session<R, W> {
    input: R,
    output: W,
}

/// One question answered in the terminal.
struct Given {
    question: &'static Question,
    choice: &'static str,
    years: Option<[u8; 2]>,
    section: Option<String>,
}

impl<R: BufRead, W: Write> Session<R, W> {
    /// A session reading answers from `input` and asking on `output`.
    pub fn new(input: R, output: W) -> Self {
        Session { input, output }
    }

    /// Writes `text` and a new line to the person.
    pub fn tell(&mut self, text: &str) -> Asked<()> {
        writeln!(self.output, "{text}")
            .and_then(|()| self.output.flush())
            .map_err(|e| Failure::io("cannot write to the terminal", e))
    }

    /// The next line typed after `prompt`, trimmed. The end of the input
    /// (Ctrl-D) ends the session with nothing written.
    pub fn line(&mut self, prompt: &str) -> Asked<String> {
        write!(self.output, "{prompt}")
            .and_then(|()| self.output.flush())
            .map_err(|e| Failure::io("cannot write to the terminal", e))?;
        let mut line = String::new();
        let read = self
            .input
            .read_line(&mut line)
            .map_err(|e| Failure::io("cannot read the answer", e))?;
        if read == 0 {
            return Err(Failure::usage(
                "the questions were not finished, so nothing was written",
            ));
        }
        Ok(line.trim().to_string())
    }

    /// Asks `prompt` until `check` accepts what is typed; `default` is
    /// taken on Enter when given.
    fn ask<T>(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        check: impl Fn(&str) -> Result<T, String>,
    ) -> Asked<T> {
        let colon = if prompt.ends_with('?') { "" } else { ":" };
        let prompt = match default {
            Some(d) => format!("{prompt} [{d}]{colon} "),
            None => format!("{prompt}{colon} "),
        };
        loop {
            let typed = self.line(&prompt)?;
            let typed = match default {
                Some(d) if typed.is_empty() => d.to_string(),
                _ => typed,
            };
            match check(&typed) {
                Ok(value) => return Ok(value),
                Err(why) => self.tell(&format!("  That will not do: {why}. Please try again."))?,
            }
        }
    }

    /// Asks every question of the model, then the school's details, and
    /// returns the answers file as JSON.
    pub fn run(&mut self) -> Asked<Value> {
        self.tell(
            "Your school's online-safety policy, from your answers.\n\
             For each question, type the number of your answer. Press Enter to keep the\n\
             national default (marked), type ? for help, or - to skip the question\n\
             (the national default then applies).",
        )?;
        let mut given: Vec<Given> = Vec::new();
        let mut domain = None;
        let asked: Vec<&'static Question> = QUESTIONS.iter().collect();
        for (n, q) in asked.iter().enumerate() {
            if !self.applies(q, &given) {
                continue;
            }
            if domain != Some(q.domain) {
                domain = Some(q.domain);
                let name = q.domain.as_str();
                let mut heading = name[..1].to_uppercase();
                heading.push_str(&name[1..]);
                self.tell(&format!("\n== {heading} =="))?;
            }
            let counter = format!("Question {} of {}", n + 1, asked.len());
            if let Some(answer) = self.question(q, &counter)? {
                given.push(answer);
            }
        }
        self.tell("\n== Your school ==")?;
        let name = self.ask("The school's name", None, non_empty)?;
        let id_default = slug(&name);
        let id = self.ask(
            "An id for the policy (lower-case letters, digits and hyphens)",
            validate::policy_id(&id_default)
                .is_ok()
                .then_some(id_default.as_str()),
            |t| validate::policy_id(t).map(|()| t.to_string()),
        )?;
        let version = self.ask(
            "The policy's version (the date it was adopted or reviewed)",
            None,
            non_empty,
        )?;
        let source_default = format!("{name} online-safety policy");
        let source = self.ask(
            "Your policy document, by title and date",
            Some(&source_default),
            non_empty,
        )?;
        let answers: Vec<Value> = given
            .iter()
            .map(|g| {
                let mut a = Map::new();
                a.insert("question".into(), json!(g.question.id));
                a.insert("choice".into(), json!(g.choice));
                if let Some(years) = g.years {
                    a.insert("years".into(), json!(years));
                }
                if let Some(section) = &g.section {
                    a.insert(
                        "cite".into(),
                        json!({ "source": source, "section": section }),
                    );
                }
                Value::Object(a)
            })
            .collect();
        Ok(json!({
            "school": { "id": id, "name": name, "version": version, "source": source },
            "answers": answers,
        }))
    }

    /// Whether question `q` applies: one whose year groups narrow another
    /// answer's rules is asked only when that answer has rules to narrow
    /// (year groups for bringing a phone, only when pupils may bring one).
    fn applies(&self, q: &Question, given: &[Given]) -> bool {
        let Some(narrowed) = q.narrows else {
            return true;
        };
        given.iter().any(|g| {
            g.question.id == narrowed
                && g.question
                    .choice(g.choice)
                    .is_some_and(|c| !c.produces.rules.is_empty())
        })
    }

    /// Asks one question: `None` when skipped.
    fn question(&mut self, q: &'static Question, counter: &str) -> Asked<Option<Given>> {
        let default_number = q
            .choices
            .iter()
            .position(|c| c.id == q.default)
            .map_or(1, |i| i + 1);
        let mut text = format!("\n{counter}: {}\n", q.prompt);
        for (i, c) in q.choices.iter().enumerate() {
            let mark = if c.id == q.default {
                "  (national default)"
            } else {
                ""
            };
            text.push_str(&format!("  {}. {}{mark}\n", i + 1, c.label));
        }
        self.tell(text.trim_end())?;
        let prompt = format!("Your answer (1-{}) [{default_number}]: ", q.choices.len());
        let choice = loop {
            let typed = self.line(&prompt)?;
            match typed.as_str() {
                "" => break q.default,
                "?" => self.tell(&format!("  {}", q.help))?,
                "-" => {
                    self.tell("  Skipped: the national default applies.")?;
                    return Ok(None);
                }
                typed => match choice_typed(q, typed) {
                    Ok(id) => break id,
                    Err(why) => self.tell(&format!(
                        "  That will not do: {why}. Type a number from 1 to {}, press Enter \
                         for the national default, or type ? for help.",
                        q.choices.len()
                    ))?,
                },
            }
        };
        let mut given = Given {
            question: q,
            choice,
            years: None,
            section: None,
        };
        if choice == q.default {
            return Ok(Some(given));
        }
        if q.narrows.is_some() {
            given.years = Some(self.ask(
                "Which year groups? First and last, such as 5-6 (0 is Reception)",
                None,
                years_typed,
            )?);
        }
        given.section = Some(self.ask(
            "This differs from national guidance: which section of your policy says so \
             (its heading)?",
            None,
            non_empty,
        )?);
        Ok(Some(given))
    }
}

/// The choice a person typed, by its number or its id, checked by the
/// engine; the school's own rules (`custom`) are for an answers file.
fn choice_typed(q: &'static Question, typed: &str) -> Result<&'static str, String> {
    let id = match typed.parse::<usize>() {
        Ok(n) => q
            .choices
            .get(n.wrapping_sub(1))
            .map(|c| c.id)
            .ok_or_else(|| "there is no answer with that number".to_string())?,
        Err(_) => typed,
    };
    match validate::choice_of(q, id) {
        Ok(Some(choice)) => Ok(choice.id),
        Ok(None) => Err(
            "your own rules cannot be typed here; give them in an answers \
                         file (--answers)"
                .to_string(),
        ),
        Err(_) => Err("that is not one of the answers".to_string()),
    }
}

/// Year groups typed as `5-6` (or `5 to 6`, or one year group), checked
/// by the engine.
fn years_typed(typed: &str) -> Result<[u8; 2], String> {
    let parts: Vec<&str> = typed
        .split(|c: char| c == '-' || c.is_whitespace())
        .filter(|p| !p.is_empty() && *p != "to")
        .collect();
    let numbers: Option<Vec<u8>> = parts.iter().map(|p| p.parse().ok()).collect();
    let range = match numbers.as_deref() {
        Some(&[one]) => [one, one],
        Some(&[from, to]) => [from, to],
        _ => return Err("expected two year groups, such as 5-6".to_string()),
    };
    validate::year_range(range)
}

/// Any text but nothing.
fn non_empty(typed: &str) -> Result<String, String> {
    if typed.is_empty() {
        Err("an answer is needed here".to_string())
    } else {
        Ok(typed.to_string())
    }
}

/// A policy id from a school's name: `St Mary's C of E` becomes
/// `st-marys-c-of-e`.
fn slug(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if (c.is_whitespace() || c == '-') && !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a session on `typed` lines; what it printed, and its result.
    fn session(typed: &str) -> (String, Asked<Value>) {
        let mut printed = Vec::new();
        let result = Session::new(typed.as_bytes(), &mut printed).run();
        (String::from_utf8(printed).unwrap_or_default(), result)
    }

    /// Enter for every question, then the school: no answer departs, so
    /// none needs a citation, and every question is asked.
    #[test]
    fn enter_everywhere_keeps_every_national_default() {
        let asked = QUESTIONS.iter().filter(|q| q.narrows.is_none()).count();
        let mut typed = "\n".repeat(asked);
        typed.push_str("St Mary's C of E\n\n2026-09\n\n");
        let (printed, result) = session(&typed);
        let answers = result.unwrap();
        assert_eq!(answers["school"]["id"], "st-marys-c-of-e");
        assert_eq!(
            answers["school"]["source"],
            "St Mary's C of E online-safety policy"
        );
        for a in answers["answers"].as_array().unwrap() {
            let q = validate::question_of(a["question"].as_str().unwrap()).unwrap();
            assert_eq!(a["choice"], q.default);
            assert!(a.get("cite").is_none());
        }
        // Questions that narrow another answer are not asked when it keeps
        // its default; every other question is, by its own words.
        for q in QUESTIONS {
            assert_eq!(printed.contains(q.prompt), q.narrows.is_none(), "{}", q.id);
        }
    }

    /// A wrong answer is refused and asked again; `?` shows the help; a
    /// departing answer takes its year groups and section.
    #[test]
    fn wrong_answers_are_asked_again() {
        let q = QUESTIONS[0];
        let gate = q.choices.iter().position(|c| !c.produces.rules.is_empty());
        let gate = gate.unwrap() + 1;
        let mut typed = format!("9\nin a drawer\n?\n{gate}\n\nPhones\n");
        let rest = QUESTIONS[1..]
            .iter()
            .filter(|r| r.narrows.map_or(true, |n| n == q.id))
            .count();
        typed.push_str(&"\n".repeat(rest));
        typed.push_str("Oak School\n\n2026\n\n");
        let (printed, result) = session(&typed);
        assert_eq!(printed.matches("That will not do").count(), 3, "{printed}");
        assert!(printed.contains(q.help));
        assert!(!printed.contains("in a drawer"));
        let answers = result.unwrap();
        assert_eq!(answers["answers"][0]["cite"]["section"], "Phones");
    }

    /// The end of the input stops the session with nothing to write.
    #[test]
    fn the_end_of_the_input_stops_the_session() {
        let (_, result) = session("\n");
        assert!(result.is_err());
    }

    /// Year groups are read in the usual ways and checked by the engine.
    #[test]
    fn year_groups_are_read_and_checked() {
        assert_eq!(years_typed("5-6"), Ok([5, 6]));
        assert_eq!(years_typed("5 to 6"), Ok([5, 6]));
        assert_eq!(years_typed("6"), Ok([6, 6]));
        for bad in ["6-5", "5-14", "five", "", "1-2-3"] {
            assert!(years_typed(bad).is_err(), "{bad}");
        }
    }
}
