//! TOML policies are read as JSON.
//!
//! # Why
//!
//! A policy can be written in TOML or JSON, and requests are JSON. Reading
//! each format with its own serde deserializer compiles every `Deserialize`
//! impl of the policy types once per deserializer type (and toml has
//! several), which was about half of the WebAssembly module. Instead, TOML
//! text is parsed into toml's spanned document tree, that tree is written
//! out as JSON text, and the JSON is read by the one deserializer requests
//! already use. Errors keep pointing at the TOML source: a failed read gives
//! the path of the value (or key) at fault, and [`span_of`] finds that path
//! in the tree.
//!
//! # Faithful to what the toml deserializer did
//!
//! - tables become objects, with keys in the tree's order (sorted), which
//!   is the order toml's own deserializer visited them;
//! - integers are written in decimal, floats as written (without `_`
//!   and a leading `+`), so that they still read as floats (`1.0`, not
//!   `1`). No policy field takes a float, so a float is always an error;
//!   its message quotes the float as the policy has it (`2e3`), where
//!   toml's deserializer showed the `f64` (`2000.0`);
//! - a date or time becomes `{"$__toml_private_datetime": "..."}`, the map
//!   toml's deserializer presented, so a datetime where text belongs is
//!   still "invalid type: map";
//! - a float JSON cannot hold (`inf`, `nan`) is an error at its span.
//!
//! This file uses nothing from the crate but `toml` and `serde_json`, so the build script
//! includes it too, to turn the built-in presets into JSON at build time.

use std::fmt::Write as _;
use std::ops::Range;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The key of the map that stands for a TOML datetime.
pub const DATETIME_KEY: &str = "$__toml_private_datetime";

/// A value the conversion cannot write as JSON.
#[derive(Debug)]
pub struct ConvertError {
    /// Byte range of the value in the TOML text.
    pub span: Range<usize>,
    pub message: String,
}

/// The document as compact JSON text.
pub fn to_json(root: &Spanned<DeTable<'_>>) -> Result<String, ConvertError> {
    let mut out = String::with_capacity(root.span().len());
    write_table(&mut out, root.get_ref())?;
    Ok(out)
}

fn write_table(out: &mut String, table: &DeTable<'_>) -> Result<(), ConvertError> {
    out.push('{');
    for (i, (key, value)) in table.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, key.get_ref());
        out.push(':');
        write_value(out, value)?;
    }
    out.push('}');
    Ok(())
}

fn write_value(out: &mut String, value: &Spanned<DeValue<'_>>) -> Result<(), ConvertError> {
    match value.get_ref() {
        DeValue::String(s) => write_string(out, s),
        DeValue::Integer(n) => match i128::from_str_radix(n.as_str(), n.radix()) {
            Ok(n) => {
                let _ = write!(out, "{n}");
            }
            Err(_) => {
                return Err(ConvertError {
                    span: value.span(),
                    message: format!("integer `{}` is out of range", n.as_str()),
                })
            }
        },
        DeValue::Float(f) => {
            let parsed = match f.as_str() {
                "inf" | "+inf" => f64::INFINITY,
                "-inf" => f64::NEG_INFINITY,
                "nan" | "+nan" | "-nan" => f64::NAN,
                text => text.parse::<f64>().unwrap_or(f64::NAN),
            };
            if !parsed.is_finite() {
                return Err(ConvertError {
                    span: value.span(),
                    message: format!("invalid type: floating point `{}`", f.as_str()),
                });
            }
            // The number as written, less TOML's `_` separators and a
            // leading `+`: then it is JSON, and still a float (TOML floats
            // have a fraction or an exponent). Not `{parsed:?}`: formatting
            // an f64 brought 23 KB of code into the WebAssembly module.
            out.extend(f.as_str().chars().filter(|&c| c != '_' && c != '+'));
        }
        DeValue::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        DeValue::Datetime(d) => {
            out.push('{');
            write_string(out, DATETIME_KEY);
            out.push(':');
            write_string(out, &d.to_string());
            out.push('}');
        }
        DeValue::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item)?;
            }
            out.push(']');
        }
        DeValue::Table(table) => write_table(out, table)?,
    }
    Ok(())
}

/// `s` as a JSON string literal, escaped by serde_json (the escaping the
/// rest of the engine's JSON uses; the build script has serde_json too).
fn write_string(out: &mut String, s: &str) {
    // Writing a `str` as JSON cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

/// One step of a path into the document.
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The byte range in the TOML text of the value at `path` or, with
/// `at_key`, of the last step's key. A path that leaves the tree (into a
/// datetime's map) stops at the last value found.
pub fn span_of<'a>(
    root: &Spanned<DeTable<'_>>,
    path: impl IntoIterator<Item = Step<'a>>,
    at_key: bool,
) -> Range<usize> {
    let mut span = root.span();
    let mut table = Some(root.get_ref());
    let mut array = None;
    let mut steps = path.into_iter().peekable();
    while let Some(step) = steps.next() {
        let last = steps.peek().is_none();
        let found = match step {
            Step::Key(key) => table
                .and_then(|t| t.get_key_value(key))
                .map(|(k, v)| (if last && at_key { k.span() } else { v.span() }, v)),
            Step::Index(i) => array
                .and_then(|a: &[Spanned<DeValue<'_>>]| a.get(i))
                .map(|v| (v.span(), v)),
        };
        let Some((found_span, value)) = found else {
            break;
        };
        span = found_span;
        table = value.get_ref().as_table();
        array = value.get_ref().as_array().map(|a| &a[..]);
    }
    span
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(toml_text: &str) -> String {
        to_json(&DeTable::parse(toml_text).unwrap()).unwrap()
    }

    #[test]
    fn every_kind_of_value_is_written_as_json() {
        let text = "b = true\nn = 0x1f\nneg = -3\nf = 1.0\ne = 2e3\ng = +1_000.5\nh = -1.5E+3\n\
                    s = \"a\\\"b\\u0001\\n\"\na = [1, [2], { x = 'y' }]\nd = 1979-05-27\n[t]\nk.j = 1\n";
        let out = json(text);
        assert_eq!(
            out,
            r#"{"a":[1,[2],{"x":"y"}],"b":true,"d":{"$__toml_private_datetime":"1979-05-27"},"e":2e3,"f":1.0,"g":1000.5,"h":-1.5E3,"n":31,"neg":-3,"s":"a\"b\u0001\n","t":{"k":{"j":1}}}"#
        );
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["t"]["k"]["j"], 1);
    }

    #[test]
    fn a_float_json_cannot_hold_is_refused_at_its_span() {
        let text = "x = 1\ny = -inf\n";
        let err = to_json(&DeTable::parse(text).unwrap()).unwrap_err();
        assert_eq!(&text[err.span], "-inf");
    }

    #[test]
    fn a_path_finds_its_value_or_key() {
        let text =
            "[policy]\nid = \"x\"\n\n[[rules]]\nid = \"a\"\n[[rules]]\nid = \"b\"\nwhen = [1, 2]\n";
        let root = DeTable::parse(text).unwrap();
        let at = |path: Vec<Step<'_>>, at_key| &text[span_of(&root, path, at_key)];
        assert_eq!(
            at(vec![Step::Key("policy"), Step::Key("id")], false),
            "\"x\""
        );
        assert_eq!(at(vec![Step::Key("policy"), Step::Key("id")], true), "id");
        assert_eq!(
            at(
                vec![
                    Step::Key("rules"),
                    Step::Index(1),
                    Step::Key("when"),
                    Step::Index(1)
                ],
                false
            ),
            "2"
        );
        // A key that is not there: the nearest value that is.
        assert_eq!(
            at(
                vec![Step::Key("policy"), Step::Key("nope"), Step::Key("x")],
                false
            ),
            &text[span_of(&root, vec![Step::Key("policy")], false)]
        );
        assert_eq!(span_of(&root, Vec::new(), false).start, 0);
    }
}
