//! Turns the built-in presets (`presets/*.toml`, written for people) into
//! compact JSON in `OUT_DIR`, which the library embeds and loads: JSON is
//! read by the same deserializer as requests, faster than TOML, and the
//! conversion is the one the library applies to any TOML policy
//! (`src/policy/toml_json.rs`, included here). A deflated copy is written
//! for the WebAssembly build. The TOML text is embedded too, for
//! `presets::source`.

#[path = "src/policy/toml_json.rs"]
#[allow(dead_code)]
mod toml_json;

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=src/policy/toml_json.rs");
    println!("cargo:rerun-if-changed=presets");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let entries = std::fs::read_dir("presets").expect("reading presets/");
    for entry in entries {
        let path = entry.expect("reading presets/").path();
        let (Some(id), Some("toml")) = (
            path.file_stem().and_then(|s| s.to_str()),
            path.extension().and_then(|s| s.to_str()),
        ) else {
            continue;
        };
        let source = path.display().to_string();
        println!("cargo:rerun-if-changed={source}");
        let text =
            std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("reading {source}: {e}"));
        let root = toml::de::DeTable::parse(&text)
            .unwrap_or_else(|e| panic!("{source} is not valid TOML: {e}"));
        let json = toml_json::to_json(&root)
            .unwrap_or_else(|e| panic!("{source}: {} at byte {}", e.message, e.span.start));
        let deflated = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 10);
        std::fs::write(Path::new(&out).join(format!("{id}.json.deflate")), deflated)
            .unwrap_or_else(|e| panic!("writing {id}.json.deflate: {e}"));
        std::fs::write(Path::new(&out).join(format!("{id}.json")), json)
            .unwrap_or_else(|e| panic!("writing {id}.json: {e}"));
    }
}
