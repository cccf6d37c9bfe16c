//! Errors a person can act on (issue 23, deliverable 2): an error's
//! explanation names the field in words and says what belongs there, and
//! the code and path stay in the error object for programs.
//!
//! - Every field of every request (every property, at every level, of the
//!   JSON Schemas in `schema/`) and of the policy document (every field of
//!   its shapes, read from their `wire_struct!` declarations, and every key
//!   of every built-in policy as resolved) has its own words: no field
//!   reaches a person as its raw name.
//! - A field of a closed set of tokens lists every token the schema allows.
//! - Every error of the malformed corpus is explained without a code, a
//!   path, a bracket or an underscore, and `json::explain` of every
//!   malformed request keeps `evaluate`'s error object unchanged.
//! - Every error code has words of its own.
//!
//! `EXPLAIN_REPORT=1` prints the text of every malformed case's error, for
//! reading them as a person would.

#[path = "../malformed/corpus.rs"]
mod corpus;

use safeguard_engine::images::metadata;
use safeguard_engine::{
    json, Engine, Error, ErrorCode, ErrorExplanation, Format, Input, Location, WireError,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// The problems with a text for people: a path's or a token's marks.
fn marks(what: &str, text: &str) -> Vec<String> {
    ['$', '[', ']', '_', '`', '{', '}']
        .iter()
        .filter(|c| text.contains(**c))
        .map(|c| format!("{what} holds `{c}`: {text}"))
        .collect()
}

/// The problems with an explanation's words.
fn explanation_problems(x: &ErrorExplanation) -> Vec<String> {
    let mut found = Vec::new();
    for (what, text) in [
        ("headline", &x.headline),
        ("field", &x.field),
        ("expected", &x.expected),
        ("text", &x.text),
    ] {
        found.extend(marks(what, text));
        if text.trim().is_empty() {
            found.push(format!("{what} is empty"));
        }
    }
    if x.text.contains(x.code) {
        found.push(format!("the text names the code {}: {}", x.code, x.text));
    }
    if !x.text.contains(&x.expected) {
        found.push(format!(
            "the text does not say what is expected: {}",
            x.text
        ));
    }
    found
}

// ---------------------------------------------------------------------------
// Every field has words

/// The schema node `node` points to, following `$ref`.
fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.trim_start_matches("#/$defs/");
            resolve(root, &root["$defs"][name])
        }
        None => node,
    }
}

/// Every property reachable from `node`, as (its real JSON path, the
/// tokens its value may be), lists entered at their first item.
fn properties(root: &Value, node: &Value, path: &str, out: &mut Vec<(String, Vec<String>)>) {
    assert!(path.len() < 400, "the schema nests too deep at {path}");
    let node = resolve(root, node);
    for combinator in ["anyOf", "oneOf", "allOf"] {
        for alternative in node[combinator].as_array().into_iter().flatten() {
            properties(root, alternative, path, out);
        }
    }
    if let Some(items) = node.get("items").filter(|i| i.is_object()) {
        properties(root, items, &format!("{path}[0]"), out);
    }
    for (name, schema) in node["properties"].as_object().into_iter().flatten() {
        let here = format!("{path}.{name}");
        out.push((here.clone(), enum_tokens(root, schema)));
        properties(root, schema, &here, out);
    }
}

/// The tokens a property's value may be (its `enum`, through `$ref` and
/// `anyOf`), none for a value that is not a token.
fn enum_tokens(root: &Value, node: &Value) -> Vec<String> {
    let node = resolve(root, node);
    let mut tokens: Vec<String> = node["enum"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(str::to_string))
        .collect();
    for alternative in node["anyOf"].as_array().into_iter().flatten() {
        tokens.extend(enum_tokens(root, alternative));
    }
    tokens
}

fn schema_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema")
}

/// Every property of every request schema, at every level, has words of
/// its own, and a token's field lists every token the schema allows.
#[test]
fn every_request_field_has_words() {
    let mut problems = Vec::new();
    let mut names = BTreeSet::new();
    let mut schemas = 0;
    for entry in std::fs::read_dir(schema_dir()).expect("schema/") {
        let file = entry.expect("an entry").path();
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !name.starts_with("request.") {
            continue;
        }
        schemas += 1;
        let text = std::fs::read_to_string(&file).expect("a schema");
        let root: Value = serde_json::from_str(&text).expect("JSON");
        let mut found = Vec::new();
        properties(&root, &root, "$", &mut found);
        assert!(!found.is_empty(), "{name} has no properties");
        for (path, tokens) in found {
            names.insert(path.rsplit('.').next().unwrap_or("").to_string());
            let Some(words) = Input::Request.field_words(&path) else {
                problems.push(format!("{name}: {path} has no words"));
                continue;
            };
            problems.extend(marks(&path, &words));
            let error = Error::InvalidValue {
                at: Location::path(path.clone()),
                message: String::new(),
            };
            let x = error.explain_as(Input::Request);
            assert_eq!(x.field, words);
            problems.extend(explanation_problems(&x));
            for token in tokens {
                if !x.expected.contains(&token.replace('_', " ")) {
                    problems.push(format!(
                        "{name}: {path}: `{token}` is not among what is expected: {}",
                        x.expected
                    ));
                }
            }
        }
    }
    assert_eq!(schemas, 5, "the five request schemas");
    // The walk reached the fields of every shape (a sample from each domain).
    for name in [
        "date_of_birth",
        "content_violent",
        "year_group",
        "website",
        "threat_to_life",
        "tags",
    ] {
        assert!(names.contains(name), "the walk missed `{name}`: {names:?}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Where each shape of the policy document sits, to name its fields from.
const POLICY_SHAPES: &[(&str, &str)] = &[
    ("Policy", "$"),
    ("Identity", "$.policy"),
    ("Contact", "$.roles.dsl"),
    ("OutOfHours", "$.bodies.lado.out_of_hours"),
    ("SextingSection", "$.sexting"),
    ("SextingRule", "$.sexting.rules[0]"),
    ("SextingAction", "$.sexting.actions[0]"),
    ("ChecklistEntry", "$.sexting.checklist[0]"),
    ("DevicesSection", "$.devices"),
    ("DeviceRule", "$.devices.rules[0]"),
    ("ImagesSection", "$.images"),
    ("ImageRule", "$.images.rules[0]"),
    ("EscalationSection", "$.escalation"),
    ("EscalationRule", "$.escalation.rules[0]"),
    ("Step", "$.escalation.rules[0].steps[0]"),
    ("Cite", "$.sexting.rules[0].cite"),
    ("Timetable", "$.timetable"),
    ("TimeSpan", "$.timetable.breaks[0]"),
    ("DateSpan", "$.timetable.terms[0]"),
];

/// The files that declare the policy document's shapes.
const POLICY_FILES: &[&str] = &[
    "policy/mod.rs",
    "contacts.rs",
    "sexting/rules.rs",
    "devices/rules.rs",
    "images/rules.rs",
    "escalation/rules.rs",
    "wire/base_types.rs",
];

/// The shapes `text` declares with `wire_struct!` or `read_struct!`, each
/// with its fields' wire names.
fn declared_shapes(text: &str) -> Vec<(String, Vec<String>)> {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut shapes = Vec::new();
    for block in code.split("wire_struct! {").skip(1) {
        let body = block.split("\n}").next().unwrap_or("");
        let Some(name) = body
            .split("struct ")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
        else {
            continue;
        };
        let fields = body
            .lines()
            .filter_map(|line| {
                let mut words = line.split_whitespace();
                let presence = words.next()?;
                let field = words.next()?.strip_suffix(':')?;
                ["required", "optional", "default", "list", "flag"]
                    .contains(&presence)
                    .then(|| field.to_string())
            })
            .collect();
        shapes.push((name.to_string(), fields));
    }
    for block in code.split("read_struct!(").skip(1) {
        let (name, rest) = block.split_once(" {").unwrap_or(("", ""));
        let body = rest.split('}').next().unwrap_or("");
        let fields = body
            .split(',')
            .filter_map(|f| f.split(':').next())
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(str::to_string)
            .collect();
        shapes.push((name.to_string(), fields));
    }
    shapes
}

/// Every field of every shape of the policy document has words of its own,
/// read where the shape sits; a new shape must be given its place here.
#[test]
fn every_policy_field_has_words() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/src");
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for file in POLICY_FILES {
        let text = std::fs::read_to_string(src.join(file)).expect("a source file");
        for (shape, fields) in declared_shapes(&text) {
            assert!(!fields.is_empty(), "{file}: {shape} has no fields read");
            let Some((_, home)) = POLICY_SHAPES.iter().find(|(s, _)| *s == shape) else {
                problems.push(format!(
                    "{file}: the shape {shape} has no place in POLICY_SHAPES"
                ));
                continue;
            };
            seen.insert(shape.clone());
            for field in fields {
                let path = format!("{home}.{field}");
                match Input::Policy.field_words(&path) {
                    Some(words) => problems.extend(marks(&path, &words)),
                    None => problems.push(format!("{file}: {shape}.{field} ({path}) has no words")),
                }
            }
        }
    }
    assert_eq!(seen.len(), POLICY_SHAPES.len(), "shapes found: {seen:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every key, at every level, of every built-in policy (resolved, so every
/// inherited rule is spelled out) has words where it sits.
#[test]
fn every_key_of_every_preset_has_words() {
    fn walk(value: &toml::Value, path: &str, out: &mut Vec<String>) {
        match value {
            toml::Value::Table(table) => {
                for (key, inner) in table {
                    let here = format!("{path}.{key}");
                    out.push(here.clone());
                    walk(inner, &here, out);
                }
            }
            toml::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let here = format!("{path}[{i}]");
                    out.push(here.clone());
                    walk(item, &here, out);
                }
            }
            _ => {}
        }
    }
    let mut problems = Vec::new();
    let mut count = 0;
    for id in Engine::presets() {
        let engine = Engine::from_preset(id).expect("a preset");
        let text = json::policy_resolved(&engine).expect("its TOML");
        let document: toml::Value = toml::from_str(&text).expect("TOML");
        let mut paths = Vec::new();
        walk(&document, "$", &mut paths);
        for path in paths {
            count += 1;
            match Input::Policy.field_words(&path) {
                Some(words) => problems.extend(marks(&path, &words)),
                None => problems.push(format!("{id}: {path} has no words")),
            }
        }
    }
    assert!(count > 1000, "only {count} keys walked");
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------
// The malformed corpus

/// What was read through `entry`.
fn input_of_entry(entry: &str) -> Input {
    match entry {
        "request" | "request_jsonl" => Input::Request,
        "image_inspect" | "image_strip" => Input::Image,
        _ => Input::Policy,
    }
}

/// The errors a case gives through its entry point (none if accepted).
fn errors_of(case: &corpus::Case) -> Vec<Error> {
    let input = case.input().expect("the case's bytes");
    let engine = || Engine::from_preset(&case.engine).expect("the case's engine");
    let one = |r: Result<(), Error>| r.err().into_iter().collect();
    match case.entry.as_str() {
        "request" => one(engine().evaluate_json_bytes(&input).map(drop)),
        "request_jsonl" => {
            let engine = engine();
            corpus::jsonl_lines(&input)
                .into_iter()
                .filter_map(|line| {
                    json::utf8(line, "request")
                        .and_then(|text| json::evaluate_json_with(Some(&engine), text, None))
                        .err()
                })
                .collect()
        }
        "policy_toml" => one(Engine::from_bytes(&input, Format::Toml).map(drop)),
        "policy_json" => one(Engine::from_bytes(&input, Format::Json).map(drop)),
        "policy_lint" => one(Engine::from_bytes(&input, Format::Toml)
            .and_then(|e| e.lint())
            .map(drop)),
        "image_inspect" => one(metadata::inspect(&input).map(drop)),
        "image_strip" => one(metadata::strip_location(&input).map(drop)),
        other => panic!("unknown entry point {other}"),
    }
}

/// Every error of the malformed corpus is explained in words: the field it
/// names has words of its own (never the fallback of the input as a
/// whole), nothing read holds a path's or a token's marks, the code and
/// the path stay as fields, the error says what it was reading, and
/// `json::explain_error` of its envelope keeps the error object.
#[test]
fn every_malformed_error_is_explained_in_words() {
    let (cases, broken) = corpus::load();
    assert!(broken.is_empty(), "the corpus is broken: {broken:#?}");
    let mut problems = Vec::new();
    let mut explained = 0;
    let mut codes = BTreeSet::new();
    for case in &cases {
        let input = input_of_entry(&case.entry);
        for error in errors_of(case) {
            explained += 1;
            codes.insert(error.code());
            let x = error.explain_as(input);
            let at = format!("{} ({})", case.file, error.code());
            if std::env::var_os("EXPLAIN_REPORT").is_some() {
                eprintln!("{at}: {}", x.text);
            }
            problems.extend(
                explanation_problems(&x)
                    .into_iter()
                    .map(|p| format!("{at}: {p}")),
            );
            assert_eq!(x.code, error.code());
            assert_eq!(x.path.as_deref(), error.path());
            if let Some(path) = error.path() {
                if input.field_words(path).is_none() {
                    problems.push(format!("{at}: the path {path} has no words"));
                }
            }
            // A JSON policy's error at a `$` path reads as a request's: the
            // error does not record what was read, so `Error::explain` and
            // `json::explain_error` take it for a request (a caller loading
            // a policy says so with `explain_as`).
            let guessable = case.entry != "policy_json"
                || error.path().is_some_and(|p| !p.starts_with('$'))
                || matches!(error, Error::InvalidJson { .. } | Error::InvalidUtf8 { .. });
            if guessable && error.input() != input {
                problems.push(format!("{at}: the error says it read {:?}", error.input()));
            }
            let envelope: Value = serde_json::from_str(&error.to_json()).expect("JSON");
            let answer: Value = json::explain_error(&error.to_json())
                .map(|text| serde_json::from_str(&text).expect("JSON"))
                .expect("an error envelope is explained");
            assert_eq!(answer["error"], envelope["error"], "{at}");
            if guessable && answer["text"] != x.text.as_str() {
                problems.push(format!(
                    "{at}: explain_error reads it otherwise: {}",
                    answer["text"]
                ));
            }
        }
    }
    assert!(explained > 200, "only {explained} errors explained");
    assert!(codes.len() >= 15, "codes met: {codes:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `json::explain` answers every malformed request that is text with a
/// refusal whose `error` is `evaluate`'s error object, unchanged, and whose
/// words are the error's.
#[test]
fn json_explain_keeps_the_error_object_of_every_malformed_request() {
    let (cases, _) = corpus::load();
    let mut refused = 0;
    for case in cases.iter().filter(|c| c.entry == "request") {
        let Ok(text) = String::from_utf8(case.input().expect("bytes")) else {
            continue;
        };
        let engine = Engine::from_preset(&case.engine).expect("engine");
        let answer: Value =
            serde_json::from_str(&json::explain(&engine, &text).expect("an answer")).expect("JSON");
        match json::evaluate(&engine, &text) {
            Ok(_) => assert_eq!(answer["kind"], "decision", "{}", case.file),
            Err(error) => {
                refused += 1;
                let envelope: Value = serde_json::from_str(&error.to_json()).expect("JSON");
                let keys: Vec<&str> = answer
                    .as_object()
                    .expect("an object")
                    .keys()
                    .map(String::as_str)
                    .collect();
                let mut want = vec![
                    "schema_version",
                    "kind",
                    "error",
                    "headline",
                    "field",
                    "expected",
                    "text",
                ];
                want.sort_unstable();
                let mut got = keys.clone();
                got.sort_unstable();
                assert_eq!(got, want, "{}", case.file);
                assert_eq!(answer["kind"], "refused");
                assert_eq!(answer["schema_version"], envelope["schema_version"]);
                assert_eq!(answer["error"], envelope["error"], "{}", case.file);
                let x = error.explain_as(Input::Request);
                assert_eq!(answer["field"], x.field.as_str());
                assert_eq!(answer["expected"], x.expected.as_str());
                assert_eq!(answer["text"], x.text.as_str());
            }
        }
    }
    assert!(refused > 100, "only {refused} refusals");
}

// ---------------------------------------------------------------------------
// Codes and privacy

/// Every code, the bindings' own included, has words of its own: no two
/// codes read alike.
#[test]
fn every_code_has_words_of_its_own() {
    let mut texts = BTreeSet::new();
    for code in ErrorCode::ALL {
        let envelope = WireError::of_code(*code, "m").to_json();
        let answer: Value =
            serde_json::from_str(&json::explain_error(&envelope).expect("explained"))
                .expect("JSON");
        let text = answer["text"].as_str().expect("a text");
        assert!(marks(code.as_str(), text).is_empty(), "{code}: {text}");
        assert!(!text.contains(code.as_str()), "{code}: {text}");
        assert!(
            texts.insert(text.to_string()),
            "{code} reads as another code: {text}"
        );
    }
}

/// The explanation of a refused request quotes nothing the request said:
/// not the refused value, not a young person's id.
#[test]
fn an_explanation_quotes_nothing_from_the_request() {
    let engine = Engine::from_preset("baseline").expect("baseline");
    let request = r#"{"domain":"sexting","incident_date":"2025-01-20",
        "young_people":[{"id":"Amelia Hughes","age":15,"role":"subject"},
                        {"id":"Oliver Brown","age":15,"role":"Oliver"}]}"#;
    let answer: Value =
        serde_json::from_str(&json::explain(&engine, request).expect("answer")).expect("JSON");
    assert_eq!(answer["kind"], "refused");
    assert_eq!(answer["error"]["path"], "$.young_people[1].role");
    assert_eq!(answer["field"], "the role of young person 2");
    assert_eq!(
        answer["expected"],
        "one of: subject, sender, recipient or sharer"
    );
    let all = answer.to_string();
    for quoted in ["Amelia", "Oliver", "Hughes", "Brown"] {
        assert!(!all.contains(quoted), "{quoted} quoted: {all}");
    }
}

/// A decided request's explanation says so in `kind`, first after the
/// wire format's `schema_version`, and is
/// otherwise the decision's explanation.
#[test]
fn a_decided_request_is_of_kind_decision() {
    let engine = Engine::from_preset("baseline").expect("baseline");
    let request = r#"{"domain":"escalation","category":"sexting","concern_about":"pupil","reported_at":"2026-01-05T10:00"}"#;
    let text = json::explain(&engine, request).expect("answer");
    assert!(
        text.starts_with(r#"{"schema_version":1,"kind":"decision","domain":"escalation","#),
        "{text}"
    );
    let answer: Value = serde_json::from_str(&text).expect("JSON");
    assert!(answer.get("error").is_none());
    assert!(answer["headline"].is_string() && answer["steps"].is_array());
}
