//! The import graph of every crate's files has no circle (issue 22).
//!
//! Run it with:
//!
//! ```text
//! cargo test -p safeguard-tests --test imports
//! ```
//!
//! (`-- --nocapture` also prints every edge that closes a circle today.)
//!
//! Each `.rs` file of `core/src`, `cli/src`, `ffi/src`, `wasm/src` and
//! `bindings/python/src` is one node, named by its module path
//! (`devices/mod.rs` is `devices`, `devices/lint.rs` is `devices::lint`,
//! `lib.rs` and `main.rs` are `crate`).
//! A file points at a module when its code names it: a `use` line (groups,
//! `self`, `super`, `crate` and a child module's name resolved), a path in
//! the code beginning with `crate::`, `$crate::` (a macro's text), `super::`,
//! `self::` or a child module's name. A path to an item is followed through
//! `pub use` re-exports (a glob too) to the file that defines the item, so
//! `crate::Error` points at `error`, not at `lib.rs`; the re-export itself
//! is an edge of the file that writes it. Comments, strings and
//! `#[cfg(test)]` modules are left out: a unit test may build an `Engine`
//! to test a domain, and the layers are about the library's own code.
//!
//! Circles that other parts of issue 22 still have to open are listed in
//! [`KNOWN_EDGES_TO_REMOVE`]: one edge per circle, each of which must still
//! exist (so the list only shrinks). Any other circle fails the test, which
//! prints it. Hard rules besides: the decision envelope (`decision`), the
//! civil-time module (`civil`) and the vocabulary (`vocab`) import no
//! domain, no policy, no engine and no request.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Edges (crate, from, to) that close a circle today; each is for another
/// slice of issue 22 to remove. Remove an entry when its edge is gone. None
/// is left: the last, `vocab::tokens -> wire::json_in`, went when the token sets
/// gave the reader a trait (`vocab::Token`) instead of writing it.
const KNOWN_EDGES_TO_REMOVE: &[(&str, &str, &str)] = &[];

/// The modules `decision` and everything under `civil` and `vocab` may not
/// import (their first path segment).
const ABOVE_THE_ENVELOPE: &[&str] = &[
    "sexting",
    "devices",
    "images",
    "escalation",
    "policy",
    "engine",
    "request",
];

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Open,
    Close,
    Semi,
    Comma,
    Star,
    Hash,
    Bang,
    OpenBracket,
    CloseBracket,
    Other,
}

/// The code's tokens, without comments, string and character literals.
fn lex(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            loop {
                if i >= chars.len() {
                    break;
                }
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == '"' {
            i = skip_string(&chars, i + 1);
        } else if (c == 'r' || (c == 'b' && at(i + 1) == 'r'))
            && matches!(at(i + 1 + usize::from(c == 'b')), '"' | '#')
            && !is_ident_char(if i == 0 { ' ' } else { chars[i - 1] })
        {
            // A raw string: r"…", r#"…"#, br"…".
            let mut j = i + 1 + usize::from(c == 'b');
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            if at(j) != '"' {
                // `r#ident`
                tokens.push(Token::Ident(String::from("r")));
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (1..=hashes).all(|k| at(j + k) == '#') {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            i = j;
        } else if c == 'b' && at(i + 1) == '"' {
            i = skip_string(&chars, i + 2);
        } else if c == 'b' && at(i + 1) == '\'' {
            i = skip_char(&chars, i + 1);
        } else if c == '\'' {
            if at(i + 1) == '\\' || at(i + 2) == '\'' {
                i = skip_char(&chars, i);
            } else {
                // A lifetime or label.
                i += 1;
                while is_ident_char(at(i)) {
                    i += 1;
                }
            }
        } else if c == '$' && is_ident_char(at(i + 1)) {
            // `$crate` in a macro is the crate; `$name` is a fragment.
            i += 1;
            let start = i;
            while is_ident_char(at(i)) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            tokens.push(if word == "crate" {
                Token::Ident(word)
            } else {
                Token::Other
            });
        } else if is_ident_char(c) {
            let start = i;
            while is_ident_char(at(i)) {
                i += 1;
            }
            tokens.push(Token::Ident(chars[start..i].iter().collect()));
        } else {
            tokens.push(match c {
                ':' if at(i + 1) == ':' => {
                    i += 1;
                    Token::PathSep
                }
                '{' => Token::Open,
                '}' => Token::Close,
                ';' => Token::Semi,
                ',' => Token::Comma,
                '*' => Token::Star,
                '#' => Token::Hash,
                '!' => Token::Bang,
                '[' => Token::OpenBracket,
                ']' => Token::CloseBracket,
                _ => Token::Other,
            });
            i += 1;
        }
    }
    tokens
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Past the closing quote of a string whose text starts at `i`.
fn skip_string(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// Past the closing quote of a character literal whose quote is at `i`.
fn skip_char(chars: &[char], mut i: usize) -> usize {
    i += 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '\'' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// What one file says: the paths it names and what it defines.
#[derive(Default)]
struct FileFacts {
    /// Absolute paths named (a `use` leaf or a path in the code).
    paths: Vec<Vec<String>>,
    /// `pub use` leaves: the name they give and the absolute path.
    reexports: Vec<(String, Vec<String>)>,
    /// `pub use …::*`: the absolute path of the module.
    globs: Vec<Vec<String>>,
    /// Items defined here (functions, types, constants, macros).
    defines: BTreeSet<String>,
}

/// Reads one file (module path `module`, declared children `children`).
fn read_file(tokens: &[Token], module: &[String], children: &BTreeSet<String>) -> FileFacts {
    let mut facts = FileFacts::default();
    // The module path at each open brace of an inline module, with the
    // brace depth it closes at.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let ident = |i: usize| match tokens.get(i) {
        Some(Token::Ident(s)) => Some(s.as_str()),
        _ => None,
    };
    while i < tokens.len() {
        let current: Vec<String> = module
            .iter()
            .cloned()
            .chain(inline.iter().map(|(m, _)| m.clone()))
            .collect();
        match &tokens[i] {
            Token::Open => {
                depth += 1;
                i += 1;
            }
            Token::Close => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            Token::Hash if is_cfg_test(tokens, i) => {
                // `#[cfg(test)] mod name { … }`: skipped whole.
                let mut j = i + 7;
                while j < tokens.len() && tokens[j] == Token::Hash {
                    // Further attributes.
                    while j < tokens.len() && tokens[j] != Token::CloseBracket {
                        j += 1;
                    }
                    j += 1;
                }
                if ident(j) == Some("mod") && tokens.get(j + 2) == Some(&Token::Open) {
                    let mut d = 0;
                    j += 2;
                    loop {
                        match tokens.get(j) {
                            Some(Token::Open) => d += 1,
                            Some(Token::Close) => {
                                d -= 1;
                                if d == 0 {
                                    break;
                                }
                            }
                            None => break,
                            _ => {}
                        }
                        j += 1;
                    }
                    i = j + 1;
                } else {
                    i += 1;
                }
            }
            Token::Ident(word) => {
                let word = word.as_str();
                let after_path = i > 0 && tokens[i - 1] == Token::PathSep;
                if word == "mod" {
                    if let (Some(name), Some(Token::Open)) = (ident(i + 1), tokens.get(i + 2)) {
                        inline.push((name.to_string(), depth + 1));
                    }
                    i += 2;
                } else if word == "use" && !after_path {
                    let public = i > 0
                        && (ident(i - 1) == Some("pub")
                            || (tokens[i - 1] == Token::Other && ident(i - 2) == Some("crate")));
                    let mut leaves = Vec::new();
                    i = use_tree(tokens, i + 1, Vec::new(), &mut leaves);
                    for (name, path) in leaves {
                        let Some(absolute) = absolute(&path, &current, module, children) else {
                            continue;
                        };
                        if public {
                            if name == "*" {
                                facts.globs.push(absolute.clone());
                            } else {
                                facts.reexports.push((name, absolute.clone()));
                            }
                        }
                        facts.paths.push(absolute);
                    }
                } else if matches!(
                    word,
                    "fn" | "struct" | "enum" | "type" | "const" | "static" | "trait" | "union"
                ) && !after_path
                {
                    if let Some(name) = ident(i + 1) {
                        facts.defines.insert(name.to_string());
                    }
                    i += 1;
                } else if word == "macro_rules" && tokens.get(i + 1) == Some(&Token::Bang) {
                    if let Some(name) = ident(i + 2) {
                        facts.defines.insert(name.to_string());
                    }
                    i += 2;
                } else if !after_path
                    && tokens.get(i + 1) == Some(&Token::PathSep)
                    && (matches!(word, "crate" | "super" | "self")
                        || (children.contains(word) && inline.is_empty()))
                {
                    let mut path = vec![word.to_string()];
                    let mut j = i + 1;
                    while tokens.get(j) == Some(&Token::PathSep) {
                        match ident(j + 1) {
                            Some(next) => path.push(next.to_string()),
                            None => break,
                        }
                        j += 2;
                    }
                    if let Some(absolute) = absolute(&path, &current, module, children) {
                        facts.paths.push(absolute);
                    }
                    i = j;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    facts
}

/// `#[cfg(test)]` starts at `i`.
fn is_cfg_test(tokens: &[Token], i: usize) -> bool {
    tokens.get(i + 1) == Some(&Token::OpenBracket)
        && tokens.get(i + 2) == Some(&Token::Ident("cfg".into()))
        && tokens.get(i + 4) == Some(&Token::Ident("test".into()))
}

/// Reads a use tree from `i` into its leaves (name given, path); returns
/// the index past it.
fn use_tree(
    tokens: &[Token],
    mut i: usize,
    mut prefix: Vec<String>,
    leaves: &mut Vec<(String, Vec<String>)>,
) -> usize {
    loop {
        match tokens.get(i) {
            Some(Token::Ident(word)) if word == "as" => {
                if let Some(Token::Ident(alias)) = tokens.get(i + 1) {
                    if let Some(last) = leaves.last_mut() {
                        last.0 = alias.clone();
                    }
                }
                i += 2;
            }
            Some(Token::Ident(word)) => {
                prefix.push(word.clone());
                i += 1;
                if tokens.get(i) == Some(&Token::PathSep) {
                    i += 1;
                } else {
                    let mut path = prefix.clone();
                    let name = if word == "self" {
                        path.pop();
                        path.last().cloned().unwrap_or_default()
                    } else {
                        word.clone()
                    };
                    leaves.push((name, path));
                    prefix.pop();
                }
            }
            Some(Token::Star) => {
                leaves.push((String::from("*"), prefix.clone()));
                i += 1;
            }
            Some(Token::Open) => {
                i += 1;
                loop {
                    i = use_tree(tokens, i, prefix.clone(), leaves);
                    match tokens.get(i) {
                        Some(Token::Comma) => i += 1,
                        Some(Token::Close) => {
                            i += 1;
                            break;
                        }
                        _ => return i,
                    }
                    if tokens.get(i) == Some(&Token::Close) {
                        i += 1;
                        break;
                    }
                }
                return i;
            }
            _ => return i,
        }
        if matches!(
            tokens.get(i),
            Some(Token::Comma | Token::Close | Token::Semi) | None
        ) {
            return i;
        }
    }
}

/// A path as the crate's absolute path, or `None` for another crate's.
fn absolute(
    path: &[String],
    current: &[String],
    module: &[String],
    children: &BTreeSet<String>,
) -> Option<Vec<String>> {
    let first = path.first()?;
    let mut rest = path.iter().skip(1).peekable();
    let mut base: Vec<String> = match first.as_str() {
        "crate" => Vec::new(),
        "self" => current.to_vec(),
        "super" => {
            let mut base = current.to_vec();
            base.pop();
            while rest.peek().map(|s| s.as_str()) == Some("super") {
                rest.next();
                base.pop();
            }
            base
        }
        child if children.contains(child) && current == module => {
            let mut base = module.to_vec();
            base.push(child.to_string());
            base
        }
        _ => return None,
    };
    base.extend(rest.cloned());
    Some(base)
}

/// One crate's files, read.
struct CrateGraph {
    /// Module path of each file, and its facts.
    files: BTreeMap<Vec<String>, FileFacts>,
}

impl CrateGraph {
    fn read(src: &Path) -> CrateGraph {
        let mut paths = Vec::new();
        collect(src, &mut paths);
        let mut modules: BTreeMap<Vec<String>, (PathBuf, String)> = BTreeMap::new();
        for path in paths {
            let relative = path.strip_prefix(src).unwrap();
            let mut module: Vec<String> = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                module.last().map(|s| s.as_str()),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            let text = fs::read_to_string(&path).unwrap();
            modules.insert(module, (path, text));
        }
        let mut files = BTreeMap::new();
        for (module, (_, text)) in &modules {
            let children: BTreeSet<String> = modules
                .keys()
                .filter(|m| m.len() == module.len() + 1 && m.starts_with(module))
                .map(|m| m.last().unwrap().clone())
                .collect();
            let facts = read_file(&lex(text), module, &children);
            files.insert(module.clone(), facts);
        }
        CrateGraph { files }
    }

    /// The file that defines what `path` names.
    fn resolve(&self, path: &[String], hops: usize) -> Vec<String> {
        let mut length = path.len();
        while length > 0 && !self.files.contains_key(&path[..length]) {
            length -= 1;
        }
        let module = path[..length].to_vec();
        let (Some(item), Some(facts)) = (path.get(length), self.files.get(&module)) else {
            return module;
        };
        if facts.defines.contains(item) || hops > 16 {
            return module;
        }
        for (name, target) in &facts.reexports {
            if name == item && target != path {
                let mut target = target.clone();
                target.extend(path[length + 1..].iter().cloned());
                return self.resolve(&target, hops + 1);
            }
        }
        for glob in &facts.globs {
            let mut target = glob.clone();
            target.extend(path[length..].iter().cloned());
            let found = self.resolve(&target, hops + 1);
            if found != module && found != *glob {
                return found;
            }
            if self
                .files
                .get(glob)
                .is_some_and(|g| g.defines.contains(item))
            {
                return found;
            }
        }
        module
    }

    /// Every edge: file → file it names.
    fn edges(&self) -> BTreeSet<(String, String)> {
        let mut edges = BTreeSet::new();
        for (module, facts) in &self.files {
            for path in &facts.paths {
                let target = self.resolve(path, 0);
                if &target != module {
                    edges.insert((name(module), name(&target)));
                }
            }
        }
        edges
    }
}

fn name(module: &[String]) -> String {
    if module.is_empty() {
        String::from("crate")
    } else {
        module.join("::")
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A circle through `start` among `edges`, if there is one.
fn circle_through(start: &str, edges: &BTreeSet<(String, String)>) -> Option<Vec<String>> {
    let mut previous: BTreeMap<String, String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start.to_string()]);
    while let Some(node) = queue.pop_front() {
        for (_, to) in edges.iter().filter(|(from, _)| *from == node) {
            if to == start {
                let mut circle = vec![node.clone()];
                let mut at = node.clone();
                while let Some(before) = previous.get(&at) {
                    circle.push(before.clone());
                    at = before.clone();
                }
                circle.reverse();
                if circle.first().map(|s| s.as_str()) != Some(start) {
                    circle.insert(0, start.to_string());
                }
                circle.push(start.to_string());
                return Some(circle);
            }
            if !previous.contains_key(to) && to != start {
                previous.insert(to.clone(), node.clone());
                queue.push_back(to.clone());
            }
        }
    }
    None
}

/// Every circle (one per node on one), shortest first.
fn circles(edges: &BTreeSet<(String, String)>) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&String> = edges.iter().map(|(from, _)| from).collect();
    let mut found: Vec<Vec<String>> = Vec::new();
    let mut seen = BTreeSet::new();
    for node in nodes {
        if seen.contains(node) {
            continue;
        }
        if let Some(circle) = circle_through(node, edges) {
            seen.extend(circle.iter().cloned());
            found.push(circle);
        }
    }
    found.sort_by_key(|c| c.len());
    found
}

/// Every crate (its name here, its folder): the engine first, then the
/// CLI and the bindings, the Python one in its own Cargo workspace.
fn crates() -> Vec<(&'static str, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    [
        ("core", "core"),
        ("cli", "cli"),
        ("ffi", "ffi"),
        ("wasm", "wasm"),
        ("python", "bindings/python"),
    ]
    .into_iter()
    .map(|(name, folder)| (name, root.join(folder).join("src")))
    .collect()
}

/// Every crate's folder is found and read (a renamed folder fails here,
/// not by checking nothing).
#[test]
fn every_crate_is_read() {
    for (krate, src) in crates() {
        let graph = CrateGraph::read(&src);
        assert!(
            graph.files.contains_key(&Vec::new()),
            "{krate}: no lib.rs or main.rs in {}",
            src.display()
        );
    }
}

#[test]
fn no_file_imports_in_a_circle() {
    let mut failures = Vec::new();
    for (krate, src) in crates() {
        let graph = CrateGraph::read(&src);
        let mut edges = graph.edges();
        for &(k, from, to) in KNOWN_EDGES_TO_REMOVE {
            if k != krate {
                continue;
            }
            let edge = (from.to_string(), to.to_string());
            if !edges.remove(&edge) {
                failures.push(format!(
                    "{krate}: the known edge {from} -> {to} is gone: take it off KNOWN_EDGES_TO_REMOVE"
                ));
            }
        }
        for circle in circles(&edges) {
            failures.push(format!("{krate}: import circle {}", circle.join(" -> ")));
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

#[test]
fn the_envelope_and_civil_time_import_no_domain() {
    let (_, src) = &crates()[0];
    let graph = CrateGraph::read(src);
    let edges = graph.edges();
    let base = |module: &str| {
        module == "decision"
            || module == "civil"
            || module.starts_with("civil::")
            || module == "vocab"
            || module.starts_with("vocab::")
    };
    let wrong: Vec<String> = edges
        .iter()
        .filter(|(from, to)| {
            base(from)
                && ABOVE_THE_ENVELOPE
                    .iter()
                    .any(|above| to == above || to.starts_with(&format!("{above}::")))
        })
        .map(|(from, to)| format!("{from} -> {to}"))
        .collect();
    assert!(wrong.is_empty(), "the base layer imports up: {wrong:#?}");
}

#[test]
fn escalation_and_sexting_do_not_import_devices() {
    let (_, src) = &crates()[0];
    let edges = CrateGraph::read(src).edges();
    let wrong: Vec<String> = edges
        .iter()
        .filter(|(from, to)| {
            let domain = |m: &str, d: &str| m == d || m.starts_with(&format!("{d}::"));
            (domain(from, "escalation") || domain(from, "sexting")) && domain(to, "devices")
        })
        .map(|(from, to)| format!("{from} -> {to}"))
        .collect();
    assert!(
        wrong.is_empty(),
        "civil time is in civil, not devices: {wrong:#?}"
    );
}

/// The reader sees what the code names: a check of the yardstick itself.
#[test]
fn the_reader_finds_uses_paths_and_re_exports() {
    let code = r##"
        //! Docs naming [`crate::policy`] are no import.
        use super::{vocab::Period, budget::{self, Budget}};
        use crate::decision::{Cite, Text as T};
        pub use lint::*;
        const S: &str = "crate::engine::Engine";
        const R: &str = r#"crate::request"#;
        fn f<'a>(x: &'a str) -> char { let _ = crate::json_in::Reader::new; '{' }
        macro_rules! m { () => { $crate::json_out::write() } }
        #[cfg(test)]
        mod tests { use crate::sexting::X; }
        mod inner { use super::Thing; }
    "##;
    let children = BTreeSet::from([String::from("lint")]);
    let module = vec![String::from("devices"), String::from("timetable")];
    let facts = read_file(&lex(code), &module, &children);
    let paths: Vec<String> = facts.paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        paths,
        [
            "devices::vocab::Period",
            "devices::budget",
            "devices::budget::Budget",
            "decision::Cite",
            "decision::Text",
            "devices::timetable::lint",
            "json_in::Reader::new",
            "json_out::write",
            "devices::timetable::Thing",
        ]
    );
    assert_eq!(facts.globs, [vec!["devices", "timetable", "lint"]]);
    assert!(facts.defines.contains("S") && facts.defines.contains("m"));
    let edges: BTreeSet<(String, String)> = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]
        .iter()
        .map(|(f, t)| (f.to_string(), t.to_string()))
        .collect();
    assert_eq!(circles(&edges), [["a", "b", "c", "a"]]);
}
