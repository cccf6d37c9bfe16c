//! The cases and the reference answers of the cross-binding check
//! (`scripts/test-consistency`): every scenario request
//! (`tests/scenarios/**`) and every case of the malformed corpus
//! (`tests/malformed/`) but the JSON Lines ones, each request also
//! explained (issue 23: the same explanation, or the same error, from every
//! binding), and a few inputs that are
//! accepted (the presets as policy documents, a PNG with a location:
//! [`accepted`]), answered by the engine's
//! `json` module, the one JSON API every binding calls.
//!
//! `cargo run -p safeguard-tests --example json_answers -- DIR` writes into
//! `DIR`:
//! - `cases.tsv`: one case a line, `name<TAB>entry<TAB>preset<TAB>valid`,
//!   where `entry` is `request`, `explain` (the same request, explained:
//!   `json::explain`), `policy_toml`, `policy_json`, `policy_lint`,
//!   `review` (a policy's annual review as JSON: `json::review`),
//!   `build_policy_toml`, `build_policy_json` (an answers file built into
//!   a policy: `json::build_policy`), `image_inspect` or `image_strip`; `preset` the engine a request is
//!   decided by; `valid` the length of the input's longest
//!   UTF-8 prefix (`-` when it is all UTF-8): a binding that takes strings
//!   (Python, JavaScript) is given that prefix and then a lone surrogate,
//!   which every binding reports as the bytes' `invalid_utf8`, at the same
//!   line and column;
//! - `cases/<name>`: the input bytes;
//! - `answers.rust`: one line per case, in order: the answer (see
//!   [`answer`]);
//! - `stripped/<name>.rust`: the copy `image_strip` made, where it made one;
//! - `built/<name>.rust`: the policy TOML a `build_policy_*` case built,
//!   where it built one (its answer line is `built`).
//!
//! Each binding's runner (the C `replay --entry`, Python's and Node's
//! `answers` scripts) writes the same files for its binding, and the script
//! compares them byte for byte.

#[path = "../malformed/corpus.rs"]
mod corpus;

use safeguard_engine::json::{self, Layout};
use safeguard_engine::{AnalysisLimits, Error, Format};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One case: its name, entry point, preset and input.
struct Case {
    name: String,
    entry: String,
    preset: String,
    input: Vec<u8>,
}

/// The answer of a case as one line: the response JSON (a decision, a lint
/// report, a review, an image report), `loaded` for a policy that loads,
/// `stripped` for an image copied without its location, `built` for
/// answers built into a policy (a TOML document of many lines, so written
/// to a file beside the answers); else the error envelope.
fn answer(case: &Case, out: &Path) -> Result<String, Error> {
    let input = &case.input;
    match case.entry.as_str() {
        "request" => json::evaluate_bytes(&json::preset(&case.preset)?, input),
        "explain" => json::explain(&json::preset(&case.preset)?, json::utf8(input, "request")?),
        "policy_toml" => json::load_policy_bytes(input, Format::Toml).map(|_| "loaded".into()),
        "policy_json" => json::load_policy_bytes(input, Format::Json).map(|_| "loaded".into()),
        "policy_lint" => json::lint(
            &json::load_policy_bytes(input, Format::Toml)?,
            &AnalysisLimits::default(),
            Layout::Compact,
        ),
        "review" => json::review(
            &json::load_policy_bytes(input, Format::Toml)?,
            &AnalysisLimits::default(),
            Layout::Compact,
        ),
        "build_policy_toml" | "build_policy_json" => {
            let format = if case.entry == "build_policy_toml" {
                Format::Toml
            } else {
                Format::Json
            };
            let policy = json::build_policy(json::utf8(input, "answers file")?, format)?;
            let path = out.join("built").join(format!("{}.rust", case.name));
            std::fs::write(&path, policy).map_err(|e| Error::Internal {
                message: format!("cannot write {}: {e}", path.display()),
            })?;
            Ok("built".into())
        }
        "image_inspect" => json::inspect_image(input),
        "image_strip" => {
            let stripped = json::strip_location(input)?;
            let path = out.join("stripped").join(format!("{}.rust", case.name));
            std::fs::write(&path, stripped).map_err(|e| Error::Internal {
                message: format!("cannot write {}: {e}", path.display()),
            })?;
            Ok("stripped".into())
        }
        other => Err(Error::Internal {
            message: format!("no entry point `{other}`"),
        }),
    }
}

/// Every `*.json` file under `dir`, sorted.
fn json_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            json_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "json") {
            found.push(path);
        }
    }
}

/// The scenario requests, each as its compact JSON under the preset it
/// names (`baseline` when it names none).
fn scenarios() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files = Vec::new();
    json_files(&root, &mut files);
    files.sort();
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("a scenario file is text");
            let scenario: serde_json::Value =
                serde_json::from_str(&text).expect("a scenario file is JSON");
            let request = &scenario["request"];
            let preset = request["policy"].as_str().unwrap_or("baseline").to_owned();
            let relative = path.strip_prefix(&root).unwrap_or(path);
            Case {
                name: format!("scenario-{}", relative.display()).replace('/', "-"),
                entry: "request".into(),
                preset,
                input: request.to_string().into_bytes(),
            }
        })
        .collect()
}

/// The cases of the malformed corpus, but those of JSON Lines (only the C
/// ABI and the CLI read JSON Lines; the C ABI's runner compares them with
/// the Rust API's).
fn malformed() -> Vec<Case> {
    let (cases, problems) = corpus::load();
    assert!(problems.is_empty(), "the corpus is broken: {problems:#?}");
    cases
        .into_iter()
        .filter(|c| c.entry != "request_jsonl")
        .map(|c| Case {
            input: c.input().expect("the generator builds"),
            name: format!("malformed-{}", c.file),
            entry: c.entry,
            preset: c.engine,
        })
        .collect()
}

/// Inputs that are accepted, so that the answers compared are not all
/// errors: every preset's TOML loaded, the baseline's and one school's
/// linted, a school's policy in JSON, and a PNG with a location in its XMP
/// inspected and stripped.
fn accepted() -> Vec<Case> {
    let mut cases = Vec::new();
    for id in safeguard_engine::Engine::presets() {
        let source = json::policy_show(id).expect("a preset has its TOML");
        cases.push(Case {
            name: format!("preset-{id}.toml"),
            entry: "policy_toml".into(),
            preset: "baseline".into(),
            input: source.as_bytes().to_vec(),
        });
    }
    for id in ["baseline", "hilldene-primary"] {
        cases.push(Case {
            name: format!("lint-{id}.toml"),
            entry: "policy_lint".into(),
            preset: "baseline".into(),
            input: json::policy_show(id).expect("a preset").as_bytes().to_vec(),
        });
    }
    cases.push(Case {
        name: "school-policy.json".into(),
        entry: "policy_json".into(),
        preset: "baseline".into(),
        input: br#"{"policy": {"id": "our-school", "name": "Our School", "version": "2026-1", "source": "our own", "extends": "hilldene-primary"}}"#.to_vec(),
    });
    for entry in ["image_inspect", "image_strip"] {
        cases.push(Case {
            name: format!("png-with-xmp-location-{entry}.png"),
            entry: entry.into(),
            preset: "baseline".into(),
            input: png_with_location(),
        });
    }
    cases
}

/// The policy builder and the annual review: each seed school's answers
/// file (`tests/answers/`) built from its TOML and from the same answers
/// as JSON; answers that are refused (an unknown choice, an unknown
/// question, a missing school, broken TOML, bytes that are not UTF-8, a
/// custom rule that drops a floor rule); and the review of every preset
/// and of one built policy.
fn builder_and_review() -> Vec<Case> {
    let case = |name: String, entry: &str, input: Vec<u8>| Case {
        name,
        entry: entry.into(),
        preset: "baseline".into(),
        input,
    };
    let mut cases = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("answers");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/answers/ is there")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for path in &files {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        let text = std::fs::read_to_string(path).expect("an answers file is text");
        let value: toml::Value = toml::from_str(&text).expect("an answers file is TOML");
        let json = serde_json::to_string(&value).expect("TOML values are JSON");
        cases.push(case(
            format!("answers-{stem}.toml"),
            "build_policy_toml",
            text.into_bytes(),
        ));
        cases.push(case(
            format!("answers-{stem}.json"),
            "build_policy_json",
            json.into_bytes(),
        ));
    }
    let school = r#""school":{"id":"a-school","name":"A School","version":"2026-09","source":"A School, Online Safety Policy"}"#;
    let refused: [(&str, &str, String); 6] = [
        (
            "unknown-choice",
            "build_policy_json",
            format!(
                r#"{{{school},"answers":[{{"question":"devices.pupil_phones","choice":"in_a_locker"}}]}}"#
            ),
        ),
        (
            "unknown-question",
            "build_policy_json",
            format!(
                r#"{{{school},"answers":[{{"question":"devices.pupil_laptops","choice":"not_allowed"}}]}}"#
            ),
        ),
        ("no-school", "build_policy_json", r#"{"answers":[]}"#.into()),
        (
            "broken",
            "build_policy_toml",
            "[school]\nid = \"a-school\"\nname = A School\n".into(),
        ),
        (
            "unknown-field",
            "build_policy_toml",
            "[school]\nid = \"a\"\nname = \"A\"\nversion = \"1\"\nsource = \"s\"\nmotto = \"m\"\n"
                .into(),
        ),
        (
            "drops-a-floor-rule",
            "build_policy_toml",
            "[school]\nid = \"a\"\nname = \"A\"\nversion = \"1\"\nsource = \"s\"\n\n[custom]\n\
             devices_remove = [\"devices.floor.no_personal_devices_in_private_areas\"]\n"
                .into(),
        ),
    ];
    for (name, entry, text) in refused {
        cases.push(case(
            format!("answers-refused-{name}"),
            entry,
            text.into_bytes(),
        ));
    }
    let mut not_utf8 = b"[school]\nid = \"a-".to_vec();
    not_utf8.extend_from_slice(b"\xff\"\n");
    cases.push(case(
        "answers-refused-not-utf8".into(),
        "build_policy_toml",
        not_utf8,
    ));
    for id in safeguard_engine::Engine::presets() {
        let source = json::policy_show(id).expect("a preset has its TOML");
        cases.push(case(
            format!("review-{id}.toml"),
            "review",
            source.as_bytes().to_vec(),
        ));
    }
    if let Some(first) = files.first() {
        let text = std::fs::read_to_string(first).expect("an answers file is text");
        let built = json::build_policy(&text, Format::Toml).expect("a seed school's answers build");
        cases.push(case(
            "review-built.toml".into(),
            "review",
            built.into_bytes(),
        ));
    }
    cases
}

/// The case, and for a request the same request explained (named with
/// `.explain` after it).
fn with_explain(case: Case) -> Vec<Case> {
    if case.entry != "request" {
        return vec![case];
    }
    let explain = Case {
        name: format!("{}.explain", case.name),
        entry: "explain".into(),
        preset: case.preset.clone(),
        input: case.input.clone(),
    };
    vec![case, explain]
}

/// An 8x8 grey PNG whose XMP (an `iTXt` chunk) gives where it was taken.
fn png_with_location() -> Vec<u8> {
    const XMP: &str = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" exif:GPSLatitude="51,30.0N" exif:GPSLongitude="0,7.65W" photoshop:City="London"/></rdf:RDF></x:xmpmeta>"#;
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = safeguard_tests::crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut header = 8u32.to_be_bytes().to_vec();
    header.extend_from_slice(&8u32.to_be_bytes());
    header.extend_from_slice(&[8, 0, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &header);
    let mut xmp = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
    xmp.extend_from_slice(XMP.as_bytes());
    chunk(&mut png, b"iTXt", &xmp);
    // The rows (filter byte 0, then 8 grey pixels) in one stored deflate
    // block, with the zlib header and Adler-32.
    let raw: Vec<u8> = (0..8u8)
        .flat_map(|y| std::iter::once(0).chain((0..8u8).map(move |x| x * 16 + y)))
        .collect();
    let mut zlib = vec![0x78, 0x01, 1];
    zlib.extend_from_slice(&(raw.len() as u16).to_le_bytes());
    zlib.extend_from_slice(&(!(raw.len() as u16)).to_le_bytes());
    zlib.extend_from_slice(&raw);
    let (mut a, mut b) = (1u32, 0u32);
    for &x in &raw {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());
    chunk(&mut png, b"IDAT", &zlib);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn main() {
    let out = PathBuf::from(std::env::args().nth(1).expect("usage: json_answers DIR"));
    for dir in ["cases", "stripped", "built"] {
        std::fs::create_dir_all(out.join(dir)).expect("create the output directories");
    }
    let (mut list, mut answers) = (String::new(), String::new());
    let cases: Vec<Case> = scenarios()
        .into_iter()
        .chain(accepted())
        .chain(builder_and_review())
        .chain(malformed())
        .flat_map(with_explain)
        .collect();
    for case in &cases {
        let valid = match std::str::from_utf8(&case.input) {
            Ok(_) => "-".to_owned(),
            Err(e) => e.valid_up_to().to_string(),
        };
        let _ = writeln!(
            list,
            "{}\t{}\t{}\t{valid}",
            case.name, case.entry, case.preset
        );
        std::fs::write(out.join("cases").join(&case.name), &case.input).expect("write a case");
        let line = answer(case, &out).unwrap_or_else(|e| e.to_json());
        answers.push_str(&line);
        answers.push('\n');
    }
    std::fs::write(out.join("cases.tsv"), list).expect("write cases.tsv");
    std::fs::write(out.join("answers.rust"), answers).expect("write answers.rust");
    eprintln!("{} cases answered by the json module", cases.len());
}
