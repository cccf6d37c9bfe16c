//! safeguard against the Cedar policy engine on the same rules (issue 8,
//! SPEC §9: devices ≥ 100x faster (typed), images ≥ 50x faster on a varied
//! stream of requests, interleaved in one run).
//!
//! The rules are `hilldene-primary`'s devices table and images rules, in
//! Cedar in `benches/cedar/` (see `benches/src/cedar.rs` for the encoding and
//! how outcomes map; `cargo test -p safeguard-benches --features cedar`
//! checks that both give the same answers on every request used here).
//!
//! - `cedar/devices/safeguard_typed`: 256 generated devices requests
//!   (roles × devices × actions × places × periods × flags, some facts left
//!   out), `Engine::evaluate` on each typed request;
//! - `cedar/devices/safeguard_json`: the same requests as JSON text in →
//!   JSON text out (`Engine::evaluate_json`), for reference;
//! - `cedar/devices/cedar`: `Authorizer::is_authorized` on each, with the
//!   Cedar requests, entities and policy set built beforehand;
//! - `cedar/images/safeguard_typed`: a stream of 128 generated image
//!   publishing requests (`requests::images_cases`: every channel,
//!   individual photos and groups of 2 to 30 pupils, each pupil's consents
//!   granted, refused, withdrawn, not asked or left out, restrictions and
//!   leavers, names in the caption, credits, file name and tags or none,
//!   geodata known or unknown, school or personal device),
//!   `Engine::evaluate` on each;
//! - `cedar/images/safeguard_json`: the same images as JSON text in → out,
//!   for reference;
//! - `cedar/images/cedar`: for each image, the Cedar authorizations that
//!   answer the same question (channel and image-wide checks, one per
//!   pupil, the group exclusion, the changes) and their combination into
//!   the outcome, the changes and what is blocked; entities and requests
//!   built beforehand, names in the texts precomputed for Cedar.
//!   No two images in a row show the same pupils, so safeguard builds each
//!   image's name index in the timed call (its per-thread kept index does
//!   not apply);
//! - `cedar/images_30/*`: one image alone, the 30-pupil group photo of
//!   `images/typed_30_pupils` (33 Cedar authorizations), for reference: the
//!   same request each iteration, so safeguard's kept name index serves all
//!   but the first.
//!
//! A devices or images iteration is the whole set (criterion reports the
//! throughput per request or image). After criterion, the binary times both
//! sides again in interleaved rounds and prints the ratios (Cedar /
//! safeguard) against the guards.
//!
//! Run: `cargo bench -p safeguard-benches --features cedar --bench cedar`.

use cedar_policy::Decision as CedarDecision;
use criterion::{Criterion, Throughput};
use safeguard_benches::cedar::{self, CedarDevices, CedarImages, DevicesAnswer, ImagesAnswer};
use safeguard_benches::requests::{self, PRESET};
use safeguard_benches::timing::{interleaved, show};
use safeguard_benches::{DEVICES_SEED, DEVICES_SET, IMAGES_SEED, IMAGES_STREAM};
use safeguard_engine::{Engine, Outcome, Request};
use std::hint::black_box;

/// Everything built before timing.
struct Setup {
    engine: Engine,
    typed: Vec<Request>,
    json: Vec<String>,
    cedar: CedarDevices,
    cedar_requests: Vec<cedar_policy::Request>,
    image: Request,
    cedar_images: CedarImages,
    cedar_image: cedar::CedarImage,
    /// The images stream, typed, as JSON text, and as Cedar sees it.
    stream: Vec<Request>,
    stream_json: Vec<String>,
    cedar_stream: Vec<cedar::CedarImage>,
}

impl Setup {
    fn new() -> Setup {
        let engine = Engine::from_preset(PRESET).unwrap();
        let cases =
            requests::devices_cases(&engine.policy().devices.rules, DEVICES_SET, DEVICES_SEED);
        let cedar = CedarDevices::load();
        let typed: Vec<Request> = cases.iter().map(|c| c.request()).collect();
        let json = cases.iter().map(|c| c.to_json().to_string()).collect();
        let cedar_requests: Vec<_> = cases.iter().map(|c| cedar.request(c)).collect();
        // The same answers on both sides before anything is timed.
        for ((case, t), r) in cases.iter().zip(&typed).zip(&cedar_requests) {
            let decision = engine.evaluate(t).unwrap();
            let ours = DevicesAnswer::from_safeguard(&decision);
            // Less the conditions the recorded permission already meets,
            // as safeguard does (the agreement test's mapping).
            let theirs = cedar.answer_for(case, &cedar.is_authorized(r));
            assert_eq!(ours.allow, theirs.allow, "{case:?}");
            if decision.unknowns.is_empty() {
                assert_eq!(ours.conditions, theirs.conditions, "{case:?}");
            } else {
                // A permit that only may apply adds its conditions to
                // safeguard's answer (see `devices_verdicts_agree`).
                assert!(theirs.conditions.is_subset(&ours.conditions), "{case:?}");
            }
        }
        let bench_image = requests::images_30();
        let image = bench_image.request();
        let cedar_images = CedarImages::load();
        let entities = serde_json::from_str(&cedar::read("images_30.entities.json")).unwrap();
        let cedar_image = cedar_images.prepare(&bench_image, &entities);
        assert_eq!(
            ImagesAnswer::from_safeguard(&engine.evaluate(&image).unwrap()),
            cedar_images.decide(&cedar_image)
        );
        let images = requests::images_cases(IMAGES_STREAM, IMAGES_SEED);
        let stream: Vec<Request> = images.iter().map(|c| c.request()).collect();
        let stream_json = images.iter().map(|c| c.to_json().to_string()).collect();
        let cedar_stream: Vec<_> = images
            .iter()
            .map(|c| cedar_images.prepare(c, &cedar::images_entities(c)))
            .collect();
        // The same outcomes, changes and blocks before anything is timed.
        for ((case, ours), theirs) in images.iter().zip(&stream).zip(&cedar_stream) {
            assert_eq!(
                ImagesAnswer::from_safeguard(&engine.evaluate(ours).unwrap()),
                cedar_images.decide(theirs),
                "{}",
                case.to_json()
            );
        }
        Setup {
            engine,
            typed,
            json,
            cedar,
            cedar_requests,
            image,
            cedar_images,
            cedar_image,
            stream,
            stream_json,
            cedar_stream,
        }
    }

    fn devices_safeguard_typed(&self) -> usize {
        count(&self.typed, |r| {
            self.engine.evaluate(r).unwrap().outcome != Outcome::Deny
        })
    }

    fn devices_safeguard_json(&self) -> usize {
        json_bytes(&self.engine, &self.json)
    }

    fn devices_cedar(&self) -> usize {
        count(&self.cedar_requests, |r| {
            self.cedar.is_authorized(r).decision() == CedarDecision::Allow
        })
    }

    fn stream_safeguard_typed(&self) -> usize {
        count(&self.stream, |r| {
            self.engine.evaluate(r).unwrap().outcome != Outcome::Block
        })
    }

    fn stream_safeguard_json(&self) -> usize {
        json_bytes(&self.engine, &self.stream_json)
    }

    fn stream_cedar(&self) -> usize {
        count(&self.cedar_stream, |img| {
            self.cedar_images.decide(img).outcome != Outcome::Block
        })
    }

    fn images_safeguard_typed(&self) -> Outcome {
        self.engine
            .evaluate(black_box(&self.image))
            .unwrap()
            .outcome
    }

    fn images_cedar(&self) -> Outcome {
        self.cedar_images
            .decide(black_box(&self.cedar_image))
            .outcome
    }
}

/// How many of `items` (each through `black_box`) `holds` is true of: one
/// pass of a timed set.
fn count<T>(items: &[T], holds: impl Fn(&T) -> bool) -> usize {
    items.iter().filter(|&item| holds(black_box(item))).count()
}

/// The length of the engine's JSON answers to `requests`, together.
fn json_bytes(engine: &Engine, requests: &[String]) -> usize {
    requests
        .iter()
        .map(|r| engine.evaluate_json(black_box(r)).unwrap().len())
        .sum()
}

fn benches(c: &mut Criterion, s: &Setup) {
    let mut group = c.benchmark_group("cedar");
    group.throughput(Throughput::Elements(DEVICES_SET as u64));
    group.bench_function("devices/safeguard_typed", |b| {
        b.iter(|| s.devices_safeguard_typed())
    });
    group.bench_function("devices/safeguard_json", |b| {
        b.iter(|| s.devices_safeguard_json())
    });
    group.bench_function("devices/cedar", |b| b.iter(|| s.devices_cedar()));
    group.throughput(Throughput::Elements(IMAGES_STREAM as u64));
    group.bench_function("images/safeguard_typed", |b| {
        b.iter(|| s.stream_safeguard_typed())
    });
    group.bench_function("images/safeguard_json", |b| {
        b.iter(|| s.stream_safeguard_json())
    });
    group.bench_function("images/cedar", |b| b.iter(|| s.stream_cedar()));
    group.throughput(Throughput::Elements(1));
    group.bench_function("images_30/safeguard_typed", |b| {
        b.iter(|| s.images_safeguard_typed())
    });
    group.bench_function("images_30/cedar", |b| b.iter(|| s.images_cedar()));
    group.finish();
}

/// The median point estimate criterion wrote for `cedar/<id>`, in ns.
fn criterion_median(id: &str) -> Option<f64> {
    let home = match std::env::var_os("CRITERION_HOME") {
        Some(h) => std::path::PathBuf::from(h),
        // target/<profile>/deps/cedar-<hash> → target/criterion
        None => std::env::current_exe()
            .ok()?
            .parent()?
            .parent()?
            .parent()?
            .join("criterion"),
    };
    let path = home
        .join("cedar")
        .join(id.replace('/', "_"))
        .join("new/estimates.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    v["median"]["point_estimate"].as_f64()
}

fn ratios(s: &Setup, rounds: usize) {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    println!(
        "\nCedar / safeguard, medians of {rounds} interleaved rounds (load average {}):",
        load.join(" ")
    );
    let n = DEVICES_SET as f64;
    let (ours, theirs) = interleaved(
        rounds,
        n,
        || s.devices_safeguard_typed(),
        || s.devices_cedar(),
    );
    println!(
        "  devices, typed:  safeguard {} / request, Cedar {} / request: {:.1}x (guard ≥ 100x)",
        show(ours),
        show(theirs),
        theirs / ours
    );
    let (json, theirs) = interleaved(
        rounds,
        n,
        || s.devices_safeguard_json(),
        || s.devices_cedar(),
    );
    println!(
        "  devices, JSON:   safeguard {} / request, Cedar {} / request: {:.1}x (reference)",
        show(json),
        show(theirs),
        theirs / json
    );
    let n = IMAGES_STREAM as f64;
    let (ours, theirs) = interleaved(
        rounds,
        n,
        || s.stream_safeguard_typed(),
        || s.stream_cedar(),
    );
    println!(
        "  images, stream of {IMAGES_STREAM}, typed: safeguard {} / image, Cedar {} / image: {:.1}x (guard ≥ 50x)",
        show(ours),
        show(theirs),
        theirs / ours
    );
    let (json, theirs) = interleaved(rounds, n, || s.stream_safeguard_json(), || s.stream_cedar());
    println!(
        "  images, stream, JSON: safeguard {} / image, Cedar {} / image: {:.1}x (reference)",
        show(json),
        show(theirs),
        theirs / json
    );
    let (ours, theirs) = interleaved(
        rounds,
        1.0,
        || s.images_safeguard_typed(),
        || s.images_cedar(),
    );
    println!(
        "  images, 30 pupils alone: safeguard {} / image, Cedar {} / image: {:.1}x (reference)",
        show(ours),
        show(theirs),
        theirs / ours
    );
    let pairs = [
        ("devices/safeguard_typed", "devices/cedar"),
        ("devices/safeguard_json", "devices/cedar"),
        ("images/safeguard_typed", "images/cedar"),
        ("images/safeguard_json", "images/cedar"),
        ("images_30/safeguard_typed", "images_30/cedar"),
    ];
    let mut lines = Vec::new();
    for (ours, theirs) in pairs {
        if let (Some(a), Some(b)) = (criterion_median(ours), criterion_median(theirs)) {
            lines.push(format!("  cedar/{theirs} / cedar/{ours}: {:.1}x", b / a));
        }
    }
    if !lines.is_empty() {
        println!("Cedar / safeguard, criterion medians of the latest run:");
        println!("{}", lines.join("\n"));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let s = Setup::new();
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c, &s);
    c.final_summary();
    // `--list` lists; `--profile-time` profiles (e.g. under callgrind), so
    // nothing else should run; `--test` (cargo test --benches) runs each
    // bench once.
    if args.iter().any(|a| a == "--list" || a == "--profile-time") {
        return;
    }
    let quick = args.iter().any(|a| a == "--test");
    ratios(&s, if quick { 1 } else { 21 });
}
