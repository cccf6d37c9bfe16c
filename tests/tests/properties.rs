//! Property tests of the sexting decision (issue 2, item 9):
//! (a) a criterion fact turning to `yes` never gives a less protective outcome;
//! (b) `no` turning to `unknown` never gives a less protective outcome;
//! (c) responses are deterministic and round-trip through JSON;
//! (d) arbitrary input to the request parser never panics.

use proptest::prelude::*;
use safeguard_engine::sexting::{PartyRole, SextingFacts, SextingRequest, YoungPerson};
use safeguard_engine::Decision;
use safeguard_engine::{Date, Engine, Request, Tri};

fn tri() -> impl Strategy<Value = Tri> {
    prop_oneof![Just(Tri::Yes), Just(Tri::No), Just(Tri::Unknown)]
}

fn role() -> impl Strategy<Value = PartyRole> {
    prop_oneof![
        Just(PartyRole::Subject),
        Just(PartyRole::Sender),
        Just(PartyRole::Recipient),
        Just(PartyRole::Sharer),
    ]
}

fn incident() -> Date {
    Date::parse("2025-06-15").unwrap()
}

/// A young person with an age, a date of birth (around the 13th and 18th
/// birthdays) or neither.
fn person(i: usize) -> impl Strategy<Value = YoungPerson> {
    let age = prop_oneof![
        Just((None, None)),
        (8u32..22).prop_map(|a| (Some(a), None)),
        (0i64..=1).prop_flat_map(|which| {
            let base = if which == 0 { 2012 } else { 2007 };
            (-3i64..=3).prop_map(move |d| {
                let born = chrono::NaiveDate::from_ymd_opt(base, 6, 15).unwrap()
                    + chrono::Duration::days(d);
                (None, Some(Date(born)))
            })
        }),
    ];
    (age, role(), proptest::option::of(any::<bool>())).prop_map(move |((age, dob), role, needs)| {
        YoungPerson {
            id: format!("p{i}"),
            age,
            date_of_birth: dob,
            additional_needs: needs,
            role,
        }
    })
}

fn facts() -> impl Strategy<Value = SextingFacts> {
    (proptest::array::uniform12(tri())).prop_map(|t| SextingFacts {
        adult_involved: t[0],
        coercion_blackmail_or_grooming: t[1],
        financially_motivated_extortion: t[2],
        capacity_to_consent_concern: t[3],
        content_atypical_for_development: t[4],
        content_violent: t[5],
        content_sexual_acts: t[6],
        ai_generated_or_manipulated: t[7],
        immediate_risk_of_harm: t[8],
        shared_widely: t[9],
        previous_incidents: t[10],
        parental_involvement_would_risk_child: t[11],
    })
}

fn request() -> impl Strategy<Value = (usize, SextingRequest)> {
    let people = (0usize..4).prop_flat_map(|n| (0..n).map(person).collect::<Vec<_>>());
    (0usize..Engine::presets().len(), people, facts()).prop_map(|(p, young_people, facts)| {
        (
            p,
            SextingRequest {
                schema_version: Default::default(),
                domain: None,
                policy: None,
                incident_date: incident(),
                young_people,
                facts,
                reported_at: None,
            },
        )
    })
}

/// The facts that feed a referral criterion.
fn criterion_fact(f: &mut SextingFacts, i: usize) -> &mut Tri {
    match i {
        0 => &mut f.adult_involved,
        1 => &mut f.coercion_blackmail_or_grooming,
        2 => &mut f.financially_motivated_extortion,
        3 => &mut f.capacity_to_consent_concern,
        4 => &mut f.content_atypical_for_development,
        5 => &mut f.content_violent,
        6 => &mut f.content_sexual_acts,
        _ => &mut f.immediate_risk_of_harm,
    }
}

fn decide(preset: usize, r: &SextingRequest) -> Decision {
    let engine = Engine::from_preset(Engine::presets()[preset]).unwrap();
    engine.evaluate(&Request::Sexting(r.clone())).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_criterion_turning_yes_is_never_less_protective(
        (p, mut req) in request(),
        i in 0usize..8,
        start in prop_oneof![Just(Tri::No), Just(Tri::Unknown)],
    ) {
        *criterion_fact(&mut req.facts, i) = start;
        let before = decide(p, &req);
        let mut after_req = req.clone();
        *criterion_fact(&mut after_req.facts, i) = Tri::Yes;
        let after = decide(p, &after_req);
        prop_assert!(after.outcome >= before.outcome,
            "{:?} -> {:?} after setting fact {i} to yes", before.outcome, after.outcome);
    }

    #[test]
    fn no_turning_unknown_is_never_less_protective((p, mut req) in request(), i in 0usize..8) {
        *criterion_fact(&mut req.facts, i) = Tri::No;
        let before = decide(p, &req);
        let mut after_req = req.clone();
        *criterion_fact(&mut after_req.facts, i) = Tri::Unknown;
        let after = decide(p, &after_req);
        prop_assert!(after.outcome >= before.outcome,
            "{:?} -> {:?} after setting fact {i} to unknown", before.outcome, after.outcome);
    }

    #[test]
    fn a_subject_turning_under_13_is_never_less_protective((p, req) in request(), k in 0usize..4) {
        prop_assume!(k < req.young_people.len());
        let before = decide(p, &req);
        let mut after_req = req.clone();
        after_req.young_people[k].role = PartyRole::Subject;
        after_req.young_people[k].age = Some(12);
        after_req.young_people[k].date_of_birth = None;
        let after = decide(p, &after_req);
        // Unless the change removed the only evidence of an adult.
        let was_adult = req.young_people[k].age_on(req.incident_date).is_some_and(|a| a >= 18);
        if !was_adult {
            prop_assert!(after.outcome >= before.outcome,
                "{:?} -> {:?}", before.outcome, after.outcome);
        }
    }

    #[test]
    fn responses_are_deterministic_and_round_trip((p, req) in request()) {
        let a = decide(p, &req);
        let b = decide(p, &req);
        let json = a.to_json();
        prop_assert_eq!(&json, &b.to_json());
        let back: Decision = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &a);
        prop_assert_eq!(back.to_json(), json);
        // The JSON path agrees with the typed path.
        let mut wire = serde_json::to_value(&req).unwrap();
        wire["policy"] = Engine::presets()[p].into();
        let via_json = safeguard_engine::evaluate_json_with(None, &wire.to_string(), None).unwrap();
        prop_assert_eq!(via_json.to_json(), a.to_json());
    }

    #[test]
    fn unknowns_appear_only_when_they_could_raise_the_outcome_or_call_999((p, req) in request()) {
        let d = decide(p, &req);
        use safeguard_engine::Outcome::*;
        // An unknown immediate risk of harm is named whatever the outcome
        // (it makes the police call a 999 one); any other unknown only
        // where it could raise the outcome.
        let danger_unknown = req.facts.immediate_risk_of_harm == Tri::Unknown;
        prop_assert_eq!(
            d.unknowns.iter().any(|u| &**u == "immediate_risk_of_harm"),
            danger_unknown
        );
        let others = || d.unknowns.iter().filter(|u| &***u != "immediate_risk_of_harm");
        match d.outcome {
            DslMayManageInSchool => prop_assert!(d.unknowns.is_empty()),
            ChildSexualAbuse => prop_assert_eq!(others().count(), 0),
            NeedMoreInformation => prop_assert!(!d.unknowns.is_empty()),
            _ => prop_assert!(others().all(|u| &**u == "adult_involved")),
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = safeguard_engine::evaluate_json_with(None, &text, None);
    }

    #[test]
    fn arbitrary_json_shaped_text_never_panics(s in r#"\{("[a-z_]{1,20}":("[a-z0-9_-]{0,12}"|[0-9]{1,20}|-?[0-9]+|\[|\]|\{|\}|true|null),?){0,12}\}?"#) {
        let _ = safeguard_engine::evaluate_json_with(None, &s, None);
    }

    #[test]
    fn mutated_valid_requests_never_panic((p, req) in request(), cut in any::<proptest::sample::Index>(), byte in any::<u8>()) {
        let mut wire = serde_json::to_value(&req).unwrap();
        wire["policy"] = Engine::presets()[p].into();
        let mut bytes = wire.to_string().into_bytes();
        let i = cut.index(bytes.len());
        bytes[i] = byte;
        let text = String::from_utf8_lossy(&bytes);
        let _ = safeguard_engine::evaluate_json_with(None, &text, None);
    }
}
