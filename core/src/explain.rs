//! A decision in plain English, for the person who acts on it (issue 23).
//!
//! A [`Decision`] is written for programs: tokens, rule ids, request field
//! names. A designated safeguarding lead in the middle of an incident, or an
//! office worker about to publish a photo, needs the same content in words
//! and in the order they act on it. [`Decision::explain`] gives it as an
//! [`Explanation`]: the answer as one headline, what to do now as ordered
//! [`Step`]s (who, by when, the school's own contact), conditions and
//! changes as sentences, what is still unknown as [`Question`]s, and the
//! rules with their citations by document title and section
//! ([`CitedRule`]). [`Explanation::to_text`] renders it as plain text, the
//! text `safeguard eval --explain` prints, and
//! [`Explanation::to_markdown`] as Markdown, for a page or a record system
//! that shows it formatted. Both come from one description of the order
//! (`Explanation::render`), so they cannot drift apart; an answer that
//! means acting now (a referral, child sexual abuse, an escalation's plan)
//! puts what to do before why.
//!
//! The wording is written once, here, so that every front end says the same
//! thing; before issue 23 the CLI and the web page each wrote their own,
//! and they differed. Everything shown comes from the decision: the
//! explanation adds wording, never facts, so it cannot drift from the JSON
//! answer. The sentences never contain a wire token, a rule id, a JSON path
//! or the policy's digest (a built-in policy is named by its name); each
//! step and question keeps its tokens as fields, for a program that wants
//! both. The typed tokens (actions, who, deadlines, outcomes, criteria,
//! conditions, breaches, escalation flags, devices facts, publishing
//! purposes) get their words by an exhaustive match, so a new one does not
//! compile until it is given words. The images domain's changes and
//! blocked reasons, and the few unknown facts that are not typed, are
//! strings on the wire: they are matched on strings, with a general
//! sentence for a string not known here, and a test
//! (`tests/tests/explain.rs`) checks that no token the engine gives in any
//! scenario, nor any of the vocabulary lists, falls back to it.
//!
//! The text is plain (no colours or terminal codes, so it pastes cleanly
//! into a record) and wrapped to 78 columns; the Markdown is not wrapped,
//! and escapes every sentence (`escape_markdown`) so that nothing the
//! policy or the request says can become markup. The structs are
//! `#[non_exhaustive]`: the engine builds them, and a later field is not a
//! breaking change.

use crate::decision::{Blocked, Decision, GalleryItem};
use crate::devices::Fact;
use crate::engine::Engine;
use crate::escalation::Flag;
use crate::images::vocab::Purpose;
use crate::vocab::{
    Action, ActionToken, Condition, Criterion, Deadline, Domain, OnBreach, Outcome, PolicyRef,
    Reason, Referral, Text, Who,
};
use serde::Serialize;
use std::sync::Arc;

/// Wrap width of [`Explanation::to_text`]: fits an 80-column terminal.
const WIDTH: usize = 78;

/// What a decision means, in words (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Explanation {
    /// The domain that was decided (a token, for programs).
    pub domain: Domain,
    /// The answer (a token, for programs).
    pub outcome: Outcome,
    /// The answer in one sentence (in capitals when it means acting now).
    pub headline: String,
    /// A second sentence where the headline alone could mislead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caution: Option<String>,
    /// Sexting: each referral criterion that holds, as a sentence.
    pub criteria: Vec<String>,
    /// What is still unknown and could change the answer, as questions.
    pub questions: Vec<Question>,
    /// Devices: what must hold for the device to be used, as sentences.
    pub conditions: Vec<String>,
    /// Devices: what happens if the rule is broken, as sentences.
    pub if_broken: Vec<String>,
    /// Devices: who decides a request that no rule covers, as a sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_rule: Option<String>,
    /// Images: what must change before publishing, as sentences.
    pub changes: Vec<String>,
    /// Images: each pupil (or the whole image) ruled out, as a sentence.
    pub ruled_out: Vec<String>,
    /// Images gallery: the answer for each image, as a sentence.
    pub gallery: Vec<String>,
    /// What to do now, in order.
    pub steps: Vec<Step>,
    /// Sexting: what the initial review considers, as questions.
    pub checklist: Vec<String>,
    /// The rules behind the answer, with their citations.
    pub rules: Vec<CitedRule>,
    /// Which policy and engine gave the answer, as a sentence (the
    /// policy by its name, not its id).
    pub decided_under: String,
    /// The policy's digest, for an audit record (never in the text).
    pub digest: Text,
}

/// One step of what to do now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Step {
    /// What to do (a token, for programs).
    pub action: ActionToken,
    /// Who does it or is told (a token, for programs).
    pub who: Who,
    /// How soon (a token, for programs).
    pub deadline: Deadline,
    /// The rule that asks for the step (an id, for programs).
    pub rule: Text,
    /// What to do, as a short instruction ("Refer to the police").
    pub title: String,
    /// Who, in words ("the Designated Safeguarding Lead (DSL)").
    pub who_text: String,
    /// How soon, in words ("immediately").
    pub when: String,
    /// The clock time it is due by, in words ("17:30 on Friday 6 March
    /// 2026"), where the answer gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// The school's own contact for it, where the policy gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<Text>,
    /// The policy's own description of the step.
    pub detail: Text,
    /// For a referral: the summary of the rule that required it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_by: Option<Text>,
    /// In a gallery: the image the step is for (its id as the caller gave
    /// it, so that staff know which file to act on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Text>,
}

/// A fact still unknown, as the question to answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Question {
    /// The fact as the decision's `unknowns` names it (for programs).
    pub fact: Text,
    /// The question, in words.
    pub question: String,
}

/// A rule behind the answer, with its citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CitedRule {
    /// The rule's id (for programs and audit; never in the text).
    pub rule: Text,
    /// What the rule says, in the policy's words.
    pub summary: Text,
    /// The title of the document the rule comes from.
    pub document: Text,
    /// The section of that document.
    pub section: Text,
}

impl Decision {
    /// This decision in plain English (see [`Explanation`]): for the person
    /// who acts on it, beside the tokens a program reads.
    ///
    /// ```
    /// use safeguard_engine::{Engine, Request};
    ///
    /// let engine = Engine::from_preset("hilldene-primary")?;
    /// let request = Request::from_json(r#"{"domain": "sexting", "incident_date": "2025-01-20",
    ///     "young_people": [{"id": "a", "age": 15, "role": "subject"}],
    ///     "facts": {"adult_involved": "no", "coercion_blackmail_or_grooming": "yes"}}"#, None)?;
    /// let explanation = engine.evaluate(&request)?.explain();
    /// assert!(!explanation.headline.is_empty());
    /// assert_eq!(explanation.steps.len(), engine.evaluate(&request)?.actions.len());
    /// print!("{}", explanation.to_text()); // what `safeguard eval --explain` prints
    /// # Ok::<(), safeguard_engine::Error>(())
    /// ```
    pub fn explain(&self) -> Explanation {
        explain(self)
    }
}

/// The explanation of `d`: what [`Decision::explain`] returns.
pub fn explain(d: &Decision) -> Explanation {
    let referrals = d.referral_to.as_deref().unwrap_or(&[]);
    let mut checklist: Vec<String> = Vec::new();
    if let Some(items) = d.review_checklist.as_deref() {
        checklist = items.iter().map(|i| i.question.to_string()).collect();
    }
    Explanation {
        domain: d.domain,
        outcome: d.outcome,
        headline: match &d.gallery {
            Some(_) => gallery_headline(d.outcome),
            None => headline(d.outcome, referrals, d.criteria.as_deref().unwrap_or(&[])),
        },
        caution: caution(d),
        criteria: d
            .criteria
            .iter()
            .flatten()
            .map(|c| format!("{}.", criterion_text(*c)))
            .collect(),
        questions: d
            .unknowns
            .iter()
            .map(|fact| Question {
                fact: fact.clone(),
                question: unknown_question(fact),
            })
            .collect(),
        conditions: d.conditions.iter().map(|c| condition_text(*c)).collect(),
        if_broken: d
            .on_breach
            .iter()
            .flatten()
            .map(|b| breach_text(*b))
            .collect(),
        no_rule: d.decided_by.map(|who| {
            format!(
                "No rule of this policy covers this request, so {} decides.",
                who_text(who)
            )
        }),
        changes: changes_text(&d.changes, d.named_in.as_deref().unwrap_or_default()),
        ruled_out: d.blocked.iter().flatten().map(blocked_text).collect(),
        gallery: d.gallery.iter().flatten().map(gallery_text).collect(),
        // A gallery's own steps are its images': each image's answer may
        // ask for one (a leaver's image deleted), and none may be lost.
        steps: d
            .actions
            .iter()
            .map(|a| step(a, &d.reasons))
            .chain(d.gallery.iter().flatten().flat_map(|item| {
                item.actions.iter().map(|a| Step {
                    image: Some(item.image.clone()),
                    ..step(a, &item.reasons)
                })
            }))
            .collect(),
        checklist,
        rules: d
            .reasons
            .iter()
            .map(|r| CitedRule {
                rule: r.rule.clone(),
                summary: r.summary.clone(),
                document: r.cite.source.clone(),
                section: r.cite.section.clone(),
            })
            .collect(),
        decided_under: decided_under(&d.policy, &d.engine),
        digest: d.policy.digest.clone(),
    }
}

impl Explanation {
    /// The explanation as plain text, wrapped to 78 columns, ending with a
    /// newline, in the order of [`Explanation::to_markdown`].
    pub fn to_text(&self) -> String {
        let mut text = PlainText::default();
        self.render(&mut text);
        text.out
    }

    /// The explanation as Markdown (CommonMark, with GitHub's task lists for
    /// the checklists), ending with a newline. Its content and order are
    /// those of [`Explanation::to_text`]: the headline; the criteria,
    /// questions, conditions and changes; then what to do now before why
    /// for an answer that means acting now (a referral, child sexual
    /// abuse, an escalation's plan), why before what to do for any other;
    /// the initial review checklist; and the policy it came from.
    ///
    /// Every sentence is escaped (`escape_markdown`): the words of the
    /// policy and of the request (a rule's summary, a contact, a document's
    /// title, a pupil's id) show as written and cannot make a link, an
    /// image, a heading, a list, emphasis, code or HTML.
    pub fn to_markdown(&self) -> String {
        let mut markdown = Markdown::default();
        self.render(&mut markdown);
        markdown.out
    }

    /// The explanation in `out`'s layout: the order both layouts share.
    fn render(&self, out: &mut impl Layout) {
        out.headline(&self.headline, self.caution.as_deref());
        out.list("Referral criteria that hold", &self.criteria);
        let questions: Vec<String> = self.questions.iter().map(|q| q.question.clone()).collect();
        out.list("Still unknown (each could change the answer)", &questions);
        if self.outcome == Outcome::DslMayManageInSchool {
            out.paragraph("Every immediate-referral criterion is known not to hold.");
        }
        out.list("Conditions", &self.conditions);
        out.list("If the rule is broken", &self.if_broken);
        if let Some(no_rule) = &self.no_rule {
            out.paragraph(no_rule);
        }
        out.list("Changes needed before publishing", &self.changes);
        out.list("Who or what cannot be published", &self.ruled_out);
        out.list("Each image", &self.gallery);
        // What to do comes first where the answer means acting now: the
        // reasons can wait, the referral or the plan cannot.
        if self.acting_now() {
            self.what_to_do(out);
            self.why(out);
        } else {
            self.why(out);
            self.what_to_do(out);
        }
        if !self.checklist.is_empty() {
            out.heading("At the initial review, consider");
            for item in &self.checklist {
                out.check(item);
            }
        }
        out.paragraph(&self.decided_under);
    }

    /// Whether the answer means acting now: a referral, child sexual abuse,
    /// an escalation's plan.
    fn acting_now(&self) -> bool {
        self.domain == Domain::Escalation
            || matches!(
                self.outcome,
                Outcome::ReferImmediately | Outcome::ChildSexualAbuse
            )
    }

    /// The rules behind the answer, each with its citation.
    fn why(&self, out: &mut impl Layout) {
        out.heading("Why");
        if self.rules.is_empty() {
            out.note("No rule gave a reason.");
        }
        for r in &self.rules {
            let source = format!("Source: {}, section \"{}\".", r.document, r.section);
            out.item(&r.summary, &[source]);
        }
    }

    /// What to do now, in order: an escalation's plan as a checklist (who
    /// with the school's own contact, by when as a clock time, why), any
    /// other answer's steps (what, who, when, the contact, and for a
    /// referral the rule that required it). With no step, what the answer
    /// leaves the person to do, or nothing at all.
    fn what_to_do(&self, out: &mut impl Layout) {
        let plan = self.domain == Domain::Escalation;
        if self.steps.is_empty() {
            if let Some(sentence) = nothing_to_do(self.outcome, !self.gallery.is_empty()) {
                out.heading("What to do now");
                out.note(sentence);
            }
            return;
        }
        if plan {
            out.heading("The plan (tick each step as it is done)");
        } else {
            out.heading("What to do now");
        }
        if self.steps.first().is_some_and(|s| s.who == Who::Police999) {
            out.note("A child is in danger: call 999 before doing anything else.");
        }
        for (i, s) in self.steps.iter().enumerate() {
            let (title, lines) = if plan {
                (s.plan_title(), self.plan_lines(s))
            } else {
                (s.title.clone(), s.lines())
            };
            let title = match &s.image {
                Some(image) => format!("Image \"{image}\": {title}"),
                None => title,
            };
            out.step(i + 1, self.steps.len(), plan, &title, &lines);
        }
    }

    /// A step of an escalation plan, after its title: the contact, by
    /// when, the policy's description and why.
    fn plan_lines(&self, s: &Step) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(contact) = &s.contact {
            lines.push(format!("Contact: {contact}"));
        }
        lines.push(match &s.due {
            Some(at) => format!("By: {at} ({}).", s.when),
            None => format!("By: {}.", s.when),
        });
        lines.push(s.detail.to_string());
        if let Some(r) = self.rules.iter().find(|r| r.rule == s.rule) {
            lines.push(format!(
                "Why: {} ({}, \"{}\")",
                r.summary, r.document, r.section
            ));
        }
        lines
    }
}

impl Step {
    /// The step's title in a plan: what, and who unless the title says it.
    fn plan_title(&self) -> String {
        if self.action == ActionToken::Notify {
            self.title.clone()
        } else {
            format!("{} ({})", self.title, self.who_text)
        }
    }

    /// The step after its title: who and when, the policy's description,
    /// the school's contact, and for a referral the rule that required it.
    fn lines(&self) -> Vec<String> {
        let mut when = format!("Who: {}. When: {}", self.who_text, self.when);
        if let Some(at) = &self.due {
            when.push_str(&format!(" (by {at})"));
        }
        when.push('.');
        let mut lines = vec![when, self.detail.to_string()];
        // A contact that only repeats who ("Police") adds nothing.
        let bare_who = self.who_text.strip_prefix("the ").unwrap_or(&self.who_text);
        if let Some(contact) = self
            .contact
            .as_deref()
            .filter(|c| !c.eq_ignore_ascii_case(bare_who))
        {
            lines.push(format!("Contact: {contact}"));
        }
        if let Some(rule) = &self.required_by {
            lines.push(format!("Required by: {rule}"));
        }
        lines
    }
}

/// Where an answer asks for no step, what it leaves the person to do, in
/// words that fit the answer (a refusal is not "no further steps"); `None`
/// where there is nothing to say.
fn nothing_to_do(outcome: Outcome, gallery: bool) -> Option<&'static str> {
    let sentence = match outcome {
        _ if gallery => {
            "Publish only what each image's answer above allows; nothing else is asked."
        }
        Outcome::Allow => "Nothing else is asked.",
        Outcome::AllowWithConditions => "Keep to the conditions above; nothing else is asked.",
        Outcome::Deny => "The device may not be used for this; nothing else is asked.",
        Outcome::Publish => "Nothing else is asked before publishing.",
        Outcome::PublishWithChanges => {
            "Make the changes above before publishing; nothing else is asked."
        }
        Outcome::Block => "Do not publish the image; nothing else is asked.",
        _ => return None,
    };
    Some(sentence)
}

/// How an explanation is laid out, as plain text or as Markdown: the order
/// is written once ([`Explanation::render`]), each layout says how its
/// parts look.
trait Layout {
    /// The answer, and the sentence that must go with it.
    fn headline(&mut self, headline: &str, caution: Option<&str>);
    /// A paragraph of its own.
    fn paragraph(&mut self, text: &str);
    /// The title of a section.
    fn heading(&mut self, title: &str);
    /// A sentence under a heading that is not an item of its list.
    fn note(&mut self, text: &str);
    /// An item of a list, with lines that belong to it.
    fn item(&mut self, text: &str, more: &[String]);
    /// An item of a checklist.
    fn check(&mut self, text: &str);
    /// Step `number` of `count`, a checkbox where `tick`, with its lines.
    fn step(&mut self, number: usize, count: usize, tick: bool, title: &str, lines: &[String]);

    /// A titled list of sentences, or nothing for an empty list.
    fn list(&mut self, title: &str, items: &[String]) {
        if items.is_empty() {
            return;
        }
        self.heading(title);
        for item in items {
            self.item(item, &[]);
        }
    }
}

/// [`Explanation::to_text`]'s layout: plain text wrapped to [`WIDTH`],
/// a section's title ending with a colon, its items indented.
#[derive(Default)]
struct PlainText {
    out: String,
}

impl Layout for PlainText {
    fn headline(&mut self, headline: &str, caution: Option<&str>) {
        wrap(&mut self.out, "", "", headline);
        if let Some(more) = caution {
            wrap(&mut self.out, "", "", more);
        }
    }

    fn paragraph(&mut self, text: &str) {
        self.out.push('\n');
        wrap(&mut self.out, "", "", text);
    }

    fn heading(&mut self, title: &str) {
        self.out.push_str(&format!("\n{title}:\n"));
    }

    fn note(&mut self, text: &str) {
        wrap(&mut self.out, "  ", "  ", text);
    }

    fn item(&mut self, text: &str, more: &[String]) {
        wrap(&mut self.out, "  - ", "    ", text);
        for line in more {
            wrap(&mut self.out, "    ", "      ", line);
        }
    }

    fn check(&mut self, text: &str) {
        wrap(&mut self.out, "  [ ] ", "      ", text);
    }

    fn step(&mut self, number: usize, count: usize, tick: bool, title: &str, lines: &[String]) {
        let digits = count.to_string().len();
        let tick = if tick { "[ ] " } else { "" };
        let number = format!("  {tick}{number:>digits$}. ");
        let indent = " ".repeat(number.len());
        wrap(&mut self.out, &number, &indent, title);
        for line in lines {
            wrap(&mut self.out, &indent, &indent, line);
        }
    }
}

/// [`Explanation::to_markdown`]'s layout: the headline in bold, `##`
/// headings, lists with `-`, `1.` and `[ ]`, one block after another with
/// a blank line between; nothing wrapped. Every sentence is escaped.
#[derive(Default)]
struct Markdown {
    out: String,
    /// Whether the last thing written is an item of a list (the next item
    /// follows it without a blank line).
    in_list: bool,
}

impl Markdown {
    /// Starts a block: a blank line after whatever came before.
    fn block(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.in_list = false;
    }

    /// Starts an item: a blank line before the list's first.
    fn list_item(&mut self) {
        if !self.in_list {
            self.block();
        }
        self.in_list = true;
    }
}

impl Layout for Markdown {
    fn headline(&mut self, headline: &str, caution: Option<&str>) {
        self.block();
        self.out
            .push_str(&format!("**{}**\n", escape_markdown(headline)));
        if let Some(more) = caution {
            self.paragraph(more);
        }
    }

    fn paragraph(&mut self, text: &str) {
        self.block();
        self.out.push_str(&format!("{}\n", escape_markdown(text)));
    }

    fn heading(&mut self, title: &str) {
        self.block();
        self.out
            .push_str(&format!("## {}\n", escape_markdown(title)));
    }

    fn note(&mut self, text: &str) {
        self.paragraph(text);
    }

    fn item(&mut self, text: &str, more: &[String]) {
        self.list_item();
        self.out.push_str(&format!("- {}\n", escape_markdown(text)));
        for line in more {
            self.out
                .push_str(&format!("  - {}\n", escape_markdown(line)));
        }
    }

    fn check(&mut self, text: &str) {
        self.list_item();
        self.out
            .push_str(&format!("- [ ] {}\n", escape_markdown(text)));
    }

    fn step(&mut self, number: usize, _count: usize, tick: bool, title: &str, lines: &[String]) {
        self.list_item();
        let marker = format!("{number}. ");
        let tick = if tick { "[ ] " } else { "" };
        let title = escape_markdown(title);
        self.out.push_str(&format!("{marker}{tick}**{title}**\n"));
        let indent = " ".repeat(marker.len());
        for line in lines {
            let line = escape_markdown(line);
            self.out.push_str(&format!("{indent}- {line}\n"));
        }
    }
}

/// `text` as Markdown that shows exactly these words: white space (a line
/// break included) becomes one space, every character Markdown or HTML
/// could read as markup (`\` `` ` `` `*` `_` `[` `]` `<` `>` `#` `!` `|`
/// `~` `&` `{` `}`) is escaped with a backslash, and so is a start that
/// would begin a list, a quote or a heading (`-`, `+`, `=`, `1.`, `1)`).
/// A line holds only what one call gives it, so nothing the policy or the
/// request says can become a link, an image, a heading, emphasis, code or
/// HTML.
pub(crate) fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        for c in word.chars() {
            if matches!(
                c,
                '\\' | '`'
                    | '*'
                    | '_'
                    | '['
                    | ']'
                    | '<'
                    | '>'
                    | '#'
                    | '!'
                    | '|'
                    | '~'
                    | '&'
                    | '{'
                    | '}'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    // A start that would begin a list item or a heading underline.
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    }
    let digits = out.len() - out.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    }
    out
}

/// One step, from an action and the answer's reasons.
fn step(a: &Action, reasons: &[Arc<Reason>]) -> Step {
    let who = who_text(a.who);
    let title = if a.action == ActionToken::Notify {
        format!("Tell {who}")
    } else {
        action_title(a.action).to_string()
    };
    let when = deadline_text(a.deadline).to_string();
    let due = a
        .due
        .as_deref()
        .map(|due| clock_time(due).unwrap_or_else(|| due.to_string()));
    let required_by = if a.is_referral() {
        reasons
            .iter()
            .find(|r| r.rule == a.rule)
            .map(|r| r.summary.clone())
    } else {
        None
    };
    Step {
        action: a.action,
        who: a.who,
        deadline: a.deadline,
        rule: a.rule.clone(),
        title,
        who_text: who,
        when,
        due,
        contact: a.contact.clone(),
        detail: a.detail.clone(),
        required_by,
        image: None,
    }
}

/// The first line: the answer in one sentence. Child sexual abuse says
/// that an adult is involved only where the decision's criteria say so (a
/// school's rule may treat another criterion as child sexual abuse), and
/// asks for a referral only to the bodies the decision names.
fn headline(outcome: Outcome, referrals: &[Referral], criteria: &[Criterion]) -> String {
    let to = referral_phrase(referrals);
    match outcome {
        Outcome::ChildSexualAbuse => {
            let why = if criteria.contains(&Criterion::AdultInvolved) {
                "an adult is involved, so this is not sexting"
            } else {
                "this is handled as child sexual abuse, not as sexting"
            };
            match to {
                Some(t) => format!(
                    "CHILD SEXUAL ABUSE: {why}. Refer immediately to {t} under the \
                     child-protection procedure."
                ),
                None => {
                    format!("CHILD SEXUAL ABUSE: {why}. Follow the child-protection procedure now.")
                }
            }
        }
        Outcome::ReferImmediately => match to {
            Some(t) => format!("REFER IMMEDIATELY to {t}."),
            None => "REFER IMMEDIATELY.".to_string(),
        },
        Outcome::NeedMoreInformation => "MORE INFORMATION NEEDED before deciding.".to_string(),
        Outcome::DslMayManageInSchool => "The DSL may manage this in school.".to_string(),
        Outcome::Allow => "ALLOWED.".to_string(),
        Outcome::AllowWithConditions => "ALLOWED, on the conditions below.".to_string(),
        Outcome::Deny => "NOT PERMITTED.".to_string(),
        Outcome::Publish => "PUBLISH: the image may be published as it is.".to_string(),
        Outcome::PublishWithChanges => {
            "PUBLISH WITH CHANGES: the image may be published once the changes below are made."
                .to_string()
        }
        Outcome::Block => "DO NOT PUBLISH this image.".to_string(),
        Outcome::Notify => "Tell the people below, in this order, by the times given.".to_string(),
    }
}

/// The first line of a gallery's answer: its outcome is the most
/// restrictive of its images'.
fn gallery_headline(outcome: Outcome) -> String {
    let text = match outcome {
        Outcome::Publish => "PUBLISH: every image may be published as it is.",
        Outcome::PublishWithChanges => {
            "PUBLISH WITH CHANGES: some images may be published only once the changes \
             below are made."
        }
        _ => "NOT EVERY IMAGE MAY BE PUBLISHED: each image's answer is below.",
    };
    text.to_string()
}

/// The changes to say in words. Where the names must come out of the
/// caption and credits altogether (`remove_names`), "first names only"
/// there would contradict it, so only the stricter is said; the decision
/// and the explanation's fields keep every token.
fn stricter(changes: &[Text]) -> impl Iterator<Item = &str> {
    let no_names = changes.iter().any(|c| &**c == "remove_names");
    changes.iter().map(|c| &**c).filter(move |c| {
        !(no_names
            && matches!(
                *c,
                "caption_first_names_only" | "remove_full_names_from_credits"
            ))
    })
}

/// Which policy and engine gave the answer, in words. The policy id is a
/// token and the digest is for an audit record: a built-in policy is named
/// by its own name (when the decision's digest is that policy's, so a
/// policy that only borrows a built-in id is not given its name), any
/// other as the policy supplied to the engine.
fn decided_under(policy: &PolicyRef, engine: &str) -> String {
    let built_in = Engine::from_preset(&policy.id)
        .ok()
        .filter(|e| e.policy_ref().digest == policy.digest);
    let version = &policy.version;
    match built_in {
        Some(e) => format!(
            "Decided under the policy \"{}\" (version {version}), by safeguard engine \
             {engine}.",
            e.policy().policy.name
        ),
        None => format!(
            "Decided under the policy supplied to the engine (version {version}, not a \
             built-in one), by safeguard engine {engine}."
        ),
    }
}

/// A second sentence where the headline alone could mislead.
fn caution(d: &Decision) -> Option<String> {
    let sentences: Vec<&str> = [danger_unknown(d), outcome_caution(d.outcome)]
        .into_iter()
        .flatten()
        .collect();
    (!sentences.is_empty()).then(|| sentences.join(" "))
}

/// Where it is not yet known whether a child is in immediate danger (or a
/// life under threat) and the answer does not already begin with a 999
/// call, the explanation says first what to do if it is: the plan below
/// is built on the facts as given, and an unknown danger must not wait
/// for it.
fn danger_unknown(d: &Decision) -> Option<&'static str> {
    let danger = [
        Criterion::ImmediateRiskOfHarm.as_str().to_string(),
        format!("flags.{}", Flag::ImmediateDanger.as_str()),
        format!("flags.{}", Flag::ThreatToLife.as_str()),
    ];
    let unknown = d.unknowns.iter().any(|u| danger.iter().any(|f| **u == **f));
    let calls_999_first = d.actions.first().is_some_and(|a| a.who == Who::Police999);
    (unknown && !calls_999_first).then_some(
        "It is not yet known whether a child is in immediate danger: if one is, or a \
         life may be at risk, call 999 now, before anything below.",
    )
}

/// The second sentence an outcome needs, where its headline alone could
/// mislead.
fn outcome_caution(outcome: Outcome) -> Option<&'static str> {
    match outcome {
        Outcome::NeedMoreInformation => Some(
            "No referral criterion is known to hold, but the facts below are not yet \
             known; until they are, do not manage the case in school alone.",
        ),
        Outcome::DslMayManageInSchool => Some(
            "The DSL may still refer to the police or children's social care at any \
             time if new information or concerns come to light.",
        ),
        _ => None,
    }
}

/// "the police and children's social care", or `None` for no referral.
fn referral_phrase(referrals: &[Referral]) -> Option<String> {
    let names: Vec<&str> = referrals
        .iter()
        .map(|r| match r {
            Referral::Police => "the police",
            Referral::ChildrensSocialCare => "children's social care",
        })
        .collect();
    match names.as_slice() {
        [] => None,
        [one] => Some((*one).to_string()),
        [init @ .., last] => Some(format!("{} and {last}", init.join(", "))),
    }
}

/// A criterion in words, with the guidance's criterion number.
fn criterion_text(c: Criterion) -> String {
    let (number, text) = match c {
        Criterion::AdultInvolved => (1, "An adult (18 or over) is involved"),
        Criterion::CoercionBlackmailOrGrooming => (
            2,
            "A young person may have been coerced, blackmailed or groomed",
        ),
        Criterion::CapacityToConsentConcern => (
            2,
            "There is concern about a young person's capacity to consent",
        ),
        Criterion::ContentAtypicalForDevelopment => (
            3,
            "The imagery suggests sexual acts unusual for the young person's stage of development",
        ),
        Criterion::ContentViolent => (3, "The imagery suggests violence"),
        Criterion::Under13SexualActs => (
            4,
            "The imagery involves sexual acts and a child in it is under 13",
        ),
        Criterion::ImmediateRiskOfHarm => (
            5,
            "A young person is at immediate risk of harm because of the sharing",
        ),
    };
    format!("{text} (criterion {number})")
}

/// An unknown fact as the question to answer.
fn unknown_question(fact: &str) -> String {
    if let Some(id) = fact.strip_prefix("subject_age:") {
        return format!("How old was young person \"{id}\" (in the imagery) on the incident date?");
    }
    if let Some(f) = Fact::ALL.into_iter().find(|f| f.field() == fact) {
        return f.question().to_string();
    }
    if let Some(flag) = fact
        .strip_prefix("flags.")
        .and_then(|name| Flag::ALL.iter().find(|f| f.as_str() == name))
    {
        return flag_question(*flag).to_string();
    }
    if let Some(c) = Criterion::ALL.iter().find(|c| c.as_str() == fact) {
        return criterion_question(*c).to_string();
    }
    let q = match fact {
        "content_sexual_acts" => "Does the imagery involve sexual acts?",
        "subject_age" => {
            "How old is the young person in the imagery? (No young person is recorded as \
             the one in it.)"
        }
        "media.suitably_dressed" => "Is everyone in the image suitably dressed?",
        "media.has_geodata" => "Does the image file record where it was taken?",
        "pupils.restriction" => {
            "Is any pupil in the image under a restriction (for example a court order or \
             a looked-after child who must not be identified)?"
        }
        _ => "Something the engine needs to know was not given; check the request is complete.",
    };
    q.to_string()
}

/// A sexting criterion, when it is not known, as a question.
fn criterion_question(c: Criterion) -> &'static str {
    match c {
        Criterion::AdultInvolved => "Is anyone involved aged 18 or over?",
        Criterion::CoercionBlackmailOrGrooming => {
            "Was any young person pressured, blackmailed or groomed (sextortion included)?"
        }
        Criterion::CapacityToConsentConcern => {
            "Is there doubt that a young person could consent (for example owing to \
             special educational needs)?"
        }
        Criterion::ContentAtypicalForDevelopment => {
            "Does what is known of the imagery suggest sexual acts unusual for the young \
             person's stage of development?"
        }
        Criterion::ContentViolent => "Does what is known of the imagery suggest violence?",
        Criterion::Under13SexualActs => {
            "Does the imagery involve sexual acts, and is a child in it under 13?"
        }
        Criterion::ImmediateRiskOfHarm => {
            "Is any young person at immediate risk of harm (for example presenting as \
             suicidal or self-harming)?"
        }
    }
}

/// An escalation flag, when it is not given, as a question.
fn flag_question(flag: Flag) -> &'static str {
    match flag {
        Flag::ImmediateDanger => "Is a child in immediate danger?",
        Flag::CriminalOffenceSuspected => "Is a criminal offence suspected?",
        Flag::CriminalOffenceUnclear => "Is it unclear whether a crime has been committed?",
        Flag::IllegalMaterial => {
            "Is illegal material involved (for example child sexual abuse imagery)?"
        }
        Flag::OnSchoolSystems => "Did it happen on the school's systems or network?",
        Flag::OutsideSchool => "Did it happen outside school?",
        Flag::OtherSchoolsInvolved => "Are pupils of other schools involved?",
        Flag::OngoingOrRepeated => "Is it still going on, or has it happened before?",
        Flag::ThreatToLife => "Is anyone's life under threat?",
        Flag::ParentalInvolvementWouldRiskChild => {
            "Would telling the parents or carers put the child at risk?"
        }
        Flag::LowLevelConcern => {
            "Is the concern about the member of staff a low-level concern (below the harm \
             threshold)?"
        }
    }
}

/// A devices condition as a sentence.
fn condition_text(c: Condition) -> String {
    let text = match c {
        Condition::SwitchedOff => "The device is switched off.",
        Condition::SwitchedOffOutOfSight => "The device is switched off and out of sight.",
        Condition::SilentMode => "The device is on silent.",
        Condition::BluetoothOff => "Bluetooth is switched off.",
        Condition::HandInAtGate => "The device is handed in at the gate.",
        Condition::HandInToOffice => "The device is handed in to the school office.",
        Condition::StaffAreasOnly => "It is used only in staff areas.",
        Condition::UnderStaffSupervision => "It is used under staff supervision.",
        Condition::InPresenceOfStaff => "It is used only with a member of staff present.",
        Condition::WithholdCallerId => "The caller's number is withheld.",
        Condition::NotifyHeadteacher => "The headteacher is told.",
        Condition::HeadteacherPermission => "The headteacher has given permission.",
        Condition::SltApproval => "The senior leadership team has approved it.",
        Condition::RegisterDevice => "The device is registered with the school.",
        Condition::PersonalUseOnly => "It is for personal use only.",
        Condition::DeleteBeforeEndOfDay => {
            "Anything recorded is deleted before the end of the day."
        }
    };
    text.to_string()
}

/// What happens on a breach, as a sentence.
fn breach_text(b: OnBreach) -> String {
    let text = match b {
        OnBreach::ConfiscateToOffice => "The device is confiscated and taken to the office.",
        OnBreach::ReleaseToParent => "The device is given back only to a parent or carer.",
        OnBreach::ReportToExamBody => "It is reported to the exam body.",
        OnBreach::StaffDisciplinary => "It is a matter for the staff disciplinary procedure.",
    };
    text.to_string()
}

/// An image's changes as sentences, in order, the stricter name change
/// only ([`stricter`]). `named_in` (the decision's
/// field of that name, empty when the decision does not say) tells which
/// fields hold the names: `rename_file` covers the file name and the tags,
/// and becomes one sentence for each that holds a name, so that staff are
/// not told to rename a file whose name is fine.
fn changes_text(changes: &[Text], named_in: &[Text]) -> Vec<String> {
    let mut out = Vec::with_capacity(changes.len());
    for change in stricter(changes) {
        match change {
            "rename_file" => out.extend(rename_text(named_in)),
            "remove_names" => out.push(remove_names_text(named_in)),
            other => out.push(change_text(other)),
        }
    }
    out
}

/// Whether `named_in` lists the media field `field`.
fn names_in(named_in: &[Text], field: &str) -> bool {
    named_in.iter().any(|f| &**f == field)
}

/// `rename_file` as one sentence per field that holds a name: the file
/// name, the tags, or (when the decision does not say) both in one.
fn rename_text(named_in: &[Text]) -> Vec<String> {
    let file = names_in(named_in, "filename");
    let tags = names_in(named_in, "tags");
    let mut out = Vec::new();
    if file {
        out.push("Rename the file so that it holds no pupil's name.".to_string());
    }
    if tags {
        out.push("Take pupils' names out of the image's tags.".to_string());
    }
    if out.is_empty() {
        out.push("Take pupils' names out of the file name and the tags.".to_string());
    }
    out
}

/// `remove_names`, naming the caption, the credits or both (both when the
/// decision does not say).
fn remove_names_text(named_in: &[Text]) -> String {
    let caption = names_in(named_in, "caption");
    let credits = names_in(named_in, "credits");
    let fields = match (caption, credits) {
        (true, false) => "the caption",
        (false, true) => "the credits",
        _ => "the caption and the credits",
    };
    format!("Take pupils' names out of {fields}.")
}

/// An images change as a sentence.
fn change_text(change: &str) -> String {
    if let Some(pupil) = change.strip_prefix("exclude_pupil:") {
        return format!("Leave pupil \"{pupil}\" out of the image (crop or choose another).");
    }
    let text = match change {
        "rename_file" => "Take pupils' names out of the file name and the tags.",
        "remove_names" => "Take pupils' names out of the caption and the credits.",
        "strip_geodata" => "Remove the location the image records (its GPS data).",
        "caption_first_names_only" => "Use first names only in the caption.",
        "confirm_suitably_dressed" => "Check that everyone in the image is suitably dressed.",
        "remove_full_names_from_credits" => "Take full names out of the credits.",
        _ => "Make the further change the policy asks for before publishing.",
    };
    text.to_string()
}

/// A purpose of publishing, in words.
fn purpose_text(purpose: &str) -> &'static str {
    match Purpose::ALL.iter().find(|p| p.as_str() == purpose) {
        Some(Purpose::Display) => "display in school",
        Some(Purpose::Website) => "the school website",
        Some(Purpose::Prospectus) => "the prospectus",
        Some(Purpose::SocialMedia) => "social media",
        Some(Purpose::Press) => "the press",
        Some(Purpose::NameWithImage) => "naming with the image",
        Some(Purpose::IndividualUse) => "individual use",
        None => "this use",
    }
}

/// A pupil (or the whole image) ruled out, as a sentence. A missing
/// consent says what the request recorded (`Blocked::consent`): refused,
/// withdrawn or never recorded; a decision that does not say gets the
/// wording true of all three.
fn blocked_text(b: &Blocked) -> String {
    let why = match b.reason.strip_prefix("no_consent:") {
        Some(purpose) => {
            let purpose = purpose_text(purpose);
            match b.consent.as_deref() {
                Some("no") => format!("consent for {purpose} was refused"),
                Some("withdrawn") => format!("consent for {purpose} has been withdrawn"),
                Some("not_asked") => format!("no answer on consent for {purpose} is recorded"),
                _ => format!("there is no consent for {purpose}"),
            }
        }
        None => match &*b.reason {
            "restricted" => "a restriction means they must not be published".to_string(),
            "restriction_unknown" => "it is not known whether a restriction applies".to_string(),
            "left_school" => "they have left the school".to_string(),
            "personal_device" => "it was taken on a personal device".to_string(),
            "not_suitably_dressed" => "not everyone is suitably dressed".to_string(),
            "individual_permission_needed" => {
                "a photo of one pupil needs their own permission".to_string()
            }
            "not_covered" => "no rule of the policy covers this use".to_string(),
            _ => "the policy does not allow it".to_string(),
        },
    };
    match &b.pupil {
        Some(pupil) => format!("Pupil \"{pupil}\": {why}."),
        None => format!("The whole image: {why}."),
    }
}

/// One image of a gallery, as a sentence.
fn gallery_text(item: &GalleryItem) -> String {
    let answer = match item.outcome {
        Outcome::Publish => "may be published as it is".to_string(),
        Outcome::PublishWithChanges => {
            let changes: Vec<String> = changes_text(&item.changes, &item.named_in)
                .iter()
                .map(|c| lower_first(c.trim_end_matches('.')))
                .collect();
            format!(
                "may be published once these changes are made: {}",
                changes.join("; ")
            )
        }
        _ => "must not be published".to_string(),
    };
    let why: Vec<String> = item.blocked.iter().map(blocked_text).collect();
    format!("Image \"{}\": {answer}. {}", item.image, why.join(" "))
        .trim_end()
        .to_string()
}

/// `s` with its first letter in lower case, to follow a colon: only the
/// first, since the rest may hold a pupil's id or an abbreviation ("S1",
/// "GPS") that must read as given.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `2024-05-21T15:15` → `15:15 on Tuesday 21 May 2024`.
fn clock_time(due: &str) -> Option<String> {
    let t = chrono::NaiveDateTime::parse_from_str(due, "%Y-%m-%dT%H:%M").ok()?;
    Some(t.format("%H:%M on %A %-d %B %Y").to_string())
}

/// The action as a short instruction.
fn action_title(token: ActionToken) -> &'static str {
    match token {
        ActionToken::ReportToDsl => "Report it to the DSL",
        ActionToken::DoNotViewCopyShareDelete => "Do not view, copy, share or delete the imagery",
        ActionToken::SecureDevice => "Secure the device",
        ActionToken::InitialReviewMeeting => "Hold the initial review meeting",
        ActionToken::RecordIncident => "Record the incident",
        ActionToken::InformParents => "Inform parents or carers",
        ActionToken::ReferToPolice => "Refer to the police",
        ActionToken::ReferToChildrensSocialCare => "Refer to children's social care",
        ActionToken::FollowChildSexualAbuseProcedure => {
            "Follow the child sexual abuse (child-protection) procedure"
        }
        ActionToken::EstablishUnknownFacts => "Establish the facts still unknown",
        ActionToken::EscalateIfConcernsArise => "Escalate if concerns arise",
        ActionToken::StopContactDoNotPay => "Stop contact and do not pay",
        ActionToken::ReportToCeop => "Report to CEOP",
        ActionToken::ReportRemove => "Use Report Remove to take the images down",
        ActionToken::SupportVictim => "Support the victim",
        ActionToken::RecordDecisionNotToInformParents => {
            "Record the decision not to inform parents"
        }
        ActionToken::Notify => "Tell them",
        ActionToken::Delete => "Delete it",
        ActionToken::PreserveEvidence => "Keep the evidence",
        ActionToken::QuarantineDevice => "Take the device out of use and lock it away",
        ActionToken::BlockUrl => "Block the web address",
        ActionToken::ReviewFiltering => "Review the filtering and monitoring",
        ActionToken::DoNotViewImagery => "Do not view, copy or share the imagery",
        ActionToken::ReportUrlToIwf => "Report the web addresses to the IWF",
        ActionToken::DeleteCopies => "Delete the copies",
        ActionToken::DeleteCopiesWhenPoliceDirect => "Delete copies only as the police direct",
        ActionToken::RequestRemoval => "Ask for it to be removed",
        ActionToken::NoBlame => "No blame: close the screen and reassure",
        ActionToken::ApplySanctions => "Apply the sanctions",
        ActionToken::AntiBullyingProcedure => "Follow the anti-bullying procedure",
    }
}

/// Who, in words.
fn who_text(who: Who) -> String {
    who.in_words().to_string()
}

/// By when, in words.
fn deadline_text(deadline: Deadline) -> &'static str {
    match deadline {
        Deadline::Immediately => "immediately",
        Deadline::EndOfLesson => "by the end of the lesson",
        Deadline::SameDay => "today",
        Deadline::WithinOneWorkingDay => "within one working day",
        Deadline::WhenFactsEstablished => "once the facts are established",
        Deadline::WhenServiceOpens => "when the service opens",
    }
}

/// Appends `text` word-wrapped to [`WIDTH`]: the first line starts with
/// `first`, the rest with `rest`. A word longer than a line (a URL) is
/// kept whole on its own line rather than broken.
fn wrap(out: &mut String, first: &str, rest: &str, text: &str) {
    let mut line = String::from(first);
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(rest);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_letter_is_lowered() {
        assert_eq!(
            lower_first("Blur S1 and remove GPS"),
            "blur S1 and remove GPS"
        );
        assert_eq!(lower_first("Élan"), "élan");
        assert_eq!(lower_first(""), "");
    }

    #[test]
    fn markdown_escapes_markup_and_line_starts() {
        for (hostile, escaped) in [
            ("[a](b) ![i](j)", r"\[a\](b) \!\[i\](j)"),
            ("<script>x</script>", r"\<script\>x\</script\>"),
            (
                "`c` *e* _e_ ~s~ a|b &amp;",
                r"\`c\` \*e\* \_e\_ \~s\~ a\|b \&amp;",
            ),
            ("# h", r"\# h"),
            ("- item", r"\- item"),
            ("+ item", r"\+ item"),
            ("= line", r"\= line"),
            ("12. item", r"12\. item"),
            ("3) item", r"3\) item"),
            ("a\nb\n\n- c", "a b - c"),
            ("back\\slash {x}", r"back\\slash \{x\}"),
            ("1999 was a year.", "1999 was a year."),
            (
                "Pupil \"p2\": the child-protection (DSL) rule.",
                "Pupil \"p2\": the child-protection (DSL) rule.",
            ),
        ] {
            assert_eq!(escape_markdown(hostile), escaped, "{hostile}");
        }
    }

    /// Every publishing purpose and every unknown fact of the typed lists
    /// (and sexting's untyped ones) has words of its own, not the general
    /// words for a string not known; the images domain's string tokens are
    /// checked in `tests/tests/explain.rs`, against the corpus's lists.
    #[test]
    fn every_listed_purpose_and_fact_has_its_own_words() {
        for p in Purpose::ALL {
            assert_ne!(
                purpose_text(p.as_str()),
                purpose_text("not_a_purpose"),
                "{p}"
            );
        }
        let question = unknown_question("not_a_fact");
        let facts = Fact::ALL.into_iter().map(|f| f.field().to_string());
        let flags = Flag::ALL.iter().map(|f| format!("flags.{}", f.as_str()));
        let criteria = Criterion::ALL.iter().map(|c| c.as_str().to_string());
        let others = ["content_sexual_acts", "subject_age", "subject_age:p1"];
        for fact in facts
            .chain(flags)
            .chain(criteria)
            .chain(others.map(String::from))
        {
            assert_ne!(unknown_question(&fact), question, "{fact}");
        }
    }

    #[test]
    fn wraps_and_indents() {
        let mut out = String::new();
        let text = "word ".repeat(40);
        wrap(&mut out, "  - ", "    ", &text);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 1);
        assert!(lines[0].starts_with("  - word"));
        assert!(lines[1].starts_with("    word"));
        assert!(lines.iter().all(|l| l.len() <= WIDTH));
    }

    #[test]
    fn referral_phrases() {
        assert_eq!(referral_phrase(&[]), None);
        assert_eq!(
            referral_phrase(&[Referral::Police, Referral::ChildrensSocialCare]).as_deref(),
            Some("the police and children's social care")
        );
    }

    #[test]
    fn unknown_facts_become_questions_without_their_names() {
        assert!(unknown_question("subject_age:p1").contains("\"p1\""));
        assert_eq!(
            unknown_question("coercion_blackmail_or_grooming"),
            "Was any young person pressured, blackmailed or groomed (sextortion included)?"
        );
        assert_eq!(
            unknown_question("flags.immediate_danger"),
            "Is a child in immediate danger?"
        );
        let unknown = unknown_question("shared_widely");
        assert!(!unknown.contains("shared"), "{unknown}");
    }

    #[test]
    fn every_devices_fact_is_a_question() {
        assert_eq!(
            unknown_question("context.school_device_available"),
            "Is a school device available instead?"
        );
        for fact in Fact::ALL {
            let q = unknown_question(fact.field());
            assert!(q.ends_with('?') && !q.contains('`'), "{q}");
        }
    }

    #[test]
    fn changes_and_refusals_are_sentences() {
        assert_eq!(
            change_text("strip_geodata"),
            "Remove the location the image records (its GPS data)."
        );
        let b = Blocked {
            pupil: Some("p2".into()),
            reason: "no_consent:social_media".into(),
            rule: "images.consent.social_media".into(),
            consent: None,
        };
        assert_eq!(
            blocked_text(&b),
            "Pupil \"p2\": there is no consent for social media."
        );
    }

    /// Refused, withdrawn and never recorded consent read differently (one
    /// token covers all three); a decision that does not say keeps the
    /// wording true of all three.
    #[test]
    fn refused_consent_is_not_called_unrecorded() {
        let text = |consent: Option<&str>| {
            blocked_text(&Blocked {
                pupil: Some("p2".into()),
                reason: "no_consent:website".into(),
                rule: "images.consent.website".into(),
                consent: consent.map(Text::from),
            })
        };
        assert_eq!(
            text(Some("no")),
            "Pupil \"p2\": consent for the school website was refused."
        );
        assert_eq!(
            text(Some("withdrawn")),
            "Pupil \"p2\": consent for the school website has been withdrawn."
        );
        assert_eq!(
            text(Some("not_asked")),
            "Pupil \"p2\": no answer on consent for the school website is recorded."
        );
        assert_eq!(
            text(None),
            "Pupil \"p2\": there is no consent for the school website."
        );
    }

    /// `rename_file` is told for the field that holds the name: the file
    /// name, the tags, or each in its own sentence.
    #[test]
    fn renaming_is_told_for_the_field_that_holds_the_name() {
        let changes: Vec<Text> = vec!["rename_file".into(), "strip_geodata".into()];
        let fields = |f: &[&str]| f.iter().map(|&s| Text::from(s)).collect::<Vec<_>>();
        let tags_only = changes_text(&changes, &fields(&["tags"]));
        assert_eq!(
            tags_only,
            [
                "Take pupils' names out of the image's tags.",
                "Remove the location the image records (its GPS data).",
            ]
        );
        assert!(!tags_only.iter().any(|t| t.contains("Rename")));
        assert_eq!(
            changes_text(&changes[..1], &fields(&["filename"])),
            ["Rename the file so that it holds no pupil's name."]
        );
        assert_eq!(
            changes_text(&changes[..1], &fields(&["caption", "filename", "tags"])),
            [
                "Rename the file so that it holds no pupil's name.",
                "Take pupils' names out of the image's tags.",
            ]
        );
        assert_eq!(
            changes_text(&changes[..1], &[]),
            ["Take pupils' names out of the file name and the tags."]
        );
        let remove: Vec<Text> = vec!["remove_names".into()];
        assert_eq!(
            changes_text(&remove, &fields(&["caption"])),
            ["Take pupils' names out of the caption."]
        );
        assert_eq!(
            changes_text(&remove, &[]),
            ["Take pupils' names out of the caption and the credits."]
        );
    }
}
