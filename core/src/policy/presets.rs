//! The policies compiled into the library.
//!
//! Each preset is a TOML file under `core/presets/`. The build script turns
//! each into compact JSON (the conversion every TOML policy goes through,
//! see `toml_json`), which is embedded and parsed once, on first use; later
//! calls share the parsed engine. The TOML text is embedded as well, for
//! [`source`].
//! `baseline` encodes national guidance and carries the floor; the five school
//! presets extend it.

use crate::engine::Engine;
use crate::error::{Error, Location, Result};
use std::sync::OnceLock;

/// Declares the presets, listed once: their ids, their TOML text, and the
/// JSON the build script made of each (deflated in the WebAssembly build,
/// where it is most of the module's size).
macro_rules! presets {
    ($($id:literal),* $(,)?) => {
        /// Preset ids, baseline first.
        pub const IDS: [&str; 6] = [$($id),*];

        const SOURCES: [&str; 6] = [$(include_str!(concat!("../../presets/", $id, ".toml"))),*];

        #[cfg(not(target_arch = "wasm32"))]
        const JSON: [&str; 6] = [$(include_str!(concat!(env!("OUT_DIR"), "/", $id, ".json"))),*];

        #[cfg(target_arch = "wasm32")]
        const DEFLATED: [&[u8]; 6] =
            [$(include_bytes!(concat!(env!("OUT_DIR"), "/", $id, ".json.deflate"))),*];
    };
}

presets!(
    "baseline",
    "squirrels-heath-junior",
    "west-hill-primary",
    "lansbury-lawrence-primary",
    "stanford-junior-infant",
    "hilldene-primary",
);

/// The JSON text of preset `i`.
#[cfg(not(target_arch = "wasm32"))]
fn json(i: usize) -> Result<std::borrow::Cow<'static, str>> {
    Ok(std::borrow::Cow::Borrowed(JSON[i]))
}

/// The JSON text of preset `i`, inflated.
#[cfg(target_arch = "wasm32")]
fn json(i: usize) -> Result<std::borrow::Cow<'static, str>> {
    let internal = |what: &str| Error::Internal {
        message: format!("the built-in preset {} {what}", IDS[i]),
    };
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(DEFLATED[i], 1 << 22)
        .map_err(|_| internal("could not be inflated"))?;
    let text = String::from_utf8(bytes).map_err(|_| internal("is not UTF-8"))?;
    Ok(std::borrow::Cow::Owned(text))
}

static ENGINES: [OnceLock<Result<Engine>>; 6] = [
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
];

fn index(id: &str) -> Option<usize> {
    IDS.iter().position(|p| *p == id)
}

/// The TOML text of a preset, as written.
pub fn source(id: &str) -> Option<&'static str> {
    index(id).map(|i| SOURCES[i])
}

/// The shared engine of a preset, parsed on first use.
pub fn engine(id: &str) -> Result<Engine> {
    let i = index(id).ok_or_else(unknown)?;
    ENGINES[i].get_or_init(|| build(i)).clone()
}

/// A preset's engine built afresh, not shared: the work [`engine`] does on
/// first use (benchmarks measure it; callers want [`engine`]). A school
/// preset's parent, the baseline, is the shared one.
pub fn load_afresh(id: &str) -> Result<Engine> {
    build(index(id).ok_or_else(unknown)?)
}

fn build(i: usize) -> Result<Engine> {
    let text = json(i)?;
    if i == 0 {
        Engine::build_baseline(&text)
    } else {
        Engine::load_school(&text, crate::policy::load::Format::Json)
    }
}

/// The `unknown_policy` error (the id asked for is not quoted).
pub(crate) fn unknown() -> Error {
    Error::UnknownPolicy {
        at: Location::path("$.policy"),
    }
}
