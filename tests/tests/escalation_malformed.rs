//! Malformed escalation requests: each gets its stable error code and the
//! JSON path of the offending value, never a panic and never a plan.

use safeguard_engine::evaluate_json_with;
use safeguard_tests::{assert_valid_under_every_preset, assert_wire_error as assert_error, edited};
use serde_json::{json, Value};

/// A valid baseline escalation request.
fn base() -> Value {
    json!({
        "schema_version": 1, "domain": "escalation", "policy": "baseline",
        "category": "cyberbullying", "concern_about": "pupil",
        "flags": { "immediate_danger": false, "ongoing_or_repeated": true },
        "reported_at": "2026-03-04T10:15"
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

#[test]
fn missing_fields() {
    for field in ["category", "concern_about", "reported_at"] {
        let t = with(|v| {
            v.as_object_mut().unwrap().remove(field);
        });
        assert_error(&t, "missing_field", &format!("$.{field}"));
    }
}

#[test]
fn unknown_tokens() {
    assert_error(
        &with(|v| v["category"] = "phishing".into()),
        "invalid_value",
        "$.category",
    );
    assert_error(
        &with(|v| v["concern_about"] = "caretaker".into()),
        "invalid_value",
        "$.concern_about",
    );
    assert_error(
        &with(|v| v["flags"]["on_fire"] = true.into()),
        "unknown_field",
        "$.flags",
    );
    assert_error(&with(|v| v["urgent"] = true.into()), "unknown_field", "$");
}

#[test]
fn flags_are_booleans_not_tri_states() {
    assert_error(
        &with(|v| v["flags"]["immediate_danger"] = "yes".into()),
        "invalid_value",
        "$.flags.immediate_danger",
    );
    assert_error(
        &with(|v| v["flags"] = json!(["immediate_danger"])),
        "invalid_value",
        "$.flags",
    );
}

#[test]
fn bad_report_times() {
    for bad in [
        "2026-02-30T10:00",
        "2026-03-04",
        "2026-03-04T25:00",
        "2026-03-04T10:15:00Z",
        "04/03/2026 10:15",
        "",
    ] {
        assert_error(
            &with(|v| v["reported_at"] = bad.into()),
            "invalid_date",
            "$.reported_at",
        );
    }
    assert_error(
        &with(|v| v["reported_at"] = 1_700_000_000.into()),
        "invalid_value",
        "$.reported_at",
    );
}

#[test]
fn a_year_out_of_range_is_refused() {
    for bad in ["0000-01-03T10:00", "9999-12-31T23:59"] {
        let t = with(|v| v["reported_at"] = bad.into());
        let e = evaluate_json_with(None, &t, None).unwrap_err();
        assert!(
            ["invalid_date", "invalid_value"].contains(&e.code()),
            "{bad}: {}",
            e.code()
        );
        assert_eq!(e.path(), Some("$.reported_at"), "{bad}");
    }
}

#[test]
fn the_domain_is_inferred_from_the_fields() {
    let t = with(|v| {
        v.as_object_mut().unwrap().remove("domain");
    });
    let d = evaluate_json_with(None, &t, None).unwrap();
    assert_eq!(d.domain.as_str(), "escalation");
}
