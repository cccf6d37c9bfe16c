//! The policy builder: a school's policy from its answers to the question
//! model (issue 24).
//!
//! England's schools mostly adapt a handful of templates, and what sets
//! one school's policy apart is a few dozen choices: where pupils' phones
//! go, whether staff may use an own phone in an emergency, whether parents
//! may film at events. A DSL can answer those; few can write rule TOML. So
//! the [`questions`] hold those choices as data, and [`build`] turns a
//! school's [`Answers`] into a policy that `extends = "baseline"`: the
//! national default of every question is already the baseline's, so only
//! the answers that differ add, restate or drop rules, each rule written
//! under a comment naming the answer that produced it and citing the
//! school's own section for it.
//!
//! What the model cannot express goes in the answers file's custom rules
//! ([`CustomRules`]), copied into the policy as they stand, after the
//! answers' rules, under a heading that says so. A choice that departs
//! from national guidance must give the school's citation (title and
//! section heading), or the build fails: a rule nobody can trace to the
//! school's text is not one to act on.
//!
//! The builder writes text and checks the answers; it does not load the
//! result. [`crate::json::build_policy`] loads what it wrote, so a policy
//! that would not load (a custom rule that weakens the floor, say) is an
//! error there, never a file handed back.

pub mod questions;

use super::load::{parse_as, Format, MAX_POLICY_BYTES};
use crate::devices::{DeviceRule, DevicesSection, MAX_YEAR_GROUP};
use crate::error::{Error, Location, Result};
use crate::vocab::Cite;
use questions::{question, Question, CUSTOM, QUESTIONS};
use std::fmt::Write as _;

crate::wire::json_in::wire_struct! {
    /// A school's answers to the question model: the file `safeguard
    /// policy new --answers` reads (TOML or JSON).
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct Answers {
        /// Who the policy is for.
        required school: School,
        /// One answer per question answered; a question left out takes
        /// its national default.
        list answers: Vec<Answer>,
        /// What the model cannot express, copied into the policy as it
        /// stands.
        default custom: CustomRules,
    }
}

crate::wire::json_in::wire_struct! {
    /// The identity of the policy to write.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct School {
        /// The policy's id: lower-case letters, digits and hyphens.
        required id: String,
        /// The school's name.
        required name: String,
        /// The policy's own version (its date of adoption or review).
        required version: String,
        /// The school's policy document, by title and date.
        required source: String,
    }
}

crate::wire::json_in::wire_struct! {
    /// One question answered.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct Answer {
        /// The question's id (`devices.pupil_phones`).
        required question: String,
        /// The choice's id, or `custom` when the custom rules say it.
        required choice: String,
        /// The year groups, inclusive, for a question that takes them.
        optional years: Option<[u8; 2]>,
        /// Where the school's policy says so: required for any choice but
        /// the national default.
        optional cite: Option<Cite>,
    }
}

crate::wire::json_in::wire_struct! {
    /// The rules the question model cannot express.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct CustomRules {
        /// Ids of baseline device rules the school's policy drops (never
        /// a floor rule).
        list devices_remove: Vec<String>,
        /// The school's own device rules.
        list devices: Vec<DeviceRule>,
    }
}

impl Answers {
    /// Reads an answers file.
    pub fn from_text(text: &str, format: Format) -> Result<Answers> {
        if text.len() > MAX_POLICY_BYTES {
            return Err(Error::TooLarge {
                at: Location::none(),
                message: format!("the answers file is over {MAX_POLICY_BYTES} bytes"),
            });
        }
        parse_as(text, format, "answers")
    }
}

/// An answer checked against its question.
struct Chosen<'a> {
    question: &'static Question,
    choice: &'static questions::Choice,
    answer: &'a Answer,
}

fn invalid(path: String, message: impl Into<String>) -> Error {
    Error::InvalidValue {
        at: Location::path(path),
        message: message.into(),
    }
}

/// Checks each answer against the model: a known question, answered
/// once, with one of its choices, a citation wherever the choice departs
/// from national guidance, and years exactly where they are taken.
fn check(answers: &Answers) -> Result<Vec<Chosen<'_>>> {
    let mut chosen: Vec<Chosen<'_>> = Vec::new();
    for (i, answer) in answers.answers.iter().enumerate() {
        let at = |field: &str| format!("answers[{i}].{field}");
        let Some(q) = question(&answer.question) else {
            return Err(invalid(at("question"), "not a question of the model"));
        };
        if chosen.iter().any(|c| c.question.id == q.id) {
            return Err(invalid(at("question"), "this question is answered twice"));
        }
        let departs = answer.choice != q.default;
        if departs && answer.choice != CUSTOM && q.choice(&answer.choice).is_none() {
            let ids: Vec<&str> = q.choices.iter().map(|c| c.id).chain([CUSTOM]).collect();
            return Err(invalid(
                at("choice"),
                format!("not one of: {}", ids.join(", ")),
            ));
        }
        if departs && answer.cite.is_none() {
            return Err(Error::MissingField {
                at: Location::path(format!("answers[{i}]")),
                field: "cite".into(),
            });
        }
        if answer.choice == CUSTOM {
            if answers.custom.devices.is_empty() && answers.custom.devices_remove.is_empty() {
                return Err(invalid(
                    at("choice"),
                    "`custom` needs the school's own rules in the custom rules",
                ));
            }
            if answer.years.is_some() {
                return Err(invalid(at("years"), "`custom` takes no year groups"));
            }
            continue;
        }
        let Some(choice) = q.choice(&answer.choice) else {
            let ids: Vec<&str> = q.choices.iter().map(|c| c.id).chain([CUSTOM]).collect();
            return Err(invalid(
                at("choice"),
                format!("not one of: {}", ids.join(", ")),
            ));
        };
        match answer.years {
            Some([from, to]) if q.takes_years && departs => {
                if from > to || to > MAX_YEAR_GROUP {
                    return Err(invalid(
                        at("years"),
                        format!("expected two year groups, the first no later than the second, from 0 (Reception) to {MAX_YEAR_GROUP}"),
                    ));
                }
            }
            Some(_) => {
                return Err(invalid(at("years"), "this answer takes no year groups"));
            }
            None if q.takes_years && departs => {
                return Err(Error::MissingField {
                    at: Location::path(format!("answers[{i}]")),
                    field: "years".into(),
                });
            }
            None => {}
        }
        chosen.push(Chosen {
            question: q,
            choice,
            answer,
        });
    }
    // Year groups only narrow a choice that lets pupils bring a phone.
    let brings = chosen
        .iter()
        .any(|c| c.question.id == "devices.pupil_phones" && !c.choice.produces.remove.is_empty());
    if let Some(i) = answers
        .answers
        .iter()
        .position(|a| a.question == "devices.pupil_phone_years" && a.choice == "some_years")
    {
        if !brings {
            return Err(invalid(
                format!("answers[{i}].choice"),
                "year groups apply only when pupils may bring a phone",
            ));
        }
    }
    Ok(chosen)
}

/// The rules a choice's template holds, citing the answer's citation.
fn template_rules(chosen: &Chosen<'_>) -> Result<Vec<DeviceRule>> {
    let text = chosen.choice.produces.rules;
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let section: DevicesSection =
        parse_as(text, Format::Toml, "policy").map_err(|e| Error::Internal {
            message: format!(
                "the question model's rules for {} do not read: {e}",
                chosen.question.id
            ),
        })?;
    let mut rules = section.rules;
    if let Some(cite) = &chosen.answer.cite {
        for rule in &mut rules {
            rule.cite = cite.clone();
        }
    }
    Ok(rules)
}

/// The rules the year-groups answer produces: its template's forbid, once
/// for each run of year groups outside `[from, to]`, and the pupil-phone
/// rules narrowed to `[from, to]`.
fn other_years(template: &[DeviceRule], [from, to]: [u8; 2]) -> Vec<DeviceRule> {
    let mut rules = Vec::new();
    for (lo, hi, name) in [
        (0, from.checked_sub(1), "below"),
        (to + 1, Some(MAX_YEAR_GROUP), "above"),
    ] {
        let Some(hi) = hi.filter(|&hi| lo <= hi) else {
            continue;
        };
        for rule in template {
            let mut rule = rule.clone();
            rule.id = format!("{}.{name}", rule.id);
            rule.year_groups = Some([lo, hi]);
            rules.push(rule);
        }
    }
    rules
}

/// A TOML string, quoted and escaped.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A list of tokens as TOML.
fn tokens<T: Copy>(items: &[T], as_str: impl Fn(T) -> &'static str) -> String {
    let items: Vec<String> = items.iter().map(|&t| quoted(as_str(t))).collect();
    format!("[{}]", items.join(", "))
}

/// One `[[devices.rules]]` entry, its fields in the order a policy gives
/// them (a test reads every preset's rules back from what this writes).
fn write_rule(out: &mut String, r: &DeviceRule) {
    use crate::vocab::Token;
    let mut field = |key: &str, value: String| {
        let _ = writeln!(out, "{key} = {value}");
    };
    field("id", quoted(&r.id));
    if r.floor {
        field("floor", "true".into());
    }
    field("effect", quoted(r.effect.as_str()));
    let lists = [
        ("roles", tokens(&r.roles, Token::as_str)),
        ("devices", tokens(&r.devices, Token::as_str)),
        ("actions", tokens(&r.actions, Token::as_str)),
        ("locations", tokens(&r.locations, Token::as_str)),
        ("periods", tokens(&r.periods, Token::as_str)),
        ("permission_from", tokens(&r.permission_from, Token::as_str)),
        ("exception", tokens(&r.exception, Token::as_str)),
        ("conditions", tokens(&r.conditions, Token::as_str)),
        ("on_breach", tokens(&r.on_breach, Token::as_str)),
    ];
    let flags = [
        (
            "works_directly_with_children",
            r.works_directly_with_children,
        ),
        ("children_present", r.children_present),
        ("emergency", r.emergency),
        ("parental_request", r.parental_request),
        ("subjects_consent", r.subjects_consent),
        ("school_device_available", r.school_device_available),
    ];
    if let Some([from, to]) = r.year_groups {
        field("year_groups", format!("[{from}, {to}]"));
    }
    if let Some(owner) = r.owner {
        field("owner", quoted(owner.as_str()));
    }
    for (key, list) in lists {
        if list != "[]" {
            field(key, list);
        }
    }
    for (key, flag) in flags {
        if let Some(flag) = flag {
            field(key, flag.to_string());
        }
    }
    field("summary", quoted(&r.summary));
    field(
        "cite",
        format!(
            "{{ source = {}, section = {} }}",
            quoted(&r.cite.source),
            quoted(&r.cite.section)
        ),
    );
    out.push('\n');
}

/// The comment naming the answer that produced what follows.
fn answer_comment(chosen: &Chosen<'_>) -> String {
    let mut text = format!(
        "# {} ({} = {})\n# Answer: {}\n",
        chosen.question.prompt, chosen.question.id, chosen.choice.id, chosen.choice.label
    );
    if let Some([from, to]) = chosen.answer.years {
        let _ = writeln!(text, "# Year groups {from} to {to}.");
    }
    if let Some(cite) = &chosen.answer.cite {
        let _ = writeln!(
            text,
            "# The school's policy: {}, \"{}\".",
            cite.source, cite.section
        );
    }
    text
}

/// Writes the policy TOML for `answers`: the school's identity, `extends =
/// "baseline"`, then each answer that departs from national guidance with
/// the rules it produced, then the custom rules. Errors are the answers'
/// (an unknown question or choice, a missing citation), at their path.
pub fn build(answers: &Answers) -> Result<String> {
    let chosen = check(answers)?;
    let school = &answers.school;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}: online-safety policy, built by `safeguard policy new` from the\n\
         # school's answers to the question model. The policy extends the\n\
         # national baseline: every question answered with the national default\n\
         # adds nothing. Each rule below names the answer that produced it; the\n\
         # custom rules at the end are the school's own, as its answers file gives them.\n",
        school.name.replace('\n', " ")
    );
    let _ = writeln!(
        out,
        "[policy]\nid = {}\nname = {}\nversion = {}\nsource = {}\nextends = \"baseline\"\n",
        quoted(&school.id),
        quoted(&school.name),
        quoted(&school.version),
        quoted(&school.source)
    );
    for q in QUESTIONS {
        if !chosen.iter().any(|c| c.question.id == q.id) {
            let label = q.choice(q.default).map_or("", |c| c.label);
            let custom = answers.answers.iter().any(|a| a.question == q.id);
            let _ = writeln!(
                out,
                "# {} ({}): {}",
                q.prompt,
                q.id,
                if custom {
                    "the school's own rules, in the custom rules below."
                } else {
                    label
                }
            );
        }
    }
    out.push('\n');

    // The devices section's settings: removals and disciplinary action.
    out.push_str("[devices]\n");
    let mut remove: Vec<&str> = Vec::new();
    for c in &chosen {
        for id in c.choice.produces.remove {
            if !remove.contains(id) {
                let _ = write!(out, "{}", answer_comment(c));
                remove.push(id);
            }
        }
    }
    for id in &answers.custom.devices_remove {
        if !remove.contains(&id.as_str()) {
            remove.push(id);
        }
    }
    if !remove.is_empty() {
        let list: Vec<String> = remove.iter().map(|id| quoted(id)).collect();
        let _ = writeln!(out, "remove = [{}]", list.join(", "));
    }
    for c in chosen
        .iter()
        .filter(|c| c.choice.produces.staff_breach_disciplinary)
    {
        let _ = write!(out, "{}", answer_comment(c));
        out.push_str("staff_breach_disciplinary = true\n");
        if let Some(cite) = &c.answer.cite {
            let _ = writeln!(
                out,
                "staff_breach_cite = {{ source = {}, section = {} }}",
                quoted(&cite.source),
                quoted(&cite.section)
            );
        }
    }
    out.push('\n');

    // The rules each answer produced, in the order of the questions.
    let pupil_phone_rules = chosen
        .iter()
        .find(|c| c.question.id == "devices.pupil_phones")
        .map(template_rules)
        .transpose()?
        .unwrap_or_default();
    for c in &chosen {
        let mut rules = template_rules(c)?;
        if let (Some(years), true) = (c.answer.years, c.question.takes_years) {
            // The pupil-phone rules, narrowed to the years, then the
            // forbids for the other years.
            let mut narrowed: Vec<DeviceRule> = pupil_phone_rules.clone();
            for rule in &mut narrowed {
                rule.year_groups = Some(years);
            }
            narrowed.extend(other_years(&rules, years));
            rules = narrowed;
        } else if c.question.id == "devices.pupil_phones" && narrowed(&chosen) {
            continue; // written with the year groups' answer
        }
        if rules.is_empty() {
            continue;
        }
        let _ = write!(out, "{}", answer_comment(c));
        for rule in &rules {
            out.push_str("[[devices.rules]]\n");
            write_rule(&mut out, rule);
        }
    }

    if !answers.custom.devices.is_empty() {
        out.push_str(
            "# ---------------------------------------------------------------------------\n\
             # Custom rules: the school's own, which the question model cannot express.\n\
             # ---------------------------------------------------------------------------\n\n",
        );
        for rule in &answers.custom.devices {
            out.push_str("[[devices.rules]]\n");
            write_rule(&mut out, rule);
        }
    }
    Ok(out)
}

/// Whether the year-groups answer narrows the pupil-phone rules.
fn narrowed(chosen: &[Chosen<'_>]) -> bool {
    chosen
        .iter()
        .any(|c| c.question.takes_years && c.answer.years.is_some())
}

#[cfg(test)]
mod tests;
