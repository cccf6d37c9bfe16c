//! Malformed devices requests: each gets its stable error code and the JSON
//! path of the offending value, never a panic and never a decision.

use safeguard_engine::{evaluate_json_with, Engine};
use safeguard_tests::{assert_wire_error as assert_error, err};
use serde_json::{json, Value};

/// A valid baseline devices request with `edit` applied to its JSON value.
fn with(edit: impl FnOnce(&mut Value)) -> String {
    let mut v = json!({
        "schema_version": 1, "domain": "devices", "policy": "baseline",
        "actor": { "role": "pupil", "year_group": 6 },
        "device": { "kind": "mobile_phone", "owner": "personal" },
        "action": "bring_on_site",
        "context": { "location": "reception", "period": "before_school",
                     "children_present": true, "emergency": false }
    });
    edit(&mut v);
    v.to_string()
}

#[test]
fn the_base_request_is_valid_under_every_preset() {
    for id in Engine::presets() {
        let t = with(|v| v["policy"] = (*id).into());
        if let Err(e) = evaluate_json_with(None, &t, None) {
            panic!("{id}: the base request is refused: {e}");
        }
    }
}

#[test]
fn unknown_role() {
    let t = with(|v| v["actor"]["role"] = "dinner_lady".into());
    assert_error(&t, "invalid_value", "$.actor.role");
}

#[test]
fn role_of_the_wrong_type() {
    let t = with(|v| v["actor"]["role"] = 3.into());
    assert_error(&t, "invalid_value", "$.actor.role");
}

#[test]
fn year_group_14_does_not_exist() {
    let t = with(|v| v["actor"]["year_group"] = 14.into());
    assert_error(&t, "invalid_value", "$.actor.year_group");
}

#[test]
fn negative_year_group() {
    let t = with(|v| v["actor"]["year_group"] = (-1).into());
    assert_error(&t, "invalid_value", "$.actor.year_group");
}

#[test]
fn year_group_on_a_teacher() {
    let t = with(|v| {
        v["actor"] =
            json!({ "role": "teacher", "year_group": 5, "works_directly_with_children": true })
    });
    assert_error(&t, "invalid_value", "$.actor.year_group");
}

#[test]
fn year_group_on_a_parent() {
    let t = with(|v| v["actor"] = json!({ "role": "parent", "year_group": 0 }));
    assert_error(&t, "invalid_value", "$.actor.year_group");
}

#[test]
fn impossible_hour_in_at() {
    let t = with(|v| {
        let c = v["context"].as_object_mut().unwrap();
        c.remove("period");
        c.insert("at".into(), "2026-11-23T25:00".into());
    });
    assert_error(&t, "invalid_date", "$.context.at");
}

#[test]
fn impossible_day_in_at() {
    let t = with(|v| {
        let c = v["context"].as_object_mut().unwrap();
        c.remove("period");
        c.insert("at".into(), "2026-02-30T10:00".into());
    });
    assert_error(&t, "invalid_date", "$.context.at");
}

#[test]
fn at_without_a_time() {
    let t = with(|v| {
        let c = v["context"].as_object_mut().unwrap();
        c.remove("period");
        c.insert("at".into(), "2026-11-23".into());
    });
    assert_error(&t, "invalid_date", "$.context.at");
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
fn unknown_field_in_context() {
    let t = with(|v| v["context"]["weather"] = "rain".into());
    // The key is not quoted, in the path either: the path is its object's.
    assert_error(&t, "unknown_field", "$.context");
}

#[test]
fn unknown_field_in_actor() {
    let t = with(|v| v["actor"]["name"] = "Amy".into());
    assert_error(&t, "unknown_field", "$.actor");
}

#[test]
fn unknown_field_in_device() {
    let t = with(|v| v["device"]["serial"] = "X1".into());
    assert_error(&t, "unknown_field", "$.device");
}

#[test]
fn unknown_top_level_field() {
    let t = with(|v| v["reason"] = "just because".into());
    assert_error(&t, "unknown_field", "$");
}

#[test]
fn missing_action() {
    let t = with(|v| {
        v.as_object_mut().unwrap().remove("action");
    });
    assert_error(&t, "missing_field", "$.action");
}

#[test]
fn missing_location() {
    let t = with(|v| {
        v["context"].as_object_mut().unwrap().remove("location");
    });
    assert_error(&t, "missing_field", "$.context.location");
}

#[test]
fn missing_device_owner() {
    let t = with(|v| {
        v["device"].as_object_mut().unwrap().remove("owner");
    });
    assert_error(&t, "missing_field", "$.device.owner");
}

#[test]
fn wrong_device_kind() {
    let t = with(|v| v["device"]["kind"] = "laptop".into());
    assert_error(&t, "invalid_value", "$.device.kind");
}

#[test]
fn wrong_device_owner() {
    let t = with(|v| v["device"]["owner"] = "borrowed".into());
    assert_error(&t, "invalid_value", "$.device.owner");
}

#[test]
fn unknown_action() {
    let t = with(|v| v["action"] = "livestream".into());
    assert_error(&t, "invalid_value", "$.action");
}

#[test]
fn unknown_location() {
    let t = with(|v| v["context"]["location"] = "car_park".into());
    assert_error(&t, "invalid_value", "$.context.location");
}

#[test]
fn unknown_period() {
    let t = with(|v| v["context"]["period"] = "assembly".into());
    assert_error(&t, "invalid_value", "$.context.period");
}

#[test]
fn unknown_permission_source() {
    let t = with(|v| v["context"]["permission_from"] = "parent".into());
    assert_error(&t, "invalid_value", "$.context.permission_from");
}

#[test]
fn unknown_exception() {
    let t = with(|v| v["context"]["exception"] = "religious".into());
    assert_error(&t, "invalid_value", "$.context.exception");
}

#[test]
fn tri_state_token_for_a_boolean_fact() {
    // children_present is a boolean; "unknown" is said by leaving it out.
    let t = with(|v| v["context"]["children_present"] = "unknown".into());
    assert_error(&t, "invalid_value", "$.context.children_present");
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
