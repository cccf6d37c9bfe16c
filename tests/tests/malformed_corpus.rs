//! The malformed-input corpus (`tests/malformed/`, issue 8 part 4) through
//! the Rust API: every case gives its expected error code and JSON path (or,
//! for the few inputs that are valid however odd, a decision), and none
//! panics or hangs. The C ABI runs the same corpus in
//! `ffi/tests/malformed_corpus.rs`.
//!
//! Requests go through `Engine::evaluate_json_bytes` on the engine of the
//! case's preset, JSONL through `json::utf8` and `jsonl_line` (split as
//! `sg_evaluate_jsonl` splits), policies through `Engine::from_bytes`,
//! image bytes through `images::metadata::inspect` / `strip_location`.
//!
//! Text that is not UTF-8 gives `invalid_utf8` from the bytes entry points,
//! as from the C ABI; where the manifest says, this runner also checks what
//! the engine gives for the text after a lossy conversion.
//!
//! `MALFORMED_REPORT=1` prints what every case gave, for writing new cases.

#[path = "../malformed/corpus.rs"]
mod corpus;

use corpus::{Case, Expect, Got, DECIDED};
use safeguard_engine::images::metadata;
use safeguard_engine::{json, jsonl_line, Engine, Error, Format};
use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

/// A case that takes longer than this is reported as hanging.
const TIMEOUT: Duration = Duration::from_secs(120);

fn error_got(e: &Error) -> Result<Got, String> {
    if std::env::var_os("MALFORMED_REPORT").is_some() {
        eprintln!("  {}", e.to_json());
    }
    let got = Got::from_error_json(&e.to_json())?;
    // The typed error and its wire form agree.
    let same = matches!(&got, Got::Error { code, path, .. }
        if code == e.code() && path.as_deref() == e.path());
    if same {
        Ok(got)
    } else {
        Err(format!(
            "the wire form {} disagrees with the error {e:?}",
            e.to_json()
        ))
    }
}

fn result_got<T>(
    r: Result<T, Error>,
    accepted: impl FnOnce(T) -> Result<Got, String>,
) -> Result<Got, String> {
    match r {
        Ok(v) => accepted(v),
        Err(e) => error_got(&e),
    }
}

fn engine(case: &Case) -> Result<Engine, String> {
    Engine::from_preset(&case.engine).map_err(|e| format!("engine {}: {e}", case.engine))
}

/// Runs `text` through the case's entry point.
fn run_text(case: &Case, text: &str) -> Result<Got, String> {
    match case.entry.as_str() {
        "request" => result_got(engine(case)?.evaluate_json(text), |r| {
            Got::from_response_json(&r)
        }),
        "policy_toml" => result_got(Engine::from_toml(text), |_| {
            Ok(Got::Accepted { outcome: None })
        }),
        "policy_json" => result_got(Engine::from_json(text), |_| {
            Ok(Got::Accepted { outcome: None })
        }),
        "policy_lint" => result_got(Engine::from_toml(text).and_then(|e| e.lint()), |_| {
            Ok(Got::Accepted { outcome: None })
        }),
        other => Err(format!("`{other}` does not take text")),
    }
}

/// What the case gave through the Rust API.
fn run(case: &Case) -> Result<Got, String> {
    let input = case.input()?;
    match case.entry.as_str() {
        "image_inspect" => result_got(metadata::inspect(&input), |_| {
            Ok(Got::Accepted { outcome: None })
        }),
        "image_strip" => result_got(metadata::strip_location(&input), |stripped| {
            // A copy that is stripped is stripped for good.
            match metadata::strip_location(&stripped) {
                Ok(again) if again == stripped => Ok(Got::Accepted { outcome: None }),
                _ => Err("stripping the stripped copy changed it or failed".into()),
            }
        }),
        "request_jsonl" => {
            let engine = engine(case)?;
            let mut lines = Vec::new();
            for line in corpus::jsonl_lines(&input) {
                let output = match json::utf8(line, "request") {
                    Ok(line) => jsonl_line(Some(&engine), line, None),
                    Err(e) => e.to_json(),
                };
                lines.push(Got::jsonl_token(&output)?);
            }
            Ok(Got::Lines(lines))
        }
        "request" => result_got(engine(case)?.evaluate_json_bytes(&input), |r| {
            Got::from_response_json(&r)
        }),
        "policy_toml" => result_got(Engine::from_bytes(&input, Format::Toml), |_| {
            Ok(Got::Accepted { outcome: None })
        }),
        "policy_json" => result_got(Engine::from_bytes(&input, Format::Json), |_| {
            Ok(Got::Accepted { outcome: None })
        }),
        "policy_lint" => result_got(
            Engine::from_bytes(&input, Format::Toml).and_then(|e| e.lint()),
            |_| Ok(Got::Accepted { outcome: None }),
        ),
        other => Err(format!("unknown entry point `{other}`")),
    }
}

/// The lossy check of a case that is not UTF-8 (see the module docs).
fn run_lossy(case: &Case, want: &Expect) -> Vec<String> {
    let input = match case.input() {
        Ok(i) => i,
        Err(e) => return vec![e],
    };
    let text = String::from_utf8_lossy(&input);
    match run_text(case, &text) {
        Ok(got) => corpus::compare(want, &got)
            .into_iter()
            .map(|p| format!("after a lossy UTF-8 conversion: {p}"))
            .collect(),
        Err(e) => vec![format!("after a lossy UTF-8 conversion: {e}")],
    }
}

fn check(case: &Case) -> Vec<String> {
    let report = std::env::var_os("MALFORMED_REPORT").is_some();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let got = match run(case) {
            Ok(got) => got,
            Err(e) => return vec![e],
        };
        if report {
            eprintln!("{}: {got:?}", case.file);
        }
        let mut problems = corpus::compare(&case.expect, &got);
        if let Some(lossy) = &case.lossy {
            problems.extend(run_lossy(case, lossy));
        }
        problems
    }));
    let problems = outcome.unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("(no message)");
        vec![format!("{}: {message}", corpus::PANICKED)]
    });
    corpus::verdict(case, problems)
}

#[test]
fn the_corpus_is_complete_and_well_formed() {
    let (cases, mut problems) = corpus::load();
    if cases.len() < corpus::MIN_CASES {
        problems.push(format!(
            "{} cases; the corpus needs at least {}",
            cases.len(),
            corpus::MIN_CASES
        ));
    }
    let domains: BTreeSet<&str> = cases.iter().map(|c| c.domain.as_str()).collect();
    for d in corpus::DOMAINS.iter().filter(|d| !domains.contains(**d)) {
        problems.push(format!("no case for the domain `{d}`"));
    }
    let entries: BTreeSet<&str> = cases.iter().map(|c| c.entry.as_str()).collect();
    for e in corpus::ENTRIES.iter().filter(|e| !entries.contains(**e)) {
        problems.push(format!("no case for the entry point `{e}`"));
    }
    // Every code a caller can provoke is provoked (`unsupported_domain`:
    // every domain is decided; `internal`: a bug, with no input for it;
    // `invalid_argument`: a binding's argument of the wrong type).
    let mut codes: BTreeSet<&str> = BTreeSet::new();
    for c in &cases {
        match &c.expect {
            Expect::Error { code, .. } => {
                codes.insert(code.as_str());
            }
            Expect::Lines(lines) => codes.extend(lines.iter().map(String::as_str)),
            Expect::Decided { .. } => {}
        }
        if let Expect::Error { code, .. } = &c.expect {
            if !Error::CODES.contains(&code.as_str()) {
                problems.push(format!("{}: `{code}` is not an engine error code", c.file));
            }
        }
    }
    for code in Error::CODES
        .iter()
        .filter(|c| !["unsupported_domain", "internal", "invalid_argument"].contains(*c))
    {
        if !codes.contains(code) {
            problems.push(format!("no case is refused with `{code}`"));
        }
    }
    assert!(codes.contains(DECIDED), "no JSONL case has a decided line");
    for c in cases.iter().filter(|c| c.is_generated()) {
        if let Err(e) = c.input() {
            problems.push(format!("{}: {e}", c.file));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s) with the corpus:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_case_gives_its_expected_answer_through_the_rust_api() {
    let (cases, problems) = corpus::load();
    assert!(problems.is_empty(), "the corpus is broken: {problems:#?}");
    let count = cases.len();
    let results = corpus::run_all(cases, TIMEOUT, check);
    let mut failures = Vec::new();
    for (name, problems, _) in &results {
        failures.extend(problems.iter().map(|p| format!("{name}: {p}")));
    }
    let mut slowest: Vec<_> = results.iter().map(|(n, _, t)| (*t, n)).collect();
    slowest.sort_unstable_by(|a, b| b.cmp(a));
    eprintln!(
        "{count} cases; slowest: {:?}",
        &slowest[..slowest.len().min(3)]
    );
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
