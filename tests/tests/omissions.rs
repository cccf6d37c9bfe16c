//! Fail-safe omissions (SPEC §1.1): for every optional field of every
//! domain's request, the answer with the field left out is never more
//! permissive than the answer for any value the field could be given.
//!
//! Each scenario of `tests/scenarios/<domain>/` is a starting point: every
//! optional fact of the request is left out in turn and given each value it
//! can take, and the answers are compared. The property tests do the same
//! from a scenario under a random preset with a random set of its other
//! optional fields left out as well, so omissions are also checked in
//! company.
//!
//! "More permissive" is defined per domain (each `Domain` below says how):
//!
//! - devices: `deny` < `allow_with_conditions` < `allow`; between two
//!   allows with conditions, fewer conditions is more permissive;
//! - images: `block` < `publish_with_changes` < `publish`; between two
//!   answers with changes, fewer changes (exclusions included) is more
//!   permissive;
//! - sexting: `child_sexual_abuse` < `refer_immediately` <
//!   `need_more_information` < `dsl_may_manage_in_school`; at the same
//!   outcome, fewer referrals is more permissive;
//! - escalation (always `notify`): fewer parties notified, or a party
//!   notified later (a looser deadline), is more permissive.
//!
//! An omission passes when its answer is at least as strict as every
//! explicit value's, or when it is treated as unknown: the answer names the
//! fact among `unknowns` and is not the domain's go-ahead (`allow`,
//! `publish`, `dsl_may_manage_in_school`). The second case is how a
//! tri-state fact works (left out it is `unknown`, and `yes` may well be
//! stricter than `unknown`: the answer then says to establish it), and how
//! an unknown fact asks for a check (`confirm_suitably_dressed`).
//! Escalation always notifies, so an escalation flag left out passes only
//! by being named (`flags.<flag>`): its plan is that of the known facts.
//! An omission the engine refuses must be refused as `missing_field`.
//!
//! Values that contradict what the request records elsewhere are not
//! compared (each is explained where the fields are listed): an age of 18
//! or more beside `adult_involved: no`, sextortion beside no coercion, and
//! an exam or school event as the period an `at` stands for.
//!
//! Not facts, so not here: the texts of an image (caption, file name, tags,
//! credits: left out, there is nothing to publish with the image, and an
//! explicit text can only add changes) and `schema_version`, `domain`,
//! `policy` (routing, each with its own test).

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use safeguard_engine::devices::{Exception, PermissionFrom, FLAGS};
use safeguard_engine::escalation::Flag;
use safeguard_engine::images::{ConsentValue, Purpose, Restriction};
use safeguard_engine::Period;
use safeguard_engine::{evaluate_json_with, Engine};
use safeguard_tests::{scenario_dir, scenario_files};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// One optional field of one request: the object that holds it (a JSON
/// pointer), its key, the values it can be given, and the tokens (or token
/// prefixes ending in `:`) by which `unknowns` names it.
struct Field {
    parent: String,
    key: String,
    values: Vec<Value>,
    named_as: Vec<String>,
}

impl Field {
    fn new(parent: &str, key: &str, values: Vec<Value>, named_as: &[&str]) -> Field {
        Field {
            parent: parent.into(),
            key: key.into(),
            values,
            named_as: named_as.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn path(&self) -> String {
        format!("{}/{}", self.parent, self.key)
    }

    fn without(&self, request: &Value) -> Value {
        let mut r = request.clone();
        if let Some(parent) = r.pointer_mut(&self.parent).and_then(Value::as_object_mut) {
            parent.remove(&self.key);
        }
        r
    }

    fn with(&self, request: &Value, value: &Value) -> Value {
        let mut r = request.clone();
        if r.pointer(&self.parent).is_none() {
            // An object left out whole (`facts`, `flags`, a pupil's
            // `consent`): its parent holds it.
            let (holder, name) = self.parent.rsplit_once('/').expect("a pointer");
            if let Some(h) = r.pointer_mut(holder).and_then(Value::as_object_mut) {
                h.insert(name.into(), json!({}));
            }
        }
        if let Some(parent) = r.pointer_mut(&self.parent).and_then(Value::as_object_mut) {
            parent.insert(self.key.clone(), value.clone());
        }
        r
    }

    fn is_named_in(&self, unknowns: &[String]) -> bool {
        unknowns.iter().any(|u| {
            self.named_as
                .iter()
                .any(|n| u == n || (n.ends_with(':') && u.starts_with(n.as_str())))
        })
    }
}

fn tokens<T: Copy>(all: &[T], as_str: fn(T) -> &'static str) -> Vec<Value> {
    all.iter().map(|&t| json!(as_str(t))).collect()
}

fn bools() -> Vec<Value> {
    vec![json!(true), json!(false)]
}

/// How one domain lists its optional fields and orders its answers.
struct Domain {
    name: &'static str,
    /// The go-ahead: an answer that asks nothing more of anyone.
    go: &'static str,
    /// Outcomes from the strictest to the most permissive.
    outcomes: &'static [&'static str],
    /// The optional fields of a request of this domain.
    fields: fn(&Value) -> Vec<Field>,
    /// Whether `a` is at least as strict as `b`, both with the same outcome.
    as_strict_at_same_outcome: fn(&Value, &Value) -> bool,
}

const DOMAINS: [Domain; 4] = [
    Domain {
        name: "devices",
        go: "allow",
        outcomes: &["deny", "allow_with_conditions", "allow"],
        fields: devices_fields,
        as_strict_at_same_outcome: |a, b| superset(a, b, "conditions", None),
    },
    Domain {
        name: "images",
        go: "publish",
        outcomes: &["block", "publish_with_changes", "publish"],
        fields: images_fields,
        as_strict_at_same_outcome: |a, b| superset(a, b, "changes", None),
    },
    Domain {
        name: "sexting",
        go: "dsl_may_manage_in_school",
        outcomes: &[
            "child_sexual_abuse",
            "refer_immediately",
            "need_more_information",
            "dsl_may_manage_in_school",
        ],
        fields: sexting_fields,
        as_strict_at_same_outcome: |a, b| {
            superset(a, b, "referral_to", None) && (calls_999(a) || !calls_999(b))
        },
    },
    Domain {
        name: "escalation",
        go: "",
        outcomes: &["notify"],
        fields: escalation_fields,
        as_strict_at_same_outcome: notifies_as_many_as_soon,
    },
];

fn devices_fields(request: &Value) -> Vec<Field> {
    let times = [
        "2026-03-02T08:00",
        "2026-03-02T10:30",
        "2026-03-02T12:15",
        "2026-03-02T13:30",
        "2026-03-02T16:00",
        "2026-03-07T11:00",
    ];
    // Where `context.at` is given, the timetable gives the period; an exam
    // or a school event is an occasion the caller names, which no clock
    // time implies, so it is not a value `at` could be standing for.
    let clock_given = request.pointer("/context/at").is_some();
    let periods = Period::ALL
        .iter()
        .filter(|p| !(clock_given && matches!(p, Period::Exam | Period::SchoolEvent)))
        .map(|p| json!(p.as_str()))
        .collect();
    // Every yes/no fact, from the engine's own table.
    let flags = FLAGS.iter().map(|flag| {
        let (object, key) = flag.field.split_once('.').unwrap_or(("", flag.field));
        Field::new(&format!("/{object}"), key, bools(), &[flag.field])
    });
    let mut fields = vec![
        Field::new(
            "/actor",
            "year_group",
            (0..=13).map(|y| json!(y)).collect(),
            &["actor.year_group"],
        ),
        Field::new("/context", "period", periods, &["context.period"]),
        Field::new(
            "/context",
            "at",
            times.iter().map(|t| json!(t)).collect(),
            &["context.period"],
        ),
        Field::new(
            "/context",
            "permission_from",
            tokens(PermissionFrom::ALL, PermissionFrom::as_str),
            &["context.permission_from"],
        ),
        Field::new(
            "/context",
            "exception",
            tokens(Exception::ALL, Exception::as_str),
            &["context.exception"],
        ),
    ];
    fields.extend(flags);
    fields
}

fn images_fields(request: &Value) -> Vec<Field> {
    let mut out = vec![
        Field::new("/media", "has_geodata", bools(), &["media.has_geodata"]),
        Field::new(
            "/media",
            "suitably_dressed",
            bools(),
            &["media.suitably_dressed"],
        ),
    ];
    for i in 0..count(request, "pupils") {
        let pupil = format!("/pupils/{i}");
        out.push(Field::new(
            &pupil,
            "restriction",
            tokens(Restriction::ALL, Restriction::as_str),
            &["pupils.restriction"],
        ));
        out.push(Field::new(
            &pupil,
            "left_on",
            vec![json!("2025-07-18")],
            &[],
        ));
        for &purpose in Purpose::ALL {
            // Left out, a consent is `not_asked`, as strict as any: nothing
            // to name.
            out.push(Field::new(
                &format!("{pupil}/consent"),
                purpose.as_str(),
                tokens(ConsentValue::ALL, ConsentValue::as_str),
                &[],
            ));
        }
    }
    out
}

/// Sexting facts and the `unknowns` tokens each is named by (its own name,
/// or the criterion it feeds).
const SEXTING_FACTS: [(&str, &[&str]); 12] = [
    ("adult_involved", &["adult_involved"]),
    (
        "coercion_blackmail_or_grooming",
        &["coercion_blackmail_or_grooming"],
    ),
    (
        "financially_motivated_extortion",
        &["coercion_blackmail_or_grooming"],
    ),
    (
        "capacity_to_consent_concern",
        &["capacity_to_consent_concern"],
    ),
    (
        "content_atypical_for_development",
        &["content_atypical_for_development"],
    ),
    ("content_violent", &["content_violent"]),
    ("content_sexual_acts", &["content_sexual_acts"]),
    (
        "ai_generated_or_manipulated",
        &["ai_generated_or_manipulated"],
    ),
    ("immediate_risk_of_harm", &["immediate_risk_of_harm"]),
    ("shared_widely", &["shared_widely"]),
    ("previous_incidents", &["previous_incidents"]),
    (
        "parental_involvement_would_risk_child",
        &["parental_involvement_would_risk_child"],
    ),
];

fn sexting_fields(request: &Value) -> Vec<Field> {
    let tri = || vec![json!("yes"), json!("no"), json!("unknown")];
    // Sextortion is coercion: where the request records no coercion, it
    // has said there is no sextortion either (a `yes` would contradict it,
    // and the engine resolves that the strict way), so leaving the
    // sextortion fact out cannot stand for a `yes`.
    let no_coercion =
        request.pointer("/facts/coercion_blackmail_or_grooming") == Some(&json!("no"));
    let mut out: Vec<Field> = SEXTING_FACTS
        .iter()
        .map(|(fact, named_as)| {
            let mut values = tri();
            if no_coercion && *fact == "financially_motivated_extortion" {
                values.remove(0);
            }
            Field::new("/facts", fact, values, named_as)
        })
        .collect();
    // A young person aged 18 or more contradicts a recorded
    // `adult_involved: no` (the engine then decides child sexual abuse):
    // where the request records that no adult is involved, leaving an age
    // out cannot stand for an adult's.
    let no_adult = request.pointer("/facts/adult_involved") == Some(&json!("no"));
    let ages: Vec<u32> = [5, 10, 12, 13, 14, 15, 16, 17, 18, 25]
        .into_iter()
        .filter(|&a| !(no_adult && a >= 18))
        .collect();
    let incident = request["incident_date"].as_str().unwrap_or("2026-03-02");
    let year: u32 = incident[..4].parse().unwrap_or(2026);
    // Born on this day `age` years before: that age on the incident date.
    let born = |age: u32| json!(format!("{}{}", year - age, &incident[4..]));
    let age_named = ["subject_age", "subject_age:", "adult_involved"];
    for i in 0..count(request, "young_people") {
        let person = format!("/young_people/{i}");
        out.push(Field::new(
            &person,
            "age",
            ages.iter().map(|a| json!(a)).collect(),
            &age_named,
        ));
        out.push(Field::new(
            &person,
            "date_of_birth",
            ages.iter().map(|&a| born(a)).collect(),
            &age_named,
        ));
        out.push(Field::new(&person, "additional_needs", bools(), &[]));
    }
    out.push(Field::new(
        "",
        "reported_at",
        ["T08:00", "T10:30", "T16:30", "T21:00"]
            .iter()
            .map(|t| json!(format!("{incident}{t}")))
            .collect(),
        &[],
    ));
    out
}

fn escalation_fields(_: &Value) -> Vec<Field> {
    Flag::ALL
        .iter()
        .map(|f| {
            let named = format!("flags.{f}");
            Field::new("/flags", f.as_str(), bools(), &[&named])
        })
        .collect()
}

fn count(request: &Value, list: &str) -> usize {
    request[list].as_array().map_or(0, Vec::len)
}

fn strings(v: &Value, key: &str, field: Option<&str>) -> BTreeSet<String> {
    v[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| match field {
            Some(f) => x[f].as_str(),
            None => x.as_str(),
        })
        .map(String::from)
        .collect()
}

fn superset(a: &Value, b: &Value, key: &str, field: Option<&str>) -> bool {
    strings(a, key, field).is_superset(&strings(b, key, field))
}

/// Deadlines from the soonest to the latest.
const DEADLINES: [&str; 6] = [
    "immediately",
    "end_of_lesson",
    "same_day",
    "within_one_working_day",
    "when_facts_established",
    "when_service_opens",
];

/// Whether a plan calls the police on 999: a sexting answer that reports
/// to them on 101 is looser than one that calls 999 before anything else.
fn calls_999(v: &Value) -> bool {
    v["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|s| s["who"] == "police_999")
}

/// Whether plan `a` notifies everyone plan `b` does, each no later.
fn notifies_as_many_as_soon(a: &Value, b: &Value) -> bool {
    let notified = |v: &Value| -> Vec<(String, usize)> {
        v["actions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["action"] == "notify")
            .map(|s| {
                let deadline = s["deadline"].as_str().unwrap_or("");
                let rank = DEADLINES.iter().position(|d| *d == deadline);
                (s["who"].to_string(), rank.unwrap_or(DEADLINES.len()))
            })
            .collect()
    };
    let a = notified(a);
    notified(b).iter().all(|(who, by)| {
        a.iter()
            .any(|(other, other_by)| other == who && other_by <= by)
    })
}

/// What an answer decides, without its explanations.
fn brief(v: &Value) -> Value {
    let mut out = json!({});
    for key in [
        "outcome",
        "conditions",
        "changes",
        "referral_to",
        "unknowns",
    ] {
        if let Some(x) = v.get(key) {
            out[key] = x.clone();
        }
    }
    if v["domain"] == "escalation" {
        out["notify"] = v["actions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["action"] == "notify")
            .map(|s| json!([s["who"], s["deadline"]]))
            .collect();
    }
    out
}

enum Answer {
    Decided(Value),
    Refused(&'static str),
}

fn answer(request: &Value) -> Answer {
    match evaluate_json_with(None, &request.to_string(), None) {
        Ok(d) => Answer::Decided(serde_json::from_str(&d.to_json()).expect("response JSON")),
        Err(e) => Answer::Refused(e.code()),
    }
}

/// The problems with leaving out `field` of `request`, if any.
fn omission_problems(domain: &Domain, request: &Value, field: &Field) -> Vec<String> {
    let left_out = field.without(request);
    let omitted = match answer(&left_out) {
        Answer::Decided(v) => v,
        Answer::Refused("missing_field") => return Vec::new(),
        Answer::Refused(code) => {
            return vec![format!(
                "leaving out {} is refused as `{code}`, not `missing_field`",
                field.path()
            )]
        }
    };
    let rank = |v: &Value| {
        let outcome = v["outcome"].as_str().unwrap_or("");
        domain.outcomes.iter().position(|o| *o == outcome)
    };
    let unknowns: Vec<String> = strings(&omitted, "unknowns", None).into_iter().collect();
    let treated_as_unknown = field.is_named_in(&unknowns) && omitted["outcome"] != domain.go;
    let mut out = Vec::new();
    for value in &field.values {
        // A value the engine refuses here (a year group for an adult, a
        // period `at` contradicts) is not an answer to compare with.
        let Answer::Decided(given) = answer(&field.with(&left_out, value)) else {
            continue;
        };
        let (o, g) = (rank(&omitted), rank(&given));
        let as_strict = match (o, g) {
            (Some(o), Some(g)) => {
                o < g || (o == g && (domain.as_strict_at_same_outcome)(&omitted, &given))
            }
            _ => false,
        };
        if !as_strict && !treated_as_unknown {
            out.push(format!(
                "leaving out {} is more permissive than {value}:\n  left out: {}\n  given:    {}\n  request:  {left_out}",
                field.path(),
                brief(&omitted),
                brief(&given)
            ));
        }
    }
    out
}

fn scenarios(domain: &str) -> &'static [Value] {
    static ALL: OnceLock<Vec<(String, Vec<Value>)>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        DOMAINS
            .iter()
            .map(|d| {
                let requests = scenario_files(&scenario_dir(d.name), |_| true)
                    .into_iter()
                    .filter_map(|(_, v)| v.ok())
                    .map(|v| v["request"].clone())
                    // A scenario of a refused request has nothing to omit.
                    .filter(|r| matches!(answer(r), Answer::Decided(_)))
                    .collect();
                (d.name.to_string(), requests)
            })
            .collect()
    });
    all.iter()
        .find(|(d, _)| d == domain)
        .map(|(_, r)| r.as_slice())
        .unwrap_or(&[])
}

fn domain(name: &str) -> &'static Domain {
    DOMAINS.iter().find(|d| d.name == name).expect("a domain")
}

/// Every optional field of every scenario of `name`, left out in turn.
fn every_scenario_every_field(name: &str) {
    let d = domain(name);
    let requests = scenarios(name);
    assert!(requests.len() > 20, "{name}: too few scenarios");
    let mut problems = Vec::new();
    for request in requests {
        for field in (d.fields)(request) {
            problems.extend(omission_problems(d, request, &field));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems[..problems.len().min(10)].join("\n")
    );
}

#[test]
fn devices_omissions_are_never_more_permissive() {
    every_scenario_every_field("devices");
}

#[test]
fn images_omissions_are_never_more_permissive() {
    every_scenario_every_field("images");
}

#[test]
fn sexting_omissions_are_never_more_permissive() {
    every_scenario_every_field("sexting");
}

#[test]
fn escalation_omissions_are_never_more_permissive() {
    every_scenario_every_field("escalation");
}

/// The two fail-open omissions the adversarial review found (issue 21),
/// each checked on its own so that a failure names it.
#[test]
fn the_reviewed_omissions_are_unknown() {
    let pupil = |restriction: Option<&str>| {
        let mut p = json!({ "id": "p1", "first_name": "Amy", "last_name": "Smith",
            "on_roll": true, "consent": { "website": "yes", "individual_use": "yes" } });
        if let Some(r) = restriction {
            p["restriction"] = json!(r);
        }
        p
    };
    let image = json!({ "domain": "images", "policy": "baseline", "channel": "website",
        "media": { "kind": "photo", "composition": "individual", "has_geodata": false,
                   "captured_on": "school_device", "suitably_dressed": true },
        "pupils": [pupil(None)] });
    let field = Field::new(
        "/pupils/0",
        "restriction",
        tokens(Restriction::ALL, Restriction::as_str),
        &["pupils.restriction"],
    );
    assert_eq!(
        omission_problems(domain("images"), &image, &field),
        Vec::<String>::new()
    );
    let Answer::Decided(d) = answer(&image) else {
        panic!("refused")
    };
    assert_eq!(d["outcome"], "block", "{d}");
    assert_eq!(d["unknowns"], json!(["pupils.restriction"]), "{d}");

    let call = json!({ "domain": "devices", "policy": "baseline",
        "actor": { "role": "contractor" },
        "device": { "kind": "mobile_phone", "owner": "personal" },
        "action": "use_calls_messages",
        "context": { "location": "corridor", "period": "lesson", "emergency": true } });
    let field = Field::new(
        "/context",
        "children_present",
        bools(),
        &["context.children_present"],
    );
    assert_eq!(
        omission_problems(domain("devices"), &call, &field),
        Vec::<String>::new()
    );
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A scenario of `name` under preset `preset`, with the optional fields
/// `mask` picks left out, and the problems of leaving out each other one.
fn in_company(name: &str, pick: usize, preset: usize, mask: u64) -> Vec<String> {
    let d = domain(name);
    let requests = scenarios(name);
    let mut request = requests[pick % requests.len()].clone();
    request["policy"] = json!(Engine::presets()[preset % Engine::presets().len()]);
    let fields = (d.fields)(&request);
    for (i, f) in fields.iter().enumerate() {
        if mask & (1 << (i % 64)) != 0 {
            request = f.without(&request);
        }
    }
    fields
        .iter()
        .flat_map(|f| omission_problems(d, &request, f))
        .collect()
}

proptest! {
    #![proptest_config(config())]

    /// Omissions in company, under any preset, in every domain.
    #[test]
    fn omissions_in_company_are_never_more_permissive(
        which in 0..DOMAINS.len(),
        pick in any::<usize>(),
        preset in any::<usize>(),
        mask in any::<u64>(),
    ) {
        let problems = in_company(DOMAINS[which].name, pick, preset, mask);
        prop_assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
