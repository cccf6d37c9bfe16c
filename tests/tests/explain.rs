//! The engine's plain-English explanation (issue 23) is written for a
//! person: its text never shows a wire token of the decision, a rule id or
//! a JSON path.
//!
//! Every request of the scenario corpus (`scenarios/*/`) and of the public
//! examples (`examples/`) is decided under
//! the policy it names and under every preset, and each decision's
//! [`Explanation::to_text`] is searched for:
//! - every token of the decision that is not an ordinary English word:
//!   each string of the decision's JSON, outside its free-text fields, that
//!   holds `_`, `.` or `:` (an action `report_to_dsl`, an outcome
//!   `allow_with_conditions`, a `Who` `police_999`, a condition, a change,
//!   an unknown fact `context.period`, a blocked reason `no_consent:press`),
//!   and the part of it before a `:`. A one-word token (`allow`, `police`,
//!   `parents`) is an English word the text rightly uses, so it is not
//!   searched for;
//! - every rule id (`reasons[].rule`, `actions[].rule`, `blocked[].rule`);
//! - `$.`, the start of a JSON path, and `` ` ``, which marks a field name.
//!
//! A token spelled with spaces ("hand in to office", as the CLI printed
//! before issue 23) is not searched for: many read as the English they
//! name ("Hold the initial review meeting"). The engine gives every token
//! its words by an exhaustive match instead, so there is no fallback that
//! could print one.
//!
//! The same tokens stay available as the explanation's fields: each step
//! keeps its action, who and deadline, each question its fact, each rule
//! its id.

use safeguard_engine::{evaluate_json_with, Decision, Engine};
use safeguard_tests::{json_files, load, scenario_dir};
use serde_json::Value;

/// The decision's fields whose strings are free text or caller data, not
/// tokens: the policy's own words, citations, contacts, ids and versions.
const FREE_TEXT: &[&str] = &[
    "summary", "detail", "contact", "source", "section", "question", "digest", "engine", "version",
    "id", "due", "image", "pupil",
];

/// Every token of `value` (a decision's JSON) to look for in its text.
fn tokens(value: &Value, key: &str, out: &mut Vec<String>) {
    match value {
        Value::String(s) if !FREE_TEXT.contains(&key) => {
            let compound = |t: &str| t.contains(['_', '.', ':']);
            if compound(s) {
                out.push(s.clone());
            }
            if let Some((head, _)) = s.split_once(':') {
                if compound(head) {
                    out.push(head.to_string());
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| tokens(v, key, out)),
        Value::Object(map) => map.iter().for_each(|(k, v)| tokens(v, k, out)),
        _ => {}
    }
}

/// What the text of `decision`'s explanation shows that it should not.
fn leaks(decision: &Decision, text: &str) -> Vec<String> {
    let json: Value = serde_json::from_str(&decision.to_json()).expect("a decision is JSON");
    let mut found = Vec::new();
    let mut forbidden = Vec::new();
    tokens(&json, "", &mut forbidden);
    forbidden.push("$.".to_string());
    forbidden.push("`".to_string());
    for token in forbidden {
        if text.contains(&token) {
            found.push(token);
        }
    }
    found
}

/// Every scenario and example request, as (file, request).
fn requests() -> Vec<(String, Value)> {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let dirs = ["sexting", "devices", "images", "escalation"]
        .map(scenario_dir)
        .into_iter()
        .chain([examples]);
    let mut out = Vec::new();
    for path in dirs.flat_map(|dir| json_files(&dir, |_| true)) {
        let doc = load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Some(request) = doc.get("request") {
            out.push((path.display().to_string(), request.clone()));
        }
    }
    // A gallery (no scenario file has one): one image to publish with
    // changes, one to block.
    let gallery = serde_json::json!({ "domain": "images", "policy": "baseline",
        "channel": "website",
        "roster": [{ "id": "s1", "first_name": "Amy", "last_name": "Smith", "on_roll": true,
                     "consent": { "website": "yes" } },
                   { "id": "s2", "first_name": "Raj", "last_name": "Patel", "on_roll": true,
                     "consent": { "website": "no" } }],
        "images": [{ "id": "img-a", "pupils": ["s1"],
                     "media": { "kind": "photo", "composition": "group", "caption": "Amy Smith",
                                "has_geodata": true, "captured_on": "school_device",
                                "suitably_dressed": true } },
                   { "id": "img-b", "pupils": ["s2"],
                     "media": { "kind": "photo", "composition": "individual",
                                "has_geodata": false, "captured_on": "personal_device",
                                "suitably_dressed": true } }] });
    out.push(("a gallery".to_string(), gallery));
    out
}

#[test]
fn no_explanation_shows_a_token_a_rule_id_or_a_path() {
    let mut explained = 0;
    let mut failures = Vec::new();
    for (file, request) in requests() {
        // Under its own policy, then under each preset in turn (a request
        // the corpus expects refused is refused under each: it is skipped).
        let mut decisions = Vec::new();
        for id in std::iter::once(None).chain(Engine::presets().iter().map(Some)) {
            let mut request = request.clone();
            if let (Some(id), Some(policy)) = (id, request.get_mut("policy")) {
                *policy = Value::from(*id);
            }
            decisions.push(evaluate_json_with(None, &request.to_string(), None));
        }
        for decision in decisions.into_iter().flatten() {
            let explanation = decision.explain();
            let text = explanation.to_text();
            let leaked = leaks(&decision, &text);
            if !leaked.is_empty() {
                failures.push(format!(
                    "{file} ({}): {leaked:?}\n{text}",
                    decision.policy.id
                ));
            }
            // The tokens stay available as fields.
            let steps: Vec<_> = explanation
                .steps
                .iter()
                .map(|s| (s.action, s.who))
                .collect();
            let actions: Vec<_> = decision.actions.iter().map(|a| (a.action, a.who)).collect();
            assert_eq!(steps, actions, "{file}");
            assert_eq!(
                explanation.gallery.len(),
                decision.gallery.as_ref().map_or(0, Vec::len),
                "{file}"
            );
            let rules: Vec<_> = explanation.rules.iter().map(|r| &r.rule).collect();
            let reasons: Vec<_> = decision.reasons.iter().map(|r| &r.rule).collect();
            assert_eq!(rules, reasons, "{file}");
            explained += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} explanations show tokens; the first:\n{}",
        failures.len(),
        failures[0]
    );
    println!("{explained} decisions explained");
    assert!(explained > 2500, "only {explained} decisions explained");
}

#[test]
fn the_check_finds_a_token_a_rule_id_and_a_path() {
    let (_, request) = requests()
        .into_iter()
        .find(|(file, _)| file.ends_with("sexting-under13-sexual-acts.json"))
        .expect("the public example");
    let decision = evaluate_json_with(None, &request.to_string(), None).expect("a decision");
    let text = decision.explain().to_text();
    assert!(leaks(&decision, &text).is_empty(), "{text}");
    let action = decision.actions[0].action.as_str();
    let rule = &*decision.reasons[0].rule;
    for bad in [action, rule, "$.young_people[0]"] {
        let shown = format!("{text}\n{bad}\n");
        assert!(!leaks(&decision, &shown).is_empty(), "{bad} not found");
    }
}

#[test]
fn a_gallery_is_explained_image_by_image() {
    let (_, request) = requests()
        .into_iter()
        .find(|(file, _)| file == "a gallery")
        .expect("the gallery");
    let decision = evaluate_json_with(None, &request.to_string(), None).expect("a decision");
    let text = decision.explain().to_text();
    assert!(
        text.starts_with("NOT EVERY IMAGE MAY BE PUBLISHED: each image's answer is below."),
        "{text}"
    );
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("Image \"img-b\": must not be published. The whole image: it was taken on a personal device."),
        "{text}"
    );
    assert!(
        words.contains("Pupil \"s2\": consent for the school website was refused."),
        "{text}"
    );
}

/// Where a decision leaves unknown whether a child is in immediate danger
/// or a life under threat, and its first step is not a 999 call, the
/// explanation says what to do if one is, before the steps; and it says
/// so nowhere else (a warning on every answer would be read as noise).
/// Over every scenario and example.
#[test]
fn an_unknown_danger_is_told_first_and_only_then() {
    const WARNING: &str = "call 999 now, before anything below";
    let danger = [
        "immediate_risk_of_harm",
        "flags.immediate_danger",
        "flags.threat_to_life",
    ];
    let (mut warned, mut failures) = (0, Vec::new());
    for (file, request) in requests() {
        let Ok(decision) = evaluate_json_with(None, &request.to_string(), None) else {
            continue;
        };
        let unknown = decision.unknowns.iter().any(|u| danger.contains(&&**u));
        let calls_999 = decision
            .actions
            .first()
            .is_some_and(|a| a.who == safeguard_engine::Who::Police999);
        let explanation = decision.explain();
        let text = explanation
            .to_text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let shown = text.find(WARNING);
        let steps = ["What to do now:", "The plan ("]
            .iter()
            .filter_map(|h| text.find(h))
            .min();
        let want = unknown && !calls_999;
        match (want, shown) {
            (true, Some(at)) if steps.is_none_or(|s| at < s) => warned += 1,
            (false, None) => {}
            _ => failures.push(format!(
                "{file}: unknown danger {want}, warning at {shown:?}"
            )),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        warned > 0,
        "no scenario leaves danger unknown: the check checked nothing"
    );
}
