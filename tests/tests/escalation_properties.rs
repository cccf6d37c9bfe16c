//! Property tests of the escalation plan, under every preset, over every
//! category, subject and combination of flags, at any time of any day:
//!
//! - nobody the concern is about receives any step of it, under any of the
//!   roles the policy names them for (a headteacher who is also the DSL);
//! - with `immediate_danger`, the first step is the 999 call;
//! - every step with a deadline has a due time, at or after the report;
//! - steps are ordered by deadline after the 999 call, and no step appears
//!   twice;
//! - every step cites a rule among the reasons;
//! - responses are deterministic (the same bytes twice, and from JSON);
//! - a step due `immediately` is due at the report, except a school's own
//!   step to a local body that is closed and whose out-of-hours route is for
//!   emergencies only, with no emergency: that one is due when the body
//!   opens;
//! - every step a matching floor rule requires is there, no later, and one
//!   due immediately is due at the report whatever the school's hours;
//! - a `low_level_concern` flag never removes the LADO (or any step) when a
//!   harm flag is set or the category is child protection, and never routes
//!   a concern to the person it is about.

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config as ProptestConfig;
use safeguard_engine::escalation::{
    Category, ConcernAbout, EscalationRequest, Flag, Flags, CONFLICT_OF_INTEREST, HARM_CATEGORIES,
    HARM_FLAGS,
};
use safeguard_engine::LocalDateTime;
use safeguard_engine::SchemaVersion;
use safeguard_engine::{Deadline, Who};
use safeguard_engine::{Engine, Request};
use std::sync::OnceLock;

fn engines() -> &'static Vec<Engine> {
    static ENGINES: OnceLock<Vec<Engine>> = OnceLock::new();
    ENGINES.get_or_init(|| {
        Engine::presets()
            .iter()
            .map(|id| Engine::from_preset(id).unwrap_or_else(|e| panic!("{id}: {e}")))
            .collect()
    })
}

fn never_told(about: ConcernAbout) -> &'static [Who] {
    match about {
        ConcernAbout::Headteacher => &[Who::Headteacher],
        ConcernAbout::Dsl => &[Who::Dsl],
        ConcernAbout::Governor => &[Who::ChairOfGovernors, Who::SafeguardingGovernor],
        ConcernAbout::Parent => &[Who::Parents],
        _ => &[],
    }
}

fn request() -> impl Strategy<Value = EscalationRequest> {
    (
        select(Category::ALL),
        select(ConcernAbout::ALL),
        proptest::collection::vec(any::<bool>(), Flag::ALL.len()),
        // 2024-01-01 plus up to ~4 years, any minute.
        0u64..(4 * 366 * 24 * 60),
    )
        .prop_map(|(category, concern_about, bits, minutes)| {
            let mut flags = Flags::default();
            for (f, on) in Flag::ALL.iter().zip(bits) {
                flags.set(*f, on);
            }
            let start = LocalDateTime::parse("2024-01-01T00:00").unwrap().0;
            let at = start + chrono::Duration::minutes(minutes as i64);
            EscalationRequest {
                schema_version: SchemaVersion,
                domain: None,
                policy: None,
                category,
                concern_about,
                flags,
                reported_at: LocalDateTime(at),
            }
        })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 1500,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Every preset, category and subject: a low-level flag alone keeps a
/// concern about staff from the LADO (and from the person), and each harm
/// flag on its own brings the LADO back.
#[test]
fn low_level_concerns_under_every_preset() {
    for engine in engines() {
        let id = &engine.policy().policy.id;
        for &category in Category::ALL {
            for &about in ConcernAbout::ALL {
                let base = EscalationRequest {
                    schema_version: SchemaVersion,
                    domain: None,
                    policy: None,
                    category,
                    concern_about: about,
                    flags: Flags {
                        low_level_concern: Some(true),
                        ..Flags::default()
                    },
                    reported_at: LocalDateTime::parse("2026-03-04T10:00").unwrap(),
                };
                let lado = |req: &EscalationRequest| {
                    engine
                        .evaluate(&Request::Escalation(req.clone()))
                        .unwrap()
                        .actions
                        .iter()
                        .any(|a| a.who == Who::Lado)
                };
                let staff = matches!(
                    about,
                    ConcernAbout::Staff | ConcernAbout::Headteacher | ConcernAbout::Dsl
                );
                if staff && !HARM_CATEGORIES.contains(&category) {
                    assert!(
                        !lado(&base),
                        "{id}: {category:?} about {about:?} reached the LADO"
                    );
                }
                if staff || about == ConcernAbout::Governor {
                    for f in HARM_FLAGS {
                        let mut harm = base.clone();
                        harm.flags.set(f, true);
                        assert!(
                            lado(&harm),
                            "{id}: {category:?} about {about:?} with {f:?}: no LADO"
                        );
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn plans_keep_the_invariants(req in request(), preset in 0..Engine::presets().len()) {
        let engine = &engines()[preset];
        let request = Request::Escalation(req.clone());
        let d = engine.evaluate(&request).unwrap();
        let plan = &d.actions;
        prop_assert!(!plan.is_empty());
        let reported = req.reported_at.to_string();
        // The person: the roles the concern is about, and every role the
        // policy gives to the same named person.
        let roles = &engine.policy().roles;
        let names: Vec<String> = never_told(req.concern_about)
            .iter()
            .filter_map(|w| roles.get(w).and_then(|c| c.name.clone()))
            .collect();
        let is_the_person = |who: Who| {
            never_told(req.concern_about).contains(&who)
                || roles
                    .get(&who)
                    .and_then(|c| c.name.as_ref())
                    .is_some_and(|n| names.contains(n))
        };
        for (i, s) in plan.iter().enumerate() {
            prop_assert!(!is_the_person(s.who),
                "step {} goes to {:?}, whom the concern is about", i, s.who);
            match (&s.due, s.deadline) {
                (None, Deadline::WhenFactsEstablished) => {}
                (Some(due), d) if d != Deadline::WhenFactsEstablished => {
                    prop_assert!(**due >= *reported, "due {} before report {}", due, reported);
                    let moved_to_opening = d == Deadline::WhenServiceOpens;
                    if d == Deadline::Immediately && !moved_to_opening {
                        prop_assert_eq!(&**due, reported.as_str());
                    }
                    if moved_to_opening {
                        // Never a 999 call, never in an emergency.
                        prop_assert!(s.who != Who::Police999);
                        prop_assert!(!req.flags.get(Flag::ImmediateDanger) && !req.flags.get(Flag::ThreatToLife));
                    }
                }
                other => prop_assert!(false, "step {}: deadline and due disagree: {:?}", i, other),
            }
            prop_assert!(d.reasons.iter().any(|r| r.rule == s.rule), "step {} cites no reason", i);
            prop_assert!(
                !plan[..i].iter().any(|p| p.action == s.action && p.who == s.who),
                "step {} repeats an earlier one", i
            );
        }
        if req.flags.get(Flag::ImmediateDanger) || req.flags.get(Flag::ThreatToLife) {
            prop_assert_eq!(plan[0].who, Who::Police999);
        }
        let rest = plan.iter().skip_while(|s| s.who == Who::Police999);
        let deadlines: Vec<Deadline> = rest.map(|s| s.deadline).collect();
        prop_assert!(deadlines.windows(2).all(|w| w[0] <= w[1]), "not ordered: {:?}", deadlines);
        // Deterministic, and the JSON path agrees with the typed one.
        let json = d.to_json();
        prop_assert_eq!(&engine.evaluate(&request).unwrap().to_json(), &json);
        let wire = serde_json::to_string(&req).unwrap();
        prop_assert_eq!(engine.evaluate_json(&wire).unwrap(), json);
    }

    #[test]
    fn the_dsl_always_hears_unless_the_concern_is_about_them(
        req in request(), preset in 0..Engine::presets().len(),
    ) {
        let d = engines()[preset].evaluate(&Request::Escalation(req.clone())).unwrap();
        let told = |who| d.actions.iter().any(|s| s.who == who && s.action == safeguard_engine::ActionToken::Notify);
        let roles = &engines()[preset].policy().roles;
        let same_person = |a: Who, b: Who| {
            let name = |w| roles.get(&w).and_then(|c| c.name.clone());
            name(a).is_some() && name(a) == name(b)
        };
        match req.concern_about {
            // Someone in charge hears of it: the head, or where the head is
            // the DSL too, the chair of governors.
            ConcernAbout::Dsl if same_person(Who::Dsl, Who::Headteacher) => {
                prop_assert!(told(Who::ChairOfGovernors));
            }
            ConcernAbout::Dsl => prop_assert!(told(Who::Headteacher)),
            ConcernAbout::Headteacher if same_person(Who::Dsl, Who::Headteacher) => {
                prop_assert!(told(Who::DeputyDsl) || told(Who::ChairOfGovernors));
            }
            _ => prop_assert!(told(Who::Dsl)),
        }
        if req.concern_about == ConcernAbout::Headteacher {
            prop_assert!(told(Who::ChairOfGovernors));
            let low_level = req.flags.low_level_applies(req.category, req.concern_about);
            prop_assert!(low_level || told(Who::Lado));
        }
    }

    /// Every step a matching floor rule requires is in the plan (for its
    /// recipient, or the stand-in where the concern is about them), no
    /// later than the floor's deadline, and a floor step due immediately is
    /// due at the report: no school's hours move it.
    #[test]
    fn floor_steps_keep_their_deadlines(req in request(), preset in 0..Engine::presets().len()) {
        let engine = &engines()[preset];
        let d = engine.evaluate(&Request::Escalation(req.clone())).unwrap();
        let flags = req.flags.effective(req.category, req.concern_about);
        let reported = req.reported_at.to_string();
        let rerouted = d.reasons.iter().any(|r| r.rule.as_ref() == CONFLICT_OF_INTEREST);
        for rule in engine.policy().escalation.rules.iter().filter(|r| r.floor) {
            if !rule.matches(req.category, req.concern_about, &flags) {
                continue;
            }
            for step in &rule.steps {
                if step.who == Who::Parents
                    && (flags.get(Flag::ParentalInvolvementWouldRiskChild)
                        || req.concern_about == ConcernAbout::Parent)
                {
                    continue;
                }
                // The police are one recipient however they are called: a
                // 999 call stands for a 101 report (SPEC §1.8).
                let same = |w: Who| w == step.who || w.is_police() && step.who.is_police();
                let found = d.actions.iter().any(|a| {
                    a.action == step.action
                        && (same(a.who) || rerouted)
                        && a.deadline <= step.deadline
                });
                prop_assert!(found, "{}: floor step {:?} for {:?} missing or later", rule.id, step.action, step.who);
                if let Some(a) = d.actions.iter().find(|a| a.action == step.action && same(a.who)) {
                    prop_assert!(a.deadline <= step.deadline);
                    if a.deadline == Deadline::Immediately {
                        prop_assert_eq!(a.due.as_deref(), Some(reported.as_str()), "{}: {:?} for {:?} moved", rule.id, step.action, step.who);
                    }
                }
            }
        }
    }

    /// A low-level flag changes nothing where a harm flag is set or the
    /// category is child protection (the LADO stays), and never sends a
    /// concern to the person it is about.
    #[test]
    fn a_low_level_flag_never_removes_the_lado_past_the_harm_threshold(
        req in request(), preset in 0..Engine::presets().len(),
    ) {
        let engine = &engines()[preset];
        let mut low = req.clone();
        low.flags.low_level_concern = Some(true);
        let mut plain = req.clone();
        plain.flags.low_level_concern = Some(false);
        let d_low = engine.evaluate(&Request::Escalation(low.clone())).unwrap();
        let d_plain = engine.evaluate(&Request::Escalation(plain)).unwrap();
        let harm = HARM_FLAGS.iter().any(|f| req.flags.get(*f))
            || HARM_CATEGORIES.contains(&req.category);
        let counts = low.flags.low_level_applies(req.category, req.concern_about);
        prop_assert!(!(harm && counts));
        let lado = d_low.actions.iter().any(|a| a.who == Who::Lado);
        if counts {
            prop_assert!(!lado, "a low-level concern reached the LADO");
        } else {
            // Disregarded: the plan is the plan without the flag.
            prop_assert_eq!(&d_low.actions, &d_plain.actions);
        }
        let about_staff = matches!(
            req.concern_about,
            ConcernAbout::Staff | ConcernAbout::Headteacher | ConcernAbout::Dsl | ConcernAbout::Governor
        );
        if harm && about_staff {
            prop_assert!(lado, "past the harm threshold the LADO must be told");
        }
        let roles = &engine.policy().roles;
        let names: Vec<String> = never_told(req.concern_about)
            .iter()
            .filter_map(|w| roles.get(w).and_then(|c| c.name.clone()))
            .collect();
        for a in d_low.actions.iter() {
            let same = never_told(req.concern_about).contains(&a.who)
                || roles.get(&a.who).and_then(|c| c.name.as_ref()).is_some_and(|n| names.contains(n));
            prop_assert!(!same, "{:?} is whom the concern is about", a.who);
        }
    }
}
