//! The devices scenario corpus: every file in `tests/scenarios/devices/`,
//! evaluated through the JSON entry point and checked against the
//! expectations written in the file.
//!
//! A scenario file:
//!
//! ```json
//! { "request": { ...wire request, "domain": "devices", "policy": ... },
//!   "expect": { "outcome": "allow" | "allow_with_conditions" | "deny",
//!               "conditions": [...]?,          // exact, compared as a set
//!               "conditions_include": [...]?,  // at least these
//!               "reasons_include": [...]?,     // rule ids among the reasons
//!               "on_breach": [...]?,           // exact, compared as a set
//!               "on_breach_include": [...]?,
//!               "decided_by": "headteacher"?,
//!               "period": "..."?,              // the period the response reports
//!               "unknowns": [...]? },          // exact, compared as a set
//!   "cite": { "source": "...", "section": "..." },
//!   "why": "..." }
//! ```
//!
//! Expectations come from the policy texts in `../shared/policies/` (and the
//! national guidance for `baseline`), not from the engine's answers. Every
//! failure is collected (prefixed with the file name) and reported together,
//! so one run shows everything that is wrong.

use safeguard_tests::{
    check_corpus, check_includes, check_outcome, check_request_names, check_same_set,
    corpus_balance_failures, evaluated, reasons_are_explained, scenario_parts, tokens_at,
};
use serde_json::Value;

const OUTCOMES: [&str; 3] = ["allow", "allow_with_conditions", "deny"];

const NOT_COVERED: &str = "devices.not_covered";

/// Keys an `expect` object may hold; anything else is a typo in the corpus.
const EXPECT_KEYS: [&str; 9] = [
    "outcome",
    "conditions",
    "on_breach",
    "conditions_include",
    "reasons_include",
    "on_breach_include",
    "decided_by",
    "period",
    "unknowns",
];

/// Checks that hold for every devices response, whatever the request.
fn check_response_shape(response: &Value, errs: &mut Vec<String>) {
    if response.get("schema_version") != Some(&Value::from(1)) {
        errs.push(format!(
            "schema_version is {:?}, not 1",
            response.get("schema_version")
        ));
    }
    if response.get("domain").and_then(Value::as_str) != Some("devices") {
        errs.push(format!(
            "domain is {:?}, not devices",
            response.get("domain")
        ));
    }
    if let Err(e) = reasons_are_explained(response) {
        errs.extend(e);
    }
    let outcome = response.get("outcome").and_then(Value::as_str);
    let conditions = tokens_at(response, "conditions", None);
    match outcome {
        Some("allow_with_conditions") if conditions.is_empty() => {
            errs.push("allow_with_conditions without any condition".into())
        }
        Some("allow") | Some("deny") if !conditions.is_empty() => errs.push(format!(
            "outcome {outcome:?} carries conditions {conditions:?}"
        )),
        _ => {}
    }
    let rules = tokens_at(response, "reasons", Some("rule"));
    let decided_by = response.get("decided_by").and_then(Value::as_str);
    if rules.iter().any(|r| r == NOT_COVERED) {
        if rules.len() != 1 {
            errs.push(format!(
                "`{NOT_COVERED}` given alongside other rules: {rules:?}"
            ));
        }
        if outcome != Some("deny") {
            errs.push(format!("not covered, yet the outcome is {outcome:?}"));
        }
        if decided_by != Some("headteacher") {
            errs.push(format!(
                "not covered, yet decided_by is {decided_by:?}, not headteacher"
            ));
        }
    } else if decided_by.is_some() {
        errs.push(format!(
            "decided_by {decided_by:?} on a request the policy covers ({rules:?})"
        ));
    }
}

/// Checks one scenario file; returns its failures (empty when it passes).
fn check_scenario(doc: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    let Some((request, expect)) = scenario_parts(doc, Some(&EXPECT_KEYS), &mut errs) else {
        return errs;
    };
    check_request_names(request, Some("devices"), &mut errs);

    let Some((_, response)) = evaluated(request, &mut errs) else {
        return errs;
    };
    check_response_shape(&response, &mut errs);

    let outcome = response.get("outcome").and_then(Value::as_str);
    let rules = tokens_at(&response, "reasons", Some("rule"));
    let conditions = tokens_at(&response, "conditions", None);
    let on_breach = tokens_at(&response, "on_breach", None);
    let unknowns = tokens_at(&response, "unknowns", None);
    // What the engine said, appended to every failure of this file.
    let said = format!(
        "[engine: outcome {outcome:?}, rules {rules:?}, conditions {conditions:?}, on_breach {on_breach:?}, unknowns {unknowns:?}]"
    );
    let before = errs.len();

    check_outcome(expect, outcome, &OUTCOMES, "a devices outcome", &mut errs);
    check_same_set(expect, "conditions", &conditions, &mut errs);
    check_includes(
        expect,
        "conditions_include",
        "conditions",
        &conditions,
        &mut errs,
    );
    check_includes(expect, "reasons_include", "reason rules", &rules, &mut errs);
    check_includes(
        expect,
        "on_breach_include",
        "on_breach",
        &on_breach,
        &mut errs,
    );
    check_same_set(expect, "on_breach", &on_breach, &mut errs);
    check_same_set(expect, "unknowns", &unknowns, &mut errs);
    for key in ["decided_by", "period"] {
        if let Some(want) = expect.get(key) {
            let got = response.get(key);
            if got != Some(want) {
                errs.push(format!("{key}: expected {want}, got {got:?}"));
            }
        }
    }
    if errs.len() > before {
        errs.push(said);
    }
    errs
}

#[test]
fn devices_scenarios() {
    check_corpus("devices", 72, check_scenario);
}

/// The corpus is named `NNN-short-name.json` with unique numbers, has at
/// least 12 requests per policy, and reaches every outcome, a `context.at`
/// time and the not-covered answer.
#[test]
fn devices_scenarios_are_well_formed_and_cover_the_policies() {
    let mut with_at = 0;
    let mut not_covered = 0;
    let mut failures = corpus_balance_failures("devices", 12, &OUTCOMES, |doc| {
        if doc.pointer("/request/context/at").is_some() {
            with_at += 1;
        }
        let nc = doc
            .pointer("/expect/reasons_include")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|x| x == NOT_COVERED));
        if nc {
            not_covered += 1;
        }
    });
    if with_at < 5 {
        failures.push(format!(
            "only {with_at} scenarios give `context.at`; want at least 5"
        ));
    }
    if not_covered == 0 {
        failures.push(format!("no scenario expects `{NOT_COVERED}`"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
