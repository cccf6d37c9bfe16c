//! Names written to slip past the check, and texts written to make it slow
//! (issue 21, SPEC §1.5 and §5): every decision here goes through the
//! engine's JSON entry point, on the baseline's website rules (first names
//! only in captions, credits, tags and file names).

use safeguard_engine::Engine;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn engine() -> Engine {
    Engine::from_preset("baseline").unwrap()
}

fn pupil(id: &str, first: &str, last: &str) -> Value {
    json!({ "id": id, "first_name": first, "last_name": last, "on_roll": true, "restriction": "none",
            "consent": { "website": "yes", "name_with_image": "yes", "individual_use": "yes" } })
}

/// A group photo for the website with `media` fields added.
fn request(media: Value, pupils: Vec<Value>) -> String {
    let mut m = json!({ "kind": "photo", "composition": "group", "has_geodata": false,
                        "captured_on": "school_device", "suitably_dressed": true });
    for (k, v) in media.as_object().unwrap() {
        m[k] = v.clone();
    }
    json!({ "schema_version": 1, "domain": "images", "policy": "baseline",
            "channel": "website", "media": m, "pupils": pupils })
    .to_string()
}

/// The decision's changes (none when it publishes as it is).
fn changes(engine: &Engine, req: &str) -> Vec<String> {
    let out = outcome(engine, req);
    assert_ne!(out["outcome"], "block", "{out}");
    out["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

fn outcome(engine: &Engine, req: &str) -> Value {
    serde_json::from_str(&engine.evaluate_json(req).unwrap()).unwrap()
}

/// "Amy Smith" as people write it to get past a check.
const EVASIONS: &[&str] = &[
    "Amy S\u{200B}mith",           // zero-width space
    "Amy S\u{200D}mith",           // zero-width joiner
    "Amy S\u{200C}mith",           // zero-width non-joiner
    "Amy S\u{2060}mith",           // word joiner
    "Amy S\u{AD}mith",             // soft hyphen
    "A\u{FE0F}my Smith",           // variation selector
    "Ａｍｙ Ｓｍｉｔｈ",           // fullwidth
    "𝐀𝐦𝐲 𝐒𝐦𝐢𝐭𝐡",                   // mathematical bold
    "𝐴𝑚𝑦 𝑆𝑚𝑖𝑡ℎ",                   // mathematical italic (ℎ is U+210E)
    "\u{410}my Smith",             // Cyrillic capital A
    "Amy \u{405}mith",             // Cyrillic capital DZE for S
    "Amy Smit\u{4BB}",             // Cyrillic shha for h
    "\u{391}my \u{405}m\u{456}th", // Greek Alpha, Cyrillic DZE and i
    "#AmySmith",
    "AmySmith",
    "#amysmith",
];

/// Every evasion, in every field of a website photo, is a full name that
/// must change: the caption to first names only, the credits without full
/// names, the file name and tags renamed. Failed on the code before issue
/// 21 for every form but the run-together file name and tag.
#[test]
fn evasive_full_names_are_caught_in_every_field() {
    let engine = engine();
    let pupils = || vec![pupil("p1", "Amy", "Smith"), pupil("p2", "Raj", "Patel")];
    let mut missed = Vec::new();
    for &name in EVASIONS {
        let file = format!("{}.jpg", name.replace(' ', "_"));
        let cases = [
            (
                json!({ "caption": format!("Sports day: {name} won") }),
                "caption_first_names_only",
            ),
            (
                json!({ "credits": format!("Filmed by {name}"), "kind": "video" }),
                "remove_full_names_from_credits",
            ),
            (json!({ "tags": ["sports day", name] }), "rename_file"),
            (json!({ "filename": file }), "rename_file"),
        ];
        for (media, change) in cases {
            let req = request(media.clone(), pupils());
            if !changes(&engine, &req).iter().any(|c| c == change) {
                missed.push(format!("{name:?} in {media}"));
            }
        }
    }
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

/// File names and tags written to hide a name: invisible characters inside,
/// letters separated by punctuation. Failed before issue 21.
#[test]
fn evasive_file_names_and_tags_are_renamed() {
    let engine = engine();
    let mut missed = Vec::new();
    let media = [
        json!({ "filename": "Amy_S\u{200B}mith.jpg" }),
        json!({ "filename": "a.m.y.s.m.i.t.h.jpg" }),
        json!({ "filename": "A-M-Y_S-M-I-T-H.JPG" }),
        json!({ "filename": "amy\u{AD}smith.png" }),
        json!({ "tags": ["amy\u{200B}smith"] }),
        json!({ "tags": ["Amy\u{2060} Smith"] }),
        json!({ "tags": ["a.m.y s.m.i.t.h"] }),
    ];
    for m in media {
        let req = request(m.clone(), vec![pupil("p1", "Amy", "Smith")]);
        if changes(&engine, &req) != ["rename_file"] {
            missed.push(m.to_string());
        }
    }
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

/// The evasions do not make ordinary text into names: the same captions
/// with a first name only need no change.
#[test]
fn evasive_first_names_alone_are_first_names() {
    let engine = engine();
    for caption in ["Well done A\u{200B}my", "Ａｍｙ won", "#Amy", "\u{410}my"] {
        let req = request(
            json!({ "caption": caption }),
            vec![pupil("p1", "Amy", "Smith")],
        );
        assert_eq!(outcome(&engine, &req)["outcome"], "publish", "{caption}");
    }
}

/// How long a decision below may take in this (debug) build: a generous
/// backstop, not a measurement. The code before issue 21 took 23.6 s
/// (release) on the first request and 70 s on the second; the bench
/// (`benches/src/bin/worst_case.rs`, BENCHMARKS.md) measures the real time.
const BACKSTOP: Duration = Duration::from_secs(20);

/// A caption of one pupil's first name repeated to 900 KB. The answer
/// proves the search read it to the end within its work bound (when the
/// automaton reports more than `WORK_PER_BYTE` places per byte, the search
/// stops and reports every pupil named in full, which here would ask for
/// `caption_first_names_only`): the first name alone needs no change.
#[test]
fn a_caption_repeating_a_name_decides_within_the_work_bound() {
    let engine = engine();
    let caption = "Amy ".repeat(900 * 1024 / 4);
    let req = request(
        json!({ "caption": caption }),
        vec![pupil("p1", "Amy", "Smith")],
    );
    let started = Instant::now();
    let out = outcome(&engine, &req);
    assert!(started.elapsed() < BACKSTOP, "{:?}", started.elapsed());
    assert_eq!(out["outcome"], "publish", "{out}");

    // The same with the surname once, at the very end: still found.
    let req = request(
        json!({ "caption": format!("{caption} Smith") }),
        vec![pupil("p1", "Amy", "Smith")],
    );
    assert_eq!(changes(&engine, &req), ["caption_first_names_only"]);
}

/// 2,000 pupils sharing a first name, each with their own surname, and a
/// 40 KB caption repeating the first name and one surname: every pupil is
/// named by the first name (one form, found once per repetition however
/// many share it), and one in full.
#[test]
fn a_large_roster_sharing_a_name_decides_within_the_work_bound() {
    let engine = engine();
    let surname = |i: usize| {
        let l = |k: usize| char::from(b'a' + (k % 26) as u8);
        format!("Smith{}{}{}", l(i / 676), l(i / 26), l(i))
    };
    let pupils: Vec<Value> = (0..2000)
        .map(|i| pupil(&format!("p{i}"), "Amy", &surname(i)))
        .collect();
    let caption = "Amy and Amy ".repeat(40 * 1024 / 12);
    let req = request(json!({ "caption": caption.clone() }), pupils.clone());
    let started = Instant::now();
    let out = outcome(&engine, &req);
    assert!(started.elapsed() < BACKSTOP, "{:?}", started.elapsed());
    assert_eq!(out["outcome"], "publish", "{out}");

    let req = request(
        json!({ "caption": format!("{caption} {}", surname(1234)) }),
        pupils,
    );
    assert_eq!(changes(&engine, &req), ["caption_first_names_only"]);
}

/// A gallery of 4,000 images and a 4,000-pupil roster (just under the
/// request size limit), each image with a one-letter caption, credits, file
/// name and tag that name nobody. Each image's search must cost what its own
/// text costs, not the roster: before the fix every field cleared and
/// scanned tables as long as the roster, and this took about 6 s in a debug
/// build (quadratic: 500 × 500 took 0.14 s).
#[test]
fn a_gallery_costs_its_images_text_not_images_times_roster() {
    let engine = engine();
    let n = 4000;
    let roster: Vec<Value> = (0..n)
        .map(|i| {
            let l = |k: usize| char::from(b'a' + (k % 26) as u8);
            json!({ "id": i.to_string(), "first_name": format!("b{}{}", l(i / 26), l(i)),
                    "last_name": "qb", "on_roll": true, "consent": {} })
        })
        .collect();
    let images: Vec<Value> = (0..n)
        .map(|i| {
            json!({ "id": i.to_string(), "pupils": ["0"],
                    "media": { "kind": "photo", "composition": "group", "captured_on": "school_device",
                               "caption": "y", "credits": "y", "filename": "y", "tags": ["y"] } })
        })
        .collect();
    let req = json!({ "schema_version": 1, "domain": "images", "policy": "baseline",
                      "channel": "website", "roster": roster, "images": images })
    .to_string();
    let started = Instant::now();
    let out = outcome(&engine, &req);
    let took = started.elapsed();
    let items = out["gallery"].as_array().unwrap();
    assert_eq!(items.len(), n);
    assert!(
        items
            .iter()
            .all(|i| i["changes"].as_array().unwrap().is_empty()),
        "{}",
        items[0]
    );
    assert!(took < Duration::from_millis(1500), "{took:?}");
}

/// The review's holes in issue 21's names check (the "Amy Smith" and "Amy
/// Brown" cases), each a full name the baseline's website rules must change
/// in the field it is in. Every one published unchanged before the fix.
fn assert_full_names_caught(cases: &[(Value, &str)], pupils: &[(&str, &str)]) {
    let engine = engine();
    let mut missed = Vec::new();
    for (media, change) in cases {
        let roster = pupils
            .iter()
            .enumerate()
            .map(|(i, (f, l))| pupil(&format!("p{i}"), f, l))
            .collect();
        let req = request(media.clone(), roster);
        let got = changes(&engine, &req);
        if !got.iter().any(|c| c == change) {
            missed.push(format!("{media} -> {got:?}"));
        }
    }
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

/// A run-together full name in the middle of a word (hole 1).
#[test]
fn a_run_together_full_name_inside_a_word_is_found() {
    assert_full_names_caught(
        &[
            (
                json!({ "filename": "SportsDayAmySmithRelay.jpg" }),
                "rename_file",
            ),
            (
                json!({ "filename": "sportsdayamysmithrelay.jpg" }),
                "rename_file",
            ),
            (
                json!({ "filename": "sportsdaysmithamyrelay.jpg" }),
                "rename_file",
            ),
            (
                json!({ "caption": "#GoAmySmithGo" }),
                "caption_first_names_only",
            ),
            (json!({ "tags": ["goamysmithgo"] }), "rename_file"),
            (
                json!({ "credits": "#GoAmySmithGo", "kind": "video" }),
                "remove_full_names_from_credits",
            ),
        ],
        &[("Amy", "Smith")],
    );
}

/// A line break or a sentence end between the halves of a full name whose
/// other half is an ordinary word (hole 3), in captions and file names.
#[test]
fn a_line_break_or_sentence_end_does_not_cut_a_full_name() {
    let mut cases = Vec::new();
    for caption in [
        "Amy\nBrown",
        "Amy! Brown",
        "Amy? Brown",
        "Amy。Brown",
        "Amy\r\nBrown",
    ] {
        cases.push((json!({ "caption": caption }), "caption_first_names_only"));
    }
    for file in ["amy!brown.jpg", "Amy?Brown.jpg", "brown!amy.jpg"] {
        cases.push((json!({ "filename": file }), "rename_file"));
    }
    assert_full_names_caught(&cases, &[("Amy", "Brown")]);
    assert_full_names_caught(
        &[(
            json!({ "caption": "Rose\nSmith" }),
            "caption_first_names_only",
        )],
        &[("Rose", "Smith")],
    );
}

/// Letters that are symbols or have no decomposition to a Latin letter
/// (hole 2): small capitals, negative squared and circled letters,
/// regional indicators, Cherokee, Cyrillic small em; in every field.
#[test]
fn letter_like_symbols_are_their_letters() {
    let names = [
        "ᴀᴍʏ ꜱᴍɪᴛʜ",
        "Amy Smitʜ",
        "Aᴍy Smith",
        "🅰🅼🆈 Smith",
        "🅐🅜🅨 Smith",
        "\u{1F1E6}\u{1F1F2}\u{1F1FE} Smith",
        "\u{13AA}my Smith",
        "Amy \u{ABA5}mith",
        "Amy S\u{43C}ith",
    ];
    let mut cases = Vec::new();
    for name in names {
        cases.push((
            json!({ "caption": format!("Well done {name}") }),
            "caption_first_names_only",
        ));
        cases.push((
            json!({ "credits": format!("Filmed by {name}"), "kind": "video" }),
            "remove_full_names_from_credits",
        ));
        cases.push((json!({ "tags": [name] }), "rename_file"));
        cases.push((
            json!({ "filename": format!("{}.jpg", name.replace(' ', "_")) }),
            "rename_file",
        ));
    }
    assert_full_names_caught(&cases, &[("Amy", "Smith")]);
}

/// Percent-encoded file names (hole 4), with a small roster and with one
/// large enough (over 64 pupils) that the index is pruned to the names the
/// texts could hold.
#[test]
fn percent_encoded_file_names_are_decoded() {
    let cases = [
        (json!({ "filename": "amy%5Fsmith.jpg" }), "rename_file"),
        (json!({ "filename": "%41my%20%53mith.jpg" }), "rename_file"),
        (
            json!({ "filename": "%41%6D%79%53%6D%69%74%68.jpg" }),
            "rename_file",
        ),
        (
            json!({ "filename": "%41my%20%53mith%FF.jpg" }),
            "rename_file",
        ),
    ];
    assert_full_names_caught(&cases, &[("Amy", "Smith")]);
    let others: Vec<String> = (0..70).map(|i| format!("Kq{i:02}")).collect();
    let mut roster: Vec<(&str, &str)> = others.iter().map(|n| ("Zed", n.as_str())).collect();
    roster.push(("Amy", "Smith"));
    assert_full_names_caught(&cases, &roster);
}

/// HTML character references in captions and credits (hole 5).
#[test]
fn html_character_references_are_decoded() {
    assert_full_names_caught(
        &[
            (
                json!({ "caption": "Well done &#65;my Smith" }),
                "caption_first_names_only",
            ),
            (
                json!({ "caption": "Well done Amy &#x53;mith" }),
                "caption_first_names_only",
            ),
            (
                json!({ "caption": "Well done Amy S&shy;mith" }),
                "caption_first_names_only",
            ),
            (
                json!({ "credits": "By &#65;&#109;&#121; Smith", "kind": "video" }),
                "remove_full_names_from_credits",
            ),
        ],
        &[("Amy", "Smith")],
    );
}
