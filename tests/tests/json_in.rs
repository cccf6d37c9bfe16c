//! The engine's JSON reader (`core::json_in`) against serde.
//!
//! Requests and policies were read through serde's derived `Deserialize`
//! until the engine got its own reader; the serde path is kept as the
//! oracle of this test (`safeguard_tests::oracle`, `tests/src/oracle/`).
//! Both must give the same value for good text, and for bad text the same
//! error code at the same JSON path and line (and column, see
//! `same_place`). This reads, both ways:
//!
//! - every scenario request, compact and pretty, as every request type;
//! - every request and JSON policy case of the malformed corpus;
//! - mutations of every scenario request: each value replaced by a value of
//!   each other JSON type (and an impossible date), each key removed,
//!   repeated, or joined by an unknown one, and the text cut short at
//!   every 7th byte;
//! - every preset as a JSON policy, and the same mutations of every 37th
//!   of its values (cut at every 1499th byte).
//! - every token of an images request's channel and consents, and near
//!   misses, written plainly, padded, escaped and cut short.

#[path = "../malformed/corpus.rs"]
mod corpus;

use safeguard_engine::devices::DevicesRequest;
use safeguard_engine::devices::RoleMatch;
use safeguard_engine::escalation::EscalationRequest;
use safeguard_engine::images::GalleryRequest;
use safeguard_engine::images::ImagesRequest;
use safeguard_engine::images::{Channel, ConsentValue};
use safeguard_engine::policy::load::{self, Format};
use safeguard_engine::policy::{presets, Policy};
use safeguard_engine::sexting::{SextingRequest, When};
use safeguard_engine::Error;
use safeguard_engine::FromJson;
use safeguard_tests::oracle;
use safeguard_tests::{scenario_dir, scenario_files};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Debug;

/// What a read gave, in the terms both readers must agree on.
#[derive(Debug, PartialEq)]
enum Read<T> {
    Ok(T),
    Err {
        code: &'static str,
        path: Option<String>,
        line: Option<usize>,
        column: Option<usize>,
    },
}

fn outcome<T>(r: Result<T, Error>) -> Read<T> {
    match r {
        Ok(v) => Read::Ok(v),
        Err(e) => {
            let at = e.location().cloned().unwrap_or_default();
            Read::Err {
                code: e.code(),
                path: at.path,
                line: at.line,
                column: at.column,
            }
        }
    }
}

/// Whether two failures are the same: the same code at the same path and
/// line, and at the same column for an error about a field (unknown,
/// repeated or missing: what a caller is most likely to show). For a wrong
/// value the column may differ by two: serde_json's depends on which of its
/// layers noticed, at the value's last byte or the one after it.
fn same_place<T>(ours: &Read<T>, serde: &Read<T>) -> bool {
    let (
        Read::Err {
            code,
            path,
            line,
            column,
        },
        Read::Err {
            code: c2,
            path: p2,
            line: l2,
            column: k2,
        },
    ) = (ours, serde)
    else {
        return false;
    };
    let exact = matches!(*code, "unknown_field" | "duplicate_field" | "missing_field");
    let near = match (column, k2) {
        (Some(a), Some(b)) => a.abs_diff(*b) <= if exact { 0 } else { 2 },
        (a, b) => a == b,
    };
    code == c2 && path == p2 && line == l2 && near
}

/// Reads `text` as `T` both ways: the error code both gave (`None` for a
/// request), or the difference, described.
fn compare_as<T>(text: &str) -> Result<Option<&'static str>, String>
where
    T: FromJson + serde::de::DeserializeOwned + PartialEq + Debug,
{
    let ours = outcome(T::from_json(text));
    let serde = outcome(oracle::read_request::<T>(text));
    judge(&ours, &serde, std::any::type_name::<T>(), text)
}

/// Reads `text` as a JSON policy both ways (as `compare_as`).
fn compare_policy(text: &str) -> Result<Option<&'static str>, String> {
    let ours = outcome(load::parse(text, Format::Json));
    let serde = outcome(oracle::from_json::<Policy>(text));
    judge(&ours, &serde, "policy", text)
}

/// The error code both readers gave (`None` for a value both read alike),
/// or the difference, described.
fn judge<T: PartialEq + Debug>(
    ours: &Read<T>,
    serde: &Read<T>,
    what: &str,
    text: &str,
) -> Result<Option<&'static str>, String> {
    match (ours, serde) {
        (Read::Ok(_), Read::Ok(_)) if ours == serde => Ok(None),
        (Read::Err { code, .. }, Read::Err { .. }) if same_place(ours, serde) => Ok(Some(code)),
        _ => Err(format!(
            "{what}: ours {ours:?}, serde {serde:?}\n  text: {}",
            text.chars().take(400).collect::<String>()
        )),
    }
}

/// Fails with the first differences, if any; then checks that every code
/// of `expected` was reached.
fn assert_same(
    differences: &mut Vec<String>,
    codes: &BTreeSet<&'static str>,
    expected: &[&'static str],
) {
    let count = differences.len();
    differences.truncate(40);
    assert!(
        differences.is_empty(),
        "{count} differences:\n{}",
        differences.join("\n")
    );
    let expected: BTreeSet<&str> = expected.iter().copied().collect();
    assert!(codes.is_superset(&expected), "{codes:?}");
}

/// Reads `text` as every request type, or only as `domain`'s; the error
/// codes both readers gave are added to `codes`.
fn compare(
    text: &str,
    domain: Option<&str>,
    codes: &mut BTreeSet<&'static str>,
    differences: &mut Vec<String>,
) {
    type Compare = fn(&str) -> Result<Option<&'static str>, String>;
    let readers: [(&str, Compare); 5] = [
        ("sexting", compare_as::<SextingRequest>),
        ("devices", compare_as::<DevicesRequest>),
        ("images", compare_as::<ImagesRequest>),
        ("gallery", compare_as::<GalleryRequest>),
        ("escalation", compare_as::<EscalationRequest>),
    ];
    for (name, read) in readers {
        if domain.is_none_or(|d| d == name) {
            match read(text) {
                Ok(code) => codes.extend(code),
                Err(difference) => differences.push(difference),
            }
        }
    }
}

/// Every scenario request, with the type it is read as.
fn scenario_requests() -> Vec<(String, &'static str, Value)> {
    let mut requests = Vec::new();
    for domain in ["sexting", "devices", "images", "escalation"] {
        for (name, file) in scenario_files(&scenario_dir(domain), |_| true) {
            let file = file.unwrap_or_else(|e| panic!("{name}: {e}"));
            let request = file["request"].clone();
            let kind = match domain {
                "images" if request.get("roster").is_some() => "gallery",
                d => d,
            };
            requests.push((name, kind, request));
        }
    }
    assert!(requests.len() > 300, "only {} scenarios", requests.len());
    requests
}

#[test]
fn scenario_requests_read_the_same_as_every_type() {
    let (mut codes, mut differences) = (BTreeSet::new(), Vec::new());
    for (_, _, request) in scenario_requests() {
        compare(&request.to_string(), None, &mut codes, &mut differences);
        let pretty = serde_json::to_string_pretty(&request).unwrap();
        compare(&pretty, None, &mut codes, &mut differences);
    }
    assert_same(&mut differences, &codes, &[]);
}

#[test]
fn malformed_requests_fail_the_same() {
    let (cases, problems) = corpus::load();
    assert!(problems.is_empty(), "{problems:?}");
    let (mut codes, mut differences) = (BTreeSet::new(), Vec::new());
    let mut read = 0;
    for case in cases.iter().filter(|c| c.entry == "request") {
        let bytes = case
            .input()
            .unwrap_or_else(|e| panic!("{}: {e}", case.file));
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        compare(&text, None, &mut codes, &mut differences);
        read += 1;
    }
    assert!(read >= 100, "only {read} request cases");
    assert_same(&mut differences, &codes, &[]);
}

/// A value of each JSON type, and text that is a string but not a date.
const REPLACEMENTS: [&str; 9] = [
    "null",
    "true",
    "7",
    "-1",
    "1.5",
    "\"x\"",
    "\"2025-02-30\"",
    "[]",
    "{}",
];

/// Every variant of `v` with one value replaced or one key changed, as
/// text.
fn mutations(v: &Value, out: &mut Vec<String>) {
    mutations_sampled(v, 1, 7, out);
}

/// As [`mutations`], of every `every`th value, with the text cut at every
/// `cut`th byte.
fn mutations_sampled(v: &Value, every: usize, cut: usize, out: &mut Vec<String>) {
    let mut paths = Vec::new();
    collect_paths(v, &mut Vec::new(), &mut paths);
    for path in paths.iter().step_by(every) {
        for replacement in REPLACEMENTS {
            let mut m = v.clone();
            *pointer_mut(&mut m, path) = serde_json::from_str(replacement).unwrap();
            out.push(m.to_string());
        }
        if let Some((last, parent)) = path.split_last() {
            if let Step::Key(k) = last {
                let mut m = v.clone();
                if let Value::Object(map) = pointer_mut(&mut m, parent) {
                    map.remove(k);
                }
                out.push(m.to_string());
                if let Value::Object(map) = pointer_mut(&mut m, parent) {
                    map.insert("zz_not_a_field".into(), Value::Bool(true));
                }
                out.push(m.to_string());
            }
            // A repeated key cannot be held by a `Value`: written by hand.
            if let Step::Key(k) = last {
                let text = v.to_string();
                let needle = format!("\"{k}\":");
                if let Some(i) = text.find(&needle) {
                    out.push(format!("{}{needle}null,{}", &text[..i], &text[i..]));
                }
            }
        }
    }
    let text = v.to_string();
    for cut in (0..text.len()).step_by(cut) {
        if text.is_char_boundary(cut) {
            out.push(text[..cut].to_string());
        }
    }
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn collect_paths(v: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(at.clone());
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                at.push(Step::Key(k.clone()));
                collect_paths(child, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                at.push(Step::Index(i));
                collect_paths(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn pointer_mut<'v>(v: &'v mut Value, path: &[Step]) -> &'v mut Value {
    path.iter().fold(v, |v, step| match step {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

#[test]
fn mutated_requests_read_the_same() {
    let (mut codes, mut differences) = (BTreeSet::new(), Vec::new());
    let (mut texts, mut read) = (Vec::new(), 0);
    for (_, kind, request) in scenario_requests() {
        texts.clear();
        mutations(&request, &mut texts);
        for text in &texts {
            compare(text, Some(kind), &mut codes, &mut differences);
        }
        read += texts.len();
    }
    eprintln!("{read} mutated requests read both ways");
    assert_same(&mut differences, &codes, &EVERY_FAILURE);
    // The mutations reach every kind of read failure, and nothing else.
    assert_eq!(codes, BTreeSet::from(EVERY_FAILURE));
}

/// Every kind of failure a read can give.
const EVERY_FAILURE: [&str; 6] = [
    "duplicate_field",
    "invalid_date",
    "invalid_json",
    "invalid_value",
    "missing_field",
    "unknown_field",
];

#[test]
fn presets_and_mutated_presets_read_the_same_as_json_policies() {
    let (mut codes, mut differences) = (BTreeSet::new(), Vec::new());
    let mut texts = Vec::new();
    for id in presets::IDS {
        let source = presets::source(id).unwrap();
        let policy = load::parse(source, Format::Toml).unwrap_or_else(|e| panic!("{id}: {e}"));
        let json = serde_json::to_value(&policy).unwrap();
        texts.clear();
        texts.push(json.to_string());
        texts.push(serde_json::to_string_pretty(&json).unwrap());
        mutations_sampled(&json, 37, 1499, &mut texts);
        for text in &texts {
            match compare_policy(text) {
                Ok(code) => codes.extend(code),
                Err(difference) => differences.push(difference),
            }
        }
    }
    // The sample reaches every kind of failure but a bad date (the request
    // mutations reach that).
    let reached: Vec<&str> = EVERY_FAILURE
        .into_iter()
        .filter(|c| *c != "invalid_date")
        .collect();
    assert_same(&mut differences, &codes, &reached);
}

/// Issue 21 (SPEC §1.5): a NUL byte or a form feed between tokens is not
/// JSON. Each is put after every `{`, `[`, `:` and `,` (outside strings) of
/// every scenario request, and before its closing bracket: both readers
/// refuse the text as `invalid_json`, at the same place. (Requests that
/// fail to read as they are, the malformed scenarios, are left out: their
/// own error comes first.)
#[test]
fn a_nul_or_form_feed_between_tokens_is_invalid_json_both_ways() {
    let mut differences = Vec::new();
    let mut read = 0;
    for (_, kind, request) in scenario_requests() {
        let text = request.to_string();
        let mut codes = BTreeSet::new();
        compare(&text, Some(kind), &mut codes, &mut differences);
        if !codes.is_empty() {
            continue;
        }
        let mut in_string = false;
        let mut escaped = false;
        let mut places = vec![text.len() - 1];
        for (i, b) in text.bytes().enumerate() {
            match b {
                _ if escaped => escaped = false,
                b'\\' if in_string => escaped = true,
                b'"' => in_string = !in_string,
                b'{' | b'[' | b':' | b',' if !in_string => places.push(i + 1),
                _ => {}
            }
        }
        for at in places {
            for odd in ['\u{0}', '\u{c}'] {
                let bad = format!("{}{odd}{}", &text[..at], &text[at..]);
                let mut codes = BTreeSet::new();
                compare(&bad, Some(kind), &mut codes, &mut differences);
                if codes != BTreeSet::from(["invalid_json"]) && differences.is_empty() {
                    differences.push(format!("{codes:?} for {odd:?} at {at} of {text:.200}"));
                }
                read += 1;
            }
        }
    }
    assert!(read > 10_000, "only {read} texts");
    assert_same(&mut differences, &BTreeSet::new(), &[]);
}

/// Tokens are matched as words when written plainly and read as strings
/// otherwise; both ways must give serde's answer, for tokens shorter and
/// longer than the 16 bytes compared at once, near the end of the text and
/// not, after whitespace, escaped, cut short, or followed by something that
/// is not JSON. Each is read where a request holds one: as an images
/// request's channel (last in the text, and followed by the other fields)
/// and as a pupil's consent (once, and twice in one object).
#[test]
fn tokens_read_as_serde_reads_them_however_written() {
    let mut words: Vec<String> = Channel::ALL.iter().map(|c| c.as_str().into()).collect();
    words.extend(ConsentValue::ALL.iter().map(|c| c.as_str().to_string()));
    // Prefixes and extensions of tokens, and an escaped letter.
    words.extend(
        [
            "n",
            "no_",
            "yes ",
            "ye",
            "YES",
            "websitex",
            "y\\u0065s",
            "web\\/site",
        ]
        .map(String::from),
    );
    let media = r#""media":{"kind":"photo","composition":"group","captured_on":"school_device"}"#;
    let pupil = r#""id":"a","first_name":"A","last_name":"B","on_roll":true"#;
    let (mut codes, mut differences) = (BTreeSet::new(), Vec::new());
    let (mut read, mut both_read) = (0, 0);
    for word in &words {
        for w in [
            format!("\"{word}\""),
            format!("  \"{word}\""),
            format!("\"{word}\"x"),
            format!("\"{word}"),
        ] {
            for pad in [0, 1, 8, 15, 16, 30] {
                let pad = " ".repeat(pad);
                for text in [
                    format!(r#"{{{media},"pupils":[],"channel":{w}}}{pad}"#),
                    format!(r#"{{"channel":{w},{media},"pupils":[]}}{pad}"#),
                    format!(
                        r#"{{"channel":"website",{media},"pupils":[{{{pupil},"consent":{{"press":{w}}}}}]}}{pad}"#
                    ),
                    format!(
                        r#"{{"channel":"website",{media},"pupils":[{{"consent":{{"website":{w},"press":{w}}},{pupil}}}]}}{pad}"#
                    ),
                ] {
                    match compare_as::<ImagesRequest>(&text) {
                        Ok(None) => both_read += 1,
                        Ok(Some(code)) => _ = codes.insert(code),
                        Err(difference) => differences.push(difference),
                    }
                    read += 1;
                }
            }
        }
    }
    assert!(read > 2_000, "only {read} texts");
    // Some texts are requests, and each way of failing is reached.
    assert!(both_read > 100, "only {both_read} requests read");
    assert_same(&mut differences, &codes, &["invalid_json", "invalid_value"]);
}

/// A value of one of two token sets (`either_token!`: a sexting
/// condition, `When`, is a criterion or another trigger; a devices rule's
/// role, `RoleMatch`, is a role or a group) reads as serde reads it: every
/// token, an unknown one and a value of each other JSON type, in a rule's
/// `when`, an action's `unless` and a devices rule's `roles` of the
/// baseline, pretty and compact.
#[test]
fn tokens_of_two_sets_read_as_serde_reads_them() {
    let source = presets::source("baseline").unwrap();
    let policy = load::parse(source, Format::Toml).unwrap();
    let json = serde_json::to_value(&policy).unwrap();
    let conditions = When::ALL.iter().map(|w| w.as_str());
    let roles = RoleMatch::ALL.iter().map(|r| r.as_str());
    let mut values: Vec<String> = conditions
        .chain(roles)
        .map(|token| format!("\"{token}\""))
        .collect();
    values.extend(["\"adult\"", "\"Always\""].map(String::from));
    values.extend(REPLACEMENTS.iter().map(|r| r.to_string()));
    let places = [
        "/sexting/rules/0/when/0",
        "/sexting/actions/14/unless",
        "/devices/rules/1/roles/0",
    ];
    let (mut codes, mut differences) = (BTreeSet::new(), Vec::new());
    let mut both_read = 0;
    for value in &values {
        let value: Value = serde_json::from_str(value).unwrap();
        for place in places {
            let mut m = json.clone();
            let slot = m.pointer_mut(place);
            *slot.unwrap_or_else(|| panic!("the baseline has {place}")) = value.clone();
            for text in [m.to_string(), serde_json::to_string_pretty(&m).unwrap()] {
                match compare_policy(&text) {
                    Ok(None) => both_read += 1,
                    Ok(Some(code)) => _ = codes.insert(code),
                    Err(difference) => differences.push(difference),
                }
            }
        }
    }
    // Each set's tokens read in their places (an outcome trigger in a rule
    // is refused later, by the policy's validation, not by the reader).
    let read = 2 * (2 * When::ALL.len() + RoleMatch::ALL.len());
    assert!(both_read >= read, "only {both_read} read");
    assert_same(&mut differences, &codes, &["invalid_value"]);
}
