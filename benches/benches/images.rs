//! Images decision benchmarks (issue 4, SPEC §9):
//! - `images/typed_30_pupils`: a group photo with 30 pupils (budget ≤ 5 µs);
//! - `images/json_30_pupils`: the same, JSON in → JSON out (budget ≤ 10 µs);
//! - `images/gallery_200x600`: 200 images against a 600-pupil roster,
//!   indexed once (budget ≤ 2 ms).
//!
//! Run: `cargo bench -p safeguard-benches --bench images`.

use criterion::{criterion_group, criterion_main, Criterion};
use safeguard_engine::{Engine, Request};
use serde_json::{json, Value};
use std::hint::black_box;

const FIRST: [&str; 12] = [
    "Amy", "Raj", "Zoë", "Tom", "Leo", "Mia", "Noah", "Isla", "Omar", "Ava", "Ben", "Ella",
];
const LAST: [&str; 10] = [
    "Smith",
    "Patel",
    "O'Neil",
    "Brown",
    "Khan",
    "Jones",
    "Smith-Jones",
    "Taylor",
    "Ali",
    "Evans",
];

fn pupil(i: usize) -> Value {
    json!({ "id": format!("p{i}"), "first_name": FIRST[i % FIRST.len()],
            "last_name": format!("{}{}", LAST[(i / 7) % LAST.len()], if i >= 70 { "x" } else { "" }),
            "on_roll": true,
            "consent": { "display": "yes", "website": if i % 9 == 4 { "no" } else { "yes" },
                         "prospectus": "yes", "social_media": "no", "press": "no" },
            "restriction": "none" })
}

fn media(i: usize) -> Value {
    json!({ "kind": "photo", "composition": "group",
            "caption": format!("Sports day: {} {} and friends", FIRST[i % FIRST.len()], LAST[i % LAST.len()]),
            "filename": format!("IMG_{i:04}.jpg"), "tags": ["sports day", "year 5"],
            "has_geodata": i.is_multiple_of(2), "captured_on": "school_device", "suitably_dressed": true })
}

fn images(c: &mut Criterion) {
    let engine = Engine::from_preset("hilldene-primary").unwrap();
    let single = json!({ "schema_version": 1, "domain": "images", "policy": "hilldene-primary",
                         "channel": "website", "media": media(0),
                         "pupils": (0..30).map(pupil).collect::<Vec<_>>() })
    .to_string();
    let typed = Request::from_json(&single, None).unwrap();
    c.bench_function("images/typed_30_pupils", |b| {
        b.iter(|| engine.evaluate(black_box(&typed)).unwrap())
    });
    c.bench_function("images/json_30_pupils", |b| {
        b.iter(|| engine.evaluate_json(black_box(&single)).unwrap())
    });
    let gallery = json!({ "schema_version": 1, "domain": "images", "policy": "hilldene-primary",
        "channel": "website",
        "roster": (0..600).map(pupil).collect::<Vec<_>>(),
        "images": (0..200).map(|i| json!({ "id": format!("img{i}"), "media": media(i),
            "pupils": (0..12).map(|k| format!("p{}", (i * 3 + k * 47) % 600)).collect::<Vec<_>>() }))
            .collect::<Vec<_>>() })
    .to_string();
    let gallery = Request::from_json(&gallery, None).unwrap();
    c.bench_function("images/gallery_200x600", |b| {
        b.iter(|| engine.evaluate(black_box(&gallery)).unwrap())
    });
}

criterion_group!(benches, images);
criterion_main!(benches);
