//! # safeguard-ffi: the C ABI
//!
//! The engine for C and every language with a C FFI, in the manner of
//! rustls-ffi: an opaque engine handle, JSON text in and out (the wire
//! contract of SPEC §2), and one result enum with stable numbers.
//!
//! ## Conventions (they hold for every function)
//!
//! - **Results.** Every fallible function returns an [`sg_result`];
//!   `SG_RESULT_OK` is 0. The other numbers are stable: new ones are only
//!   ever added at the end.
//! - **Errors.** After a call that fails, [`sg_last_error`] gives the error
//!   as JSON (`{"schema_version":1,"error":{"code":...,"message":...,
//!   "path":...}}`): the same object the other bindings give. It is per
//!   thread and lives until the next call into this library on that thread.
//! - **Outputs** are written only on success. A string output is
//!   NUL-terminated UTF-8 owned by the caller, freed with
//!   [`sg_string_free`]; its length (without the NUL) is written too. Byte
//!   outputs are freed with [`sg_bytes_free`] and their length.
//! - **Inputs** are borrowed for the duration of the call only, given as
//!   pointer and length (no NUL needed); text must be UTF-8.
//! - **Null pointers** are refused with `SG_RESULT_NULL_ARGUMENT`, never
//!   dereferenced. (A zero-length input may be passed with a null pointer.)
//! - **Panics** never cross the boundary: each entry point catches them and
//!   returns `SG_RESULT_PANIC`.
//! - **Threads.** An engine is immutable once built: one engine may be
//!   used from any number of threads at once. Free it once, after every
//!   thread is done with it.
#![deny(unsafe_op_in_unsafe_fn)]
#![allow(non_camel_case_types)]

use safeguard_engine::json::{self, Layout};
use safeguard_engine::{AnalysisLimits, Engine, Error, ErrorCode, WireError};
use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

/// The outcome of a call. Stable numbers; new values are added at the end.
/// Each error has the number of the engine's error code of the same name (a
/// test checks both agree, number and name). `sg_error_message` gives a
/// message for each.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum sg_result {
    Ok = 0,
    /// A required pointer argument was null.
    NullArgument = 1,
    /// Text input was not UTF-8.
    InvalidUtf8 = 2,
    InvalidJson = 3,
    InvalidToml = 4,
    UnknownField = 5,
    MissingField = 6,
    DuplicateField = 7,
    InvalidValue = 8,
    InvalidDate = 9,
    TooLarge = 10,
    UnknownPolicy = 11,
    PolicyMismatch = 12,
    UnsupportedDomain = 13,
    FloorViolation = 14,
    InvalidImage = 15,
    UnsupportedImage = 16,
    Internal = 17,
    /// The library panicked; this is a bug. The engine is still usable.
    Panic = 18,
    /// An argument was out of range (an unknown `sg_format`).
    InvalidArgument = 19,
    /// The policy's devices rules cut the request space too finely to
    /// analyse (lint) within the memory or work limit.
    TooComplex = 20,
}

impl sg_result {
    /// Every result, in the order of their numbers.
    const ALL: [sg_result; 21] = [
        sg_result::Ok,
        sg_result::NullArgument,
        sg_result::InvalidUtf8,
        sg_result::InvalidJson,
        sg_result::InvalidToml,
        sg_result::UnknownField,
        sg_result::MissingField,
        sg_result::DuplicateField,
        sg_result::InvalidValue,
        sg_result::InvalidDate,
        sg_result::TooLarge,
        sg_result::UnknownPolicy,
        sg_result::PolicyMismatch,
        sg_result::UnsupportedDomain,
        sg_result::FloorViolation,
        sg_result::InvalidImage,
        sg_result::UnsupportedImage,
        sg_result::Internal,
        sg_result::Panic,
        sg_result::InvalidArgument,
        sg_result::TooComplex,
    ];

    /// The result of an error code: the one with the code's number
    /// (`internal` for a code the C ABI never gives, the CLI's own).
    fn of(code: ErrorCode) -> sg_result {
        Self::ALL
            .get(code.number() as usize)
            .copied()
            .filter(|r| *r != sg_result::Ok && *r != sg_result::Panic)
            .unwrap_or(sg_result::Internal)
    }
}

/// The format of a policy document.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum sg_format {
    Toml = 0,
    Json = 1,
}

/// An engine: one loaded, validated policy. Opaque; built by
/// [`sg_engine_from_preset`] or [`sg_engine_from_policy`], freed by
/// [`sg_engine_free`]. Immutable, so shareable across threads.
pub struct sg_engine {
    engine: Engine,
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

fn set_error(json: String) {
    let c = CString::new(json).unwrap_or_default();
    LAST_ERROR.with(|e| *e.borrow_mut() = c);
}

fn clear_error() {
    // Only a failure leaves text behind: a success costs no allocation.
    LAST_ERROR.with(|e| {
        if !e.borrow().is_empty() {
            *e.borrow_mut() = CString::default();
        }
    });
}

/// Runs `f` behind the panic boundary, recording the error of a failure.
fn guard(f: impl FnOnce() -> Result<(), (sg_result, String)>) -> sg_result {
    clear_error();
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => sg_result::Ok,
        Ok(Err((code, json))) => {
            set_error(json);
            code
        }
        Err(_) => {
            set_error(
                Error::Internal {
                    message: "the library panicked (a bug); the call did nothing".into(),
                }
                .to_json(),
            );
            sg_result::Panic
        }
    }
}

fn engine_error(e: Error) -> (sg_result, String) {
    (sg_result::of(e.error_code()), e.to_json())
}

fn null() -> (sg_result, String) {
    let code = ErrorCode::NullArgument;
    let error = WireError::of_code(code, "a required pointer argument is null");
    (sg_result::of(code), error.to_json())
}

/// The bytes at `ptr`/`len`; null is allowed only with `len == 0`.
///
/// # Safety
/// `ptr` must be valid for reads of `len` bytes for the whole call.
unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], (sg_result, String)> {
    if ptr.is_null() {
        return if len == 0 { Ok(&[]) } else { Err(null()) };
    }
    // SAFETY: the caller guarantees `ptr` is valid for `len` bytes for the
    // duration of the call, and it is not null.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The bytes at `ptr`/`len` as UTF-8 text; else the engine's
/// `invalid_utf8` error for the `what` (`"request"`, `"policy"`).
///
/// # Safety
/// As [`bytes`].
unsafe fn text<'a>(
    ptr: *const u8,
    len: usize,
    what: &'static str,
) -> Result<&'a str, (sg_result, String)> {
    // SAFETY: forwarded from the caller.
    let b = unsafe { bytes(ptr, len) }?;
    // Requests are almost always ASCII, which is checked (`all_ascii`) in
    // half the instructions of a full UTF-8 validation.
    if all_ascii(b) {
        // SAFETY: ASCII bytes are valid UTF-8.
        return Ok(unsafe { std::str::from_utf8_unchecked(b) });
    }
    safeguard_engine::json::utf8(b, what).map_err(engine_error)
}

/// Whether every byte is ASCII: the high bits of all 8-byte words ORed
/// together, with no early exit. For the 288-byte devices request of the
/// `c_abi` bench, `text` takes 144 instructions this way and 296 with
/// `from_utf8` alone (callgrind).
fn all_ascii(b: &[u8]) -> bool {
    let mut words = b.chunks_exact(8);
    let high = words.by_ref().fold(0u64, |acc, w| {
        let mut word = [0; 8];
        word.copy_from_slice(w);
        acc | u64::from_le_bytes(word)
    });
    let rest = words.remainder().iter().fold(0u8, |acc, &c| acc | c);
    high & 0x8080_8080_8080_8080 == 0 && rest.is_ascii()
}

/// Writes `s` to the string outputs.
///
/// # Safety
/// `out` and `out_len` must be valid for writes (checked non-null by the
/// caller of this helper).
unsafe fn put_string(s: String, out: *mut *mut c_char, out_len: *mut usize) {
    let mut bytes = s.into_bytes();
    // JSON text never holds a NUL byte (it is escaped); should some other
    // text hold one, it is dropped rather than let cut the C string short.
    if memchr::memchr(0, &bytes).is_some() {
        bytes.retain(|&b| b != 0);
    }
    let len = bytes.len();
    // SAFETY: `bytes` holds no NUL byte (checked just above), which is all
    // `from_vec_unchecked` requires; it appends the terminating NUL itself.
    let c = unsafe { CString::from_vec_unchecked(bytes) };
    // SAFETY: both pointers were checked non-null and the caller guarantees
    // they are valid for writes.
    unsafe {
        *out = c.into_raw();
        *out_len = len;
    }
}

/// Runs `f` behind the panic boundary and, on success, writes the string
/// it returns to the outputs (checked non-null first).
///
/// # Safety
/// `out` and `out_len` must be null or valid for writes.
unsafe fn string_out(
    out: *mut *mut c_char,
    out_len: *mut usize,
    f: impl FnOnce() -> Result<String, (sg_result, String)>,
) -> sg_result {
    guard(|| {
        if out.is_null() || out_len.is_null() {
            return Err(null());
        }
        let s = f()?;
        // SAFETY: both checked non-null; valid for writes per the contract.
        unsafe { put_string(s, out, out_len) };
        Ok(())
    })
}

/// The engine behind a handle.
///
/// # Safety
/// `engine` must be null or a live engine, not freed during the call.
unsafe fn engine_ref<'a>(engine: *const sg_engine) -> Result<&'a Engine, (sg_result, String)> {
    if engine.is_null() {
        return Err(null());
    }
    // SAFETY: non-null and live, per the contract; shared access only.
    Ok(unsafe { &(*engine).engine })
}

/// Loads a built-in policy by id (`"baseline"`, `"hilldene-primary"`, ...).
///
/// `id` is a NUL-terminated UTF-8 string, borrowed for the call. On success
/// `*out` receives a new engine the caller owns and must free with
/// [`sg_engine_free`].
///
/// # Safety
/// `id` must be null or point to a NUL-terminated string; `out` must be null
/// or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn sg_engine_from_preset(
    id: *const c_char,
    out: *mut *mut sg_engine,
) -> sg_result {
    guard(|| {
        if id.is_null() || out.is_null() {
            return Err(null());
        }
        // SAFETY: `id` is non-null and NUL-terminated, per the contract.
        let id = unsafe { CStr::from_ptr(id) };
        let id = safeguard_engine::json::utf8(id.to_bytes(), "policy id").map_err(engine_error)?;
        let engine = json::preset(id).map_err(engine_error)?;
        let handle = Box::into_raw(Box::new(sg_engine { engine }));
        // SAFETY: `out` is non-null and valid for writes, per the contract.
        unsafe { *out = handle };
        Ok(())
    })
}

/// Loads a policy document (TOML or JSON) given as `len` bytes of UTF-8.
///
/// The text is validated and resolved (`extends`, the floor) as the CLI's
/// `policy check` does. On success `*out` receives a new engine the caller
/// owns and must free with [`sg_engine_free`].
///
/// # Safety
/// `text` must be valid for reads of `len` bytes; `out` must be null or
/// valid for writes.
#[no_mangle]
pub unsafe extern "C" fn sg_engine_from_policy(
    text: *const u8,
    len: usize,
    format: sg_format_number,
    out: *mut *mut sg_engine,
) -> sg_result {
    guard(|| {
        if out.is_null() {
            return Err(null());
        }
        let format = json::format_numbered(format).map_err(engine_error)?;
        // SAFETY: forwarded from the caller's contract.
        let text = unsafe { self::text(text, len, "policy") }?;
        let engine = json::load_policy(text, format).map_err(engine_error)?;
        let handle = Box::into_raw(Box::new(sg_engine { engine }));
        // SAFETY: `out` is non-null and valid for writes, per the contract.
        unsafe { *out = handle };
        Ok(())
    })
}

/// Frees an engine. Null is ignored. The engine must not be in use on any
/// thread, and must not be used again.
///
/// # Safety
/// `engine` must be null or a pointer from `sg_engine_from_*` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn sg_engine_free(engine: *mut sg_engine) {
    if engine.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the pointer came from `Box::into_raw` in this library and
        // is freed once, per the contract.
        drop(unsafe { Box::from_raw(engine) });
    }));
}

/// Decides one JSON request (`len` bytes of UTF-8) and writes the response
/// JSON, byte for byte what the Rust API and the CLI give.
///
/// The request's `policy` field, if any, must name the engine's policy. On
/// success `*out` receives a NUL-terminated string the caller frees with
/// [`sg_string_free`], and `*out_len` its length. Safe to call on one
/// engine from many threads at once.
///
/// # Safety
/// `engine` must be null or a live engine; `request` valid for reads of
/// `len` bytes; `out` and `out_len` null or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn sg_evaluate(
    engine: *const sg_engine,
    request: *const u8,
    len: usize,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> sg_result {
    // SAFETY: the pointers are valid per this function's contract.
    unsafe {
        string_out(out, out_len, || {
            let engine = engine_ref(engine)?;
            let request = text(request, len, "request")?;
            json::evaluate(engine, request).map_err(engine_error)
        })
    }
}

/// Decides many requests, one JSON request per line (`len` bytes), and
/// writes one response per line, in order, each ending in `\n`: a decision,
/// or for a bad line its error object (as `safeguard eval --jsonl` does).
/// Blank lines get an error line too, so lines stay aligned. Invalid UTF-8
/// in a line fails that line only.
///
/// Output ownership as [`sg_evaluate`].
///
/// # Safety
/// As [`sg_evaluate`].
#[no_mangle]
pub unsafe extern "C" fn sg_evaluate_jsonl(
    engine: *const sg_engine,
    input: *const u8,
    len: usize,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> sg_result {
    // SAFETY: the pointers are valid per this function's contract.
    unsafe {
        string_out(out, out_len, || {
            let engine = engine_ref(engine)?;
            let input = bytes(input, len)?;
            Ok(json::evaluate_many(engine, input))
        })
    }
}

/// The lint report of the engine's devices rules, as JSON (what
/// `safeguard lint --json` prints), within the engine's default limits (1
/// GiB); `SG_RESULT_TOO_COMPLEX` when the rules cut the request space too
/// finely to analyse within them. Output ownership as [`sg_evaluate`].
///
/// # Safety
/// `engine` null or live; `out`, `out_len` null or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn sg_lint(
    engine: *const sg_engine,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> sg_result {
    // SAFETY: the pointers are valid per this function's contract.
    unsafe {
        string_out(out, out_len, || {
            let engine = engine_ref(engine)?;
            json::lint(engine, &AnalysisLimits::default(), Layout::Compact).map_err(engine_error)
        })
    }
}

/// The ids of the built-in policies, as a JSON array of strings. Output
/// ownership as [`sg_evaluate`].
///
/// # Safety
/// `out`, `out_len` null or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn sg_presets(out: *mut *mut c_char, out_len: *mut usize) -> sg_result {
    // SAFETY: the pointers are valid per this function's contract.
    unsafe { string_out(out, out_len, || Ok(json::presets())) }
}

/// What an image file (`len` bytes) says about itself, as JSON: format,
/// location data and other identifying fields (never their values). Files
/// over 50 MiB are refused (`SG_RESULT_TOO_LARGE`). Output ownership as
/// [`sg_evaluate`].
///
/// # Safety
/// `image` valid for reads of `len` bytes; `out`, `out_len` null or valid
/// for writes.
#[no_mangle]
pub unsafe extern "C" fn sg_image_inspect(
    image: *const u8,
    len: usize,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> sg_result {
    // SAFETY: the pointers are valid per this function's contract.
    unsafe {
        string_out(out, out_len, || {
            let image = bytes(image, len)?;
            json::inspect_image(image).map_err(engine_error)
        })
    }
}

/// A copy of an image without its location metadata, pixel data
/// byte-identical. On success `*out` receives `*out_len` bytes the caller
/// frees with [`sg_bytes_free`] (passing the same length).
///
/// # Safety
/// `image` valid for reads of `len` bytes; `out`, `out_len` null or valid
/// for writes.
#[no_mangle]
pub unsafe extern "C" fn sg_image_strip_location(
    image: *const u8,
    len: usize,
    out: *mut *mut u8,
    out_len: *mut usize,
) -> sg_result {
    guard(|| {
        if out.is_null() || out_len.is_null() {
            return Err(null());
        }
        // SAFETY: forwarded from the caller's contract.
        let image = unsafe { bytes(image, len) }?;
        let stripped = json::strip_location(image).map_err(engine_error)?;
        let boxed = stripped.into_boxed_slice();
        let n = boxed.len();
        let p = Box::into_raw(boxed) as *mut u8;
        // SAFETY: both checked non-null; valid for writes per the contract.
        unsafe {
            *out = p;
            *out_len = n;
        }
        Ok(())
    })
}

/// Frees a string from this library. Null is ignored.
///
/// # Safety
/// `s` must be null or a string output of this library, freed once.
#[no_mangle]
pub unsafe extern "C" fn sg_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: `s` came from `CString::into_raw` here and is freed once.
        drop(unsafe { CString::from_raw(s) });
    }
}

/// Frees bytes from [`sg_image_strip_location`]; `len` is the length it
/// gave. Null is ignored.
///
/// # Safety
/// `p`/`len` must be a byte output of this library, freed once.
#[no_mangle]
pub unsafe extern "C" fn sg_bytes_free(p: *mut u8, len: usize) {
    if !p.is_null() {
        // SAFETY: `p` and `len` came from `Box::<[u8]>::into_raw` here and
        // are freed once.
        drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(p, len)) });
    }
}

/// The last error on this thread, as JSON (`{"schema_version":1,"error":
/// {"code":...,"message":...}}`), or an empty string after a success.
/// Borrowed: valid until the next call into this library on this thread;
/// never null; do not free.
#[no_mangle]
pub extern "C" fn sg_last_error() -> *const c_char {
    LAST_ERROR.with(|e| e.borrow().as_ptr())
}

/// The library version (`"0.1.0"`), a static NUL-terminated string; do not
/// free.
#[no_mangle]
pub extern "C" fn sg_version() -> *const c_char {
    static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}

/// A format number as C passes it: the header types it `sg_format`
/// (cbindgen.toml renames it), but Rust takes a plain number, since a
/// number outside the enum would be undefined behaviour as an `sg_format`;
/// an unknown one is refused with `SG_RESULT_INVALID_ARGUMENT`.
type sg_format_number = u32;

/// A result number as C passes it: the header types it `sg_result`, Rust a
/// plain number (as [`sg_format_number`]).
type sg_result_number = u32;

impl sg_result {
    /// What the result means, in plain words for a person: the same for
    /// every failure with this result (the details are in
    /// [`sg_last_error`]'s JSON).
    fn message(self) -> &'static CStr {
        match self {
            sg_result::Ok => c"success",
            sg_result::NullArgument => c"a required pointer argument was null",
            sg_result::InvalidUtf8 => c"the text is not valid UTF-8",
            sg_result::InvalidJson => c"the text is not valid JSON",
            sg_result::InvalidToml => c"the policy is not valid TOML",
            sg_result::UnknownField => c"the input has a field that is not part of the format",
            sg_result::MissingField => c"a required field is missing",
            sg_result::DuplicateField => c"a field is given more than once",
            sg_result::InvalidValue => c"a value is not one the format allows",
            sg_result::InvalidDate => {
                c"a date or time is not a real one, or not in the expected form"
            }
            sg_result::TooLarge => c"the input is too large",
            sg_result::UnknownPolicy => c"there is no built-in policy of that name",
            sg_result::PolicyMismatch => c"the request names a different policy from the engine's",
            sg_result::UnsupportedDomain => {
                c"the request is about something this engine does not decide"
            }
            sg_result::FloorViolation => {
                c"the policy drops or weakens a rule of the national floor"
            }
            sg_result::InvalidImage => c"the file is damaged or is not an image",
            sg_result::UnsupportedImage => c"the image's format is not supported",
            sg_result::Internal => c"the library failed (a bug)",
            sg_result::Panic => c"the library failed unexpectedly (a bug); the call did nothing",
            sg_result::InvalidArgument => c"an argument is out of range",
            sg_result::TooComplex => {
                c"the policy's rules are too complex to analyse within the limit"
            }
        }
    }
}

/// A message in plain words for a result, so that a C program can tell a
/// person what went wrong without reading JSON: for example "there is no
/// built-in policy of that name" for `SG_RESULT_UNKNOWN_POLICY`. A number
/// that is no result gives "not a result of this library". The string is
/// static (NUL-terminated, never null): do not free it. The details of a
/// failure (which field, which line) are in `sg_last_error`'s JSON.
#[no_mangle]
pub extern "C" fn sg_error_message(result: sg_result_number) -> *const c_char {
    let message = usize::try_from(result)
        .ok()
        .and_then(|n| sg_result::ALL.get(n))
        .map_or(c"not a result of this library", |r| r.message());
    message.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ASCII check agrees with the standard library's for every length
    /// around the 8-byte words and every place of a non-ASCII byte.
    #[test]
    fn all_ascii_finds_any_high_byte_anywhere() {
        for len in 0..40 {
            let plain = vec![b'a'; len];
            assert!(all_ascii(&plain), "{len}");
            for at in 0..len {
                for high in [0x80, 0xc3, 0xff] {
                    let mut b = plain.clone();
                    b[at] = high;
                    assert!(!all_ascii(&b), "{len} {at} {high}");
                }
            }
        }
    }

    /// The C results are the error codes' numbers: each result but `Ok`
    /// and `Panic` is the code of the same name and number, and every code
    /// the C ABI can give (all but the CLI's own) has its result.
    #[test]
    fn results_are_the_error_codes_numbers() {
        for (number, result) in sg_result::ALL.iter().enumerate() {
            assert_eq!(*result as usize, number, "{result:?}");
        }
        for code in ErrorCode::ALL {
            let result = sg_result::of(*code);
            if matches!(code, ErrorCode::Io | ErrorCode::Usage) {
                assert_eq!(result, sg_result::Internal, "{code}");
                continue;
            }
            assert_eq!(result as u32, code.number(), "{code}");
            assert_eq!(format!("{result:?}"), format!("{code:?}"));
        }
        assert_eq!(sg_result::Panic as u32, 18);
    }

    /// Every engine error code, provoked for real, gives its own result.
    #[test]
    fn every_error_code_has_a_result() {
        let mut seen = Vec::new();
        for code in Error::CODES {
            let r = match *code {
                "internal" => continue,
                _ => sg_result::of(error_with_code(code).error_code()),
            };
            assert_ne!(r, sg_result::Internal, "{code}");
            assert!(!seen.contains(&r), "{code} shares a number");
            seen.push(r);
        }
    }

    /// Each result has its own message, in plain words (no token with an
    /// underscore, no rule id); a number past the last result has one too.
    #[test]
    fn every_result_has_its_own_message() {
        let mut seen = Vec::new();
        for result in sg_result::ALL {
            // SAFETY: `sg_error_message` returns a static NUL-terminated string.
            let message = unsafe { CStr::from_ptr(sg_error_message(result as u32)) };
            let text = message.to_str().unwrap();
            assert!(!text.is_empty(), "{result:?}");
            assert!(!text.contains('_'), "{result:?}: {text}");
            assert!(!seen.contains(&text), "{result:?} shares its message");
            assert_eq!(message, result.message());
            seen.push(text);
        }
        for beyond in [sg_result::ALL.len() as u32, 1000, u32::MAX] {
            // SAFETY: as above.
            let message = unsafe { CStr::from_ptr(sg_error_message(beyond)) };
            assert_eq!(message, c"not a result of this library", "{beyond}");
        }
    }

    /// A null argument is reported in the one envelope.
    #[test]
    fn a_null_argument_has_the_one_envelope() {
        let (result, json) = null();
        assert_eq!(result, sg_result::NullArgument);
        assert_eq!(
            json,
            r#"{"schema_version":1,"error":{"code":"null_argument","message":"a required pointer argument is null"}}"#
        );
    }

    fn error_with_code(code: &str) -> Error {
        use safeguard_engine::images::metadata;
        // Each engine error code, provoked for real.
        let request = |t: &str| Engine::from_preset("baseline").unwrap().evaluate_json(t);
        let request_bytes = |b: &[u8]| {
            Engine::from_preset("baseline")
                .unwrap()
                .evaluate_json_bytes(b)
        };
        let e = match code {
            "invalid_json" => request("{").unwrap_err(),
            "invalid_toml" => Engine::from_toml("[x").unwrap_err(),
            "unknown_field" => request(r#"{"domain":"devices","x":1}"#).unwrap_err(),
            "missing_field" => request(r#"{"domain":"escalation"}"#).unwrap_err(),
            "duplicate_field" => request(r#"{"domain":"devices","domain":"devices"}"#).unwrap_err(),
            "invalid_value" => request(r#"{"domain":"escalation","category":"x","concern_about":"pupil","reported_at":"2026-01-05T10:00"}"#).unwrap_err(),
            "invalid_date" => request(r#"{"domain":"escalation","category":"sexting","concern_about":"pupil","reported_at":"2026-02-30T10:00"}"#).unwrap_err(),
            "too_large" => request(&" ".repeat(2 << 20)).unwrap_err(),
            "unknown_policy" => Engine::from_preset("nope").unwrap_err(),
            "policy_mismatch" => request(r#"{"domain":"escalation","policy":"hilldene-primary","category":"sexting","concern_about":"pupil","reported_at":"2026-01-05T10:00"}"#).unwrap_err(),
            "floor_violation" => Engine::from_toml("[policy]\nid = \"x\"\nname = \"x\"\nversion = \"1\"\nsource = \"x\"\nextends = \"baseline\"\n[escalation]\nremove = [\"escalation.floor.immediate_danger\"]\n").unwrap_err(),
            "invalid_image" => metadata::inspect(&[0xff, 0xd8, 0xff]).unwrap_err(),
            "unsupported_image" => metadata::inspect(b"GIF89a\x01\x00\x01\x00").unwrap_err(),
            "invalid_utf8" => request_bytes(b"{\"a\":\"\xff\"}").unwrap_err(),
            "invalid_argument" => Error::InvalidArgument {
                message: "x".into(),
            },
            "unsupported_domain" => Error::UnsupportedDomain {
                at: safeguard_engine::Location::path("$.domain"),
            },
            "too_complex" => Engine::from_preset("baseline")
                .unwrap()
                .lint_within(&safeguard_engine::AnalysisLimits {
                    memory: 1,
                    steps: 1,
                })
                .unwrap_err(),
            other => panic!("no way to provoke {other}"),
        };
        assert_eq!(e.code(), code);
        e
    }
}
