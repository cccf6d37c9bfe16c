//! Scenario files: a request wrapped with what it should produce.
//!
//! The project's examples and test scenarios are objects of the form
//! `{"request": {...}, "expect": {...}, "why": "..."}`. A DSL or developer
//! reading one should be able to run it as it stands
//! (`safeguard eval examples/sexting-under13-sexual-acts.json`), so the CLI
//! evaluates the `"request"` object of such a file.
//!
//! The request is cut out of the text *as written* by a small scanner rather
//! than by parsing the file into a `serde_json::Value` and printing it back:
//! a round trip through `Value` would silently keep only the last of two
//! duplicate keys and so hide the `duplicate_field` error the engine reports,
//! and would cost a second full parse. The scanner only finds the span of
//! the top-level `"request"` value; the engine still parses and validates
//! that span in full, and anything the scanner cannot make sense of is passed
//! to the engine whole, which then reports the precise error. The scanner is
//! lenient, so `eval` checks the whole file with the engine's strict JSON
//! reader before it decides a scenario's request: text around the request
//! that is not JSON (a NUL or form feed after it) is `invalid_json`.
//!
//! So that an error's line and column still point into the file the user
//! has open, the engine is given the file's text up to the request with
//! every byte but the line breaks blanked to a space ([`request_in_place`]):
//! the request then sits at its original line and column.

use std::ops::Range;

/// The request of a scenario file, preceded by blanks that keep it at its
/// original line and column, or `None` when `text` is not a scenario.
pub fn request_in_place(text: &str) -> Option<String> {
    let span = request_span(text)?;
    let (prefix, request) = (text.get(..span.start)?, text.get(span.clone())?);
    let mut padded = String::with_capacity(span.end);
    padded.extend(prefix.bytes().map(|b| if b == b'\n' { '\n' } else { ' ' }));
    padded.push_str(request);
    Some(padded)
}

/// The text of the top-level `"request"` object, as written.
#[cfg(test)]
fn request_of(text: &str) -> Option<&str> {
    text.get(request_span(text)?)
}

/// The byte range of the top-level `"request"` object, if `text` is a
/// scenario. `None` for anything else (a plain request, malformed JSON, a
/// `"request"` that is not an object), which is then evaluated as given.
fn request_span(text: &str) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    loop {
        i = skip_ws(b, i);
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let key_end = skip_string(b, i)?;
        let key = b.get(i + 1..key_end - 1)?;
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(b, i + 1);
        let start = i;
        let end = skip_value(b, start)?;
        if key == b"request" {
            return (b.get(start) == Some(&b'{')).then_some(start..end);
        }
        i = skip_ws(b, end);
        match b.get(i) {
            Some(b',') => i += 1,
            _ => return None,
        }
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    // A UTF-8 byte-order mark is tolerated at the start, as editors add one.
    if i == 0 && b.starts_with(&[0xEF, 0xBB, 0xBF]) {
        i = 3;
    }
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// `b[i]` is an opening quote; returns the index just past the closing one.
fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        match b.get(j)? {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
}

/// Returns the index just past the JSON value starting at `b[i]`. Objects and
/// arrays are skipped by counting brackets outside strings (no recursion, so
/// deep nesting costs nothing); scalars end at the next delimiter.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match b.get(j)? {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while !matches!(
                b.get(j),
                None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            ) {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::request_of;

    #[test]
    fn finds_the_request_object() {
        let text = r#"{"why": "a \"quoted\" {brace}", "n": -1.5e3, "ok": true,
            "request": {"facts": {"x": [1, {"y": "}"}]}}, "expect": {}}"#;
        assert_eq!(
            request_of(text),
            Some(r#"{"facts": {"x": [1, {"y": "}"}]}}"#)
        );
    }

    #[test]
    fn plain_requests_and_junk_are_left_alone() {
        assert_eq!(request_of(r#"{"domain": "sexting", "facts": {}}"#), None);
        assert_eq!(request_of(r#"{"request": 5}"#), None);
        assert_eq!(request_of(r#"{"request": {"a": 1"#), None);
        assert_eq!(request_of(""), None);
        assert_eq!(request_of("[]"), None);
        assert_eq!(request_of(r#"{"a" 1, "request": {}}"#), None);
        assert_eq!(request_of("{\"\\"), None);
    }

    #[test]
    fn keeps_the_request_at_its_line_and_column() {
        let text = "{\"why\": \"é\",\n  \"request\": {\"a\": 1}, \"expect\": 2}";
        let padded = super::request_in_place(text).unwrap_or_default();
        assert_eq!(padded.find('{'), text.find("{\"a\""));
        assert_eq!(padded.trim(), "{\"a\": 1}");
        assert_eq!(padded.lines().count(), 2);
    }

    #[test]
    fn tolerates_a_byte_order_mark() {
        assert_eq!(request_of("\u{feff}{\"request\": {}}"), Some("{}"));
    }
}
