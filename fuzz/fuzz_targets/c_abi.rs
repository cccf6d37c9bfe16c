//! Fuzz target `c_abi`: arbitrary bytes, invalid UTF-8 included, through
//! the C ABI as a C caller uses it: `sg_engine_from_preset`, `sg_evaluate`
//! and `sg_evaluate_jsonl` on the input, then every output freed as the
//! header says (`sg_string_free`, `sg_engine_free`). Requests are steered
//! to every domain as in `request_json` (see `common`).
//!
//! Checks: no call panics (`SG_RESULT_PANIC`); text that is not UTF-8 is
//! refused with `SG_RESULT_INVALID_UTF8`; otherwise the result, the output
//! (length, NUL terminator) and `sg_last_error()` are byte for byte what
//! the Rust API gives; outputs are written only on success; the JSONL call
//! answers one line per input line.
//!
//! The only fuzz target with `unsafe`: each block says why it is sound.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use safeguard::{
    sg_engine, sg_engine_free, sg_engine_from_preset, sg_evaluate, sg_evaluate_jsonl,
    sg_last_error, sg_result, sg_string_free,
};
use safeguard_engine::Engine;
use std::ffi::{c_char, CStr, CString};
use std::ptr;

/// `sg_last_error()` as Rust text.
fn last_error() -> String {
    // SAFETY: `sg_last_error` never returns null and its string is valid
    // until the next call into the library on this thread; it is copied
    // out at once.
    let text = unsafe { CStr::from_ptr(sg_last_error()) };
    text.to_str().expect("the last error is UTF-8").to_owned()
}

/// Takes a string output: checks it is NUL-terminated at `len`, copies it
/// and frees it with `sg_string_free`.
///
/// # Safety
/// `out`/`len` must be a string output of a successful call, not yet freed.
unsafe fn take_string(out: *mut c_char, len: usize) -> String {
    assert!(!out.is_null(), "a successful call wrote a null string");
    // SAFETY: per this function's contract, `out` is a live NUL-terminated
    // string from the library.
    let bytes = unsafe { CStr::from_ptr(out) }.to_bytes().to_vec();
    assert_eq!(bytes.len(), len, "the length output is not the string's");
    // SAFETY: `out` came from the library and is freed exactly once here.
    unsafe { sg_string_free(out) };
    String::from_utf8(bytes).expect("a string output is UTF-8")
}

/// The engine of a preset through the C ABI; freed by `sg_engine_free`.
fn engine(id: &str) -> *mut sg_engine {
    let id = CString::new(id).expect("a preset id has no NUL");
    let mut engine: *mut sg_engine = ptr::null_mut();
    // SAFETY: `id` is NUL-terminated and outlives the call; `engine` is a
    // valid place to write the handle.
    let result = unsafe { sg_engine_from_preset(id.as_ptr(), &mut engine) };
    assert_eq!(result, sg_result::Ok, "a preset loads: {}", last_error());
    assert!(!engine.is_null());
    engine
}

/// `sg_evaluate` on `bytes`, checked against the Rust API.
fn evaluate(engine: *const sg_engine, preset: &str, bytes: &[u8]) {
    // A C caller may pass an empty input as null.
    let input = if bytes.is_empty() {
        ptr::null()
    } else {
        bytes.as_ptr()
    };
    let mut out: *mut c_char = ptr::null_mut();
    let mut out_len = usize::MAX;
    // SAFETY: `engine` is live (freed by the caller after this returns);
    // `input` is null with length 0 or valid for `bytes.len()` reads;
    // `out` and `out_len` are valid places to write.
    let result = unsafe { sg_evaluate(engine, input, bytes.len(), &mut out, &mut out_len) };
    assert_ne!(
        result,
        sg_result::Panic,
        "sg_evaluate panicked: {}",
        last_error()
    );
    let Ok(text) = std::str::from_utf8(bytes) else {
        assert_eq!(result, sg_result::InvalidUtf8, "{}", last_error());
        assert!(out.is_null() && out_len == usize::MAX, "written on failure");
        assert!(
            last_error().contains("\"invalid_utf8\""),
            "{}",
            last_error()
        );
        return;
    };
    let rust = Engine::from_preset(preset)
        .expect("a preset loads")
        .evaluate_json(text);
    match rust {
        Ok(response) => {
            assert_eq!(
                result,
                sg_result::Ok,
                "Rust decided, C refused: {}",
                last_error()
            );
            assert_eq!(last_error(), "", "an error left after a success");
            // SAFETY: a successful `sg_evaluate` wrote a string output
            // that nothing has freed.
            let got = unsafe { take_string(out, out_len) };
            assert_eq!(got, response, "C and Rust answers differ");
        }
        Err(e) => {
            assert_ne!(result, sg_result::Ok, "Rust refused ({e}), C decided");
            assert!(out.is_null() && out_len == usize::MAX, "written on failure");
            assert_eq!(last_error(), e.to_json(), "C and Rust errors differ");
        }
    }
}

/// `sg_evaluate_jsonl` on `bytes`: one answer line per input line.
fn evaluate_jsonl(engine: *const sg_engine, bytes: &[u8]) {
    let mut out: *mut c_char = ptr::null_mut();
    let mut out_len = 0;
    // SAFETY: `engine` is live; `bytes` is valid for `bytes.len()` reads
    // (a slice's pointer is never null); `out` and `out_len` are valid
    // places to write.
    let result =
        unsafe { sg_evaluate_jsonl(engine, bytes.as_ptr(), bytes.len(), &mut out, &mut out_len) };
    assert_eq!(
        result,
        sg_result::Ok,
        "sg_evaluate_jsonl failed: {}",
        last_error()
    );
    // SAFETY: a successful call wrote a string output not yet freed.
    let got = unsafe { take_string(out, out_len) };
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let want = if bytes.is_empty() {
        0
    } else {
        body.split(|&b| b == b'\n').count()
    };
    assert_eq!(got.lines().count(), want, "one answer line per input line");
}

fuzz_target!(|data: &[u8]| {
    let Some((school, bytes)) = common::request(data) else {
        return;
    };
    for preset in ["baseline", school] {
        let engine = engine(preset);
        evaluate(engine, preset, &bytes);
        evaluate_jsonl(engine, &bytes);
        // SAFETY: `engine` came from `sg_engine_from_preset`, is no longer
        // used and is freed once.
        unsafe { sg_engine_free(engine) };
    }
});
