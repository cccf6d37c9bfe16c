//! Malformed requests: each gets its stable error code and the JSON path of
//! the offending value, never a panic.

use safeguard_engine::evaluate_json_with;
use safeguard_tests::{assert_each_refused, assert_error, edited, err, Malformed};
use serde_json::{json, Value};

/// A valid baseline request.
fn base() -> Value {
    json!({
        "schema_version": 1, "domain": "sexting", "policy": "baseline",
        "incident_date": "2025-01-20",
        "young_people": [
            { "id": "a", "age": 15, "role": "subject" },
            { "id": "b", "date_of_birth": "2010-05-01", "role": "recipient" }
        ],
        "facts": { "adult_involved": "no", "content_violent": "no" }
    })
}

/// The base request with `edit` applied to its JSON value.
fn with(edit: impl FnOnce(&mut Value)) -> String {
    edited(base(), edit)
}

/// Asserts that each case is refused with its code at its path.
fn assert_refused(cases: Vec<Malformed>) {
    assert_each_refused(&base(), cases, |text, code, path| {
        assert_error(text, code, Some(path))
    });
}

#[test]
fn the_base_request_is_valid() {
    assert!(evaluate_json_with(None, &with(|_| {}), None).is_ok());
}

/// A field the wire does not know is refused at its object.
#[test]
fn unknown_fields() {
    let row = |name, at, value: &str, path| {
        Malformed::new(name, at, Some(value.into()), "unknown_field", path)
    };
    assert_refused(vec![
        row(
            "a top-level field such as imagery",
            "/imagery",
            "base64...",
            "$",
        ),
        row("an unknown fact", "/facts/nudity", "yes", "$.facts"),
        row(
            "in a young person",
            "/young_people/1/name",
            "Amy",
            "$.young_people[1]",
        ),
    ]);
}

/// A value outside its token set, type or range is refused at its path.
#[test]
fn invalid_values() {
    let row =
        |name, at, value: Value, path| Malformed::new(name, at, Some(value), "invalid_value", path);
    let violent = "$.facts.content_violent";
    assert_refused(vec![
        row(
            "tri-state with a bad token",
            "/facts/content_violent",
            "maybe".into(),
            violent,
        ),
        row(
            "tri-state as a boolean",
            "/facts/content_violent",
            true.into(),
            violent,
        ),
        row(
            "bad role",
            "/young_people/0/role",
            "victim".into(),
            "$.young_people[0].role",
        ),
        row(
            "negative age",
            "/young_people/0/age",
            (-1).into(),
            "$.young_people[0].age",
        ),
        row(
            "huge age",
            "/young_people/0/age",
            1_000_000_000_000u64.into(),
            "$.young_people[0].age",
        ),
        row(
            "implausible age",
            "/young_people/0/age",
            150.into(),
            "$.young_people[0].age",
        ),
        row(
            "age that disagrees with the date of birth",
            "/young_people/1/age",
            9.into(),
            "$.young_people[1].age",
        ),
        row(
            "duplicate young person id",
            "/young_people/1/id",
            "a".into(),
            "$.young_people[1].id",
        ),
        row("unknown domain", "/domain", "gaming".into(), "$.domain"),
        row(
            "unsupported schema version",
            "/schema_version",
            2.into(),
            "$.schema_version",
        ),
    ]);
}

/// A date that is no real date, or comes too late, is refused at its path.
#[test]
fn invalid_dates() {
    let row = |name, at, value: &str, path| {
        Malformed::new(name, at, Some(value.into()), "invalid_date", path)
    };
    let dob = "$.young_people[1].date_of_birth";
    assert_refused(vec![
        row(
            "impossible incident date",
            "/incident_date",
            "2025-02-30",
            "$.incident_date",
        ),
        row(
            "year zero",
            "/young_people/1/date_of_birth",
            "0000-01-01",
            dob,
        ),
        row(
            "date in the wrong shape",
            "/incident_date",
            "20/01/2025",
            "$.incident_date",
        ),
        row(
            "date of birth after the incident",
            "/young_people/1/date_of_birth",
            "2026-01-01",
            dob,
        ),
    ]);
}

/// A required field left out is refused at its path; so is a request with
/// no policy when no engine is given either.
#[test]
fn missing_fields() {
    let row = |name, at, path| Malformed::new(name, at, None, "missing_field", path);
    assert_refused(vec![
        row(
            "missing role",
            "/young_people/0/role",
            "$.young_people[0].role",
        ),
        row("missing id", "/young_people/1/id", "$.young_people[1].id"),
        row("missing incident date", "/incident_date", "$.incident_date"),
        row("missing young people", "/young_people", "$.young_people"),
        row("no policy and no engine", "/policy", "$.policy"),
    ]);
}

#[test]
fn unknown_policy() {
    let t = with(|v| v["policy"] = "hogwarts".into());
    assert_error(&t, "unknown_policy", Some("$.policy"));
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
