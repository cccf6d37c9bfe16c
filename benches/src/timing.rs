//! Timing two things fairly on a shared host: in interleaved rounds, so
//! that load on the machine falls on both alike, and reporting medians.
//! Used where a budget is a ratio (Cedar / safeguard, C ABI / Rust).

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Median time per call of `f` (divided by `per` calls inside `f`) over
/// `rounds` rounds, the two sides interleaved so that load on a shared host
/// falls on both alike.
pub fn interleaved<A, B>(
    rounds: usize,
    per: f64,
    a: impl Fn() -> A,
    b: impl Fn() -> B,
) -> (f64, f64) {
    // Enough repetitions for about 20 ms a side per round.
    let reps = |f: &dyn Fn()| {
        let t = Instant::now();
        f();
        let once = t.elapsed().max(Duration::from_nanos(1));
        (Duration::from_millis(20).as_nanos() / once.as_nanos()).clamp(1, 1_000_000) as usize
    };
    let (ra, rb) = (
        reps(&|| {
            black_box(a());
        }),
        reps(&|| {
            black_box(b());
        }),
    );
    let time = |reps: usize, f: &dyn Fn()| {
        let t = Instant::now();
        for _ in 0..reps {
            f();
        }
        t.elapsed().as_nanos() as f64 / reps as f64 / per
    };
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        ta.push(time(ra, &|| {
            black_box(a());
        }));
        tb.push(time(rb, &|| {
            black_box(b());
        }));
    }
    (median(&mut ta), median(&mut tb))
}

/// The median of `v` (sorted in place).
fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A time in nanoseconds, as ns or µs.
pub fn show(ns: f64) -> String {
    if ns >= 1000.0 {
        format!("{:.2} µs", ns / 1000.0)
    } else {
        format!("{ns:.0} ns")
    }
}
