//! Fuzz target `request_json`: arbitrary bytes as a JSON request, through
//! `Engine::evaluate_json` on the baseline engine and on one school preset's
//! engine (picked by the input), and through `evaluate_json_with(None, ..)`
//! (the engine of the preset the request names), every domain reached
//! through the templates of `fuzz/templates.json` (see `common`).
//!
//! Checks: nothing panics; an answer is JSON; an error is JSON and never
//! `internal`; deciding the same text twice gives the same bytes
//! (determinism); `jsonl_line` gives what `evaluate_json` gives.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use safeguard_engine::{evaluate_json_with, jsonl_line, Engine, Error};
use std::collections::HashMap;
use std::sync::LazyLock;

/// Every preset's engine, built once.
static ENGINES: LazyLock<HashMap<&'static str, Engine>> = LazyLock::new(|| {
    let engines: HashMap<_, _> = Engine::presets()
        .iter()
        .map(|&id| (id, Engine::from_preset(id).expect("a preset loads")))
        .collect();
    // The templates' own requests are decided: a template that no longer
    // fits the request schema would waste the run.
    for request in common::base_requests() {
        if let Err(e) = engines["baseline"].evaluate_json(&request) {
            panic!("templates.json: a base request is refused: {e}\n{request}");
        }
    }
    engines
});

/// The wire text of an answer: the response, or the error object.
fn wire(result: &Result<String, Error>) -> String {
    match result {
        Ok(response) => response.clone(),
        Err(e) => e.to_json(),
    }
}

fn check(result: &Result<String, Error>, again: &Result<String, Error>, text: &str) {
    assert_eq!(
        wire(result),
        wire(again),
        "the same request decided twice gave different answers: {text:?}"
    );
    match result {
        Ok(response) => {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(response) {
                panic!("the response is not JSON ({e}): {response}");
            }
        }
        Err(e) => {
            assert_ne!(e.code(), "internal", "an internal error: {e} for {text:?}");
            if let Err(parse) = serde_json::from_str::<serde_json::Value>(&e.to_json()) {
                panic!("the error is not JSON ({parse}): {}", e.to_json());
            }
        }
    }
}

fn decide(engine: &Engine, text: &str) {
    let first = engine.evaluate_json(text);
    check(&first, &engine.evaluate_json(text), text);
    assert_eq!(
        jsonl_line(Some(engine), text, None),
        wire(&first),
        "jsonl_line and evaluate_json disagree on {text:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((school, bytes)) = common::request(data) else {
        return;
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return;
    };
    decide(&ENGINES["baseline"], text);
    decide(&ENGINES[school], text);
    let named = |t: &str| evaluate_json_with(None, t, None).map(|d| d.to_json());
    check(&named(text), &named(text), text);
});
