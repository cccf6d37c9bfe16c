//! The contract outside checks use: `safeguard eval --jsonl` over the whole
//! scenario corpus and the shipped examples, one request per line in, one
//! response per line out, in order, each with the expected outcome (or the
//! expected error code for the malformed scenarios).

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// (file name, request, expected outcome or error code)
fn cases() -> Vec<(String, Value, String)> {
    let mut out = Vec::new();
    for dir in ["tests/scenarios/sexting", "examples"] {
        let mut files: Vec<_> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for path in files {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let expect = &v["expect"];
            let wanted = expect["outcome"]
                .as_str()
                .or_else(|| expect["error"]["code"].as_str())
                .unwrap_or_else(|| panic!("{} has no expected outcome", path.display()));
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, v["request"].clone(), wanted.to_string()));
        }
    }
    out
}

#[test]
fn jsonl_over_the_corpus_gives_the_expected_outcomes_in_order() {
    let cases = cases();
    assert!(cases.len() >= 42, "corpus and examples: {}", cases.len());
    let input: String = cases.iter().map(|(_, req, _)| format!("{req}\n")).collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_safeguard"))
        .args(["eval", "--jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        cases.len(),
        "one response line per request line"
    );
    let mut failures = Vec::new();
    for ((name, _, wanted), line) in cases.iter().zip(&lines) {
        let v: Value = serde_json::from_str(line).unwrap();
        let got = v["outcome"]
            .as_str()
            .or_else(|| v["error"]["code"].as_str())
            .unwrap_or("?");
        if got != wanted {
            failures.push(format!("{name}: expected {wanted}, got {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
