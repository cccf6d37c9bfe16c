//! # safeguard-wasm: the engine for JavaScript
//!
//! The engine compiled to WebAssembly with wasm-bindgen, for a plain web
//! page and for Node (the npm package in `bindings/js/` wraps the build).
//! It is the same surface as the C ABI (`ffi/`) and the Python module
//! (`bindings/python/`): an engine built from a preset or a policy
//! document, JSON in and out, image metadata, and one kind of error
//! carrying the engine's stable `code` and JSON `path`.
//!
//! It is built twice (bindings/js/build.sh): without features, the main
//! module a school website or the consent checker loads (engines, decisions,
//! explanations, image metadata), which SPEC §9 holds to 400 KB gzipped;
//! with the feature `authoring`, the same plus the analyses and the policy
//! builder (`src/authoring.rs` says why they are apart).
//!
//! ## Why it is built this way
//!
//! - **One decision path.** Every answer is the engine's `json` module's
//!   (`json::evaluate`, `json::evaluate_list` for `evaluateMany`,
//!   `json::lint`, `json::presets`, ...), so the text `evaluateJson`
//!   returns is byte for byte what the Rust API, the CLI, the C ABI and
//!   Python give for the same request (SPEC §1.7), and a list stops at the
//!   same request.
//! - **Objects travel as JSON.** `evaluate(object)` writes the object with
//!   the JavaScript engine's own `JSON.stringify` and reads the answer with
//!   `JSON.parse`. Both are native code in every JavaScript engine and
//!   cross the boundary once each; building the answer property by
//!   property from Rust would cross it once per field (and add a
//!   dependency). `evaluateMany` parses all its answers in one
//!   `JSON.parse` call.
//! - **Errors are values, thrown as `Error`s.** Each failure becomes a
//!   JavaScript `Error` named `SafeguardError` with `code`, `path`, `line`,
//!   `column`, `rule` and `json` (the wire error object, the same text as
//!   the C ABI's `sg_last_error`). Arguments JavaScript can get wrong and
//!   Rust cannot (a number where a string belongs) give the code
//!   `invalid_argument`, as in the C ABI and Python: every exported
//!   function takes such an argument as a `JsValue` and checks its type
//!   itself (given a `&str`, wasm-bindgen's glue would read a number as a
//!   pointer and trap). A string holding a lone surrogate is
//!   `invalid_utf8`, as in every binding.
//! - **Objects are checked for what JSON cannot carry.** `JSON.stringify`
//!   writes NaN and Infinity as `null`, which the engine would take as an
//!   unknown fact; a request object holding one is refused with
//!   `invalid_value` at its path (only when the written text has a `null`
//!   is the object walked). An object nested deeper than the engine reads,
//!   or circular, is `too_large`, as in Python.
//! - **No panics.** On `wasm32-unknown-unknown` a panic cannot be caught:
//!   it aborts as a trap (`RuntimeError: unreachable`) and leaves the
//!   module unusable. The core does not panic on any input; this layer
//!   unwraps nothing and indexes nothing (denied below), and refuses
//!   oversized input before copying it into linear memory, where an
//!   allocation failure would also abort.
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use js_sys::{Array, ArrayBuffer, JsString, Object, Reflect, Uint8Array, JSON};
use safeguard_engine::json::{self, ListError, MAX_IMAGE_BYTES, MAX_REQUEST_BYTES};
use safeguard_engine::{Error, Format};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[cfg(feature = "authoring")]
mod authoring;

/// A decision engine: one loaded, validated policy.
///
/// Built by `Engine.fromPreset(id)` or `Engine.fromPolicy(text, format)`.
/// Call `free()` when done to release its memory at once (it is released
/// anyway when the object is garbage-collected, where the JavaScript engine
/// supports `FinalizationRegistry`).
#[wasm_bindgen(js_name = Engine)]
pub struct WasmEngine {
    engine: safeguard_engine::Engine,
}

#[wasm_bindgen(js_class = Engine)]
impl WasmEngine {
    /// The engine of a built-in policy (`"baseline"`, `"hilldene-primary"`,
    /// ...; see `presets()`). Throws `SafeguardError` (`unknown_policy`;
    /// `invalid_argument` for an id that is not a string).
    #[wasm_bindgen(js_name = fromPreset)]
    pub fn from_preset(id: JsValue) -> Result<WasmEngine, JsValue> {
        let id = string_argument(&id, "fromPreset takes a preset id (a string)")
            .and_then(|id| text_of(&id, "policy id"))
            .map_err(thrown)?;
        json::preset(&id)
            .map(|engine| WasmEngine { engine })
            .map_err(thrown)
    }

    /// Loads a policy document, `format` `"toml"` (the default) or
    /// `"json"`, validated and resolved (`extends`, the baseline's floor) as
    /// `safeguard policy check` does. Throws `SafeguardError`
    /// (`invalid_toml`, `invalid_json`, `floor_violation`, ...).
    #[wasm_bindgen(js_name = fromPolicy)]
    pub fn from_policy(text: JsValue, format: JsValue) -> Result<WasmEngine, JsValue> {
        let format = format_argument(&format, Format::Toml).map_err(thrown)?;
        let text = string_argument(&text, "fromPolicy takes the policy document as text")
            .and_then(|text| text_of(&text, "policy"))
            .map_err(thrown)?;
        json::load_policy(&text, format)
            .map(|engine| WasmEngine { engine })
            .map_err(thrown)
    }

    /// The id of the engine's policy.
    #[wasm_bindgen(getter = policyId)]
    pub fn policy_id(&self) -> String {
        self.engine.policy_ref().id.to_string()
    }

    /// The version of the engine's policy.
    #[wasm_bindgen(getter = policyVersion)]
    pub fn policy_version(&self) -> String {
        self.engine.policy_ref().version.to_string()
    }

    /// SHA-256 (hex) of the canonical form of the loaded policy, as every
    /// decision reports it.
    #[wasm_bindgen(getter = policyDigest)]
    pub fn policy_digest(&self) -> String {
        self.engine.policy_ref().digest.to_string()
    }

    /// Decides one JSON request and returns the response text exactly as
    /// the Rust API and the CLI give it (compact JSON).
    #[wasm_bindgen(js_name = evaluateJson)]
    pub fn evaluate_json(&self, request: JsValue) -> Result<String, JsValue> {
        let Some(text) = request.dyn_ref::<JsString>() else {
            return Err(thrown(invalid_argument("evaluateJson takes the request as JSON text (a string); use evaluate for an object")));
        };
        let text = checked_text(text).map_err(thrown)?;
        json::evaluate(&self.engine, &text).map_err(thrown)
    }

    /// Decides one request, an object (written with `JSON.stringify`) or
    /// JSON text, and returns the decision as an object.
    pub fn evaluate(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let response = request_text(&request)
            .and_then(|text| json::evaluate(&self.engine, &text))
            .map_err(thrown)?;
        parse(&response)
    }

    /// Decides one request (an object or JSON text) and explains the
    /// decision in plain English: the engine's `json::explain`, as an
    /// object (the headline, the steps, the questions, the rules with their
    /// citations, and the `text` every binding and the CLI print alike).
    pub fn explain(&self, request: JsValue) -> Result<JsValue, JsValue> {
        parse(&self.explain_json(request)?)
    }

    /// [`explain`](Self::explain) as JSON text, byte for byte what C,
    /// Python and the engine's `json::explain` give.
    #[wasm_bindgen(js_name = explainJson)]
    pub fn explain_json(&self, request: JsValue) -> Result<String, JsValue> {
        match request_text(&request) {
            Ok(text) => json::explain(&self.engine, &text),
            // Too large to read: explained as the engine explains its own
            // refusal of the same text, as C and Python give it.
            Err(e @ Error::TooLarge { .. }) => json::explain_refusal(&e),
            Err(e) => Err(e),
        }
        .map_err(thrown)
    }

    /// Decides many requests (each an object or JSON text), in order, and
    /// returns their decisions as an array of objects.
    ///
    /// The first request that cannot be decided throws `SafeguardError`;
    /// its message starts with `request <index>: ` (0-based) and its
    /// `index` property holds the index. Nothing is returned for the others.
    /// (The engine's `json::evaluate_list`, as Python's `evaluate_many`.)
    #[wasm_bindgen(js_name = evaluateMany)]
    pub fn evaluate_many(&self, requests: JsValue) -> Result<JsValue, JsValue> {
        let Some(requests) = requests.dyn_ref::<Array>() else {
            return Err(thrown(invalid_argument(
                "evaluateMany takes an array of requests",
            )));
        };
        // Each request is written as text only when its turn comes, so the
        // list stops where the engine's does. All answers come back as one
        // JSON array text, parsed in one call.
        let texts = requests.iter().map(|request| request_text(&request));
        let answers = json::evaluate_list(&self.engine, texts).map_err(|e| thrown_in_list(&e))?;
        parse(&answers)
    }
}

/// The ids of the built-in policies, `"baseline"` first, as an array of
/// strings (the engine's `json::presets`).
#[wasm_bindgen]
pub fn presets() -> Result<JsValue, JsValue> {
    parse(&json::presets())
}

/// An error in plain English: a `SafeguardError`'s `json` (or any error
/// envelope the engine writes), answered as the object `explain` gives for
/// a refusal (`kind`, `error`, `headline`, `field`, `expected`, `text`;
/// the engine's `json::explain_error`). Throws `invalid_argument` for
/// text that is no such error.
#[wasm_bindgen(js_name = explainError)]
pub fn explain_error(error: JsValue) -> Result<JsValue, JsValue> {
    let explained = string_argument(&error, "explainError takes an error's JSON text")
        .and_then(|text| text_of(&text, "error"))
        .and_then(|text| json::explain_error(&text))
        .map_err(thrown)?;
    parse(&explained)
}

/// The engine's version, as every decision reports it (`"0.1.0"`).
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    safeguard_engine::ENGINE_VERSION.to_string()
}

/// What an image file (a `Uint8Array`, such as a Node `Buffer`, or an
/// `ArrayBuffer`) says about itself: format, location and identifying
/// metadata (never their values), as an object. Files over 50 MiB throw
/// `too_large`; unreadable ones `invalid_image` or `unsupported_image`.
#[wasm_bindgen(js_name = inspectImage)]
pub fn inspect_image(bytes: JsValue) -> Result<JsValue, JsValue> {
    let info = image_bytes(&bytes)
        .and_then(|bytes| json::inspect_image(&bytes))
        .map_err(thrown)?;
    parse(&info)
}

/// A copy of an image (as for `inspectImage`) without its location
/// metadata, as a new `Uint8Array`; everything else, the compressed pixel
/// data included, is byte-identical.
#[wasm_bindgen(js_name = stripLocation)]
pub fn strip_location(bytes: JsValue) -> Result<Vec<u8>, JsValue> {
    image_bytes(&bytes)
        .and_then(|bytes| json::strip_location(&bytes))
        .map_err(thrown)
}

/// A copy of an image (as for `inspectImage`) without its location metadata
/// and without the metadata that identifies a person or a moment
/// (photographer, owner, copyright, camera and lens serial numbers, dates),
/// as a new `Uint8Array`; everything else, the compressed pixel data
/// included, is byte-identical.
#[wasm_bindgen(js_name = stripIdentifying)]
pub fn strip_identifying(bytes: JsValue) -> Result<Vec<u8>, JsValue> {
    image_bytes(&bytes)
        .and_then(|bytes| json::strip_identifying(&bytes))
        .map_err(thrown)
}

/// A request as JSON text: a string as it is, anything else through
/// `JSON.stringify`, refusing what JSON cannot carry (see the module docs).
fn request_text(request: &JsValue) -> Result<String, Error> {
    if let Some(text) = request.dyn_ref::<JsString>() {
        return checked_text(text);
    }
    let written = match JSON::stringify(request) {
        Ok(written) => written,
        // A cycle, a nesting too deep for the JavaScript stack, a BigInt.
        Err(e) => {
            check_object(request, 0)?;
            return Err(invalid_argument(&format!(
                "the request could not be written as JSON: {}",
                message_of(&e)
            )));
        }
    };
    // `JSON.stringify(undefined)` (or of a function) gives `undefined`.
    let Some(written) = JsValue::from(written).dyn_ref::<JsString>().cloned() else {
        return Err(invalid_argument(
            "the request must be an object or JSON text",
        ));
    };
    let text = checked_text(&written)?;
    // NaN and Infinity are written as `null`: only then can there be one.
    if text.contains("null") {
        check_object(request, 0)?;
    }
    Ok(text)
}

/// Walks a request object as `JSON.stringify` would, to refuse what JSON
/// cannot carry: a number that is NaN or infinite (`invalid_value` at its
/// path) and nesting deeper than the engine reads, which a circular object
/// always reaches (`too_large`). `depth` counts the enclosing objects and
/// arrays.
fn check_object(value: &JsValue, depth: usize) -> Result<(), Error> {
    check_value(value, depth).map_err(|found| match found {
        Found::NotFinite(path) => json::not_a_finite_number(format!("${path}")),
        Found::TooDeep => json::too_deep(),
    })
}

/// What [`check_value`] found; the path is built as the walk returns.
enum Found {
    /// A number that is NaN or infinite, at this path (after `$`).
    NotFinite(String),
    TooDeep,
}

fn check_value(value: &JsValue, depth: usize) -> Result<(), Found> {
    if let Some(n) = value.as_f64() {
        return if n.is_finite() {
            Ok(())
        } else {
            Err(Found::NotFinite(String::new()))
        };
    }
    if !value.is_object() {
        return Ok(());
    }
    if depth >= json::MAX_DEPTH {
        return Err(Found::TooDeep);
    }
    if let Some(array) = value.dyn_ref::<Array>() {
        for (i, item) in array.iter().enumerate() {
            check_value(&item, depth + 1).map_err(|f| f.within(&format!("[{i}]")))?;
        }
        return Ok(());
    }
    for key in Object::keys(value.unchecked_ref::<Object>()).iter() {
        // A getter that throws is `JSON.stringify`'s to report.
        let Ok(item) = Reflect::get(value, &key) else {
            continue;
        };
        let name = key.as_string().unwrap_or_default();
        check_value(&item, depth + 1).map_err(|f| f.within(&format!(".{name}")))?;
    }
    Ok(())
}

impl Found {
    /// The same, found inside the step `step` (`.key` or `[index]`).
    fn within(self, step: &str) -> Found {
        match self {
            Found::NotFinite(path) => Found::NotFinite(format!("{step}{path}")),
            Found::TooDeep => Found::TooDeep,
        }
    }
}

/// A format argument (`"toml"` or `"json"`), `default` when it is left
/// out; anything else is `invalid_argument`.
fn format_argument(format: &JsValue, default: Format) -> Result<Format, Error> {
    if format.is_undefined() || format.is_null() {
        return Ok(default);
    }
    // A format that is not a string is no format's name either.
    json::format(format.as_string().as_deref().unwrap_or_default())
}

/// A string argument, or `invalid_argument` with `message`.
fn string_argument(value: &JsValue, message: &str) -> Result<JsString, Error> {
    value
        .dyn_ref::<JsString>()
        .cloned()
        .ok_or_else(|| invalid_argument(message))
}

/// A string argument as Rust text; a lone surrogate is the engine's
/// `invalid_utf8` for the `what`, at the place the same string written
/// as WTF-8 (Python's `surrogatepass`) would give.
fn text_of(text: &JsString, what: &'static str) -> Result<String, Error> {
    if text.is_valid_utf16() {
        return Ok(String::from(text));
    }
    let mut bytes = Vec::new();
    for unit in char::decode_utf16(text.iter()) {
        match unit {
            Ok(c) => bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            Err(lone) => {
                // The surrogate's three bytes, which UTF-8 forbids.
                let u = lone.unpaired_surrogate();
                bytes.extend_from_slice(&[
                    0xe0 | (u >> 12) as u8,
                    0x80 | ((u >> 6) & 0x3f) as u8,
                    0x80 | (u & 0x3f) as u8,
                ]);
                break;
            }
        }
    }
    json::utf8(&bytes, what).map(|_| String::from(text))
}

/// The string as Rust text, unless it is certainly over the engine's
/// request limit: then the engine's own `too_large` error, without first
/// copying a huge string into linear memory. (A string of `n` UTF-16 code
/// units is at least `n` bytes of UTF-8.) A lone surrogate is
/// `invalid_utf8`.
fn checked_text(text: &JsString) -> Result<String, Error> {
    if text.length() as usize > MAX_REQUEST_BYTES {
        return Err(json::too_large(utf8_len(text)));
    }
    text_of(text, "request")
}

/// The length in bytes of the UTF-8 text wasm-bindgen would give for the
/// string (a lone surrogate becomes U+FFFD, 3 bytes).
fn utf8_len(text: &JsString) -> usize {
    let mut n = 0;
    let mut units = text.iter().peekable();
    while let Some(u) = units.next() {
        n += match u {
            0..=0x7f => 1,
            0x80..=0x7ff => 2,
            0xd800..=0xdbff if units.peek().is_some_and(|l| (0xdc00..=0xdfff).contains(l)) => {
                units.next();
                4
            }
            _ => 3,
        };
    }
    n
}

/// The bytes of a `Uint8Array` or `ArrayBuffer`, copied into linear memory
/// (refused with the engine's `too_large` error when over its limit).
fn image_bytes(value: &JsValue) -> Result<Vec<u8>, Error> {
    let array = if let Some(a) = value.dyn_ref::<Uint8Array>() {
        a.clone()
    } else if let Some(b) = value.dyn_ref::<ArrayBuffer>() {
        Uint8Array::new(b)
    } else {
        return Err(invalid_argument(
            "the image must be a Uint8Array (or a Node Buffer) or an ArrayBuffer",
        ));
    };
    let len = array.length() as usize;
    if len > MAX_IMAGE_BYTES {
        return Err(json::image_too_large(len));
    }
    Ok(array.to_vec())
}

/// `JSON.parse` of text the engine wrote.
fn parse(text: &str) -> Result<JsValue, JsValue> {
    JSON::parse(text).map_err(|e| {
        // A bug (the engine wrote something that is not JSON).
        thrown(Error::Internal {
            message: message_of(&e),
        })
    })
}

/// An argument JavaScript got wrong: the engine's `invalid_argument`.
fn invalid_argument(message: &str) -> Error {
    Error::InvalidArgument {
        message: message.to_string(),
    }
}

/// The engine's error as a `SafeguardError` to throw.
fn thrown(e: Error) -> JsValue {
    safeguard_error(&e, &e.to_string()).into()
}

/// The error of one request of `evaluateMany` as a `SafeguardError`: the
/// list error's message (`request <index>: ` first) and its `index` as a
/// property.
fn thrown_in_list(e: &ListError) -> JsValue {
    let error = safeguard_error(&e.error, &e.to_string());
    set(&error, "index", &JsValue::from(e.index as f64));
    error.into()
}

/// An `Error` named `SafeguardError` with `message` and the engine error's
/// code, path, line, column and rule as properties (`null` where absent)
/// and `json`, the wire error object (what `Error::to_json` gives).
fn safeguard_error(e: &Error, message: &str) -> js_sys::Error {
    let error = js_sys::Error::new(message);
    error.set_name("SafeguardError");
    let at = e.location();
    let number = |n: Option<usize>| n.map_or(JsValue::NULL, |n| JsValue::from(n as f64));
    let text = |s: Option<&str>| s.map_or(JsValue::NULL, JsValue::from_str);
    set(&error, "code", &JsValue::from_str(e.code()));
    set(&error, "path", &text(e.path()));
    set(&error, "line", &number(at.and_then(|l| l.line)));
    set(&error, "column", &number(at.and_then(|l| l.column)));
    set(&error, "rule", &text(e.rule()));
    set(&error, "json", &JsValue::from_str(&e.to_json()));
    error
}

fn set(target: &js_sys::Error, key: &str, value: &JsValue) {
    // Setting a property on a fresh, ordinary Error object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// The message of a thrown JavaScript value.
fn message_of(thrown: &JsValue) -> String {
    match thrown.dyn_ref::<js_sys::Error>() {
        Some(e) => String::from(e.message()),
        None => thrown
            .as_string()
            .unwrap_or_else(|| "an exception".to_string()),
    }
}
