//! End-to-end tests of `safeguard image inspect` and `safeguard image strip`:
//! the real binary on real files, fixtures built here byte by byte (a tiny
//! valid greyscale JPEG and an APP1 Exif segment with a GPS IFD, after the
//! approach of `tests/tests/image_metadata.rs`).

use safeguard_engine::images::metadata::DEFAULT_MAX_IMAGE_BYTES;
mod common;

use common::{arg, json, run, stderr, stdout, succeeded};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

// ---------------------------------------------------------------------------
// Fixtures

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// A valid 8×8 greyscale baseline JPEG (one block, flat grey): each Huffman
/// table holds a single one-bit code, for DC category 0 and for EOB, so the
/// scan is the two bits `00` padded with ones.
fn plain_jpeg() -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    let mut dqt = vec![0x00];
    dqt.extend_from_slice(&[1u8; 64]);
    out.extend(segment(0xDB, &dqt));
    out.extend(segment(0xC0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
    let mut dht = Vec::new();
    for class in [0x00u8, 0x10] {
        dht.push(class);
        dht.push(1);
        dht.extend_from_slice(&[0u8; 15]);
        dht.push(0x00);
    }
    out.extend(segment(0xC4, &dht));
    out.extend(segment(0xDA, &[1, 1, 0x00, 0, 63, 0]));
    out.extend_from_slice(&[0x3F, 0xFF, 0xD9]);
    out
}

/// One little-endian IFD entry: tag, type, count and its value bytes.
type Entry = (u16, u16, u32, Vec<u8>);

/// Appends an IFD at the end of `buf` (values over 4 bytes after it) and
/// returns its offset.
fn write_ifd(buf: &mut Vec<u8>, entries: &[Entry]) -> u32 {
    let start = buf.len();
    let mut data_at = start + 2 + 12 * entries.len() + 4;
    let mut data = Vec::new();
    buf.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, kind, count, value) in entries {
        buf.extend_from_slice(&tag.to_le_bytes());
        buf.extend_from_slice(&kind.to_le_bytes());
        buf.extend_from_slice(&count.to_le_bytes());
        if value.len() <= 4 {
            let mut inline = value.clone();
            inline.resize(4, 0);
            buf.extend_from_slice(&inline);
        } else {
            buf.extend_from_slice(&(data_at as u32).to_le_bytes());
            data_at += value.len();
            data.extend_from_slice(value);
        }
    }
    buf.extend_from_slice(&0u32.to_le_bytes());
    buf.extend(data);
    start as u32
}

fn rationals(values: &[(u32, u32)]) -> Vec<u8> {
    values
        .iter()
        .flat_map(|(n, d)| [n.to_le_bytes(), d.to_le_bytes()].concat())
        .collect()
}

/// APP1 Exif: IFD0 with an artist and a GPS IFD at 51°30'N 0°7'39"W.
fn app1_exif_gps() -> Vec<u8> {
    let mut tiff = b"II*\0\0\0\0\0".to_vec();
    let gps = write_ifd(
        &mut tiff,
        &[
            (0, 1, 4, vec![2, 3, 0, 0]),
            (1, 2, 2, b"N\0".to_vec()),
            (2, 5, 3, rationals(&[(51, 1), (30, 1), (0, 1)])),
            (3, 2, 2, b"W\0".to_vec()),
            (4, 5, 3, rationals(&[(0, 1), (7, 1), (3900, 100)])),
        ],
    );
    let ifd0 = write_ifd(
        &mut tiff,
        &[
            (0x013B, 2, 13, b"Jane Teacher\0\0".to_vec()),
            (0x8825, 4, 1, gps.to_le_bytes().to_vec()),
        ],
    );
    tiff[4..8].copy_from_slice(&ifd0.to_le_bytes());
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(tiff);
    segment(0xE1, &payload)
}

/// The plain JPEG with the Exif segment right after SOI.
fn gps_jpeg() -> Vec<u8> {
    after_soi(&plain_jpeg(), &app1_exif_gps())
}

/// `jpeg` with `segment` inserted right after SOI.
fn after_soi(jpeg: &[u8], segment: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(segment);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// Strips `original` (location only) in a fresh folder named `name`: the
/// engine's reading of the file, the command's report and the copy.
fn strip_in(name: &str, original: &[u8]) -> (Value, String, Vec<u8>) {
    let dir = Scratch::new(name);
    let photo = dir.file("photo.jpg", original);
    let before = inspect(&photo);
    let clean = dir.path("clean.jpg");
    let out = run(&["image", "strip", arg(&photo), "-o", arg(&clean)], None);
    succeeded(&out);
    let copy = std::fs::read(&clean).expect("read stripped copy");
    assert!(inspect(&clean).get("unreadable_metadata").is_none());
    (before, stderr(&out).trim().to_string(), copy)
}

/// The bytes from the SOS marker to the end (scan and EOI).
fn jpeg_scan(jpeg: &[u8]) -> &[u8] {
    let mut pos = 2;
    while jpeg[pos + 1] != 0xDA {
        assert_eq!(jpeg[pos], 0xFF, "marker expected at {pos}");
        pos += 2 + u16::from_be_bytes([jpeg[pos + 2], jpeg[pos + 3]]) as usize;
    }
    &jpeg[pos..]
}

// ---------------------------------------------------------------------------
// Harness

/// A fresh directory for one test, removed when the test ends.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("safeguard-cli-image-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch(dir)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).expect("write fixture");
        path
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// The names in the directory, sorted.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .expect("read scratch dir")
            .map(|e| {
                e.expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `image inspect` of `path` as JSON, asserting success.
fn inspect(path: &Path) -> Value {
    let out = run(&["image", "inspect", arg(path)], None);
    let text = succeeded(&out);
    assert_eq!(text.lines().count(), 1, "one line of JSON: {text}");
    json(&text)
}

/// The error code of a `--json-errors` failure.
fn error_code(o: &Output) -> String {
    let v = json(&stderr(o));
    assert_eq!(v["schema_version"], 1, "{v}");
    v["error"]["code"].as_str().unwrap_or_default().to_string()
}

/// Asserts that `image strip photo -o output`, with JSON errors, fails with
/// the exit code `status` and the error `code`.
fn assert_strip_fails(photo: &Path, output: &Path, status: i32, code: &str) {
    let args = [
        "--json-errors",
        "image",
        "strip",
        arg(photo),
        "-o",
        arg(output),
    ];
    let out = run(&args, None);
    assert_eq!(out.status.code(), Some(status), "stderr: {}", stderr(&out));
    assert_eq!(error_code(&out), code);
}

// ---------------------------------------------------------------------------
// Tests

#[test]
fn inspect_reports_the_gps_location() {
    let dir = Scratch::new("inspect");
    let photo = dir.file("photo.jpg", &gps_jpeg());
    let v = inspect(&photo);
    assert_eq!(v["format"], "jpeg");
    assert_eq!(v["has_location"], true);
    assert_eq!(v["location_fields"], serde_json::json!(["exif_gps"]));
    let lat = v["location"]["latitude"].as_f64().unwrap_or_default();
    let lon = v["location"]["longitude"].as_f64().unwrap_or_default();
    assert!((lat - 51.5).abs() < 1e-9, "{v}");
    assert!((lon + 0.1275).abs() < 1e-9, "{v}");
    assert_eq!(v["identifying"][0]["field"], "artist", "{v}");

    let plain = dir.file("plain.jpg", &plain_jpeg());
    let v = inspect(&plain);
    assert_eq!(v["has_location"], false);
    assert_eq!(v["location"], Value::Null);
}

#[test]
fn inspect_explains_for_office_staff() {
    let dir = Scratch::new("explain");
    let photo = dir.file("photo.jpg", &gps_jpeg());
    let out = run(&["image", "inspect", arg(&photo), "--explain"], None);
    let text = succeeded(&out);
    assert!(text.contains("JPEG image"), "{text}");
    assert!(text.contains("Location found: yes — GPS in EXIF"), "{text}");
    assert!(text.contains("51.50000° N, 0.12750° W"), "{text}");
    assert!(
        text.contains("Other identifying details: artist name"),
        "{text}"
    );
    assert!(text.contains("safeguard image strip"), "{text}");

    let plain = dir.file("plain.jpg", &plain_jpeg());
    let out = run(&["image", "inspect", "--explain", arg(&plain)], None);
    let text = stdout(&out);
    assert!(text.contains("No location data found."), "{text}");
    assert!(text.contains("Other identifying details: none."), "{text}");
}

#[test]
fn strip_removes_the_location_and_keeps_the_picture() {
    let dir = Scratch::new("strip");
    let original = gps_jpeg();
    let photo = dir.file("photo.jpg", &original);
    let clean = dir.path("clean.jpg");
    let out = run(&["image", "strip", arg(&photo), "-o", arg(&clean)], None);
    succeeded(&out);
    assert_eq!(stderr(&out).trim(), "removed location data: exif_gps");
    assert_eq!(stdout(&out), "");

    let stripped = std::fs::read(&clean).expect("read stripped copy");
    assert_eq!(stripped.len(), original.len());
    assert_eq!(jpeg_scan(&stripped), jpeg_scan(&original));
    assert_eq!(
        std::fs::read(&photo).expect("read original"),
        original,
        "the input is untouched"
    );
    let v = inspect(&clean);
    assert_eq!(v["has_location"], false, "{v}");
    assert_eq!(v["location_fields"], serde_json::json!([]));
    assert_eq!(v["identifying"][0]["field"], "artist", "only location goes");
    assert_eq!(dir.names(), ["clean.jpg", "photo.jpg"], "no temp file left");

    // Stripping the stripped copy changes nothing, and overwrites OUT.
    let again = dir.path("again.jpg");
    std::fs::write(&again, b"old contents").expect("write");
    let out = run(
        &["image", "strip", arg(&clean), "--output", arg(&again)],
        None,
    );
    succeeded(&out);
    assert_eq!(
        stderr(&out).trim(),
        "no location data found; copied unchanged"
    );
    assert_eq!(std::fs::read(&again).expect("read"), stripped);

    // With only identifying data left to take out, the report names it and
    // claims no unreadable metadata was removed.
    let plain = dir.path("plain.jpg");
    let out = run(
        &[
            "image",
            "strip",
            arg(&clean),
            "--all-identifying",
            "-o",
            arg(&plain),
        ],
        None,
    );
    succeeded(&out);
    assert_eq!(
        stderr(&out).trim(),
        "no location data found; removed identifying data: artist"
    );
}

#[test]
fn strip_all_identifying_removes_the_artist_too() {
    let dir = Scratch::new("all-identifying");
    let original = gps_jpeg();
    let photo = dir.file("photo.jpg", &original);
    let clean = dir.path("clean.jpg");
    let args = [
        "image",
        "strip",
        arg(&photo),
        "--all-identifying",
        "-o",
        arg(&clean),
    ];
    let out = run(&args, None);
    succeeded(&out);
    assert_eq!(
        stderr(&out).trim(),
        "removed location data: exif_gps; removed identifying data: artist"
    );
    let stripped = std::fs::read(&clean).expect("read stripped copy");
    assert_eq!(stripped.len(), original.len());
    assert_eq!(jpeg_scan(&stripped), jpeg_scan(&original));
    assert!(!stripped.windows(12).any(|w| w == b"Jane Teacher"));
    let v = inspect(&clean);
    assert_eq!(v["has_location"], false, "{v}");
    assert_eq!(v["identifying"], serde_json::json!([]), "{v}");
}

#[test]
fn strip_will_not_replace_its_input_without_in_place() {
    let dir = Scratch::new("in-place");
    let original = gps_jpeg();
    let photo = dir.file("photo.jpg", &original);
    let spelled_differently = dir.0.join(".").join("photo.jpg");
    assert_strip_fails(&photo, &spelled_differently, 2, "usage");
    assert_eq!(std::fs::read(&photo).expect("read"), original);

    let out = run(
        &[
            "image",
            "strip",
            arg(&photo),
            "-o",
            arg(&photo),
            "--in-place",
        ],
        None,
    );
    succeeded(&out);
    assert_eq!(inspect(&photo)["has_location"], false);
    assert_eq!(dir.names(), ["photo.jpg"], "no temp file left");
}

#[test]
fn strip_needs_an_output() {
    let dir = Scratch::new("no-output");
    let photo = dir.file("photo.jpg", &gps_jpeg());
    let out = run(&["image", "strip", arg(&photo)], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_file_that_is_not_an_image_is_bad_input() {
    let dir = Scratch::new("not-image");
    let text = dir.file("notes.txt", b"Sports day photos: see the shared drive.\n");
    let unused = dir.path("unused.jpg");
    for args in [
        vec!["--json-errors", "image", "inspect", arg(&text)],
        vec![
            "image",
            "strip",
            "--json-errors",
            arg(&text),
            "-o",
            arg(&unused),
        ],
    ] {
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(2), "stderr: {}", stderr(&out));
        let code = error_code(&out);
        assert!(
            code == "unsupported_image" || code == "invalid_image",
            "{code}"
        );
    }
    assert_eq!(dir.names(), ["notes.txt"]);

    // A JPEG cut short is invalid, reported for people without the flag.
    let cut = gps_jpeg();
    let cut = dir.file("cut.jpg", &cut[..cut.len() / 2]);
    let out = run(&["image", "inspect", arg(&cut)], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error[invalid_image]: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_oversize_file_is_too_large() {
    let dir = Scratch::new("too-large");
    let big = dir.path("big.jpg");
    let file = std::fs::File::create(&big).expect("create");
    // Sparse: nothing is written, and the CLI reads only one byte past the limit.
    file.set_len(DEFAULT_MAX_IMAGE_BYTES as u64 + 4096)
        .expect("set length");
    let out = run(&["--json-errors", "image", "inspect", arg(&big)], None);
    assert_eq!(out.status.code(), Some(2), "stderr: {}", stderr(&out));
    assert_eq!(error_code(&out), "too_large");
}

#[test]
fn a_missing_file_or_unwritable_output_is_an_io_failure() {
    let dir = Scratch::new("missing");
    let missing = dir.path("missing.jpg");
    let out = run(&["--json-errors", "image", "inspect", arg(&missing)], None);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    assert_eq!(error_code(&out), "io");

    let clean = dir.path("clean.jpg");
    let out = run(&["image", "strip", arg(&missing), "-o", arg(&clean)], None);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    assert!(stderr(&out).starts_with("error[io]: cannot read"));

    let photo = dir.file("photo.jpg", &gps_jpeg());
    let nowhere = dir.path("no-such-dir").join("clean.jpg");
    assert_strip_fails(&photo, &nowhere, 1, "io");
    assert_eq!(dir.names(), ["photo.jpg"]);
}

/// A metadata block the engine cannot read is removed whole with the
/// location (it might hold more): the report says so, and `inspect` flags it.
#[test]
fn strip_says_it_removed_unreadable_metadata() {
    let mut payload = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    payload.extend_from_slice(b"<x:xmpmeta><rdf:RDF>51,30N London");
    let original = after_soi(&gps_jpeg(), &segment(0xE1, &payload));
    let (before, report, copy) = strip_in("unreadable", &original);
    assert_eq!(before["unreadable_metadata"], true);
    assert_eq!(
        report,
        "removed location data: exif_gps; removed unreadable metadata that might hold more"
    );
    assert!(!copy.windows(6).any(|w| w == b"London"));
    assert_eq!(jpeg_scan(&copy), jpeg_scan(&original));
}

/// GPS data without a position (here an altitude) is not location, but the
/// location strip removes it too: the report says that, not that it
/// removed unreadable metadata.
#[test]
fn strip_says_it_removed_gps_data_without_a_position() {
    let mut tiff = b"II*\0\0\0\0\0".to_vec();
    let gps = write_ifd(
        &mut tiff,
        &[
            (0, 1, 4, vec![2, 3, 0, 0]),
            (6, 5, 1, rationals(&[(35, 1)])),
        ],
    );
    let ifd0 = write_ifd(&mut tiff, &[(0x8825, 4, 1, gps.to_le_bytes().to_vec())]);
    tiff[4..8].copy_from_slice(&ifd0.to_le_bytes());
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(tiff);
    let original = after_soi(&plain_jpeg(), &segment(0xE1, &payload));
    let (before, report, copy) = strip_in("altitude", &original);
    assert_eq!(before["has_location"], false, "{before}");
    assert!(before.get("unreadable_metadata").is_none(), "{before}");
    assert_eq!(report, "no location data found; removed other GPS data");
    assert_ne!(copy, original);
}
