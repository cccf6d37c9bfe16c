//! Helpers for the integration tests: loading a scenario corpus, evaluating
//! a request (twice, for determinism), checking that reasons are explained,
//! collecting failures per file, and asserting on refused requests.

pub mod fine_policy;
pub mod oracle;

use safeguard_engine::{evaluate_json_with, Engine, Error};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The `.json` files of `dir` whose names pass `keep`, sorted by name.
///
/// Panics if `dir` cannot be read.
pub fn json_files(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("directory entry").path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && p.file_name().and_then(|n| n.to_str()).is_some_and(&keep)
        })
        .collect();
    files.sort();
    files
}

/// The file name of `path` (its whole display form if it has none).
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads and parses one JSON file; the error says what went wrong.
pub fn load(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("not valid JSON: {e}"))
}

/// One loaded scenario file: its file name and its parsed content (or why it
/// could not be loaded).
pub type ScenarioFile = (String, Result<Value, String>);

/// Every `.json` file of `dir` whose name passes `keep`, sorted by name,
/// with its file name and its parsed content.
pub fn scenario_files(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<ScenarioFile> {
    json_files(dir, keep)
        .iter()
        .map(|p| (file_name(p), load(p)))
        .collect()
}

/// The directory `scenarios/<domain>` of this crate.
pub fn scenario_dir(domain: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(domain)
}

/// Whether the string at `pointer` in `v` exists and is not blank.
pub fn non_empty_str(v: &Value, pointer: &str) -> bool {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .is_some_and(|s| !s.trim().is_empty())
}

/// A list of strings at `v[key]`; `None` when absent, an error when malformed.
pub fn string_list(v: &Value, key: &str) -> Result<Option<Vec<String>>, String> {
    match v.get(key) {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("`{key}` holds a non-string: {i}"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(format!("`{key}` is not a list: {other}")),
    }
}

/// The strings of the list `response[list]`: each item's `field` when given,
/// else each item itself. Items that are not strings are skipped.
pub fn tokens_at(response: &Value, list: &str, field: Option<&str>) -> Vec<String> {
    response
        .get(list)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|i| match field {
                    Some(f) => i.get(f).and_then(Value::as_str).map(str::to_owned),
                    None => i.as_str().map(str::to_owned),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `v` as a set of string slices, for order-insensitive comparison.
pub fn as_set(v: &[String]) -> BTreeSet<&str> {
    v.iter().map(String::as_str).collect()
}

/// Evaluates `request` through the JSON entry point twice; returns the
/// response as JSON text and value, pushing a failure onto `errs` if the
/// second run fails or differs from the first by a single byte, or if the
/// response differs from what serde_json writes for the same decision.
pub fn evaluate_twice(request: &Value, errs: &mut Vec<String>) -> Result<(String, Value), String> {
    let text = request.to_string();
    let first = evaluate_json_with(None, &text, None)
        .map_err(|e| format!("evaluation failed: {} at {:?}: {e}", e.code(), e.path()))?;
    let json = first.to_json();
    // `to_json` writes by hand what serde derives: the bytes must agree.
    match serde_json::to_string(&first) {
        Ok(via_serde) if via_serde == json => {}
        Ok(via_serde) => errs.push(format!(
            "to_json differs from serde_json:\n  to_json: {json}\n  serde:   {via_serde}"
        )),
        Err(e) => errs.push(format!("serde_json could not write the decision: {e}")),
    }
    match evaluate_json_with(None, &text, None) {
        Ok(second) => {
            let again = second.to_json();
            if again != json {
                errs.push(format!(
                    "evaluating twice gave different JSON:\n  first:  {json}\n  second: {again}"
                ));
            }
        }
        Err(e) => errs.push(format!("the second evaluation failed: {e}")),
    }
    let value: Value =
        serde_json::from_str(&json).map_err(|e| format!("response is not valid JSON: {e}"))?;
    Ok((json, value))
}

/// Evaluates `request` as [`evaluate_twice`] does; on failure pushes the
/// reason onto `errs` and returns `None`, so a scenario check can stop there.
pub fn evaluated(request: &Value, errs: &mut Vec<String>) -> Option<(String, Value)> {
    match evaluate_twice(request, errs) {
        Ok(r) => Some(r),
        Err(e) => {
            errs.push(e);
            None
        }
    }
}

/// The `request` and `expect` of a scenario file, after the checks every
/// corpus shares: the file cites its source and section and says why, and
/// `expect` holds only keys of `expect_keys` (when given), so that a typo
/// in the corpus is not silently ignored. `None` (with the failure pushed)
/// when the file lacks a `request` or an `expect`.
pub fn scenario_parts<'a>(
    doc: &'a Value,
    expect_keys: Option<&[&str]>,
    errs: &mut Vec<String>,
) -> Option<(&'a Value, &'a Value)> {
    let Some(request) = doc.get("request") else {
        errs.push("no `request`".into());
        return None;
    };
    let Some(expect) = doc.get("expect") else {
        errs.push("no `expect`".into());
        return None;
    };
    for field in ["/cite/source", "/cite/section", "/why"] {
        if !non_empty_str(doc, field) {
            errs.push(format!("scenario {field} is missing or empty"));
        }
    }
    if let (Some(keys), Some(obj)) = (expect_keys, expect.as_object()) {
        for key in obj.keys() {
            if !keys.contains(&key.as_str()) {
                errs.push(format!("expect.{key} is not a known expectation"));
            }
        }
    }
    Some((request, expect))
}

/// Checks that a scenario's request names `domain` (when given) and one of
/// the engine's preset policies.
pub fn check_request_names(request: &Value, domain: Option<&str>, errs: &mut Vec<String>) {
    if let Some(domain) = domain {
        if request.get("domain").and_then(Value::as_str) != Some(domain) {
            errs.push(format!("request.domain is not \"{domain}\""));
        }
    }
    match request.get("policy").and_then(Value::as_str) {
        Some(p) if Engine::presets().contains(&p) => {}
        other => errs.push(format!(
            "request policy {other:?} is not one of {:?}",
            Engine::presets()
        )),
    }
}

/// Checks `expect.outcome` against the response's `outcome`; an expected
/// outcome outside `outcomes` is a corpus error, named as not `kind`
/// ("a devices outcome").
pub fn check_outcome(
    expect: &Value,
    outcome: Option<&str>,
    outcomes: &[&str],
    kind: &str,
    errs: &mut Vec<String>,
) {
    match expect.get("outcome").and_then(Value::as_str) {
        Some(want) if outcomes.contains(&want) => {
            if outcome != Some(want) {
                errs.push(format!("outcome: expected {want}, got {outcome:?}"));
            }
        }
        other => errs.push(format!("expect.outcome {other:?} is not {kind}")),
    }
}

/// The list of strings `expect[key]`: `None` when absent; when malformed,
/// `None` with the failure pushed.
pub fn expected_list(expect: &Value, key: &str, errs: &mut Vec<String>) -> Option<Vec<String>> {
    match string_list(expect, key) {
        Ok(v) => v,
        Err(e) => {
            errs.push(format!("expect.{e}"));
            None
        }
    }
}

/// Checks that `actual` holds the same tokens as `expect[key]`, in any
/// order, when the scenario gives that list.
pub fn check_same_set(expect: &Value, key: &str, actual: &[String], errs: &mut Vec<String>) {
    if let Some(want) = expected_list(expect, key, errs) {
        if as_set(&want) != as_set(actual) {
            errs.push(format!("{key}: expected {want:?}, got {actual:?}"));
        }
    }
}

/// Checks that `actual` (the response's `what`) holds every token of
/// `expect[key]`, when the scenario gives that list.
pub fn check_includes(
    expect: &Value,
    key: &str,
    what: &str,
    actual: &[String],
    errs: &mut Vec<String>,
) {
    for t in expected_list(expect, key, errs).unwrap_or_default() {
        if !actual.contains(&t) {
            errs.push(format!("{what} should include `{t}` but are {actual:?}"));
        }
    }
}

/// Checks `expect.must_include` and `expect.must_not_include`: tokens that
/// the response text `json` must (or must not) hold as a quoted string.
pub fn check_quoted_tokens(expect: &Value, json: &str, errs: &mut Vec<String>) {
    for (key, want) in [("must_include", true), ("must_not_include", false)] {
        for t in expected_list(expect, key, errs).unwrap_or_default() {
            if json.contains(&format!("\"{t}\"")) != want {
                let verb = if want { "should" } else { "should not" };
                errs.push(format!("response {verb} contain \"{t}\": {json}"));
            }
        }
    }
}

/// Checks that `response` has a non-empty `reasons` list whose every entry
/// carries a non-blank `rule`, `summary`, `cite.source` and `cite.section`
/// (SPEC §1.2). Returns every problem found.
pub fn reasons_are_explained(response: &Value) -> Result<(), Vec<String>> {
    let mut errs = Vec::new();
    match response.get("reasons").and_then(Value::as_array) {
        None => errs.push("response has no `reasons` list".into()),
        Some(reasons) if reasons.is_empty() => errs.push(
            "response has no reasons (SPEC §1.2: every answer lists the rules that produced it)"
                .into(),
        ),
        Some(reasons) => {
            for (i, r) in reasons.iter().enumerate() {
                for field in ["/rule", "/summary", "/cite/source", "/cite/section"] {
                    if !non_empty_str(r, field) {
                        errs.push(format!("reasons[{i}]{field} is missing or empty: {r}"));
                    }
                }
            }
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs)
    }
}

/// Failures collected over a corpus, each prefixed with its file name, so
/// that one run reports everything that is wrong.
#[derive(Debug, Default)]
pub struct Failures {
    lines: Vec<String>,
    files: usize,
    failing_files: usize,
}

impl Failures {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the failures of the file `name` (none when it passes).
    pub fn check(&mut self, name: &str, errs: Vec<String>) {
        self.files += 1;
        if !errs.is_empty() {
            self.failing_files += 1;
        }
        self.lines
            .extend(errs.into_iter().map(|e| format!("{name}: {e}")));
    }

    /// Panics with every recorded failure, if there is any.
    pub fn finish(self) {
        if !self.lines.is_empty() {
            panic!(
                "{} failure(s) in {} of {} file(s):\n{}",
                self.lines.len(),
                self.failing_files,
                self.files,
                self.lines.join("\n")
            );
        }
    }
}

/// Runs `check` over every loaded file (a file that could not be loaded
/// fails with the reason), then panics once with every failure.
pub fn check_each(files: &[ScenarioFile], check: impl Fn(&Value) -> Vec<String>) {
    let mut failures = Failures::new();
    for (name, doc) in files {
        let errs = match doc {
            Ok(doc) => check(doc),
            Err(e) => vec![e.clone()],
        };
        failures.check(name, errs);
    }
    failures.finish();
}

/// Evaluates `text`, which must be refused; returns the error.
///
/// Panics with the decision if `text` is accepted.
pub fn err(text: &str) -> Error {
    match evaluate_json_with(None, text, None) {
        Ok(d) => panic!("expected an error for {text}, got {}", d.to_json()),
        Err(e) => e,
    }
}

/// Asserts that `text` is refused with the error `code` at `path`.
pub fn assert_error(text: &str, code: &str, path: Option<&str>) {
    let e = err(text);
    assert_eq!(e.code(), code, "code for {text}: {e}");
    assert_eq!(e.path(), path, "path for {text}: {e}");
}

/// Asserts that `text` is refused with the error `code` at `path`, with a
/// non-empty message, and that the wire form of the error carries the same
/// code and path.
pub fn assert_wire_error(text: &str, code: &str, path: &str) {
    let e = err(text);
    assert_eq!(e.code(), code, "code for {text}: {e}");
    assert_eq!(e.path(), Some(path), "path for {text}: {e}");
    assert!(!e.to_string().is_empty());
    let wire: Value = serde_json::from_str(&e.to_json()).expect("error JSON");
    assert_eq!(wire["error"]["code"], code, "wire code for {text}");
    assert_eq!(wire["error"]["path"], path, "wire path for {text}");
}

/// Checks that a corpus file is named `NNN-short-name.json` and that its
/// number is not already in `numbers` (which it is added to); returns the
/// failure, prefixed with the file name, if there is one.
pub fn corpus_name_problem(name: &str, numbers: &mut BTreeSet<String>) -> Option<String> {
    let stem = name.trim_end_matches(".json");
    let well_named = stem.len() > 4
        && stem.as_bytes()[..3].iter().all(u8::is_ascii_digit)
        && stem.as_bytes()[3] == b'-'
        && stem[4..]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !well_named {
        Some(format!("{name}: not named NNN-short-name.json"))
    } else if !numbers.insert(stem[..3].to_owned()) {
        Some(format!("{name}: number {} used twice", &stem[..3]))
    } else {
        None
    }
}

/// Runs `check` over every file of the `domain` corpus, which must hold at
/// least `min` files; panics once with every failure.
pub fn check_corpus(domain: &str, min: usize, check: impl Fn(&Value) -> Vec<String>) {
    let files = scenario_files(&scenario_dir(domain), |_| true);
    assert!(
        files.len() >= min,
        "expected at least {min} {domain} scenarios, found {}",
        files.len()
    );
    check_each(&files, check);
}

/// Corpus-wide failures of the `domain` corpus: badly named, renumbered or
/// unreadable files, a preset policy with fewer than `min_per_policy`
/// scenarios, and each of `outcomes` that no scenario expects. `each` sees
/// every readable file, to count what else the corpus must reach.
pub fn corpus_balance_failures(
    domain: &str,
    min_per_policy: usize,
    outcomes: &[&str],
    mut each: impl FnMut(&Value),
) -> Vec<String> {
    let files = scenario_files(&scenario_dir(domain), |_| true);
    let mut failures = Vec::new();
    let mut numbers = BTreeSet::new();
    let mut per_policy: BTreeMap<String, usize> = BTreeMap::new();
    let mut seen_outcomes = BTreeSet::new();
    for (name, doc) in &files {
        failures.extend(corpus_name_problem(name, &mut numbers));
        match doc {
            Ok(doc) => {
                if let Some(p) = doc.pointer("/request/policy").and_then(Value::as_str) {
                    *per_policy.entry(p.to_owned()).or_default() += 1;
                }
                if let Some(o) = doc.pointer("/expect/outcome").and_then(Value::as_str) {
                    seen_outcomes.insert(o.to_owned());
                }
                each(doc);
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    for p in Engine::presets() {
        let n = per_policy.get(*p).copied().unwrap_or(0);
        if n < min_per_policy {
            failures.push(format!(
                "policy {p} has {n} scenarios; at least {min_per_policy} are needed"
            ));
        }
    }
    for o in outcomes {
        if !seen_outcomes.contains(*o) {
            failures.push(format!("no scenario expects outcome {o}"));
        }
    }
    failures
}

/// Corpus-wide failures of the `domain` corpus: badly named or renumbered
/// files, and each `(pointer, values)` whose value no file has at that JSON
/// pointer (`/request/policy`, `/expect/outcome`, ...).
pub fn coverage_failures(domain: &str, required: &[(&str, &[&str])]) -> Vec<String> {
    let files = scenario_files(&scenario_dir(domain), |_| true);
    let mut failures = Vec::new();
    let mut numbers = BTreeSet::new();
    let mut seen: Vec<BTreeSet<String>> = vec![BTreeSet::new(); required.len()];
    for (name, doc) in &files {
        failures.extend(corpus_name_problem(name, &mut numbers));
        if let Ok(doc) = doc {
            for ((pointer, _), seen) in required.iter().zip(&mut seen) {
                if let Some(v) = doc.pointer(pointer).and_then(Value::as_str) {
                    seen.insert(v.to_owned());
                }
            }
        }
    }
    for ((pointer, values), seen) in required.iter().zip(&seen) {
        for v in values.iter().filter(|v| !seen.contains(**v)) {
            failures.push(format!("no {domain} scenario has {pointer} = {v}"));
        }
    }
    failures
}

/// `base`, a valid request, with `edit` applied, as JSON text: each
/// malformed-request test breaks one thing in an otherwise valid request.
pub fn edited(mut base: Value, edit: impl FnOnce(&mut Value)) -> String {
    edit(&mut base);
    base.to_string()
}

/// Panics unless `base`, under each of the engine's preset policies, is
/// accepted: so that a malformed-request test built on it is refused for
/// what it breaks, not for something else.
pub fn assert_valid_under_every_preset(base: &Value) {
    for id in Engine::presets() {
        let t = edited(base.clone(), |v| v["policy"] = (*id).into());
        if let Err(e) = evaluate_json_with(None, &t, None) {
            panic!("{id}: the base request is refused: {e}");
        }
    }
}

/// One malformed-request case: what it is, the JSON pointer it edits in a
/// valid request, the value set there (`None`: the field is removed), and
/// the error code and path the request must be refused with.
pub struct Malformed {
    pub case: &'static str,
    pub at: &'static str,
    pub value: Option<Value>,
    pub code: &'static str,
    pub path: &'static str,
}

impl Malformed {
    /// The case `case`: `value` set at `at` (or the field removed, for
    /// `None`) is refused with `code` at `path`.
    pub fn new(
        case: &'static str,
        at: &'static str,
        value: Option<Value>,
        code: &'static str,
        path: &'static str,
    ) -> Self {
        Malformed {
            case,
            at,
            value,
            code,
            path,
        }
    }
}

/// Sets `value` at the JSON pointer `at` in `v` (a key missing from its
/// object is added; a number indexes an array), or removes the field there
/// when `value` is `None`.
///
/// Panics if `at` leads nowhere in `v`: a broken test, not a finding.
pub fn edit_at(v: &mut Value, at: &str, value: Option<Value>) {
    let (parent, last) = at.rsplit_once('/').expect("a JSON pointer");
    let parent = v
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("{at}: no such place"));
    match (value, parent) {
        (Some(value), Value::Array(items)) => {
            let i: usize = last.parse().expect("an array index");
            items[i] = value;
        }
        (Some(value), parent) => parent[last] = value,
        (None, parent) => {
            let object = parent.as_object_mut().expect("an object");
            assert!(object.remove(last).is_some(), "{at}: nothing to remove");
        }
    }
}

/// Asserts, with `assert_refused(text, code, path)`, that `base` with each
/// case's edit is refused as the case says; the failing case is named.
pub fn assert_each_refused(
    base: &Value,
    cases: Vec<Malformed>,
    assert_refused: impl Fn(&str, &str, &str),
) {
    for c in cases {
        eprintln!("case: {}", c.case);
        let text = edited(base.clone(), |v| edit_at(v, c.at, c.value));
        assert_refused(&text, c.code, c.path);
    }
}

/// The purposes an images request records consent for, written out here
/// (not taken from the engine) so that the tests notice if the wire's list
/// changes.
pub const CONSENT_PURPOSES: [&str; 7] = [
    "display",
    "website",
    "prospectus",
    "social_media",
    "press",
    "name_with_image",
    "individual_use",
];

// The images domain's string tokens, written out here for the same reason:
// the scenario checks and the explanation's words read them.

/// Block reasons a `blocked` entry may carry (`no_consent:<purpose>` aside).
pub const BLOCK_REASONS: [&str; 7] = [
    "restricted",
    "restriction_unknown",
    "left_school",
    "personal_device",
    "not_suitably_dressed",
    "individual_permission_needed",
    "not_covered",
];

/// Change tokens a response may carry (`exclude_pupil:<id>` aside).
pub const CHANGES: [&str; 6] = [
    "strip_geodata",
    "rename_file",
    "caption_first_names_only",
    "remove_names",
    "remove_full_names_from_credits",
    "confirm_suitably_dressed",
];

/// The facts an images response may name as unknown.
pub const UNKNOWN_FACTS: [&str; 3] = [
    "media.has_geodata",
    "media.suitably_dressed",
    "pupils.restriction",
];

/// The CRC-32 (IEEE) of `bytes`, as PNG chunks carry it: for tests that
/// build images.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
