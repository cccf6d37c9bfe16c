//! Malformed devices requests: each gets its stable error code and the JSON
//! path of the offending value, never a panic and never a decision.

use safeguard_engine::evaluate_json_with;
use safeguard_tests::{
    assert_each_refused, assert_valid_under_every_preset, assert_wire_error as assert_error,
    edited, err, Malformed,
};
use serde_json::{json, Value};

/// A valid baseline devices request.
fn base() -> Value {
    json!({
        "schema_version": 1, "domain": "devices", "policy": "baseline",
        "actor": { "role": "pupil", "year_group": 6 },
        "device": { "kind": "mobile_phone", "owner": "personal" },
        "action": "bring_on_site",
        "context": { "location": "reception", "period": "before_school",
                     "children_present": true, "emergency": false }
    })
}

/// The base request with `edit` applied to its JSON value.
fn with(edit: impl FnOnce(&mut Value)) -> String {
    edited(base(), edit)
}

#[test]
fn the_base_request_is_valid_under_every_preset() {
    assert_valid_under_every_preset(&base());
}

/// Asserts that each case is refused with its code at its path, in the
/// wire form too.
fn assert_refused(cases: Vec<Malformed>) {
    assert_each_refused(&base(), cases, assert_error);
}

/// A value of the wrong token set or type is refused at its path.
#[test]
fn invalid_values() {
    let row =
        |name, at, value: Value, path| Malformed::new(name, at, Some(value), "invalid_value", path);
    let year_group = "$.actor.year_group";
    assert_refused(vec![
        row(
            "unknown role",
            "/actor/role",
            "dinner_lady".into(),
            "$.actor.role",
        ),
        row(
            "role of the wrong type",
            "/actor/role",
            3.into(),
            "$.actor.role",
        ),
        row(
            "year group 14 does not exist",
            "/actor/year_group",
            14.into(),
            year_group,
        ),
        row(
            "negative year group",
            "/actor/year_group",
            (-1).into(),
            year_group,
        ),
        row(
            "year group on a teacher",
            "/actor",
            json!({ "role": "teacher", "year_group": 5, "works_directly_with_children": true }),
            year_group,
        ),
        row(
            "year group on a parent",
            "/actor",
            json!({ "role": "parent", "year_group": 0 }),
            year_group,
        ),
        row(
            "wrong device kind",
            "/device/kind",
            "laptop".into(),
            "$.device.kind",
        ),
        row(
            "wrong device owner",
            "/device/owner",
            "borrowed".into(),
            "$.device.owner",
        ),
        row("unknown action", "/action", "livestream".into(), "$.action"),
        row(
            "unknown location",
            "/context/location",
            "car_park".into(),
            "$.context.location",
        ),
        row(
            "unknown period",
            "/context/period",
            "assembly".into(),
            "$.context.period",
        ),
        row(
            "unknown permission source",
            "/context/permission_from",
            "parent".into(),
            "$.context.permission_from",
        ),
        row(
            "unknown exception",
            "/context/exception",
            "religious".into(),
            "$.context.exception",
        ),
        // children_present is a boolean; "unknown" is said by leaving it out.
        row(
            "tri-state token for a boolean fact",
            "/context/children_present",
            "unknown".into(),
            "$.context.children_present",
        ),
    ]);
}

/// A field the wire does not know is refused. The key is not quoted, in the
/// path either: the path is its object's.
#[test]
fn unknown_fields() {
    let row = |name, at, value: &str, path| {
        Malformed::new(name, at, Some(value.into()), "unknown_field", path)
    };
    assert_refused(vec![
        row("in context", "/context/weather", "rain", "$.context"),
        row("in actor", "/actor/name", "Amy", "$.actor"),
        row("in device", "/device/serial", "X1", "$.device"),
        row("at the top level", "/reason", "just because", "$"),
    ]);
}

/// A required field left out is refused at its path.
#[test]
fn missing_fields() {
    let row = |name, at, path| Malformed::new(name, at, None, "missing_field", path);
    assert_refused(vec![
        row("missing action", "/action", "$.action"),
        row(
            "missing location",
            "/context/location",
            "$.context.location",
        ),
        row("missing device owner", "/device/owner", "$.device.owner"),
    ]);
}

/// A `context.at` that is no real date and time is refused (the period,
/// which `at` would otherwise have to agree with, is left out).
#[test]
fn impossible_at() {
    for at in ["2026-11-23T25:00", "2026-02-30T10:00", "2026-11-23"] {
        let t = with(|v| {
            let c = v["context"].as_object_mut().unwrap();
            c.remove("period");
            c.insert("at".into(), at.into());
        });
        assert_error(&t, "invalid_date", "$.context.at");
    }
}

#[test]
fn period_that_disagrees_with_at() {
    // 10:35 on Monday 23 November 2026 is morning break in the baseline timetable.
    let t = with(|v| {
        v["context"]["period"] = "lesson".into();
        v["context"]["at"] = "2026-11-23T10:35".into();
    });
    assert_error(&t, "invalid_value", "$.context.period");
}

#[test]
fn a_school_day_period_on_a_saturday() {
    let t = with(|v| {
        v["context"]["period"] = "school_event".into();
        v["context"]["at"] = "2026-11-21T11:00".into();
    });
    assert_error(&t, "invalid_value", "$.context.period");
}

#[test]
fn a_period_that_agrees_with_at_is_accepted() {
    let t = with(|v| {
        v["context"]["period"] = "break".into();
        v["context"]["at"] = "2026-11-23T10:35".into();
    });
    let d = evaluate_json_with(None, &t, None).expect("an agreeing period is accepted");
    assert!(
        d.to_json().contains(r#""period":"break""#),
        "{}",
        d.to_json()
    );
}

#[test]
fn wrong_domain_token() {
    let t = with(|v| v["domain"] = "gadgets".into());
    let e = err(&t);
    assert_eq!(e.path(), Some("$.domain"), "{e}");
}

#[test]
fn unknown_policy() {
    let t = with(|v| v["policy"] = "narnia-primary".into());
    let e = err(&t);
    assert_eq!(e.code(), "unknown_policy", "{e}");
}
