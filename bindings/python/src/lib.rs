//! # safeguard-python: the engine for Python
//!
//! The compiled module `safeguard._safeguard`, re-exported by the pure
//! Python package `safeguard`. It is the same surface as the C ABI
//! (`ffi/`): an engine built from a preset or a policy document, JSON in
//! and out, image metadata, and one exception type carrying the engine's
//! stable error `code` and JSON `path`.
//!
//! - Every decision is made by `Engine::evaluate_json`, so the text that
//!   `Engine.evaluate_json` returns is byte for byte what the Rust API, the
//!   CLI and the C ABI give for the same request.
//! - The GIL is released around every piece of engine work, so Python
//!   threads sharing one engine run in parallel (the engine is immutable).
#![forbid(unsafe_code)]

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString};
use safeguard_core::images::metadata;
use safeguard_core::{Engine, Error, Format};

create_exception!(
    safeguard,
    SafeguardError,
    PyException,
    "An error reported by the engine. `str(e)` is its message; `e.code` its stable code \
     (\"unknown_field\", \"invalid_date\", ...); `e.path` the JSON path of the offending \
     value or None; `e.line`, `e.column` (policy documents) and `e.rule` (floor \
     violations) where known, else None."
);

/// The engine's error as a `SafeguardError` with its code, path, line,
/// column and rule as attributes, and `json`: the wire error object, the
/// same bytes the other bindings give.
fn raise(py: Python<'_>, e: &Error, prefix: Option<String>) -> PyErr {
    let message = match prefix {
        Some(p) => format!("{p}: {e}"),
        None => e.to_string(),
    };
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

/// `json.loads(text)`.
/// JSON text as Python objects, as `json.loads` would give them (dicts keep
/// the text's key order), without a round trip through Python's `json`.
fn loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = ToPython(py)
        .deserialize(&mut de)
        .map_err(|e| PyValueError::new_err(format!("invalid JSON from the engine: {e}")))?;
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

/// How deeply a request dict may nest before it is refused (the engine
/// itself refuses more than 16 levels, with a coded error).
const MAX_NESTING: usize = 64;

/// A request as JSON text: a `str` as it is; a `dict` (of lists, strings,
/// numbers, booleans and None) written as JSON here, as `json.dumps` would,
/// without a round trip through Python's `json`. Anything else is passed
/// to `json.dumps`.
fn request_text(request: &Bound<'_, PyAny>) -> PyResult<PyBackedStr> {
    if request.is_instance_of::<PyString>() {
        return request.extract::<PyBackedStr>();
    }
    let mut out = String::with_capacity(256);
    if write_json(request, &mut out, 0)? {
        return PyString::new(request.py(), &out).extract::<PyBackedStr>();
    }
    PyModule::import(request.py(), "json")?
        .call_method1("dumps", (request,))?
        .extract::<PyBackedStr>()
}

/// Appends `s` as a JSON string: as it is between quotes when nothing in
/// it needs escaping (nearly always), else escaped by serde_json.
fn push_json_str(out: &mut String, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
    }
}

/// Writes `v` as JSON; `false` if it holds something only `json.dumps`
/// knows how to write (a tuple, a subclass, a non-string key...).
fn write_json(v: &Bound<'_, PyAny>, out: &mut String, depth: usize) -> PyResult<bool> {
    use std::fmt::Write;
    if depth > MAX_NESTING {
        return Err(PyValueError::new_err("the request is nested too deeply"));
    }
    if v.is_none() {
        out.push_str("null");
    } else if let Ok(b) = v.cast_exact::<PyBool>() {
        out.push_str(if b.is_true() { "true" } else { "false" });
    } else if v.cast_exact::<PyInt>().is_ok() {
        match v.extract::<i64>() {
            Ok(n) => {
                let _ = write!(out, "{n}");
            }
            Err(_) => return Ok(false),
        }
    } else if let Ok(f) = v.cast_exact::<PyFloat>() {
        let x = f.value();
        if !x.is_finite() {
            return Ok(false);
        }
        out.push_str(
            &serde_json::Number::from_f64(x)
                .map(|n| n.to_string())
                .unwrap_or_default(),
        );
    } else if let Ok(s) = v.cast_exact::<PyString>() {
        push_json_str(out, s.to_str()?);
    } else if let Ok(list) = v.cast_exact::<PyList>() {
        out.push('[');
        for (i, item) in list.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            if !write_json(&item, out, depth + 1)? {
                return Ok(false);
            }
        }
        out.push(']');
    } else if let Ok(dict) = v.cast_exact::<PyDict>() {
        out.push('{');
        for (i, (k, item)) in dict.iter().enumerate() {
            let Ok(k) = k.cast_exact::<PyString>() else {
                return Ok(false);
            };
            if i > 0 {
                out.push(',');
            }
            push_json_str(out, k.to_str()?);
            out.push(':');
            if !write_json(&item, out, depth + 1)? {
                return Ok(false);
            }
        }
        out.push('}');
    } else {
        return Ok(false);
    }
    Ok(true)
}

/// A decision engine: one loaded, validated policy.
///
/// Build one with `Engine.from_preset(id)` or `Engine.from_policy(text)`.
/// An engine is immutable: share one across threads freely (the GIL is
/// released while it decides).
#[pyclass(name = "Engine", module = "safeguard", frozen)]
struct PyEngine {
    engine: Engine,
}

#[pymethods]
impl PyEngine {
    /// The engine of a built-in policy (`"baseline"`, `"hilldene-primary"`, ...;
    /// see `safeguard.presets()`). Raises `SafeguardError` (`unknown_policy`).
    #[staticmethod]
    fn from_preset(py: Python<'_>, id: PyBackedStr) -> PyResult<Self> {
        py.detach(|| Engine::from_preset(&id))
            .map(|engine| PyEngine { engine })
            .map_err(|e| raise(py, &e, None))
    }

    /// Loads a policy document, `format` `"toml"` (the default) or `"json"`.
    ///
    /// The document is validated and resolved (`extends`, the baseline's
    /// floor) as `safeguard policy check` does; errors raise
    /// `SafeguardError` (`invalid_toml`, `floor_violation`, ...).
    #[staticmethod]
    #[pyo3(signature = (text, format = "toml"))]
    fn from_policy(py: Python<'_>, text: PyBackedStr, format: &str) -> PyResult<Self> {
        let format = match format {
            "toml" => Format::Toml,
            "json" => Format::Json,
            other => {
                return Err(PyValueError::new_err(format!(
                    "unknown policy format {other:?}: use \"toml\" or \"json\""
                )))
            }
        };
        py.detach(|| Engine::from_text(&text, format))
            .map(|engine| PyEngine { engine })
            .map_err(|e| raise(py, &e, None))
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
    fn evaluate_json(&self, py: Python<'_>, request: PyBackedStr) -> PyResult<String> {
        py.detach(|| self.engine.evaluate_json(&request))
            .map_err(|e| raise(py, &e, None))
    }

    /// Decides one request, a `dict` (sent as `json.dumps(request)`) or JSON
    /// text, and returns the decision as a `dict`.
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let text = request_text(request)?;
        let response = py
            .detach(|| self.engine.evaluate_json(&text))
            .map_err(|e| raise(py, &e, None))?;
        loads(py, &response)
    }

    /// Decides many requests (each a `dict` or JSON text), in order, and
    /// returns their decisions as a list of `dict`s.
    ///
    /// A request that cannot be decided raises `SafeguardError` for the
    /// first such one; its message starts with `request <index>: ` (0-based)
    /// and `e.index` holds the index. Nothing is returned for the others.
    fn evaluate_many<'py>(
        &self,
        py: Python<'py>,
        requests: &Bound<'py, PyAny>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let texts = requests
            .try_iter()?
            .map(|r| request_text(&r?))
            .collect::<PyResult<Vec<_>>>()?;
        let responses = py.detach(|| {
            texts
                .iter()
                .enumerate()
                .map(|(i, t)| self.engine.evaluate_json(t).map_err(|e| (i, e)))
                .collect::<Result<Vec<String>, (usize, Error)>>()
        });
        match responses {
            Ok(responses) => responses.iter().map(|r| loads(py, r)).collect(),
            Err((i, e)) => {
                let err = raise(py, &e, Some(format!("request {i}")));
                err.value(py).setattr("index", i)?;
                Err(err)
            }
        }
    }

    /// The lint report of the policy's devices rules (contradictions,
    /// shadowed rules, uncovered requests, allows reaching into the floor),
    /// as a `dict`: what `safeguard lint --json` prints. Raises
    /// `SafeguardError` (`too_complex`) when the rules cut the request space
    /// too finely to analyse within the default limits (1 GiB).
    fn lint<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let report = py
            .detach(|| self.engine.lint())
            .map_err(|e| raise(py, &e, None))?;
        let report = serde_json::to_string(&report).map_err(|e| internal(py, e))?;
        loads(py, &report)
    }

    fn __repr__(&self) -> String {
        let r = self.engine.policy_ref();
        format!(
            "<safeguard.Engine policy={:?} version={:?}>",
            &*r.id, &*r.version
        )
    }
}

fn internal(py: Python<'_>, e: impl std::fmt::Display) -> PyErr {
    raise(
        py,
        &Error::Internal {
            message: e.to_string(),
        },
        None,
    )
}

/// The ids of the built-in policies, `"baseline"` first.
#[pyfunction]
fn presets() -> Vec<&'static str> {
    Engine::presets().to_vec()
}

/// What an image file (`bytes` or `bytearray`) says about itself: format,
/// location and identifying metadata (never their values), as a `dict`.
/// Files over 50 MiB raise `SafeguardError` (`too_large`); unreadable ones
/// `invalid_image` or `unsupported_image`.
#[pyfunction]
fn inspect_image<'py>(py: Python<'py>, data: PyBackedBytes) -> PyResult<Bound<'py, PyAny>> {
    let info = py
        .detach(|| metadata::inspect(&data))
        .map_err(|e| raise(py, &e, None))?;
    let json = serde_json::to_string(&info).map_err(|e| internal(py, e))?;
    loads(py, &json)
}

/// A copy of an image (`bytes` or `bytearray`) without its location
/// metadata; everything else, the compressed pixel data included, is
/// byte-identical.
#[pyfunction]
fn strip_location<'py>(py: Python<'py>, data: PyBackedBytes) -> PyResult<Bound<'py, PyBytes>> {
    let stripped = py
        .detach(|| metadata::strip_location(&data))
        .map_err(|e| raise(py, &e, None))?;
    Ok(PyBytes::new(py, &stripped))
}

#[pymodule]
fn _safeguard(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("ENGINE_VERSION", safeguard_core::ENGINE_VERSION)?;
    m.add("SCHEMA_VERSION", safeguard_core::SCHEMA_VERSION)?;
    m.add("ERROR_CODES", Error::CODES.to_vec())?;
    m.add("SafeguardError", m.py().get_type::<SafeguardError>())?;
    m.add_class::<PyEngine>()?;
    m.add_function(wrap_pyfunction!(presets, m)?)?;
    m.add_function(wrap_pyfunction!(inspect_image, m)?)?;
    m.add_function(wrap_pyfunction!(strip_location, m)?)?;
    Ok(())
}
