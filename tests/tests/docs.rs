//! The documentation stays true and self-contained.
//!
//! - `docs/wire-format.md` is the reader's guide to the wire vocabulary.
//!   Every token and field it names in backticks must exist in the JSON
//!   Schemas of `schema/` (themselves generated from the Rust types and
//!   checked by `schema.rs`) or, for the tokens the schemas leave as plain
//!   strings (an image's changes, its block reasons, rule ids), as a string
//!   in the engine's code; and every token and field of the schemas must be
//!   named there. So a renamed, added or removed token fails here until the
//!   page says so.
//! - Every relative link of the project's Markdown files resolves to a file
//!   (and a heading, for `#anchor` links) inside the repository: a newcomer
//!   reading a clone, or the published crate's README, never follows a link
//!   to a file the repository does not have.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the repository")
        .to_path_buf()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text of every inline code span of a Markdown document.
fn code_spans(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, Options::ENABLE_TABLES)
        .filter_map(|event| match event {
            Event::Code(code) => Some(code.to_string()),
            _ => None,
        })
        .collect()
}

/// The wire schemas: every request's and the decision's (not the policy
/// builder's answers file, which is not on the wire).
fn wire_schemas() -> Vec<Value> {
    let mut schemas = Vec::new();
    for entry in fs::read_dir(repo().join("schema")).expect("schema/") {
        let path = entry.expect("schema/ entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("request.") || name == "response.schema.json" {
            schemas.push(serde_json::from_str(&read(&path)).expect("a schema is JSON"));
        }
    }
    assert!(schemas.len() >= 6, "the wire schemas are in schema/");
    schemas
}

/// The names a schema defines: string `enum` and `const` values (tokens)
/// and property names (fields).
#[derive(Default)]
struct Names {
    tokens: BTreeSet<String>,
    fields: BTreeSet<String>,
}

fn collect(value: &Value, names: &mut Names) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("enum", Value::Array(items)) => names
                        .tokens
                        .extend(items.iter().filter_map(Value::as_str).map(String::from)),
                    ("const", Value::String(token)) => {
                        names.tokens.insert(token.clone());
                    }
                    ("properties", Value::Object(fields)) => {
                        names.fields.extend(fields.keys().cloned())
                    }
                    _ => {}
                }
                collect(inner, names);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect(item, names)),
        _ => {}
    }
}

/// Whether a field path (`context.location`, `pupils[].consent.website`)
/// names a field of the schema.
fn resolves(schema: &Value, path: &str) -> bool {
    let mut here = vec![schema];
    for segment in path.split('.') {
        let (field, each) = match segment.strip_suffix("[]") {
            Some(field) => (field, true),
            None => (segment, false),
        };
        let mut next = Vec::new();
        for node in here.iter().flat_map(|node| alternatives(schema, node)) {
            if let Some(found) = node.pointer(&format!("/properties/{field}")) {
                if each {
                    next.extend(
                        alternatives(schema, found)
                            .into_iter()
                            .filter_map(|n| n.get("items")),
                    );
                } else {
                    next.push(found);
                }
            }
        }
        if next.is_empty() {
            return false;
        }
        here = next;
    }
    true
}

/// A schema node and, through `$ref`, `anyOf`, `oneOf` and `allOf`, the
/// nodes it may stand for.
fn alternatives<'a>(root: &'a Value, node: &'a Value) -> Vec<&'a Value> {
    let mut out = vec![node];
    let mut i = 0;
    while i < out.len() {
        let current = out[i];
        if let Some(target) = current.get("$ref").and_then(Value::as_str) {
            if let Some(found) = target.strip_prefix('#').and_then(|p| root.pointer(p)) {
                out.push(found);
            }
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            if let Some(Value::Array(items)) = current.get(key) {
                out.extend(items.iter());
            }
        }
        i += 1;
    }
    out
}

/// The engine's source and presets, where the tokens the schemas leave as
/// plain strings are written.
fn engine_text() -> String {
    fn walk(dir: &Path, text: &mut String) {
        for entry in fs::read_dir(dir).expect("a readable directory") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, text);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("rs" | "toml")
            ) {
                text.push_str(&read(&path));
            }
        }
    }
    let mut text = String::new();
    walk(&repo().join("core/src"), &mut text);
    walk(&repo().join("core/presets"), &mut text);
    text
}

fn is_token_or_path(span: &str) -> bool {
    !span.is_empty()
        && span.split('.').all(|segment| {
            let name = segment.strip_suffix("[]").unwrap_or(segment);
            name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// A policy id: lower-case words joined by hyphens (`hilldene-primary`).
fn is_policy_id(span: &str) -> bool {
    span.contains('-')
        && span.split('-').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// What `docs/wire-format.md` names that neither the schemas nor the
/// engine's code know.
fn unknown_names(doc: &str) -> Vec<String> {
    let schemas = wire_schemas();
    let mut names = Names::default();
    schemas.iter().for_each(|s| collect(s, &mut names));
    let code = engine_text();
    let presets = safeguard_engine::Engine::presets();
    let error_codes: Vec<&str> = safeguard_engine::ErrorCode::ALL
        .iter()
        .map(|code| code.as_str())
        .collect();

    let mut unknown = Vec::new();
    for span in code_spans(doc) {
        let known = if let Some(prefix) = span.strip_suffix('>').and_then(|s| s.split_once(":<")) {
            // `no_consent:<purpose>`: the engine writes the prefix.
            code.contains(&format!("\"{}:", prefix.0)) || code.contains(&format!("{}:{{", prefix.0))
        } else if is_policy_id(&span) {
            presets.contains(&span.as_str())
        } else if ["true", "false"].contains(&span.as_str()) {
            true
        } else if is_token_or_path(&span) {
            names.tokens.contains(&span)
                || names.fields.contains(&span)
                || error_codes.contains(&span.as_str())
                || (span.contains('.') && schemas.iter().any(|s| resolves(s, &span)))
                || code.contains(&format!("\"{span}\""))
        } else {
            // Not a name (a date format, a JSON example, a file path).
            continue;
        };
        if !known {
            unknown.push(span);
        }
    }
    unknown
}

/// What the schemas or the engine define that `docs/wire-format.md` does
/// not name.
fn missing_names(doc: &str) -> Vec<String> {
    let mut names = Names::default();
    wire_schemas().iter().for_each(|s| collect(s, &mut names));
    let named: BTreeSet<String> = code_spans(doc)
        .iter()
        .flat_map(|span| {
            // A path names each of its fields.
            let mut all: Vec<String> = span
                .split('.')
                .map(|s| s.trim_end_matches("[]").to_string())
                .collect();
            all.push(span.clone());
            all
        })
        .collect();
    let error_codes = safeguard_engine::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_string());
    names
        .tokens
        .into_iter()
        .chain(names.fields)
        .chain(error_codes)
        .chain(
            safeguard_engine::Engine::presets()
                .iter()
                .map(|p| p.to_string()),
        )
        .filter(|name| !named.contains(name))
        .collect()
}

#[test]
fn wire_format_names_only_what_the_schemas_and_engine_define() {
    let doc = read(&repo().join("docs/wire-format.md"));
    let unknown = unknown_names(&doc);
    assert!(
        unknown.is_empty(),
        "docs/wire-format.md names what neither schema/ nor the engine defines: {unknown:?}"
    );
}

#[test]
fn wire_format_names_every_token_and_field() {
    let doc = read(&repo().join("docs/wire-format.md"));
    let missing = missing_names(&doc);
    assert!(
        missing.is_empty(),
        "docs/wire-format.md does not name these tokens or fields of schema/: {missing:?}"
    );
}

#[test]
fn a_renamed_or_dropped_token_is_caught() {
    // The checks above are not vacuous: a misspelt token is unknown, and a
    // page that leaves a token out misses it.
    let doc = read(&repo().join("docs/wire-format.md"));
    let misspelt = doc.replace("`hand_in_at_gate`", "`hand_in_at_the_gate`");
    assert_eq!(unknown_names(&misspelt), ["hand_in_at_the_gate"]);
    let misspelt = doc.replace("`strip_geodata`", "`strip_location`");
    assert_eq!(unknown_names(&misspelt), ["strip_location"]);
    let misspelt = doc.replacen("`context.location`", "`context.place`", 1);
    assert_eq!(unknown_names(&misspelt), ["context.place"]);
    let dropped = doc.replace("`slt_approval`,", "");
    assert_eq!(missing_names(&dropped), ["slt_approval"]);
}

/// The project's Markdown files: every `.md` outside build output and
/// installed packages.
fn markdown_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).expect("a readable directory") {
            let path = entry.expect("a directory entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                let skipped = name.starts_with('.')
                    || ["target", "node_modules", "dist", "corpus", "artifacts"].contains(&name);
                if !skipped {
                    walk(&path, files);
                }
            } else if name.ends_with(".md") {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&repo(), &mut files);
    files.sort();
    files
}

/// The anchors GitHub gives a document's headings: lower case, spaces as
/// hyphens, punctuation dropped.
fn anchors(markdown: &str) -> BTreeSet<String> {
    let mut anchors = BTreeSet::new();
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(text) | Event::Code(text) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&text);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    let slug: String = h
                        .to_lowercase()
                        .chars()
                        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
                        .map(|c| if c == ' ' { '-' } else { c })
                        .collect();
                    anchors.insert(slug);
                }
            }
            _ => {}
        }
    }
    anchors
}

/// A path without `.` and `..`, worked out on its text (the file need not
/// exist): `None` when `..` climbs above the root.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

/// The broken relative links of one Markdown file, each with why.
fn broken_links(repo: &Path, file: &Path, markdown: &str) -> Vec<String> {
    let mut broken = Vec::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        let target = match event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => dest_url.to_string(),
            _ => continue,
        };
        if target.contains("://") || target.starts_with("mailto:") {
            continue;
        }
        let (path, anchor) = match target.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (target.as_str(), None),
        };
        let resolved = if path.is_empty() {
            Some(file.to_path_buf())
        } else if path.starts_with('/') {
            None
        } else {
            normalise(&file.parent().expect("a file has a folder").join(path))
        };
        let Some(resolved) = resolved.filter(|p| p.starts_with(repo)) else {
            broken.push(format!("{target}: outside the repository"));
            continue;
        };
        if !resolved.exists() {
            broken.push(format!("{target}: no such file"));
            continue;
        }
        if let Some(anchor) = anchor {
            if resolved.extension().and_then(|e| e.to_str()) == Some("md")
                && !anchors(&read(&resolved)).contains(anchor)
            {
                broken.push(format!("{target}: no such heading"));
            }
        }
    }
    broken
}

#[test]
fn every_relative_link_resolves_inside_the_repository() {
    let repo = normalise(&repo()).expect("the repository's path");
    let files = markdown_files();
    for expected in [
        "README.md",
        "ARCHITECTURE.md",
        "CHANGELOG.md",
        "docs/wire-format.md",
    ] {
        assert!(
            files.contains(&repo.join(expected)),
            "{expected} is checked"
        );
    }
    let mut broken = Vec::new();
    for file in &files {
        let text = read(file);
        let name = file
            .strip_prefix(&repo)
            .unwrap_or(file)
            .display()
            .to_string();
        for problem in broken_links(&repo, file, &text) {
            broken.push(format!("{name}: {problem}"));
        }
        // The vocabulary now lives in docs/wire-format.md; the old shared
        // spec is not part of a clone.
        if text.contains("shared/spec") {
            broken.push(format!("{name}: names shared/spec, outside the repository"));
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn a_broken_link_is_caught() {
    let repo = normalise(&repo()).expect("the repository's path");
    let file = repo.join("docs/example.md");
    let text = "[a](../README.md) [b](../README.md#versions) [c](wire-format.md)\n\
                [d](../missing.md) [e](../../outside.md) [f](/etc/passwd) \
                [g](../README.md#no-such-heading) [h](https://example.org/x)";
    assert_eq!(
        broken_links(&repo, &file, text),
        [
            "../missing.md: no such file",
            "../../outside.md: outside the repository",
            "/etc/passwd: outside the repository",
            "../README.md#no-such-heading: no such heading",
        ]
    );
}
