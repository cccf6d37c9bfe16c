//! Reading untrusted text: size and nesting limits, bytes as UTF-8, the
//! scans that find a request's domain before it is read, and the engine's
//! error for a serde message (the TOML parser's; [`from_message`]). The
//! engine reads JSON with its own reader (`json_in`); the serde path it
//! replaced is kept in the tests crate as the reference that reader is
//! tested against (`tests/src/oracle/`). What a binding or the CLI needs of
//! this module is re-exported by `json`.
//!
//! The limits are checked by one cheap byte scan *before* any parsing, so an
//! oversized or pathologically nested input costs almost nothing to reject.
//! Serde's error messages are mapped onto the engine's stable codes here,
//! in one place; the custom messages raised by our own types carry their code
//! as a prefix (`invalid_date: ...`) so the mapping never guesses.

use crate::civil::INVALID_DATE;
use crate::error::{Error, Location, Result};

/// Largest request accepted, in bytes (1 MiB).
pub const MAX_REQUEST_BYTES: usize = 1 << 20;
/// Deepest nesting of arrays and objects accepted in a request.
pub const MAX_DEPTH: usize = 16;

/// Rejects text over [`MAX_REQUEST_BYTES`].
pub(crate) fn check_size(text: &str) -> Result<()> {
    if text.len() > MAX_REQUEST_BYTES {
        return Err(too_large(text.len()));
    }
    Ok(())
}

/// The error of a request of `bytes` bytes, over [`MAX_REQUEST_BYTES`]: as
/// the engine gives it for such text, and as a binding or the CLI gives it
/// for a request it refuses before reading it whole (a JavaScript string, a
/// JSON Lines line).
pub fn too_large(bytes: usize) -> Error {
    Error::TooLarge {
        at: Location::path("$"),
        message: format!("the request is {bytes} bytes; the limit is {MAX_REQUEST_BYTES} bytes"),
    }
}

/// Turns a parse failure into `too_large` when the input nests deeper than
/// [`MAX_DEPTH`]. No valid request nests deeper than a few levels, so any
/// deeper input fails to parse (the reader stops at 128 levels, as
/// serde_json does, so the stack is safe); checking the depth only then keeps the common path free of a
/// second scan.
pub fn too_deep_or(text: &str, error: Error) -> Error {
    match check_nesting(text, MAX_DEPTH) {
        Err(too_deep) => too_deep,
        Ok(()) => error,
    }
}

/// Whether the request has a top-level-looking `"key":` (a scan, like
/// [`scan_domain`]; the typed parse that follows checks the real shape).
pub fn has_key(text: &str, key: &str) -> bool {
    let quoted = format!("\"{key}\"");
    let finder = memchr::memmem::Finder::new(&quoted);
    let found = after_keys(text, &finder).next().is_some();
    found
}

/// The text after each `"key":` in `text`, where `finder` searches for
/// the quoted key: a key not preceded by a backslash (so not inside a
/// string's escape) and followed, after any white space, by a colon.
fn after_keys<'t>(
    text: &'t str,
    finder: &'t memchr::memmem::Finder<'t>,
) -> impl Iterator<Item = &'t str> + 't {
    let bytes = text.as_bytes();
    let key_len = finder.needle().len();
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(i) = finder.find(&bytes[from..]) {
            let start = from + i;
            from = start + key_len;
            if start > 0 && bytes[start - 1] == b'\\' {
                continue;
            }
            if let Some(rest) = text[from..].trim_start().strip_prefix(':') {
                return Some(rest);
            }
        }
        None
    })
}

/// The domain a request names, found by a scan for its one `"domain"` key,
/// without parsing. `None` when there is no such key, more than one, or an
/// unknown token: the caller then reads the request properly. A wrong guess
/// cannot produce a wrong decision, because the domain's own type checks its
/// `domain` field again.
pub fn scan_domain(text: &str) -> Option<crate::Domain> {
    scan_for_domain(text, false)
}

/// The domain named by the first `"domain"` key that names one, without
/// looking for others (a request has one `"domain"` key, so this saves a
/// scan of the rest of the text). A guess: the caller must treat a typed
/// read that fails as telling nothing, and then go the way [`scan_domain`]
/// goes, so that the error is the same.
pub fn first_domain(text: &str) -> Option<crate::Domain> {
    scan_for_domain(text, true)
}

fn scan_for_domain(text: &str, first: bool) -> Option<crate::Domain> {
    const KEY: &str = "\"domain\"";
    // Built once: a request is searched in a fraction of the time that
    // `str::find` takes to set up its searcher on every call.
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(KEY));
    let mut found = None;
    for rest in after_keys(text, &FINDER) {
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix('"') else {
            continue;
        };
        let token = &rest[..rest.find('"')?];
        let domain = match token {
            "sexting" => crate::Domain::Sexting,
            "devices" => crate::Domain::Devices,
            "images" => crate::Domain::Images,
            "escalation" => crate::Domain::Escalation,
            _ => return None,
        };
        if first {
            return Some(domain);
        }
        if found.is_some() {
            return None;
        }
        found = Some(domain);
    }
    found
}

/// Nesting limit for policy documents (JSON): deeper than any real policy.
pub(crate) fn check_limits_policy(text: &str) -> Result<()> {
    check_nesting(text, 64)
}

/// One pass over the bytes, counting `{`/`[` outside strings. String
/// contents are skipped with `memchr`, so a request of long strings costs
/// little more than a copy.
fn check_nesting(text: &str, limit: usize) -> Result<()> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                i += 1;
                loop {
                    let Some(rest) = bytes.get(i..) else {
                        return Ok(());
                    };
                    match memchr::memchr2(b'"', b'\\', rest) {
                        // Unterminated: the parser reports it.
                        None => return Ok(()),
                        Some(k) if rest[k] == b'\\' => i += k + 2,
                        Some(k) => {
                            i += k + 1;
                            break;
                        }
                    }
                }
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > limit {
                    return Err(nested_deeper_than(limit));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

fn nested_deeper_than(limit: usize) -> Error {
    Error::TooLarge {
        at: Location::path("$"),
        message: format!("nesting deeper than {limit} levels"),
    }
}

/// The error of a request nested deeper than [`MAX_DEPTH`], as the engine
/// gives it for such text; the Python and JavaScript bindings give it for
/// objects nested that deep, or circular, before writing them as JSON.
pub fn too_deep() -> Error {
    nested_deeper_than(MAX_DEPTH)
}

/// The error of a number that is NaN or infinite at `path` in a request the
/// Python or JavaScript binding is given as an object. JSON cannot carry
/// such a number (`JSON.stringify` would quietly write `null`, an unknown
/// fact), so both bindings refuse it, with this same error.
pub fn not_a_finite_number(path: String) -> Error {
    Error::InvalidValue {
        at: Location::path(path),
        message: "not a finite number (NaN and Infinity cannot be written as JSON)".into(),
    }
}

/// Bytes as text, or [`Error::InvalidUtf8`] at the line and column
/// (1-based, the column counted in bytes) of the first byte that is not
/// UTF-8. Every entry point that is given bytes (the C ABI, the CLI, the
/// `_bytes` methods of [`Engine`](crate::Engine)) reads them through this,
/// so text that is not UTF-8 has one code and one error everywhere; the
/// JavaScript and Python bindings give a string holding a lone surrogate
/// the same way (as the bytes Python's `surrogatepass` would give).
/// `what` names the input: `"request"`, `"policy"`.
pub fn utf8<'a>(bytes: &'a [u8], what: &'static str) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        Error::InvalidUtf8 {
            at: Location::line_col(line, column),
            what,
        }
    })
}

/// Whether `text` is one JSON value, read as strictly as the engine reads
/// requests (RFC 8259: space, tab, line feed and carriage return are the
/// only whitespace; a NUL or a form feed between tokens is not JSON);
/// otherwise the engine's `invalid_json` error with its line and column
/// (`too_large` when it nests deeper than the engine reads). For a caller
/// that takes a request out of a larger document (the CLI runs scenario
/// files, whose `"request"` object is cut out of the file): the rest of the
/// document must be JSON too.
pub fn check_json(text: &str) -> Result<()> {
    crate::wire::json_in::check_syntax(text).map_err(|e| too_deep_or(text, e))
}

/// The name between the first pair of backticks in a serde message.
fn backticked(msg: &str) -> Option<&str> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(&msg[start..start + len])
}

/// Maps a serde data-error message to an [`Error`] at `at`. For a missing or
/// repeated field the path is extended with the field's name so it points
/// at the field; an unknown field stays at its object, unnamed. Nothing the
/// message quoted from the input is kept (see [`without_input_text`]).
pub(crate) fn from_message(mut at: Location, message: &str) -> Error {
    let field_error = |at: &mut Location| -> String {
        let field = backticked(message).unwrap_or("?").to_string();
        if let Some(path) = at.path.as_mut() {
            let suffix = format!(".{field}");
            if !path.ends_with(&suffix) {
                path.push_str(&suffix);
            }
        }
        field
    };
    if message.starts_with("unknown field") {
        Error::UnknownField { at }
    } else if message.starts_with("missing field") {
        let field = field_error(&mut at);
        Error::MissingField { at, field }
    } else if message.starts_with("duplicate field") || message.starts_with("duplicate key") {
        let field = field_error(&mut at);
        Error::DuplicateField { at, field }
    } else if let Some(rest) = message.strip_prefix(INVALID_DATE) {
        Error::InvalidDate {
            at,
            message: rest.to_string(),
        }
    } else {
        Error::InvalidValue {
            at,
            message: without_input_text(message),
        }
    }
}

/// A serde message with what it quoted from the input taken out, in the
/// words `json_in` uses: serde names an unknown token (`unknown variant
/// `Amy``) and a wrong value (`invalid type: string "Amy"`); the engine's
/// messages name only the vocabulary and the expected form (SPEC §1.6).
/// serde writes the expected part last, from the type, so it is found from
/// the end: no quoted text can fake it.
fn without_input_text(message: &str) -> String {
    const EXPECTED: &str = ", expected ";
    let Some(at) = message.rfind(EXPECTED) else {
        return message.to_string();
    };
    let expected = &message[at + EXPECTED.len()..];
    let unexpected = &message[..at];
    if unexpected.starts_with("unknown variant") {
        let tokens = expected.strip_prefix("one of ").unwrap_or(expected);
        return crate::error::not_one_of(
            tokens
                .split(", ")
                .flat_map(|t| t.split(" or "))
                .map(|t| t.trim_matches('`')),
        );
    }
    for kind in ["invalid type: ", "invalid value: "] {
        let Some(what) = unexpected.strip_prefix(kind) else {
            continue;
        };
        // `string "Amy"`, `integer `300``: the words before the quoted value.
        let what = what.split([' ']).take_while(|w| !w.starts_with(['"', '`']));
        let what = what.collect::<Vec<_>>().join(" ");
        return match (kind, what.as_str()) {
            ("invalid value: ", "integer") => crate::wire::json_in::out_of_range(expected),
            ("invalid type: ", "floating point") => crate::wire::json_in::not_an_integer(expected),
            _ => format!("{kind}{what}, expected {expected}"),
        };
    }
    message.to_string()
}

/// 1-based line and column of byte offset `pos` in `text`.
pub(crate) fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(text.len());
    let before = &text.as_bytes()[..pos];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_limit_counts_only_structure_outside_strings() {
        let inside_string = format!(r#"{{"a":"{}"}}"#, "[".repeat(100));
        assert!(check_nesting(&inside_string, MAX_DEPTH).is_ok());
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(check_nesting(&deep, MAX_DEPTH).unwrap_err(), too_deep());
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(check_nesting(&ok, MAX_DEPTH).is_ok());
    }

    #[test]
    fn size_limit_is_one_mebibyte() {
        let big = " ".repeat(MAX_REQUEST_BYTES + 1);
        assert_eq!(check_size(&big).unwrap_err(), too_large(big.len()));
        assert!(check_size(&big[1..]).is_ok());
    }

    #[test]
    fn line_col_is_one_based() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 0), (1, 1));
    }

    /// Issue 21: one code for text that is not UTF-8, at its line and
    /// column (1-based, the column in bytes), whatever the sequence.
    #[test]
    fn text_that_is_not_utf8_is_invalid_utf8_at_its_place() {
        for bad in [
            &b"\xff"[..],
            b"\xc3\x28",
            b"\xed\xa0\x80",
            b"\xc0\xaf",
            b"\xe2\x82",
        ] {
            let mut bytes = b"{\n  \"a\": \"".to_vec();
            bytes.extend_from_slice(bad);
            let e = utf8(&bytes, "request").unwrap_err();
            assert_eq!(e.code(), "invalid_utf8", "{bad:?}");
            assert_eq!(e.location(), Some(&Location::line_col(2, 9)), "{bad:?}");
        }
        assert_eq!(
            utf8("{\"é\": 1}".as_bytes(), "request").ok(),
            Some("{\"é\": 1}")
        );
    }

    /// Issue 21: a NUL or a form feed between tokens is not JSON.
    #[test]
    fn check_json_refuses_nul_and_form_feed_between_tokens() {
        assert!(check_json(r#"{"request": {"a": 1}, "b": [true]}"#).is_ok());
        for odd in ['\u{0}', '\u{c}'] {
            for text in [
                format!(r#"{{"request": {{"a": 1}}{odd}, "b": 2}}"#),
                format!(r#"{{"request": {{"a": 1}}, "b": 2}}{odd}"#),
                format!(r#"{odd}{{"request": 1}}"#),
            ] {
                let e = check_json(&text).unwrap_err();
                assert_eq!(e.code(), "invalid_json", "{text:?}");
            }
        }
    }
}
