//! The policies compiled into the library.
//!
//! Each preset is a TOML file under `core/presets/`, named `NN-<id>.toml`;
//! the build script finds them (adding a school is adding one file), lists
//! them in the order of their names and turns each into compact JSON (the
//! conversion every TOML policy goes through, see `toml_json`), which is
//! embedded; the engine parses it once, on first use, and later calls share
//! the parsed engine (`Engine::from_preset`). The TOML text is embedded as
//! well, for [`source`]. This module only holds the texts: it imports
//! nothing of the engine.
//! `baseline` encodes national guidance and carries the floor; the school
//! presets extend it.

/// Declares the presets from the list the build script makes of the files
/// in `core/presets/` (`id => file`, in the order of the files' names,
/// baseline first): their ids, their TOML text, and the JSON the build
/// script made of each (deflated in the WebAssembly build, where it is most
/// of the module's size).
macro_rules! presets {
    ($($id:literal => $file:literal),* $(,)?) => {
        /// Preset ids, baseline first.
        pub const IDS: [&str; [$($id),*].len()] = [$($id),*];

        const SOURCES: [&str; IDS.len()] =
            [$(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/presets/", $file))),*];

        #[cfg(not(target_arch = "wasm32"))]
        const JSON: [&str; IDS.len()] =
            [$(include_str!(concat!(env!("OUT_DIR"), "/", $id, ".json"))),*];

        #[cfg(target_arch = "wasm32")]
        const DEFLATED: [&[u8]; IDS.len()] =
            [$(include_bytes!(concat!(env!("OUT_DIR"), "/", $id, ".json.deflate"))),*];
    };
}

// `presets!("baseline" => "00-baseline.toml", ...)`, written by build.rs.
include!(concat!(env!("OUT_DIR"), "/presets.rs"));

/// The JSON text of preset `i` (its place in [`IDS`]): the build script's
/// conversion of its TOML, which the engine parses on first use. (The
/// error, never met with the texts built in, says what went wrong; the
/// engine turns it into an `internal` error.)
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn json(i: usize) -> Result<std::borrow::Cow<'static, str>, &'static str> {
    Ok(std::borrow::Cow::Borrowed(JSON[i]))
}

/// The JSON text of preset `i`, inflated.
#[cfg(target_arch = "wasm32")]
pub(crate) fn json(i: usize) -> Result<std::borrow::Cow<'static, str>, &'static str> {
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(DEFLATED[i], 1 << 22)
        .map_err(|_| "could not be inflated")?;
    let text = String::from_utf8(bytes).map_err(|_| "is not UTF-8")?;
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

/// The national baseline's TOML text, as written: `source("baseline")`
/// without looking the id up. A program that needs only the baseline's
/// text (the policy builder) then carries only that text: indexing by an
/// id known only when the program runs keeps every preset's text in it,
/// about 300 KB, which counts in the WebAssembly module.
pub(crate) fn baseline_source() -> &'static str {
    SOURCES[0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    /// The list the build script made of `core/presets/`: the baseline
    /// first, each id once, each with the file that declares that id, and
    /// each loads under it.
    #[test]
    fn the_baseline_source_is_the_baseline_presets_text() {
        assert_eq!(Some(baseline_source()), source("baseline"));
        assert!(baseline_source().contains("id = \"baseline\""));
    }

    #[test]
    fn every_preset_is_listed_once_with_its_own_file() {
        assert_eq!(IDS[0], "baseline");
        for (i, id) in IDS.iter().enumerate() {
            assert_eq!(index(id), Some(i), "{id} is listed twice");
            let declared = Engine::from_toml(SOURCES[i])
                .unwrap_or_else(|e| panic!("{id}: {e}"))
                .policy()
                .policy
                .id
                .clone();
            assert_eq!(declared, *id);
            let built_in = Engine::from_preset(id).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(built_in.policy().policy.id, *id);
        }
    }
}
