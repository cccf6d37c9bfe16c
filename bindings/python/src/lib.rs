//! # safeguard-python: the engine for Python
//!
//! The compiled module `safeguard_engine._safeguard`, re-exported by the pure
//! Python package `safeguard_engine`. It is the same surface as the C ABI
//! (`ffi/`): an engine built from a preset or a policy document, JSON in
//! and out, image metadata, and one exception type carrying the engine's
//! stable error `code` and JSON `path`.
//!
//! - Every answer is the engine's `json` module's (`json::evaluate`,
//!   `json::explain` for `explain`, `json::evaluate_list` for
//!   `evaluate_many`, `json::lint`, `json::review`, `json::questions`,
//!   `json::build_policy`, `json::presets`, ...), so the text that `Engine.evaluate_json` returns
//!   is byte for byte what the Rust API, the CLI, the C ABI and JavaScript
//!   give for the same request, and a list stops at the same request.
//! - The GIL is released around every piece of engine work, so Python
//!   threads sharing one engine run in parallel (the engine is immutable).
//! - Arguments are taken as Python objects and their types checked here: a
//!   wrong type is `SafeguardError` with the code `invalid_argument`, as in
//!   the C ABI and JavaScript, never a bare `TypeError`; a `str` holding a
//!   lone surrogate is `invalid_utf8`, as every binding gives text that is
//!   not UTF-8.
//! - A request `dict` is written as JSON here, refusing what JSON cannot
//!   carry as JavaScript does: NaN or Infinity (`invalid_value` at its
//!   path), nesting deeper than the engine reads or a circular structure,
//!   which always reaches that depth (`too_large`).
#![forbid(unsafe_code)]

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyUnicodeEncodeError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use safeguard_engine::json::{self, Layout, ListError};
use safeguard_engine::{AnalysisLimits, Engine, Error, Format};

create_exception!(
    safeguard_engine,
    SafeguardError,
    PyException,
    "An error reported by the engine. `str(e)` is its message; `e.code` its stable code \
     (\"unknown_field\", \"invalid_date\", ...); `e.path` the JSON path of the offending \
     value or None; `e.line`, `e.column` (policy documents) and `e.rule` (floor \
     violations) where known, else None."
);

/// The engine's error as a `SafeguardError`.
fn raise(py: Python<'_>, e: &Error) -> PyErr {
    safeguard_error(py, e, e.to_string())
}

/// The error of one request of `evaluate_many` as a `SafeguardError`: the
/// list error's message (`request <index>: ` first) and its `index` as an
/// attribute.
fn raise_in_list(py: Python<'_>, e: &ListError) -> PyErr {
    let err = safeguard_error(py, &e.error, e.to_string());
    if let Err(other) = err.value(py).setattr("index", e.index) {
        return other;
    }
    err
}

/// A `SafeguardError` with `message` and the engine error's code, path,
/// line, column and rule as attributes, and `json`: the wire error object,
/// the same bytes the other bindings give.
fn safeguard_error(py: Python<'_>, e: &Error, message: String) -> PyErr {
    let err = SafeguardError::new_err(message);
    let value = err.value(py);
    let at = e.location();
    let set = || -> PyResult<()> {
        value.setattr("code", e.code())?;
        value.setattr("path", e.path())?;
        value.setattr("line", at.and_then(|l| l.line))?;
        value.setattr("column", at.and_then(|l| l.column))?;
        value.setattr("rule", e.rule())?;
        value.setattr("json", e.to_json())
    };
    if let Err(other) = set() {
        return other;
    }
    err
}

/// JSON text as Python objects, as `json.loads` would give them (dicts keep
/// the text's key order), without a round trip through Python's `json`.
fn loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = ToPython(py).deserialize(&mut de).map_err(|e| {
        // A bug: `internal`, as WebAssembly reports the same.
        let e = Error::Internal {
            message: format!("invalid JSON from the engine: {e}"),
        };
        raise(py, &e)
    })?;
    Ok(value)
}

/// Builds Python objects while serde_json reads the text.
#[derive(Clone, Copy)]
struct ToPython<'py>(Python<'py>);

impl<'de, 'py> serde::de::DeserializeSeed<'de> for ToPython<'py> {
    type Value = Bound<'py, PyAny>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, 'py> serde::de::Visitor<'de> for ToPython<'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(PyBool::new(self.0, v).to_owned().into_any())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into_pyobject(self.0)
            .map(|b| b.into_any())
            .unwrap_or_else(|e| match e {}))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into_pyobject(self.0)
            .map(|b| b.into_any())
            .unwrap_or_else(|e| match e {}))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(PyFloat::new(self.0, v).into_any())
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(PyString::new(self.0, v).into_any())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(self.0.None().into_bound(self.0))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let list = PyList::empty(self.0);
        while let Some(item) = seq.next_element_seed(self)? {
            list.append(item).map_err(serde::de::Error::custom)?;
        }
        Ok(list.into_any())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let dict = PyDict::new(self.0);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let value = map.next_value_seed(self)?;
            dict.set_item(key.as_ref(), value)
                .map_err(serde::de::Error::custom)?;
        }
        Ok(dict.into_any())
    }
}

/// Why an argument was not taken: the engine's error (raised as
/// `SafeguardError`), or an exception Python raised on the way.
enum Refused {
    Engine(Error),
    Python(PyErr),
}

impl From<PyErr> for Refused {
    fn from(e: PyErr) -> Self {
        Refused::Python(e)
    }
}

impl Refused {
    /// The exception to raise.
    fn raise(self, py: Python<'_>) -> PyErr {
        match self {
            Refused::Engine(e) => raise(py, &e),
            Refused::Python(e) => e,
        }
    }
}

/// A `str` argument as text: `invalid_argument` with `message` for any
/// other type, `invalid_utf8` (for the `what`) for a lone surrogate, at the
/// place its `surrogatepass` bytes give, as JavaScript does.
fn text_argument(
    value: &Bound<'_, PyAny>,
    what: &'static str,
    message: &str,
) -> PyResult<PyBackedStr> {
    text_of(value, what, message).map_err(|r| r.raise(value.py()))
}

/// [`text_argument`], the engine's errors not yet raised.
fn text_of(
    value: &Bound<'_, PyAny>,
    what: &'static str,
    message: &str,
) -> Result<PyBackedStr, Refused> {
    let py = value.py();
    let Ok(s) = value.cast::<PyString>() else {
        return Err(Refused::Engine(invalid_argument(message)));
    };
    match s.extract::<PyBackedStr>() {
        Ok(text) => Ok(text),
        Err(e) if e.is_instance_of::<PyUnicodeEncodeError>(py) => {
            let bytes = s
                .call_method1("encode", ("utf-8", "surrogatepass"))?
                .extract::<Vec<u8>>()?;
            match json::utf8(&bytes, what) {
                Err(e) => Err(Refused::Engine(e)),
                Ok(_) => Err(e.into()),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// A policy or answers format argument: `None` is `default`; else its name,
/// read by `json::format` (`invalid_argument` for any other name).
fn format_argument(
    py: Python<'_>,
    format: Option<&Bound<'_, PyAny>>,
    default: Format,
) -> PyResult<Format> {
    match format {
        None => Ok(default),
        // A format that is not a `str` is no format's name either.
        Some(f) => json::format(f.extract::<&str>().unwrap_or_default()).map_err(|e| raise(py, &e)),
    }
}

/// The engine's `invalid_argument` error.
fn invalid_argument(message: &str) -> Error {
    Error::InvalidArgument {
        message: message.to_string(),
    }
}

/// The engine's `invalid_argument` error, raised.
fn argument_error(py: Python<'_>, message: &str) -> PyErr {
    raise(py, &invalid_argument(message))
}

/// A request as JSON text: a `str` as it is; anything else (a `dict`, as a
/// rule) written as JSON here, as `json.dumps` would, without a round trip
/// through Python's `json`.
fn request_text(request: &Bound<'_, PyAny>) -> Result<PyBackedStr, Refused> {
    json_text(request, "request")
}

/// A document as JSON text, as [`request_text`] takes a request: a `str`
/// as it is, a `dict` written as JSON; `what` names it in an error
/// (`"request"`, `"answers file"`).
fn json_text(request: &Bound<'_, PyAny>, what: &'static str) -> Result<PyBackedStr, Refused> {
    let py = request.py();
    if request.is_instance_of::<PyString>() {
        return text_of(request, what, "");
    }
    let mut out = String::with_capacity(256);
    match write_json(request, &mut out, 0) {
        Ok(()) => Ok(PyString::new(py, &out).extract::<PyBackedStr>()?),
        Err(Unwritable::NotFinite(path)) => Err(Refused::Engine(json::not_a_finite_number(
            format!("${path}"),
        ))),
        Err(Unwritable::TooDeep) => Err(Refused::Engine(json::too_deep())),
        Err(Unwritable::Type(name)) => Err(Refused::Engine(invalid_argument(&format!(
            "the {what} must be a dict (of dicts, lists, strings, numbers, booleans and \
             None) or JSON text, not a {name}"
        )))),
        Err(Unwritable::Python(e)) => Err(Refused::Python(e)),
    }
}

/// Why a request object could not be written as JSON.
enum Unwritable {
    /// A float that is NaN or infinite, at this path (after `$`, built as
    /// the writer returns).
    NotFinite(String),
    /// Nested deeper than the engine reads, or circular.
    TooDeep,
    /// A value of a type JSON has no form for (its type's name), or a
    /// dict key that is not a string.
    Type(String),
    Python(PyErr),
}

impl Unwritable {
    /// The same, found inside the step `step` (`.key` or `[index]`).
    fn within(self, step: impl FnOnce() -> String) -> Unwritable {
        match self {
            Unwritable::NotFinite(path) => Unwritable::NotFinite(step() + &path),
            other => other,
        }
    }
}

impl From<PyErr> for Unwritable {
    fn from(e: PyErr) -> Self {
        Unwritable::Python(e)
    }
}

/// Appends `s` as a JSON string: as it is between quotes when nothing in
/// it needs escaping (nearly always), else escaped by serde_json. A lone
/// surrogate, which has no UTF-8 form, is written as its `\uXXXX` escape
/// (by `json.dumps`), as `JSON.stringify` writes it: the engine judges it.
fn push_json_str(out: &mut String, s: &Bound<'_, PyString>) -> Result<(), Unwritable> {
    let text = match s.to_str() {
        Ok(text) => text,
        Err(e) if e.is_instance_of::<PyUnicodeEncodeError>(s.py()) => {
            let escaped = PyModule::import(s.py(), "json")?.call_method1("dumps", (s,))?;
            out.push_str(escaped.cast::<PyString>().map_err(PyErr::from)?.to_str()?);
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    if text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(text).unwrap_or_default());
    }
    Ok(())
}

/// Writes `v` as JSON, as `json.dumps` would (subclasses of `dict`, `list`,
/// `tuple`, `str`, `int` and `float` as their base types). `depth` counts
/// the enclosing dicts and lists.
fn write_json(v: &Bound<'_, PyAny>, out: &mut String, depth: usize) -> Result<(), Unwritable> {
    use std::fmt::Write;
    if v.is_none() {
        out.push_str("null");
    } else if let Ok(b) = v.cast::<PyBool>() {
        out.push_str(if b.is_true() { "true" } else { "false" });
    } else if v.cast::<PyInt>().is_ok() {
        // Beyond 64 bits, Python's own digits (as `json.dumps` writes them).
        match v.extract::<i64>() {
            Ok(n) => {
                let _ = write!(out, "{n}");
            }
            Err(_) => out.push_str(v.call_method0("__index__")?.str()?.to_str()?),
        }
    } else if let Ok(f) = v.cast::<PyFloat>() {
        let x = f.value();
        if !x.is_finite() {
            return Err(Unwritable::NotFinite(String::new()));
        }
        out.push_str(
            &serde_json::Number::from_f64(x)
                .map(|n| n.to_string())
                .unwrap_or_default(),
        );
    } else if let Ok(s) = v.cast::<PyString>() {
        push_json_str(out, s)?;
    } else if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        if depth >= json::MAX_DEPTH {
            return Err(Unwritable::TooDeep);
        }
        out.push('[');
        for (i, item) in v.try_iter()?.enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_json(&item?, out, depth + 1).map_err(|e| e.within(|| format!("[{i}]")))?;
        }
        out.push(']');
    } else if let Ok(dict) = v.cast::<PyDict>() {
        if depth >= json::MAX_DEPTH {
            return Err(Unwritable::TooDeep);
        }
        out.push('{');
        for (i, (k, item)) in dict.iter().enumerate() {
            let Ok(k) = k.cast::<PyString>() else {
                return Err(Unwritable::Type(format!(
                    "dict key of type {}",
                    k.get_type().name()?
                )));
            };
            if i > 0 {
                out.push(',');
            }
            push_json_str(out, k)?;
            out.push(':');
            write_json(&item, out, depth + 1)
                .map_err(|e| e.within(|| format!(".{}", k.to_str().unwrap_or_default())))?;
        }
        out.push('}');
    } else {
        return Err(Unwritable::Type(v.get_type().name()?.to_string()));
    }
    Ok(())
}

/// A decision engine: one loaded, validated policy.
///
/// Build one with `Engine.from_preset(id)` or `Engine.from_policy(text)`.
/// An engine is immutable: share one across threads freely (the GIL is
/// released while it decides).
#[pyclass(name = "Engine", module = "safeguard_engine", frozen)]
struct PyEngine {
    engine: Engine,
}

#[pymethods]
impl PyEngine {
    /// The engine of a built-in policy (`"baseline"`, `"hilldene-primary"`, ...;
    /// see `safeguard_engine.presets()`). Raises `SafeguardError` (`unknown_policy`;
    /// `invalid_argument` for an id that is not a `str`).
    #[staticmethod]
    fn from_preset(py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<Self> {
        let id = text_argument(id, "policy id", "from_preset takes a preset id (a str)")?;
        py.detach(|| json::preset(&id))
            .map(|engine| PyEngine { engine })
            .map_err(|e| raise(py, &e))
    }

    /// Loads a policy document, `format` `"toml"` (the default) or `"json"`.
    ///
    /// The document is validated and resolved (`extends`, the baseline's
    /// floor) as `safeguard policy check` does; errors raise
    /// `SafeguardError` (`invalid_toml`, `floor_violation`, ...).
    #[staticmethod]
    #[pyo3(signature = (text, format = None))]
    fn from_policy(
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        format: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let format = format_argument(py, format, Format::Toml)?;
        let text = text_argument(
            text,
            "policy",
            "from_policy takes the policy document as text (a str)",
        )?;
        py.detach(|| json::load_policy(&text, format))
            .map(|engine| PyEngine { engine })
            .map_err(|e| raise(py, &e))
    }

    /// The id of the engine's policy.
    #[getter]
    fn policy_id(&self) -> &str {
        &self.engine.policy_ref().id
    }

    /// The version of the engine's policy.
    #[getter]
    fn policy_version(&self) -> &str {
        &self.engine.policy_ref().version
    }

    /// SHA-256 (hex) of the canonical form of the loaded policy, as every
    /// decision reports it.
    #[getter]
    fn policy_digest(&self) -> &str {
        &self.engine.policy_ref().digest
    }

    /// Decides one JSON request and returns the response text exactly as
    /// the Rust API and the CLI give it (compact JSON).
    fn evaluate_json(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<String> {
        let message =
            "evaluate_json takes the request as JSON text (a str); use evaluate for a dict";
        self.answer_json(py, request, message, json::evaluate)
    }

    /// Decides one request, a `dict` (sent as `json.dumps(request)`) or JSON
    /// text, and returns the decision as a `dict`.
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.answer_object(py, request, json::evaluate)
    }

    /// Decides one JSON request and explains the decision in plain English:
    /// the engine's `json::explain` as text (compact JSON: the headline, the
    /// steps, the questions, the rules with their citations, and the `text`
    /// that `safeguard eval --explain` prints), byte for byte what the C ABI
    /// and JavaScript give. Refuses what `evaluate_json` refuses, with the
    /// same `SafeguardError`.
    fn explain_json(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<String> {
        let message = "explain_json takes the request as JSON text (a str); use explain for a dict";
        self.answer_json(py, request, message, json::explain)
    }

    /// Decides one request, a `dict` (sent as `json.dumps(request)`) or JSON
    /// text, and returns its explanation (`explain_json`) as a `dict`; its
    /// `"text"` is the plain English for a person. Refuses what `evaluate`
    /// refuses, with the same `SafeguardError`.
    fn explain<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.answer_object(py, request, json::explain)
    }

    /// Decides many requests (each a `dict` or JSON text), in order, and
    /// returns their decisions as a list of `dict`s.
    ///
    /// A request that cannot be decided raises `SafeguardError` for the
    /// first such one; its message starts with `request <index>: ` (0-based)
    /// and `e.index` holds the index. Nothing is returned for the others.
    /// (The engine's `json::evaluate_list`, as JavaScript's `evaluateMany`.)
    fn evaluate_many<'py>(
        &self,
        py: Python<'py>,
        requests: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let not_a_list =
            || argument_error(py, "evaluate_many takes a list (an iterable) of requests");
        if requests.is_instance_of::<PyString>() || requests.is_instance_of::<PyDict>() {
            return Err(not_a_list());
        }
        // The requests are written as text first, with the GIL, up to the
        // first the engine refuses, which ends the list there; the engine
        // then decides them in order without the GIL, stopping at that one
        // or at an earlier request it cannot decide.
        let mut texts = Vec::new();
        for request in requests.try_iter().map_err(|_| not_a_list())? {
            match request
                .map_err(Refused::from)
                .and_then(|r| request_text(&r))
            {
                Ok(text) => texts.push(Ok(text)),
                Err(Refused::Engine(e)) => {
                    texts.push(Err(e));
                    break;
                }
                Err(Refused::Python(e)) => return Err(e),
            }
        }
        let answers = py
            .detach(|| json::evaluate_list(&self.engine, texts))
            .map_err(|e| raise_in_list(py, &e))?;
        loads(py, &answers)
    }

    /// The lint report of the policy's devices rules (contradictions,
    /// shadowed rules, uncovered requests, allows reaching into the floor),
    /// as a `dict`: what `safeguard lint --json` prints. Raises
    /// `SafeguardError` (`too_complex`) when the rules cut the request space
    /// too finely to analyse within the default limits (1 GiB).
    fn lint<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let report = py
            .detach(|| json::lint(&self.engine, &AnalysisLimits::default(), Layout::Compact))
            .map_err(|e| raise(py, &e))?;
        loads(py, &report)
    }

    /// The annual review of the policy, for governors and the designated
    /// safeguarding lead, as a `dict` (typed as
    /// `safeguard_engine.types.Review`, from `schema/review.schema.json`):
    /// the national guidance changed since the policy's date and whether
    /// its own text covers it, where it is stricter than national guidance
    /// or allows more, its own rules, the national defaults it relies on
    /// and the linter's findings in words; `"markdown"` and `"html"` are
    /// the whole report as `safeguard review` and `safeguard review --html`
    /// print it. The engine's `json::review`, as the C ABI's `sg_review`
    /// gives it. Raises `SafeguardError` (`too_complex`) when the devices
    /// rules cannot be analysed within the default limits (1 GiB).
    fn review<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let report = py
            .detach(|| json::review(&self.engine, &AnalysisLimits::default(), Layout::Compact))
            .map_err(|e| raise(py, &e))?;
        loads(py, &report)
    }

    fn __repr__(&self) -> String {
        let r = self.engine.policy_ref();
        format!(
            "<safeguard_engine.Engine policy={:?} version={:?}>",
            &*r.id, &*r.version
        )
    }
}

/// What `evaluate` and `explain` (and their `_json` forms) share: one
/// request answered by a function of the engine's `json` module, with the
/// GIL released, so that both take their arguments and refuse alike.
impl PyEngine {
    /// `request`, which must be a `str` (else `invalid_argument` with
    /// `message`), answered by `answer` as text.
    fn answer_json(
        &self,
        py: Python<'_>,
        request: &Bound<'_, PyAny>,
        message: &str,
        answer: fn(&Engine, &str) -> Result<String, Error>,
    ) -> PyResult<String> {
        let request = text_argument(request, "request", message)?;
        py.detach(|| answer(&self.engine, &request))
            .map_err(|e| raise(py, &e))
    }

    /// `request`, a `dict` or JSON text, answered by `answer` as Python
    /// objects.
    fn answer_object<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
        answer: fn(&Engine, &str) -> Result<String, Error>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let text = request_text(request).map_err(|r| r.raise(py))?;
        let response = py
            .detach(|| answer(&self.engine, &text))
            .map_err(|e| raise(py, &e))?;
        loads(py, &response)
    }
}

/// The ids of the built-in policies, `"baseline"` first, as a list of
/// `str` (the engine's `json::presets`).
#[pyfunction]
fn presets(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    loads(py, &json::presets())
}

/// The policy builder's question model, as a list of `dict`s in the order
/// a person is asked (the engine's `json::questions`): each question's
/// `id`, `domain`, `prompt`, `help`, `default` (the national baseline's
/// choice), `narrows` and `choices` (`id`, `label`, `national_default`).
#[pyfunction]
fn questions(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    loads(py, &json::questions())
}

/// The policy TOML a school's answers build, as `safeguard policy new
/// --answers FILE` writes it (the engine's `json::build_policy`): it
/// `extends = "baseline"`, each rule commented with the answer that made
/// it, and it has been loaded and checked, so it loads with
/// `Engine.from_policy`.
///
/// `answers` is an answers file (`schema/answers.schema.json`): its text,
/// TOML unless `format` is `"json"`, or a `dict`, sent as JSON (`format`
/// `None` or `"json"`). Raises `SafeguardError` with the code and JSON path
/// (`invalid_value` at `$.answers[0].choice` for a choice the question
/// does not offer, `floor_violation`, `invalid_toml` at a line and
/// column, ...), quoting nothing from the answers.
#[pyfunction]
#[pyo3(signature = (answers, format = None))]
fn build_policy(
    py: Python<'_>,
    answers: &Bound<'_, PyAny>,
    format: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let is_text = answers.is_instance_of::<PyString>();
    if !is_text && !answers.is_instance_of::<PyDict>() {
        return Err(argument_error(
            py,
            "build_policy takes an answers file: a dict or its text (a str)",
        ));
    }
    let default = if is_text { Format::Toml } else { Format::Json };
    let format = format_argument(py, format, default)?;
    if !is_text && format != Format::Json {
        return Err(argument_error(
            py,
            "build_policy sends a dict of answers as JSON: its format is \"json\" or None",
        ));
    }
    let text = json_text(answers, "answers file").map_err(|r| r.raise(py))?;
    py.detach(|| json::build_policy(&text, format))
        .map_err(|e| raise(py, &e))
}

/// What an image file (`bytes` or `bytearray`) says about itself: format,
/// location and identifying metadata (never their values), as a `dict`.
/// Files over 50 MiB raise `SafeguardError` (`too_large`); unreadable ones
/// `invalid_image` or `unsupported_image`.
#[pyfunction]
fn inspect_image<'py>(py: Python<'py>, data: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let data = image_argument(data)?;
    let info = py
        .detach(|| json::inspect_image(&data))
        .map_err(|e| raise(py, &e))?;
    loads(py, &info)
}

/// A copy of an image (`bytes` or `bytearray`) without its location
/// metadata; everything else, the compressed pixel data included, is
/// byte-identical.
#[pyfunction]
fn strip_location<'py>(py: Python<'py>, data: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
    let data = image_argument(data)?;
    let stripped = py
        .detach(|| json::strip_location(&data))
        .map_err(|e| raise(py, &e))?;
    Ok(PyBytes::new(py, &stripped))
}

/// A copy of an image (`bytes` or `bytearray`) without its location
/// metadata and without the metadata that identifies a person or a moment
/// (photographer, owner, copyright, camera and lens serial numbers, dates);
/// everything else, the compressed pixel data included, is byte-identical.
#[pyfunction]
fn strip_identifying<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    let data = image_argument(data)?;
    let stripped = py
        .detach(|| json::strip_identifying(&data))
        .map_err(|e| raise(py, &e))?;
    Ok(PyBytes::new(py, &stripped))
}

/// An image argument: `bytes` or `bytearray`, else `invalid_argument`.
fn image_argument(data: &Bound<'_, PyAny>) -> PyResult<PyBackedBytes> {
    data.extract::<PyBackedBytes>()
        .map_err(|_| argument_error(data.py(), "the image must be bytes or bytearray"))
}

#[pymodule]
fn _safeguard(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("ENGINE_VERSION", safeguard_engine::ENGINE_VERSION)?;
    m.add("SCHEMA_VERSION", safeguard_engine::SCHEMA_VERSION)?;
    m.add("ERROR_CODES", Error::CODES.to_vec())?;
    m.add("SafeguardError", m.py().get_type::<SafeguardError>())?;
    m.add_class::<PyEngine>()?;
    m.add_function(wrap_pyfunction!(presets, m)?)?;
    m.add_function(wrap_pyfunction!(questions, m)?)?;
    m.add_function(wrap_pyfunction!(build_policy, m)?)?;
    m.add_function(wrap_pyfunction!(inspect_image, m)?)?;
    m.add_function(wrap_pyfunction!(strip_location, m)?)?;
    m.add_function(wrap_pyfunction!(strip_identifying, m)?)?;
    Ok(())
}
