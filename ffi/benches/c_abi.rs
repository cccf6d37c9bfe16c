//! The C ABI round trip against the Rust JSON path (issue 6, SPEC §9:
//! C ABI ≤ 1.2x the Rust JSON path), on the same devices request:
//! - `c_abi/rust_json`: `Engine::evaluate_json`;
//! - `c_abi/sg_evaluate`: `sg_evaluate` plus `sg_string_free`, as a C
//!   caller does it (the bench is in the FFI crate, the one place `unsafe`
//!   is allowed).
//!
//! Run: `cargo bench -p safeguard-ffi --bench c_abi`.

use criterion::{criterion_group, criterion_main, Criterion};
use safeguard::{
    sg_engine, sg_engine_free, sg_engine_from_preset, sg_evaluate, sg_result, sg_string_free,
};
use safeguard_core::Engine;
use std::ffi::c_char;
use std::hint::black_box;

const REQUEST: &str = r#"{"schema_version":1,"domain":"devices","policy":"hilldene-primary","actor":{"role":"pupil","year_group":6},"device":{"kind":"mobile_phone","owner":"personal"},"action":"bring_on_site","context":{"location":"reception","period":"before_school","children_present":true,"exception":"none"}}"#;

fn c_abi(c: &mut Criterion) {
    let engine = Engine::from_preset("hilldene-primary").unwrap();
    c.bench_function("c_abi/rust_json", |b| {
        b.iter(|| engine.evaluate_json(black_box(REQUEST)).unwrap())
    });

    let mut handle: *mut sg_engine = std::ptr::null_mut();
    // SAFETY: a NUL-terminated id and a valid out-pointer.
    let r = unsafe { sg_engine_from_preset(c"hilldene-primary".as_ptr(), &mut handle) };
    assert_eq!(r, sg_result::Ok);
    c.bench_function("c_abi/sg_evaluate", |b| {
        b.iter(|| {
            let mut out: *mut c_char = std::ptr::null_mut();
            let mut len = 0usize;
            // SAFETY: a live engine, a valid request buffer and out-pointers.
            let r = unsafe {
                sg_evaluate(
                    handle,
                    black_box(REQUEST.as_ptr()),
                    REQUEST.len(),
                    &mut out,
                    &mut len,
                )
            };
            assert_eq!(r, sg_result::Ok);
            // SAFETY: `out` is the string just returned, freed once.
            unsafe { sg_string_free(out) };
        })
    });
    // SAFETY: the engine from above, freed once, no longer in use.
    unsafe { sg_engine_free(handle) };
}

criterion_group!(benches, c_abi);
criterion_main!(benches);
