//! Citations name documents and sections that exist (SPEC §1.2, §7).
//!
//! - A school preset's citation of its own policy (the preset's
//!   `[policy] source`) names a heading listed in
//!   `tests/citations/<policy-id>.headings`. When the policy texts are
//!   present (`../shared/policies/` from the repository root, or the
//!   directory in `SAFEGUARD_POLICY_TEXTS`), every listed heading must occur
//!   in its school's text; the texts themselves never enter the repository.
//! - Every other citation, in the baseline and in the school presets, names
//!   a document listed in `tests/citations/national.toml`, and either one of
//!   its checked headings or a section that says it was not verified.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use safeguard_engine::Engine;
use serde::Deserialize;
use serde_json::Value;

/// What a section says when its heading could not be checked.
const NOT_VERIFIED: &str = "(section title not verified)";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("citations")
}

/// Every `{source, section}` pair in a preset, by walking its resolved
/// policy: a new domain or a new place for a citation is covered too.
fn citations(id: &str) -> (String, Vec<(String, String)>) {
    let engine = Engine::from_preset(id).unwrap_or_else(|e| panic!("{id}: {e}"));
    let policy = engine.policy();
    let tree = serde_json::to_value(policy).expect("a policy serialises");
    let mut out = Vec::new();
    walk(&tree, &mut out);
    (policy.policy.source.to_string(), out)
}

fn walk(v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            if let (Some(Value::String(source)), Some(Value::String(section))) =
                (map.get("source"), map.get("section"))
            {
                out.push((source.clone(), section.clone()));
            }
            map.values().for_each(|x| walk(x, out));
        }
        Value::Array(items) => items.iter().for_each(|x| walk(x, out)),
        _ => {}
    }
}

fn school_presets() -> Vec<&'static str> {
    Engine::presets()
        .iter()
        .copied()
        .filter(|id| *id != "baseline")
        .collect()
}

// ---------------------------------------------------------------------------
// School policies: the headings fixture
// ---------------------------------------------------------------------------

/// `tests/citations/<id>.headings`: `source:` and `file:` lines, then one
/// heading a line; `#` starts a comment line.
struct Headings {
    source: String,
    file: String,
    headings: BTreeSet<String>,
}

fn headings(id: &str) -> Headings {
    let path = fixtures().join(format!("{id}.headings"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (every school preset needs one)", path.display()));
    let (mut source, mut file, mut headings) = (None, None, BTreeSet::new());
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(s) = line.strip_prefix("source: ") {
            source = Some(s.to_string());
        } else if let Some(f) = line.strip_prefix("file: ") {
            file = Some(f.to_string());
        } else {
            assert_eq!(line, line.trim(), "{id}: stray spaces around {line:?}");
            assert!(
                headings.insert(line.to_string()),
                "{id}: {line:?} listed twice"
            );
        }
    }
    Headings {
        source: source.unwrap_or_else(|| panic!("{id}: no `source:` line")),
        file: file.unwrap_or_else(|| panic!("{id}: no `file:` line")),
        headings,
    }
}

#[test]
fn every_school_citation_names_a_heading_in_its_fixture() {
    let mut errs = Vec::new();
    for id in school_presets() {
        let fixture = headings(id);
        let (source, cites) = citations(id);
        assert_eq!(
            fixture.source, source,
            "{id}: the fixture's `source:` is the preset's [policy] source"
        );
        let mut cited = BTreeSet::new();
        for (_, section) in cites.iter().filter(|(src, _)| *src == source) {
            if !fixture.headings.contains(section) {
                errs.push(format!("{id}: cites {section:?}, not in {id}.headings"));
            }
            cited.insert(section.clone());
        }
        for unused in fixture.headings.difference(&cited) {
            errs.push(format!(
                "{id}: {id}.headings lists {unused:?}, which no rule cites"
            ));
        }
    }
    assert!(errs.is_empty(), "{}", errs.join("\n"));
}

#[test]
fn every_fixture_belongs_to_a_school_preset() {
    let schools: BTreeSet<String> = school_presets().iter().map(|s| s.to_string()).collect();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) == Some("headings") {
            let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
            assert!(
                schools.contains(&stem),
                "{}: no such preset",
                path.display()
            );
        }
    }
}

/// Where the school policy texts are, if they are here at all.
fn policy_texts() -> Option<PathBuf> {
    let dir = match std::env::var_os("SAFEGUARD_POLICY_TEXTS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/policies"),
    };
    dir.is_dir().then_some(dir)
}

/// Says something the test harness does not capture: `eprintln!` is
/// captured for passing tests, a direct write to stderr is not.
fn tell(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

#[test]
fn every_fixture_heading_occurs_in_its_school_policy_text() {
    let Some(dir) = policy_texts() else {
        tell(
            "citations: NOT CHECKED: the school policy texts are not here \
             (../shared/policies/ from the repository root, or set \
             SAFEGUARD_POLICY_TEXTS); the headings fixtures were not compared \
             with the texts. The fixture half still ran.",
        );
        return;
    };
    let mut errs = Vec::new();
    let mut checked = 0;
    for id in school_presets() {
        let fixture = headings(id);
        let path = dir.join(&fixture.file);
        let raw = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                errs.push(format!("{id}: {}: {e}", path.display()));
                continue;
            }
        };
        let text = normalise(&raw);
        for heading in &fixture.headings {
            checked += 1;
            if !text.contains(&normalise(heading)) {
                errs.push(format!(
                    "{id}: {heading:?} does not occur in {}",
                    fixture.file
                ));
            }
        }
    }
    assert!(errs.is_empty(), "{}", errs.join("\n"));
    tell(&format!(
        "citations: {checked} school headings found in the policy texts in {}",
        dir.display()
    ));
}

/// Lower case, HTML tags removed, every run of whitespace one space.
fn normalise(s: &str) -> String {
    let lower = strip_tags(s).to_lowercase();
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes what the pattern `</?[a-zA-Z][^<>]*>` matches, leaving a space:
/// a `<` that does not open such a tag (`a < b`, or one followed by another
/// `<` before any `>`) stays, and swallows nothing.
fn strip_tags(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut i, mut kept) = (0, 0);
    while i < b.len() {
        if b[i] == b'<' {
            if let Some(end) = tag_end(b, i) {
                out.push_str(&s[kept..i]);
                out.push(' ');
                i = end + 1;
                kept = i;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&s[kept..]);
    out
}

/// The index of the `>` closing a tag that opens at `b[start] == b'<'`.
fn tag_end(b: &[u8], start: usize) -> Option<usize> {
    let mut j = start + 1;
    if b.get(j) == Some(&b'/') {
        j += 1;
    }
    if !b.get(j)?.is_ascii_alphabetic() {
        return None;
    }
    for (k, &c) in b.iter().enumerate().skip(j + 1) {
        match c {
            b'>' => return Some(k),
            b'<' => return None,
            _ => {}
        }
    }
    None
}

#[test]
fn tags_are_stripped_and_a_stray_angle_bracket_swallows_nothing() {
    assert_eq!(
        normalise("3.5.6 <i>Photographic</i>  and\nvideo"),
        "3.5.6 photographic and video"
    );
    assert_eq!(normalise("<p style=\"x\">Sexting</p>"), "sexting");
    assert_eq!(
        normalise("pupils < 13 may not <b>bring</b> phones"),
        "pupils < 13 may not bring phones"
    );
    assert_eq!(normalise("a <b c <i>Heading</i> d"), "a <b c heading d");
    assert_eq!(normalise("x <1> y </> z <"), "x <1> y </> z <");
    assert_eq!(normalise("ends with <b"), "ends with <b");
    assert_eq!(normalise("“Sexting”"), "“sexting”");
}

// ---------------------------------------------------------------------------
// National guidance: national.toml
// ---------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct National {
    document: Vec<Document>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // `title`, `year`, `edition`, `not_verified` are for people.
struct Document {
    source: String,
    /// A later edition that replaces this one: citing this one is an error.
    #[serde(default)]
    superseded_by: Option<String>,
    title: String,
    year: u32,
    edition: String,
    verified: String,
    not_verified: String,
    sections: Vec<String>,
}

fn national() -> BTreeMap<String, Document> {
    let path = fixtures().join("national.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let national: National =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut by_source = BTreeMap::new();
    for doc in national.document {
        assert!(
            !doc.verified.trim().is_empty(),
            "{}: say how it was verified",
            doc.source
        );
        for s in &doc.sections {
            assert!(
                !s.contains("not verified"),
                "{}: {s:?} is listed as checked",
                doc.source
            );
        }
        let source = doc.source.clone();
        assert!(
            by_source.insert(source.clone(), doc).is_none(),
            "{source} listed twice"
        );
    }
    by_source
}

fn check_national(
    docs: &BTreeMap<String, Document>,
    who: &str,
    source: &str,
    section: &str,
    errs: &mut Vec<String>,
) {
    let Some(doc) = docs.get(source) else {
        errs.push(format!(
            "{who}: cites {source:?}, not a document in national.toml"
        ));
        return;
    };
    if let Some(later) = &doc.superseded_by {
        errs.push(format!("{who}: cites {source:?}, replaced by {later:?}"));
        return;
    }
    let listed = doc.sections.iter().any(|s| s == section);
    let marked = section.ends_with(NOT_VERIFIED) && section.len() > NOT_VERIFIED.len() + 1;
    if !listed && !marked {
        errs.push(format!(
            "{who}: {source:?} / {section:?} is neither a checked heading in national.toml \
             nor marked {NOT_VERIFIED:?}"
        ));
    }
}

#[test]
fn every_baseline_citation_names_a_listed_document_and_section() {
    let docs = national();
    let (_, cites) = citations("baseline");
    assert!(
        cites.len() >= 80,
        "only {} citations found in the baseline",
        cites.len()
    );
    let mut errs = Vec::new();
    for (source, section) in &cites {
        check_national(&docs, "baseline", source, section, &mut errs);
    }
    assert!(errs.is_empty(), "{}", errs.join("\n"));
}

#[test]
fn every_national_citation_in_a_school_preset_names_a_listed_document_and_section() {
    let docs = national();
    let mut errs = Vec::new();
    for id in school_presets() {
        let (own, cites) = citations(id);
        for (source, section) in cites.iter().filter(|(s, _)| *s != own) {
            check_national(&docs, id, source, section, &mut errs);
        }
    }
    assert!(errs.is_empty(), "{}", errs.join("\n"));
}

#[test]
fn no_school_policy_is_cited_as_national_guidance() {
    let docs = national();
    for id in school_presets() {
        let (own, _) = citations(id);
        assert!(
            !docs.contains_key(&own),
            "{id}: its own policy is listed in national.toml"
        );
    }
}
