//! Issue 22's check that a devices yes/no fact is declared once: the flag
//! `supervised` was added by one entry in `core/src/devices/flags.rs` (with
//! its `Fact` bit and its two wire fields) and is matched, named among
//! `unknowns` and linted like every other flag.

use safeguard_engine::Engine;
use serde_json::{json, Value};

const POLICY: &str = r#"
[policy]
id = "test-school"
name = "Test School"
version = "1"
source = "test"
extends = "baseline"

[[devices.rules]]
id = "devices.test.photography_in_the_hall"
effect = "allow"
roles = ["pupil"]
devices = ["camera"]
owner = "school"
actions = ["photograph_pupils"]
locations = ["hall"]
summary = "Pupils photograph each other with the school's cameras in the hall."
cite = { source = "test", section = "test" }

[[devices.rules]]
id = "devices.test.never_unsupervised"
effect = "forbid"
roles = ["pupil"]
devices = ["camera"]
owner = "school"
actions = ["photograph_pupils"]
supervised = false
summary = "Pupils never photograph each other unless staff supervise."
cite = { source = "test", section = "test" }
"#;

fn decide(supervised: Option<bool>) -> Value {
    let mut request = json!({
        "domain": "devices", "policy": "test-school",
        "actor": { "role": "pupil", "year_group": 5 },
        "device": { "kind": "camera", "owner": "school" },
        "action": "photograph_pupils",
        "context": { "location": "hall", "period": "lesson", "children_present": true,
                     "exception": "none" } });
    if let Some(s) = supervised {
        request["context"]["supervised"] = json!(s);
    }
    let engine = Engine::from_toml(POLICY).expect("the policy loads");
    let answer = engine
        .evaluate_json(&request.to_string())
        .expect("the request is decided");
    serde_json::from_str(&answer).expect("the answer is JSON")
}

#[test]
fn the_new_flag_is_matched_and_named_when_left_out() {
    let yes = decide(Some(true));
    assert_eq!(yes["outcome"], "allow", "{yes}");
    assert_eq!(
        yes["reasons"][0]["rule"],
        "devices.test.photography_in_the_hall"
    );
    let no = decide(Some(false));
    assert_eq!(no["outcome"], "deny", "{no}");
    assert_eq!(
        no["reasons"][0]["rule"], "devices.test.never_unsupervised",
        "{no}"
    );
    assert_eq!(no["unknowns"], json!([]), "{no}");
    let unsaid = decide(None);
    assert_eq!(unsaid["outcome"], "deny", "{unsaid}");
    assert_eq!(
        unsaid["unknowns"],
        json!(["context.supervised"]),
        "{unsaid}"
    );
}

#[test]
fn the_linter_walks_and_names_the_new_flag() {
    let engine = Engine::from_toml(POLICY).expect("the policy loads");
    let report = engine.lint().expect("the policy lints");
    let json = serde_json::to_value(&report).expect("the report is JSON");
    let contradiction = json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["kind"] == "contradiction")
        .unwrap_or_else(|| panic!("no contradiction: {report}"));
    assert_eq!(
        contradiction["rules"],
        json!([
            "devices.test.never_unsupervised",
            "devices.test.photography_in_the_hall"
        ])
    );
    assert_eq!(contradiction["example"]["context"]["supervised"], false);
    let message = contradiction["message"].as_str().unwrap_or_default();
    assert!(message.contains("supervised: no"), "{message}");
}
