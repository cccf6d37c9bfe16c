//! The scenario corpus: every file in `tests/scenarios/sexting/` and the
//! public examples in `examples/sexting-*.json`, evaluated through the JSON
//! entry point and checked against the expectations written in the file.
//!
//! A scenario file:
//!
//! ```json
//! { "request": { ...wire request... },
//!   "expect": { "outcome": "...", "criteria": [...], "referral_to": [...],
//!               "unknowns": [...]?, "unknown_criteria": [...]?,
//!               "actions_include": [...], "actions_exclude": [...],
//!               "reasons_include": [...]?, "reasons_exclude": [...]?,
//!               "steps": [ { "action": "...", "who": "...", "deadline": "..."?,
//!                            "rule": "..."? } ]? },
//!   "cite": { "source": "...", "section": "..." },
//!   "why": "..." }
//! ```
//!
//! Each entry of `steps` is one step of the answer's plan (SPEC §1.8): the
//! answer must tell `who` exactly once, however it spells that (its own
//! `action` or `notify`, in `actions` or in any second list of steps), and
//! that once must be `action`, with the `deadline` and citing the `rule`
//! given.
//!
//! or, for a request that must be refused,
//! `"expect": { "error": { "code": "...", "path": "..." } }`.
//!
//! Every failure is collected (prefixed with the file name) and reported
//! together, so one run shows everything that is wrong.

use safeguard_engine::{evaluate_json_with, Engine};
use safeguard_tests::{
    check_corpus, check_each, check_includes, check_outcome, check_quoted_tokens,
    check_request_names, coverage_failures, evaluated, expected_list, non_empty_str,
    reasons_are_explained, scenario_files, scenario_parts, string_list, tokens_at,
};
use serde_json::Value;
use std::path::Path;

const OUTCOMES: [&str; 4] = [
    "child_sexual_abuse",
    "refer_immediately",
    "need_more_information",
    "dsl_may_manage_in_school",
];

/// Checks that hold for every response, whatever the request.
fn check_response_shape(response: &Value, errs: &mut Vec<String>) {
    if let Err(e) = reasons_are_explained(response) {
        errs.extend(e);
    }
    match response.get("actions").and_then(Value::as_array) {
        None => errs.push("response has no `actions` list".into()),
        Some(actions) => {
            for (i, a) in actions.iter().enumerate() {
                for field in ["/action", "/who", "/deadline"] {
                    if !non_empty_str(a, field) {
                        errs.push(format!("actions[{i}]{field} is missing or empty: {a}"));
                    }
                }
            }
        }
    }
    // SPEC §3: every answer carries the initial-review checklist.
    match response.get("review_checklist").and_then(Value::as_array) {
        Some(items) if !items.is_empty() => {
            for (i, c) in items.iter().enumerate() {
                if !non_empty_str(c, "/item") || !non_empty_str(c, "/question") {
                    errs.push(format!(
                        "review_checklist[{i}] lacks an item or question: {c}"
                    ));
                }
            }
        }
        _ => errs.push("response has no initial-review checklist".into()),
    }
    if response.get("schema_version") != Some(&Value::from(1)) {
        errs.push(format!(
            "schema_version is {:?}, not 1",
            response.get("schema_version")
        ));
    }
    if response.get("domain").and_then(Value::as_str) != Some("sexting") {
        errs.push(format!(
            "domain is {:?}, not sexting",
            response.get("domain")
        ));
    }
}

/// Principle 6: the response never echoes a date of birth from the request.
fn check_no_personal_data(request: &Value, json: &str, errs: &mut Vec<String>) {
    let people = request
        .get("young_people")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for p in people {
        if let Some(dob) = p.get("date_of_birth").and_then(Value::as_str) {
            if json.contains(dob) {
                errs.push(format!("the response echoes the date of birth {dob}"));
            }
        }
    }
}

/// Checks that the response's list `key` is exactly `expected`, in order,
/// when the scenario gives it.
fn compare_list(
    expected: Option<Vec<String>>,
    response: &Value,
    key: &str,
    errs: &mut Vec<String>,
) {
    let Some(expected) = expected else { return };
    match string_list(response, key) {
        Ok(Some(actual)) if actual == expected => {}
        Ok(Some(actual)) => errs.push(format!("{key}: expected {expected:?}, got {actual:?}")),
        Ok(None) => errs.push(format!(
            "{key}: expected {expected:?}, response has no `{key}`"
        )),
        Err(e) => errs.push(format!("{key}: {e}")),
    }
}

/// Checks that `actual` (the response's `what`) holds every token of
/// `expect[include]` and none of `expect[exclude]`.
fn check_membership(
    expect: &Value,
    what: &str,
    actual: &[String],
    (include, exclude): (&str, &str),
    errs: &mut Vec<String>,
) {
    check_includes(expect, include, what, actual, errs);
    for t in expected_list(expect, exclude, errs).unwrap_or_default() {
        if actual.contains(&t) {
            errs.push(format!(
                "{what} should not include `{t}` but are {actual:?}"
            ));
        }
    }
}

/// Checks one scenario file; returns its failures (empty when it passes).
fn check_scenario(doc: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    let Some((request, expect)) = scenario_parts(doc, None, &mut errs) else {
        return errs;
    };
    check_request_names(request, None, &mut errs);

    // A request that must be refused.
    if let Some(error) = expect.get("error") {
        let text = request.to_string();
        match evaluate_json_with(None, &text, None) {
            Ok(d) => errs.push(format!(
                "expected error {error}, got outcome {}",
                d.outcome.as_str()
            )),
            Err(e) => {
                if let Some(code) = error.get("code").and_then(Value::as_str) {
                    if e.code() != code {
                        errs.push(format!(
                            "error code: expected {code}, got {} ({e})",
                            e.code()
                        ));
                    }
                }
                if let Some(path) = error.get("path").and_then(Value::as_str) {
                    if e.path() != Some(path) {
                        errs.push(format!(
                            "error path: expected {path}, got {:?} ({e})",
                            e.path()
                        ));
                    }
                }
            }
        }
        return errs;
    }

    let Some((json, response)) = evaluated(request, &mut errs) else {
        return errs;
    };
    check_response_shape(&response, &mut errs);
    check_no_personal_data(request, &json, &mut errs);

    let outcome = response.get("outcome").and_then(Value::as_str);
    check_outcome(expect, outcome, &OUTCOMES, "a sexting outcome", &mut errs);

    let lists = [
        ("criteria", true),
        ("referral_to", true),
        ("unknowns", false),
        ("unknown_criteria", false),
    ];
    for (key, required) in lists {
        let want = expected_list(expect, key, &mut errs);
        if required && want.is_none() {
            errs.push(format!("expect.{key} is required"));
        }
        compare_list(want, &response, key, &mut errs);
    }

    let actions = tokens_at(&response, "actions", Some("action"));
    let keys = ("actions_include", "actions_exclude");
    check_membership(expect, "actions", &actions, keys, &mut errs);
    let rules = tokens_at(&response, "reasons", Some("rule"));
    let keys = ("reasons_include", "reasons_exclude");
    check_membership(expect, "reason rules", &rules, keys, &mut errs);
    check_steps(expect, &response, &mut errs);
    errs
}

/// `expect.steps`: each names a step that the plan holds exactly once.
fn check_steps(expect: &Value, response: &Value, errs: &mut Vec<String>) {
    let Some(wanted) = expect.get("steps") else {
        return;
    };
    let Some(wanted) = wanted.as_array() else {
        errs.push("expect.steps is not a list".into());
        return;
    };
    // Every step the answer lists, wherever it lists it.
    let mut steps: Vec<&Value> = Vec::new();
    for list in [&response["actions"], &response["escalation"]["actions"]] {
        steps.extend(list.as_array().into_iter().flatten());
    }
    for w in wanted {
        let field = |k: &str| w.get(k).and_then(Value::as_str);
        let (Some(action), Some(who)) = (field("action"), field("who")) else {
            errs.push(format!("expect.steps entry needs `action` and `who`: {w}"));
            continue;
        };
        let found: Vec<&&Value> = steps
            .iter()
            .filter(|s| s["who"] == who && (s["action"] == action || s["action"] == "notify"))
            .collect();
        let [one] = found.as_slice() else {
            errs.push(format!(
                "`{action}` to `{who}` should be one step, found {}: {found:?}",
                found.len()
            ));
            continue;
        };
        for key in ["action", "deadline", "rule"] {
            if let Some(want) = field(key) {
                if one[key] != want {
                    errs.push(format!(
                        "`{action}` to `{who}`: {key} should be `{want}`, is {}",
                        one[key]
                    ));
                }
            }
        }
    }
}

/// Checks one public example; returns its failures.
fn check_example(doc: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    let (Some(request), Some(expect)) = (doc.get("request"), doc.get("expect")) else {
        return vec!["needs `request` and `expect`".into()];
    };
    let Some((json, response)) = evaluated(request, &mut errs) else {
        return errs;
    };
    check_response_shape(&response, &mut errs);
    check_no_personal_data(request, &json, &mut errs);
    let want = expect.get("outcome").and_then(Value::as_str);
    let got = response.get("outcome").and_then(Value::as_str);
    if want.is_none() || want != got {
        errs.push(format!("outcome: expected {want:?}, got {got:?}"));
    }
    check_quoted_tokens(expect, &json, &mut errs);
    errs
}

#[test]
fn sexting_scenarios() {
    check_corpus("sexting", 40, check_scenario);
}

/// The corpus is named `NNN-short-name.json` with unique numbers, and
/// reaches every policy and every outcome.
#[test]
fn sexting_scenarios_are_well_formed_and_cover_the_policies() {
    let failures = coverage_failures(
        "sexting",
        &[
            ("/request/policy", Engine::presets()),
            ("/expect/outcome", &OUTCOMES),
        ],
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sexting_public_examples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let files = scenario_files(&dir, |n| n.starts_with("sexting-"));
    assert!(!files.is_empty(), "no sexting-*.json in {}", dir.display());
    check_each(&files, check_example);
}
