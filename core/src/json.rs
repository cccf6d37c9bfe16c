//! The one JSON API: what every binding calls.
//!
//! The C ABI (`ffi/`), WebAssembly (`wasm/`), Python (`bindings/python/`)
//! and the CLI (`cli/`) are shells: each turns its own kind of argument
//! (a pointer and a length, a JavaScript value, a Python object, a file)
//! into text or bytes, calls a function of this module, and hands back the
//! text it returns, or the error, in its own way (a result number, a
//! thrown `SafeguardError`, an exit code). So a binding cannot answer
//! differently from another: the parsing of an argument (a policy
//! [`format()`]), the reading of JSON Lines ([`evaluate_many`]), the answer
//! to a list of requests and where it stops ([`evaluate_list`]), the JSON of
//! a report ([`lint`], [`diff`], [`checks`], [`review`], [`inspect_image`],
//! [`presets()`]), the policy builder's question model and build
//! ([`questions()`], [`contacts()`], [`build_policy`]), the size limits and the error
//! envelope are written here once. (This is Cedar's way: `cedar-policy`'s
//! `ffi` module of JSON calls, which `cedar-wasm` re-exports.)
//!
//! Every function takes text or bytes and returns the response JSON as a
//! `String`, or an [`Error`] whose [`Error::to_json`] is the one error
//! envelope, `{"schema_version":1,"error":{"code",...}}`: its code is an
//! [`ErrorCode`], whose stable number the C ABI returns. A
//! failure that is a binding's own (a null pointer, a file that cannot be
//! read) is written in the same envelope by
//! [`WireError::of_code`](crate::WireError::of_code).
//!
//! The engine itself is a handle ([`Engine`]): loaded once
//! ([`load_policy`], [`preset`]) and kept by the binding, since loading a
//! policy costs far more than deciding a request.
//!
//! Explanations in plain English ([`explain`], issue 23) are a function of
//! this module too, beside [`evaluate`]: the same request, answered as the
//! [`Explanation`](crate::Explanation) of its decision
//! (`{"schema_version":1,"kind":"decision",...}`), or, for a request that cannot be decided,
//! as its error object unchanged with the error in words
//! (`{"schema_version":1,"kind":"refused","error":{...},"headline","field","expected","text"}`,
//! see [`explain`]). A refusal is an answer here, not a failure: a person
//! asked what to do, and the answer is which field to put right. A binding
//! that already holds an error explains it with [`explain_error`].
//!
//! ```
//! use safeguard_engine::json;
//!
//! let engine = json::preset("hilldene-primary")?;
//! let response = json::evaluate(&engine, r#"{"domain": "sexting", "incident_date": "2025-01-20",
//!     "young_people": [{"id": "a", "age": 15, "role": "subject"}],
//!     "facts": {"adult_involved": "no", "coercion_blackmail_or_grooming": "yes"}}"#)?;
//! assert!(response.contains(r#""outcome":"refer_immediately""#));
//!
//! // An error's JSON is the envelope every binding gives.
//! let error = json::evaluate(&engine, r#"{"domain": "devices", "colour": "red"}"#).unwrap_err();
//! assert!(error.to_json().contains(r#""code":"unknown_field""#));
//! # Ok::<(), safeguard_engine::Error>(())
//! ```

use crate::decision::Decision;
use crate::devices::budget::AnalysisLimits;
use crate::error::{Error, ErrorCode, Location, Result, WireError};
use crate::explain_error::{explain_code, input_named, input_of, ErrorExplanation, Input};
use crate::images::metadata;
use crate::policy::load::Format;
use crate::policy::presets;
use crate::request::Request;
use crate::vocab::Domain;
use crate::Engine;
use serde::Serialize;

// The checks a binding or the CLI makes on text before it reaches a call
// here (bytes to UTF-8, the size limits, a whole file being JSON), so that
// every front end refuses the same input with the same error.
pub use crate::policy::load::MAX_POLICY_BYTES;
pub use crate::wire::input::{
    check_json, not_a_finite_number, too_deep, too_large, utf8, MAX_DEPTH, MAX_REQUEST_BYTES,
};

/// The engine's error for a serde data error's `message`, found at `at`:
/// `unknown field` is `unknown_field` at its object; `missing field` and
/// `duplicate field` are `missing_field` and `duplicate_field` at the field
/// (`at`'s path extended by its name); a message from one of the engine's
/// date types is `invalid_date`; anything else is `invalid_value`, in the
/// words the engine's own reader uses, with nothing the message quoted from
/// the input kept (an unknown token, a wrong string). The engine maps its
/// TOML parser's messages this way; the serde reference reader the engine's
/// JSON reader is tested against (`tests/src/oracle/`) maps serde_json's,
/// so that the two readers' errors can be compared.
pub fn error_from_serde_message(at: Location, message: &str) -> Error {
    crate::wire::input::from_message(at, message)
}

/// The largest image [`inspect_image`], [`strip_location`] and
/// [`strip_identifying`] read, in
/// bytes (50 MiB). A binding may refuse a larger one before copying it,
/// with [`image_too_large`].
pub const MAX_IMAGE_BYTES: usize = metadata::DEFAULT_MAX_IMAGE_BYTES;

/// The `too_large` error of an image of `bytes` bytes, over
/// [`MAX_IMAGE_BYTES`]: what [`inspect_image`] gives for it.
pub fn image_too_large(bytes: usize) -> Error {
    metadata::too_large(bytes, MAX_IMAGE_BYTES)
}

/// What the bindings say of a policy format they do not know.
const FORMATS: &str = "the policy format is \"toml\" (the default) or \"json\"";

/// The policy format named `name`: `"toml"` or `"json"`, else
/// `invalid_argument`. The one place a format is read from a string (the
/// JavaScript and Python `fromPolicy`/`from_policy`).
pub fn format(name: &str) -> Result<Format> {
    match name {
        "toml" => Ok(Format::Toml),
        "json" => Ok(Format::Json),
        _ => Err(Error::InvalidArgument {
            message: FORMATS.into(),
        }),
    }
}

/// The policy format numbered `number` by the C ABI's `sg_format`: 0 TOML,
/// 1 JSON, else `invalid_argument`.
pub fn format_numbered(number: u32) -> Result<Format> {
    match number {
        0 => Ok(Format::Toml),
        1 => Ok(Format::Json),
        other => Err(Error::InvalidArgument {
            message: format!("unknown policy format {other}: 0 is TOML, 1 is JSON"),
        }),
    }
}

/// The engine of a built-in policy (`"baseline"`, ...; see [`presets()`]).
///
/// ```
/// let engine = safeguard_engine::json::preset("baseline")?;
/// assert_eq!(&*engine.policy_ref().id, "baseline");
/// # Ok::<(), safeguard_engine::Error>(())
/// ```
pub fn preset(id: &str) -> Result<Engine> {
    Engine::from_preset(id)
}

/// Loads a policy document: parsed, resolved (`extends`) and checked
/// against the baseline's floor (see [`Engine::from_text`]). The format
/// comes from a binding's argument through [`format()`].
///
/// ```
/// use safeguard_engine::json;
///
/// let policy = r#"{"policy": {"id": "my-school", "name": "My School", "version": "2026-09",
///     "source": "My School, Online Safety Policy, September 2026", "extends": "baseline"}}"#;
/// let engine = json::load_policy(policy, json::format("json")?)?;
/// assert_eq!(&*engine.policy_ref().id, "my-school");
///
/// let error = json::load_policy("[policy", json::format("toml")?).unwrap_err();
/// assert_eq!(error.code(), "invalid_toml");
/// assert!(error.location().and_then(|at| at.line).is_some());
/// # Ok::<(), safeguard_engine::Error>(())
/// ```
pub fn load_policy(text: &str, format: Format) -> Result<Engine> {
    Engine::from_text(text, format)
}

/// [`load_policy`] of a document given as bytes: bytes that are not UTF-8
/// are `invalid_utf8` at the first bad byte.
pub fn load_policy_bytes(bytes: &[u8], format: Format) -> Result<Engine> {
    Engine::from_bytes(bytes, format)
}

/// Decides one JSON request: the response JSON, byte for byte the same
/// from every binding (see the [module](self) example).
pub fn evaluate(engine: &Engine, request: &str) -> Result<String> {
    engine.evaluate_json(request)
}

/// Decides one JSON request and explains the answer in plain English: one
/// JSON object, `schema_version` first (the wire format's, as every answer
/// carries it), whose `kind` says which of two shapes it is.
///
/// - `"kind":"decision"`: the request was decided; the rest is the
///   [`Explanation`](crate::Explanation) of its decision (the headline, the
///   steps, the questions, the rules and their citations), the `text`
///   that `safeguard eval --explain` prints and the same as `markdown`.
/// - `"kind":"refused"`: the request could not be decided. `error` is the
///   error object exactly as [`evaluate`]'s error envelope carries it
///   (`{"code","message","path"?,"line"?,"column"?,"rule"?}`), for
///   programs; `headline`, `field` (the field in words, "the date of birth
///   of young person 1"), `expected` (what belongs there, in words) and
///   `text` (one paragraph) are the
///   [`ErrorExplanation`], for people.
///
/// So a program reads `error` from a refusal here as from the envelope,
/// and a binding passes this text through unchanged. `Err` only for a
/// fault of the engine's own (an answer it could not write).
///
/// ```
/// use safeguard_engine::json;
///
/// let engine = json::preset("hilldene-primary")?;
/// let decided = json::explain(&engine, r#"{"domain": "sexting", "incident_date": "2025-01-20",
///     "young_people": [{"id": "a", "age": 15, "role": "subject"}],
///     "facts": {"adult_involved": "no", "coercion_blackmail_or_grooming": "yes"}}"#)?;
/// assert!(decided.starts_with(r#"{"schema_version":1,"kind":"decision""#));
///
/// let refused = json::explain(&engine, r#"{"domain": "sexting", "incident_date": "2025-02-30",
///     "young_people": [{"id": "a", "age": 15, "role": "subject"}],
///     "facts": {"adult_involved": "no"}}"#)?;
/// assert!(refused.starts_with(r#"{"schema_version":1,"kind":"refused","error":{"code":"invalid_date""#));
/// assert!(refused.contains(r#""path":"$.incident_date""#));
/// # Ok::<(), safeguard_engine::Error>(())
/// ```
pub fn explain(engine: &Engine, request: &str) -> Result<String> {
    match evaluate_json_with(Some(engine), request, None) {
        Ok(decision) => {
            let explanation = decision.explain();
            let text = explanation.to_text();
            let markdown = explanation.to_markdown();
            let explained = Explained {
                schema_version: crate::SCHEMA_VERSION,
                kind: "decision",
                explanation: &explanation,
                text: &text,
                markdown: &markdown,
            };
            to_json(&explained, Layout::Compact)
        }
        Err(error) => explain_refusal(&error),
    }
}

/// The JSON [`explain`] gives for a request refused before it reached the
/// engine, by a binding's own checks on what it was handed (a text over
/// [`MAX_REQUEST_BYTES`], say): the same `"kind":"refused"` answer the
/// engine gives when it refuses the request itself, so that every binding
/// explains the same input the same way.
pub fn explain_refusal(error: &Error) -> Result<String> {
    refused(&error.to_wire(), &error.explain_as(Input::Request))
}

/// The JSON of [`explain`] for a decision: the explanation's fields, its
/// text and its Markdown.
#[derive(Serialize)]
struct Explained<'a> {
    schema_version: u32,
    kind: &'static str,
    #[serde(flatten)]
    explanation: &'a crate::Explanation,
    text: &'a str,
    markdown: &'a str,
}

/// The JSON of [`explain`] and [`explain_error`] for an error: the wire
/// error object and its words.
#[derive(Serialize)]
struct Refused<'a> {
    schema_version: u32,
    kind: &'static str,
    error: &'a WireError<'a>,
    headline: &'a str,
    field: &'a str,
    expected: &'a str,
    text: &'a str,
}

/// `{"kind":"refused","error":{...},"headline",...}` of `error` explained
/// as `words`.
fn refused(error: &WireError<'_>, words: &ErrorExplanation) -> Result<String> {
    let answer = Refused {
        schema_version: crate::SCHEMA_VERSION,
        kind: "refused",
        error,
        headline: &words.headline,
        field: &words.field,
        expected: &words.expected,
        text: &words.text,
    };
    to_json(&answer, Layout::Compact)
}

/// The plain-English explanation of an error a binding already holds: its
/// JSON, the one envelope (`{"schema_version":1,"error":{...}}`) or the
/// error object alone, from the engine or a binding's own
/// ([`WireError::of_code`](crate::WireError::of_code)). The answer is
/// [`explain`]'s `"kind":"refused"` object, its `error` the error object as
/// given. What was being read (a request, a policy, an image) is told from
/// the error itself ([`crate::Error::input`]). Text that is no such error is
/// `invalid_argument`.
///
/// ```
/// use safeguard_engine::json;
///
/// let engine = json::preset("baseline")?;
/// let error = json::evaluate(&engine, r#"{"domain": "devices", "colour": "red"}"#).unwrap_err();
/// let words = json::explain_error(&error.to_json())?;
/// assert!(words.starts_with(r#"{"schema_version":1,"kind":"refused","error":{"code":"unknown_field""#));
/// assert!(words.contains(r#""text":""#));
/// # Ok::<(), safeguard_engine::Error>(())
/// ```
pub fn explain_error(error_json: &str) -> Result<String> {
    let not_an_error = || Error::InvalidArgument {
        message: "explain_error takes an error as the engine writes it: \
                  {\"schema_version\":1,\"error\":{\"code\",\"message\",...}}"
            .into(),
    };
    let value: serde_json::Value = serde_json::from_str(error_json).map_err(|_| not_an_error())?;
    let object = value.get("error").unwrap_or(&value);
    let text = |name: &str| object.get(name).and_then(serde_json::Value::as_str);
    let number = |name: &str| {
        object
            .get(name)
            .and_then(serde_json::Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
    };
    let code = text("code")
        .and_then(ErrorCode::from_wire)
        .ok_or_else(not_an_error)?;
    let message = text("message").ok_or_else(not_an_error)?;
    let wire = WireError {
        code: code.as_str(),
        message: message.to_string(),
        path: text("path"),
        line: number("line"),
        column: number("column"),
        rule: text("rule"),
    };
    let at = Location {
        path: wire.path.map(str::to_string),
        line: wire.line,
        column: wire.column,
    };
    let input = match code {
        ErrorCode::InvalidJson | ErrorCode::InvalidUtf8 | ErrorCode::TooLarge => {
            input_named(message, wire.path)
        }
        _ => input_of(code, wire.path),
    };
    refused(&wire, &explain_code(code, Some(&at), input))
}

/// [`evaluate`] of a request given as bytes: bytes that are not UTF-8 are
/// `invalid_utf8` at the first bad byte.
pub fn evaluate_bytes(engine: &Engine, request: &[u8]) -> Result<String> {
    engine.evaluate_json_bytes(request)
}

/// Decides a JSON request against `engine`, or, when `engine` is `None`,
/// against the preset the request names in its `policy` field. `domain`
/// supplies the domain when the request leaves it out; a request that names
/// another domain is refused (`invalid_value` at `$.domain`).
///
/// ```
/// use safeguard_engine::{json, Outcome};
///
/// // No engine: the request names its policy.
/// let decision = json::evaluate_json_with(None, r#"{"policy": "stanford-junior-infant",
///     "domain": "escalation", "category": "indecent_images", "concern_about": "unknown",
///     "flags": {"illegal_material": true}, "reported_at": "2026-03-06T16:45"}"#, None)?;
/// assert_eq!(decision.outcome, Outcome::Notify);
/// assert_eq!(&*decision.policy.id, "stanford-junior-infant");
///
/// // No engine, and no policy named: refused, never decided under a guess.
/// let error = json::evaluate_json_with(None, r#"{"domain": "escalation",
///     "category": "cyberbullying", "concern_about": "pupil",
///     "reported_at": "2026-03-04T10:15"}"#, None).unwrap_err();
/// assert_eq!((error.code(), error.path()), ("missing_field", Some("$.policy")));
/// # Ok::<(), safeguard_engine::Error>(())
/// ```
pub fn evaluate_json_with(
    engine: Option<&Engine>,
    text: &str,
    domain: Option<Domain>,
) -> Result<Decision> {
    let request = Request::from_json(text, domain)?;
    match engine {
        Some(engine) => engine.evaluate(&request),
        None => {
            let id = request.policy().ok_or_else(|| Error::MissingField {
                at: Location::path("$.policy"),
                field: "policy".into(),
            })?;
            Engine::from_preset(id)?.evaluate(&request)
        }
    }
}

/// One line of JSON Lines output for one line of input: the response, or
/// the error envelope for a line that could not be decided.
pub fn jsonl_line(engine: Option<&Engine>, line: &str, domain: Option<Domain>) -> String {
    match evaluate_json_with(engine, line, domain) {
        Ok(decision) => decision.to_json(),
        Err(e) => e.to_json(),
    }
}

/// Decides JSON Lines: one request per line in, one line out per line, in
/// order, each ending in `\n` (the contract of `safeguard eval --jsonl`).
/// Line *n* of the output always answers line *n* of the input, so nothing
/// is skipped: a blank line, a line of bad JSON or a line that is not UTF-8
/// gets its error envelope on its line. One final `\n` ends the input
/// (it starts no further line); a `\r` before a `\n` is dropped; empty
/// input has no lines.
///
/// ```
/// use safeguard_engine::json;
///
/// let engine = json::preset("baseline")?;
/// let input = concat!(
///     r#"{"domain": "escalation", "category": "cyberbullying", "concern_about": "pupil", "reported_at": "2026-03-04T10:15"}"#,
///     "\n",
///     "not json\n",
/// );
/// let output = json::evaluate_many(&engine, input.as_bytes());
/// let lines: Vec<&str> = output.lines().collect();
/// assert!(lines[0].contains(r#""outcome":"notify""#));
/// assert!(lines[1].contains(r#""code":"invalid_json""#));
/// assert_eq!(lines.len(), 2);
/// # Ok::<(), safeguard_engine::Error>(())
/// ```
pub fn evaluate_many(engine: &Engine, input: &[u8]) -> String {
    let mut response = String::with_capacity(input.len().saturating_mul(4));
    if input.is_empty() {
        return response;
    }
    let body = input.strip_suffix(b"\n").unwrap_or(input);
    for line in body.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        match crate::wire::input::utf8(line, "request") {
            Ok(line) => response.push_str(&jsonl_line(Some(engine), line, None)),
            Err(e) => response.push_str(&e.to_json()),
        }
        response.push('\n');
    }
    response
}

/// A request of a list that was not decided ([`evaluate_list`]): its place
/// in the list and why. Shown as `request <index>: ` and the error's
/// message, the message the WebAssembly and Python bindings give; its
/// [`error`](Self::error)'s JSON is the one envelope, as for one request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("request {index}: {error}")]
pub struct ListError {
    /// The request's place in the list, counted from 0.
    pub index: usize,
    /// Why it was not decided: the engine's error, or the error a binding
    /// met turning the request into text.
    pub error: Error,
}

/// Decides a list of requests, in order, and answers with one JSON array of
/// their responses (`[]` for an empty list): the WebAssembly
/// `evaluateMany` and the Python `evaluate_many`. (The C ABI takes JSON
/// Lines instead: [`evaluate_many`].)
///
/// Each item is a request's JSON text, or the error a binding met turning
/// its argument into text (a JavaScript `undefined`, a Python float that is
/// NaN). The list stops at its first item that is such an error or that
/// cannot be decided, answered as a [`ListError`] with that item's index;
/// nothing is answered for the others. So every binding refuses a list at
/// the same request, whichever kind of failure comes first.
///
/// ```
/// use safeguard_engine::json;
///
/// let engine = json::preset("baseline")?;
/// let escalation = r#"{"domain": "escalation", "category": "cyberbullying",
///     "concern_about": "pupil", "reported_at": "2026-03-04T10:15"}"#;
/// let answers = json::evaluate_list(&engine, [Ok(escalation), Ok(escalation)]).map_err(|e| e.error)?;
/// assert!(answers.starts_with(r#"[{"schema_version":1"#));
///
/// let refused = json::evaluate_list(&engine, [Ok(escalation), Ok("{}"), Ok(escalation)]).unwrap_err();
/// assert_eq!(refused.index, 1);
/// assert_eq!(refused.error.code(), "missing_field");
/// # Ok::<(), safeguard_engine::Error>(())
/// ```
pub fn evaluate_list<T: AsRef<str>>(
    engine: &Engine,
    requests: impl IntoIterator<Item = Result<T, Error>>,
) -> std::result::Result<String, ListError> {
    let mut answers = String::from("[");
    for (index, request) in requests.into_iter().enumerate() {
        let response = request
            .and_then(|text| evaluate(engine, text.as_ref()))
            .map_err(|error| ListError { index, error })?;
        if index > 0 {
            answers.push(',');
        }
        answers.push_str(&response);
    }
    answers.push(']');
    Ok(answers)
}

/// How a report is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One line, no spaces: what the bindings return.
    Compact,
    /// Indented, one field a line, with a final newline: what the CLI's
    /// `--json` prints for people who read it too.
    Pretty,
}

/// A report as JSON in `layout`.
fn to_json(report: &impl Serialize, layout: Layout) -> Result<String> {
    let written = match layout {
        Layout::Compact => serde_json::to_string(report),
        Layout::Pretty => serde_json::to_string_pretty(report).map(|mut text| {
            text.push('\n');
            text
        }),
    };
    written.map_err(|e| Error::Internal {
        message: format!("the report could not be serialised: {e}"),
    })
}

/// The lint report of the engine's devices rules (see [`Engine::lint`]),
/// within `limits`: `too_complex` when the rules cut the request space too
/// finely to analyse within them.
pub fn lint(engine: &Engine, limits: &AnalysisLimits, layout: Layout) -> Result<String> {
    to_json(&engine.lint_within(limits)?, layout)
}

/// What policy `a` allows that `b` denies, and the reverse (see
/// [`Engine::diff`]), within `limits`.
pub fn diff(a: &Engine, b: &Engine, limits: &AnalysisLimits, layout: Layout) -> Result<String> {
    to_json(&a.diff_within(b, limits)?, layout)
}

/// The lint of `policy`'s devices rules and their diff against `other`'s,
/// within `limits`, in plain English line by line (see
/// [`crate::review::Checks`]): `{"findings":[{"kind","text"}],
/// "differences":[{"side","text"}]}`, the same findings and differences as
/// [`lint`] and [`diff`] give, worded as `safeguard lint` and `safeguard
/// diff` print them but with no rule id. What the builder page previews.
///
/// ```
/// use safeguard_engine::json;
/// use safeguard_engine::AnalysisLimits;
///
/// let school = json::preset("hilldene-primary")?;
/// let national = json::preset("baseline")?;
/// let words = json::checks(&school, &national, &AnalysisLimits::default(), json::Layout::Compact)?;
/// assert!(words.starts_with(r#"{"findings":["#));
/// assert!(words.contains(r#""side":"other","text":""#));
/// assert!(!words.contains('`'));
/// # Ok::<(), safeguard_engine::Error>(())
/// ```
pub fn checks(
    policy: &Engine,
    other: &Engine,
    limits: &AnalysisLimits,
    layout: Layout,
) -> Result<String> {
    let lint = policy.lint_within(limits)?;
    let diff = policy.diff_within(other, limits)?;
    to_json(&crate::review::checks(policy, other, &lint, &diff), layout)
}

/// The annual review of the engine's policy (see [`Engine::review`]) as
/// JSON, within `limits`: the typed report, with its `markdown` and its
/// printable `html`, for a binding or the builder page to show.
pub fn review(engine: &Engine, limits: &AnalysisLimits, layout: Layout) -> Result<String> {
    let report = engine.review_within(limits)?;
    #[derive(Serialize)]
    struct WithText<'a> {
        #[serde(flatten)]
        report: &'a crate::review::Review,
        markdown: String,
        html: String,
    }
    to_json(
        &WithText {
            markdown: report.to_markdown(),
            html: report.to_html(),
            report: &report,
        },
        layout,
    )
}

/// How [`review_as`] writes the annual review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewFormat {
    /// [`review`]'s JSON, compact: the typed report with its `markdown`
    /// and `html`.
    Json,
    /// The report as Markdown (what `safeguard review` prints).
    Markdown,
    /// The report as a self-contained printable HTML page (what
    /// `safeguard review --html` prints).
    Html,
}

/// The review format numbered `number` by the C ABI's
/// `sg_review_format`: 0 JSON, 1 Markdown, 2 HTML, else
/// `invalid_argument`.
pub fn review_format_numbered(number: u32) -> Result<ReviewFormat> {
    match number {
        0 => Ok(ReviewFormat::Json),
        1 => Ok(ReviewFormat::Markdown),
        2 => Ok(ReviewFormat::Html),
        other => Err(Error::InvalidArgument {
            message: format!("unknown review format {other}: 0 is JSON, 1 is Markdown, 2 is HTML"),
        }),
    }
}

/// The annual review of the engine's policy, within `limits`, in
/// `format`: [`review`]'s compact JSON, or the report's Markdown or HTML
/// alone, the same text `safeguard review` (`--html`) prints.
pub fn review_as(engine: &Engine, limits: &AnalysisLimits, format: ReviewFormat) -> Result<String> {
    match format {
        ReviewFormat::Json => review(engine, limits, Layout::Compact),
        ReviewFormat::Markdown => Ok(engine.review_within(limits)?.to_markdown()),
        ReviewFormat::Html => Ok(engine.review_within(limits)?.to_html()),
    }
}

/// What an image file says about itself: format, location and identifying
/// metadata (never their values), and `unreadable_metadata: true` when a
/// metadata block could not be read, one line of JSON. Files over
/// [`MAX_IMAGE_BYTES`] are `too_large` ([`image_too_large`]).
pub fn inspect_image(image: &[u8]) -> Result<String> {
    to_json(&metadata::inspect(image)?, Layout::Compact)
}

/// A copy of an image without its location metadata; everything else, the
/// compressed pixel data included, is byte-identical, but for a metadata
/// block that cannot be read or cleaned apart from the location, which is
/// removed whole (see [`metadata::strip_location`]). (Bytes, not JSON: the
/// one call of this module that answers with a file.)
pub fn strip_location(image: &[u8]) -> Result<Vec<u8>> {
    metadata::strip_location(image)
}

/// A copy of an image without its location metadata and without the
/// metadata that identifies a person or a moment (photographer, owner,
/// copyright, serial numbers, dates; see
/// [`metadata::strip_identifying`]); everything else, the compressed pixel
/// data included, is byte-identical.
pub fn strip_identifying(image: &[u8]) -> Result<Vec<u8>> {
    metadata::strip_identifying(image)
}

/// The ids of the built-in policies, `baseline` first, as a JSON array of
/// strings.
pub fn presets() -> String {
    to_json(&Engine::presets(), Layout::Compact).unwrap_or_else(|_| String::from("[]"))
}

/// A built-in policy's TOML as written (`safeguard policy show ID`), else
/// `unknown_policy`.
pub fn policy_show(id: &str) -> Result<&'static str> {
    presets::source(id).ok_or(Error::UnknownPolicy {
        at: Location::none(),
    })
}

/// The engine's resolved policy as a complete TOML document, every
/// inherited rule spelled out (`safeguard policy show --resolved`).
pub fn policy_resolved(engine: &Engine) -> Result<String> {
    engine.policy_toml()
}

/// The policy TOML a school's answers build (`safeguard policy new
/// --answers`; see [`crate::policy::builder`]), after loading it as
/// [`load_policy`] would: answers whose policy would not load (a custom
/// rule that weakens the floor, say) are that load's error, never a file,
/// placed at the answers file's own path (`$.custom.devices[1].effect`)
/// and quoting nothing of it, not at a line of the TOML the school never
/// saw.
/// Each answer is first checked on its own
/// ([`crate::policy::builder::validate`]): an unknown question or choice is
/// an error at its JSON path (`$.answers[0].choice`).
pub fn build_policy(answers: &str, format: Format) -> Result<String> {
    let answers = crate::policy::builder::validate::read(answers, format)?;
    crate::policy::builder::validate::answers(&answers)?;
    let text = crate::policy::builder::build(&answers)
        .map_err(crate::policy::builder::validate::rooted)?;
    Engine::from_text(&text, Format::Toml).map_err(|e| {
        let national = Engine::from_preset("baseline").ok();
        crate::policy::builder::origin::placed(
            e,
            &answers,
            &text,
            national.as_ref().map(Engine::policy),
        )
    })?;
    Ok(text)
}

/// An answers file (TOML or JSON) as the builder reads it, written as one
/// line of JSON: what a page that edits answers works on, whichever format
/// the school keeps its file in. Only the file's shape is checked here (an
/// error at its JSON path, as [`build_policy`] gives it); the answers
/// themselves are checked when the policy is built. Reading the JSON back
/// gives the same answers, so a file goes through a page unchanged.
pub fn read_answers(answers: &str, format: Format) -> Result<String> {
    let answers = crate::policy::builder::validate::read(answers, format)?;
    to_json(&answers, Layout::Compact)
}

/// The question model of the policy builder ([`crate::policy::builder`])
/// as one JSON array, in the order a person is asked: each question's
/// `id`, `domain`, `prompt`, `help`, `default` (the choice the national
/// baseline makes), `narrows` (the question whose rules its year groups
/// narrow, or `null`) and `choices` (`id`, `label`, and `national_default`,
/// true for the default's). A page or a program renders the questions from
/// this, so that a question added to the model needs no edit there. The
/// answer `custom` (the answers file's custom rules say it) is not listed:
/// it is not a choice to offer, but the escape for what the model lacks.
pub fn questions() -> String {
    use crate::policy::builder::questions::{Question, QUESTIONS};
    #[derive(Serialize)]
    struct ChoiceJson {
        id: &'static str,
        label: &'static str,
        national_default: bool,
    }
    #[derive(Serialize)]
    struct QuestionJson {
        id: &'static str,
        domain: &'static str,
        prompt: &'static str,
        help: &'static str,
        default: &'static str,
        narrows: Option<&'static str>,
        choices: Vec<ChoiceJson>,
    }
    let of = |q: &Question| QuestionJson {
        id: q.id,
        domain: q.domain.as_str(),
        prompt: q.prompt,
        help: q.help,
        default: q.default,
        narrows: q.narrows,
        choices: q
            .choices
            .iter()
            .map(|c| ChoiceJson {
                id: c.id,
                label: c.label,
                national_default: c.id == q.default,
            })
            .collect(),
    };
    let model: Vec<QuestionJson> = QUESTIONS.iter().map(of).collect();
    to_json(&model, Layout::Compact).unwrap_or_else(|_| String::from("[]"))
}

/// The people and the local bodies a school may name in its answers
/// file's `roles` and `bodies`, as one JSON object:
/// `{"people":[{"who","label"}...],"bodies":[...]}`, each with its `Who`
/// token and its name in words ([`Who::as_heading`](crate::Who::as_heading):
/// "Designated Safeguarding Lead (DSL)", "LADO (local authority
/// designated officer)"). The lists are the ones the terminal
/// session offers
/// ([`named_people`](crate::policy::builder::validate::named_people),
/// [`local_bodies`](crate::policy::builder::validate::local_bodies)), so a
/// page renders its contact forms from this and a party added to the
/// engine needs no edit there. Its own object, not a field of
/// [`questions()`]: a question is a choice among rules, a contact is a
/// detail of the school, and `questions()` stays the array it is.
pub fn contacts() -> String {
    use crate::policy::builder::validate::{local_bodies, named_people};
    use crate::Who;
    #[derive(Serialize)]
    struct ContactJson {
        who: &'static str,
        label: String,
    }
    #[derive(Serialize)]
    struct ContactsJson {
        people: Vec<ContactJson>,
        bodies: Vec<ContactJson>,
    }
    let of = |who: Who| ContactJson {
        who: who.as_str(),
        label: who.as_heading(),
    };
    let lists = ContactsJson {
        people: named_people().map(of).collect(),
        bodies: local_bodies().map(of).collect(),
    };
    to_json(&lists, Layout::Compact)
        .unwrap_or_else(|_| String::from(r#"{"people":[],"bodies":[]}"#))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The contacts are the terminal's lists, in its order, each token a
    /// `Who` with the engine's words for it as a heading; no party is in
    /// both lists, and a body such as the LADO is not among the people.
    #[test]
    fn contacts_are_the_engine_lists_with_their_words() {
        use crate::policy::builder::validate::{local_bodies, named_people};
        use crate::Who;
        let lists: serde_json::Value = serde_json::from_str(&contacts()).unwrap();
        let tokens = |key: &str| -> Vec<String> {
            lists[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["who"].as_str().unwrap().to_string())
                .collect()
        };
        let people = tokens("people");
        let bodies = tokens("bodies");
        let names = |list: Vec<Who>| -> Vec<String> {
            list.iter().map(|w| w.as_str().to_string()).collect()
        };
        assert_eq!(people, names(named_people().collect()));
        assert_eq!(bodies, names(local_bodies().collect()));
        assert!(!people.is_empty() && !bodies.is_empty());
        assert!(people.iter().all(|p| !bodies.contains(p)));
        assert!(people.contains(&"dsl".to_string()) && !people.contains(&"lado".to_string()));
        assert!(
            bodies.contains(&"lado".to_string()) && !bodies.contains(&"police_999".to_string())
        );
        for key in ["people", "bodies"] {
            for c in lists[key].as_array().unwrap() {
                let token = c["who"].as_str().unwrap();
                let who = *Who::ALL.iter().find(|w| w.as_str() == token).unwrap();
                let label = c["label"].as_str().unwrap();
                let words = who.in_words();
                assert!(words.ends_with(&label[1..]), "{label} is not {words}");
                assert!(label.starts_with(|c: char| c.is_uppercase()), "{label}");
            }
        }
        assert_eq!(Who::DeputyDsl.as_heading(), "Deputy DSL");
        assert_eq!(
            Who::ChildrensSocialCare.as_heading(),
            "Children's social care"
        );
    }

    /// A format is read from its name or its C number, and anything else is
    /// `invalid_argument`, never another code or a default.
    #[test]
    fn formats_are_read_in_one_place() {
        assert_eq!(format("toml").ok(), Some(Format::Toml));
        assert_eq!(format("json").ok(), Some(Format::Json));
        for bad in ["yaml", "TOML", "", " json"] {
            let e = format(bad).unwrap_err();
            assert_eq!(e.code(), "invalid_argument", "{bad:?}");
            assert_eq!(e.to_string(), format!("invalid argument: {FORMATS}"));
        }
        assert_eq!(format_numbered(0).ok(), Some(Format::Toml));
        assert_eq!(format_numbered(1).ok(), Some(Format::Json));
        assert_eq!(format_numbered(2).unwrap_err().code(), "invalid_argument");
    }

    /// JSON Lines: one line out per line in, in order, blank and broken
    /// lines answered in their place, `\r\n` accepted.
    #[test]
    fn evaluate_many_answers_every_line_in_place() {
        let engine = preset("baseline").unwrap();
        let good = r#"{"domain":"escalation","category":"sexting","concern_about":"pupil","reported_at":"2026-01-05T10:00"}"#;
        let input = format!("{good}\r\n\n{{\n\u{0}\n{good}\n");
        let mut bytes = input.into_bytes();
        bytes.extend_from_slice(b"\xff\n");
        let out = evaluate_many(&engine, &bytes);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 6, "{out}");
        assert_eq!(lines[0], evaluate(&engine, good).unwrap());
        assert_eq!(lines[4], lines[0]);
        assert!(lines[1].contains(r#""code":"invalid_json""#));
        assert!(lines[2].contains(r#""code":"invalid_json""#));
        assert!(lines[5].contains(r#""code":"invalid_utf8""#));
        assert!(out.ends_with('\n'));
        assert_eq!(evaluate_many(&engine, b""), "");
    }

    /// `explain` is the explanation of `evaluate`'s decision, its text the
    /// explanation's; a request that cannot be decided is `evaluate`'s error.
    #[test]
    fn explain_is_the_decisions_explanation_as_json() {
        let engine = preset("baseline").unwrap();
        let request = r#"{"domain":"escalation","category":"sexting","concern_about":"pupil","reported_at":"2026-01-05T10:00"}"#;
        let json: serde_json::Value =
            serde_json::from_str(&explain(&engine, request).unwrap()).unwrap();
        let decision = Request::from_json(request, None)
            .and_then(|r| engine.evaluate(&r))
            .unwrap();
        let explanation = decision.explain();
        assert_eq!(json["outcome"], "notify");
        assert_eq!(json["headline"], explanation.headline);
        assert_eq!(json["text"], explanation.to_text());
        assert_eq!(json["markdown"], explanation.to_markdown());
        assert_eq!(
            json["steps"][0]["action"],
            decision.actions[0].action.as_str()
        );
        assert_eq!(json["rules"][0]["rule"], *decision.reasons[0].rule);
        assert_eq!(json["kind"], "decision");
        assert_eq!(json["schema_version"], crate::SCHEMA_VERSION);
        // A refusal keeps the error object of `evaluate`'s envelope as it is.
        let bad = r#"{"domain":"escalation","category":"sexting"}"#;
        let refused: serde_json::Value =
            serde_json::from_str(&explain(&engine, bad).unwrap()).unwrap();
        let envelope: serde_json::Value =
            serde_json::from_str(&evaluate(&engine, bad).unwrap_err().to_json()).unwrap();
        assert_eq!(refused["kind"], "refused");
        assert_eq!(refused["schema_version"], envelope["schema_version"]);
        assert_eq!(refused["error"], envelope["error"]);
        assert_eq!(refused["field"], "who the concern is about");
        assert_eq!(refused["headline"], "This request could not be checked.");
    }

    /// `explain_error` of an error envelope is `explain`'s refusal of the
    /// request that gave it, byte for byte; a binding's own error and a bare
    /// error object are explained too, and text that is no error is refused.
    #[test]
    fn explain_error_explains_an_envelope_as_explain_does() {
        let engine = preset("baseline").unwrap();
        for bad in [
            r#"{"domain":"sexting","incident_date":"2025-02-30","young_people":[]}"#,
            "{",
            r#"{"domain":"escalation","category":"sexting"}"#,
        ] {
            let envelope = evaluate(&engine, bad).unwrap_err().to_json();
            assert_eq!(
                explain_error(&envelope).unwrap(),
                explain(&engine, bad).unwrap()
            );
        }
        let own = crate::WireError::of_code(ErrorCode::Io, "cannot read the file").to_json();
        let json: serde_json::Value = serde_json::from_str(&explain_error(&own).unwrap()).unwrap();
        assert_eq!(json["error"]["code"], "io");
        assert_eq!(json["headline"], "A file could not be read or written.");
        let bare = r#"{"code":"invalid_date","message":"m","path":"$.incident_date"}"#;
        let json: serde_json::Value = serde_json::from_str(&explain_error(bare).unwrap()).unwrap();
        assert_eq!(json["field"], "the date of the incident");
        for not_one in [
            "",
            "{}",
            r#"{"error":{"code":"nope","message":"m"}}"#,
            "[1]",
        ] {
            assert_eq!(
                explain_error(not_one).unwrap_err().code(),
                "invalid_argument",
                "{not_one}"
            );
        }
    }

    /// A list is answered as one array in order; it stops at its first
    /// failure, a binding's own or the engine's, with that index.
    #[test]
    fn evaluate_list_answers_in_order_and_stops_at_the_first_failure() {
        let engine = preset("baseline").unwrap();
        let good = r#"{"domain":"escalation","category":"sexting","concern_about":"pupil","reported_at":"2026-01-05T10:00"}"#;
        let answer = evaluate(&engine, good).unwrap();
        let none: [Result<&str, Error>; 0] = [];
        assert_eq!(evaluate_list(&engine, none).unwrap(), "[]");
        assert_eq!(
            evaluate_list(&engine, [Ok(good), Ok(good)]).unwrap(),
            format!("[{answer},{answer}]")
        );
        let own = || Error::InvalidArgument {
            message: "not a request".into(),
        };
        let refused = evaluate_list(&engine, [Ok(good), Ok("{"), Err(own())]).unwrap_err();
        assert_eq!(refused.index, 1);
        assert_eq!(refused.error.code(), "invalid_json");
        assert_eq!(
            refused.to_string(),
            format!("request 1: {}", evaluate(&engine, "{").unwrap_err())
        );
        let refused = evaluate_list(&engine, [Ok(good), Err(own()), Ok("{")]).unwrap_err();
        assert_eq!((refused.index, refused.error), (1, own()));
    }

    /// `questions` is the model, every question in order with its
    /// choices, exactly one of them the national default; and the answers
    /// that take every default build a policy that loads, while an answer
    /// to no question of the model is a coded error, not a file.
    #[test]
    fn questions_are_the_model_and_build_policy_refuses_with_a_code() {
        use crate::policy::builder::questions::QUESTIONS;
        let model: serde_json::Value = serde_json::from_str(&questions()).unwrap();
        let listed = model.as_array().unwrap();
        assert_eq!(listed.len(), QUESTIONS.len());
        for (json, q) in listed.iter().zip(QUESTIONS) {
            assert_eq!(json["id"], q.id);
            assert_eq!(json["prompt"], q.prompt);
            assert_eq!(json["default"], q.default);
            let choices = json["choices"].as_array().unwrap();
            assert_eq!(choices.len(), q.choices.len(), "{}", q.id);
            let defaults: Vec<&serde_json::Value> = choices
                .iter()
                .filter(|c| c["national_default"] == true)
                .collect();
            assert_eq!(defaults.len(), 1, "{}", q.id);
            assert_eq!(defaults[0]["id"], q.default);
            assert!(choices.iter().all(|c| c["label"].as_str().is_some()));
        }
        let school = r#""school":{"id":"test-school","name":"Test School","version":"2026-01-01","source":"Test School online safety policy (2026)"}"#;
        let defaults: Vec<String> = QUESTIONS
            .iter()
            .map(|q| format!(r#"{{"question":"{}","choice":"{}"}}"#, q.id, q.default))
            .collect();
        let all_defaults = format!(r#"{{{school},"answers":[{}]}}"#, defaults.join(","));
        let text = build_policy(&all_defaults, Format::Json).unwrap();
        let engine = load_policy(&text, Format::Toml).unwrap();
        assert_eq!(&*engine.policy_ref().id, "test-school");
        let unknown =
            format!(r#"{{{school},"answers":[{{"question":"devices.nope","choice":"x"}}]}}"#);
        let e = build_policy(&unknown, Format::Json).unwrap_err();
        assert_eq!(e.code(), "invalid_value");
        assert_eq!(e.path(), Some("$.answers[0].question"));
    }

    /// A review is written in the format asked for: the JSON's `markdown`
    /// and `html` are the Markdown and HTML alone, byte for byte; an
    /// unknown format number is `invalid_argument`.
    #[test]
    fn a_review_is_written_as_asked() {
        let engine = preset("hilldene-primary").unwrap();
        let limits = AnalysisLimits::default();
        let json: serde_json::Value =
            serde_json::from_str(&review_as(&engine, &limits, ReviewFormat::Json).unwrap())
                .unwrap();
        let markdown = review_as(&engine, &limits, ReviewFormat::Markdown).unwrap();
        let html = review_as(&engine, &limits, ReviewFormat::Html).unwrap();
        assert_eq!(json["markdown"], markdown.as_str());
        assert_eq!(json["html"], html.as_str());
        assert!(markdown.starts_with('#') && html.starts_with("<!DOCTYPE html>"));
        assert_eq!(json["name"], "Hilldene Primary School");
        for (number, format) in [
            (0, ReviewFormat::Json),
            (1, ReviewFormat::Markdown),
            (2, ReviewFormat::Html),
        ] {
            assert_eq!(review_format_numbered(number).unwrap(), format);
        }
        assert_eq!(
            review_format_numbered(3).unwrap_err().code(),
            "invalid_argument"
        );
    }

    /// Reports are the engine's reports, compact or pretty.
    #[test]
    fn reports_are_the_engines() {
        let engine = preset("baseline").unwrap();
        let limits = AnalysisLimits::default();
        let compact = lint(&engine, &limits, Layout::Compact).unwrap();
        assert_eq!(
            compact,
            serde_json::to_string(&engine.lint().unwrap()).unwrap()
        );
        let pretty = lint(&engine, &limits, Layout::Pretty).unwrap();
        assert!(pretty.ends_with("}\n") && pretty.contains("\n  "));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&pretty).unwrap(),
            serde_json::from_str::<serde_json::Value>(&compact).unwrap()
        );
        assert!(presets().starts_with(r#"["baseline","#));
        assert_eq!(policy_show("nope").unwrap_err().code(), "unknown_policy");
        assert_eq!(
            inspect_image(b"GIF89a").unwrap_err().code(),
            "unsupported_image"
        );
        let over = vec![0; MAX_IMAGE_BYTES + 1];
        assert_eq!(
            inspect_image(&over).unwrap_err(),
            image_too_large(MAX_IMAGE_BYTES + 1)
        );
    }
}
