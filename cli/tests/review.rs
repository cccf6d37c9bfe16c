//! End-to-end tests of `safeguard review`: the annual review report as a
//! DSL or a clerk to the governors runs it, with real files and exit codes.

mod common;

use common::{run, stderr, stdout};

/// A 2017 preset gets a Markdown report that lists the 2024 change on
/// AI-generated imagery as not addressed; exit 0.
#[test]
fn review_prints_markdown_with_the_changes_since_the_policy() {
    let o = run(&["review", "squirrels-heath-junior"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with(
            "# Annual review of the online-safety policy: Squirrels Heath Junior School\n"
        ),
        "{text}"
    );
    assert!(text.contains("### AI-generated and altered nude images (took effect 11 March 2024)"));
    assert!(text.contains("## Contradictions and gaps"));
}

/// `--html -o FILE` writes a printable page to the file and nothing to
/// stdout.
#[test]
fn review_writes_html_to_a_file() {
    let path = std::env::temp_dir().join(format!("safeguard-review-{}.html", std::process::id()));
    let o = run(
        &[
            "review",
            "hilldene-primary",
            "--html",
            "-o",
            common::arg(&path),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let html = std::fs::read_to_string(&path).expect("the report was written");
    let _ = std::fs::remove_file(&path);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html
        .contains("<h1>Annual review of the online-safety policy: Hilldene Primary School</h1>"));
    assert!(html.contains("@media print"));
}

/// A policy that cannot be loaded, or a memory limit too small for the
/// analysis, exits 2 with the engine's error, as `lint` does.
#[test]
fn review_refuses_what_it_cannot_analyse() {
    let o = run(&["review", "no-such-school"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown_policy"), "{}", stderr(&o));
    // The linter's test policy, cut too finely to analyse in 16 MiB.
    let path =
        std::env::temp_dir().join(format!("safeguard-review-{}-fine.toml", std::process::id()));
    std::fs::write(&path, fine_policy::single_value_rules(80)).expect("write policy file");
    let o = run(
        &["review", common::arg(&path), "--memory-limit", "16"],
        None,
    );
    let _ = std::fs::remove_file(&path);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).starts_with("error[too_complex]"),
        "{}",
        stderr(&o)
    );
}

#[path = "../../tests/src/fine_policy.rs"]
mod fine_policy;
