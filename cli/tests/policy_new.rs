//! End-to-end tests of `safeguard policy new --answers`: a school's answers
//! file in, a policy file out that `policy check` and `diff` accept, and
//! bad answers refused with their path and exit 2.

mod common;

use common::{arg, root, run, stderr, succeeded};
use std::path::PathBuf;

/// A path under the temp dir, unique to this test process and `name`.
fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("safeguard-new-{}-{name}", std::process::id()))
}

/// Squirrels Heath's answers build, to a file, a policy that passes
/// `policy check` and allows exactly what the preset allows.
#[test]
fn answers_build_a_policy_that_checks_and_matches_its_preset() {
    let answers = root().join("tests/answers/squirrels-heath-junior.toml");
    let out_path = temp_path("shj.toml");
    let out = run(
        &[
            "policy",
            "new",
            "--answers",
            arg(&answers),
            "-o",
            arg(&out_path),
        ],
        None,
    );
    succeeded(&out);
    let text = std::fs::read_to_string(&out_path).unwrap();
    assert!(text.contains("extends = \"baseline\""));
    assert!(text.contains("(devices.pupil_phones = hand_in_at_gate)"));
    let check = run(&["policy", "check", arg(&out_path)], None);
    assert!(succeeded(&check).starts_with("ok: squirrels-heath-junior-built "));
    let diff = run(&["diff", arg(&out_path), "squirrels-heath-junior"], None);
    let _ = std::fs::remove_file(&out_path);
    assert!(succeeded(&diff).contains("No differences"));
}

/// Without `-o` the policy goes to standard output.
#[test]
fn without_an_output_the_policy_is_printed() {
    let answers = root().join("tests/answers/hilldene-primary.toml");
    let out = run(&["policy", "new", "--answers", arg(&answers)], None);
    let text = succeeded(&out);
    assert!(text.starts_with("# Hilldene Primary School: "), "{text}");
    assert!(text.contains("year_groups = [5, 6]"));
}

/// A choice the question does not offer: exit 2, the error at its path.
#[test]
fn a_bad_answer_exits_2_with_its_path() {
    let path = temp_path("bad.json");
    std::fs::write(
        &path,
        r#"{"school": {"id": "s", "name": "S", "version": "1", "source": "S policy"},
            "answers": [{"question": "devices.pupil_phones", "choice": "in_a_drawer"}]}"#,
    )
    .unwrap();
    let out = run(
        &["--json-errors", "policy", "new", "--answers", arg(&path)],
        None,
    );
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(2));
    let err = common::json(&stderr(&out));
    assert_eq!(err["error"]["code"], "invalid_value");
    assert_eq!(err["error"]["path"], "$.answers[0].choice");
    assert!(!stderr(&out).contains("in_a_drawer"));
}

/// Each kind of bad answer (an unknown question, a choice of the wrong
/// type, a departure without its citation) is refused with exit 2, its
/// code and its JSON path from the document's root, and nothing quoted
/// from the file.
#[test]
fn bad_answers_are_refused_at_their_json_path() {
    let school = r#""school": {"id": "s", "name": "S", "version": "1", "source": "S policy"}"#;
    let cases = [
        (
            r#"{"question": "devices.secret_question", "choice": "x"}"#,
            "invalid_value",
            "$.answers[0].question",
        ),
        (
            r#"{"question": "devices.pupil_phones", "choice": 7}"#,
            "invalid_value",
            "$.answers[0].choice",
        ),
        (
            r#"{"question": "devices.pupil_phones", "choice": "hand_in_at_gate", "secret_key": 1}"#,
            "unknown_field",
            "$.answers[0]",
        ),
        (
            r#"{"question": "devices.pupil_phones", "choice": "hand_in_at_gate"}"#,
            "missing_field",
            "$.answers[0].cite",
        ),
    ];
    let path = temp_path("bad-kinds.json");
    for (answer, code, at) in cases {
        std::fs::write(&path, format!(r#"{{{school}, "answers": [{answer}]}}"#)).unwrap();
        let out = run(
            &["--json-errors", "policy", "new", "--answers", arg(&path)],
            None,
        );
        assert_eq!(out.status.code(), Some(2), "{answer}");
        let err = common::json(&stderr(&out));
        assert_eq!(err["error"]["code"], code, "{answer}");
        assert_eq!(err["error"]["path"], at, "{answer}");
        assert!(!stderr(&out).contains("secret"), "{}", stderr(&out));
    }
    let _ = std::fs::remove_file(&path);
}
