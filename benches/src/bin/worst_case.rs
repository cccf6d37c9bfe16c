//! The worst requests we can construct within the 1 MiB request limit, one
//! decision each through `Engine::evaluate_json`, with the time it takes
//! (release build) and the memory it needs (issue 21's acceptance: every
//! decision under 50 ms and 64 MB).
//!
//! Each case is written to a file and decided in a process of its own (this
//! binary runs itself with the file). Memory is that process's peak
//! resident set (`VmHWM`): the program, the engine, the request text and
//! everything the five decisions need; the resident set before the
//! decisions is given beside it. Time is
//! the slowest of five runs, on a CPU (`/proc/self/schedstat`, which leaves
//! out waiting for a CPU on a shared host) and by the wall clock.
//!
//! Run: `cargo run --release -p safeguard-benches --bin worst_case`.

use safeguard_engine::Engine;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const LIMIT: usize = 1 << 20;

/// A pupil who may be on the website and named with the photo: every name
/// hit is then read through to the end when the engine looks for a pupil
/// named without `name_with_image` consent (the slowest case of that scan).
fn pupil(id: &str, first: &str, last: &str) -> Value {
    json!({ "id": id, "first_name": first, "last_name": last, "on_roll": true, "restriction": "none",
            "consent": { "website": "yes", "name_with_image": "yes" } })
}

fn images(media: Value, pupils: Vec<Value>) -> String {
    let mut m = json!({ "kind": "photo", "composition": "group", "has_geodata": false,
                        "captured_on": "school_device", "suitably_dressed": true });
    for (k, v) in media.as_object().unwrap() {
        m[k] = v.clone();
    }
    json!({ "schema_version": 1, "domain": "images", "policy": "baseline",
            "channel": "website", "media": m, "pupils": pupils })
    .to_string()
}

/// `unit` repeated to fill `bytes` (cut at a character boundary).
fn fill(unit: &str, bytes: usize) -> String {
    let mut s = unit.repeat(bytes / unit.len() + 1);
    let mut cut = bytes.min(s.len());
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.truncate(cut);
    s
}

/// A name made of letters from `i` (distinct for distinct `i`).
fn name(prefix: &str, mut i: usize) -> String {
    let mut s = prefix.to_string();
    for _ in 0..3 {
        s.push(char::from(b'a' + (i % 26) as u8));
        i /= 26;
    }
    s
}

/// A request padded with JSON whitespace to just under the limit.
fn padded(request: &str) -> String {
    let pad = " ".repeat(LIMIT - request.len() - 16);
    format!("{{{pad}{}", &request[1..])
}

fn cases() -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let amy = || vec![pupil("p1", "Amy", "Smith")];
    out.push((
        "images: 1 pupil, caption \"Amy \" repeated to 1 MiB",
        images(json!({ "caption": fill("Amy ", LIMIT - 600) }), amy()),
    ));
    out.push((
        "images: 1 pupil, caption \"Amy Smith \" repeated to 1 MiB",
        images(json!({ "caption": fill("Amy Smith ", LIMIT - 600) }), amy()),
    ));
    out.push((
        "images: caption of look-alike and invisible letters to 1 MiB",
        images(
            json!({ "caption": fill("𝐀𝐦𝐲 S\u{200B}mitһ Ａｍｙ #AmySmith ", LIMIT - 600) }),
            amy(),
        ),
    ));
    out.push((
        "images: caption of 20,000 distinct CJK letters, repeated to 1 MiB",
        images(
            json!({ "caption": fill(&('\u{4E00}'..'\u{9FA5}').collect::<String>(), LIMIT - 600) }),
            amy(),
        ),
    ));
    out.push((
        "images: 1 pupil, tags \"amy\" and \"smith\" to 1 MiB",
        images(
            json!({ "tags": (0..LIMIT / 16).map(|i| if i % 2 == 0 { "amy" } else { "smith" }).collect::<Vec<_>>() }),
            amy(),
        ),
    ));
    out.push((
        "images: file name of 1 MiB, a.m.y.s.m.i.t.h repeated",
        images(
            json!({ "filename": fill("a.m.y.s.m.i.t.h.", LIMIT - 600) + "jpg" }),
            amy(),
        ),
    ));
    let many: Vec<Value> = (0..5000)
        .map(|i| pupil(&format!("p{i}"), &name("A", i), &name("S", i * 7 + 3)))
        .collect();
    let listed: String = (0..5000)
        .map(|i| format!("{} {}, ", name("A", i), name("S", i * 7 + 3)))
        .collect();
    let room = LIMIT - images(json!({}), many.clone()).len() - 100;
    out.push((
        "images: 5,000 pupils, caption listing their full names to 1 MiB",
        images(json!({ "caption": fill(&listed, room) }), many),
    ));
    let shared: Vec<Value> = (0..2000)
        .map(|i| pupil(&format!("p{i}"), "Amy", &name("Smith", i)))
        .collect();
    let room = LIMIT - images(json!({}), shared.clone()).len() - 100;
    out.push((
        "images: 2,000 pupils named Amy, caption \"Amy and Amy \" to 1 MiB",
        images(json!({ "caption": fill("Amy and Amy ", room) }), shared),
    ));
    let nested: Vec<String> = (1..=700).map(|n| "a".repeat(n)).collect();
    let nested: Vec<Value> = nested
        .iter()
        .enumerate()
        .map(|(i, n)| pupil(&format!("p{i}"), n, "Zed"))
        .collect();
    let room = LIMIT - images(json!({}), nested.clone()).len() - 100;
    out.push((
        "images: 700 nested names (a, aa, ...), caption \"a \" to 1 MiB",
        images(json!({ "caption": fill("a ", room) }), nested),
    ));
    let long_first = fill("Abcdefghij", 250_000);
    let long_last = fill("Klmnopqrst", 250_000);
    out.push((
        "images: 1 pupil with 250 KB names, caption naming them",
        images(
            json!({ "caption": format!("{long_first} {long_last}") }),
            vec![pupil("p1", &long_first, &long_last)],
        ),
    ));
    let roster: Vec<Value> = (0..600)
        .map(|i| pupil(&format!("p{i}"), &name("A", i), &name("S", i)))
        .collect();
    let image = |i: usize| {
        json!({ "id": format!("img{i}"),
                "media": { "kind": "photo", "composition": "group", "has_geodata": false,
                           "captured_on": "school_device", "suitably_dressed": true,
                           "caption": format!("{} {} and friends", name("A", i % 600), name("S", i % 600)),
                           "filename": format!("{}_{}.jpg", name("a", i % 600), name("s", i % 600)) },
                "pupils": [format!("p{}", i % 600), format!("p{}", (i + 1) % 600)] })
    };
    let gallery = |n: usize| {
        json!({ "schema_version": 1, "domain": "images", "policy": "baseline", "channel": "website",
                "roster": roster, "images": (0..n).map(image).collect::<Vec<_>>() })
        .to_string()
    };
    let per_image = image(0).to_string().len() + 1;
    let n = (LIMIT - gallery(0).len()) / per_image * 9 / 10;
    out.push((
        "gallery: 600 pupils, as many images as fit in 1 MiB",
        gallery(n),
    ));
    // Issue 21 review: images x roster, one-letter texts naming nobody.
    let roster: Vec<Value> = (0..4000)
        .map(|i| {
            json!({ "id": i.to_string(), "first_name": name("b", i), "last_name": "qb",
                         "on_roll": true, "consent": {} })
        })
        .collect();
    let pictures: Vec<Value> = (0..4000)
        .map(|i| {
            json!({ "id": i.to_string(), "pupils": ["0"],
            "media": { "kind": "photo", "composition": "group", "captured_on": "school_device",
                       "caption": "y", "credits": "y", "filename": "y", "tags": ["y"] } })
        })
        .collect();
    out.push((
        "gallery: 4,000 pupils and 4,000 images of one-letter texts",
        json!({ "schema_version": 1, "domain": "images", "policy": "baseline",
                "channel": "website", "roster": roster, "images": pictures })
        .to_string(),
    ));
    let young: Vec<Value> = (0..25_000)
        .map(|i| json!({ "id": format!("y{i}"), "age": 15, "role": "sender" }))
        .collect();
    let mut sexting = json!({ "schema_version": 1, "domain": "sexting", "policy": "baseline",
        "incident_date": "2025-01-20", "young_people": young, "facts": { "adult_involved": "no" } })
    .to_string();
    while sexting.len() > LIMIT {
        let v: Value = serde_json::from_str(&sexting).unwrap();
        let mut v = v;
        let people = v["young_people"].as_array_mut().unwrap();
        let keep = people.len() * 9 / 10;
        people.truncate(keep);
        sexting = v.to_string();
    }
    out.push(("sexting: as many young people as fit in 1 MiB", sexting));
    let devices = json!({ "schema_version": 1, "domain": "devices", "policy": "baseline",
        "actor": { "role": "pupil", "year_group": 6 },
        "device": { "kind": "mobile_phone", "owner": "personal" },
        "action": "bring_on_site", "context": { "location": "reception", "period": "before_school" } })
    .to_string();
    out.push(("devices: a request padded to 1 MiB", padded(&devices)));
    let escalation = json!({ "schema_version": 1, "domain": "escalation", "policy": "baseline",
        "category": "indecent_images", "concern_about": "unknown",
        "flags": { "immediate_danger": false, "illegal_material": true, "on_school_systems": true },
        "reported_at": "2024-05-21T19:40" })
    .to_string();
    out.push(("escalation: a request padded to 1 MiB", padded(&escalation)));
    out
}

/// A figure of `/proc/self/status` in kB (`VmRSS`, `VmHWM`); 0 elsewhere.
fn status_kb(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Nanoseconds this process has spent on a CPU (`/proc/self/schedstat`),
/// which, unlike the wall clock, leaves out waiting for a CPU on a loaded
/// host; 0 elsewhere.
fn on_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Decide the request in the file `path` in this process and print its row.
fn run(what: &str, path: &str) {
    let engine = Engine::from_preset("baseline").expect("baseline");
    let request = std::fs::read_to_string(path).expect("the case's request");
    // Reset the peak resident set to what is resident now.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = status_kb("VmRSS");
    let mut slowest = Duration::ZERO;
    let mut slowest_cpu = 0;
    let mut outcome = String::new();
    for _ in 0..5 {
        let started = Instant::now();
        let cpu = on_cpu_ns();
        let answer = engine.evaluate_json(&request);
        slowest_cpu = slowest_cpu.max(on_cpu_ns() - cpu);
        slowest = slowest.max(started.elapsed());
        outcome = match answer {
            Ok(text) => {
                let v: Value = serde_json::from_str(&text).unwrap();
                v["outcome"].as_str().unwrap_or("?").to_string()
            }
            Err(e) => format!("error {}", e.code()),
        };
    }
    let peak = status_kb("VmHWM");
    println!(
        "| {what} | {} | {outcome} | {:.1} ms | {:.1} ms | {:.1} MB | {:.1} MB |",
        request.len(),
        slowest_cpu as f64 / 1e6,
        slowest.as_secs_f64() * 1e3,
        peak as f64 / 1024.0,
        peak.saturating_sub(before) as f64 / 1024.0,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, what, path] = &args[..] {
        run(what, path);
        return;
    }
    println!("| request | bytes | outcome | on CPU, slowest of 5 | wall clock, slowest of 5 | peak RSS | peak RSS less RSS before |");
    println!("|---|---|---|---|---|---|---|");
    let me = std::env::current_exe().expect("own path");
    let dir = std::env::temp_dir();
    for (index, (what, request)) in cases().into_iter().enumerate() {
        assert!(request.len() <= LIMIT, "{what}: {} bytes", request.len());
        let path = dir.join(format!("safeguard-worst-case-{index}.json"));
        std::fs::write(&path, request).expect("write the case");
        let status = std::process::Command::new(&me)
            .arg(what)
            .arg(&path)
            .status()
            .expect("run a case");
        let _ = std::fs::remove_file(&path);
        assert!(status.success(), "{what} failed");
    }
}
