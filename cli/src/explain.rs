//! `--explain`: a decision in plain English, for the DSL at the terminal.
//!
//! The JSON response is written for programs; a DSL in the middle of an
//! incident needs the same content in the order they act on it:
//! 1. the answer, as one headline sentence (in capitals when it means
//!    picking up the phone);
//! 2. the referral criteria that hold, or the facts still to establish;
//! 3. "Why:": each rule with its id and citation, so the answer can be
//!    checked against the policy and recorded;
//! 4. "What to do now:": the actions, numbered in the engine's order, with who
//!    and by when in words rather than tokens, and the school's own contact.
//!    An answer has one plan (SPEC §1.8): a sexting answer's steps include
//!    whom to tell, each once, so there is no second list to print; a
//!    referral says which rule required it;
//! 5. the initial-review checklist, and which policy the answer came from.
//!
//! Everything shown comes from the [`Decision`]: the explanation adds wording,
//! never facts, so it cannot drift from the JSON answer. The text is plain
//! (no colours or terminal codes, so it pastes cleanly into a record) and
//! wrapped to 78 columns.

use safeguard_engine::devices::Fact;
use safeguard_engine::{Action, ActionToken, Criterion, Deadline, Reason, Referral, Who};
use safeguard_engine::{Decision, Domain, Outcome};
use std::sync::Arc;

/// Wrap width: fits an 80-column terminal with room to spare.
const WIDTH: usize = 78;

/// The whole explanation, ending with a newline.
pub fn render(d: &Decision) -> String {
    let mut out = String::new();
    let referrals = d.referral_to.as_deref().unwrap_or(&[]);

    wrap(&mut out, "", "", &headline(d.outcome, referrals));
    if let Some(more) = subline(d.outcome) {
        wrap(&mut out, "", "", more);
    }

    let criteria = d.criteria.as_deref().unwrap_or(&[]);
    if !criteria.is_empty() {
        out.push_str("\nReferral criteria that hold:\n");
        for c in criteria {
            let (number, text) = criterion_text(*c);
            wrap(
                &mut out,
                "  - ",
                "    ",
                &format!("{text} (criterion {number})."),
            );
        }
    }
    if !d.unknowns.is_empty() {
        out.push_str("\nStill unknown (each could change the answer):\n");
        for fact in &d.unknowns {
            wrap(
                &mut out,
                "  - ",
                "    ",
                &format!("{} [{fact}]", unknown_question(fact)),
            );
        }
    }
    if d.outcome == Outcome::DslMayManageInSchool {
        out.push('\n');
        wrap(
            &mut out,
            "",
            "",
            "Every immediate-referral criterion is known not to hold.",
        );
    }
    let conditions: Vec<&str> = d.conditions.iter().map(|c| c.as_str()).collect();
    list_section(&mut out, "Conditions", &conditions);
    let breaches: Vec<&str> = d.on_breach.iter().flatten().map(|b| b.as_str()).collect();
    list_section(&mut out, "If the rule is broken", &breaches);
    if let Some(who) = d.decided_by {
        out.push('\n');
        wrap(
            &mut out,
            "",
            "",
            &format!(
                "No rule of this policy covers this request; {} decides.",
                who_text(who)
            ),
        );
    }
    let changes: Vec<&str> = d.changes.iter().map(|c| &**c).collect();
    list_section(&mut out, "Changes needed before publishing", &changes);

    // An escalation plan is what the DSL acts on: it comes first.
    if d.domain == Domain::Escalation {
        render_plan(&mut out, "The plan", &d.actions, &d.reasons);
    }

    out.push_str("\nWhy:\n");
    if d.reasons.is_empty() {
        out.push_str("  (no rule gave a reason)\n");
    }
    for r in &d.reasons {
        wrap(&mut out, "  - ", "    ", &r.summary);
        wrap(&mut out, "    ", "    ", &format!("Rule: {}", r.rule));
        wrap(
            &mut out,
            "    ",
            "      ",
            &format!("Source: {}, section \"{}\"", r.cite.source, r.cite.section),
        );
    }

    if d.domain != Domain::Escalation {
        out.push_str("\nWhat to do now:\n");
        if d.actions.is_empty() {
            out.push_str("  (no actions)\n");
        }
        if d.actions.first().is_some_and(|a| a.who == Who::Police999) {
            wrap(
                &mut out,
                "  ",
                "  ",
                "A child is in danger: call 999 before doing anything else.",
            );
        }
        let digits = d.actions.len().to_string().len();
        for (i, a) in d.actions.iter().enumerate() {
            render_action(&mut out, i + 1, digits, a, &d.reasons);
        }
    }

    if let Some(checklist) = d.review_checklist.as_deref().filter(|c| !c.is_empty()) {
        out.push_str("\nInitial review: consider\n");
        for item in checklist {
            wrap(&mut out, "  [ ] ", "      ", &item.question);
        }
    }

    out.push('\n');
    wrap(
        &mut out,
        "",
        "  ",
        &format!(
            "Policy: {} version {}; safeguard engine {}.",
            d.policy.id, d.policy.version, d.engine
        ),
    );
    // Never wrapped: the digest is copied and compared whole.
    out.push_str(&format!("Policy digest: {}\n", d.policy.digest));
    out
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
        Outcome::Notify => "Tell the people below, in this order, by the times given.".to_string(),
        other => format!("Outcome: {}.", words(other.as_str())),
    }
}

/// A second sentence where the headline alone could mislead.
fn subline(outcome: Outcome) -> Option<&'static str> {
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

/// The guidance's criterion number and the criterion in words.
fn criterion_text(c: Criterion) -> (u8, &'static str) {
    match c {
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
    }
}

/// An unknown fact as the question the DSL has to answer.
fn unknown_question(fact: &str) -> String {
    if let Some(id) = fact.strip_prefix("subject_age:") {
        return format!("How old was young person `{id}` (in the imagery) on the incident date?");
    }
    if let Some(f) = Fact::ALL.into_iter().find(|f| f.field() == fact) {
        return f.question().to_string();
    }
    let q = match fact {
        "adult_involved" => "Is anyone involved aged 18 or over?",
        "coercion_blackmail_or_grooming" => {
            "Was any young person pressured, blackmailed or groomed (sextortion included)?"
        }
        "capacity_to_consent_concern" => {
            "Is there doubt that a young person could consent (for example owing to \
             special educational needs)?"
        }
        "content_atypical_for_development" => {
            "Does what is known of the imagery suggest sexual acts unusual for the young \
             person's stage of development?"
        }
        "content_violent" => "Does what is known of the imagery suggest violence?",
        "content_sexual_acts" => "Does the imagery involve sexual acts?",
        "immediate_risk_of_harm" => {
            "Is any young person at immediate risk of harm (for example presenting as \
             suicidal or self-harming)?"
        }
        "subject_age" => {
            "How old is the young person in the imagery? (no young person has the role \
             `subject`)"
        }
        other => return format!("Not yet known: {}.", words(other)),
    };
    q.to_string()
}

/// The escalation plan as a checklist: each step with who (and the
/// school's own contact), by when as a clock time and date, and why.
fn render_plan(out: &mut String, title: &str, actions: &[Action], reasons: &[Arc<Reason>]) {
    out.push_str(&format!("\n{title} (tick each step as it is done):\n"));
    if actions.first().is_some_and(|a| a.who == Who::Police999) {
        wrap(
            out,
            "  ",
            "  ",
            "A child is in danger: call 999 before doing anything else.",
        );
    }
    let digits = actions.len().to_string().len();
    for (i, a) in actions.iter().enumerate() {
        let number = format!("  [ ] {:>digits$}. ", i + 1);
        let indent = " ".repeat(number.len());
        let who = who_text(a.who);
        let title = if a.action == ActionToken::Notify {
            format!("Tell {who}")
        } else {
            format!("{} ({who})", action_title(a.action))
        };
        wrap(out, &number, &indent, &title);
        if let Some(contact) = &a.contact {
            wrap(out, &indent, &indent, &format!("Contact: {contact}"));
        }
        let when = match a.due.as_deref().and_then(clock_time) {
            Some(at) => format!("By: {at} ({}).", deadline_text(a.deadline)),
            None => format!("By: {}.", deadline_text(a.deadline)),
        };
        wrap(out, &indent, &indent, &when);
        wrap(out, &indent, &indent, &a.detail);
        let why = reasons
            .iter()
            .find(|r| r.rule == a.rule)
            .map(|r| {
                format!(
                    "Why: {} [{}; {}, \"{}\"]",
                    r.summary, r.rule, r.cite.source, r.cite.section
                )
            })
            .unwrap_or_else(|| format!("Why: rule {}", a.rule));
        wrap(out, &indent, &indent, &why);
    }
}

/// `2024-05-21T15:15` → `15:15 on Tuesday 21 May 2024`.
fn clock_time(due: &str) -> Option<String> {
    let t = chrono::NaiveDateTime::parse_from_str(due, "%Y-%m-%dT%H:%M").ok()?;
    Some(t.format("%H:%M on %A %-d %B %Y").to_string())
}

/// One step of a plan that is not an escalation: what, who, when (the
/// clock time where the answer gives one), the school's contact, and, for
/// a step that one of the answer's reasons required (a referral), which.
fn render_action(out: &mut String, n: usize, digits: usize, a: &Action, reasons: &[Arc<Reason>]) {
    let number = format!("  {n:>digits$}. ");
    let indent = " ".repeat(number.len());
    wrap(out, &number, &indent, &action_title(a.action));
    let who = who_text(a.who);
    let mut when = format!("Who: {who}. When: {}", deadline_text(a.deadline));
    if let Some(due) = &a.due {
        match clock_time(due) {
            Some(at) => when.push_str(&format!(" (by {at})")),
            None => when.push_str(&format!(" (due {due})")),
        }
    }
    when.push('.');
    wrap(out, &indent, &indent, &when);
    wrap(out, &indent, &indent, &a.detail);
    // A contact that only repeats who ("Police") adds nothing.
    let bare_who = who.strip_prefix("the ").unwrap_or(&who);
    if let Some(contact) = a
        .contact
        .as_deref()
        .filter(|c| !c.eq_ignore_ascii_case(bare_who))
    {
        wrap(out, &indent, &indent, &format!("Contact: {contact}"));
    }
    if a.is_referral() {
        if let Some(r) = reasons.iter().find(|r| r.rule == a.rule) {
            wrap(out, &indent, &indent, &format!("Required by: {}", r.rule));
        }
    }
}

/// The action as a short imperative title.
fn action_title(token: ActionToken) -> String {
    let title = match token {
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
        ActionToken::Notify => "Notify",
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
        other => {
            let token = serde_json::to_value(other)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            return capitalise(&words(&token));
        }
    };
    title.to_string()
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
        other => return words(other.as_str()),
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

fn list_section(out: &mut String, title: &str, items: &[&str]) {
    if items.is_empty() {
        return;
    }
    out.push_str(&format!("\n{title}:\n"));
    for item in items {
        wrap(out, "  - ", "    ", &words(item));
    }
}

/// `snake_case` token → "snake case".
fn words(token: &str) -> String {
    token.replace('_', " ")
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Appends `text` word-wrapped to [`WIDTH`]: the first line starts with
/// `first`, the rest with `rest`. A word longer than a line (a digest, a
/// URL) is kept whole on its own line rather than broken.
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
    fn unknown_facts_become_questions() {
        assert!(unknown_question("subject_age:p1").contains("`p1`"));
        assert_eq!(
            unknown_question("shared_widely"),
            "Not yet known: shared widely."
        );
    }

    #[test]
    fn every_devices_fact_is_asked_in_the_engines_words() {
        assert_eq!(
            unknown_question("context.school_device_available"),
            "Is a school device available instead?"
        );
        assert_eq!(
            unknown_question("actor.works_directly_with_children"),
            "Does this person work directly with children?"
        );
        assert_eq!(
            unknown_question("context.period"),
            "When is this: which part of the school day (or give `at`)?"
        );
        for fact in Fact::ALL {
            let q = unknown_question(fact.field());
            assert!(q.ends_with('?') && !q.starts_with("Not yet known"), "{q}");
        }
    }
}
