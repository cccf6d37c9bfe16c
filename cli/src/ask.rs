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
//! After the questions and the school's identity come its named people,
//! its school day and year, and its local bodies: each part skipped whole
//! with `-`, the people and bodies offered from the engine's own list of
//! parties in the words its explanations use, and each value read by the
//! engine as it is typed (`validate::hours`, `validate::add_to_day`,
//! `validate::contact`: the floor's check of an out-of-hours route), so a
//! time the policy would refuse is refused there and then. They come
//! after the identity so that their citations name the school's policy
//! document, and the day comes before the bodies because an out-of-hours
//! route must fall outside it.
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
use safeguard_engine::policy::builder::validate::{self, DayPart};
use safeguard_engine::policy::{Contact, OutOfHours};
use safeguard_engine::{Cite, ClockTime, Timetable, Who};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
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

    /// Asks every question of the model, then the school's details, its
    /// people, day and bodies, and returns the answers file as JSON.
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
        let roles = self.contacts(Part::People, &source, None)?;
        let timetable = self.school_day(&source)?;
        let bodies = self.contacts(Part::Bodies, &source, timetable.as_ref())?;
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
        let mut file = json!({
            "school": { "id": id, "name": name, "version": version, "source": source },
            "answers": answers,
        });
        let unwritable = |e: serde_json::Error| {
            Failure::io("cannot write the answers", std::io::Error::other(e))
        };
        if !roles.is_empty() {
            file["roles"] = serde_json::to_value(&roles).map_err(unwritable)?;
        }
        if !bodies.is_empty() {
            file["bodies"] = serde_json::to_value(&bodies).map_err(unwritable)?;
        }
        if let Some(timetable) = timetable {
            file["timetable"] = serde_json::to_value(&timetable).map_err(unwritable)?;
        }
        Ok(file)
    }

    /// Whether the person goes on with a part of the session, or skips it
    /// whole with `-` (the national policy's then applies).
    fn begin(&mut self, heading: &str, about: &str) -> Asked<bool> {
        self.tell(&format!("\n== {heading} ==\n{about}"))?;
        let typed = self.ask(
            "Press Enter to give them, or type - to skip this part",
            None,
            |t| match t {
                "" | "-" => Ok(t.is_empty()),
                _ => Err("press Enter, or type -".to_string()),
            },
        )?;
        if !typed {
            self.tell("  Skipped: as the national policy gives them.")?;
        }
        Ok(typed)
    }

    /// The school's named people or local bodies, chosen from the
    /// engine's own list of parties and named in its words; each contact
    /// is checked as the policy will be (`timetable` is the school day an
    /// out-of-hours route must fall outside).
    fn contacts(
        &mut self,
        part: Part,
        source: &str,
        timetable: Option<&Timetable>,
    ) -> Asked<BTreeMap<Who, Contact>> {
        let (heading, about, offered): (&str, &str, Vec<Who>) = match part {
            Part::People => (
                "Your school's named people",
                "Your policy may name its DSL, its headteacher and others, with their\n\
                 telephone numbers, so that each step says whom to go to.",
                validate::named_people().collect(),
            ),
            Part::Bodies => (
                "Your local bodies",
                "Your policy may give the local bodies a concern goes to (the LADO,\n\
                 children's social care, ...), with their numbers, opening hours and\n\
                 a route for outside those hours.",
                validate::local_bodies().collect(),
            ),
        };
        let mut given = BTreeMap::new();
        if !self.begin(heading, about)? {
            return Ok(given);
        }
        loop {
            let mut list = String::new();
            for (i, who) in offered.iter().enumerate() {
                let mark = if given.contains_key(who) {
                    "  (given)"
                } else {
                    ""
                };
                list.push_str(&format!("  {}. {}{mark}\n", i + 1, who.as_heading()));
            }
            self.tell(list.trim_end())?;
            let chosen = self.ask(
                "Whose details? Type a number, or press Enter when you have finished",
                None,
                |t| {
                    if t.is_empty() {
                        return Ok(None);
                    }
                    t.parse::<usize>()
                        .ok()
                        .and_then(|n| offered.get(n.wrapping_sub(1)))
                        .map(|w| Some(*w))
                        .ok_or_else(|| format!("type a number from 1 to {}", offered.len()))
                },
            )?;
            let Some(who) = chosen else { break };
            let contact = self.contact(who, part, timetable)?;
            given.insert(who, contact);
        }
        if !given.is_empty() {
            let section = self.ask(
                "Which section of your policy gives these (its heading)? Press Enter for none",
                None,
                |t| Ok::<_, String>(t.to_string()),
            )?;
            if !section.is_empty() {
                for contact in given.values_mut() {
                    contact.cite = Some(Cite {
                        source: source.into(),
                        section: section.as_str().into(),
                    });
                }
            }
        }
        Ok(given)
    }

    /// One contact for `who`: a body's opening hours and out-of-hours
    /// route asked again until the engine accepts them.
    fn contact(&mut self, who: Who, part: Part, timetable: Option<&Timetable>) -> Asked<Contact> {
        let words = who.as_heading();
        let title = self.ask("The title your policy uses", Some(&words), non_empty)?;
        let name = match part {
            Part::People => optional(self.ask("The person's name (Enter for none)", None, any)?),
            Part::Bodies => None,
        };
        let phone = optional(self.ask("Telephone (Enter for none)", None, any)?);
        let email = optional(self.ask("E-mail (Enter for none)", None, any)?);
        let mut contact = Contact {
            title,
            name,
            phone,
            email,
            hours: None,
            out_of_hours: None,
            cite: None,
        };
        if part == Part::People {
            return Ok(contact);
        }
        contact.hours = optional(self.ask(
            "Opening hours, such as 09:00-17:00 (Enter for none)",
            None,
            |t| {
                if t.is_empty() {
                    Ok(String::new())
                } else {
                    validate::hours(t).map(|()| t.to_string())
                }
            },
        )?);
        loop {
            let route = self.ask(
                "A route outside those hours (an emergency duty team, say): its name, or Enter for none",
                None,
                any,
            )?;
            contact.out_of_hours = None;
            if !route.is_empty() {
                let phone = self.ask("Its telephone", None, non_empty)?;
                let hours = self.ask("When it applies, such as 17:00-08:30", None, |t| {
                    validate::hours(t).map(|()| t.to_string())
                })?;
                let emergency_only = self.ask(
                    "Only for a child at immediate risk? (y or n)",
                    Some("n"),
                    yes_or_no,
                )?;
                contact.out_of_hours = Some(OutOfHours {
                    title: route,
                    phone: Some(phone),
                    hours,
                    emergency_only,
                });
            }
            match validate::contact(who, &contact, timetable) {
                Ok(()) => return Ok(contact),
                Err(why) => self.tell(&format!(
                    "  That will not do: {why}. Please give the route again."
                ))?,
            }
        }
    }

    /// The school day and, if given, its breaks, lunch, terms and closure
    /// days, each checked by the engine as it is typed.
    fn school_day(&mut self, source: &str) -> Asked<Option<Timetable>> {
        if !self.begin(
            "Your school day and year",
            "Your policy may give the times of the school day, its breaks and lunch,\n\
             and the term dates.",
        )? {
            return Ok(None);
        }
        let start = self.ask("The school day starts at (HH:MM)", None, |t| {
            ClockTime::parse(t).map(|_| t.to_string())
        })?;
        let mut timetable = self.ask("It ends at (HH:MM)", None, |t| {
            validate::school_day(&start, t)
        })?;
        let parts = [
            (
                DayPart::Break,
                "A break, such as 10:30-10:45, or Enter when there are no more",
                true,
            ),
            (
                DayPart::Lunch,
                "Lunch, such as 12:00-13:00, or Enter for none",
                false,
            ),
            (
                DayPart::Term,
                "A term's first and last days, such as 2026-09-03 to 2026-12-18, or Enter \
                 when there are no more",
                true,
            ),
            (
                DayPart::Closure,
                "A day the school is closed in term (a bank holiday or training day), \
                 YYYY-MM-DD, or Enter when there are no more",
                true,
            ),
        ];
        for (part, prompt, repeats) in parts {
            loop {
                let added = self.ask(prompt, None, |t| {
                    if t.is_empty() {
                        return Ok(None);
                    }
                    let mut with = timetable.clone();
                    validate::add_to_day(&mut with, part, t).map(|()| Some(with))
                })?;
                let Some(with) = added else { break };
                timetable = with;
                if !repeats {
                    break;
                }
            }
        }
        let section = self.ask(
            "Which section of your policy gives these (its heading)? Press Enter for none",
            None,
            any,
        )?;
        if !section.is_empty() {
            timetable.cite = Some(Cite {
                source: source.into(),
                section: section.as_str().into(),
            });
        }
        Ok(Some(timetable))
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

/// The two parts of a session that name contacts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The school's named people (its `roles`).
    People,
    /// The local bodies (its `bodies`).
    Bodies,
}

/// Nothing typed is no value.
fn optional(typed: String) -> Option<String> {
    (!typed.is_empty()).then_some(typed)
}

/// Any text, or nothing.
fn any(typed: &str) -> Result<String, String> {
    Ok(typed.to_string())
}

/// `y` or `n` (or yes, no).
fn yes_or_no(typed: &str) -> Result<bool, String> {
    match typed.to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(true),
        "n" | "no" => Ok(false),
        _ => Err("type y or n".to_string()),
    }
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
        // The school, then its people, day and bodies skipped.
        typed.push_str("St Mary's C of E\n\n2026-09\n\n-\n-\n-\n");
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
        typed.push_str("Oak School\n\n2026\n\n-\n-\n-\n");
        let (printed, result) = session(&typed);
        assert_eq!(printed.matches("That will not do").count(), 3, "{printed}");
        assert!(printed.contains(q.help));
        assert!(!printed.contains("in a drawer"));
        let answers = result.unwrap();
        assert_eq!(answers["answers"][0]["cite"]["section"], "Phones");
        for skipped in ["roles", "bodies", "timetable"] {
            assert!(answers.get(skipped).is_none(), "{skipped}");
        }
    }

    /// The school's DSL, its day and the LADO, each value checked as it
    /// is typed: a time, hours or a route the engine refuses is asked
    /// again, and what is accepted is in the answers.
    #[test]
    fn people_day_and_bodies_are_asked_and_checked() {
        let number = |list: Vec<Who>, who: Who| list.iter().position(|w| *w == who).unwrap() + 1;
        let dsl = number(validate::named_people().collect(), Who::Dsl);
        let lado = number(validate::local_bodies().collect(), Who::Lado);
        let mut typed = "-\n".repeat(QUESTIONS.iter().filter(|q| q.narrows.is_none()).count());
        typed.push_str("Oak School\n\n2026\n\n");
        // The DSL by name, cited.
        typed.push_str(&format!(
            "\n{dsl}\n\nAnn Smith\n01234 111222\n\n\nContacts\n"
        ));
        // The day: a bad start, an end before the start, a break outside
        // the day, a term backwards.
        typed.push_str("\n8.45\n08:45\n08:00\n15:15\n16:00-16:15\n10:30-10:45\n\n");
        typed.push_str("12:00-13:00\n2026-12-18 to 2026-09-03\n2026-09-03 to 2026-12-18\n\n\n\n");
        // The LADO: bad hours, then a route during the school day, then
        // one after it.
        typed.push_str(&format!("\n{lado}\n\n01234 333444\n\n9-5\n09:00-17:00\n"));
        typed.push_str("Duty team\n01234 555666\n12:00-18:00\n\n");
        typed.push_str("Duty team\n01234 555666\n17:00-08:30\ny\n\n\n");
        let (printed, result) = session(&typed);
        let answers = result.unwrap();
        assert_eq!(printed.matches("That will not do").count(), 6, "{printed}");
        assert!(printed.contains(Who::Lado.in_words().trim_start_matches("the ")));
        let dsl = &answers["roles"]["dsl"];
        assert_eq!(dsl["name"], "Ann Smith");
        assert_eq!(dsl["title"], "Designated Safeguarding Lead (DSL)");
        assert_eq!(dsl["cite"]["section"], "Contacts");
        let lado = &answers["bodies"]["lado"];
        assert_eq!(lado["hours"], "09:00-17:00");
        assert_eq!(lado["out_of_hours"]["hours"], "17:00-08:30");
        assert_eq!(lado["out_of_hours"]["emergency_only"], true);
        let day = &answers["timetable"];
        assert_eq!(
            (&day["day_start"], &day["day_end"]),
            (&json!("08:45"), &json!("15:15"))
        );
        assert_eq!(day["breaks"], json!([{ "start": "10:30", "end": "10:45" }]));
        assert_eq!(day["terms"][0]["end"], "2026-12-18");
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
