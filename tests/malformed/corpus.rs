//! The malformed-input corpus of `tests/malformed/`: its manifest, the
//! bytes of each case (read from its file, or built by its generator), and
//! the comparison of what an entry point gave with what the manifest
//! expects.
//!
//! Shared, through `#[path]`, by the Rust runner
//! (`tests/tests/malformed_corpus.rs`) and the C ABI runner
//! (`ffi/tests/malformed_corpus.rs`), so both read the corpus the same way.
//! The format is described in `tests/malformed/README.md`.

// Each runner uses a different part of this module.
#![allow(dead_code)]

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The entry points a case can go through.
pub const ENTRIES: [&str; 7] = [
    "request",
    "request_jsonl",
    "policy_toml",
    "policy_json",
    "policy_lint",
    "image_inspect",
    "image_strip",
];

/// The domains of the file names (`NNN-<domain>-<what>.<ext>`): `any` is a
/// request for no domain in particular, `gallery` an images request with a
/// roster, `policy` a policy document, `image` image bytes.
pub const DOMAINS: [&str; 8] = [
    "any",
    "sexting",
    "devices",
    "images",
    "gallery",
    "escalation",
    "policy",
    "image",
];

/// The file extensions a case may have (`gen`: a generator, see [`generate`]).
pub const EXTENSIONS: [&str; 5] = ["json", "jsonl", "toml", "bin", "gen"];

/// The corpus must hold at least this many cases.
pub const MIN_CASES: usize = 100;

/// The largest committed case file: big inputs are generated.
pub const MAX_FILE_BYTES: u64 = 4096;

/// Files of the corpus directory that are not cases.
pub const NOT_CASES: [&str; 3] = ["manifest.json", "README.md", "corpus.rs"];

/// The code of text that is not UTF-8 (from the C ABI and the Rust API's
/// bytes entry points; lossy expectations are only for such cases).
pub const INVALID_UTF8: &str = "invalid_utf8";

/// A line of JSONL output that is a decision, not an error.
pub const DECIDED: &str = "decided";

/// The corpus directory (this file's crate is `tests/` or `ffi/`; both sit
/// next to `tests/`).
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("tests")
        .join("malformed")
}

/// What a case must give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// Refused with `code`. `path` must be exactly the error's JSON path
    /// (`None`: the error has none); `line`, `column` and `rule` are checked
    /// when given.
    Error {
        code: String,
        path: Option<String>,
        line: Option<u64>,
        column: Option<u64>,
        rule: Option<String>,
    },
    /// Accepted and decided with this outcome.
    Decided { outcome: String },
    /// `request_jsonl`: for each output line, `decided` or its error code.
    Lines(Vec<String>),
}

/// What an entry point gave, in the terms of [`Expect`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Got {
    Error {
        code: String,
        path: Option<String>,
        line: Option<u64>,
        column: Option<u64>,
        rule: Option<String>,
    },
    /// Accepted; the decision's outcome (`None` for image entry points,
    /// whose answers have none).
    Accepted {
        outcome: Option<String>,
    },
    Lines(Vec<String>),
}

impl Got {
    /// An error from its wire JSON (`{"schema_version":1,"error":{...}}`),
    /// as `Error::to_json`, a JSONL error line and `sg_last_error` give it.
    pub fn from_error_json(text: &str) -> Result<Got, String> {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| format!("the error is not JSON ({e}): {text}"))?;
        let e = v
            .get("error")
            .ok_or_else(|| format!("no `error` object in {text}"))?;
        let s = |k: &str| e.get(k).and_then(Value::as_str).map(str::to_owned);
        let n = |k: &str| e.get(k).and_then(Value::as_u64);
        let code = s("code").ok_or_else(|| format!("no error code in {text}"))?;
        if s("message").filter(|m| !m.trim().is_empty()).is_none() {
            return Err(format!("the error has no message: {text}"));
        }
        Ok(Got::Error {
            code,
            path: s("path"),
            line: n("line"),
            column: n("column"),
            rule: s("rule"),
        })
    }

    /// A decision from its response JSON.
    pub fn from_response_json(text: &str) -> Result<Got, String> {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| format!("the response is not JSON ({e}): {text:.200}"))?;
        match v.get("outcome").and_then(Value::as_str) {
            Some(o) => Ok(Got::Accepted {
                outcome: Some(o.to_owned()),
            }),
            None => Err(format!("the response has no outcome: {text:.200}")),
        }
    }

    /// One line of JSONL output: `decided` or its error code.
    pub fn jsonl_token(line: &str) -> Result<String, String> {
        let v: Value = serde_json::from_str(line)
            .map_err(|e| format!("an output line is not JSON ({e}): {line:.200}"))?;
        if v.get("error").is_some() {
            match Got::from_error_json(line)? {
                Got::Error { code, .. } => Ok(code),
                _ => unreachable!("from_error_json gives errors"),
            }
        } else if v.get("outcome").is_some() {
            Ok(DECIDED.to_owned())
        } else {
            Err(format!(
                "an output line is neither a decision nor an error: {line:.200}"
            ))
        }
    }
}

/// The differences between what a case expects and what it got (empty when
/// they agree).
pub fn compare(expect: &Expect, got: &Got) -> Vec<String> {
    let mut problems = Vec::new();
    match (expect, got) {
        (
            Expect::Error {
                code,
                path,
                line,
                column,
                rule,
            },
            Got::Error {
                code: got_code,
                path: got_path,
                line: got_line,
                column: got_column,
                rule: got_rule,
            },
        ) => {
            if code != got_code {
                problems.push(format!("code {got_code:?}, expected {code:?}"));
            }
            if path != got_path {
                problems.push(format!("path {got_path:?}, expected {path:?}"));
            }
            if line.is_some() && line != got_line {
                problems.push(format!("line {got_line:?}, expected {line:?}"));
            }
            if column.is_some() && column != got_column {
                problems.push(format!("column {got_column:?}, expected {column:?}"));
            }
            if rule.is_some() && rule != got_rule {
                problems.push(format!("rule {got_rule:?}, expected {rule:?}"));
            }
        }
        (Expect::Decided { outcome }, Got::Accepted { outcome: got }) => {
            if got.as_deref() != Some(outcome.as_str()) {
                problems.push(format!("outcome {got:?}, expected {outcome:?}"));
            }
        }
        (Expect::Lines(lines), Got::Lines(got)) => {
            if lines != got {
                problems.push(format!("output lines {got:?}, expected {lines:?}"));
            }
        }
        (expect, got) => problems.push(format!("got {got:?}, expected {expect:?}")),
    }
    problems
}

/// One case of the corpus.
#[derive(Debug, Clone)]
pub struct Case {
    /// The file name, which names the case in every failure.
    pub file: String,
    /// One of [`ENTRIES`].
    pub entry: String,
    /// One of [`DOMAINS`] (also the second part of the file name).
    pub domain: String,
    /// The preset the engine is built from, for the request entry points.
    pub engine: String,
    pub expect: Expect,
    /// For text that is not UTF-8 (expected code [`INVALID_UTF8`]): what
    /// the engine gives for the text after a lossy conversion (each bad
    /// sequence replaced by U+FFFD), as a Rust caller holding bytes would
    /// have to do. Not checked when absent.
    pub lossy: Option<Expect>,
    /// The file's content: the input itself, or for a `.gen` file its
    /// generator.
    pub content: Vec<u8>,
    /// A known defect of the engine: what it does instead of the expected
    /// answer (see [`verdict`]).
    pub known_wrong: Option<String>,
}

impl Case {
    /// Whether the input is built by a generator.
    pub fn is_generated(&self) -> bool {
        self.file.ends_with(".gen")
    }

    /// The input bytes: the file itself, or what its generator builds.
    pub fn input(&self) -> Result<Vec<u8>, String> {
        if !self.is_generated() {
            return Ok(self.content.clone());
        }
        let spec: Value = serde_json::from_slice(&self.content)
            .map_err(|e| format!("the generator is not JSON: {e}"))?;
        generate(&spec)
    }

    /// Whether the entry point takes text (as opposed to image bytes).
    pub fn is_text(&self) -> bool {
        !self.entry.starts_with("image_")
    }
}

/// Builds the bytes a generator describes: `{"about": "...", "parts": [...]}`,
/// the parts concatenated in order, each one of
///
/// - `{"text": "..."}`: the UTF-8 text;
/// - `{"repeat": "...", "count": N, "sep": "..."}`: the text `N` times,
///   separated by `sep` (default none), with every `{i}` replaced by the
///   0-based repetition number;
/// - `{"hex": "ffd8"}`: raw bytes;
/// - `{"random": N, "seed": S}`: `N` pseudo-random bytes: the successive
///   states of xorshift64 (shifts 13, 7, 17) from the seed `S` (not 0),
///   each written little-endian, cut to `N` bytes.
pub fn generate(spec: &Value) -> Result<Vec<u8>, String> {
    let about = spec.get("about").and_then(Value::as_str);
    if about.filter(|a| !a.trim().is_empty()).is_none() {
        return Err("the generator has no `about`".into());
    }
    let parts = spec
        .get("parts")
        .and_then(Value::as_array)
        .ok_or("the generator has no `parts` list")?;
    let mut out = Vec::new();
    for part in parts {
        let obj = part.as_object().ok_or("a part is not an object")?;
        let count = |key: &str| {
            obj.get(key)
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| format!("a part has no count `{key}`: {part}"))
        };
        if let Some(text) = obj.get("text").and_then(Value::as_str) {
            out.extend_from_slice(text.as_bytes());
        } else if let Some(unit) = obj.get("repeat").and_then(Value::as_str) {
            let n = count("count")?;
            let sep = obj.get("sep").and_then(Value::as_str).unwrap_or("");
            if !unit.contains("{i}") && sep.is_empty() {
                out.extend_from_slice(unit.repeat(n).as_bytes());
            } else {
                for i in 0..n {
                    if i > 0 {
                        out.extend_from_slice(sep.as_bytes());
                    }
                    out.extend_from_slice(unit.replace("{i}", &i.to_string()).as_bytes());
                }
            }
        } else if let Some(hex) = obj.get("hex").and_then(Value::as_str) {
            out.extend(decode_hex(hex)?);
        } else if obj.contains_key("random") {
            let n = count("random")?;
            let mut state = obj
                .get("seed")
                .and_then(Value::as_u64)
                .filter(|&s| s != 0)
                .ok_or("a random part needs a seed that is not 0")?;
            let start = out.len();
            while out.len() - start < n {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let take = (n - (out.len() - start)).min(8);
                out.extend_from_slice(&state.to_le_bytes()[..take]);
            }
        } else {
            return Err(format!("a part of an unknown kind: {part}"));
        }
    }
    Ok(out)
}

fn decode_hex(hex: &str) -> Result<Vec<u8>, String> {
    hex.as_bytes()
        .chunks(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .filter(|p| p.len() == 2)
                .and_then(|p| u8::from_str_radix(p, 16).ok())
                .ok_or_else(|| format!("bad hex {hex:?}"))
        })
        .collect()
}

/// Reads an expectation from the manifest entry `c`, with its keys
/// prefixed by `prefix` (`""`, or `"lossy_"` for the lossy one).
fn expectation(c: &Value, prefix: &str) -> Result<Option<Expect>, String> {
    let key = |k: &str| format!("{prefix}{k}");
    let s = |k: &str| -> Result<Option<String>, String> {
        match c.get(key(k)) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!("`{}` is not a string: {other}", key(k))),
        }
    };
    let n = |k: &str| -> Result<Option<u64>, String> {
        match c.get(key(k)) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| format!("`{}` is not a number: {v}", key(k))),
        }
    };
    let code = s("code")?;
    let outcome = s("outcome")?;
    let lines = match c.get(key("lines")) {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_owned)
                        .ok_or("a line is not a string")
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(other) => return Err(format!("`{}` is not a list: {other}", key("lines"))),
    };
    match (code, outcome, lines) {
        (Some(code), None, None) => Ok(Some(Expect::Error {
            code,
            path: s("path")?,
            line: n("line")?,
            column: n("column")?,
            rule: s("rule")?,
        })),
        (None, Some(outcome), None) => Ok(Some(Expect::Decided { outcome })),
        (None, None, Some(lines)) => Ok(Some(Expect::Lines(lines))),
        (None, None, None) => Ok(None),
        _ => Err(format!(
            "give one of `{0}code`, `{0}outcome` or `{0}lines`",
            prefix
        )),
    }
}

const KEYS: [&str; 17] = [
    "file",
    "entry",
    "domain",
    "engine",
    "what",
    "code",
    "path",
    "line",
    "column",
    "rule",
    "outcome",
    "lines",
    "lossy_code",
    "lossy_path",
    "lossy_outcome",
    "lossy_lines",
    "known_wrong",
];

/// Whether `name` is `NNN-<domain>-<what>.<ext>` for this case's domain.
fn name_problem(name: &str, domain: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    if !EXTENSIONS.contains(&ext) {
        return Some(format!("extension `.{ext}` is not one of {EXTENSIONS:?}"));
    }
    let b = stem.as_bytes();
    let numbered = b.len() > 4 && b[..3].iter().all(u8::is_ascii_digit) && b[3] == b'-';
    let rest = stem.get(4..).unwrap_or_default();
    let plain = rest
        .bytes()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
    let of_domain = rest
        .strip_prefix(domain)
        .is_some_and(|what| what.len() > 1 && what.starts_with('-'));
    if numbered && plain && of_domain {
        None
    } else {
        Some(format!("not named NNN-{domain}-<what>.<ext>"))
    }
}

/// Loads the manifest and every case file. Returns the cases and every
/// problem with the corpus itself: a malformed manifest entry, a listed
/// file that is missing, a file that is not listed, a file over
/// [`MAX_FILE_BYTES`], a badly named or renumbered file.
pub fn load() -> (Vec<Case>, Vec<String>) {
    let dir = dir();
    let mut problems = Vec::new();
    let manifest: Value = match std::fs::read_to_string(dir.join("manifest.json"))
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(v) => v,
        Err(e) => return (Vec::new(), vec![format!("manifest.json: {e}")]),
    };
    let Some(entries) = manifest.get("cases").and_then(Value::as_array) else {
        return (Vec::new(), vec!["manifest.json: no `cases` list".into()]);
    };
    let mut cases = Vec::new();
    let mut listed = BTreeSet::new();
    let mut numbers = BTreeMap::new();
    for (i, c) in entries.iter().enumerate() {
        let file = c
            .get("file")
            .and_then(Value::as_str)
            .map_or_else(|| format!("manifest case {i}"), str::to_owned);
        let mut fail = |p: String| problems.push(format!("{file}: {p}"));
        if let Some(obj) = c.as_object() {
            for k in obj.keys().filter(|k| !KEYS.contains(&k.as_str())) {
                fail(format!("unknown manifest key `{k}`"));
            }
        }
        if !listed.insert(file.clone()) {
            fail("listed twice".into());
            continue;
        }
        let entry = c.get("entry").and_then(Value::as_str).unwrap_or_default();
        if !ENTRIES.contains(&entry) {
            fail(format!("entry `{entry}` is not one of {ENTRIES:?}"));
            continue;
        }
        let domain = c.get("domain").and_then(Value::as_str).unwrap_or_default();
        if !DOMAINS.contains(&domain) {
            fail(format!("domain `{domain}` is not one of {DOMAINS:?}"));
            continue;
        }
        if let Some(p) = name_problem(&file, domain) {
            fail(p);
        }
        if let Some(previous) =
            numbers.insert(file.get(..3).unwrap_or_default().to_owned(), file.clone())
        {
            fail(format!("number used by {previous} too"));
        }
        let expect = match expectation(c, "") {
            Ok(Some(e)) => e,
            Ok(None) => {
                fail("no expectation (`code`, `outcome` or `lines`)".into());
                continue;
            }
            Err(e) => {
                fail(e);
                continue;
            }
        };
        if matches!(expect, Expect::Lines(_)) != (entry == "request_jsonl") {
            fail("`lines` is for `request_jsonl` cases, and they need it".into());
        }
        let lossy = match expectation(c, "lossy_") {
            Ok(l) => l,
            Err(e) => {
                fail(e);
                continue;
            }
        };
        let invalid_utf8 = matches!(&expect, Expect::Error { code, .. } if code == INVALID_UTF8);
        if lossy.is_some() && !invalid_utf8 {
            fail(format!(
                "a lossy expectation is only for `{INVALID_UTF8}` cases"
            ));
        }
        let path = dir.join(&file);
        match std::fs::metadata(&path) {
            Ok(m) if m.len() > MAX_FILE_BYTES => fail(format!(
                "{} bytes: over {MAX_FILE_BYTES}; generate big inputs",
                m.len()
            )),
            Ok(_) => {}
            Err(e) => {
                fail(format!("listed but not readable: {e}"));
                continue;
            }
        }
        let content = match std::fs::read(&path) {
            Ok(c) => c,
            Err(e) => {
                fail(format!("cannot read: {e}"));
                continue;
            }
        };
        let engine = c
            .get("engine")
            .and_then(Value::as_str)
            .unwrap_or("baseline")
            .to_owned();
        let known_wrong = match c.get("known_wrong") {
            None => None,
            Some(Value::String(w)) if !w.trim().is_empty() => Some(w.clone()),
            Some(other) => {
                fail(format!("`known_wrong` is not a description: {other}"));
                continue;
            }
        };
        cases.push(Case {
            known_wrong,
            file,
            entry: entry.to_owned(),
            domain: domain.to_owned(),
            engine,
            expect,
            lossy,
            content,
        });
    }
    match std::fs::read_dir(&dir) {
        Ok(files) => {
            for f in files.flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                if !NOT_CASES.contains(&name.as_str()) && !listed.contains(&name) {
                    problems.push(format!("{name}: in the corpus but not in manifest.json"));
                }
            }
        }
        Err(e) => problems.push(format!("cannot list {}: {e}", dir.display())),
    }
    (cases, problems)
}

/// The start of the problem of a case that panicked.
pub const PANICKED: &str = "PANICKED";

/// The failures of `case`, given the differences between what it expects
/// and what it got. A case marked `known_wrong` (a defect of the engine,
/// reported and not yet fixed) is excused while it still differs, and
/// printed; it fails once it gives the expected answer, so that the mark is
/// removed. A panic is never excused.
pub fn verdict(case: &Case, problems: Vec<String>) -> Vec<String> {
    let Some(wrong) = &case.known_wrong else {
        return problems;
    };
    if problems.iter().any(|p| p.starts_with(PANICKED)) {
        return problems;
    }
    if problems.is_empty() {
        return vec![format!(
            "marked `known_wrong` ({wrong}) but now gives the expected answer: remove the mark"
        )];
    }
    eprintln!(
        "known wrong: {}: {wrong}\n  {}",
        case.file,
        problems.join("\n  ")
    );
    Vec::new()
}

/// Splits JSONL input into lines as `sg_evaluate_jsonl` does: one final
/// `\n` is dropped, then each `\n` ends a line and a `\r` before it is
/// dropped; empty input has no lines.
pub fn jsonl_lines(input: &[u8]) -> Vec<&[u8]> {
    if input.is_empty() {
        return Vec::new();
    }
    let body = input.strip_suffix(b"\n").unwrap_or(input);
    body.split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect()
}

/// Runs `run` on every case on a worker thread, so that a case that hangs
/// is reported by name (after `timeout`) instead of stalling the test; a
/// case that panics is caught by `run` itself. Returns each case's
/// problems (empty when it passes) and how long it took.
pub fn run_all<F>(
    cases: Vec<Case>,
    timeout: std::time::Duration,
    run: F,
) -> Vec<(String, Vec<String>, std::time::Duration)>
where
    F: Fn(&Case) -> Vec<String> + Send + 'static,
{
    let names: Vec<String> = cases.iter().map(|c| c.file.clone()).collect();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("malformed-corpus".into())
        .spawn(move || {
            for case in &cases {
                let start = std::time::Instant::now();
                let problems = run(case);
                if tx.send((problems, start.elapsed())).is_err() {
                    return;
                }
            }
        })
        .expect("spawn the corpus worker");
    let mut results = Vec::new();
    for name in names {
        match rx.recv_timeout(timeout) {
            Ok((problems, took)) => results.push((name, problems, took)),
            Err(e) => panic!(
                "{name}: no answer after {timeout:?} ({e}): the case hangs or the worker died"
            ),
        }
    }
    results
}
