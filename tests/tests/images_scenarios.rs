//! The images scenario corpus: every file in `tests/scenarios/images/`,
//! evaluated through the JSON entry point and checked against the
//! expectations written in the file.
//!
//! A scenario file:
//!
//! ```json
//! { "request": { ...wire request, "domain": "images", "policy": ... },
//!   "expect": { "outcome": "publish" | "publish_with_changes" | "block",
//!               "changes": [...]?,            // exact, compared as a set
//!               "changes_include": [...]?,    // at least these
//!               "blocked_include": [ { "pupil"?: id, "reason": token } ]?,
//!               "actions_include": [...]?,    // action tokens, e.g. "delete"
//!               "reasons_include": [...]?,    // rule ids among the reasons
//!               "unknowns": [...]?,           // exact, compared as a set
//!               "must_not_include": [...]? }, // never a quoted string of the response
//!   "cite": { "source": "...", "section": "..." },
//!   "why": "..." }
//! ```
//!
//! In `blocked_include`, an entry without `pupil` matches an entry for any
//! pupil or for the whole image, and a reason ending in `:*` (such as
//! `no_consent:*`) matches every reason with that prefix: the policy decides
//! which consent purpose a channel needs, and where its text leaves that
//! open the corpus does not guess.
//!
//! Expectations come from the policy texts in `../shared/policies/` (and the
//! national guidance for `baseline`), not from the engine's answers. Every
//! failure is collected (prefixed with the file name) and reported together,
//! so one run shows everything that is wrong.
//!
//! Beyond the expectations, every response is checked for its shape (reasons
//! with rule, summary and citation; outcome consistent with `changes` and
//! `blocked`), for determinism (byte-identical JSON on a second run) and for
//! privacy (SPEC §1.6: no pupil's first name or surname from the request
//! appears anywhere in the response).

use safeguard_engine::Engine;
use safeguard_tests::{
    check_corpus, check_includes, check_outcome, check_request_names, check_same_set,
    corpus_balance_failures, evaluated, expected_list, non_empty_str, reasons_are_explained,
    scenario_parts, tokens_at, BLOCK_REASONS, CHANGES, CONSENT_PURPOSES, UNKNOWN_FACTS,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

const OUTCOMES: [&str; 3] = ["publish", "publish_with_changes", "block"];

/// Keys an `expect` object may hold; anything else is a typo in the corpus.
const EXPECT_KEYS: [&str; 8] = [
    "outcome",
    "changes",
    "changes_include",
    "blocked_include",
    "actions_include",
    "reasons_include",
    "unknowns",
    "must_not_include",
];

/// Text that comes from the engine and its policies rather than from a
/// request: every preset's source and the wire vocabulary. A pupil name that
/// occurs in it (a pupil called `Hill` under `west-hill-primary`, say) can
/// appear in a response without having been copied from the request, so the
/// privacy check skips it.
fn static_vocabulary() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut text = String::new();
        let presets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/presets");
        if let Ok(entries) = std::fs::read_dir(&presets) {
            for e in entries.flatten() {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    text.push_str(&t);
                    text.push('\n');
                }
            }
        }
        for t in Engine::presets()
            .iter()
            .chain(&OUTCOMES)
            .chain(&BLOCK_REASONS)
            .chain(&CONSENT_PURPOSES)
            .chain(&CHANGES)
            .chain(&UNKNOWN_FACTS)
        {
            text.push_str(t);
            text.push('\n');
        }
        text.push_str(
            "internal_display learning_platform website online_prospectus printed_prospectus \
             social_media newsletter press external_presentation internal_assessment \
             photo video individual group school_device personal_device \
             looked_after court_order do_not_photograph delete school_office \
             within_one_working_day images schema_version engine digest\n",
        );
        text.to_lowercase()
    })
}

/// SPEC §1.6: the response names children only by id. Fails if any first
/// name or surname of the request (3 letters or more, not part of the static
/// vocabulary) occurs in the response text, in any case.
fn check_privacy(request: &Value, response_text: &str, errs: &mut Vec<String>) {
    let lower = response_text.to_lowercase();
    let vocabulary = static_vocabulary();
    let pupils = request.get("pupils").and_then(Value::as_array);
    for p in pupils.into_iter().flatten() {
        for field in ["first_name", "last_name"] {
            let Some(name) = p.get(field).and_then(Value::as_str) else {
                continue;
            };
            let name = name.to_lowercase();
            if name.chars().count() < 3 || vocabulary.contains(&name) {
                continue;
            }
            // The name as JSON would escape it, too (`O'Neil` is plain; an
            // accent may be written as-is or as \u escapes).
            let escaped = serde_json::to_string(&name).unwrap_or_default();
            let escaped = escaped.trim_matches('"');
            if lower.contains(&name) || lower.contains(escaped) {
                errs.push(format!(
                    "privacy: the response contains the pupil's {field} `{name}`"
                ));
            }
        }
    }
}

fn pupil_ids(request: &Value) -> BTreeSet<String> {
    request
        .get("pupils")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("id").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

/// Checks that hold for every images response, whatever the request.
fn check_response_shape(request: &Value, response: &Value, errs: &mut Vec<String>) {
    if response.get("schema_version") != Some(&Value::from(1)) {
        errs.push(format!(
            "schema_version is {:?}, not 1",
            response.get("schema_version")
        ));
    }
    if response.get("domain").and_then(Value::as_str) != Some("images") {
        errs.push(format!(
            "domain is {:?}, not images",
            response.get("domain")
        ));
    }
    let rules = tokens_at(response, "reasons", Some("rule"));
    if let Err(e) = reasons_are_explained(response) {
        errs.extend(e);
    }
    let outcome = response.get("outcome").and_then(Value::as_str);
    let changes = tokens_at(response, "changes", None);
    let blocked = response
        .get("blocked")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    match outcome {
        Some("publish") if !changes.is_empty() => {
            errs.push(format!("publish with changes {changes:?}"))
        }
        Some("publish_with_changes") if changes.is_empty() => {
            errs.push("publish_with_changes without any change".into())
        }
        Some("block") if blocked.is_empty() => {
            errs.push("block without any `blocked` entry".into())
        }
        Some(o) if OUTCOMES.contains(&o) => {}
        other => errs.push(format!("outcome {other:?} is not an images outcome")),
    }
    let ids = pupil_ids(request);
    for c in &changes {
        match c.strip_prefix("exclude_pupil:") {
            Some(id) if !ids.contains(id) => {
                errs.push(format!("change `{c}` names no pupil of the request"))
            }
            Some(_) => {}
            None if !CHANGES.contains(&c.as_str()) => {
                errs.push(format!("change `{c}` is not in the vocabulary"))
            }
            None => {}
        }
    }
    for b in &blocked {
        let reason = b.get("reason").and_then(Value::as_str).unwrap_or("");
        let known = BLOCK_REASONS.contains(&reason)
            || reason
                .strip_prefix("no_consent:")
                .is_some_and(|p| CONSENT_PURPOSES.contains(&p));
        if !known {
            errs.push(format!("blocked entry with unknown reason: {b}"));
        }
        match b.get("rule").and_then(Value::as_str) {
            Some(rule) if rules.iter().any(|r| r == rule) => {}
            _ => errs.push(format!(
                "blocked entry whose rule is not among the reasons: {b}"
            )),
        }
        if let Some(p) = b.get("pupil").and_then(Value::as_str) {
            if !ids.contains(p) {
                errs.push(format!("blocked entry names no pupil of the request: {b}"));
            }
        }
    }
    let unknowns = tokens_at(response, "unknowns", None);
    for u in &unknowns {
        let field = u.strip_prefix("media.").unwrap_or(u);
        if !UNKNOWN_FACTS.contains(&u.as_str()) {
            errs.push(format!(
                "unknown `{u}` is not a fact the request can leave out"
            ));
        } else if u == "pupils.restriction" {
            // Some pupil's restriction is left out, and each such pupil is
            // ruled out for it.
            let pupils = request.get("pupils").and_then(Value::as_array);
            let unrecorded: Vec<&str> = pupils
                .into_iter()
                .flatten()
                .filter(|p| p.get("restriction").is_none())
                .filter_map(|p| p.get("id").and_then(Value::as_str))
                .collect();
            if unrecorded.is_empty() {
                errs.push(format!(
                    "`{u}` is reported unknown, yet every pupil has one"
                ));
            }
            for id in unrecorded {
                let ruled_out = response["blocked"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|b| b["pupil"] == id && b["reason"] == "restriction_unknown");
                if !ruled_out {
                    errs.push(format!(
                        "pupil {id} has no restriction recorded, yet is not ruled out"
                    ));
                }
            }
        } else if request.pointer(&format!("/media/{field}")).is_some() {
            errs.push(format!(
                "`{u}` is reported unknown, yet the request gives it"
            ));
        }
    }
    for (i, a) in response
        .get("actions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        for field in ["/action", "/who", "/deadline", "/detail"] {
            if !non_empty_str(a, field) {
                errs.push(format!("actions[{i}]{field} is missing or empty: {a}"));
            }
        }
    }
}

/// Whether one `blocked` entry of the response matches an expected one.
fn blocked_matches(want: &Value, got: &Value) -> bool {
    let Some(reason) = want.get("reason").and_then(Value::as_str) else {
        return false;
    };
    let got_reason = got.get("reason").and_then(Value::as_str).unwrap_or("");
    let reason_ok = match reason.strip_suffix('*') {
        Some(prefix) => got_reason.starts_with(prefix),
        None => got_reason == reason,
    };
    let pupil_ok = match want.get("pupil") {
        None => true,
        Some(p) => got.get("pupil") == Some(p),
    };
    reason_ok && pupil_ok
}

/// Checks one scenario file; returns its failures (empty when it passes).
fn check_scenario(doc: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    let Some((request, expect)) = scenario_parts(doc, Some(&EXPECT_KEYS), &mut errs) else {
        return errs;
    };
    if request.get("schema_version") != Some(&Value::from(1)) {
        errs.push("request.schema_version is not 1".into());
    }
    check_request_names(request, Some("images"), &mut errs);

    let Some((text, response)) = evaluated(request, &mut errs) else {
        return errs;
    };
    check_response_shape(request, &response, &mut errs);
    check_privacy(request, &text, &mut errs);

    let outcome = response.get("outcome").and_then(Value::as_str);
    let rules = tokens_at(&response, "reasons", Some("rule"));
    let changes = tokens_at(&response, "changes", None);
    let actions = tokens_at(&response, "actions", Some("action"));
    let unknowns = tokens_at(&response, "unknowns", None);
    let blocked = response
        .get("blocked")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let blocked_text: Vec<String> = blocked.iter().map(Value::to_string).collect();
    // What the engine said, appended to every failure of this file.
    let said = format!(
        "[engine: outcome {outcome:?}, changes {changes:?}, blocked {blocked_text:?}, rules {rules:?}, actions {actions:?}, unknowns {unknowns:?}]"
    );
    let before = errs.len();

    check_outcome(expect, outcome, &OUTCOMES, "an images outcome", &mut errs);
    check_same_set(expect, "changes", &changes, &mut errs);
    check_includes(expect, "changes_include", "changes", &changes, &mut errs);
    check_includes(expect, "actions_include", "actions", &actions, &mut errs);
    check_includes(expect, "reasons_include", "reason rules", &rules, &mut errs);
    check_same_set(expect, "unknowns", &unknowns, &mut errs);
    match expect.get("blocked_include") {
        None => {}
        Some(Value::Array(wanted)) => {
            for want in wanted {
                if want.get("reason").and_then(Value::as_str).is_none() {
                    errs.push(format!(
                        "expect.blocked_include entry without a reason: {want}"
                    ));
                } else if !blocked.iter().any(|got| blocked_matches(want, got)) {
                    errs.push(format!(
                        "blocked should include {want} but is {blocked_text:?}"
                    ));
                }
            }
        }
        Some(other) => errs.push(format!("expect.blocked_include is not a list: {other}")),
    }
    for t in expected_list(expect, "must_not_include", &mut errs).unwrap_or_default() {
        let quoted = format!("\"{t}\"");
        if text.contains(&quoted) {
            errs.push(format!("the response contains {quoted}"));
        }
    }
    if errs.len() > before {
        errs.push(said);
    }
    errs
}

#[test]
fn images_scenarios() {
    check_corpus("images", 45, check_scenario);
}

/// The corpus is named `NNN-short-name.json` with unique numbers, has at
/// least 6 requests per policy, reaches every outcome, omits each unknown
/// fact at least once and asks for at least one `delete` action.
#[test]
fn images_scenarios_are_well_formed_and_cover_the_policies() {
    let mut omitted: BTreeSet<&str> = BTreeSet::new();
    let mut delete = 0;
    let mut excluded = 0;
    let mut failures = corpus_balance_failures("images", 6, &OUTCOMES, |doc| {
        for fact in ["has_geodata", "suitably_dressed"] {
            if doc.pointer(&format!("/request/media/{fact}")).is_none() {
                omitted.insert(fact);
            }
        }
        let wants = |pointer: &str, needle: &str| {
            doc.pointer(pointer)
                .and_then(Value::as_array)
                .is_some_and(|a| {
                    a.iter()
                        .any(|x| x.as_str().is_some_and(|s| s.starts_with(needle)))
                })
        };
        if wants("/expect/actions_include", "delete") {
            delete += 1;
        }
        if wants("/expect/changes", "exclude_pupil:")
            || wants("/expect/changes_include", "exclude_pupil:")
        {
            excluded += 1;
        }
    });
    for fact in ["has_geodata", "suitably_dressed"] {
        if !omitted.contains(fact) {
            failures.push(format!("no scenario leaves out media.{fact}"));
        }
    }
    if delete == 0 {
        failures.push("no scenario expects a `delete` action".into());
    }
    if excluded == 0 {
        failures.push("no scenario expects an `exclude_pupil:<id>` change".into());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The privacy check itself catches a leaked name (in any case), and lets
/// through ids and names too short to check.
#[test]
fn the_privacy_check_catches_a_leaked_name() {
    let request = serde_json::json!({
        "pupils": [
            { "id": "p1", "first_name": "Amy", "last_name": "Smith" },
            { "id": "p2", "first_name": "Jo", "last_name": "Zoë-Ferreira" }
        ]
    });
    let mut errs = Vec::new();
    check_privacy(
        &request,
        r#"{"blocked":[{"pupil":"p1"},{"pupil":"p2"}]}"#,
        &mut errs,
    );
    assert!(errs.is_empty(), "{errs:?}");
    check_privacy(
        &request,
        r#"{"detail":"Delete the images of AMY."}"#,
        &mut errs,
    );
    assert_eq!(errs.len(), 1, "{errs:?}");
    errs.clear();
    check_privacy(
        &request,
        r#"{"detail":"zoë-ferreira and smith"}"#,
        &mut errs,
    );
    assert_eq!(errs.len(), 2, "{errs:?}");
}
