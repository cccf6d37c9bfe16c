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

/// Preset ids, baseline first.
pub const IDS: [&str; 6] = [
    "baseline",
    "squirrels-heath-junior",
    "west-hill-primary",
    "lansbury-lawrence-primary",
    "stanford-junior-infant",
    "hilldene-primary",
];

const SOURCES: [&str; 6] = [
    include_str!("../../presets/baseline.toml"),
    include_str!("../../presets/squirrels-heath-junior.toml"),
    include_str!("../../presets/west-hill-primary.toml"),
    include_str!("../../presets/lansbury-lawrence-primary.toml"),
    include_str!("../../presets/stanford-junior-infant.toml"),
    include_str!("../../presets/hilldene-primary.toml"),
];

/// The presets as the build script wrote them: compact JSON.
const JSON: [&str; 6] = [
    include_str!(concat!(env!("OUT_DIR"), "/baseline.json")),
    include_str!(concat!(env!("OUT_DIR"), "/squirrels-heath-junior.json")),
    include_str!(concat!(env!("OUT_DIR"), "/west-hill-primary.json")),
    include_str!(concat!(env!("OUT_DIR"), "/lansbury-lawrence-primary.json")),
    include_str!(concat!(env!("OUT_DIR"), "/stanford-junior-infant.json")),
    include_str!(concat!(env!("OUT_DIR"), "/hilldene-primary.json")),
];

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
    let i = index(id).ok_or_else(|| unknown(id))?;
    ENGINES[i]
        .get_or_init(|| {
            if i == 0 {
                Engine::build_baseline(JSON[0])
            } else {
                Engine::from_json(JSON[i])
            }
        })
        .clone()
}

/// The `unknown_policy` error for `id`.
pub(crate) fn unknown(id: &str) -> Error {
    Error::UnknownPolicy {
        at: Location::path("$.policy"),
        id: id.to_string(),
    }
}
