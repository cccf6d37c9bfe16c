//! Fuzz target `policy`: arbitrary bytes as a policy document, read as TOML
//! and as JSON (`Engine::from_toml` / `from_json`, what the CLI's
//! `--policy FILE` and the C ABI's `sg_engine_from_policy` do: parse,
//! resolve `extends`, check the floor, compile).
//!
//! Checks: nothing panics; an error is JSON and never `internal`; a policy
//! that loads writes itself out as TOML (`policy_toml`, what
//! `safeguard policy show` prints) that loads again to the same policy
//! (same digest); loading is deterministic (same digest twice).
#![no_main]

use libfuzzer_sys::fuzz_target;
use safeguard_engine::{Engine, Format};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for format in [Format::Toml, Format::Json] {
        match Engine::from_text(text, format) {
            Ok(engine) => {
                let digest = &engine.policy_ref().digest;
                let again = Engine::from_text(text, format).expect("loads twice");
                assert_eq!(&again.policy_ref().digest, digest, "two loads differ");
                let toml = engine
                    .policy_toml()
                    .unwrap_or_else(|e| panic!("a loaded policy cannot be written: {e}"));
                match Engine::from_toml(&toml) {
                    Ok(reloaded) => assert_eq!(
                        &reloaded.policy_ref().digest,
                        digest,
                        "the written policy reads back differently:\n{toml}"
                    ),
                    Err(e) => panic!("the written policy does not load: {e}\n{toml}"),
                }
            }
            Err(e) => {
                assert_ne!(e.code(), "internal", "an internal error: {e}");
                if let Err(parse) = serde_json::from_str::<serde_json::Value>(&e.to_json()) {
                    panic!("the error is not JSON ({parse}): {}", e.to_json());
                }
            }
        }
    }
});
