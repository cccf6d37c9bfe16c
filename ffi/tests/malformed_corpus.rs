//! The malformed-input corpus (`tests/malformed/`, issue 8 part 4) through
//! the C ABI, with the raw bytes of each case (invalid UTF-8 included):
//! requests through `sg_engine_from_preset` + `sg_evaluate` (and
//! `sg_explain`, which must refuse each as `sg_evaluate` does and explain
//! what it decides as the Rust API does), JSONL through
//! `sg_evaluate_jsonl`, policies through `sg_engine_from_policy` (and
//! `sg_lint` for the lint cases), image bytes
//! through `sg_image_inspect` / `sg_image_strip_location`.
//!
//! For every case: the `sg_result` is the number of the expected code;
//! `sg_last_error()` carries that code and the expected path, and is, byte
//! for byte, the error JSON the Rust API gives for the same input; outputs
//! are left untouched on failure and freed with their own free function on
//! success; no call returns `SG_RESULT_PANIC` and no case hangs.

#[path = "../../tests/malformed/corpus.rs"]
mod corpus;

use corpus::{Case, Got};
use safeguard::{
    sg_bytes_free, sg_engine, sg_engine_free, sg_engine_from_policy, sg_engine_from_preset,
    sg_evaluate, sg_evaluate_jsonl, sg_explain, sg_image_inspect, sg_image_strip_location,
    sg_last_error, sg_lint, sg_result, sg_string_free,
};
use safeguard_engine::images::metadata;
use safeguard_engine::{Engine, Error, Format};
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::time::Duration;

/// A case that takes longer than this is reported as hanging.
const TIMEOUT: Duration = Duration::from_secs(120);

/// A value `out_len` is set to before a call, to see that a failure leaves
/// it alone.
const UNTOUCHED: usize = usize::MAX;

/// The `sg_result` of each error code.
const RESULTS: [(&str, sg_result); 18] = [
    ("invalid_utf8", sg_result::InvalidUtf8),
    ("invalid_json", sg_result::InvalidJson),
    ("invalid_toml", sg_result::InvalidToml),
    ("unknown_field", sg_result::UnknownField),
    ("missing_field", sg_result::MissingField),
    ("duplicate_field", sg_result::DuplicateField),
    ("invalid_value", sg_result::InvalidValue),
    ("invalid_date", sg_result::InvalidDate),
    ("too_large", sg_result::TooLarge),
    ("unknown_policy", sg_result::UnknownPolicy),
    ("policy_mismatch", sg_result::PolicyMismatch),
    ("unsupported_domain", sg_result::UnsupportedDomain),
    ("floor_violation", sg_result::FloorViolation),
    ("invalid_image", sg_result::InvalidImage),
    ("unsupported_image", sg_result::UnsupportedImage),
    ("too_complex", sg_result::TooComplex),
    ("internal", sg_result::Internal),
    ("invalid_argument", sg_result::InvalidArgument),
];

fn result_of(code: &str) -> Option<sg_result> {
    RESULTS.iter().find(|(c, _)| *c == code).map(|&(_, r)| r)
}

/// The thread's last error, copied.
fn last_error() -> String {
    let p = sg_last_error();
    assert!(!p.is_null(), "sg_last_error gave null");
    // SAFETY: sg_last_error gives a NUL-terminated string, never null, valid
    // until the next call into the library on this thread; it is copied here
    // before any other call.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// An engine handle, freed with `sg_engine_free` when dropped.
struct Handle(*mut sg_engine);

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: the pointer came from sg_engine_from_* and is freed once,
        // here, after the last use.
        unsafe { sg_engine_free(self.0) };
    }
}

fn preset(id: &str) -> Result<Handle, String> {
    let id_c = CString::new(id).map_err(|e| e.to_string())?;
    let mut engine: *mut sg_engine = ptr::null_mut();
    // SAFETY: `id_c` is NUL-terminated and lives for the call; `engine` is
    // valid for writes.
    let r = unsafe { sg_engine_from_preset(id_c.as_ptr(), &mut engine) };
    if r != sg_result::Ok || engine.is_null() {
        return Err(format!(
            "sg_engine_from_preset({id}) gave {r:?}: {}",
            last_error()
        ));
    }
    Ok(Handle(engine))
}

/// What a failed call left: its result must be the number of the code its
/// error JSON carries, and that JSON must be what the Rust API gives
/// (`rust`, when the input could reach the Rust API).
fn failure(r: sg_result, rust: Option<Result<(), Error>>) -> Result<Got, String> {
    if r == sg_result::Panic {
        return Err(format!(
            "{} behind the C ABI: {}",
            corpus::PANICKED,
            last_error()
        ));
    }
    let json = last_error();
    let got = Got::from_error_json(&json)?;
    if let Got::Error { code, .. } = &got {
        if result_of(code) != Some(r) {
            return Err(format!(
                "sg_result {r:?} ({}) for the code `{code}`",
                r as u32
            ));
        }
    }
    match rust {
        Some(Err(e)) if e.to_json() != json => {
            return Err(format!(
                "the C error differs from the Rust API's:\n  C:    {json}\n  Rust: {}",
                e.to_json()
            ))
        }
        Some(Ok(())) => {
            return Err(format!(
                "the Rust API accepts what the C ABI refuses: {json}"
            ))
        }
        _ => {}
    }
    Ok(got)
}

/// Takes a string output: checks its length and frees it.
fn take_string(out: *mut c_char, out_len: usize) -> Result<String, String> {
    if out.is_null() {
        return Err("success but no output".into());
    }
    // SAFETY: on success the library wrote a NUL-terminated string it owns
    // to `out`; it is read here, once, before it is freed.
    let s = unsafe { CStr::from_ptr(out) }.to_bytes().to_vec();
    // SAFETY: `out` is a string output of this library, freed once.
    unsafe { sg_string_free(out) };
    if s.len() != out_len {
        return Err(format!(
            "out_len {out_len} for a string of {} bytes",
            s.len()
        ));
    }
    String::from_utf8(s).map_err(|_| "the output is not UTF-8".into())
}

fn success_leaves_no_error() -> Result<(), String> {
    let e = last_error();
    if e.is_empty() {
        Ok(())
    } else {
        Err(format!("sg_last_error is not empty after a success: {e}"))
    }
}

/// The input pointer: a null pointer for an empty input when `null_if_empty`
/// (the ABI allows it), else the bytes.
fn input_ptr(input: &[u8], null_if_empty: bool) -> *const u8 {
    if input.is_empty() && null_if_empty {
        ptr::null()
    } else {
        input.as_ptr()
    }
}

fn request(case: &Case, input: &[u8], null_if_empty: bool) -> Result<Got, String> {
    let engine = preset(&case.engine)?;
    let rust = Engine::from_preset(&case.engine).and_then(|e| e.evaluate_json_bytes(input));
    explained(case, input, null_if_empty, &rust)?;
    let call = |input, len, out: &mut _, out_len: &mut _| {
        // SAFETY: the engine is live; `input` is valid for `len` bytes (or
        // null with length 0); `out` and `out_len` are valid for writes.
        unsafe { sg_evaluate(engine.0, input, len, out, out_len) }
    };
    let (out, out_len) = match call_entry("sg_evaluate", input, null_if_empty, &rust, call) {
        Ok(outputs) => outputs,
        Err(verdict) => return verdict,
    };
    let response = take_string(out, out_len)?;
    success_leaves_no_error()?;
    match rust {
        Ok(expected) if expected == response => Got::from_response_json(&response),
        Ok(expected) => Err(format!(
            "the C response differs from the Rust API's:\n  C:    {response:.300}\n  Rust: {expected:.300}"
        )),
        Err(e) => Err(format!("the C ABI decides what the Rust API refuses: {e}")),
    }
}

/// The request of a case through `sg_explain`: refused exactly as
/// `sg_evaluate` refuses it (the same result, the same error JSON: the Rust
/// API's, `evaluated`), else explained byte for byte as the Rust API's
/// `json::explain` explains it.
fn explained(
    case: &Case,
    input: &[u8],
    null_if_empty: bool,
    evaluated: &Result<String, Error>,
) -> Result<(), String> {
    let engine = preset(&case.engine)?;
    let rust = Engine::from_preset(&case.engine).and_then(|e| {
        let text = safeguard_engine::json::utf8(input, "request")?;
        safeguard_engine::json::explain(&e, text)
    });
    match (&rust, evaluated) {
        (Err(explain), Err(evaluate)) if explain.to_json() != evaluate.to_json() => {
            return Err(format!(
                "json::explain refuses the request otherwise than evaluate:\n  explain:  {}\n  evaluate: {}",
                explain.to_json(),
                evaluate.to_json()
            ))
        }
        // A request the engine refuses is explained, not failed: the
        // refusal's `error` is the error object of evaluate's envelope.
        (Ok(answer), Err(evaluate)) => {
            let envelope = evaluate.to_json();
            let object = envelope
                .strip_prefix(r#"{"schema_version":1,"error":"#)
                .and_then(|rest| rest.strip_suffix('}'))
                .ok_or("the error envelope has its one shape")?;
            let refused = format!(r#"{{"schema_version":1,"kind":"refused","error":{object},"#);
            if !answer.starts_with(&refused) {
                return Err(format!(
                    "json::explain does not explain evaluate's refusal:\n  explain:  {answer:.300}\n  evaluate: {envelope}"
                ));
            }
        }
        (Err(_), Ok(_)) => {
            return Err("json::explain and evaluate disagree on deciding the request".into())
        }
        _ => {}
    }
    let call = |input, len, out: &mut _, out_len: &mut _| {
        // SAFETY: as in `request`.
        unsafe { sg_explain(engine.0, input, len, out, out_len) }
    };
    let (out, out_len) = match call_entry("sg_explain", input, null_if_empty, &rust, call) {
        Ok(outputs) => outputs,
        Err(verdict) => return verdict.map(drop),
    };
    let explanation = take_string(out, out_len)?;
    success_leaves_no_error()?;
    match rust {
        Ok(expected) if expected == explanation => Ok(()),
        Ok(expected) => Err(format!(
            "the C explanation differs from the Rust API's:\n  C:    {explanation:.300}\n  Rust: {expected:.300}"
        )),
        Err(e) => Err(format!("the C ABI explains what the Rust API refuses: {e}")),
    }
}

fn request_jsonl(case: &Case, input: &[u8], null_if_empty: bool) -> Result<Got, String> {
    let engine = preset(&case.engine)?;
    let mut out: *mut c_char = ptr::null_mut();
    let mut out_len = UNTOUCHED;
    // SAFETY: as in `request`.
    let r = unsafe {
        sg_evaluate_jsonl(
            engine.0,
            input_ptr(input, null_if_empty),
            input.len(),
            &mut out,
            &mut out_len,
        )
    };
    if r != sg_result::Ok {
        return Err(format!("sg_evaluate_jsonl gave {r:?}: {}", last_error()));
    }
    let output = take_string(out, out_len)?;
    success_leaves_no_error()?;
    if !output.is_empty() && !output.ends_with('\n') {
        return Err("the JSONL output does not end with a newline".into());
    }
    let out_lines: Vec<&str> = output.lines().collect();
    let in_lines = corpus::jsonl_lines(input);
    if out_lines.len() != in_lines.len() {
        return Err(format!(
            "{} output lines for {} input lines",
            out_lines.len(),
            in_lines.len()
        ));
    }
    let rust_engine = Engine::from_preset(&case.engine).map_err(|e| e.to_string())?;
    let mut tokens = Vec::new();
    for (i, (out_line, in_line)) in out_lines.iter().zip(&in_lines).enumerate() {
        let token = Got::jsonl_token(out_line)?;
        let expected = match safeguard_engine::json::utf8(in_line, "request") {
            Ok(text) => safeguard_engine::jsonl_line(Some(&rust_engine), text, None),
            Err(e) => e.to_json(),
        };
        if expected != *out_line {
            return Err(format!(
                "line {i} differs from the Rust API's:\n  C:    {out_line:.300}\n  Rust: {expected:.300}"
            ));
        }
        tokens.push(token);
    }
    Ok(Got::Lines(tokens))
}

fn policy(case: &Case, input: &[u8], null_if_empty: bool) -> Result<Got, String> {
    let (format, rust_format) = match case.entry.as_str() {
        "policy_json" => (1, Format::Json),
        _ => (0, Format::Toml),
    };
    let lint = case.entry == "policy_lint";
    let rust = Some(Engine::from_bytes(input, rust_format).and_then(|engine| {
        if lint {
            engine.lint()?;
        }
        Ok(())
    }));
    let mut engine: *mut sg_engine = ptr::null_mut();
    // SAFETY: `input` is valid for `input.len()` bytes (or null with length
    // 0); `engine` is valid for writes.
    let r = unsafe {
        sg_engine_from_policy(
            input_ptr(input, null_if_empty),
            input.len(),
            format,
            &mut engine,
        )
    };
    if r == sg_result::Ok {
        if engine.is_null() {
            return Err("success but no engine".into());
        }
        let engine = Handle(engine);
        success_leaves_no_error()?;
        return if lint {
            linted(&engine, rust)
        } else {
            Ok(Got::Accepted { outcome: None })
        };
    }
    if !engine.is_null() {
        return Err("a failed sg_engine_from_policy wrote its output".into());
    }
    failure(r, rust)
}

/// The lint of a loaded policy through `sg_lint`.
fn linted(engine: &Handle, rust: Option<Result<(), Error>>) -> Result<Got, String> {
    let mut out: *mut c_char = ptr::null_mut();
    let mut out_len = UNTOUCHED;
    // SAFETY: `engine` is live; `out` and `out_len` are valid for writes.
    let r = unsafe { sg_lint(engine.0, &mut out, &mut out_len) };
    if r == sg_result::Ok {
        take_string(out, out_len)?;
        success_leaves_no_error()?;
        return Ok(Got::Accepted { outcome: None });
    }
    if !out.is_null() || out_len != UNTOUCHED {
        return Err("a failed sg_lint wrote its output".into());
    }
    failure(r, rust)
}

/// Calls the entry point `name` through `call`, which passes `input`
/// (as [`input_ptr`] gives it) and two outputs to it. When the call fails,
/// its outputs must be untouched and its error the Rust API's (`rust`):
/// `Err` holds that verdict. When it succeeds, returns the outputs, which the
/// caller then owns.
fn call_entry<T, R>(
    name: &str,
    input: &[u8],
    null_if_empty: bool,
    rust: &Result<R, Error>,
    call: impl FnOnce(*const u8, usize, &mut *mut T, &mut usize) -> sg_result,
) -> Result<(*mut T, usize), Result<Got, String>> {
    let mut out: *mut T = ptr::null_mut();
    let mut out_len = UNTOUCHED;
    let r = call(
        input_ptr(input, null_if_empty),
        input.len(),
        &mut out,
        &mut out_len,
    );
    if r == sg_result::Ok {
        return Ok((out, out_len));
    }
    if !out.is_null() || out_len != UNTOUCHED {
        return Err(Err(format!("a failed {name} wrote its outputs")));
    }
    Err(failure(
        r,
        Some(rust.as_ref().map(drop).map_err(Clone::clone)),
    ))
}

fn image_inspect(input: &[u8], null_if_empty: bool) -> Result<Got, String> {
    let rust = metadata::inspect(input);
    let call = |input, len, out: &mut _, out_len: &mut _| {
        // SAFETY: as in `request`, without an engine.
        unsafe { sg_image_inspect(input, len, out, out_len) }
    };
    let (out, out_len) = match call_entry("sg_image_inspect", input, null_if_empty, &rust, call) {
        Ok(outputs) => outputs,
        Err(verdict) => return verdict,
    };
    let info = take_string(out, out_len)?;
    success_leaves_no_error()?;
    match rust {
        Ok(i) if serde_json::to_string(&i).ok().as_deref() == Some(info.as_str()) => {
            Ok(Got::Accepted { outcome: None })
        }
        _ => Err(format!(
            "the C answer differs from the Rust API's: {info:.300}"
        )),
    }
}

fn image_strip(input: &[u8], null_if_empty: bool) -> Result<Got, String> {
    let rust = metadata::strip_location(input);
    let call = |input, len, out: &mut _, out_len: &mut _| {
        // SAFETY: as in `request`.
        unsafe { sg_image_strip_location(input, len, out, out_len) }
    };
    let name = "sg_image_strip_location";
    let (out, out_len) = match call_entry(name, input, null_if_empty, &rust, call) {
        Ok(outputs) => outputs,
        Err(verdict) => return verdict,
    };
    if out.is_null() {
        return Err("success but no output".into());
    }
    // SAFETY: on success the library wrote `out_len` bytes it owns to `out`;
    // they are copied here, once, before they are freed.
    let stripped = unsafe { std::slice::from_raw_parts(out, out_len) }.to_vec();
    // SAFETY: `out`/`out_len` are a byte output of this library, freed once.
    unsafe { sg_bytes_free(out, out_len) };
    success_leaves_no_error()?;
    match rust {
        Ok(r) if r == stripped => Ok(Got::Accepted { outcome: None }),
        _ => Err("the C copy differs from the Rust API's".into()),
    }
}

fn run(case: &Case, input: &[u8], null_if_empty: bool) -> Result<Got, String> {
    match case.entry.as_str() {
        "request" => request(case, input, null_if_empty),
        "request_jsonl" => request_jsonl(case, input, null_if_empty),
        "policy_toml" | "policy_json" | "policy_lint" => policy(case, input, null_if_empty),
        "image_inspect" => image_inspect(input, null_if_empty),
        "image_strip" => image_strip(input, null_if_empty),
        other => Err(format!("unknown entry point `{other}`")),
    }
}

fn check(case: &Case) -> Vec<String> {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let input = match case.input() {
            Ok(i) => i,
            Err(e) => return vec![e],
        };
        let mut problems = match run(case, &input, false) {
            Ok(got) => corpus::compare(&case.expect, &got),
            Err(e) => vec![e],
        };
        if input.is_empty() {
            // An empty input given as a null pointer is the same input.
            match run(case, &input, true) {
                Ok(got) => problems.extend(
                    corpus::compare(&case.expect, &got)
                        .into_iter()
                        .map(|p| format!("with a null pointer: {p}")),
                ),
                Err(e) => problems.push(format!("with a null pointer: {e}")),
            }
        }
        problems
    }));
    let problems = outcome.unwrap_or_else(|_| vec![format!("{} in the test", corpus::PANICKED)]);
    corpus::verdict(case, problems)
}

#[test]
fn every_error_code_has_its_result_number() {
    for code in Error::CODES {
        assert!(result_of(code).is_some(), "no sg_result for `{code}`");
    }
    let mut numbers: Vec<u32> = RESULTS.iter().map(|&(_, r)| r as u32).collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), RESULTS.len(), "two codes share a number");
}

#[test]
fn every_case_gives_its_expected_answer_through_the_c_abi() {
    let (cases, problems) = corpus::load();
    assert!(problems.is_empty(), "the corpus is broken: {problems:#?}");
    assert!(cases.len() >= corpus::MIN_CASES, "{} cases", cases.len());
    let results = corpus::run_all(cases, TIMEOUT, check);
    let failures: Vec<String> = results
        .iter()
        .flat_map(|(name, problems, _)| problems.iter().map(move |p| format!("{name}: {p}")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
