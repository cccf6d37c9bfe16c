//! Property tests of the devices decision, under every preset, over the whole
//! request vocabulary, with fully and partially specified requests:
//!
//! - a personal device in toilets, changing rooms or sleeping areas is
//!   denied, outside the floor's exceptions (an emergency call; a pupil's
//!   medical or SEND need);
//! - staff never photograph pupils on a personal device;
//! - staff never contact pupils or parents from a personal device outside an
//!   emergency;
//! - an allow always rests on at least one allow rule or floor exception of
//!   the policy (never on `devices.not_covered`), and a deny on forbid rules
//!   or exactly
//!   `devices.not_covered`;
//! - leaving a fact out never turns a deny into an allow, and `unknowns`
//!   only names facts the request left out;
//! - the period reported is the one given, or the timetable's for `at`;
//! - a policy that attaches disciplinary action to any staff breach gives
//!   every denial of a member of staff by a rule `staff_disciplinary`, and
//!   never a request no rule covers;
//! - a permission the request records never shows as a condition still to
//!   meet (`headteacher_permission`, `slt_approval`);
//! - responses are deterministic and round-trip through JSON.

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config as ProptestConfig;
use safeguard_engine::devices::{
    Actor, ActorRole, Context, Device, DeviceAction, DeviceKind, DevicesRequest, Effect, Exception,
    Location, Owner, PermissionFrom, FLAGS, NOT_COVERED, STAFF_BREACH,
};
use safeguard_engine::Decision;
use safeguard_engine::{Condition, OnBreach};
use safeguard_engine::{Engine, Outcome, Request};
use safeguard_engine::{LocalDateTime, Period};
use std::collections::BTreeSet;

const STAFF: [ActorRole; 5] = [
    ActorRole::Teacher,
    ActorRole::TeachingAssistant,
    ActorRole::SupportStaff,
    ActorRole::SeniorLeader,
    ActorRole::Headteacher,
];

const PRIVATE: [Location; 3] = [
    Location::Toilets,
    Location::ChangingRoom,
    Location::SleepArea,
];

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn engine(preset: usize) -> Engine {
    let id = Engine::presets()[preset];
    Engine::from_preset(id).unwrap_or_else(|e| panic!("preset {id} does not load: {e}"))
}

/// When the request happens: unsaid, a named period, or a local time.
#[derive(Debug, Clone)]
enum When {
    Unsaid,
    Period(Period),
    At(LocalDateTime),
}

fn at() -> impl Strategy<Value = LocalDateTime> {
    // 2026-11-21 is a Saturday: a week of days, early morning to evening.
    (21u32..=27, 6u32..=18, 0u32..60).prop_map(|(d, h, m)| {
        LocalDateTime::parse(&format!("2026-11-{d:02}T{h:02}:{m:02}")).expect("a valid time")
    })
}

fn known_when() -> impl Strategy<Value = When> {
    prop_oneof![
        3 => select(Period::ALL).prop_map(When::Period),
        1 => at().prop_map(When::At),
    ]
}

fn maybe_when() -> impl Strategy<Value = When> {
    prop_oneof![1 => Just(When::Unsaid), 3 => known_when()]
}

/// The facts a request may leave out, as options.
#[derive(Debug, Clone)]
struct Optional {
    year_group: Option<u8>,
    when: When,
    permission_from: Option<PermissionFrom>,
    exception: Option<Exception>,
    /// One value per yes/no fact of the engine's table, [`FLAGS`].
    flags: Vec<Option<bool>>,
}

fn optional(full: bool) -> BoxedStrategy<Optional> {
    fn opt<T: std::fmt::Debug + Clone + 'static>(
        s: impl Strategy<Value = T> + 'static,
        full: bool,
    ) -> BoxedStrategy<Option<T>> {
        if full {
            s.prop_map(Some).boxed()
        } else {
            proptest::option::of(s).boxed()
        }
    }
    let when = if full {
        known_when().boxed()
    } else {
        maybe_when().boxed()
    };
    (
        opt(0u8..=13, full),
        when,
        opt(select(PermissionFrom::ALL), full),
        opt(select(Exception::ALL), full),
        proptest::collection::vec(opt(any::<bool>(), full), FLAGS.len()),
    )
        .prop_map(|(y, when, p, ex, flags)| Optional {
            year_group: y,
            when,
            permission_from: p,
            exception: ex,
            flags,
        })
        .boxed()
}

fn build(
    role: ActorRole,
    kind: DeviceKind,
    owner: Owner,
    action: DeviceAction,
    location: Location,
    o: Optional,
) -> DevicesRequest {
    let (period, at) = match o.when {
        When::Unsaid => (None, None),
        When::Period(p) => (Some(p), None),
        When::At(t) => (None, Some(t)),
    };
    let mut req = DevicesRequest {
        schema_version: Default::default(),
        domain: None,
        policy: None,
        actor: Actor {
            role,
            // Only pupils have a year group.
            year_group: if role == ActorRole::Pupil {
                o.year_group
            } else {
                None
            },
            works_directly_with_children: None,
        },
        device: Device { kind, owner },
        action,
        context: Context {
            period,
            at,
            permission_from: o.permission_from,
            exception: o.exception,
            ..Context::unknown_but_location(location)
        },
    };
    for (flag, value) in FLAGS.iter().zip(o.flags) {
        flag.give(&mut req, value);
    }
    req
}

/// A preset index and a request over the whole vocabulary; `full` gives
/// every optional fact (pupils get a year group).
fn request(full: bool) -> impl Strategy<Value = (usize, DevicesRequest)> {
    (
        0..Engine::presets().len(),
        select(ActorRole::ALL),
        select(DeviceKind::ALL),
        select(Owner::ALL),
        select(DeviceAction::ALL),
        select(Location::ALL),
        optional(full),
    )
        .prop_map(|(p, role, kind, owner, action, location, o)| {
            (p, build(role, kind, owner, action, location, o))
        })
}

fn any_request() -> impl Strategy<Value = (usize, DevicesRequest)> {
    prop_oneof![request(true), request(false)]
}

fn decide(preset: usize, req: &DevicesRequest) -> Decision {
    let e = engine(preset);
    e.evaluate(&Request::Devices(req.clone()))
        .unwrap_or_else(|err| {
            panic!(
                "{}: a valid request was refused: {} at {:?}: {err}\nrequest: {}",
                Engine::presets()[preset],
                err.code(),
                err.path(),
                serde_json::to_string(req).unwrap_or_default()
            )
        })
}

fn rules(d: &Decision) -> Vec<String> {
    d.reasons.iter().map(|r| r.rule.to_string()).collect()
}

fn show(preset: usize, req: &DevicesRequest, d: &Decision) -> String {
    format!(
        "policy {}\nrequest:  {}\nresponse: {}",
        Engine::presets()[preset],
        serde_json::to_string(req).unwrap_or_default(),
        d.to_json()
    )
}

fn is_allow(o: Outcome) -> bool {
    matches!(o, Outcome::Allow | Outcome::AllowWithConditions)
}

/// The `unknowns` field names of the facts `req` leaves out.
fn omitted(req: &DevicesRequest) -> BTreeSet<&'static str> {
    let c = &req.context;
    let mut out = BTreeSet::new();
    let mut add = |missing: bool, field: &'static str| {
        if missing {
            out.insert(field);
        }
    };
    add(req.actor.year_group.is_none(), "actor.year_group");
    add(c.period.is_none() && c.at.is_none(), "context.period");
    add(c.permission_from.is_none(), "context.permission_from");
    add(c.exception.is_none(), "context.exception");
    for flag in &FLAGS {
        add(flag.given(req).is_none(), flag.field);
    }
    out
}

/// `req` with each optional fact it gives removed in turn.
fn without_one_fact(req: &DevicesRequest) -> Vec<(&'static str, DevicesRequest)> {
    let mut out = Vec::new();
    let mut push = |name: &'static str, edit: &dyn Fn(&mut DevicesRequest)| {
        let mut r = req.clone();
        edit(&mut r);
        if r != *req {
            out.push((name, r));
        }
    };
    push("actor.year_group", &|r| r.actor.year_group = None);
    push("context.period/at", &|r| {
        r.context.period = None;
        r.context.at = None;
    });
    push("context.permission_from", &|r| {
        r.context.permission_from = None
    });
    push("context.exception", &|r| r.context.exception = None);
    for flag in &FLAGS {
        push(flag.field, &|r| flag.give(r, None));
    }
    out
}

proptest! {
    #![proptest_config(config())]

    /// Floor: no personal device in toilets, changing rooms or sleeping areas.
    #[test]
    fn personal_devices_in_private_areas_are_denied(
        (p, mut req) in any_request(),
        location in select(&PRIVATE[..]),
    ) {
        req.device.owner = Owner::Personal;
        req.context.location = location;
        // Outside the floor's exceptions: no call to the emergency
        // services, no medical or SEND need (an unknown one may still
        // apply, and does not lift the forbid).
        if req.action == DeviceAction::CallEmergencyServices {
            req.action = DeviceAction::UseCallsMessages;
        }
        if matches!(req.context.exception, Some(Exception::Medical | Exception::SendAdjustment)) {
            req.context.exception = None;
        }
        let d = decide(p, &req);
        prop_assert_eq!(d.outcome, Outcome::Deny, "{}", show(p, &req, &d));
    }

    /// Floor: staff never photograph pupils on their own devices.
    #[test]
    fn staff_never_photograph_pupils_on_personal_devices(
        (p, mut req) in any_request(),
        role in select(&STAFF[..]),
    ) {
        req.actor.role = role;
        req.actor.year_group = None;
        req.device.owner = Owner::Personal;
        req.action = DeviceAction::PhotographPupils;
        let d = decide(p, &req);
        prop_assert_eq!(d.outcome, Outcome::Deny, "{}", show(p, &req, &d));
    }

    /// Floor: staff never contact pupils or parents from a personal device
    /// outside an emergency.
    #[test]
    fn staff_never_contact_from_personal_devices_outside_an_emergency(
        (p, mut req) in any_request(),
        role in select(&STAFF[..]),
    ) {
        req.actor.role = role;
        req.actor.year_group = None;
        req.device.owner = Owner::Personal;
        req.action = DeviceAction::ContactPupilsOrParents;
        req.context.emergency = Some(false);
        let d = decide(p, &req);
        prop_assert_eq!(d.outcome, Outcome::Deny, "{}", show(p, &req, &d));
    }

    /// `staff_breach_disciplinary`: a rule's denial of a member of staff
    /// carries `staff_disciplinary`; "not covered" carries nothing.
    #[test]
    fn staff_breaches_carry_discipline_where_the_policy_says_so((p, req) in any_request()) {
        let e = engine(p);
        let d = decide(p, &req);
        let ctx = show(p, &req, &d);
        let breach = d.on_breach.clone().unwrap_or_default();
        let covered = rules(&d) != [NOT_COVERED];
        let staff = STAFF.contains(&req.actor.role);
        if !covered {
            prop_assert!(breach.is_empty(), "not covered, yet a consequence\n{}", ctx);
        } else if d.outcome == Outcome::Deny
            && staff
            && e.policy().devices.staff_breach_disciplinary == Some(true)
        {
            prop_assert!(breach.contains(&OnBreach::StaffDisciplinary), "{}", ctx);
        }
    }

    /// Conditions are what must still hold: a recorded permission meets its
    /// condition.
    #[test]
    fn a_recorded_permission_is_not_a_condition((p, req) in any_request()) {
        let d = decide(p, &req);
        let ctx = show(p, &req, &d);
        let met = |c: Condition| match req.context.permission_from {
            Some(PermissionFrom::Headteacher) => {
                matches!(c, Condition::HeadteacherPermission | Condition::SltApproval)
            }
            Some(PermissionFrom::SeniorLeadership) => c == Condition::SltApproval,
            _ => false,
        };
        prop_assert!(!d.conditions.iter().any(|&c| met(c)), "{}", ctx);
    }

    /// An allow rests on the policy's allow rules; a deny on its forbid
    /// rules, or on exactly `devices.not_covered` (and then the headteacher
    /// decides).
    #[test]
    fn every_outcome_cites_the_rules_that_make_it((p, req) in any_request()) {
        let e = engine(p);
        let d = decide(p, &req);
        let ids = rules(&d);
        let effect = |id: &str| {
            e.policy().devices.rules.iter().find(|r| r.id == id).map(|r| r.effect)
        };
        let ctx = show(p, &req, &d);
        prop_assert!(!ids.is_empty(), "no reasons\n{}", ctx);
        if is_allow(d.outcome) {
            prop_assert!(ids.iter().any(|r| r != NOT_COVERED), "allow without an allow rule\n{}", ctx);
            for id in &ids {
                let e = effect(id);
                prop_assert!(
                    matches!(e, Some(Effect::Allow | Effect::Except)),
                    "allow cites `{}` ({:?})\n{}", id, e, ctx
                );
            }
            prop_assert_eq!(
                d.conditions.is_empty(),
                d.outcome == Outcome::Allow,
                "conditions do not match the outcome\n{}", ctx
            );
            prop_assert!(d.decided_by.is_none(), "{}", ctx);
        } else {
            prop_assert_eq!(d.outcome, Outcome::Deny, "{}", ctx);
            prop_assert!(d.conditions.is_empty(), "a deny with conditions\n{}", ctx);
            if ids == [NOT_COVERED] {
                prop_assert!(d.decided_by.is_some(), "not covered, nobody decides\n{}", ctx);
            } else {
                for id in &ids {
                    if id == STAFF_BREACH {
                        // The policy's own staff-breach clause, cited with
                        // the consequence it adds.
                        prop_assert!(
                            d.on_breach.as_ref().is_some_and(|b| b.contains(&OnBreach::StaffDisciplinary)),
                            "the staff-breach clause without staff_disciplinary\n{}", ctx
                        );
                        continue;
                    }
                    prop_assert_eq!(effect(id), Some(Effect::Forbid), "deny cites `{}`\n{}", id, ctx);
                }
                prop_assert!(d.decided_by.is_none(), "{}", ctx);
            }
        }
    }

    /// Principle 1: leaving a fact out never turns a deny into an allow.
    #[test]
    fn omitting_a_fact_never_turns_a_deny_into_an_allow((p, req) in request(true)) {
        let full = decide(p, &req);
        prop_assert!(full.unknowns.is_empty(), "a fully specified request has unknowns\n{}", show(p, &req, &full));
        if full.outcome == Outcome::Deny {
            for (fact, partial) in without_one_fact(&req) {
                let d = decide(p, &partial);
                prop_assert_eq!(
                    d.outcome, Outcome::Deny,
                    "leaving out {} turned a deny into {:?}\nfull: {}\n{}",
                    fact, d.outcome, full.to_json(), show(p, &partial, &d)
                );
            }
            let bare = strip_all(&req);
            let d = decide(p, &bare);
            prop_assert_eq!(
                d.outcome, Outcome::Deny,
                "leaving out every fact turned a deny into {:?}\nfull: {}\n{}",
                d.outcome, full.to_json(), show(p, &bare, &d)
            );
        }
    }

    /// `unknowns` names only facts the request left out, and only on a deny
    /// or on an allow with conditions (a rule that may match adds its
    /// conditions, which the fact, once known, might drop); never on a plain
    /// allow.
    #[test]
    fn unknowns_are_facts_the_request_left_out((p, req) in request(false)) {
        let d = decide(p, &req);
        let left_out = omitted(&req);
        for u in d.unknowns.iter() {
            prop_assert!(left_out.contains(&**u), "`{}` is named unknown but was given\n{}", u, show(p, &req, &d));
        }
        if !d.unknowns.is_empty() {
            prop_assert_ne!(d.outcome, Outcome::Allow, "{}", show(p, &req, &d));
        }
    }

    /// The period reported is the one the request names, or the timetable's
    /// period at `context.at`.
    #[test]
    fn the_period_comes_from_the_request_or_the_timetable((p, req) in any_request()) {
        let e = engine(p);
        let d = decide(p, &req);
        let expected = match (req.context.period, req.context.at) {
            (Some(named), _) => Some(named),
            (None, Some(at)) => e.policy().timetable.as_ref().map(|t| t.period_at(at)),
            (None, None) => None,
        };
        prop_assert_eq!(d.period, expected, "{}", show(p, &req, &d));
    }

    /// Principle 4: same request, same bytes; the JSON round-trips.
    #[test]
    fn decisions_are_deterministic_and_round_trip((p, req) in any_request()) {
        let first = decide(p, &req).to_json();
        let second = decide(p, &req).to_json();
        prop_assert_eq!(&first, &second);
        let wire = serde_json::to_string(&req).expect("requests serialise");
        let via_json = engine(p).evaluate_json(&wire).expect("the wire form is accepted");
        prop_assert_eq!(&first, &via_json);
        let back: Decision = serde_json::from_str(&first).expect("the response parses back");
        prop_assert_eq!(&back.to_json(), &first);
    }
}

/// `req` with every optional fact left out.
fn strip_all(req: &DevicesRequest) -> DevicesRequest {
    let mut r = req.clone();
    r.actor.year_group = None;
    r.actor.works_directly_with_children = None;
    r.context = Context::unknown_but_location(req.context.location);
    r
}
