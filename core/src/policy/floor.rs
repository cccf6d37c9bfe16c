//! The floor: national-guidance rules no school policy may drop or weaken.
//!
//! The floor is the set of baseline rules marked `floor = true`. A policy
//! passes when, for each floor rule, it has a rule with the same id that is
//! at least as protective:
//! - a decision rule applies in the same situations (`when`), requires an
//!   outcome at least as protective, and refers to at least the same bodies;
//! - an action is the same step for the same party (`who`), applies in at
//!   least the same situations, is due no later, and keeps the same
//!   exception (`unless`);
//! - a devices rule keeps its breach consequences (`on_breach`); an images
//!   rule keeps what it does to leavers' images.
//!
//! The floor also covers what a step means, beyond the rules' tokens
//! (SPEC §1.3, §5):
//! - the emergency service is called on 999, at any hour ([`check_contacts`]);
//! - the out-of-hours route of a recipient of floor steps reaches someone;
//! - every channel the baseline guards with consent keeps a consent of the
//!   same standing ([`check_consent`]);
//! - the initial-review checklist keeps the baseline's questions;
//! - per-channel consent and the deletion of leavers' images, where the
//!   policy a school's policy extends requires them, stay ([`check_inherited`]).
//!
//! What makes one domain's rule weaker than the floor rule it restates is
//! that domain's own (`weakened_*` in `<domain>/floor.rs`, with how one
//! image consent answers for another); this module walks the floor, and
//! checks what spans a whole policy (contacts, group notices, consent per
//! channel, the checklist, what a school inherits).
//!
//! Due times are the escalation clock's part: a floor step is never due
//! later than the baseline's clock would make it (`escalation::Compiled`).
//!
//! Summaries, citations and the people and numbers behind a role are the
//! school's to choose: a school may cite its own section for a floor rule,
//! or name its deputy head as the person the DSL role falls to.

use super::load::locate;
use super::{Contact, OutOfHours, Policy};
use crate::civil::{parse_hours, ClockTime, Timetable};
pub use crate::contacts::{emergency_contact, floor_text};
use crate::devices::floor::weakened_device_rule;
use crate::devices::Effect;
use crate::error::{Error, Location, Result};
use crate::escalation::floor::weakened_escalation_rule;
use crate::escalation::{stand_ins, ConcernAbout};
use crate::images::floor::{answers_for, consent_standing, covers_channels, weakened_image_rule};
use crate::images::{Channel, Check, ImageRule, LeaverAction};
use crate::sexting::floor::{weakened_action, weakened_rule};
use crate::vocab::{ActionToken, Who};
use crate::wire::input::line_col;

/// The rule a floor violation of the initial-review checklist names.
pub const CHECKLIST: &str = "sexting.checklist";

/// Checks every floor rule of `floor` against `policy`.
pub fn check(policy: &Policy, floor: &Policy, text: &str) -> Result<()> {
    keeps_floor(
        &floor.sexting.rules,
        &policy.sexting.rules,
        "sexting.rules",
        |r| (r.id.as_str(), r.floor),
        weakened_rule,
        text,
    )?;
    keeps_floor(
        &floor.sexting.actions,
        &policy.sexting.actions,
        "sexting.actions",
        |a| (a.id.as_str(), a.floor),
        weakened_action,
        text,
    )?;
    // A floor exception lifts every forbid: a policy may restate one of the
    // baseline's, never declare its own.
    for rule in &policy.devices.rules {
        let baseline_exception = floor
            .devices
            .rules
            .iter()
            .any(|b| b.floor && b.id == rule.id && b.effect == Effect::Except);
        if rule.effect == Effect::Except && !baseline_exception {
            return Err(Error::FloorViolation {
                at: locate(text, &rule.id, "devices.rules"),
                rule: rule.id.clone(),
                message: "only the national baseline's floor exceptions may use `effect = \"except\"`; a school's own exception would loosen the floor".into(),
            });
        }
    }
    keeps_floor(
        &floor.devices.rules,
        &policy.devices.rules,
        "devices.rules",
        |r| (r.id.as_str(), r.floor),
        weakened_device_rule,
        text,
    )?;
    keeps_floor(
        &floor.escalation.rules,
        &policy.escalation.rules,
        "escalation.rules",
        |r| (r.id.as_str(), r.floor),
        weakened_escalation_rule,
        text,
    )?;
    keeps_floor(
        &floor.images.rules,
        &policy.images.rules,
        "images.rules",
        |r| (r.id.as_str(), r.floor),
        weakened_image_rule,
        text,
    )?;
    check_group_notices(policy, text)?;
    check_consent(policy, floor, text)?;
    check_checklist(policy, floor, text)?;
    check_contacts(policy, floor, text)
}

/// The subjects of a concern who are among the school's staff or
/// governors, so are among "all staff" or the school office's readers.
const SUBJECTS_IN_SCHOOL: [ConcernAbout; 4] = [
    ConcernAbout::Staff,
    ConcernAbout::Headteacher,
    ConcernAbout::Dsl,
    ConcernAbout::Governor,
];

/// A concern never reaches the person it is about (SPEC §1.3), and a
/// group holds everyone in it: an escalation rule that can match a concern
/// about a member of staff, the head, the DSL or a governor (its `about`
/// is empty or names one of them) may not `notify` all staff or the school
/// office, who would include the subject. The policy is refused rather
/// than the step dropped when it is planned, so that its author sees the
/// rule and narrows its `about` (to pupils, say) or names a person
/// instead; the engine never silently leaves out a step a policy wrote.
/// Instructions to staff (do not view the imagery, no blame) tell them
/// nothing about the subject and stay allowed.
fn check_group_notices(policy: &Policy, text: &str) -> Result<()> {
    for rule in &policy.escalation.rules {
        let about_staff =
            rule.about.is_empty() || rule.about.iter().any(|a| SUBJECTS_IN_SCHOOL.contains(a));
        let group_notice = rule.steps.iter().find(|s| {
            s.action == ActionToken::Notify && matches!(s.who, Who::AllStaff | Who::SchoolOffice)
        });
        if let (true, Some(step)) = (about_staff, group_notice) {
            return Err(Error::FloorViolation {
                at: locate(text, &rule.id, "escalation.rules"),
                rule: rule.id.clone(),
                message: format!(
                    "the rule notifies `{}` of a concern that can be about a member of staff, the headteacher, the DSL or a governor, who would be among them; a concern never reaches the person it is about (limit the rule's `about`, or notify a named role)",
                    step.who.as_str()
                ),
            });
        }
    }
    Ok(())
}

/// Fails if `id` names a floor rule (used for `remove`).
pub fn check_not_floor(id: &str, floor: &Policy, text: &str) -> Result<()> {
    let is_floor = floor.sexting.rules.iter().any(|r| r.floor && r.id == id)
        || floor.sexting.actions.iter().any(|a| a.floor && a.id == id)
        || floor.devices.rules.iter().any(|r| r.floor && r.id == id)
        || floor.images.rules.iter().any(|r| r.floor && r.id == id)
        || floor.escalation.rules.iter().any(|r| r.floor && r.id == id);
    if is_floor {
        return Err(Error::FloorViolation {
            at: locate(text, id, "remove"),
            rule: id.to_string(),
            message: "a school policy may not remove a floor rule".into(),
        });
    }
    if floor.sexting.checklist.iter().any(|c| c.item == id) {
        return Err(Error::FloorViolation {
            at: locate(text, id, "remove"),
            rule: CHECKLIST.into(),
            message: format!(
                "a school policy may not remove the initial-review question `{id}`; it may reword it or add its own"
            ),
        });
    }
    Ok(())
}

/// Every floor item of the `floor` policy's `table` (`id_and_floor` tells
/// an item's id and whether it is floor) stands in the school's `policy`
/// under the same id, still marked floor, and `weakened_by` (the domain's
/// own test, which need not ask about the mark) finds it no weaker.
fn keeps_floor<T>(
    floor: &[T],
    policy: &[T],
    table: &str,
    id_and_floor: impl Fn(&T) -> (&str, bool),
    weakened_by: impl Fn(&T, &T) -> Option<String>,
    text: &str,
) -> Result<()> {
    for base in floor {
        let (id, is_floor) = id_and_floor(base);
        if !is_floor {
            continue;
        }
        let Some(restated) = policy.iter().find(|item| id_and_floor(item).0 == id) else {
            return Err(dropped(id, table, text));
        };
        if !id_and_floor(restated).1 {
            let why = "it is no longer marked `floor = true`".into();
            return Err(weakened(id, table, why, text));
        }
        if let Some(why) = weakened_by(base, restated) {
            return Err(weakened(id, table, why, text));
        }
    }
    Ok(())
}

fn dropped(id: &str, table: &str, text: &str) -> Error {
    Error::FloorViolation {
        at: locate(text, id, table),
        rule: id.to_string(),
        message: "the policy drops this floor rule; every policy must keep it".into(),
    }
}

fn weakened(id: &str, table: &str, why: String, text: &str) -> Error {
    Error::FloorViolation {
        at: locate(text, id, table),
        rule: id.to_string(),
        message: format!("the policy weakens this floor rule: {why}"),
    }
}

/// Per-channel consent is floor (SPEC §5). For each consent rule of
/// `reference` (the baseline, or the policy a school's policy extends)
/// that asks for a purpose:
/// - restated under its id, it asks the same purpose or one of higher
///   standing (`consent_standing`);
/// - on each of its channels, a policy that still publishes there (some
///   consent rule covers the channel) asks, by one of its consent rules
///   whatever their ids, a consent that answers for that channel
///   (`answers_for`): the channel's own purpose, so a website rule
///   removed and replaced by a press consent on the website is refused. A
///   channel no consent rule covers is blocked (`images.not_covered`),
///   which is stricter, so a school may drop a channel's rule.
pub fn check_consent(policy: &Policy, reference: &Policy, text: &str) -> Result<()> {
    let ours: Vec<&ImageRule> = consent_rules(policy).collect();
    for base in consent_rules(reference) {
        let Some(needed) = base.purpose.filter(|p| consent_standing(Some(*p)) > 0) else {
            continue;
        };
        if let Some(rule) = ours.iter().find(|r| r.id == base.id) {
            if rule.purpose != base.purpose
                && consent_standing(rule.purpose) <= consent_standing(Some(needed))
            {
                return Err(weakened(
                    &base.id,
                    "images.rules",
                    "it asks for another consent than the purpose of its channels, or none".into(),
                    text,
                ));
            }
        }
        for channel in Channel::ALL.iter().filter(|c| base.applies_to(**c)) {
            let mut asked = ours
                .iter()
                .filter(|r| r.applies_to(*channel))
                .map(|r| r.purpose)
                .peekable();
            let still_published = asked.peek().is_some();
            let answered = asked.any(|p| p.is_some_and(|p| answers_for(p, needed, *channel)));
            if still_published && !answered {
                return Err(weakened(
                    &base.id,
                    "images.rules",
                    format!(
                        "the channel `{channel}` is still published to, but no consent rule asks for the consent this rule does there (`{}`), or one that answers for that channel",
                        needed.as_str()
                    ),
                    text,
                ));
            }
        }
    }
    Ok(())
}

fn consent_rules(policy: &Policy) -> impl Iterator<Item = &ImageRule> {
    policy
        .images
        .rules
        .iter()
        .filter(|r| r.check == Check::Consent)
}

/// The initial-review checklist is floor (SPEC §3): every question of the
/// baseline's stays, with a question to ask (at least one letter: "-" or
/// a zero-width space is no question). A school may reword a question
/// or add its own.
fn check_checklist(policy: &Policy, floor: &Policy, text: &str) -> Result<()> {
    for base in &floor.sexting.checklist {
        let why = match policy
            .sexting
            .checklist
            .iter()
            .find(|c| c.item == base.item)
        {
            None => "drops",
            // A question is words: invisible characters, punctuation and
            // digits alone ask nothing.
            Some(entry) if !entry.question.chars().any(char::is_alphabetic) => "empties",
            Some(_) => continue,
        };
        return Err(Error::FloorViolation {
            at: locate(text, &base.item, "sexting.checklist"),
            rule: CHECKLIST.into(),
            message: format!(
                "the policy {why} the initial-review question `{}`; every policy keeps the baseline's questions (a school may reword them or add its own)",
                base.item
            ),
        });
    }
    Ok(())
}

/// "Per-channel consent and the deletion of leavers' images, where a policy
/// requires it, are floor rules" (SPEC §5): what the policy a school's
/// policy extends (`parent`) requires of them, the school's policy requires
/// too. Its consent is held to the parent's as to the baseline's
/// ([`check_consent`]), and every leaver rule of the parent that deletes is
/// matched by a leaver rule that deletes on at least the same channels.
pub fn check_inherited(parent: &Policy, policy: &Policy, text: &str) -> Result<()> {
    check_consent(policy, parent, text)?;
    let deletes =
        |r: &&ImageRule| r.check == Check::Leaver && r.leaver == Some(LeaverAction::Delete);
    for base in parent.images.rules.iter().filter(deletes) {
        let kept = policy
            .images
            .rules
            .iter()
            .filter(deletes)
            .any(|r| covers_channels(r, base));
        if !kept {
            return Err(weakened(
                &base.id,
                "images.rules",
                "the policy it extends deletes leavers' images, and a policy built on it must too"
                    .into(),
                text,
            ));
        }
    }
    Ok(())
}

/// The parties of a step a school may not redirect by the contacts it
/// gives (SPEC §1.3): the emergency service is called on 999 at any hour,
/// and a recipient of floor steps (`floor_recipients`) that has an
/// out-of-hours route can be reached by it ([`unreachable`]). Either table
/// (`roles`, `bodies`) may hold any party, so both are read.
pub fn check_contacts(policy: &Policy, floor: &Policy, text: &str) -> Result<()> {
    let recipients = floor_recipients(floor);
    let school_days: Vec<&Timetable> = [&policy.timetable, &floor.timetable]
        .into_iter()
        .flatten()
        .collect();
    for (table, contacts) in [("roles", &policy.roles), ("bodies", &policy.bodies)] {
        for (who, contact) in contacts {
            if let Some(why) = contact_fault(*who, contact, &recipients, &school_days) {
                let rule = format!("{table}.{}", who.as_str());
                return Err(Error::FloorViolation {
                    at: locate_contact(text, &rule, who.as_str()),
                    message: format!("`{}`: {why}", who.as_str()),
                    rule,
                });
            }
        }
    }
    Ok(())
}

/// Why the contact a school gives for `who` breaks the floor, if it does:
/// the emergency service's number changed, or the out-of-hours route of
/// one of `recipients` (the floor steps' recipients) reaching nobody or
/// applying during one of `school_days`. One contact at a time, so that
/// the policy builder checks a contact as it is typed by the very rule a
/// policy is loaded with.
pub(crate) fn contact_fault(
    who: Who,
    contact: &Contact,
    recipients: &[Who],
    school_days: &[&Timetable],
) -> Option<&'static str> {
    if who == Who::Police999 {
        not_the_emergency_service(contact)
    } else if recipients.contains(&who) {
        contact
            .out_of_hours
            .as_ref()
            .and_then(|route| unreachable(route, school_days))
    } else {
        None
    }
}

/// Where a contact is given: at its TOML table (`[roles.dsl]`, or a dotted
/// key), else at its key in JSON, else by its path only.
fn locate_contact(text: &str, path: &str, who: &str) -> Location {
    let whole = |&(pos, _): &(usize, &str)| {
        let next = text[pos + path.len()..].chars().next();
        !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
    };
    match text.match_indices(path).find(whole).map(|(pos, _)| pos) {
        Some(pos) => {
            let (line, column) = line_col(text, pos);
            let mut at = Location::path(path);
            at.line = Some(line);
            at.column = Some(column);
            at
        }
        None => locate(text, who, path),
    }
}

/// Why a contact given for `police_999` is not the emergency service: its
/// number is 999 and nothing else, and it has no hours and no other route.
fn not_the_emergency_service(contact: &Contact) -> Option<&'static str> {
    if contact.phone.as_deref().map(str::trim) != Some("999") {
        return Some("the emergency service's number is 999; a school names the force, it cannot change the number");
    }
    if contact.hours.is_some() || contact.out_of_hours.is_some() {
        return Some("the emergency service answers at every hour, so it has no hours and no out-of-hours route");
    }
    None
}

/// Everyone who receives a floor step, and everyone who may stand in for
/// one of them when a concern is about them (so may receive it instead).
pub(crate) fn floor_recipients(floor: &Policy) -> Vec<Who> {
    let mut out: Vec<Who> = floor
        .sexting
        .actions
        .iter()
        .filter(|a| a.floor)
        .map(|a| a.who)
        .chain(
            floor
                .escalation
                .rules
                .iter()
                .filter(|r| r.floor)
                .flat_map(|r| r.steps.iter().map(|s| s.who)),
        )
        .collect();
    let mut i = 0;
    while i < out.len() {
        for who in stand_ins(out[i]) {
            if !out.contains(who) {
                out.push(*who);
            }
        }
        i += 1;
    }
    out
}

/// Words that mark a route as reaching nobody who can act: a recording, a
/// mailbox, a service nobody watches. Compared as [`plain`] text, so
/// "Voice-mail", "Answer phone" and fullwidth letters are the same words.
const MESSAGE_ONLY: [&str; 16] = [
    "voicemail",
    "answerphone",
    "answermachine",
    "answeringmachine",
    "message",
    "mailbox",
    "outofoffice",
    "recording",
    "recorded",
    "autoreply",
    "automated",
    "unattended",
    "unmonitored",
    "notmonitored",
    "nobody",
    "noone",
];

/// The short numbers that reach a service on their own: the emergency
/// services (999, 112), NHS 111 and the police's 101.
const SHORT_NUMBERS: [&str; 4] = ["999", "112", "111", "101"];

/// Text as the recording check reads it: NFKC, look-alike letters mapped
/// to one form, case folded, and only letters and digits kept.
fn plain(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let nfkc: String = text.nfkc().collect();
    crate::escalation::people::fold(&nfkc)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Why an out-of-hours route reaches nobody, if it does not. A route
/// reaches someone when:
/// - it has a phone number of plausible form: only digits, spaces and
///   `+ ( ) - .`, and either one of the [`SHORT_NUMBERS`] or 5 to 15 digits
///   that are not all one digit ("000", "1 2 3" and "0.0.0" are refused);
/// - its name does not mark it as a recording ([`MESSAGE_ONLY`], read as
///   [`plain`] text);
/// - it is out of hours: it does not apply during the school day (of the
///   policy's timetable or the baseline's), when the daytime contact is to
///   be used.
fn unreachable(route: &OutOfHours, school_days: &[&Timetable]) -> Option<&'static str> {
    let Some(phone) = route.phone.as_deref() else {
        return Some("its out-of-hours route has no phone number, so it reaches nobody");
    };
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let one_digit = digits.chars().all(|c| digits.starts_with(c));
    let plausible = phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +()-.".contains(c))
        && (SHORT_NUMBERS.contains(&digits.as_str())
            || (5..=15).contains(&digits.len()) && !one_digit);
    if !plausible {
        return Some("its out-of-hours route's phone is not a phone number");
    }
    let title = plain(&route.title);
    if MESSAGE_ONLY.iter().any(|word| title.contains(&plain(word))) {
        return Some("its out-of-hours route is a recording or a message service, which reaches nobody who can act");
    }
    // Unreadable hours are refused before the floor is checked.
    let hours = parse_hours(&route.hours)?;
    let in_school_day = school_days
        .iter()
        .any(|t| spans_meet(hours, (t.day_start, t.day_end)));
    if in_school_day {
        return Some("its out-of-hours route applies during the school day, so the daytime contact would never be reached");
    }
    None
}

/// Whether an out-of-hours span (which may run past midnight) shares a
/// minute with the school day.
fn spans_meet(route: (ClockTime, ClockTime), day: (ClockTime, ClockTime)) -> bool {
    use chrono::Timelike;
    let minutes = |t: ClockTime| t.0.num_seconds_from_midnight() / 60;
    let (start, end) = (minutes(route.0), minutes(route.1));
    let (open, close) = (minutes(day.0), minutes(day.1));
    let meets = |from: u32, to: u32| from < close && open < to;
    if start < end {
        meets(start, end)
    } else {
        meets(start, 24 * 60) || meets(0, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> ClockTime {
        ClockTime::parse(s).unwrap()
    }

    fn route(title: &str, phone: Option<&str>, hours: &str) -> OutOfHours {
        OutOfHours {
            title: title.into(),
            phone: phone.map(str::to_string),
            hours: hours.into(),
            emergency_only: false,
        }
    }

    #[test]
    fn out_of_hours_spans_meet_the_school_day_only_when_they_share_a_minute() {
        let day = (t("08:45"), t("15:15"));
        assert!(!spans_meet((t("17:00"), t("08:30")), day));
        assert!(!spans_meet((t("15:15"), t("08:45")), day));
        assert!(spans_meet((t("15:14"), t("08:45")), day));
        assert!(spans_meet((t("15:15"), t("08:46")), day));
        assert!(spans_meet((t("00:00"), t("23:59")), day));
        assert!(spans_meet((t("12:00"), t("11:00")), day));
        assert!(spans_meet((t("10:00"), t("11:00")), day));
        assert!(!spans_meet((t("16:00"), t("23:00")), day));
    }

    #[test]
    fn a_route_reaches_someone_by_a_number_outside_the_school_day() {
        let timetable = Timetable {
            day_start: t("08:45"),
            day_end: t("15:15"),
            breaks: vec![],
            lunch: None,
            terms: vec![],
            closures: vec![],
            cite: None,
        };
        let days = [&timetable];
        let ok = |r: OutOfHours| unreachable(&r, &days).is_none();
        assert!(ok(route(
            "Emergency duty team",
            Some("01472 325555"),
            "17:00-08:30"
        )));
        assert!(ok(route(
            "On call",
            Some("+44 (0)20 7946-0000"),
            "18:00-07:00"
        )));
        assert!(ok(route("Police", Some("999"), "17:00-08:30")));
        assert!(!ok(route("On call", None, "17:00-08:30")));
        assert!(!ok(route("On call", Some("99"), "17:00-08:30")));
        assert!(!ok(route("On call", Some("0800 VOICEMAIL"), "17:00-08:30")));
        assert!(!ok(route(
            "On call",
            Some("1234567890123456"),
            "17:00-08:30"
        )));
        assert!(!ok(route(
            "Answerphone",
            Some("01472 325555"),
            "17:00-08:30"
        )));
        assert!(!ok(route(
            "Leave a MESSAGE",
            Some("01472 325555"),
            "17:00-08:30"
        )));
        assert!(!ok(route("On call", Some("01472 325555"), "08:00-16:00")));
        // Numbers that reach nobody.
        for phone in ["000", "0.0.0", "1 2 3", "0000 000000", "12 34"] {
            assert!(!ok(route("On call", Some(phone), "17:00-08:30")), "{phone}");
        }
        assert!(ok(route("NHS", Some("111"), "17:00-08:30")));
        assert!(ok(route("Samaritans", Some("116 123"), "17:00-08:30")));
        // Recordings however they are written.
        for title in [
            "Voice-mail",
            "Answer phone",
            "Mailbox",
            "Out of office",
            "\u{ff36}\u{ff4f}\u{ff49}\u{ff43}\u{ff45}\u{ff4d}\u{ff41}\u{ff49}\u{ff4c}",
            "V\u{43e}icemail",
            "Not monitored",
        ] {
            assert!(
                !ok(route(title, Some("01472 325555"), "17:00-08:30")),
                "{title}"
            );
        }
        assert!(ok(route(
            "Out of Hours Service (emergency only)",
            Some("01472 325555"),
            "17:00-08:30"
        )));
    }
}
