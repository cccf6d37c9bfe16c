//! Parsing a policy document (unresolved; [`super::resolve`] resolves it),
//! locating a value in its text, and its digest and TOML form.

use super::Policy;
use crate::error::{Error, Location, Result};
use crate::wire::input::{from_message, line_col};
use crate::wire::json_in::ReadJson;
use crate::wire::toml_json::{self, Step};
use sha2::{Digest, Sha256};

/// Largest policy document accepted, in bytes.
pub const MAX_POLICY_BYTES: usize = 4 << 20;

/// The policy formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML text.
    Toml,
    /// JSON text.
    Json,
}

/// Parses a policy document (unresolved). Errors carry line and column.
pub fn parse(text: &str, format: Format) -> Result<Policy> {
    parse_as(text, format, "policy")
}

/// Reads a document of the policy's kind (a policy, or a builder's
/// answers file, `what`), in either format, with the policy's limits on
/// size and nesting and the same error places.
pub(crate) fn parse_as<T: ReadJson>(text: &str, format: Format, what: &'static str) -> Result<T> {
    if text.len() > MAX_POLICY_BYTES {
        return Err(Error::TooLarge {
            at: Location::none(),
            message: format!("the {what} is over {MAX_POLICY_BYTES} bytes"),
        });
    }
    match format {
        Format::Toml => parse_toml(text),
        Format::Json => {
            crate::wire::input::check_limits_policy(text)?;
            crate::wire::json_in::from_json_raw(text).map_err(|fault| fault.into_error(text, what))
        }
    }
}

/// Reads a TOML document as JSON (see [`toml_json`]): one deserializer for
/// both formats, with errors placed in the TOML text.
fn parse_toml<T: ReadJson>(text: &str) -> Result<T> {
    let at_span = |span: std::ops::Range<usize>| {
        let (line, column) = line_col(text, span.start);
        Location::line_col(line, column)
    };
    let root = toml::de::DeTable::parse(text).map_err(|e| {
        let at = at_span(e.span().unwrap_or(0..0));
        if e.span().is_some() && is_syntax_message(e.message()) {
            Error::InvalidToml {
                at,
                message: e.message().trim().to_string(),
            }
        } else {
            from_message(at, e.message().trim())
        }
    })?;
    let json = toml_json::to_json(&root).map_err(|e| Error::InvalidValue {
        at: at_span(e.span),
        message: e.message,
    })?;
    crate::wire::json_in::from_json_raw(&json).map_err(|fault| {
        let steps = fault.steps().map(|step| match step {
            Ok(key) => Step::Key(key),
            Err(index) => Step::Index(index),
        });
        let span = toml_json::span_of(&root, steps, fault.at_key());
        fault.into_error_at(at_span(span))
    })
}

/// TOML grammar errors, as opposed to errors about the data.
fn is_syntax_message(msg: &str) -> bool {
    !(msg.starts_with("unknown field")
        || msg.starts_with("missing field")
        || msg.starts_with("duplicate field")
        || msg.starts_with("unknown variant")
        || msg.starts_with("invalid type")
        || msg.starts_with("invalid value")
        || msg.starts_with("invalid length")
        || msg.starts_with(crate::civil::INVALID_DATE))
}

/// Points at the first occurrence of `"needle"` in the source text, with a
/// dotted path to the table it belongs to.
pub(crate) fn locate(text: &str, needle: &str, path: &str) -> Location {
    let quoted = format!("\"{needle}\"");
    let mut at = Location::path(path);
    if let Some(pos) = text.find(&quoted) {
        let (line, column) = line_col(text, pos);
        at.line = Some(line);
        at.column = Some(column);
    }
    at
}

/// SHA-256 (lower-case hex) of the canonical serialisation of a resolved
/// policy: compact JSON, fields in declaration order, maps sorted by key.
pub fn digest(policy: &Policy) -> String {
    let canonical = serde_json::to_vec(policy).unwrap_or_default();
    let hash = Sha256::digest(&canonical);
    let mut hex = String::with_capacity(64);
    for byte in hash.iter() {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 0xf)]));
    }
    hex
}

/// The resolved policy as a complete TOML document (no `extends`).
pub fn to_toml(policy: &Policy) -> Result<String> {
    toml::to_string(policy).map_err(|e| Error::Internal {
        message: format!("policy could not be written as TOML: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error of a preset with `from` replaced by `to`, and the line
    /// and column it points at.
    fn mutated(from: &str, to: &str) -> (&'static str, usize, usize, String) {
        let preset = super::super::presets::source("hilldene-primary").unwrap();
        assert!(preset.contains(from), "{from}");
        let text = preset.replacen(from, to, 1);
        let err = parse(&text, Format::Toml).unwrap_err();
        let at = err.location().cloned().unwrap_or_else(Location::none);
        (
            err.code(),
            at.line.unwrap(),
            at.column.unwrap(),
            err.to_string(),
        )
    }

    fn line_of(needle: &str) -> usize {
        let preset = super::super::presets::source("hilldene-primary").unwrap();
        preset[..preset.find(needle).unwrap()].lines().count() + 1
    }

    #[test]
    fn a_json_policy_that_is_not_json_says_policy() {
        let err = parse("{\"policy\": ", Format::Json).unwrap_err();
        assert_eq!(err.code(), "invalid_json");
        assert!(
            err.to_string().starts_with("the policy is not valid JSON"),
            "{err}"
        );
        let err = crate::Request::from_json("{\"domain\": ", None).unwrap_err();
        assert!(
            err.to_string().starts_with("the request is not valid JSON"),
            "{err}"
        );
    }

    #[test]
    fn toml_errors_point_into_the_toml_text() {
        let rule = "owner = \"personal\"\nactions = [\"bring_on_site\"]";
        let line = line_of(rule);
        // An unknown key: at the key.
        let (code, l, c, _) = mutated(
            rule,
            "owner = \"personal\"\ncolour = 1\nactions = [\"bring_on_site\"]",
        );
        assert_eq!((code, l, c), ("unknown_field", line + 1, 1));
        // A wrong token, a number, a date where a token belongs: at the value.
        for bad in ["\"borrowed\"", "5", "2020-01-01T10:00:00Z"] {
            let (code, l, c, msg) = mutated(rule, &rule.replace("\"personal\"", bad));
            assert_eq!((code, l, c), ("invalid_value", line, 9), "{bad}: {msg}");
        }
        let (_, _, _, msg) = mutated(rule, &rule.replace("\"personal\"", "2020-01-01"));
        assert!(msg.contains("date-time"), "{msg}");
        // An element of an array: at the element.
        let (code, l, c, _) = mutated("year_groups = [5, 6]", "year_groups = [5, 600]");
        assert_eq!(
            (code, l, c),
            ("invalid_value", line_of("year_groups = [5, 6]"), 19)
        );
        // A missing field of an array-of-tables entry: at the entry.
        let id = "id = \"devices.hp.pupils.years_5_6_phone_handed_in_to_office\"\n";
        let (code, l, _, _) = mutated(id, "");
        assert_eq!((code, l), ("missing_field", line_of(id) - 1));
        // TOML grammar: as the TOML parser says.
        let (code, ..) = mutated(rule, "owner = personal");
        assert_eq!(code, "invalid_toml");
    }
}
