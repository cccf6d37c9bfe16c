//! A part of the devices request space in words a governor reads: "pupils
//! in Years 5-6 with their own mobile phones: bring it to school".
//!
//! The linter and the diff phrase their lines for the people who write
//! policies, in the vocabulary's tokens ("pupil (Years 5-6) with a personal
//! mobile_phone: bring_on_site"). The review is read by governors, so it
//! words the same [`Scope`] again here, each token by an exhaustive match
//! (a new token does not compile until it has words).

use crate::civil::Period;
use crate::devices::lint::{years, Scope};
use crate::devices::{ActorRole, DeviceAction, DeviceKind, Location, Owner};

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
/// when, and "in some circumstances" where it depends on permission, an
/// agreed exception or another fact.
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
    if !scope.exception.is_empty()
        || !scope.permission_from.is_empty()
        || scope.flags.0.iter().any(|values| !values.is_empty())
    {
        s.push_str(", in some circumstances");
    }
    s
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
}
