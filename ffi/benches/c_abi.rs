//! The C ABI round trip against the Rust JSON path (issue 6, SPEC §9:
//! C ABI ≤ 1.3x the Rust JSON path), on the same devices request:
//! - `c_abi/rust_json`: `Engine::evaluate_json`;
//! - `c_abi/sg_evaluate`: `sg_evaluate` plus `sg_string_free`, as a C
//!   caller does it (the bench is in the FFI crate, the one place `unsafe`
//!   is allowed).
//!
//! After criterion's runs, which come one after the other, the two are timed
//! again in 21 interleaved rounds and the ratio of their medians printed:
//! on a shared host that ratio is the one to read (criterion's two medians
//! can be minutes apart, and the host's load moves between them).
//!
//! Run: `cargo bench -p safeguard-ffi --bench c_abi`.

use criterion::Criterion;
use safeguard::{
    sg_engine, sg_engine_free, sg_engine_from_preset, sg_evaluate, sg_result, sg_string_free,
};
use safeguard_benches::timing::{interleaved, show};
use safeguard_engine::Engine;
use std::ffi::c_char;
use std::hint::black_box;

const REQUEST: &str = r#"{"schema_version":1,"domain":"devices","policy":"hilldene-primary","actor":{"role":"pupil","year_group":6},"device":{"kind":"mobile_phone","owner":"personal"},"action":"bring_on_site","context":{"location":"reception","period":"before_school","children_present":true,"exception":"none"}}"#;

/// One `sg_evaluate` of [`REQUEST`] and the free of its answer, as a C
/// caller does it.
fn round_trip(handle: *mut sg_engine) {
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
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let engine = Engine::from_preset("hilldene-primary").unwrap();
    let mut handle: *mut sg_engine = std::ptr::null_mut();
    // SAFETY: a NUL-terminated id and a valid out-pointer.
    let r = unsafe { sg_engine_from_preset(c"hilldene-primary".as_ptr(), &mut handle) };
    assert_eq!(r, sg_result::Ok);

    let mut c = Criterion::default().configure_from_args();
    c.bench_function("c_abi/rust_json", |b| {
        b.iter(|| engine.evaluate_json(black_box(REQUEST)).unwrap())
    });
    c.bench_function("c_abi/sg_evaluate", |b| b.iter(|| round_trip(handle)));
    c.final_summary();

    // `--list` lists and `--profile-time` profiles: nothing else runs then;
    // `--test` (cargo test --benches) runs one round.
    if !args.iter().any(|a| a == "--list" || a == "--profile-time") {
        let rounds = if args.iter().any(|a| a == "--test") {
            1
        } else {
            21
        };
        let (rust, c_abi) = interleaved(
            rounds,
            1.0,
            || engine.evaluate_json(black_box(REQUEST)).unwrap(),
            || round_trip(handle),
        );
        println!(
            "\nC ABI / Rust JSON, medians of {rounds} interleaved rounds: \
             Rust {}, C ABI {}: {:.2}x (guard ≤ 1.3x)",
            show(rust),
            show(c_abi),
            c_abi / rust
        );
    }
    // SAFETY: the engine from above, freed once, no longer in use.
    unsafe { sg_engine_free(handle) };
}
