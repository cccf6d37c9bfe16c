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

pub(crate) mod origin;
pub mod questions;
pub mod validate;

use super::load::{parse_as, Format};
use crate::civil::Timetable;
use crate::contacts::Contact;
use crate::devices::{DeviceRule, DevicesSection, MAX_YEAR_GROUP};
use crate::error::{Error, Location, Result};
use crate::escalation::EscalationSection;
use crate::images::{ImageRule, ImagesSection};
use crate::sexting::SextingSection;
use crate::vocab::{Cite, Domain, Who};
use crate::wire::json_in::ReadJson;
use questions::{question, Question, CUSTOM, QUESTIONS};
use std::collections::BTreeMap;
use std::fmt::Write as _;

crate::wire::json_in::wire_struct! {
    /// A school's answers to the question model: the file `safeguard
    /// policy new --answers` reads (TOML or JSON).
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct Answers {
        /// Who the policy is for.
        required school: School,
        /// The school's named people (its DSL, headteacher, ...), as a
        /// policy's `[roles]` gives them; each replaces the baseline's.
        default roles: BTreeMap<Who, Contact>,
        /// The local bodies the school refers to (LADO, children's social
        /// care, ...), as a policy's `[bodies]` gives them.
        default bodies: BTreeMap<Who, Contact>,
        /// The school day and year, as a policy's `[timetable]` gives it;
        /// absent, the baseline's applies.
        optional timetable: Option<Timetable>,
        /// One answer per question answered; a question left out takes
        /// its national default.
        list answers: Vec<Answer>,
        /// The national rules (the floor's among them) that the school's
        /// policy states in its own text: each is written into the policy
        /// as the baseline has it, citing the school's section.
        list restate: Vec<Restated>,
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
    /// A national rule the school's policy states itself: a citation, not
    /// a choice (the rule is the baseline's, word for word, so a floor
    /// rule can be restated too, never changed).
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct Restated {
        /// The baseline rule's id (`images.floor.personal_device`): a
        /// rule of the devices, images or escalation section, or a sexting
        /// rule or step. (The initial-review checklist is kept whole by
        /// every policy and its questions carry no citation: nothing to
        /// restate.)
        required rule: String,
        /// Where the school's policy states it.
        required cite: Cite,
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
        /// Ids of baseline images rules the school's policy drops (never
        /// a floor rule).
        list images_remove: Vec<String>,
        /// The school's own images rules.
        list images: Vec<ImageRule>,
        /// The school's own sexting section (its decision rules, steps and
        /// checklist, and the baseline's it drops), as a policy's
        /// `[sexting]` gives it.
        default sexting: SextingSection,
        /// The school's own escalation section (its routing rules, its
        /// reading of "the same day" after hours, and the baseline's rules
        /// it drops), as a policy's `[escalation]` gives it.
        default escalation: EscalationSection,
    }
}

impl Answers {
    /// Reads an answers file.
    pub fn from_text(text: &str, format: Format) -> Result<Answers> {
        parse_as(text, format, "answers file")
    }
}

/// An answer checked against its question: `choice` is `None` for
/// [`CUSTOM`].
struct Chosen<'a> {
    /// The answer's place in the answers file.
    index: usize,
    question: &'static Question,
    choice: Option<&'static questions::Choice>,
    answer: &'a Answer,
}

fn invalid(path: String, message: impl Into<String>) -> Error {
    Error::InvalidValue {
        at: Location::path(path),
        message: message.into(),
    }
}

fn missing(path: String, field: &str) -> Error {
    Error::MissingField {
        at: Location::path(path),
        field: field.into(),
    }
}

/// Checks each answer against the model: a known question, answered
/// once, with one of its choices (or [`CUSTOM`], with custom rules to
/// say it), a citation wherever the choice departs from national
/// guidance, and year groups exactly where they are taken.
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
        let choice = if answer.choice == CUSTOM {
            let custom = &answers.custom;
            if custom.devices.is_empty()
                && custom.devices_remove.is_empty()
                && custom.images.is_empty()
                && custom.images_remove.is_empty()
                && custom.sexting == SextingSection::default()
                && custom.escalation == EscalationSection::default()
            {
                return Err(invalid(
                    at("choice"),
                    "`custom` needs the school's own rules in the custom rules",
                ));
            }
            None
        } else {
            let Some(choice) = q.choice(&answer.choice) else {
                let ids: Vec<&str> = q.choices.iter().map(|c| c.id).chain([CUSTOM]).collect();
                return Err(invalid(
                    at("choice"),
                    format!("not one of: {}", ids.join(", ")),
                ));
            };
            Some(choice)
        };
        let departs = answer.choice != q.default;
        if departs && answer.cite.is_none() {
            return Err(missing(format!("answers[{i}]"), "cite"));
        }
        let takes_years = q.narrows.is_some() && departs && choice.is_some();
        match answer.years {
            Some(_) if !takes_years => {
                return Err(invalid(at("years"), "this answer takes no year groups"));
            }
            Some([from, to]) if from > to || to > MAX_YEAR_GROUP => {
                return Err(invalid(
                    at("years"),
                    format!(
                        "expected two year groups, the first no later than the second, \
                         from 0 (Reception) to {MAX_YEAR_GROUP}"
                    ),
                ));
            }
            None if takes_years => return Err(missing(format!("answers[{i}]"), "years")),
            _ => {}
        }
        chosen.push(Chosen {
            index: i,
            question: q,
            choice,
            answer,
        });
    }
    // Year groups narrow another answer's rules, so that answer must have some.
    for c in &chosen {
        let Some(narrowed) = c.question.narrows.filter(|_| c.answer.years.is_some()) else {
            continue;
        };
        let has_rules = chosen.iter().any(|n| {
            n.question.id == narrowed && n.choice.is_some_and(|ch| !ch.produces.rules.is_empty())
        });
        if !has_rules {
            return Err(invalid(
                format!("answers[{}].choice", c.index),
                "year groups apply only when pupils may bring a phone",
            ));
        }
    }
    Ok(chosen)
}

/// The text of a choice's rule template, if it has rules.
fn template_text(chosen: &Chosen<'_>) -> Option<&'static str> {
    chosen
        .choice
        .map(|c| c.produces.rules)
        .filter(|text| !text.trim().is_empty())
}

/// The model's own template did not read: a bug of the model, which a
/// test of every template rules out.
fn template_error(chosen: &Chosen<'_>, e: Error) -> Error {
    Error::Internal {
        message: format!(
            "the question model's rules for {} do not read: {e}",
            chosen.question.id
        ),
    }
}

/// The rules a choice's template holds, read as its domain's section `S`
/// and taken out of it by `rules`, each citing the answer's citation.
fn template<S: ReadJson, R>(
    chosen: &Chosen<'_>,
    rules: fn(S) -> Vec<R>,
    cite: fn(&mut R) -> &mut Cite,
) -> Result<Vec<R>> {
    let Some(text) = template_text(chosen) else {
        return Ok(Vec::new());
    };
    let section: S =
        parse_as(text, Format::Toml, "policy").map_err(|e| template_error(chosen, e))?;
    let mut rules = rules(section);
    if let Some(given) = &chosen.answer.cite {
        for rule in &mut rules {
            *cite(rule) = given.clone();
        }
    }
    Ok(rules)
}

/// The device rules a choice's template holds.
fn template_rules(chosen: &Chosen<'_>) -> Result<Vec<DeviceRule>> {
    template(chosen, |s: DevicesSection| s.rules, |r| &mut r.cite)
}

/// The images rules a choice's template holds.
fn image_template_rules(chosen: &Chosen<'_>) -> Result<Vec<ImageRule>> {
    template(chosen, |s: ImagesSection| s.rules, |r| &mut r.cite)
}

/// The rules the year-groups answer produces: its template's forbid, once
/// for each run of year groups outside `[from, to]`, and the pupil-phone
/// rules narrowed to `[from, to]`.
fn other_years(template: &[DeviceRule], [from, to]: [u8; 2]) -> Vec<DeviceRule> {
    let mut rules = Vec::new();
    for (lo, hi, name) in [
        (0, from.checked_sub(1), "below"),
        (to.saturating_add(1), Some(MAX_YEAR_GROUP), "above"),
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

/// A TOML basic string, on one line: quotes, backslashes and control
/// characters escaped.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A list of tokens as TOML.
fn tokens<T: Copy>(items: &[T], as_str: impl Fn(T) -> &'static str) -> String {
    let items: Vec<String> = items.iter().map(|&t| quoted(as_str(t))).collect();
    format!("[{}]", items.join(", "))
}

/// A citation as an inline TOML table.
fn inline_cite(cite: &Cite) -> String {
    format!(
        "{{ source = {}, section = {} }}",
        quoted(&cite.source),
        quoted(&cite.section)
    )
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
    field("cite", inline_cite(&r.cite));
    out.push('\n');
}

/// One `[[images.rules]]` entry, its fields in the order a policy gives
/// them (a test reads every preset's rules back from what this writes).
fn write_image_rule(out: &mut String, r: &ImageRule) {
    use crate::vocab::Token;
    let mut field = |key: &str, value: String| {
        let _ = writeln!(out, "{key} = {value}");
    };
    field("id", quoted(&r.id));
    if r.floor {
        field("floor", "true".into());
    }
    field("check", quoted(r.check.as_str()));
    if !r.channels.is_empty() {
        field("channels", tokens(&r.channels, Token::as_str));
    }
    if let Some(purpose) = r.purpose {
        field("purpose", quoted(purpose.as_str()));
    }
    if let Some(limit) = r.limit {
        field("limit", quoted(limit.as_str()));
    }
    if let Some(leaver) = r.leaver {
        field("leaver", quoted(leaver.as_str()));
    }
    field("summary", quoted(&r.summary));
    field("cite", inline_cite(&r.cite));
    out.push('\n');
}

/// A section's `remove` list: the ids the answers drop, each after the
/// comment of the answer that drops it, then the custom rules' own.
fn write_removals(out: &mut String, chosen: &[&Chosen<'_>], custom: &[String]) {
    let mut remove: Vec<&str> = Vec::new();
    for c in chosen {
        let ids = c.choice.map_or(&[][..], |ch| ch.produces.remove);
        if ids.iter().any(|id| !remove.contains(id)) {
            out.push_str(&answer_comment(c));
        }
        for id in ids {
            if !remove.contains(id) {
                remove.push(id);
            }
        }
    }
    if !custom.is_empty() {
        out.push_str("# The school's own removals, from the custom rules.\n");
    }
    for id in custom {
        if !remove.contains(&id.as_str()) {
            remove.push(id);
        }
    }
    if !remove.is_empty() {
        let list: Vec<String> = remove.iter().map(|id| quoted(id)).collect();
        let _ = writeln!(out, "remove = [{}]", list.join(", "));
    }
}

/// The heading over the custom rules of a section.
const CUSTOM_HEADING: &str =
    "# ---------------------------------------------------------------------------\n\
     # Custom rules: the school's own, which the question model cannot express.\n\
     # ---------------------------------------------------------------------------\n\n";

/// Text for a comment: one line, whatever the answers file held.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The label of an answer, for the comments.
fn label(chosen: &Chosen<'_>) -> &'static str {
    chosen
        .choice
        .map_or("the school's own rules, in the custom rules below", |c| {
            c.label
        })
}

/// The comment naming the answer that produced what follows.
fn answer_comment(chosen: &Chosen<'_>) -> String {
    let mut text = format!(
        "# {} ({} = {})\n# Answer: {}\n",
        chosen.question.prompt,
        chosen.question.id,
        one_line(&chosen.answer.choice),
        label(chosen)
    );
    if let Some([from, to]) = chosen.answer.years {
        let _ = writeln!(text, "# Year groups {from} to {to}.");
    }
    if let Some(cite) = &chosen.answer.cite {
        let _ = writeln!(
            text,
            "# The school's policy: {}, \"{}\".",
            one_line(&cite.source),
            one_line(&cite.section)
        );
    }
    text
}

/// Writes the policy TOML for `answers`: the school's identity, `extends =
/// "baseline"`, every question with its answer, then the rules each
/// answer produced under a comment naming it, then the custom rules.
/// Errors are the answers' (an unknown question or choice, a missing
/// citation), at their path.
pub fn build(answers: &Answers) -> Result<String> {
    let chosen = check(answers)?;
    let school = &answers.school;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}: online-safety policy, built by `safeguard policy new` from the\n\
         # school's answers to the question model. It extends the national\n\
         # baseline: a question answered with the national default adds nothing.\n\
         # Each rule below names the answer that produced it; the custom rules at\n\
         # the end are the school's own, as its answers file gives them.\n",
        one_line(&school.name)
    );
    let _ = writeln!(
        out,
        "[policy]\nid = {}\nname = {}\nversion = {}\nsource = {}\nextends = \"baseline\"\n",
        quoted(&school.id),
        quoted(&school.name),
        quoted(&school.version),
        quoted(&school.source)
    );
    write_contacts(&mut out, answers);
    write_timetable(&mut out, answers.timetable.as_ref())?;
    out.push_str("# The school's answers:\n");
    for q in QUESTIONS {
        let answer = match chosen.iter().find(|c| c.question.id == q.id) {
            Some(c) if c.answer.choice == q.default => format!("{} (national default)", label(c)),
            Some(c) => label(c).to_string(),
            None => format!(
                "{} (national default, not answered)",
                q.choice(q.default).map_or("", |c| c.label)
            ),
        };
        let _ = writeln!(out, "# - {} ({})\n#   {answer}", q.prompt, q.id);
    }
    out.push('\n');

    // The devices section's settings: removals and disciplinary action.
    let devices: Vec<&Chosen<'_>> = chosen
        .iter()
        .filter(|c| c.question.domain == Domain::Devices)
        .collect();
    out.push_str("[devices]\n");
    write_removals(&mut out, &devices, &answers.custom.devices_remove);
    for c in &chosen {
        if !c
            .choice
            .is_some_and(|ch| ch.produces.staff_breach_disciplinary)
        {
            continue;
        }
        out.push_str(&answer_comment(c));
        out.push_str("staff_breach_disciplinary = true\n");
        if let Some(cite) = &c.answer.cite {
            let _ = writeln!(out, "staff_breach_cite = {}", inline_cite(cite));
        }
    }
    out.push('\n');

    // The rules each answer produced, in the order of the answers; a
    // question another narrows is written with the narrowing answer.
    let mut produced: Vec<String> = Vec::new();
    for &c in &devices {
        if narrowed_by(&chosen, c.question.id).is_some() {
            continue;
        }
        let mut rules = Vec::new();
        if let Some([from, to]) = c.answer.years {
            let narrowed = c
                .question
                .narrows
                .and_then(|id| chosen.iter().find(|n| n.question.id == id));
            if let Some(n) = narrowed {
                for mut rule in template_rules(n)? {
                    rule.year_groups = Some([from, to]);
                    rules.push(rule);
                }
            }
            rules.extend(other_years(&template_rules(c)?, [from, to]));
        } else {
            rules = template_rules(c)?;
        }
        if rules.is_empty() {
            continue;
        }
        out.push_str(&answer_comment(c));
        for rule in &rules {
            out.push_str("[[devices.rules]]\n");
            write_rule(&mut out, rule);
            add_produced(&mut produced, &rule.id, c)?;
        }
    }

    let restated = restated(answers, &chosen)?;
    write_restated(
        &mut out,
        ("devices", &restated.devices),
        &answers.restate,
        &mut produced,
        write_rule,
    )?;
    check_custom_ids(
        answers.custom.devices.iter().map(|r| &r.id),
        &produced,
        "devices",
    )?;
    if !answers.custom.devices.is_empty() {
        out.push_str(CUSTOM_HEADING);
        for rule in &answers.custom.devices {
            out.push_str("[[devices.rules]]\n");
            write_rule(&mut out, rule);
        }
    }
    write_images(&mut out, &chosen, answers, &restated.images)?;
    let custom = &answers.custom;
    let mut sexting = restated.sexting;
    check_restated_ids(
        &answers.restate,
        sexting.rules.iter().map(|r| &r.id),
        custom.sexting.rules.iter().map(|r| &r.id),
    )?;
    check_restated_ids(
        &answers.restate,
        sexting.actions.iter().map(|r| &r.id),
        custom.sexting.actions.iter().map(|r| &r.id),
    )?;
    sexting.remove.clone_from(&custom.sexting.remove);
    sexting.rules.extend(custom.sexting.rules.iter().cloned());
    sexting
        .actions
        .extend(custom.sexting.actions.iter().cloned());
    sexting.checklist.clone_from(&custom.sexting.checklist);
    write_section(&mut out, "sexting", &sexting)?;
    write_escalation(&mut out, &chosen, answers, restated.escalation)?;
    Ok(out)
}

/// The escalation section: its settings (the reading of "the same day"
/// after hours, an answer's or the custom rules', and the custom
/// removals), the rules each answer produced under the answer's comment,
/// then the national rules the school's policy states itself and the
/// school's custom rules; nothing when the answers give none of these.
fn write_escalation(
    out: &mut String,
    chosen: &[Chosen<'_>],
    answers: &Answers,
    restated: EscalationSection,
) -> Result<()> {
    let custom = &answers.custom.escalation;
    let escalation: Vec<&Chosen<'_>> = chosen
        .iter()
        .filter(|c| c.question.domain == Domain::Escalation && c.choice.is_some())
        .collect();
    let mut settings = EscalationSection {
        remove: custom.remove.clone(),
        same_day_after_hours: custom.same_day_after_hours,
        same_day_cite: custom.same_day_cite.clone(),
        rules: Vec::new(),
    };
    for c in &escalation {
        let Some(reading) = c.choice.and_then(|ch| ch.produces.same_day_after_hours) else {
            continue;
        };
        if custom.same_day_after_hours.is_some() {
            return Err(invalid(
                "custom.escalation.same_day_after_hours".into(),
                "an answer already says what \"the same day\" means after hours: leave it out \
                 of the custom rules, or answer that question `custom`",
            ));
        }
        settings.same_day_after_hours = Some(reading);
        settings.same_day_cite.clone_from(&c.answer.cite);
    }
    let mut produced: Vec<String> = Vec::new();
    let mut answered = String::new();
    for c in escalation {
        let rules = template(c, |s: EscalationSection| s.rules, |r| &mut r.cite)?;
        if rules.is_empty() {
            continue;
        }
        for rule in &rules {
            add_produced(&mut produced, &rule.id, c)?;
        }
        answered.push_str(&answer_comment(c));
        answered.push_str(&rules_text("escalation", rules)?);
        answered.push('\n');
    }
    for rule in &restated.rules {
        if produced.contains(&rule.id) {
            return Err(invalid(
                restate_path(&answers.restate, &rule.id),
                "an answer already writes a rule this list restates: leave it out of the list",
            ));
        }
    }
    check_custom_ids(
        custom.rules.iter().map(|r| &r.id),
        &produced,
        "escalation.rules",
    )?;
    check_restated_ids(
        &answers.restate,
        restated.rules.iter().map(|r| &r.id),
        custom.rules.iter().map(|r| &r.id),
    )?;
    let mut rules = restated.rules;
    rules.extend(custom.rules.iter().cloned());
    let has_settings = settings != EscalationSection::default();
    if !has_settings && answered.is_empty() && rules.is_empty() {
        return Ok(());
    }
    out.push_str(
        "\n# ---------------------------------------------------------------------------\n\
         # The escalation section: the rules the school's answers produce, each under\n\
         # its answer; then the national rules the school's policy states itself\n\
         # (restated, citing it) and the school's own custom rules, which the\n\
         # question model cannot express.\n\
         # ---------------------------------------------------------------------------\n\n",
    );
    if has_settings {
        out.push_str(&section_text("escalation", &settings)?);
        out.push('\n');
    }
    out.push_str(&answered);
    if !rules.is_empty() {
        out.push_str(&rules_text("escalation", rules)?);
    }
    Ok(())
}

/// `rules` as a section's `[[<name>.rules]]` entries, and nothing else (no
/// `[<name>]` header, which the section's settings may have written).
fn rules_text<R: serde::Serialize>(name: &str, rules: Vec<R>) -> Result<String> {
    #[derive(serde::Serialize)]
    struct Rules<R> {
        rules: Vec<R>,
    }
    let text = section_text(name, &Rules { rules })?;
    Ok(text
        .strip_prefix(&format!("[{name}]\n"))
        .map_or(text.clone(), |rest| rest.trim_start().to_string()))
}

/// A restated rule may not also be one of the custom rules: the policy
/// would hold its id twice.
fn check_restated_ids<'a>(
    restate: &[Restated],
    restated: impl Iterator<Item = &'a String>,
    custom: impl Iterator<Item = &'a String> + Clone,
) -> Result<()> {
    for id in restated {
        if custom.clone().any(|c| c == id) {
            return Err(invalid(
                restate_path(restate, id),
                "a custom rule has the id of a rule this list restates: leave it out of one of them",
            ));
        }
    }
    Ok(())
}

/// The path of the `restate` entry that names rule `id` (`restate[3].rule`),
/// so that an error about a restated rule says which entry it is.
fn restate_path(restate: &[Restated], id: &str) -> String {
    match restate.iter().position(|entry| entry.rule == id) {
        Some(i) => format!("restate[{i}].rule"),
        None => "restate".into(),
    }
}

/// A section the question model does not reach (sexting): the national
/// rules the school's policy states itself, then the
/// school's own from the custom rules, under a heading that says so;
/// nothing when the answers give neither.
fn write_section<T>(out: &mut String, name: &str, section: &T) -> Result<()>
where
    T: serde::Serialize + Default + PartialEq,
{
    if *section == T::default() {
        return Ok(());
    }
    let text = section_text(name, section)?;
    let _ = write!(
        out,
        "\n# ---------------------------------------------------------------------------\n\
         # The {name} section: the national rules the school's policy states itself\n\
         # (restated, citing it), then the school's own custom rules, which the\n\
         # question model cannot express.\n\
         # ---------------------------------------------------------------------------\n\n"
    );
    out.push_str(&text);
    Ok(())
}

/// A section as TOML, `[<name>]` and its fields; an empty list (no
/// checklist of its own, no removals) says nothing and is left out.
fn section_text<T: serde::Serialize>(name: &str, section: &T) -> Result<String> {
    let internal = |e: &dyn std::fmt::Display| Error::Internal {
        message: format!("the {name} section could not be written: {e}"),
    };
    let mut value = toml::Value::try_from(section).map_err(|e| internal(&e))?;
    if let Some(fields) = value.as_table_mut() {
        fields.retain(|_, v| !v.as_array().is_some_and(Vec::is_empty));
    }
    let mut table = toml::Table::new();
    table.insert(name.into(), value);
    toml::to_string(&table).map_err(|e| internal(&e))
}

/// The rule lists a restated rule may come from: `(section, list)` of the
/// baseline.
const RESTATABLE: [(&str, &str); 5] = [
    ("devices", "rules"),
    ("images", "rules"),
    ("sexting", "rules"),
    ("sexting", "actions"),
    ("escalation", "rules"),
];

/// The baseline's rules that the answers restate, by section, each as
/// the baseline has it but citing the school.
struct Restatements {
    devices: Vec<DeviceRule>,
    images: Vec<ImageRule>,
    sexting: SextingSection,
    escalation: EscalationSection,
}

/// The baseline's rules that the answers restate. A rule the baseline
/// does not hold, one restated twice, and one the answers or the custom
/// rules drop are the answers' errors.
fn restated(answers: &Answers, chosen: &[Chosen<'_>]) -> Result<Restatements> {
    let internal = |message: String| Error::Internal { message };
    let baseline: toml::Table = super::presets::baseline_source()
        .parse()
        .map_err(|e| internal(format!("the national baseline does not read: {e}")))?;
    let mut found: BTreeMap<&str, toml::Table> = BTreeMap::new();
    for (i, entry) in answers.restate.iter().enumerate() {
        let at = format!("restate[{i}].rule");
        if answers.restate[..i].iter().any(|e| e.rule == entry.rule) {
            return Err(invalid(at, "this rule is restated twice"));
        }
        let custom = &answers.custom;
        let dropped = chosen
            .iter()
            .filter_map(|c| c.choice)
            .flat_map(|ch| ch.produces.remove.iter().copied())
            .chain(custom.devices_remove.iter().map(String::as_str))
            .chain(custom.images_remove.iter().map(String::as_str))
            .chain(custom.sexting.remove.iter().map(String::as_str))
            .chain(custom.escalation.remove.iter().map(String::as_str))
            .any(|id| id == entry.rule);
        if dropped {
            return Err(invalid(
                at,
                "the answers drop this rule, so it cannot be restated",
            ));
        }
        let rule = RESTATABLE.iter().find_map(|&(section, list)| {
            let rules = baseline.get(section)?.get(list)?.as_array()?;
            let rule = rules
                .iter()
                .find(|r| r.get("id").and_then(toml::Value::as_str) == Some(&entry.rule))?;
            Some((section, list, rule.clone()))
        });
        let Some((section, list, mut rule)) = rule else {
            return Err(invalid(at, "not a rule of the national baseline"));
        };
        if let Some(table) = rule.as_table_mut() {
            let mut cite = toml::Table::new();
            cite.insert("source".into(), entry.cite.source.as_ref().into());
            cite.insert("section".into(), entry.cite.section.as_ref().into());
            table.insert("cite".into(), cite.into());
        }
        let rules = found
            .entry(section)
            .or_default()
            .entry(list)
            .or_insert_with(|| toml::Value::Array(Vec::new()));
        if let Some(rules) = rules.as_array_mut() {
            rules.push(rule);
        }
    }
    let text = |section: &str| -> Result<String> {
        let table = found.get(section).cloned().unwrap_or_default();
        toml::to_string(&table)
            .map_err(|e| internal(format!("a restated rule could not be written: {e}")))
    };
    let devices: DevicesSection = parse_as(&text("devices")?, Format::Toml, "policy")?;
    let images: ImagesSection = parse_as(&text("images")?, Format::Toml, "policy")?;
    Ok(Restatements {
        devices: devices.rules,
        images: images.rules,
        sexting: parse_as(&text("sexting")?, Format::Toml, "policy")?,
        escalation: parse_as(&text("escalation")?, Format::Toml, "policy")?,
    })
}

/// The restated rules of a section, under a comment that says what they
/// are; each id joins `produced` (the answers' rules), which may not
/// hold it already (the error is at the `restate` entry naming it).
fn write_restated<R>(
    out: &mut String,
    (section, rules): (&str, &[R]),
    restate: &[Restated],
    produced: &mut Vec<String>,
    write: impl Fn(&mut String, &R),
) -> Result<()>
where
    R: HasId,
{
    if rules.is_empty() {
        return Ok(());
    }
    out.push_str(
        "# National rules the school's policy states itself, as the baseline has\n\
         # them, citing the school.\n",
    );
    for rule in rules {
        if produced.iter().any(|id| id == rule.id()) {
            return Err(invalid(
                restate_path(restate, rule.id()),
                "an answer already writes a rule this list restates: leave it out of the list",
            ));
        }
        let _ = writeln!(out, "[[{section}.rules]]");
        write(out, rule);
        produced.push(rule.id().to_string());
    }
    Ok(())
}

/// Notes that answer `chosen` wrote rule `id`: two answers may not write
/// the same rule (each would restate it its own way).
fn add_produced(produced: &mut Vec<String>, id: &str, chosen: &Chosen<'_>) -> Result<()> {
    if produced.iter().any(|p| p == id) {
        return Err(invalid(
            format!("answers[{}].choice", chosen.index),
            "another answer already writes a rule this answer writes: answer one of them \
             `custom`, with the school's own rule in the custom rules",
        ));
    }
    produced.push(id.to_string());
    Ok(())
}

/// A rule's id, for [`write_restated`].
trait HasId {
    fn id(&self) -> &str;
}

impl HasId for DeviceRule {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for ImageRule {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A custom rule may not take the id of a rule an answer wrote: the
/// policy would hold the id twice, and the school's rule and the answer
/// would contradict each other unseen.
fn check_custom_ids<'a>(
    custom: impl Iterator<Item = &'a String>,
    produced: &[String],
    section: &str,
) -> Result<()> {
    for (i, id) in custom.enumerate() {
        if produced.contains(id) {
            return Err(invalid(
                format!("custom.{section}[{i}].id"),
                "an answer already writes a rule with this id: give the school's rule its own \
                 id, or answer that question `custom`",
            ));
        }
    }
    Ok(())
}

/// The images section: the answers' removals and rules, then the custom
/// ones; nothing when no answer or custom rule touches images.
fn write_images(
    out: &mut String,
    chosen: &[Chosen<'_>],
    answers: &Answers,
    restated: &[ImageRule],
) -> Result<()> {
    let custom = &answers.custom;
    let images: Vec<&Chosen<'_>> = chosen
        .iter()
        .filter(|c| c.question.domain == Domain::Images && c.choice.is_some())
        .collect();
    if images.is_empty()
        && custom.images.is_empty()
        && custom.images_remove.is_empty()
        && restated.is_empty()
    {
        return Ok(());
    }
    out.push_str("[images]\n");
    write_removals(out, &images, &custom.images_remove);
    let mut produced: Vec<String> = Vec::new();
    out.push('\n');
    for c in images {
        let rules = image_template_rules(c)?;
        if rules.is_empty() {
            continue;
        }
        out.push_str(&answer_comment(c));
        for rule in &rules {
            out.push_str("[[images.rules]]\n");
            write_image_rule(out, rule);
            add_produced(&mut produced, &rule.id, c)?;
        }
    }
    write_restated(
        out,
        ("images", restated),
        &answers.restate,
        &mut produced,
        write_image_rule,
    )?;
    check_custom_ids(custom.images.iter().map(|r| &r.id), &produced, "images")?;
    if !custom.images.is_empty() {
        out.push_str(CUSTOM_HEADING);
        for rule in &custom.images {
            out.push_str("[[images.rules]]\n");
            write_image_rule(out, rule);
        }
    }
    Ok(())
}

/// The school's named people and bodies, as its answers give them, each
/// a table of its own with its citation inline.
fn write_contacts(out: &mut String, answers: &Answers) {
    if answers.roles.is_empty() && answers.bodies.is_empty() {
        return;
    }
    out.push_str("# The school's named people and local bodies, from its answers.\n");
    for (table, contacts) in [("roles", &answers.roles), ("bodies", &answers.bodies)] {
        for (who, c) in contacts {
            let _ = writeln!(out, "[{table}.{}]", who.as_str());
            let _ = writeln!(out, "title = {}", quoted(&c.title));
            for (key, value) in [
                ("name", &c.name),
                ("phone", &c.phone),
                ("email", &c.email),
                ("hours", &c.hours),
            ] {
                if let Some(value) = value {
                    let _ = writeln!(out, "{key} = {}", quoted(value));
                }
            }
            if let Some(ooh) = &c.out_of_hours {
                let mut fields = vec![format!("title = {}", quoted(&ooh.title))];
                if let Some(phone) = &ooh.phone {
                    fields.push(format!("phone = {}", quoted(phone)));
                }
                fields.push(format!("hours = {}", quoted(&ooh.hours)));
                if ooh.emergency_only {
                    fields.push("emergency_only = true".into());
                }
                let _ = writeln!(out, "out_of_hours = {{ {} }}", fields.join(", "));
            }
            if let Some(cite) = &c.cite {
                let _ = writeln!(out, "cite = {}", inline_cite(cite));
            }
            out.push('\n');
        }
    }
}

/// The school's timetable, as its answers give it.
fn write_timetable(out: &mut String, timetable: Option<&Timetable>) -> Result<()> {
    #[derive(serde::Serialize)]
    struct Table<'a> {
        timetable: &'a Timetable,
    }
    let Some(timetable) = timetable else {
        return Ok(());
    };
    let text = toml::to_string(&Table { timetable }).map_err(|e| Error::Internal {
        message: format!("the timetable could not be written: {e}"),
    })?;
    out.push_str("# The school day and year, from the school's answers.\n");
    out.push_str(&text);
    out.push('\n');
    Ok(())
}

/// The answer whose year groups narrow the rules of question `id`, if any.
fn narrowed_by<'c, 'a>(chosen: &'c [Chosen<'a>], id: &str) -> Option<&'c Chosen<'a>> {
    chosen
        .iter()
        .find(|c| c.question.narrows == Some(id) && c.answer.years.is_some())
}

#[cfg(test)]
mod tests;
