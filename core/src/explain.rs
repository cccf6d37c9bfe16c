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
//! text `safeguard eval --explain` prints.
//!
//! The wording is written once, here, so that every front end says the same
//! thing; before issue 23 the CLI and the web page each wrote their own,
//! and they differed. Everything shown comes from the decision: the
//! explanation adds wording, never facts, so it cannot drift from the JSON
//! answer. The sentences never contain a wire token, a rule id or a JSON
//! path; each step and question keeps its tokens as fields, for a program
//! that wants both. Every token has its words here by an exhaustive match,
//! so a new token does not compile until it is given words.
//!
//! The text is plain (no colours or terminal codes, so it pastes cleanly
//! into a record) and wrapped to 78 columns. The structs are
//! `#[non_exhaustive]`: the engine builds them, and a later field (the
//! Markdown of issue 23) is not a breaking change.

use crate::decision::{Blocked, Decision, GalleryItem};
use crate::devices::Fact;
use crate::escalation::Flag;
use crate::images::vocab::Purpose;
use crate::vocab::{
    Action, ActionToken, Condition, Criterion, Deadline, Domain, OnBreach, Outcome, Reason,
    Referral, Text, Who,
};
use serde::Serialize;
use std::sync::Arc;

/// Wrap width of [`Explanation::to_text`]: fits an 80-column terminal.
const WIDTH: usize = 78;

/// What a decision means, in words (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    /// Which policy and engine gave the answer, as a sentence.
    pub decided_under: String,
    /// The policy's digest, for an audit record (never wrapped).
    pub digest: Text,
}

/// One step of what to do now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    /// The step in one sentence: what, who and when.
    pub sentence: String,
}

/// A fact still unknown, as the question to answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Question {
    /// The fact as the decision's `unknowns` names it (for programs).
    pub fact: Text,
    /// The question, in words.
    pub question: String,
}

/// A rule behind the answer, with its citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    /// This decision in plain English (see [`Explanation`]).
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
            None => headline(d.outcome, referrals),
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
        steps: d.actions.iter().map(|a| step(a, &d.reasons)).collect(),
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
        decided_under: format!(
            "Decided under the policy {} version {}, by safeguard engine {}.",
            d.policy.id, d.policy.version, d.engine
        ),
        digest: d.policy.digest.clone(),
    }
}

impl Explanation {
    /// The explanation as plain text, wrapped to 78 columns, ending with a
    /// newline: the headline; the criteria, questions, conditions and
    /// changes; for escalation the plan as a checklist before the reasons,
    /// otherwise the reasons ("Why:") before what to do now; the initial
    /// review checklist; and the policy it came from.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        wrap(&mut out, "", "", &self.headline);
        if let Some(more) = &self.caution {
            wrap(&mut out, "", "", more);
        }
        list(&mut out, "Referral criteria that hold", &self.criteria);
        let questions: Vec<String> = self.questions.iter().map(|q| q.question.clone()).collect();
        list(
            &mut out,
            "Still unknown (each could change the answer)",
            &questions,
        );
        if self.outcome == Outcome::DslMayManageInSchool {
            out.push('\n');
            wrap(
                &mut out,
                "",
                "",
                "Every immediate-referral criterion is known not to hold.",
            );
        }
        list(&mut out, "Conditions", &self.conditions);
        list(&mut out, "If the rule is broken", &self.if_broken);
        if let Some(no_rule) = &self.no_rule {
            out.push('\n');
            wrap(&mut out, "", "", no_rule);
        }
        list(&mut out, "Changes needed before publishing", &self.changes);
        list(&mut out, "Who or what cannot be published", &self.ruled_out);
        list(&mut out, "Each image", &self.gallery);

        // An escalation plan is what the DSL acts on: it comes first.
        if self.domain == Domain::Escalation {
            self.plan(&mut out);
        }
        out.push_str("\nWhy:\n");
        if self.rules.is_empty() {
            out.push_str("  No rule gave a reason.\n");
        }
        for r in &self.rules {
            wrap(&mut out, "  - ", "    ", &r.summary);
            wrap(
                &mut out,
                "    ",
                "      ",
                &format!("Source: {}, section \"{}\".", r.document, r.section),
            );
        }
        if self.domain != Domain::Escalation {
            self.what_to_do(&mut out);
        }
        if !self.checklist.is_empty() {
            out.push_str("\nInitial review: consider\n");
            for item in &self.checklist {
                wrap(&mut out, "  [ ] ", "      ", item);
            }
        }
        out.push('\n');
        wrap(&mut out, "", "  ", &self.decided_under);
        // Never wrapped: the digest is copied and compared whole.
        out.push_str(&format!("Policy digest: {}\n", self.digest));
        out
    }

    /// "A child is in danger" first, when the first step is a 999 call.
    fn danger_first(&self, out: &mut String) {
        if self.steps.first().is_some_and(|s| s.who == Who::Police999) {
            wrap(
                out,
                "  ",
                "  ",
                "A child is in danger: call 999 before doing anything else.",
            );
        }
    }

    /// The escalation plan as a checklist: each step with who (and the
    /// school's own contact), by when as a clock time and date, and why.
    fn plan(&self, out: &mut String) {
        out.push_str("\nThe plan (tick each step as it is done):\n");
        self.danger_first(out);
        let digits = self.steps.len().to_string().len();
        for (i, s) in self.steps.iter().enumerate() {
            let number = format!("  [ ] {:>digits$}. ", i + 1);
            let indent = " ".repeat(number.len());
            let title = if s.action == ActionToken::Notify {
                s.title.clone()
            } else {
                format!("{} ({})", s.title, s.who_text)
            };
            wrap(out, &number, &indent, &title);
            if let Some(contact) = &s.contact {
                wrap(out, &indent, &indent, &format!("Contact: {contact}"));
            }
            let when = match &s.due {
                Some(at) => format!("By: {at} ({}).", s.when),
                None => format!("By: {}.", s.when),
            };
            wrap(out, &indent, &indent, &when);
            wrap(out, &indent, &indent, &s.detail);
            if let Some(r) = self.rules.iter().find(|r| r.rule == s.rule) {
                let why = format!("Why: {} ({}, \"{}\")", r.summary, r.document, r.section);
                wrap(out, &indent, &indent, &why);
            }
        }
    }

    /// The steps of an answer that is not an escalation: what, who, when,
    /// the school's contact, and for a referral the rule that required it.
    fn what_to_do(&self, out: &mut String) {
        out.push_str("\nWhat to do now:\n");
        if self.steps.is_empty() {
            out.push_str("  No further steps.\n");
        }
        self.danger_first(out);
        let digits = self.steps.len().to_string().len();
        for (i, s) in self.steps.iter().enumerate() {
            let number = format!("  {:>digits$}. ", i + 1);
            let indent = " ".repeat(number.len());
            wrap(out, &number, &indent, &s.title);
            let mut when = format!("Who: {}. When: {}", s.who_text, s.when);
            if let Some(at) = &s.due {
                when.push_str(&format!(" (by {at})"));
            }
            when.push('.');
            wrap(out, &indent, &indent, &when);
            wrap(out, &indent, &indent, &s.detail);
            // A contact that only repeats who ("Police") adds nothing.
            let bare_who = s.who_text.strip_prefix("the ").unwrap_or(&s.who_text);
            if let Some(contact) = s
                .contact
                .as_deref()
                .filter(|c| !c.eq_ignore_ascii_case(bare_who))
            {
                wrap(out, &indent, &indent, &format!("Contact: {contact}"));
            }
            if let Some(rule) = &s.required_by {
                wrap(out, &indent, &indent, &format!("Required by: {rule}"));
            }
        }
    }
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
    let mut sentence = if a.action == ActionToken::Notify {
        format!("{title}, {when}")
    } else {
        format!("{title}: {who}, {when}")
    };
    if let Some(at) = &due {
        sentence.push_str(&format!(" (by {at})"));
    }
    sentence.push('.');
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
        sentence,
    }
}

/// The first line: the answer in one sentence.
fn headline(outcome: Outcome, referrals: &[Referral]) -> String {
    let to = referral_phrase(referrals);
    match outcome {
        Outcome::ChildSexualAbuse => format!(
            "CHILD SEXUAL ABUSE: an adult is involved, so this is not sexting. Refer \
             immediately{} under the child-protection procedure.",
            to.map(|t| format!(" to {t}")).unwrap_or_default()
        ),
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

/// An image's changes as sentences, in order. `named_in` (the decision's
/// field of that name, empty when the decision does not say) tells which
/// fields hold the names: `rename_file` covers the file name and the tags,
/// and becomes one sentence for each that holds a name, so that staff are
/// not told to rename a file whose name is fine.
fn changes_text(changes: &[Text], named_in: &[Text]) -> Vec<String> {
    let mut out = Vec::with_capacity(changes.len());
    for change in changes {
        match &**change {
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
    let text = match who {
        Who::Dsl => "the Designated Safeguarding Lead (DSL)",
        Who::DeputyDsl => "the deputy DSL",
        Who::OnlineSafetyLead => "the online-safety lead",
        Who::Headteacher => "the headteacher",
        Who::DeputyHead => "the deputy headteacher",
        Who::ChairOfGovernors => "the chair of governors",
        Who::SafeguardingGovernor => "the safeguarding governor",
        Who::NetworkManager => "the network manager",
        Who::DataProtectionOfficer => "the data protection officer",
        Who::AllStaff => "all staff",
        Who::SchoolOffice => "the school office",
        Who::YoungPerson => "the young person",
        Who::Parents => "parents or carers",
        Who::Lado => "the LADO (local authority designated officer)",
        Who::Police => "the police",
        Who::Police999 => "the police on 999",
        Who::Police101 => "the police on 101",
        Who::ChildrensSocialCare => "children's social care",
        Who::Ceop => "CEOP (the NCA's child protection command)",
        Who::Iwf => "the Internet Watch Foundation",
        Who::Prevent => "Prevent",
        Who::LocalAuthority => "the local authority",
        Who::OnlineSafetyHelpline => "the online-safety helpline",
        Who::PlatformProvider => "the platform provider",
        Who::ExamBody => "the exam body",
    };
    text.to_string()
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

/// A titled list of sentences, or nothing for an empty list.
fn list(out: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    out.push_str(&format!("\n{title}:\n"));
    for item in items {
        wrap(out, "  - ", "    ", item);
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
