//! The escalation scenario corpus: every file in `tests/scenarios/escalation/`,
//! and the public examples `examples/escalation-*.json`, evaluated through
//! the JSON entry point and checked against the expectations in the file.
//!
//! A scenario file:
//!
//! ```json
//! { "request": { ...wire request, "domain": "escalation", "policy": ... },
//!   "expect": { "outcome": "notify",
//!               "notify_include": [...]?,   // recipients of `notify` steps, at least these
//!               "notify_exclude": [...]?,   // recipients no `notify` step may have
//!               "actions_include": [...]?,  // action tokens of any step
//!               "actions_exclude": [...]?,
//!               "first": "<who>"?,          // the recipient of the first step
//!               "due": { "<who>": "YYYY-MM-DDTHH:MM" }?,      // due of the notify step
//!               "contact_contains": { "<who>": "text" }?,    // its contact line
//!               "reasons_include": [...]?,  // rule ids among the reasons
//!               "must_include": [...]?,     // quoted strings the response has
//!               "must_not_include": [...]? },
//!   "cite": { "source": "...", "section": "..." },
//!   "why": "..." }
//! ```
//!
//! Expectations come from the policy texts in `../shared/policies/` (and the
//! national guidance for `baseline`), not from the engine's answers.
//!
//! Every response is also checked for the invariants of SPEC §6: reasons are
//! explained; nobody the concern is about receives any step; with immediate
//! danger the first step is the 999 call; every due time is at or after the
//! report time; the same request gives the same bytes twice.

use safeguard_engine::Engine;
use safeguard_tests::{
    check_corpus, check_each, check_quoted_tokens, coverage_failures, evaluated, non_empty_str,
    reasons_are_explained, scenario_files, scenario_parts, string_list,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

const CATEGORIES: [&str; 16] = [
    "sexting",
    "online_sexual_abuse",
    "indecent_images",
    "radicalisation",
    "online_hate",
    "cyberbullying",
    "inappropriate_content_accidental",
    "inappropriate_content_deliberate",
    "filtering_breach",
    "staff_misuse",
    "data_breach",
    "sexual_harassment",
    "harmful_social_media_post",
    "inappropriate_contact",
    "self_harm_content",
    "device_policy_breach",
];

const EXPECT_KEYS: [&str; 11] = [
    "outcome",
    "notify_include",
    "notify_exclude",
    "actions_include",
    "actions_exclude",
    "first",
    "due",
    "contact_contains",
    "reasons_include",
    "must_include",
    "must_not_include",
];

/// Who may never receive a concern about each subject.
fn never_told(about: &str) -> &'static [&'static str] {
    match about {
        "headteacher" => &["headteacher"],
        "dsl" => &["dsl"],
        "governor" => &["chair_of_governors", "safeguarding_governor"],
        "parent" => &["parents"],
        _ => &[],
    }
}

/// The invariants every escalation response must hold; returns failures.
pub fn check_invariants(request: &Value, response: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    if let Err(e) = reasons_are_explained(response) {
        errs.extend(e);
    }
    let steps = response["actions"].as_array().cloned().unwrap_or_default();
    if steps.is_empty() {
        errs.push("the plan has no steps".into());
    }
    let about = request["concern_about"].as_str().unwrap_or("");
    let reported = request["reported_at"].as_str().unwrap_or("");
    for (i, s) in steps.iter().enumerate() {
        let who = s["who"].as_str().unwrap_or("");
        if never_told(about).contains(&who) {
            errs.push(format!(
                "step {i} goes to `{who}`, whom the concern is about"
            ));
        }
        if !non_empty_str(s, "/detail") || !non_empty_str(s, "/rule") {
            errs.push(format!("step {i} has no detail or rule"));
        }
        match s["due"].as_str() {
            Some(due) if due < reported => errs.push(format!(
                "step {i} is due {due}, before the report at {reported}"
            )),
            None if s["deadline"] != "when_facts_established" => {
                errs.push(format!("step {i} has a deadline but no due time"))
            }
            _ => {}
        }
    }
    if request["flags"]["immediate_danger"] == true
        && steps.first().map(|s| (&s["action"], &s["who"]))
            != Some((&Value::from("notify"), &Value::from("police_999")))
    {
        errs.push("immediate danger: the first step must be the 999 call".into());
    }
    errs
}

fn tokens(steps: &[Value], action: Option<&str>, field: &str) -> BTreeSet<String> {
    steps
        .iter()
        .filter(|s| action.is_none_or(|a| s["action"] == a))
        .filter_map(|s| s[field].as_str().map(str::to_string))
        .collect()
}

fn check_scenario(doc: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    let Some((request, expect)) = scenario_parts(doc, Some(&EXPECT_KEYS), &mut errs) else {
        return errs;
    };
    let Some((json, response)) = evaluated(request, &mut errs) else {
        return errs;
    };
    errs.extend(check_invariants(request, &response));
    if expect.get("outcome") != response.get("outcome") {
        errs.push(format!(
            "outcome: expected {}, got {}",
            expect["outcome"], response["outcome"]
        ));
    }
    let steps = response["actions"].as_array().cloned().unwrap_or_default();
    let notified = tokens(&steps, Some("notify"), "who");
    let actions = tokens(&steps, None, "action");
    let reasons: BTreeSet<String> = response["reasons"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["rule"].as_str().map(str::to_string))
        .collect();
    let mut list = |key: &str, have: &BTreeSet<String>, want: bool| match string_list(expect, key) {
        Ok(Some(items)) => {
            for t in items {
                if have.contains(&t) != want {
                    let verb = if want { "lacks" } else { "has" };
                    errs.push(format!("{key}: the plan {verb} `{t}`: {json}"));
                }
            }
        }
        Ok(None) => {}
        Err(e) => errs.push(format!("expect.{e}")),
    };
    list("notify_include", &notified, true);
    list("notify_exclude", &notified, false);
    list("actions_include", &actions, true);
    list("actions_exclude", &actions, false);
    list("reasons_include", &reasons, true);
    if let Some(first) = expect.get("first") {
        if steps.first().map(|s| &s["who"]) != Some(first) {
            errs.push(format!("first step: expected {first}: {json}"));
        }
    }
    let notify_step = |who: &str| {
        steps
            .iter()
            .find(|s| s["action"] == "notify" && s["who"] == who)
    };
    if let Some(due) = expect.get("due").and_then(Value::as_object) {
        for (who, want) in due {
            let got = notify_step(who).map(|s| &s["due"]);
            if got != Some(want) {
                errs.push(format!("due for {who}: expected {want}, got {got:?}"));
            }
        }
    }
    if let Some(cc) = expect.get("contact_contains").and_then(Value::as_object) {
        for (who, want) in cc {
            let got = notify_step(who).and_then(|s| s["contact"].as_str());
            if !got.is_some_and(|c| want.as_str().is_some_and(|w| c.contains(w))) {
                errs.push(format!("contact for {who}: expected {want} in {got:?}"));
            }
        }
    }
    check_quoted_tokens(expect, &json, &mut errs);
    errs
}

#[test]
fn escalation_scenarios() {
    check_corpus("escalation", 45, check_scenario);
}

#[test]
fn the_corpus_covers_every_policy_and_category() {
    let failures = coverage_failures(
        "escalation",
        &[
            ("/request/policy", Engine::presets()),
            ("/request/category", &CATEGORIES),
        ],
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The public examples use `must_include` / `must_not_include` over the
/// whole response.
#[test]
fn escalation_public_examples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let files = scenario_files(&dir, |n| n.starts_with("escalation-"));
    assert!(
        files.len() >= 2,
        "no escalation-*.json in {}",
        dir.display()
    );
    check_each(&files, |doc| {
        let mut errs = Vec::new();
        let Some((json, response)) = evaluated(&doc["request"], &mut errs) else {
            return errs;
        };
        errs.extend(check_invariants(&doc["request"], &response));
        if doc["expect"]["outcome"] != response["outcome"] {
            errs.push(format!("outcome: got {}", response["outcome"]));
        }
        check_quoted_tokens(&doc["expect"], &json, &mut errs);
        errs
    });
}
