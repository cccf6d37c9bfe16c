//! The authoring half of the API (the cargo feature `authoring`, the npm
//! package's `safeguard-engine/authoring` entry): the analyses of a
//! policy (lint, diff, checks, the annual review) and the policy builder
//! (its questions, the people and bodies it names, building a policy from
//! a school's answers, reading an answers file back).
//!
//! A school website or the consent checker page decides requests and
//! never authors a policy, so the main module leaves this out: the builder
//! (with the national baseline's TOML text it restates), the devices
//! analyses and the review add a third to the module's bytes (BENCHMARKS.md,
//! "The size of the .wasm"), and SPEC §9 holds the main module to 400 KB
//! gzipped. The module built with this feature is the main one plus what
//! is here.

use super::{
    checked_text, format_argument, invalid_argument, parse, request_text, string_argument, thrown,
    WasmEngine,
};
use safeguard_engine::json::{self, Layout};
use safeguard_engine::{AnalysisLimits, Engine, Format};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_class = Engine)]
impl WasmEngine {
    /// The lint report of the policy's devices rules (contradictions,
    /// shadowed rules, uncovered requests, allows reaching into the floor):
    /// what `safeguard lint --json` prints, as an object. Throws a
    /// `SafeguardError` with code `too_complex` when the rules cut the
    /// request space too finely to analyse within the default limits (1 GiB,
    /// less than a WebAssembly memory can hold), rather than trapping.
    pub fn lint(&self) -> Result<JsValue, JsValue> {
        let report = json::lint(&self.engine, &AnalysisLimits::default(), Layout::Compact)
            .map_err(thrown)?;
        parse(&report)
    }

    /// What this policy allows that `other` (another `Engine`) denies, and
    /// the reverse, over the devices rules: what `safeguard diff --json`
    /// prints, as an object. Throws `too_complex` as `lint` does, and
    /// `invalid_argument` when `other` is not an `Engine`.
    pub fn diff(&self, other: &WasmEngine) -> Result<JsValue, JsValue> {
        compared(self, other, json::diff)
    }

    /// The lint of the policy's devices rules and their diff against
    /// `other` (another `Engine`, national guidance for the builder page),
    /// line by line in plain English with no rule id, token or field name:
    /// `{ findings: [{ kind, text }], differences: [{ side, text }] }`,
    /// `side` `"policy"` for what this policy allows and `other` refuses,
    /// `"other"` for the reverse (the engine's `json::checks`). Throws
    /// `too_complex` as `lint` does.
    pub fn checks(&self, other: &WasmEngine) -> Result<JsValue, JsValue> {
        compared(self, other, json::checks)
    }

    /// The annual review of the policy, for governors and the DSL: what
    /// `safeguard review` reports (national changes since the policy's date
    /// and whether its own text touches on them, where it is stricter than
    /// national guidance or allows more, its own rules, the national
    /// defaults it relies on or sets aside, lint's contradictions and
    /// gaps), as an object with the report's `markdown` and printable
    /// `html` (every string escaped by the engine; the engine's
    /// `json::review`). Throws `too_complex` as `lint` does.
    pub fn review(&self) -> Result<JsValue, JsValue> {
        let report = json::review(&self.engine, &AnalysisLimits::default(), Layout::Compact)
            .map_err(thrown)?;
        parse(&report)
    }
}

/// The policy builder's question model, as an array of objects (the
/// engine's `json::questions`): each question's id, domain, prompt, help,
/// national default, the question its year groups narrow, and its
/// choices with their labels.
#[wasm_bindgen]
pub fn questions() -> Result<JsValue, JsValue> {
    parse(&json::questions())
}

/// The people and the local bodies a school may name in its answers
/// file's `roles` and `bodies` (the engine's `json::contacts`), as an
/// object `{people, bodies}`: each a list of `{who, label}`, the `Who`
/// token and its name in words.
#[wasm_bindgen]
pub fn contacts() -> Result<JsValue, JsValue> {
    parse(&json::contacts())
}

/// The policy TOML a school's answers build (an answers file as JSON
/// text, or an object written with `JSON.stringify`), loaded and checked
/// as `safeguard policy new --answers` does (the engine's
/// `json::build_policy`). Throws `SafeguardError` (`invalid_value` at the
/// answer's path, `missing_field`, `floor_violation`, ...).
#[wasm_bindgen(js_name = buildPolicy)]
pub fn build_policy(answers: JsValue) -> Result<String, JsValue> {
    if !(answers.is_string() || answers.is_object()) {
        return Err(thrown(invalid_argument(
            "buildPolicy takes an answers file: an object or JSON text",
        )));
    }
    request_text(&answers)
        .and_then(|text| json::build_policy(&text, Format::Json))
        .map_err(thrown)
}

/// An answers file, TOML or JSON text (`format` `"toml"` or `"json"`, the
/// default), read as the builder reads it and given back as an object:
/// what a page reopening a school's file works on (the engine's
/// `json::read_answers`). Only its shape is checked; `buildPolicy` checks
/// the answers. Throws `SafeguardError` (`invalid_toml`, `invalid_json`,
/// `missing_field`, ... at the file's path).
#[wasm_bindgen(js_name = readAnswers)]
pub fn read_answers(text: JsValue, format: JsValue) -> Result<JsValue, JsValue> {
    let format = format_argument(&format, Format::Json).map_err(thrown)?;
    let read = string_argument(&text, "readAnswers takes an answers file as text")
        .and_then(|text| checked_text(&text))
        .and_then(|text| json::read_answers(&text, format))
        .map_err(thrown)?;
    parse(&read)
}

/// The report `compare` (`json::diff` or `json::checks`) writes of `policy`
/// against `other` within the default limits, as an object.
fn compared(
    policy: &WasmEngine,
    other: &WasmEngine,
    compare: impl FnOnce(&Engine, &Engine, &AnalysisLimits, Layout) -> safeguard_engine::Result<String>,
) -> Result<JsValue, JsValue> {
    let report = compare(
        &policy.engine,
        &other.engine,
        &AnalysisLimits::default(),
        Layout::Compact,
    )
    .map_err(thrown)?;
    parse(&report)
}
