//! End-to-end tests of `safeguard lint` and `safeguard diff`: the binary as
//! a DSL or a script runs it, with real files and exit codes.

mod common;

use common::{run, stdout};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Output;

/// What the binary wrote on stdout, as JSON.
fn json(o: &Output) -> Value {
    common::json(&stdout(o))
}

/// A policy file under the temp dir, unique to this test process and `name`.
fn policy_file(name: &str, devices_rules: &str) -> PathBuf {
    let text = format!(
        "[policy]\nid = \"toy\"\nname = \"Toy\"\nversion = \"1\"\nsource = \"test\"\nextends = \"baseline\"\n{devices_rules}"
    );
    let path = std::env::temp_dir().join(format!(
        "safeguard-lint-diff-{}-{name}.toml",
        std::process::id()
    ));
    std::fs::write(&path, text).expect("write policy file");
    path
}

/// Years 5-6 may bring phones: the baseline's phone-free day forbids it.
const YEARS_5_6: &str = r#"
[[devices.rules]]
id = "devices.toy.years_5_6_bring_phones"
effect = "allow"
roles = ["pupil"]
year_groups = [5, 6]
devices = ["mobile_phone"]
owner = "personal"
actions = ["bring_on_site"]
conditions = ["hand_in_to_office"]
summary = "Years 5-6 may bring a phone if it is handed in."
cite = { source = "test", section = "t" }
"#;

#[test]
fn lint_baseline_exits_zero_and_reports_every_kind() {
    let o = run(&["lint", "baseline"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with("Lint of “National guidance for England (safeguard baseline)”"),
        "{text}"
    );
    for kind in [
        "Rules that contradict each other:",
        "Rules that never apply:",
        "Requests no rule covers:",
        "Rules that allow what national rules forbid for every school:",
    ] {
        assert!(text.contains(kind), "{kind} missing: {text}");
    }
}

#[test]
fn lint_json_has_the_expected_shape() {
    let o = run(&["lint", "baseline", "--json"], None);
    assert_eq!(o.status.code(), Some(0));
    let report = json(&o);
    for key in [
        "policy",
        "rules",
        "space",
        "counts",
        "uncovered",
        "findings",
    ] {
        assert!(report.get(key).is_some(), "no `{key}`: {report}");
    }
    assert_eq!(report["policy"]["id"], "baseline");
    assert_eq!(report["space"]["requests"], 245_366_784u64);
    assert!(report["space"]["classes"].as_u64().is_some_and(|c| c > 0));
    let findings = report["findings"].as_array().expect("findings is a list");
    let kinds = [
        "contradiction",
        "shadowed_rule",
        "uncovered",
        "loosens_floor",
    ];
    for f in findings {
        let kind = f["kind"].as_str().unwrap_or_default();
        assert!(kinds.contains(&kind), "unknown kind {kind}");
        assert!(f["rules"].is_array(), "{f}");
        assert!(f["message"].is_string(), "{f}");
    }
    // The baseline leaves some requests to the headteacher.
    assert!(findings.iter().any(|f| f["kind"] == "uncovered"));
}

#[test]
fn lint_finds_a_contradiction_in_a_policy_file() {
    let path = policy_file("contradiction", YEARS_5_6);
    let o = run(&["lint", path.to_str().unwrap_or_default(), "--json"], None);
    let _ = std::fs::remove_file(&path);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let report = json(&o);
    let contradictions: Vec<&Value> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["kind"] == "contradiction")
        .collect();
    assert_eq!(contradictions.len(), 1, "{report}");
    assert_eq!(
        contradictions[0]["rules"],
        serde_json::json!([
            "devices.pupils.phone_free_school_day",
            "devices.toy.years_5_6_bring_phones"
        ])
    );
    // The example is a complete request the CLI can evaluate.
    assert_eq!(contradictions[0]["example"]["domain"], "devices");
}

#[test]
fn every_preset_lints() {
    let o = run(&["presets"], None);
    assert_eq!(o.status.code(), Some(0));
    let presets = stdout(&o);
    for id in presets.lines().filter_map(|l| l.split('\t').next()) {
        let o = run(&["lint", id, "--json"], None);
        assert_eq!(o.status.code(), Some(0), "{id}: {}", stdout(&o));
        assert_eq!(json(&o)["policy"]["id"], id);
    }
}

#[test]
fn lint_of_an_unknown_policy_is_bad_input() {
    let o = run(&["lint", "no-such-school"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown_policy"));
}

#[test]
fn diff_of_a_policy_with_itself_reports_no_differences() {
    let o = run(&["diff", "baseline", "baseline"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("No differences"), "{}", stdout(&o));

    let o = run(&["diff", "baseline", "baseline", "--json"], None);
    assert_eq!(o.status.code(), Some(0));
    let report = json(&o);
    for key in [
        "policy",
        "other",
        "space",
        "only_policy_allows",
        "only_other_allows",
        "differences",
    ] {
        assert!(report.get(key).is_some(), "no `{key}`: {report}");
    }
    assert_eq!(report["differences"], serde_json::json!([]));
    assert_eq!(report["only_policy_allows"]["classes"], 0);
}

#[test]
fn diff_finds_what_a_policy_file_allows_that_baseline_denies() {
    let path = policy_file("diff", YEARS_5_6);
    let o = run(
        &["diff", path.to_str().unwrap_or_default(), "baseline"],
        None,
    );
    let j = run(
        &[
            "diff",
            path.to_str().unwrap_or_default(),
            "baseline",
            "--json",
        ],
        None,
    );
    let _ = std::fs::remove_file(&path);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(
        text.contains(
            "Allowed by “Toy” and refused by “National guidance for England (safeguard baseline)”"
        ),
        "{text}"
    );
    assert!(
        text.contains("  - pupils in Years 5-6 with their own mobile phones: bring it to school"),
        "{text}"
    );
    assert!(
        text.contains("    Allowed by “Years 5-6 may bring a phone if it is handed in.”"),
        "{text}"
    );
    assert!(
        text.contains("    Rule ids: devices.toy.years_5_6_bring_phones"),
        "{text}"
    );
    let report = json(&j);
    let lines = report["differences"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!lines.is_empty());
    assert!(lines
        .iter()
        .all(|d| d["allowed_by"] == "toy" && d["denied_by"] == "baseline"));
    assert_eq!(report["only_other_allows"]["classes"], 0, "{report}");
}

/// The (forbid, allow) pairs of contradiction findings.
fn contradictions(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["kind"] == "contradiction")
        .map(|f| {
            let rules = f["rules"].as_array().expect("rules");
            (
                rules[0].as_str().unwrap_or_default().to_string(),
                rules[1].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// SPEC §4: 000 both forbids any use in lessons and allows it with a
/// teacher's permission; the preset resolves it strictly, the lint says so.
#[test]
fn lint_reports_the_squirrels_heath_lessons_contradiction() {
    let out = run(&["lint", "squirrels-heath-junior", "--json"], None);
    assert_eq!(out.status.code(), Some(0));
    let pairs = contradictions(&json(&out));
    assert!(
        pairs.iter().any(|(forbid, allow)| forbid
            == "devices.shj.no_personal_device_use_in_lessons"
            && allow == "devices.shj.pupils.lesson_use_with_teacher_permission"),
        "{pairs:?}"
    );
}

/// SPEC §4: 001 says pupils' phones are switched off and stored, and also
/// that any device brought in is confiscated.
#[test]
fn lint_reports_the_west_hill_confiscation_contradiction() {
    let out = run(&["lint", "west-hill-primary", "--json"], None);
    assert_eq!(out.status.code(), Some(0));
    let pairs = contradictions(&json(&out));
    assert!(
        pairs.iter().any(|(forbid, allow)| forbid
            == "devices.whp.pupils.phones_brought_in_confiscated"
            && allow == "devices.whp.pupils.phone_off_and_out_of_sight"),
        "{pairs:?}"
    );
}

/// Issue 3: the diff shows Hilldene's Years 5-6 phone allowance against the
/// baseline's phone-free day.
#[test]
fn diff_shows_hilldene_years_5_6_phones_against_the_baseline() {
    let out = run(&["diff", "hilldene-primary", "baseline", "--json"], None);
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    let found = report["differences"]
        .as_array()
        .expect("differences")
        .iter()
        .any(|d| {
            d["side"] == "policy"
                && d["allow_rules"].as_array().is_some_and(|r| {
                    r.iter()
                        .any(|x| x == "devices.hp.pupils.years_5_6_phone_handed_in_to_office")
                })
                && d["deny_rules"].as_array().is_some_and(|r| {
                    r.iter()
                        .any(|x| x == "devices.pupils.phone_free_school_day")
                })
        });
    assert!(found, "{report}");
}

#[path = "../../tests/src/fine_policy.rs"]
mod fine_policy;

/// The eighty single-value rules as a policy file.
fn fine_policy_file() -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "safeguard-lint-diff-{}-fine.toml",
        std::process::id()
    ));
    std::fs::write(&path, fine_policy::single_value_rules(80)).expect("write policy file");
    path
}

/// The error object `--json-errors` writes on stderr.
fn json_error(o: &Output) -> Value {
    let text = String::from_utf8_lossy(&o.stderr).to_string();
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn lint_and_diff_of_a_too_finely_cut_policy_are_too_complex() {
    let path = fine_policy_file();
    let file = path.to_str().expect("UTF-8 temp path");
    for args in [
        vec!["lint", file, "--json-errors"],
        vec!["diff", file, "baseline", "--json-errors"],
        vec!["lint", file, "--json-errors", "--memory-limit", "16"],
    ] {
        let started = std::time::Instant::now();
        let o = run(&args, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}: {}", stdout(&o));
        let error = json_error(&o);
        assert_eq!(error["error"]["code"], "too_complex", "{args:?}: {error}");
        eprintln!("{args:?}: refused in {:?}", started.elapsed());
    }
    let o = run(&["lint", file, "--memory-limit", "16"], None);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.starts_with("error[too_complex]"), "{stderr}");
    assert!(stderr.contains("memory limit (16 MiB)"), "{stderr}");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn a_memory_limit_of_zero_is_a_usage_error() {
    let o = run(&["lint", "baseline", "--memory-limit", "0"], None);
    assert_eq!(o.status.code(), Some(2));
    // The baseline lints within a small limit.
    let o = run(&["lint", "baseline", "--memory-limit", "8"], None);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
