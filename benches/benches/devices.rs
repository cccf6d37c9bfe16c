//! Devices decision benchmarks (issue 3, SPEC §9):
//! - `devices/typed`: one decision from a typed request (budget ≤ 1 µs, aim ≤ 100 ns);
//! - `devices/json`: JSON text in → JSON text out (budget ≤ 3 µs);
//! - `devices/batch_1m`: one million typed decisions, a mix of requests
//!   (budget ≥ 1M decisions per second on one core, so ≤ 1 s per iteration).
//!
//! - `lint/<id>`: the lint of a preset's whole devices request space (≤ 1 s).
//!
//! Run: `cargo bench -p safeguard-benches --bench devices`.

use criterion::{criterion_group, criterion_main, Criterion};
use safeguard_engine::devices::{
    ActorRole, DeviceAction, DeviceKind, DevicesRequest, Location, Owner,
};
use safeguard_engine::Period;
use safeguard_engine::{Engine, Request};
use std::hint::black_box;

const REQUEST: &str = r#"{"schema_version":1,"domain":"devices","policy":"hilldene-primary",
 "actor":{"role":"pupil","year_group":6},
 "device":{"kind":"mobile_phone","owner":"personal"},
 "action":"bring_on_site",
 "context":{"location":"reception","period":"before_school","children_present":true,"exception":"none"}}"#;

/// A deterministic mix of requests over the vocabulary.
fn mix(n: usize) -> Vec<Request> {
    let base: DevicesRequest = serde_json::from_str(REQUEST).expect("valid request");
    (0..n)
        .map(|i| {
            let mut r = base.clone();
            r.actor.role = ActorRole::ALL[i % ActorRole::ALL.len()];
            r.actor.year_group = (r.actor.role == ActorRole::Pupil).then_some((i % 7) as u8);
            r.device.kind = DeviceKind::ALL[(i / 3) % DeviceKind::ALL.len()];
            r.device.owner = Owner::ALL[(i / 5) % Owner::ALL.len()];
            r.action = DeviceAction::ALL[(i / 7) % DeviceAction::ALL.len()];
            r.context.location = Location::ALL[(i / 11) % Location::ALL.len()];
            r.context.period = Some(Period::ALL[(i / 13) % Period::ALL.len()]);
            Request::Devices(r)
        })
        .collect()
}

fn devices(c: &mut Criterion) {
    let engine = Engine::from_preset("hilldene-primary").unwrap();
    let typed = Request::from_json(REQUEST, None).unwrap();
    c.bench_function("devices/typed", |b| {
        b.iter(|| engine.evaluate(black_box(&typed)).unwrap())
    });
    c.bench_function("devices/json", |b| {
        b.iter(|| engine.evaluate_json(black_box(REQUEST)).unwrap())
    });
    let batch = mix(1_000_000);
    let mut group = c.benchmark_group("devices");
    group.sample_size(10);
    group.bench_function("batch_1m", |b| {
        b.iter(|| {
            let mut denied = 0usize;
            for r in &batch {
                if engine.evaluate(black_box(r)).unwrap().outcome == safeguard_engine::Outcome::Deny
                {
                    denied += 1;
                }
            }
            denied
        })
    });
    group.finish();
}

fn lint(c: &mut Criterion) {
    let mut group = c.benchmark_group("lint");
    group.sample_size(10);
    for id in Engine::presets() {
        let engine = Engine::from_preset(id).unwrap();
        group.bench_function(*id, |b| b.iter(|| engine.lint()));
    }
    group.finish();
}

criterion_group!(benches, devices, lint);
criterion_main!(benches);
