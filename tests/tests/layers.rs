//! The policy layer sits above the domains (issue 22): imports point one
//! way, read from the engine crate's own source.
//!
//! - A domain (`sexting/`, `devices/`, `images/`, `escalation/`) and what
//!   sits below the domains (`contacts.rs`, `wire/`) import neither the
//!   policy document, nor the request that gathers every domain's request,
//!   nor the engine: a domain compiles from its own section.
//! - The wire layer (`wire/`) imports no domain.
//! - Escalation imports no other domain (sexting fills escalation's
//!   `Incident`, not the reverse).
//! - Under `policy/`, nothing imports the engine; `load` calls neither
//!   `resolve` nor `floor` (they call it); `presets` holds only texts.
//!
//! A file's test module may use anything (it builds engines to compare
//! with), so only the code before `#[cfg(test)]` is read; comments are
//! skipped.

use std::path::{Path, PathBuf};

/// The engine crate's `src` folder.
fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/src")
}

/// The `.rs` files at `path`: the file itself, or every file under the folder.
fn files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(path).unwrap_or_else(|e| panic!("{path:?}: {e}")) {
        let p = entry.expect("a directory entry").path();
        if p.is_dir() {
            out.extend(files(&p));
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
    out
}

/// The code of `file` before its test module, without comment lines.
fn code(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
    code_of(&text)
}

/// The code of a file's `text` before its test module, without comment lines.
fn code_of(text: &str) -> String {
    let before_tests = text.split("#[cfg(test)]").next().unwrap_or("");
    before_tests
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every place under `paths` (relative to `src`) whose code names one of
/// `forbidden`, as `file: name`.
fn naming(paths: &[&str], forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for path in paths {
        let all = files(&src().join(path));
        assert!(!all.is_empty(), "no source files at {path}");
        for file in all {
            let code = code(&file);
            for name in forbidden {
                if code.contains(name) {
                    found.push(format!("{}: {name}", file.display()));
                }
            }
        }
    }
    found
}

#[test]
fn the_domains_import_nothing_above_them() {
    let found = naming(
        &[
            "sexting",
            "devices",
            "images",
            "escalation",
            "contacts.rs",
            "wire",
        ],
        &[
            "crate::policy",
            "crate::request",
            "crate::Request",
            "crate::engine",
            "crate::Engine",
        ],
    );
    assert!(found.is_empty(), "upward imports: {found:#?}");
}

/// The wire layer (`wire/`: reading and writing JSON and TOML) sits below
/// the domains: a domain's shapes expand `wire_struct!` into readers there,
/// but the reader knows no domain, and it is the only place that knows
/// bytes.
#[test]
fn the_wire_layer_imports_no_domain() {
    let found = naming(
        &["wire"],
        &[
            "crate::sexting",
            "crate::devices",
            "crate::images",
            "crate::escalation",
            "crate::contacts",
            "crate::json::",
        ],
    );
    assert!(
        found.is_empty(),
        "the wire layer imports upwards: {found:#?}"
    );
}

#[test]
fn escalation_imports_no_other_domain() {
    let found = naming(
        &["escalation"],
        &["crate::sexting", "crate::images", "SextingRequest"],
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_policy_layer_does_not_import_the_engine() {
    let found = naming(&["policy"], &["crate::engine", "crate::Engine", "Engine::"]);
    assert!(found.is_empty(), "{found:#?}");
    let found = naming(&["policy/load.rs"], &["super::floor", "super::resolve"]);
    assert!(found.is_empty(), "load calls back: {found:#?}");
    let found = naming(&["policy/floor.rs"], &["super::resolve"]);
    assert!(found.is_empty(), "floor calls back: {found:#?}");
}

/// The check reads what it claims to: an import in code is found, one in
/// a comment or in the test module is not.
#[test]
fn the_check_finds_an_import_in_code_only() {
    let text =
        "//! See crate::policy.\nuse crate::policy::Policy;\n#[cfg(test)]\nuse crate::Engine;\n";
    let code = code_of(text);
    assert!(code.contains("crate::policy::Policy"));
    assert!(!code.contains("See crate::policy"));
    assert!(!code.contains("crate::Engine"));
    // And the real files are read: the engine does import the policy.
    assert!(
        code_of(&std::fs::read_to_string(src().join("engine.rs")).unwrap())
            .contains("crate::policy")
    );
}
