//! The embedding guide (`docs/embedding.md`) shows each example program
//! exactly as the file that `scripts/test-embedding` runs, so a reader never
//! copies code that was not run. Each example is shown under a marker line
//! naming its file,
//!
//! ````text
//! <!-- example: docs/examples/c/evaluate.c -->
//! ```c
//! ...the file, byte for byte...
//! ```
//! ````
//!
//! and every example file is shown somewhere. After changing an example,
//! rewrite the guide's copies with
//! `UPDATE_EMBEDDING_GUIDE=1 cargo test -p safeguard-tests --test embedding_guide`.

use std::path::{Path, PathBuf};

const GUIDE: &str = "docs/embedding.md";
const MARKER_START: &str = "<!-- example: ";
const MARKER_END: &str = " -->";
const FENCE: &str = "```";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The guide with the code block under every marker replaced by the file
/// the marker names (`read` gives a file's text by its path from the
/// repository's root), or what is wrong with the guide.
fn spliced(guide: &str, read: impl Fn(&str) -> Option<String>) -> Result<String, Vec<String>> {
    let mut out = String::with_capacity(guide.len());
    let mut problems = Vec::new();
    let mut lines = guide.split_inclusive('\n');
    while let Some(line) = lines.next() {
        out.push_str(line);
        let Some(path) = marked_path(line) else {
            continue;
        };
        let Some(opening) = lines.next().filter(|l| l.starts_with(FENCE)) else {
            problems.push(format!(
                "{path}: the marker is not followed by a code block"
            ));
            continue;
        };
        out.push_str(opening);
        if !lines.any(|l| l.trim_end() == FENCE) {
            problems.push(format!("{path}: its code block is not closed"));
            continue;
        }
        match read(path) {
            Some(text) if text.lines().any(|l| l.trim_start().starts_with(FENCE)) => {
                problems.push(format!(
                    "{path}: has a line of ``` and cannot be shown in a block"
                ));
            }
            Some(text) if text.ends_with('\n') => out.push_str(&text),
            Some(_) => problems.push(format!("{path}: does not end in a newline")),
            None => problems.push(format!("{path}: no such file")),
        }
        out.push_str(FENCE);
        out.push('\n');
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The path a marker line names, if the line is a marker.
fn marked_path(line: &str) -> Option<&str> {
    line.trim_end()
        .strip_prefix(MARKER_START)?
        .strip_suffix(MARKER_END)
}

/// Every example file: `docs/examples/` and the Rust example, as paths from
/// the repository's root.
fn example_files() -> Vec<String> {
    fn walk(dir: &Path, root: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, found);
            } else {
                let relative = path.strip_prefix(root).unwrap();
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let root = repo();
    let mut found = vec!["core/examples/embedding.rs".to_owned()];
    walk(&root.join("docs/examples"), &root, &mut found);
    found.sort();
    found
}

fn read_from_repo(path: &str) -> Option<String> {
    std::fs::read_to_string(repo().join(path)).ok()
}

#[test]
fn the_guide_shows_each_example_file_as_it_is() {
    let path = repo().join(GUIDE);
    let guide = std::fs::read_to_string(&path).unwrap();
    let fresh = spliced(&guide, read_from_repo).unwrap_or_else(|problems| {
        panic!("{GUIDE}: {}", problems.join("; "));
    });
    if std::env::var_os("UPDATE_EMBEDDING_GUIDE").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    assert!(
        fresh == guide,
        "{GUIDE} shows an example other than its file; run \
         UPDATE_EMBEDDING_GUIDE=1 cargo test -p safeguard-tests --test embedding_guide"
    );
}

#[test]
fn every_example_file_is_in_the_guide() {
    let guide = std::fs::read_to_string(repo().join(GUIDE)).unwrap();
    let shown: Vec<&str> = guide.lines().filter_map(marked_path).collect();
    let missing: Vec<String> = example_files()
        .into_iter()
        .filter(|file| !shown.contains(&file.as_str()))
        .collect();
    assert!(missing.is_empty(), "not shown in {GUIDE}: {missing:?}");
}

// The check itself: what it must find.

const FILE: &str = "int main(void) {\n    return 0;\n}\n";

fn read_one(path: &str) -> Option<String> {
    (path == "x.c").then(|| FILE.to_owned())
}

#[test]
fn a_block_equal_to_its_file_passes_and_a_changed_one_does_not() {
    let same = format!("# Guide\n\n<!-- example: x.c -->\n```c\n{FILE}```\n\nAfter.\n");
    assert_eq!(spliced(&same, read_one).unwrap(), same);

    let edited = same.replace("return 0;", "return 1;");
    let fresh = spliced(&edited, read_one).unwrap();
    assert_ne!(fresh, edited, "an edited copy must be found");
    assert_eq!(fresh, same, "and rewritten from the file");

    let shortened = same.replace("    return 0;\n", "");
    assert_ne!(spliced(&shortened, read_one).unwrap(), shortened);
}

#[test]
fn a_marker_without_a_block_or_file_is_refused() {
    let no_block = "<!-- example: x.c -->\nText.\n";
    assert!(spliced(no_block, read_one).is_err());
    let unclosed = "<!-- example: x.c -->\n```c\nint x;\n";
    assert!(spliced(unclosed, read_one).is_err());
    let no_file = "<!-- example: y.c -->\n```c\n```\n";
    assert!(spliced(no_file, read_one).is_err());
}
