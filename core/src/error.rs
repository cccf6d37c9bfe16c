//! Errors as values.
//!
//! Every failure the engine can report is one variant of [`Error`], with a
//! stable string [`code`](Error::code) that the wire format, the C ABI, WASM
//! and Python all share, and a [`Location`] that points at the offending
//! value: a JSON path such as `$.young_people[1].date_of_birth` for requests,
//! a line and column (and a dotted path where known) for policy documents.
//!
//! Nothing in the engine panics on bad input; a caller that gets an `Error`
//! can show its message to a person and its code and location to a program.

use serde::Serialize;
use std::fmt;

/// Where in the input an error was found.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Location {
    /// JSON path of the offending value (`$` is the whole document).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// 1-based line in the source text, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column in the source text, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl Location {
    /// A location given by a JSON path.
    pub fn path(path: impl Into<String>) -> Self {
        Location {
            path: Some(path.into()),
            line: None,
            column: None,
        }
    }

    /// A location given by line and column (1-based).
    pub fn line_col(line: usize, column: usize) -> Self {
        Location {
            path: None,
            line: Some(line),
            column: Some(column),
        }
    }

    /// No location: the error concerns the input as a whole.
    pub fn none() -> Self {
        Location::default()
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, self.line, self.column) {
            (Some(p), Some(l), Some(c)) => write!(f, "{p} (line {l}, column {c})"),
            (Some(p), _, _) => f.write_str(p),
            (None, Some(l), Some(c)) => write!(f, "line {l}, column {c}"),
            (None, Some(l), None) => write!(f, "line {l}"),
            _ => f.write_str("the input"),
        }
    }
}

/// Everything that can go wrong, as a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text is not well-formed JSON.
    #[error("the {what} is not valid JSON at {at}: {message}")]
    InvalidJson {
        at: Location,
        /// What was being read: `"request"` or `"policy"`.
        what: &'static str,
        message: String,
    },
    /// The text is not well-formed TOML.
    #[error("the policy is not valid TOML at {at}: {message}")]
    InvalidToml { at: Location, message: String },
    /// A key the format does not define. The key is request text (a
    /// child's name written as a key), so it is not quoted: `at` is the
    /// path of the object that holds it.
    #[error("unknown field at {at}")]
    UnknownField { at: Location },
    /// A required field is absent.
    #[error("missing required field `{field}` at {at}")]
    MissingField { at: Location, field: String },
    /// The same field given twice in one object (`field` is the
    /// vocabulary's name for it).
    #[error("field `{field}` given twice at {at}")]
    DuplicateField { at: Location, field: String },
    /// A value of the wrong type, an unknown token, or an impossible value.
    #[error("invalid value at {at}: {message}")]
    InvalidValue { at: Location, message: String },
    /// A date that is malformed or does not exist (`2025-02-30`).
    #[error("invalid date at {at}: {message}")]
    InvalidDate { at: Location, message: String },
    /// Input over the size or nesting limits.
    #[error("input too large at {at}: {message}")]
    TooLarge { at: Location, message: String },
    /// No preset or loaded policy has the id asked for (not quoted: it
    /// is the caller's text).
    #[error("unknown policy at {at}: {}", not_one_of(crate::policy::presets::IDS))]
    UnknownPolicy { at: Location },
    /// The request names a different policy from the one the engine holds.
    #[error("policy mismatch at {at}: {message}")]
    PolicyMismatch { at: Location, message: String },
    /// A domain the engine does not decide yet (not quoted: it is the
    /// caller's text).
    #[error(
        "domain not supported by this engine version at {at}: {}",
        not_one_of(crate::Domain::ALL.iter().map(|d| d.as_str()))
    )]
    UnsupportedDomain { at: Location },
    /// A policy that removes or weakens a floor rule of the baseline.
    #[error("floor violation at {at}: rule `{rule}`: {message}")]
    FloorViolation {
        at: Location,
        rule: String,
        message: String,
    },
    /// Image bytes that are truncated, corrupt or not an image.
    #[error("invalid image: {message}")]
    InvalidImage { message: String },
    /// An image format the engine cannot read or rewrite.
    #[error("unsupported image format: {message}")]
    UnsupportedImage { message: String },
    /// A policy whose devices request space cannot be analysed (lint,
    /// diff) within the caller's memory or work limit.
    #[error("too complex: {message}")]
    TooComplex { message: String },
    /// A bug in the engine (reported, never a crash).
    #[error("internal error: {message}")]
    Internal { message: String },
    /// Text that is not UTF-8: bytes given to the C ABI, the CLI or a Rust
    /// `_bytes` entry point, or a JavaScript or Python string holding a lone
    /// surrogate. One code wherever the text comes from; the location is
    /// the line and column (1-based, the column counted in bytes) of the
    /// first byte that is not UTF-8.
    #[error("the {what} is not valid UTF-8 at {at}")]
    InvalidUtf8 {
        at: Location,
        /// What was being read: `"request"`, `"policy"` or `"policy id"`.
        what: &'static str,
    },
    /// An argument a binding's caller got wrong: a number where JavaScript
    /// or Python should pass text, an unknown policy format. The engine's
    /// own API cannot be called so (its types forbid it); the bindings
    /// report it with this code.
    #[error("invalid argument: {message}")]
    InvalidArgument { message: String },
}

impl Error {
    /// The stable, machine-readable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidJson { .. } => "invalid_json",
            Error::InvalidToml { .. } => "invalid_toml",
            Error::UnknownField { .. } => "unknown_field",
            Error::MissingField { .. } => "missing_field",
            Error::DuplicateField { .. } => "duplicate_field",
            Error::InvalidValue { .. } => "invalid_value",
            Error::InvalidDate { .. } => "invalid_date",
            Error::TooLarge { .. } => "too_large",
            Error::UnknownPolicy { .. } => "unknown_policy",
            Error::PolicyMismatch { .. } => "policy_mismatch",
            Error::UnsupportedDomain { .. } => "unsupported_domain",
            Error::FloorViolation { .. } => "floor_violation",
            Error::InvalidImage { .. } => "invalid_image",
            Error::UnsupportedImage { .. } => "unsupported_image",
            Error::TooComplex { .. } => "too_complex",
            Error::Internal { .. } => "internal",
            Error::InvalidUtf8 { .. } => "invalid_utf8",
            Error::InvalidArgument { .. } => "invalid_argument",
        }
    }

    /// Every code [`Error::code`] can return, in a stable order.
    pub const CODES: &'static [&'static str] = &[
        "invalid_json",
        "invalid_toml",
        "unknown_field",
        "missing_field",
        "duplicate_field",
        "invalid_value",
        "invalid_date",
        "too_large",
        "unknown_policy",
        "policy_mismatch",
        "unsupported_domain",
        "floor_violation",
        "invalid_image",
        "unsupported_image",
        "too_complex",
        "internal",
        "invalid_utf8",
        "invalid_argument",
    ];

    /// Where the error was found.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::InvalidJson { at, .. }
            | Error::InvalidToml { at, .. }
            | Error::UnknownField { at, .. }
            | Error::MissingField { at, .. }
            | Error::DuplicateField { at, .. }
            | Error::InvalidValue { at, .. }
            | Error::InvalidDate { at, .. }
            | Error::TooLarge { at, .. }
            | Error::UnknownPolicy { at, .. }
            | Error::PolicyMismatch { at, .. }
            | Error::UnsupportedDomain { at, .. }
            | Error::FloorViolation { at, .. }
            | Error::InvalidUtf8 { at, .. } => Some(at),
            Error::InvalidImage { .. }
            | Error::UnsupportedImage { .. }
            | Error::TooComplex { .. }
            | Error::Internal { .. }
            | Error::InvalidArgument { .. } => None,
        }
    }

    /// The JSON path of the offending value, where there is one.
    pub fn path(&self) -> Option<&str> {
        self.location().and_then(|l| l.path.as_deref())
    }

    /// The floor rule a [`Error::FloorViolation`] names: a rule id, the
    /// contact whose meaning the floor fixes (`bodies.police_999`,
    /// `roles.dsl`), or `sexting.checklist`.
    pub fn rule(&self) -> Option<&str> {
        match self {
            Error::FloorViolation { rule, .. } => Some(rule),
            _ => None,
        }
    }

    /// The error as the wire object `{"code", "message", "path"?, "line"?, "column"?, "rule"?}`.
    pub fn to_wire(&self) -> WireError<'_> {
        let at = self.location();
        WireError {
            code: self.code(),
            message: self.to_string(),
            path: at.and_then(|l| l.path.as_deref()),
            line: at.and_then(|l| l.line),
            column: at.and_then(|l| l.column),
            rule: self.rule(),
        }
    }

    /// The error as one line of JSON: `{"error":{...}}`.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Wrapper<'a> {
            schema_version: u32,
            error: WireError<'a>,
        }
        serde_json::to_string(&Wrapper {
            schema_version: crate::SCHEMA_VERSION,
            error: self.to_wire(),
        })
        .unwrap_or_else(|_| {
            String::from(r#"{"schema_version":1,"error":{"code":"internal","message":"error could not be serialised"}}"#)
        })
    }
}

/// The serialised form of an [`Error`].
#[derive(Debug, Serialize)]
pub struct WireError<'a> {
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'a str>,
}

/// `not one of: a, b, c`: what a message says of text that is none of a
/// closed set of tokens. The text itself is never quoted (SPEC §1.6): it
/// may be anything the caller wrote, a child's name included.
pub(crate) fn not_one_of<'a>(tokens: impl IntoIterator<Item = &'a str>) -> String {
    let tokens: Vec<&str> = tokens.into_iter().collect();
    format!("not one of: {}", tokens.join(", "))
}

/// Result with the engine's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
