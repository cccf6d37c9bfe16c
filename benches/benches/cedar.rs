//! safeguard against the Cedar policy engine on the same rules (issue 8,
//! SPEC §9: devices ≥ 40x faster, images ≥ 10x faster, in one run).
//!
//! The rules are `hilldene-primary`'s devices table and images rules, in
//! Cedar in `benches/cedar/` (see `benches/src/cedar.rs` for the encoding and
//! how outcomes map; `cargo test -p safeguard-benches --features cedar`
//! checks that both give the same verdicts on every request used here).
//!
//! - `cedar/devices/safeguard_typed`: 256 generated devices requests
//!   (roles × devices × actions × places × periods × flags, some facts left
//!   out), `Engine::evaluate` on each typed request;
//! - `cedar/devices/safeguard_json`: the same requests as JSON text in →
//!   JSON text out (`Engine::evaluate_json`), for reference;
//! - `cedar/devices/cedar`: `Authorizer::is_authorized` on each, with the
//!   Cedar requests, entities and policy set built beforehand;
//! - `cedar/images_30/safeguard_typed`: one decision for the 30-pupil group
//!   photo of `images/typed_30_pupils`;
//! - `cedar/images_30/cedar`: the Cedar authorizations answering the same
//!   question (channel and image-wide checks, one per pupil, the group
//!   exclusion, the changes: 33 here) and their combination; names in the
//!   caption are precomputed for Cedar.
//!
//! A devices iteration is the whole set of 256 (criterion reports the
//! throughput per request). After criterion, the binary times both sides
//! again in interleaved rounds and prints the ratios (Cedar / safeguard).
//!
//! Run: `cargo bench -p safeguard-benches --features cedar --bench cedar`.

use cedar_policy::Decision as CedarDecision;
use criterion::{Criterion, Throughput};
use safeguard_benches::cedar::{self, CedarDevices, CedarImages, DevicesAnswer, ImagesAnswer};
use safeguard_benches::requests::{self, PRESET};
use safeguard_benches::timing::{interleaved, show};
use safeguard_benches::{DEVICES_SEED, DEVICES_SET};
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
            let ours = DevicesAnswer::from_safeguard(&engine.evaluate(t).unwrap());
            let theirs = cedar.answer(&cedar.is_authorized(r));
            assert_eq!(ours.allow, theirs.allow, "{case:?}");
            assert_eq!(ours.conditions, theirs.conditions, "{case:?}");
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
        Setup {
            engine,
            typed,
            json,
            cedar,
            cedar_requests,
            image,
            cedar_images,
            cedar_image,
        }
    }

    fn devices_safeguard_typed(&self) -> usize {
        let mut allowed = 0;
        for r in &self.typed {
            if self.engine.evaluate(black_box(r)).unwrap().outcome != Outcome::Deny {
                allowed += 1;
            }
        }
        allowed
    }

    fn devices_safeguard_json(&self) -> usize {
        let mut bytes = 0;
        for r in &self.json {
            bytes += self.engine.evaluate_json(black_box(r)).unwrap().len();
        }
        bytes
    }

    fn devices_cedar(&self) -> usize {
        let mut allowed = 0;
        for r in &self.cedar_requests {
            if self.cedar.is_authorized(black_box(r)).decision() == CedarDecision::Allow {
                allowed += 1;
            }
        }
        allowed
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
        "  devices, typed:  safeguard {} / request, Cedar {} / request: {:.1}x (budget ≥ 40x)",
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
    let (ours, theirs) = interleaved(
        rounds,
        1.0,
        || s.images_safeguard_typed(),
        || s.images_cedar(),
    );
    println!(
        "  images, 30 pupils: safeguard {} / image, Cedar {} / image: {:.1}x (budget ≥ 10x)",
        show(ours),
        show(theirs),
        theirs / ours
    );
    let pairs = [
        ("devices/safeguard_typed", "devices/cedar"),
        ("devices/safeguard_json", "devices/cedar"),
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
