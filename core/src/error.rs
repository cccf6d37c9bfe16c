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
        /// Where in the input the error was found.
        at: Location,
        /// What was being read: `"request"` or `"policy"`.
        what: &'static str,
        /// What is wrong, in words.
        message: String,
    },
    /// The text is not well-formed TOML.
    #[error("the policy is not valid TOML at {at}: {message}")]
    InvalidToml {
        /// Where in the input the error was found.
        at: Location,
        /// What is wrong, in words.
        message: String,
    },
    /// A key the format does not define. The key is request text (a
    /// child's name written as a key), so it is not quoted: `at` is the
    /// path of the object that holds it.
    #[error("unknown field at {at}")]
    UnknownField {
        /// Where in the input the error was found.
        at: Location,
    },
    /// A required field is absent.
    #[error("missing required field `{field}` at {at}")]
    MissingField {
        /// Where in the input the error was found.
        at: Location,
        /// The vocabulary's name for the field.
        field: String,
    },
    /// The same field given twice in one object (`field` is the
    /// vocabulary's name for it).
    #[error("field `{field}` given twice at {at}")]
    DuplicateField {
        /// Where in the input the error was found.
        at: Location,
        /// The vocabulary's name for the field.
        field: String,
    },
    /// A value of the wrong type, an unknown token, or an impossible value.
    #[error("invalid value at {at}: {message}")]
    InvalidValue {
        /// Where in the input the error was found.
        at: Location,
        /// What is wrong, in words.
        message: String,
    },
    /// A date that is malformed or does not exist (`2025-02-30`).
    #[error("invalid date at {at}: {message}")]
    InvalidDate {
        /// Where in the input the error was found.
        at: Location,
        /// What is wrong, in words.
        message: String,
    },
    /// Input over the size or nesting limits.
    #[error("input too large at {at}: {message}")]
    TooLarge {
        /// Where in the input the error was found.
        at: Location,
        /// What is wrong, in words.
        message: String,
    },
    /// No preset or loaded policy has the id asked for (not quoted: it
    /// is the caller's text).
    #[error("unknown policy at {at}: {}", not_one_of(crate::policy::presets::IDS))]
    UnknownPolicy {
        /// Where in the input the error was found.
        at: Location,
    },
    /// The request names a different policy from the one the engine holds.
    #[error("policy mismatch at {at}: {message}")]
    PolicyMismatch {
        /// Where in the input the error was found.
        at: Location,
        /// What is wrong, in words.
        message: String,
    },
    /// A domain the engine does not decide yet (not quoted: it is the
    /// caller's text).
    #[error(
        "domain not supported by this engine version at {at}: {}",
        not_one_of(crate::Domain::ALL.iter().map(|d| d.as_str()))
    )]
    UnsupportedDomain {
        /// Where in the input the error was found.
        at: Location,
    },
    /// A policy that removes or weakens a floor rule of the baseline.
    #[error("floor violation at {at}: rule `{rule}`: {message}")]
    FloorViolation {
        /// Where in the input the error was found.
        at: Location,
        /// The id of the floor rule that is removed or weakened.
        rule: String,
        /// What is wrong, in words.
        message: String,
    },
    /// Image bytes that are truncated, corrupt or not an image.
    #[error("invalid image: {message}")]
    InvalidImage {
        /// What is wrong, in words.
        message: String,
    },
    /// An image format the engine cannot read or rewrite.
    #[error("unsupported image format: {message}")]
    UnsupportedImage {
        /// What is wrong, in words.
        message: String,
    },
    /// A policy whose devices request space cannot be analysed (lint,
    /// diff) within the caller's memory or work limit.
    #[error("too complex: {message}")]
    TooComplex {
        /// What is wrong, in words.
        message: String,
    },
    /// A bug in the engine (reported, never a crash).
    #[error("internal error: {message}")]
    Internal {
        /// What is wrong, in words.
        message: String,
    },
    /// Text that is not UTF-8: bytes given to the C ABI, the CLI or a Rust
    /// `_bytes` entry point, or a JavaScript or Python string holding a lone
    /// surrogate. One code wherever the text comes from; the location is
    /// the line and column (1-based, the column counted in bytes) of the
    /// first byte that is not UTF-8.
    #[error("the {what} is not valid UTF-8 at {at}")]
    InvalidUtf8 {
        /// Where in the input the error was found.
        at: Location,
        /// What was being read: `"request"`, `"policy"` or `"policy id"`.
        what: &'static str,
    },
    /// An argument a binding's caller got wrong: a number where JavaScript
    /// or Python should pass text, an unknown policy format. The engine's
    /// own API cannot be called so (its types forbid it); the bindings
    /// report it with this code.
    #[error("invalid argument: {message}")]
    InvalidArgument {
        /// What is wrong, in words.
        message: String,
    },
}

impl Error {
    /// The stable, machine-readable code of this error, as its wire text
    /// (`"invalid_json"`, ...): [`ErrorCode::as_str`] of [`Error::error_code`].
    /// A program branches on this and [`Error::path`], never on the
    /// message, whose words may change.
    ///
    /// ```
    /// use safeguard_engine::Engine;
    ///
    /// let engine = Engine::from_preset("hilldene-primary")?;
    /// let error = engine
    ///     .evaluate_json(r#"{"domain": "sexting", "incident_date": "2025-01-20",
    ///         "young_people": [{"id": "a", "age": "fifteen", "role": "subject"}],
    ///         "facts": {"adult_involved": "no"}}"#)
    ///     .unwrap_err();
    /// assert_eq!(error.code(), "invalid_value");
    /// assert_eq!(error.path(), Some("$.young_people[0].age"));
    /// # Ok::<(), safeguard_engine::Error>(())
    /// ```
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    /// The code of this error, as an enum to match on; its
    /// [`ErrorCode::number`] is the C ABI's `sg_result`.
    ///
    /// ```
    /// use safeguard_engine::{Engine, ErrorCode};
    ///
    /// let error = Engine::from_preset("no-such-school").unwrap_err();
    /// assert_eq!(error.error_code(), ErrorCode::UnknownPolicy);
    /// assert_eq!(error.error_code().number(), 11); // SG_RESULT_UNKNOWN_POLICY
    /// assert_eq!(ErrorCode::from_wire("unknown_policy"), Some(ErrorCode::UnknownPolicy));
    /// ```
    pub fn error_code(&self) -> ErrorCode {
        match self {
            Error::InvalidJson { .. } => ErrorCode::InvalidJson,
            Error::InvalidToml { .. } => ErrorCode::InvalidToml,
            Error::UnknownField { .. } => ErrorCode::UnknownField,
            Error::MissingField { .. } => ErrorCode::MissingField,
            Error::DuplicateField { .. } => ErrorCode::DuplicateField,
            Error::InvalidValue { .. } => ErrorCode::InvalidValue,
            Error::InvalidDate { .. } => ErrorCode::InvalidDate,
            Error::TooLarge { .. } => ErrorCode::TooLarge,
            Error::UnknownPolicy { .. } => ErrorCode::UnknownPolicy,
            Error::PolicyMismatch { .. } => ErrorCode::PolicyMismatch,
            Error::UnsupportedDomain { .. } => ErrorCode::UnsupportedDomain,
            Error::FloorViolation { .. } => ErrorCode::FloorViolation,
            Error::InvalidImage { .. } => ErrorCode::InvalidImage,
            Error::UnsupportedImage { .. } => ErrorCode::UnsupportedImage,
            Error::TooComplex { .. } => ErrorCode::TooComplex,
            Error::Internal { .. } => ErrorCode::Internal,
            Error::InvalidUtf8 { .. } => ErrorCode::InvalidUtf8,
            Error::InvalidArgument { .. } => ErrorCode::InvalidArgument,
        }
    }

    /// Every code [`Error::code`] can return, in a stable order (the order
    /// of [`ErrorCode::ENGINE`]).
    pub const CODES: &'static [&'static str] = &{
        let mut codes = [""; ErrorCode::ENGINE.len()];
        let mut i = 0;
        while i < codes.len() {
            codes[i] = ErrorCode::ENGINE[i].as_str();
            i += 1;
        }
        codes
    };

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

    /// The JSON path of the offending value, where there is one (see
    /// [`Error::code`]). A policy file's errors have a line and column
    /// instead ([`Error::location`]).
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

    /// The error as one line of JSON, the one error envelope:
    /// `{"schema_version":1,"error":{...}}`, as every binding gives it.
    ///
    /// ```
    /// use safeguard_engine::Engine;
    ///
    /// let engine = Engine::from_preset("baseline")?;
    /// let error = engine.evaluate_json(r#"{"domain": "devices", "colour": "red"}"#).unwrap_err();
    /// assert!(error
    ///     .to_json()
    ///     .starts_with(r#"{"schema_version":1,"error":{"code":"unknown_field","message":"#));
    /// # Ok::<(), safeguard_engine::Error>(())
    /// ```
    pub fn to_json(&self) -> String {
        envelope(&self.to_wire())
    }
}

/// The one error envelope, `{"schema_version":1,"error":{...}}`, of a wire
/// error: what [`Error::to_json`] writes, and what a binding writes for a
/// failure of its own ([`WireError::of_code`]).
pub(crate) fn envelope(error: &WireError<'_>) -> String {
    #[derive(Serialize)]
    struct Wrapper<'a> {
        schema_version: u32,
        error: &'a WireError<'a>,
    }
    serde_json::to_string(&Wrapper {
        schema_version: crate::SCHEMA_VERSION,
        error,
    })
    .unwrap_or_else(|_| {
        String::from(r#"{"schema_version":1,"error":{"code":"internal","message":"error could not be serialised"}}"#)
    })
}

/// The serialised form of an [`Error`].
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WireError<'a> {
    /// The error's code ([`ErrorCode::as_str`]).
    #[cfg_attr(feature = "schema", schemars(with = "ErrorCode"))]
    pub code: &'static str,
    /// The message for a person; it quotes nothing from the request.
    pub message: String,
    /// The JSON path of the offending value, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<&'a str>,
    /// 1-based line in the source text, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column in the source text, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The floor rule a floor violation names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'a str>,
}

impl WireError<'static> {
    /// A wire error with only a code and a message: a failure a binding
    /// reports itself (the C ABI's `null_argument`, the CLI's `io` and
    /// `usage`), written in the same envelope as the engine's errors.
    pub fn of_code(code: ErrorCode, message: impl Into<String>) -> WireError<'static> {
        WireError {
            code: code.as_str(),
            message: message.into(),
            path: None,
            line: None,
            column: None,
            rule: None,
        }
    }

    /// The error in the one envelope, as [`Error::to_json`] writes it.
    pub fn to_json(&self) -> String {
        envelope(self)
    }
}

/// Declares [`ErrorCode`]: each code with its wire text and its number.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $name:ident = $number:literal, $text:literal;)*) => {
        /// Every code an error can carry on the wire, from the engine or
        /// from a binding, with its stable number.
        ///
        /// The wire text ([`ErrorCode::as_str`]) is what every error
        /// envelope carries; the number ([`ErrorCode::number`]) is the C
        /// ABI's `sg_result` for that error (the C enum is checked against
        /// this one, number and name, by a test in `ffi`). Numbers are never
        /// reused or changed; a new code takes the next free number. `0` is
        /// the C ABI's success and `18` its `SG_RESULT_PANIC` (on the wire a
        /// panic is an `internal` error), so no code has either.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[$doc])* $name = $number,)*
        }

        impl ErrorCode {
            /// Every code, in the order of their numbers.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$name,)*];

            /// The code as the wire writes it (`"invalid_json"`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$name => $text,)*
                }
            }
        }
    };
}

error_codes! {
    /// A required pointer argument was null (the C ABI only).
    NullArgument = 1, "null_argument";
    /// Text that is not UTF-8 ([`Error::InvalidUtf8`]).
    InvalidUtf8 = 2, "invalid_utf8";
    /// [`Error::InvalidJson`].
    InvalidJson = 3, "invalid_json";
    /// [`Error::InvalidToml`].
    InvalidToml = 4, "invalid_toml";
    /// [`Error::UnknownField`].
    UnknownField = 5, "unknown_field";
    /// [`Error::MissingField`].
    MissingField = 6, "missing_field";
    /// [`Error::DuplicateField`].
    DuplicateField = 7, "duplicate_field";
    /// [`Error::InvalidValue`].
    InvalidValue = 8, "invalid_value";
    /// [`Error::InvalidDate`].
    InvalidDate = 9, "invalid_date";
    /// [`Error::TooLarge`].
    TooLarge = 10, "too_large";
    /// [`Error::UnknownPolicy`].
    UnknownPolicy = 11, "unknown_policy";
    /// [`Error::PolicyMismatch`].
    PolicyMismatch = 12, "policy_mismatch";
    /// [`Error::UnsupportedDomain`].
    UnsupportedDomain = 13, "unsupported_domain";
    /// [`Error::FloorViolation`].
    FloorViolation = 14, "floor_violation";
    /// [`Error::InvalidImage`].
    InvalidImage = 15, "invalid_image";
    /// [`Error::UnsupportedImage`].
    UnsupportedImage = 16, "unsupported_image";
    /// [`Error::Internal`]: a bug, reported (a panic caught at a binding's
    /// boundary too).
    Internal = 17, "internal";
    /// [`Error::InvalidArgument`].
    InvalidArgument = 19, "invalid_argument";
    /// [`Error::TooComplex`].
    TooComplex = 20, "too_complex";
    /// Reading or writing a file failed (the CLI only).
    Io = 21, "io";
    /// A command line the command refuses (the CLI only).
    Usage = 22, "usage";
}

impl ErrorCode {
    /// The codes an engine [`Error`] carries ([`Error::error_code`]), in
    /// the stable order of [`Error::CODES`].
    pub const ENGINE: &'static [ErrorCode] = &[
        ErrorCode::InvalidJson,
        ErrorCode::InvalidToml,
        ErrorCode::UnknownField,
        ErrorCode::MissingField,
        ErrorCode::DuplicateField,
        ErrorCode::InvalidValue,
        ErrorCode::InvalidDate,
        ErrorCode::TooLarge,
        ErrorCode::UnknownPolicy,
        ErrorCode::PolicyMismatch,
        ErrorCode::UnsupportedDomain,
        ErrorCode::FloorViolation,
        ErrorCode::InvalidImage,
        ErrorCode::UnsupportedImage,
        ErrorCode::TooComplex,
        ErrorCode::Internal,
        ErrorCode::InvalidUtf8,
        ErrorCode::InvalidArgument,
    ];

    /// The stable number of the code: the C ABI's `sg_result` for it.
    pub const fn number(self) -> u32 {
        self as u32
    }

    /// The code whose wire text is `text`, if any.
    pub fn from_wire(text: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

/// Every code's wire text, as the error schema lists them (the C ABI's
/// and the CLI's own codes included).
#[cfg(feature = "schema")]
impl schemars::JsonSchema for ErrorCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ErrorCode".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        schemars::json_schema!({
            "description": "What went wrong, as a stable code.",
            "type": "string",
            "enum": codes
        })
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbers are distinct, ascend with the list, and keep off 0 (the C
    /// ABI's success) and 18 (its panic); wire texts are distinct.
    #[test]
    fn codes_have_distinct_stable_numbers_and_texts() {
        let numbers: Vec<u32> = ErrorCode::ALL.iter().map(|c| c.number()).collect();
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
        assert!(!numbers.contains(&0) && !numbers.contains(&18));
        for c in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_wire(c.as_str()), Some(*c));
        }
        assert_eq!(ErrorCode::InvalidJson.number(), 3);
        assert_eq!(ErrorCode::TooComplex.number(), 20);
    }

    /// `Error::CODES` is the engine's codes' texts, each code once.
    #[test]
    fn engine_codes_are_listed_once() {
        assert_eq!(Error::CODES.len(), ErrorCode::ENGINE.len());
        for (text, code) in Error::CODES.iter().zip(ErrorCode::ENGINE) {
            assert_eq!(*text, code.as_str());
            assert_eq!(ErrorCode::ENGINE.iter().filter(|c| *c == code).count(), 1);
        }
    }

    /// A binding's own error is written in the engine's envelope.
    #[test]
    fn a_bindings_error_has_the_engines_envelope() {
        assert_eq!(
            WireError::of_code(
                ErrorCode::NullArgument,
                "a required pointer argument is null"
            )
            .to_json(),
            r#"{"schema_version":1,"error":{"code":"null_argument","message":"a required pointer argument is null"}}"#
        );
        let e = Error::InvalidArgument {
            message: "x".into(),
        };
        assert_eq!(
            e.to_json(),
            r#"{"schema_version":1,"error":{"code":"invalid_argument","message":"invalid argument: x"}}"#
        );
    }
}
