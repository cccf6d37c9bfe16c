//! The policies compiled into the library.
//!
//! Each preset is a TOML file under `core/presets/`. The build script turns
//! each into compact JSON (the conversion every TOML policy goes through,
//! see `toml_json`), which is embedded; the engine parses it once, on first
//! use, and later calls share the parsed engine (`Engine::from_preset`).
//! The TOML text is embedded as well, for [`source`]. This module only
//! holds the texts: it imports nothing of the engine.
//! `baseline` encodes national guidance and carries the floor; the five school
//! presets extend it.

use crate::error::{Error, Location, Result};

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

/// The JSON text of preset `i` (its place in [`IDS`]): the build script's
/// conversion of its TOML, which the engine parses on first use.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn json(i: usize) -> Result<std::borrow::Cow<'static, str>> {
    Ok(std::borrow::Cow::Borrowed(JSON[i]))
}

/// The JSON text of preset `i`, inflated.
#[cfg(target_arch = "wasm32")]
pub(crate) fn json(i: usize) -> Result<std::borrow::Cow<'static, str>> {
    let internal = |what: &str| Error::Internal {
        message: format!("the built-in preset {} {what}", IDS[i]),
    };
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(DEFLATED[i], 1 << 22)
        .map_err(|_| internal("could not be inflated"))?;
    let text = String::from_utf8(bytes).map_err(|_| internal("is not UTF-8"))?;
    Ok(std::borrow::Cow::Owned(text))
}

/// A preset's place in [`IDS`].
pub(crate) fn index(id: &str) -> Option<usize> {
    IDS.iter().position(|p| *p == id)
}

/// The TOML text of a preset, as written.
pub fn source(id: &str) -> Option<&'static str> {
    index(id).map(|i| SOURCES[i])
}

/// The `unknown_policy` error (the id asked for is not quoted).
pub(crate) fn unknown() -> Error {
    Error::UnknownPolicy {
        at: Location::path("$.policy"),
    }
}
