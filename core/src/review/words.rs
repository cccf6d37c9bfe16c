//! A part of the devices request space in words a person reads: "pupils
//! in Years 5-6 with their own mobile phones: bring it to school".
//!
//! The linter's and the diff's own one-line `message`s (in their JSON, for
//! programs and developers) speak the vocabulary's tokens ("pupil (Years
//! 5-6) with a personal mobile_phone: bring_on_site"). What people read,
//! the review for governors and the text `safeguard lint` and `diff`
//! print, words the same [`Scope`] here instead, each token by an
//! exhaustive match (a new token does not compile until it has words); a
//! yes/no fact by its own statements, declared with it in
//! [`FLAGS`](crate::devices::FLAGS).

use crate::civil::Period;
use crate::devices::lint::{years, Scope};
use crate::devices::{
    ActorRole, DeviceAction, DeviceKind, Exception, Location, Owner, PermissionFrom, FLAGS,
};
use crate::policy::Policy;
use std::collections::HashMap;

fn role(r: ActorRole) -> &'static str {
    match r {
        ActorRole::Pupil => "pupils",
        ActorRole::Teacher => "teachers",
        ActorRole::TeachingAssistant => "teaching assistants",
        ActorRole::SupportStaff => "support staff",
        ActorRole::SeniorLeader => "senior leaders",
        ActorRole::Headteacher => "the headteacher",
        ActorRole::Volunteer => "volunteers",
        ActorRole::Contractor => "contractors",
        ActorRole::Governor => "governors",
        ActorRole::Visitor => "visitors",
        ActorRole::Parent => "parents",
    }
}

fn kind(k: DeviceKind) -> &'static str {
    match k {
        DeviceKind::MobilePhone => "mobile phones",
        DeviceKind::Camera => "cameras",
        DeviceKind::Tablet => "tablets",
        DeviceKind::Smartwatch => "smartwatches",
    }
}

fn action(a: DeviceAction) -> &'static str {
    match a {
        DeviceAction::BringOnSite => "bring it to school",
        DeviceAction::KeepOnPerson => "keep it on them",
        DeviceAction::UseCallsMessages => "use it for calls or messages",
        DeviceAction::CallEmergencyServices => "call the emergency services",
        DeviceAction::TakePhotoVideo => "take photos or videos",
        DeviceAction::PhotographPupils => "photograph pupils",
        DeviceAction::ContactPupilsOrParents => "contact pupils or parents",
        DeviceAction::BluetoothTransfer => "send files by Bluetooth",
        DeviceAction::JoinSchoolWifi => "join the school's wifi",
        DeviceAction::AccessNetworkFiles => "open files on the school network",
        DeviceAction::StorePupilData => "keep pupils' data on it",
        DeviceAction::UseForLearning => "use it for learning",
    }
}

fn location(l: Location) -> &'static str {
    match l {
        Location::Classroom => "classrooms",
        Location::Toilets => "toilets",
        Location::ChangingRoom => "changing rooms",
        Location::SleepArea => "sleeping areas",
        Location::StaffRoom => "the staff room",
        Location::Office => "the office",
        Location::Reception => "reception",
        Location::Playground => "the playground",
        Location::Corridor => "corridors",
        Location::Hall => "the hall",
        Location::OffsiteTrip => "trips out of school",
        Location::ResidentialTrip => "residential trips",
        Location::ExamRoom => "exam rooms",
    }
}

fn period(p: Period) -> &'static str {
    match p {
        Period::Lesson => "lessons",
        Period::Break => "breaks",
        Period::Lunch => "lunch",
        Period::BeforeSchool => "before school",
        Period::AfterSchool => "after school",
        Period::Exam => "exams",
        Period::SchoolEvent => "school events",
        Period::NonSchoolDay => "days the school is closed",
    }
}

fn exception(e: Exception) -> &'static str {
    match e {
        Exception::None => "no agreed exception applies",
        Exception::Medical => "an agreed medical exception applies",
        Exception::SendAdjustment => "an agreed SEND adjustment applies",
        Exception::YoungCarer => "an agreed young carer's exception applies",
    }
}

fn permission(p: PermissionFrom) -> &'static str {
    match p {
        PermissionFrom::None => "nobody has given permission",
        PermissionFrom::Teacher => "a teacher has given permission",
        PermissionFrom::SeniorLeadership => "a senior leader has given permission",
        PermissionFrom::Headteacher => "the headteacher has given permission",
    }
}

/// `items` joined as English: "a", "a and b", "a, b and c" (`and` may be
/// "or").
fn join(items: &[&str], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
    }
}

/// The values of a dimension in words: `chosen` of `all`, as "in a or b",
/// "anywhere except c" when that is shorter, `any` when every value (or
/// none, meaning any) is chosen.
fn some_of<T: Copy + PartialEq>(
    chosen: &[T],
    all: &[T],
    words: fn(T) -> &'static str,
    (within, except, any): (&str, &str, &str),
) -> String {
    if chosen.is_empty() || chosen.len() >= all.len() {
        return any.to_string();
    }
    let left_out: Vec<&str> = all
        .iter()
        .filter(|v| !chosen.contains(v))
        .map(|v| words(*v))
        .collect();
    if left_out.len() < chosen.len() {
        format!("{except}{}", join(&left_out, "or"))
    } else {
        let named: Vec<&str> = chosen.iter().map(|v| words(*v)).collect();
        format!("{within}{}", join(&named, "or"))
    }
}

/// Who, in words.
fn who(scope: &Scope) -> String {
    if scope.roles.is_empty() || scope.roles.len() >= ActorRole::ALL.len() {
        return "anyone".into();
    }
    let named: Vec<String> = scope
        .roles
        .iter()
        .map(|&r| {
            if r == ActorRole::Pupil && !scope.year_groups.is_empty() {
                format!("pupils in {}", years(&scope.year_groups))
            } else {
                role(r).to_string()
            }
        })
        .collect();
    let refs: Vec<&str> = named.iter().map(String::as_str).collect();
    join(&refs, "and")
}

/// The whole scope in words: who, with what device, doing what, where and
/// when, and the circumstances it depends on ("when an agreed young
/// carer's exception applies and it is not an emergency").
pub(crate) fn scope(scope: &Scope) -> String {
    let owner = match scope.owner.as_slice() {
        [Owner::Personal] => Some(Owner::Personal),
        [Owner::School] => Some(Owner::School),
        _ => None,
    };
    let devices = if scope.devices.is_empty() || scope.devices.len() >= DeviceKind::ALL.len() {
        match owner {
            Some(Owner::Personal) => "any device of their own".to_string(),
            Some(Owner::School) => "any of the school's devices".to_string(),
            None => "any device".to_string(),
        }
    } else {
        let whose = match owner {
            Some(Owner::Personal) => "their own ",
            Some(Owner::School) => "the school's ",
            None => "",
        };
        let kinds = some_of(
            &scope.devices,
            DeviceKind::ALL,
            kind,
            ("", "devices other than ", ""),
        );
        format!("{whose}{kinds}")
    };
    let actions = some_of(
        &scope.actions,
        DeviceAction::ALL,
        action,
        ("", "do anything but ", "do anything with it"),
    );
    let mut s = format!("{} with {devices}: {actions}", who(scope));
    let place = some_of(
        &scope.locations,
        Location::ALL,
        location,
        (" in ", " anywhere except ", ""),
    );
    s.push_str(&place);
    let time = some_of(
        &scope.periods,
        Period::ALL,
        period,
        (" during ", " at any time except ", ""),
    );
    s.push_str(&time);
    let circumstances = circumstances(scope);
    if !circumstances.is_empty() {
        let clauses: Vec<&str> = circumstances.iter().map(String::as_str).collect();
        s.push_str(", when ");
        s.push_str(&join(&clauses, "and"));
    }
    s
}

/// The circumstances a scope is limited to, each a clause: an agreed
/// exception, who gave permission ("a or b" when either will do), and
/// each yes/no fact with one value.
fn circumstances(scope: &Scope) -> Vec<String> {
    fn any_of<T: Copy>(chosen: &[T], all: &[T], words: fn(T) -> &'static str) -> Option<String> {
        if chosen.is_empty() || chosen.len() >= all.len() {
            return None;
        }
        let named: Vec<&str> = chosen.iter().map(|v| words(*v)).collect();
        Some(join(&named, "or"))
    }
    let mut out = Vec::new();
    out.extend(any_of(&scope.exception, Exception::ALL, exception));
    out.extend(any_of(
        &scope.permission_from,
        PermissionFrom::ALL,
        permission,
    ));
    for (flag, values) in FLAGS.iter().zip(&scope.flags.0) {
        if let [value] = values.as_slice() {
            out.push(flag.said(*value).to_string());
        }
    }
    out
}

/// Rule summaries and sections by rule id, for putting words where a
/// summary names another rule by its id.
pub(crate) struct Names<'a> {
    sections: HashMap<&'a str, &'a str>,
}

impl<'a> Names<'a> {
    /// The words for the rule ids of `policies`, every area: each rule by
    /// the section it cites (a later policy's rule over an earlier one's of
    /// the same id).
    pub(crate) fn of(policies: &[&'a Policy]) -> Names<'a> {
        let mut sections = HashMap::new();
        for p in policies {
            let cited = (p.sexting.rules.iter().map(|r| (&r.id, &r.cite)))
                .chain(p.sexting.actions.iter().map(|a| (&a.id, &a.cite)))
                .chain(p.devices.rules.iter().map(|r| (&r.id, &r.cite)))
                .chain(p.images.rules.iter().map(|r| (&r.id, &r.cite)))
                .chain(p.escalation.rules.iter().map(|r| (&r.id, &r.cite)));
            for (id, cite) in cited {
                sections.insert(id.as_str(), &*cite.section);
            }
        }
        Names { sections }
    }

    /// `text` with every rule id in it replaced by words: a known one by
    /// the section its rule cites, anything else shaped like one (dotted
    /// lower-case parts, three of them or one with an underscore) by
    /// "another rule"; and a token's underscores (`hand_in_to_office`) by
    /// spaces.
    pub(crate) fn plain(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut String| {
            let trimmed = word.trim_end_matches('.');
            let tail = &word[trimmed.len()..];
            let dotted = trimmed.split('.').count() >= 2
                && trimmed.split('.').all(|p| !p.is_empty())
                && trimmed.starts_with(|c: char| c.is_ascii_lowercase())
                && (trimmed.contains('_') || trimmed.split('.').count() >= 3);
            if let Some(section) = self.sections.get(trimmed) {
                out.push_str(&format!("the rule under “{section}”"));
                out.push_str(tail);
            } else if dotted {
                out.push_str("another rule");
                out.push_str(tail);
            } else {
                // A token (`hand_in_to_office`) reads as its words.
                out.push_str(&word.replace('_', " "));
            }
            word.clear();
        };
        for c in text.chars() {
            if c.is_alphanumeric() || c == '_' || c == '.' || c == '-' {
                word.push(c);
            } else {
                flush(&mut word, &mut out);
                out.push(c);
            }
        }
        flush(&mut word, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_reads_as_english() {
        let s = Scope {
            roles: vec![ActorRole::Pupil],
            year_groups: vec![5, 6],
            devices: vec![DeviceKind::MobilePhone],
            owner: vec![Owner::Personal],
            actions: vec![DeviceAction::BringOnSite],
            locations: Location::ALL
                .iter()
                .copied()
                .filter(|l| *l != Location::Toilets)
                .collect(),
            ..Scope::default()
        };
        assert_eq!(
            scope(&s),
            "pupils in Years 5-6 with their own mobile phones: bring it to school anywhere except toilets"
        );
        assert_eq!(
            scope(&Scope::default()),
            "anyone with any device: do anything with it"
        );
        let own_any = Scope {
            owner: vec![Owner::Personal],
            devices: vec![
                DeviceKind::Camera,
                DeviceKind::Tablet,
                DeviceKind::Smartwatch,
            ],
            ..Scope::default()
        };
        assert_eq!(
            scope(&own_any),
            "anyone with their own devices other than mobile phones: do anything with it"
        );
    }

    #[test]
    fn circumstances_read_as_clauses() {
        let mut flags = crate::devices::lint::FlagScope::default();
        let emergency = FLAGS.iter().position(|f| f.name() == "emergency");
        flags.0[emergency.unwrap_or(0)] = vec![false];
        let s = Scope {
            roles: vec![ActorRole::Pupil],
            devices: vec![DeviceKind::MobilePhone],
            actions: vec![DeviceAction::UseCallsMessages],
            exception: vec![Exception::None, Exception::YoungCarer],
            permission_from: PermissionFrom::ALL.to_vec(),
            flags,
            ..Scope::default()
        };
        assert_eq!(
            scope(&s),
            "pupils with mobile phones: use it for calls or messages, when no agreed exception \
             applies or an agreed young carer's exception applies and it is not an emergency"
        );
    }

    #[test]
    fn rule_ids_and_tokens_in_a_summary_become_words() {
        let names = Names {
            sections: [("devices.toy.phones_off", "4. Mobile phones")]
                .into_iter()
                .collect(),
        };
        assert_eq!(
            names.plain("Overridden by devices.toy.phones_off. See also escalation.floor.x_y, then hand_in_to_office (3.5.6 and e.g. this)."),
            "Overridden by the rule under “4. Mobile phones”. See also another rule, then hand in to office (3.5.6 and e.g. this)."
        );
    }
}
