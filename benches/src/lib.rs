//! Shared pieces of the benchmarks: deterministic request generators
//! ([`requests`]) and the Cedar encoding of the same rules ([`cedar`]) for
//! the side-by-side comparison in `benches/benches/cedar.rs` (issue 8), and
//! interleaved timing for ratios ([`timing`]).
//!
//! `cargo test -p safeguard-benches --features cedar` checks, before any
//! timing, that Cedar and safeguard give the same verdicts on the generated
//! requests. The feature is off by default (see Cargo.toml for why).
#![forbid(unsafe_code)]

#[cfg(feature = "cedar")]
pub mod cedar;
pub mod requests;
pub mod timing;

/// How many devices requests the `cedar/devices/*` benches evaluate per
/// iteration.
pub const DEVICES_SET: usize = 256;

/// The seed of that set.
pub const DEVICES_SEED: u64 = 8;

/// How many images the `cedar/images/*` benches decide per iteration: a
/// varied stream (`requests::images_cases`).
pub const IMAGES_STREAM: usize = 128;

/// The seed of that stream.
pub const IMAGES_SEED: u64 = 9;
