//! `sg_lint` of a policy whose rules cut the devices request space too
//! finely returns `SG_RESULT_TOO_COMPLEX` with the coded error, instead of
//! exhausting memory and aborting the host program (SIGABRT) as it did.

#[path = "../../tests/src/fine_policy.rs"]
mod fine_policy;

use safeguard::{
    sg_engine, sg_engine_free, sg_engine_from_policy, sg_last_error, sg_lint, sg_result,
};
use std::ffi::{c_char, CStr};
use std::ptr;

#[test]
fn sg_lint_of_eighty_single_value_rules_is_too_complex() {
    let text = fine_policy::single_value_rules(80);
    let mut engine: *mut sg_engine = ptr::null_mut();
    // SAFETY: `text` is valid for its length; `engine` is valid for writes.
    let r = unsafe { sg_engine_from_policy(text.as_ptr(), text.len(), 0, &mut engine) };
    assert_eq!(r, sg_result::Ok);
    assert!(!engine.is_null());

    let mut out: *mut c_char = ptr::null_mut();
    let mut out_len = usize::MAX;
    // SAFETY: `engine` is live; `out` and `out_len` are valid for writes.
    let r = unsafe { sg_lint(engine, &mut out, &mut out_len) };
    // SAFETY: sg_last_error gives a NUL-terminated string valid until the
    // next call into the library on this thread; it is copied at once.
    let error = unsafe { CStr::from_ptr(sg_last_error()) }
        .to_string_lossy()
        .into_owned();
    // SAFETY: the engine came from sg_engine_from_policy and is freed once.
    unsafe { sg_engine_free(engine) };

    assert_eq!(r, sg_result::TooComplex, "{error}");
    assert_eq!(r as u32, 20);
    assert!(out.is_null(), "a failed sg_lint wrote its output");
    assert_eq!(out_len, usize::MAX);
    assert!(error.contains(r#""code":"too_complex""#), "{error}");
}
