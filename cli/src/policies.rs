//! `safeguard presets`, `safeguard policy show` and `safeguard policy check`.
//!
//! These are for the person who writes or reviews a school's policy file:
//! see which presets exist, read one as written (a starting point to copy
//! and extend) or fully resolved (every inherited rule spelled out), and
//! check a draft before it is deployed. `check` loads the file exactly as
//! `eval --policy` would, so a file that passes here is one the engine will
//! accept, and a file that tries to drop or weaken a floor rule of the
//! national baseline fails here with the rule named.

use crate::failure::Failure;
use crate::input;
use safeguard_engine::{json, Engine};
use std::io::{self, Write};
use std::path::Path;

/// Writes `text` to stdout, adding a final newline if it lacks one.
fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| {
            if text.ends_with('\n') {
                Ok(())
            } else {
                stdout.write_all(b"\n")
            }
        })
        .and_then(|()| stdout.flush())
        .map_err(Failure::writing)
}

/// `presets`: `id<TAB>name<TAB>version`, one preset a line, baseline first.
/// Tab-separated so `cut -f1` gives the bare ids. (Text for people and
/// `cut`; the bindings' JSON list of ids is `json::presets`.)
pub fn list() -> Result<(), Failure> {
    let mut text = String::new();
    for id in Engine::presets() {
        let engine = json::preset(id)?;
        let identity = &engine.policy().policy;
        text.push_str(&format!("{id}\t{}\t{}\n", identity.name, identity.version));
    }
    print(&text)
}

/// `policy show ID [--resolved]`: a preset's TOML as written, or the
/// resolved policy. A path to a policy file is accepted too, which is most
/// useful with `--resolved` (what a school's `extends` file amounts to).
pub fn show(spec: &str, resolved: bool) -> Result<(), Failure> {
    if resolved {
        let engine = input::load_policy(spec)?;
        return print(&json::policy_resolved(&engine)?);
    }
    if let Ok(source) = json::policy_show(spec) {
        return print(source);
    }
    let path = Path::new(spec);
    if !path.exists() && input::looks_like_id(spec) {
        return Err(input::unknown_policy().into());
    }
    print(&input::read_policy_text(path)?)
}

/// `policy check PATH`: `ok: <id> <version> digest <digest>` when the file
/// loads, resolves and respects the floor.
pub fn check(path: &Path) -> Result<(), Failure> {
    let engine = input::load_policy_file(path)?;
    let r = engine.policy_ref();
    print(&format!("ok: {} {} digest {}", r.id, r.version, r.digest))
}
