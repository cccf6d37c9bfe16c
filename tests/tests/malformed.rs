//! Malformed requests: each gets its stable error code and the JSON path of
//! the offending value, never a panic.

use safeguard_engine::evaluate_json_with;
use safeguard_tests::{assert_error, err};

/// A valid baseline request with `edit` applied to its JSON value.
fn with(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v = serde_json::json!({
        "schema_version": 1, "domain": "sexting", "policy": "baseline",
        "incident_date": "2025-01-20",
        "young_people": [
            { "id": "a", "age": 15, "role": "subject" },
            { "id": "b", "date_of_birth": "2010-05-01", "role": "recipient" }
        ],
        "facts": { "adult_involved": "no", "content_violent": "no" }
    });
    edit(&mut v);
    v.to_string()
}

#[test]
fn the_base_request_is_valid() {
    assert!(evaluate_json_with(None, &with(|_| {}), None).is_ok());
}

#[test]
fn unknown_top_level_field_such_as_imagery() {
    let t = with(|v| v["imagery"] = "base64...".into());
    assert_error(&t, "unknown_field", Some("$"));
}

#[test]
fn unknown_fact() {
    let t = with(|v| v["facts"]["nudity"] = "yes".into());
    assert_error(&t, "unknown_field", Some("$.facts"));
}

#[test]
fn unknown_field_in_a_young_person() {
    let t = with(|v| v["young_people"][1]["name"] = "Amy".into());
    assert_error(&t, "unknown_field", Some("$.young_people[1]"));
}

#[test]
fn tri_state_with_a_bad_token() {
    let t = with(|v| v["facts"]["content_violent"] = "maybe".into());
    assert_error(&t, "invalid_value", Some("$.facts.content_violent"));
}

#[test]
fn tri_state_as_a_boolean() {
    let t = with(|v| v["facts"]["content_violent"] = true.into());
    assert_error(&t, "invalid_value", Some("$.facts.content_violent"));
}

#[test]
fn bad_role() {
    let t = with(|v| v["young_people"][0]["role"] = "victim".into());
    assert_error(&t, "invalid_value", Some("$.young_people[0].role"));
}

#[test]
fn missing_role() {
    let t = with(|v| {
        v["young_people"][0].as_object_mut().unwrap().remove("role");
    });
    assert_error(&t, "missing_field", Some("$.young_people[0].role"));
}

#[test]
fn missing_id() {
    let t = with(|v| {
        v["young_people"][1].as_object_mut().unwrap().remove("id");
    });
    assert_error(&t, "missing_field", Some("$.young_people[1].id"));
}

#[test]
fn missing_incident_date() {
    let t = with(|v| {
        v.as_object_mut().unwrap().remove("incident_date");
    });
    assert_error(&t, "missing_field", Some("$.incident_date"));
}

#[test]
fn missing_young_people() {
    let t = with(|v| {
        v.as_object_mut().unwrap().remove("young_people");
    });
    assert_error(&t, "missing_field", Some("$.young_people"));
}

#[test]
fn impossible_incident_date() {
    let t = with(|v| v["incident_date"] = "2025-02-30".into());
    assert_error(&t, "invalid_date", Some("$.incident_date"));
}

#[test]
fn year_zero() {
    let t = with(|v| v["young_people"][1]["date_of_birth"] = "0000-01-01".into());
    assert_error(&t, "invalid_date", Some("$.young_people[1].date_of_birth"));
}

#[test]
fn date_in_the_wrong_shape() {
    let t = with(|v| v["incident_date"] = "20/01/2025".into());
    assert_error(&t, "invalid_date", Some("$.incident_date"));
}

#[test]
fn date_of_birth_after_the_incident() {
    let t = with(|v| v["young_people"][1]["date_of_birth"] = "2026-01-01".into());
    assert_error(&t, "invalid_date", Some("$.young_people[1].date_of_birth"));
}

#[test]
fn negative_age() {
    let t = with(|v| v["young_people"][0]["age"] = (-1).into());
    assert_error(&t, "invalid_value", Some("$.young_people[0].age"));
}

#[test]
fn huge_age() {
    let t = with(|v| v["young_people"][0]["age"] = 1_000_000_000_000u64.into());
    assert_error(&t, "invalid_value", Some("$.young_people[0].age"));
}

#[test]
fn implausible_age() {
    let t = with(|v| v["young_people"][0]["age"] = 150.into());
    assert_error(&t, "invalid_value", Some("$.young_people[0].age"));
}

#[test]
fn age_that_disagrees_with_date_of_birth() {
    let t = with(|v| v["young_people"][1]["age"] = 9.into());
    assert_error(&t, "invalid_value", Some("$.young_people[1].age"));
}

#[test]
fn duplicate_young_person_id() {
    let t = with(|v| v["young_people"][1]["id"] = "a".into());
    assert_error(&t, "invalid_value", Some("$.young_people[1].id"));
}

#[test]
fn unknown_domain() {
    let t = with(|v| v["domain"] = "gaming".into());
    assert_error(&t, "invalid_value", Some("$.domain"));
}

#[test]
fn unsupported_schema_version() {
    let t = with(|v| v["schema_version"] = 2.into());
    assert_error(&t, "invalid_value", Some("$.schema_version"));
}

#[test]
fn unknown_policy() {
    let t = with(|v| v["policy"] = "hogwarts".into());
    assert_error(&t, "unknown_policy", Some("$.policy"));
}

#[test]
fn no_policy_and_no_engine() {
    let t = with(|v| {
        v.as_object_mut().unwrap().remove("policy");
    });
    assert_error(&t, "missing_field", Some("$.policy"));
}

#[test]
fn no_domain_and_no_telling_fields() {
    assert_error(
        r#"{"schema_version":1,"policy":"baseline"}"#,
        "missing_field",
        Some("$.domain"),
    );
}

#[test]
fn domain_is_inferred_from_the_fields() {
    let t = with(|v| {
        v.as_object_mut().unwrap().remove("domain");
    });
    let d = evaluate_json_with(None, &t, None).unwrap();
    assert_eq!(d.domain.as_str(), "sexting");
}

#[test]
fn truncated_json() {
    let t = with(|_| {});
    let e = err(&t[..t.len() / 2]);
    assert_eq!(e.code(), "invalid_json");
    assert!(e.location().unwrap().line.is_some());
}

#[test]
fn trailing_garbage() {
    let t = format!("{} x", with(|_| {}));
    assert_eq!(err(&t).code(), "invalid_json");
}

#[test]
fn not_an_object() {
    assert_error("[1,2,3]", "invalid_value", Some("$"));
}

#[test]
fn empty_input() {
    assert_eq!(err("").code(), "invalid_json");
}

#[test]
fn duplicate_key() {
    let t = r#"{"domain":"sexting","policy":"baseline","incident_date":"2025-01-01","incident_date":"2025-01-02","young_people":[]}"#;
    let e = err(t);
    assert_eq!(e.code(), "duplicate_field", "{e}");
    assert_eq!(e.path(), Some("$.incident_date"));
}

#[test]
fn deep_nesting_is_rejected_before_parsing() {
    let t = format!(
        r#"{{"domain":"sexting","x":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert_error(&t, "too_large", Some("$"));
}

#[test]
fn over_one_mebibyte_is_rejected() {
    let t = with(|v| v["young_people"][0]["id"] = "x".repeat(2 << 20).into());
    assert_error(&t, "too_large", Some("$"));
}

#[test]
fn an_escalation_request_needs_whom_the_concern_is_about() {
    let t = r#"{"domain":"escalation","policy":"baseline","category":"sexting"}"#;
    assert_error(t, "missing_field", Some("$.concern_about"));
}

#[test]
fn policy_mismatch_with_an_explicit_engine() {
    let engine = safeguard_engine::Engine::from_preset("hilldene-primary").unwrap();
    let e = engine.evaluate_json(&with(|_| {})).unwrap_err();
    assert_eq!(e.code(), "policy_mismatch");
    assert_eq!(e.path(), Some("$.policy"));
}

#[test]
fn every_error_serialises_with_code_and_message() {
    let e = err(&with(|v| v["facts"]["nudity"] = "yes".into()));
    let v: serde_json::Value = serde_json::from_str(&e.to_json()).unwrap();
    assert_eq!(v["error"]["code"], "unknown_field");
    assert_eq!(v["error"]["path"], "$.facts");
    assert_eq!(
        v["error"]["message"],
        "unknown field at $.facts (line 1, column 82)"
    );
}
