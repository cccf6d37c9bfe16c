//! Errors quote nothing from the request (SPEC §1.6, issue 21 item 5).
//!
//! An error message or path may name the vocabulary's own fields and
//! tokens and the expected form ("not a real calendar date; expected
//! YYYY-MM-DD"), never a value the caller sent: a date of birth, a name, a
//! caption, an unknown key or token, an age. An error is often logged or
//! shown where the request itself would not be, so anything it quoted
//! would leak.
//!
//! The sweep takes every scenario request and every malformed-corpus
//! request that is JSON, and plants markers in it: a name, impossible,
//! implausible and future dates, a bad local time and distinctive numbers
//! at every value (so in every string, number and token position), and a
//! name as a key in every object (added, and in place of each key). Each
//! mutant is decided on its preset's engine; for every error, neither the
//! message nor the path may contain a marker, nor any string of the
//! request of three or more characters that is not a vocabulary word, nor
//! any number of three or more digits written in the request.

#[path = "../malformed/corpus.rs"]
mod corpus;

use safeguard_engine::Engine;
use safeguard_tests::{scenario_dir, scenario_files};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A name, as a child's name would be written in a caption or as a key.
const NAME: &str = "Zelda Quixote";

/// Values planted at every position of a request: text where a token,
/// date, id or number belongs, dates that are impossible (30 February),
/// too old and after any incident, a local time that does not exist, and
/// numbers (an age that disagrees with any date of birth, one over every
/// limit, a negative one, a fraction).
fn markers() -> Vec<Value> {
    vec![
        Value::from(NAME),
        Value::from("2011-02-30"),
        Value::from("1887-06-15"),
        Value::from("2031-07-09"),
        Value::from("2011-02-30T10:07"),
        Value::from(23),
        Value::from(777),
        Value::from(-313),
        Value::from(4.5),
    ]
}

/// Text that may appear in an error although it is also in a request: the
/// field names and tokens of the request schemas, and the preset ids.
fn vocabulary() -> BTreeSet<String> {
    fn collect(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(map) => {
                for (key, value) in map {
                    if key == "properties" {
                        if let Value::Object(fields) = value {
                            out.extend(fields.keys().cloned());
                        }
                    }
                    if key == "enum" || key == "const" {
                        let tokens = value.as_array().cloned().unwrap_or(vec![value.clone()]);
                        out.extend(tokens.iter().filter_map(|t| t.as_str().map(String::from)));
                    }
                    collect(value, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
            _ => {}
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema");
    let mut words: BTreeSet<String> = Engine::presets().iter().map(|p| p.to_string()).collect();
    for entry in std::fs::read_dir(&dir).expect("schema/") {
        let path = entry.expect("schema entry").path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with("request.") && name.ends_with(".json") {
            let text = std::fs::read_to_string(&path).expect("a request schema");
            collect(
                &serde_json::from_str(&text).expect("schema JSON"),
                &mut words,
            );
        }
    }
    assert!(words.len() > 100, "only {} vocabulary words", words.len());
    words
}

/// Every request to sweep, with the preset it is decided under: the
/// scenarios' and the malformed corpus's JSON requests.
fn requests() -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for domain in ["sexting", "devices", "images", "escalation"] {
        for (name, file) in scenario_files(&scenario_dir(domain), |_| true) {
            let request = file.unwrap_or_else(|e| panic!("{name}: {e}"))["request"].clone();
            let policy = request["policy"].as_str().unwrap_or("baseline").to_string();
            out.push((format!("{domain}/{name}"), policy, request));
        }
    }
    let (cases, problems) = corpus::load();
    assert!(problems.is_empty(), "{problems:?}");
    for case in cases.iter().filter(|c| c.entry == "request") {
        let Ok(bytes) = case.input() else { continue };
        // Small enough to mutate at every position (the big generated
        // cases are repetitions of what the small ones hold).
        if bytes.len() > 8192 {
            continue;
        }
        if let Ok(request @ Value::Object(_)) = serde_json::from_slice::<Value>(&bytes) {
            out.push((case.file.clone(), case.engine.clone(), request));
        }
    }
    out
}

/// One step into a JSON value.
#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// The paths of every value in `v` (not the root).
fn paths(v: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    let children: Vec<(Step, &Value)> = match v {
        Value::Object(map) => map.iter().map(|(k, v)| (Step::Key(k.clone()), v)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (Step::Index(i), v))
            .collect(),
        _ => return,
    };
    for (step, child) in children {
        at.push(step);
        out.push(at.clone());
        paths(child, at, out);
        at.pop();
    }
}

fn at_mut<'v>(v: &'v mut Value, path: &[Step]) -> &'v mut Value {
    path.iter().fold(v, |v, step| match step {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

/// The request with a marker at each value, and with the name as a key in
/// each object (added, and in place of each of its keys).
fn mutants(request: &Value) -> Vec<Value> {
    let mut all = Vec::new();
    paths(request, &mut Vec::new(), &mut all);
    let mut out = Vec::new();
    for path in &all {
        for marker in markers() {
            let mut m = request.clone();
            *at_mut(&mut m, path) = marker;
            out.push(m);
        }
    }
    let objects = std::iter::once(Vec::new())
        .chain(all)
        .filter(|p| at_mut(&mut request.clone(), p).is_object());
    for path in objects {
        let mut added = request.clone();
        if let Value::Object(map) = at_mut(&mut added, &path) {
            map.insert(NAME.into(), Value::from(true));
        }
        out.push(added);
        let keys: Vec<String> = match at_mut(&mut request.clone(), &path) {
            Value::Object(map) => map.keys().cloned().collect(),
            _ => Vec::new(),
        };
        for key in keys {
            let mut renamed = request.clone();
            if let Value::Object(map) = at_mut(&mut renamed, &path) {
                let renamed_map: Map<String, Value> = std::mem::take(map)
                    .into_iter()
                    .map(|(k, v)| (if k == key { NAME.into() } else { k }, v))
                    .collect();
                *map = renamed_map;
            }
            out.push(renamed);
        }
    }
    out
}

/// What of `request` an error must not quote: its keys and strings of
/// three or more characters that are not vocabulary words, and its numbers
/// of three or more digits.
fn quotable(
    request: &Value,
    vocabulary: &BTreeSet<String>,
) -> (BTreeSet<String>, BTreeSet<String>) {
    fn walk(v: &Value, texts: &mut BTreeSet<String>, numbers: &mut BTreeSet<String>) {
        match v {
            Value::String(s) => {
                texts.insert(s.clone());
            }
            Value::Number(n) => {
                numbers.extend(
                    n.to_string()
                        .split(|c: char| !c.is_ascii_digit())
                        .filter(|d| d.len() >= 3)
                        .map(String::from),
                );
            }
            Value::Object(map) => {
                for (k, v) in map {
                    texts.insert(k.clone());
                    walk(v, texts, numbers);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, texts, numbers)),
            _ => {}
        }
    }
    let (mut texts, mut numbers) = (BTreeSet::new(), BTreeSet::new());
    walk(request, &mut texts, &mut numbers);
    texts.retain(|t| t.chars().count() >= 3 && !vocabulary.contains(t));
    // The markers' telling parts, however a message might cut them.
    texts.extend(["Zelda", "Quixote", "02-30", "1887", "2031", "10:07"].map(String::from));
    numbers.extend(["23", "777", "313", "4.5"].map(String::from));
    (texts, numbers)
}

/// Whether `number` is written in `text` as a number of its own (not part
/// of a longer run of digits).
fn has_number(text: &str, number: &str) -> bool {
    text.match_indices(number).any(|(i, _)| {
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        !digit(text[..i].chars().next_back()) && !digit(text[i + number.len()..].chars().next())
    })
}

#[test]
fn no_error_quotes_the_request() {
    let vocabulary = vocabulary();
    let mut engines = BTreeMap::new();
    let (mut checked, mut leaking, mut leaks) = (0usize, 0usize, Vec::new());
    for (name, preset, request) in requests() {
        let engine = engines
            .entry(preset.clone())
            .or_insert_with(|| Engine::from_preset(&preset).unwrap_or_else(|e| panic!("{e}")));
        for mutant in std::iter::once(request.clone()).chain(mutants(&request)) {
            let Err(error) = engine.evaluate_json(&mutant.to_string()) else {
                continue;
            };
            checked += 1;
            let wire = error.to_wire();
            // The message names the place as the location does; its line
            // and column are the engine's count, not the request's text.
            let place = match (wire.line, wire.column) {
                (Some(line), Some(column)) => format!("line {line}, column {column}"),
                _ => String::new(),
            };
            let message = wire.message.replace(&place, "");
            let said = format!("{message} {}", wire.path.unwrap_or(""));
            let (texts, numbers) = quotable(&mutant, &vocabulary);
            let leaked: Vec<&String> = texts
                .iter()
                .filter(|t| said.contains(t.as_str()))
                .chain(numbers.iter().filter(|n| has_number(&said, n)))
                .collect();
            if !leaked.is_empty() {
                leaking += 1;
                if leaks.len() < 30 {
                    leaks.push(format!(
                        "{name}: {leaked:?} in {said:?}\n  request: {mutant}"
                    ));
                }
            }
        }
    }
    assert!(checked > 10_000, "only {checked} errors checked");
    assert!(
        leaks.is_empty(),
        "{leaking} errors quote the request:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn a_number_is_found_only_on_its_own() {
    assert!(has_number("an age of 23 here", "23"));
    assert!(has_number("23", "23"));
    assert!(!has_number("over 1230", "23"));
    assert!(!has_number("line 230", "23"));
}

/// A policy document is the school's, not the request's, but its errors
/// follow the same rule for keys and tokens: every preset (as JSON) with the
/// name put as a key in each object, and in place of each token-shaped
/// value, gives errors that do not quote it.
#[test]
fn no_policy_error_quotes_an_unknown_key_or_token() {
    use safeguard_engine::policy::load::{self, Format};
    use safeguard_engine::policy::presets;
    let (mut checked, mut leaks) = (0usize, Vec::new());
    for id in presets::IDS {
        let source = presets::source(id).expect("a preset's source");
        let policy = load::parse(source, Format::Toml).unwrap_or_else(|e| panic!("{id}: {e}"));
        let json = serde_json::to_value(&policy).expect("a policy as JSON");
        let mut all = Vec::new();
        paths(&json, &mut Vec::new(), &mut all);
        let mut texts = Vec::new();
        for path in &all {
            let mut m = json.clone();
            match at_mut(&mut m, path) {
                // A token is a short lower_snake_case string.
                Value::String(s) if is_token_shaped(s) => *s = NAME.into(),
                Value::Object(map) => {
                    map.insert(NAME.into(), Value::from(true));
                }
                _ => continue,
            }
            texts.push(m.to_string());
        }
        for text in texts {
            let Err(error) = Engine::from_json(&text) else {
                continue;
            };
            checked += 1;
            let wire = error.to_wire();
            let said = format!("{} {}", wire.message, wire.path.unwrap_or(""));
            if ["Zelda", "Quixote"].iter().any(|m| said.contains(m)) && leaks.len() < 20 {
                leaks.push(format!("{id}: {said}"));
            }
        }
    }
    assert!(checked > 1_000, "only {checked} policy errors checked");
    assert!(
        leaks.is_empty(),
        "policy errors quote a key or token:\n{}",
        leaks.join("\n")
    );
}

fn is_token_shaped(s: &str) -> bool {
    !s.is_empty() && s.len() <= 40 && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}
