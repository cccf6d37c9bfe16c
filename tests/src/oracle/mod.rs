//! The serde reference reader: the oracle the engine's own JSON reader is
//! tested against (`tests/tests/json_in.rs`).
//!
//! Requests and policies were read through serde's derived `Deserialize`
//! until the engine got a reader of its own (`json_in` in the engine
//! crate), which gives the same answers faster. This module reads them the
//! old way still: serde_json over `strict.rs` (a struct only from an object,
//! and the JSON path of the value at fault), with serde's errors mapped to
//! the engine's [`Error`]s, so that both readers can be compared on the
//! same text: the same value, or the same code at the same path, line and
//! column.
//!
//! It is an oracle, not part of the library: the engine never reads through
//! it, so it lives with the tests. It uses only the engine's public API:
//! the error values, the request limits of [`json`], and
//! [`json::error_from_serde_message`], the mapping of a serde message to an
//! error that the engine also uses for its TOML parser's messages.

mod strict;

use safeguard_engine::{json, Error, Location};
use serde::de::DeserializeOwned;
use strict::Failure;

/// Reads `text` as a request of type `T`, as the engine's
/// [`FromJson`](safeguard_engine::FromJson) does: text over the size limit
/// or nested deeper than the engine reads is `too_large` before it is read.
pub fn read_request<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    if text.len() > json::MAX_REQUEST_BYTES {
        return Err(json::too_large(text.len()));
    }
    if nests_deeper_than(text, json::MAX_DEPTH) {
        return Err(json::too_deep());
    }
    from_json(text)
}

/// Parses JSON text into `T`, mapping any failure to an [`Error`] with the
/// JSON path of the offending value. Trailing non-whitespace is an error.
/// No limit is checked (see [`read_request`]).
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    from_json_raw(text).map_err(|(failure, e)| json_error(text, &failure.path(), e))
}

/// As [`from_json`], with a failure given as it is: where it is, and
/// serde_json's error.
fn from_json_raw<T: DeserializeOwned>(text: &str) -> Result<T, (Failure, serde_json::Error)> {
    // The fast path has no path tracking; only a failure pays for a second,
    // tracked parse to find where the problem is.
    // Both read structs only from objects (see [`strict`]).
    let mut de = serde_json::Deserializer::from_str(text);
    if let Ok(value) = strict::deserialize(&mut de).and_then(|v| de.end().map(|()| v)) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value = strict::deserialize_tracked(&mut de)?;
    de.end().map_err(|e| (Failure::default(), e))?;
    Ok(value)
}

fn json_error(text: &str, path: &str, inner: serde_json::Error) -> Error {
    let path = json_path(path);
    // serde_json reports a value of the wrong JSON type for an enum as a
    // syntax error ("expected value"); if the text is well-formed JSON, it is
    // really a wrong value at `path`.
    let wrong_type = inner.classify() == serde_json::error::Category::Syntax
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok();
    if wrong_type {
        let mut at = Location::path(path);
        at.line = Some(inner.line());
        at.column = Some(inner.column());
        return Error::InvalidValue {
            at,
            message: "a value of the wrong type (expected a string token)".into(),
        };
    }
    match inner.classify() {
        serde_json::error::Category::Data => {
            let message = strip_position(&inner.to_string());
            let mut at = Location::path(path);
            if inner.line() > 0 {
                at.line = Some(inner.line());
                at.column = Some(inner.column());
            }
            json::error_from_serde_message(at, &message)
        }
        _ => json_syntax_error(&inner),
    }
}

fn json_syntax_error(err: &serde_json::Error) -> Error {
    Error::InvalidJson {
        at: Location::line_col(err.line(), err.column()),
        what: "request",
        message: strip_position(&err.to_string()),
    }
}

/// `young_people[0].age` → `$.young_people[0].age`; `.` (the root) → `$`.
fn json_path(p: &str) -> String {
    if p == "." || p.is_empty() {
        String::from("$")
    } else if p.starts_with('[') {
        format!("${p}")
    } else {
        format!("$.{p}")
    }
}

/// serde_json appends " at line L column C"; the location is kept separately.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Whether `text` nests arrays and objects deeper than `limit`, counting
/// brackets outside strings (the rule the engine's limit applies: a string
/// that is not closed ends the count).
fn nests_deeper_than(text: &str, limit: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for b in text.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_only_structure_outside_strings() {
        let limit = json::MAX_DEPTH;
        let inside_string = format!(r#"{{"a":"\"{}"}}"#, "[".repeat(100));
        assert!(!nests_deeper_than(&inside_string, limit));
        let deep = format!("{}{}", "[".repeat(limit + 1), "]".repeat(limit + 1));
        assert!(nests_deeper_than(&deep, limit));
        let at_the_limit = format!("{}{}", "[".repeat(limit), "]".repeat(limit));
        assert!(!nests_deeper_than(&at_the_limit, limit));
        let side_by_side = "[[],[],[]]".repeat(limit);
        assert!(!nests_deeper_than(&side_by_side, 2));
    }

    #[test]
    fn requests_over_the_limits_are_too_large_before_they_are_read() {
        let deep = format!(
            "{}{}",
            "[".repeat(json::MAX_DEPTH + 1),
            "]".repeat(json::MAX_DEPTH + 1)
        );
        let e = read_request::<serde_json::Value>(&deep).unwrap_err();
        assert_eq!(e, json::too_deep());
        let big = " ".repeat(json::MAX_REQUEST_BYTES + 1);
        let e = read_request::<serde_json::Value>(&big).unwrap_err();
        assert_eq!(e, json::too_large(big.len()));
        assert!(read_request::<serde_json::Value>("[[1]]").is_ok());
    }

    #[test]
    fn errors_carry_the_path_and_place_of_the_value_at_fault() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Pupil {
            age: u32,
        }
        let e = from_json::<Vec<Pupil>>("[{\"age\": 1},\n {\"age\": \"x\"}]").unwrap_err();
        assert_eq!(e.code(), "invalid_value");
        assert_eq!(e.path(), Some("$[1].age"));
        assert_eq!(e.location().and_then(|at| at.line), Some(2));
        let e = from_json::<Vec<Pupil>>("[{}]").unwrap_err();
        assert_eq!((e.code(), e.path()), ("missing_field", Some("$[0].age")));
        let e = from_json::<Vec<Pupil>>("[{\"age\": 1, \"name\": 2}]").unwrap_err();
        assert_eq!((e.code(), e.path()), ("unknown_field", Some("$[0]")));
        let e = from_json::<Vec<Pupil>>("[{\"age\": 1}").unwrap_err();
        assert_eq!(e.code(), "invalid_json");
        let e = from_json::<Vec<Pupil>>("[[1]]").unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_value", Some("$[0]")));
    }
}
