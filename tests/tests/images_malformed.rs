//! Malformed images requests: each gets its stable error code and the JSON
//! path of the offending value, never a panic and never a decision; and an
//! oversized roster is decided or refused cleanly.

use safeguard_engine::evaluate_json_with;
use safeguard_tests::{
    assert_each_refused, assert_valid_under_every_preset, assert_wire_error as assert_error,
    edited, err, Malformed,
};
use serde_json::{json, Value};

/// A valid baseline images request.
fn base() -> Value {
    json!({
        "schema_version": 1, "domain": "images", "policy": "baseline",
        "channel": "website",
        "media": { "kind": "photo", "composition": "group", "caption": "Sports day",
                   "filename": "sports-day.jpg", "tags": ["sports day"],
                   "has_geodata": false, "captured_on": "school_device",
                   "suitably_dressed": true },
        "pupils": [
            { "id": "p1", "first_name": "Amy", "last_name": "Smith", "on_roll": true,
              "consent": { "display": "yes", "website": "yes", "prospectus": "yes",
                           "social_media": "no", "press": "no",
                           "name_with_image": "not_asked", "individual_use": "not_asked" } },
            { "id": "p2", "first_name": "Raj", "last_name": "Patel", "on_roll": true,
              "consent": { "website": "yes" } }
        ]
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
    assert_refused(vec![
        row(
            "unknown channel",
            "/channel",
            "billboard".into(),
            "$.channel",
        ),
        row(
            "channel of the wrong type",
            "/channel",
            7.into(),
            "$.channel",
        ),
        row(
            "consent maybe",
            "/pupils/0/consent/website",
            "maybe".into(),
            "$.pupils[0].consent.website",
        ),
        row(
            "consent as a boolean",
            "/pupils/1/consent/website",
            true.into(),
            "$.pupils[1].consent.website",
        ),
        row(
            "duplicate pupil id",
            "/pupils/1/id",
            "p1".into(),
            "$.pupils[1].id",
        ),
        row(
            "empty pupil id",
            "/pupils/0/id",
            "".into(),
            "$.pupils[0].id",
        ),
        row(
            "leaving date on a pupil still on roll",
            "/pupils/0/left_on",
            "2024-07-19".into(),
            "$.pupils[0].left_on",
        ),
        row(
            "unknown restriction",
            "/pupils/0/restriction",
            "witness_protection".into(),
            "$.pupils[0].restriction",
        ),
        row(
            "geodata as a string",
            "/media/has_geodata",
            "yes".into(),
            "$.media.has_geodata",
        ),
    ]);
}

/// A required field left out is refused at its path.
#[test]
fn missing_fields() {
    let row = |name, at, path| Malformed::new(name, at, None, "missing_field", path);
    assert_refused(vec![
        row(
            "missing captured_on",
            "/media/captured_on",
            "$.media.captured_on",
        ),
        row("missing channel", "/channel", "$.channel"),
        row(
            "missing pupil surname",
            "/pupils/1/last_name",
            "$.pupils[1].last_name",
        ),
    ]);
}

/// A leaving date that is no real date (an impossible day, or the wrong
/// format) is refused on a pupil who has left.
#[test]
fn invalid_leaving_dates() {
    for left_on in ["2025-02-30", "19/07/2024"] {
        let t = with(|v| {
            v["pupils"][0]["on_roll"] = false.into();
            v["pupils"][0]["left_on"] = left_on.into();
        });
        assert_error(&t, "invalid_date", "$.pupils[0].left_on");
    }
}

#[test]
fn unknown_consent_purpose() {
    let t = with(|v| v["pupils"][0]["consent"]["yearbook"] = "yes".into());
    let e = err(&t);
    assert_eq!(e.code(), "unknown_field", "{e}");
    // The key is request text: neither the path nor the message quotes it.
    assert_eq!(e.path(), Some("$.pupils[0].consent"), "{e}");
    assert!(!e.to_string().contains("yearbook"), "{e}");
}

#[test]
fn unknown_media_field() {
    let t = with(|v| v["media"]["faces_blurred"] = true.into());
    let e = err(&t);
    assert_eq!(e.code(), "unknown_field", "{e}");
    assert_eq!(e.path(), Some("$.media"), "{e}");
}

#[test]
fn unknown_policy() {
    let t = with(|v| v["policy"] = "hogwarts".into());
    let e = err(&t);
    assert_eq!(e.code(), "unknown_policy", "{e}");
}

#[test]
fn truncated_json() {
    let t = with(|_| {});
    let e = err(&t[..t.len() / 2]);
    assert_eq!(e.code(), "invalid_json", "{e}");
}

/// Checks a response or error for a huge roster: a decision must be a
/// proper images decision, an error must be a clean, coded one.
fn decided_or_refused_cleanly(text: &str, pupils: usize) {
    match evaluate_json_with(None, text, None) {
        Ok(d) => {
            let v: Value = serde_json::from_str(&d.to_json()).expect("response JSON");
            assert_eq!(v["domain"], "images");
            assert!(
                ["publish", "publish_with_changes", "block"]
                    .contains(&v["outcome"].as_str().unwrap_or_default()),
                "outcome {} for {pupils} pupils",
                v["outcome"]
            );
        }
        Err(e) => {
            assert!(
                ["too_large", "invalid_value"].contains(&e.code()),
                "{pupils} pupils refused with an unexpected error: {} {e}",
                e.code()
            );
            let wire: Value = serde_json::from_str(&e.to_json()).expect("error JSON");
            assert_eq!(wire["error"]["code"], e.code());
        }
    }
}

fn roster(n: usize, full_consent: bool) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let consent = if full_consent {
                json!({ "display": "yes", "website": "yes", "prospectus": "yes",
                        "social_media": "withdrawn", "press": "no",
                        "name_with_image": "not_asked", "individual_use": "no" })
            } else {
                json!({ "website": if i % 97 == 0 { "no" } else { "yes" } })
            };
            json!({ "id": format!("p{i}"), "first_name": format!("Ann{i}"),
                    "last_name": "Lee", "on_roll": true, "consent": consent,
                    "restriction": "none" })
        })
        .collect()
}

#[test]
fn ten_thousand_pupils_are_decided_or_refused_cleanly() {
    for full_consent in [false, true] {
        let t = with(|v| {
            v["media"]["caption"] = "Whole-school photo with Ann17 Lee and Ann9999".into();
            v["pupils"] = roster(10_000, full_consent).into();
        });
        decided_or_refused_cleanly(&t, 10_000);
    }
    // A bare roster small enough to fit the request size limit: the whole
    // list is checked (no consent on record, so every pupil is ruled out).
    let bare: Vec<Value> = (0..10_000)
        .map(|i| json!({ "id": format!("p{i}"), "first_name": "Al", "last_name": "Li", "on_roll": true }))
        .collect();
    let t = with(|v| v["pupils"] = bare.into());
    decided_or_refused_cleanly(&t, 10_000);
    if let Ok(d) = evaluate_json_with(None, &t, None) {
        let v: Value = serde_json::from_str(&d.to_json()).expect("response JSON");
        assert_eq!(v["outcome"], "block", "no pupil has website consent");
    }
}

#[test]
fn a_roster_under_the_size_limit_is_decided() {
    // 1,000 short pupils are well under any sensible request limit.
    let t = with(|v| v["pupils"] = roster(1_000, false).into());
    let d = evaluate_json_with(None, &t, None).unwrap_or_else(|e| panic!("refused: {e}"));
    let v: Value = serde_json::from_str(&d.to_json()).expect("response JSON");
    // Pupils without website consent (every 97th) are left out of the group.
    assert_eq!(v["outcome"], "publish_with_changes", "{v}");
    let changes = v["changes"].as_array().expect("changes");
    assert!(changes.iter().any(|c| c == "exclude_pupil:p97"), "{v}");
    assert!(
        !d.to_json().contains("Ann97"),
        "a name leaked into the response"
    );
}
