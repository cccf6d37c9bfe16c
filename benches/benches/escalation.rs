//! Escalation routing benchmarks (issue 5, SPEC §9):
//! - `escalation/typed`: one routing plan from a typed request (budget ≤ 5 µs):
//!   indecent images on a school device under Stanford's policy, with due
//!   times and the out-of-hours contact route;
//! - `escalation/json`: the same, JSON text in → JSON text out;
//! - `escalation/typed_mix`: a plan for each of 64 requests over the
//!   vocabulary (categories, subjects, flags, times), per request.
//!
//! Run: `cargo bench -p safeguard-benches --bench escalation`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use safeguard_engine::escalation::{Category, ConcernAbout, EscalationRequest, Flag};
use safeguard_engine::{Engine, Request};
use std::hint::black_box;

const REQUEST: &str = r#"{"schema_version":1,"domain":"escalation","policy":"stanford-junior-infant",
 "category":"indecent_images","concern_about":"unknown",
 "flags":{"immediate_danger":false,"illegal_material":true,"on_school_systems":true},
 "reported_at":"2024-05-21T17:40"}"#;

fn mix(n: usize) -> Vec<Request> {
    let base: EscalationRequest = serde_json::from_str(REQUEST).expect("valid request");
    (0..n)
        .map(|i| {
            let mut r = base.clone();
            r.category = Category::ALL[i % Category::ALL.len()];
            r.concern_about = ConcernAbout::ALL[(i / 3) % ConcernAbout::ALL.len()];
            for (k, f) in Flag::ALL.iter().enumerate() {
                r.flags.set(*f, (i >> (k % 6)) & 1 == 1 && k % 3 != 0);
            }
            r.reported_at.0 += chrono::Duration::minutes((i * 397) as i64);
            Request::Escalation(r)
        })
        .collect()
}

fn escalation(c: &mut Criterion) {
    let engine = Engine::from_preset("stanford-junior-infant").unwrap();
    let typed = Request::from_json(REQUEST, None).unwrap();
    c.bench_function("escalation/typed", |b| {
        b.iter(|| engine.evaluate(black_box(&typed)).unwrap())
    });
    c.bench_function("escalation/json", |b| {
        b.iter(|| engine.evaluate_json(black_box(REQUEST)).unwrap())
    });
    let requests = mix(64);
    let mut group = c.benchmark_group("escalation");
    group.throughput(Throughput::Elements(requests.len() as u64));
    group.bench_function("typed_mix", |b| {
        b.iter(|| {
            for r in &requests {
                black_box(engine.evaluate(black_box(r)).unwrap());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, escalation);
criterion_main!(benches);
