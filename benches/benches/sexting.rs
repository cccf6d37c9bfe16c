//! Sexting decision benchmarks (issue 2, SPEC §9):
//! - `sexting/typed`: one decision from a typed request (budget ≤ 1 µs);
//! - `sexting/json`: JSON text in → JSON text out (budget ≤ 10 µs);
//! - `preset_load/<id>`: loading a built-in preset afresh, as the library
//!   does on first use: parsing the JSON the build made of its TOML,
//!   resolving and floor-checking it, compiling its tables (budget ≤ 1 ms);
//! - `policy_load_toml/<id>`: the same policy loaded from its TOML text, as
//!   a school's own policy file is (no budget; for comparison).
//!
//! Run: `cargo bench -p safeguard-benches --bench sexting`.

use criterion::{criterion_group, criterion_main, Criterion};
use safeguard_engine::{Engine, Request};
use std::hint::black_box;

const REQUEST: &str = r#"{
  "schema_version": 1, "domain": "sexting", "policy": "squirrels-heath-junior",
  "incident_date": "2024-03-14",
  "young_people": [
    { "id": "p1", "date_of_birth": "2011-06-02", "role": "subject" },
    { "id": "p2", "age": 13, "role": "recipient" }
  ],
  "facts": {
    "adult_involved": "no", "coercion_blackmail_or_grooming": "no", "capacity_to_consent_concern": "no",
    "content_atypical_for_development": "no", "content_violent": "no", "content_sexual_acts": "yes",
    "immediate_risk_of_harm": "no"
  }
}"#;

fn sexting(c: &mut Criterion) {
    let engine = Engine::from_preset("squirrels-heath-junior").unwrap();
    let typed = Request::from_json(REQUEST, None).unwrap();
    c.bench_function("sexting/typed", |b| {
        b.iter(|| engine.evaluate(black_box(&typed)).unwrap())
    });
    c.bench_function("sexting/parse", |b| {
        b.iter(|| Request::from_json(black_box(REQUEST), None).unwrap())
    });
    let decision = engine.evaluate(&typed).unwrap();
    c.bench_function("sexting/serialize", |b| {
        b.iter(|| black_box(&decision).to_json())
    });
    c.bench_function("sexting/json", |b| {
        b.iter(|| engine.evaluate_json(black_box(REQUEST)).unwrap())
    });
}

fn preset_load(c: &mut Criterion) {
    // Warm the shared baseline, which every school preset extends.
    Engine::from_preset("baseline").unwrap();
    // A preset as the library loads it: from the JSON the build made of it.
    for id in Engine::presets() {
        c.bench_function(&format!("preset_load/{id}"), |b| {
            b.iter(|| safeguard_engine::Engine::from_preset_afresh(black_box(id)).unwrap())
        });
    }
    // The same policies as a school's TOML file is loaded.
    for id in Engine::presets() {
        let text = safeguard_engine::policy::presets::source(id).unwrap();
        c.bench_function(&format!("policy_load_toml/{id}"), |b| {
            b.iter(|| Engine::from_toml(black_box(text)).unwrap())
        });
    }
}

criterion_group!(benches, sexting, preset_load);
criterion_main!(benches);
