//! `safeguard eval`: one request, or a stream of them.
//!
//! A single request is read whole (a file, or stdin for `-`) and answered
//! with one line of response JSON, or with the plain-English explanation;
//! with `--explain`, a request the engine refuses is explained too (the
//! field in words and what belongs there, on stdout) before the error goes
//! to stderr as ever.
//!
//! `--explain-json` answers with the explanation as one line of JSON: the
//! engine's `json::explain`, byte for byte what C's `sg_explain`, Python's
//! `Engine.explain_json` and JavaScript's `explainJson` give (its `text` is
//! what `--explain` prints), so a program, or the cross-language check, reads
//! the same explanation from every front end. It is the engine's call as
//! the bindings make it, a request under one engine: the `--policy` given,
//! or else the preset the request's `policy` field names; hence no
//! `--domain`, which no binding's `explain` takes either.
//!
//! `--jsonl` is for batches and pipelines: one request per input line, one
//! output line per input line, in order. Line *n* of the output always
//! answers line *n* of the input, so a caller can zip the two files; that is
//! why nothing is ever skipped: a blank line, a line of bad JSON, a line that
//! is not UTF-8 or is too long each get an error object on their line and the
//! run carries on. The exit code then says whether every line succeeded (0)
//! or some failed (2); only a failure to read or write (1) stops the run.

use crate::failure::{Failure, EXIT_BAD_INPUT, EXIT_OK};
use crate::input;
use crate::scenario;
use safeguard_engine::json::{self, evaluate_json_with};
use safeguard_engine::json::{too_large, MAX_REQUEST_BYTES};
use safeguard_engine::{Decision, Domain, Engine, Error, Input, Location, Request};
use std::borrow::Cow;
use std::io::{self, BufRead, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

/// What `eval` prints for each decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The response JSON, one line.
    Json,
    /// The plain-English explanation.
    Explain,
    /// The explanation as JSON, one line (the engine's `json::explain`).
    ExplainJson,
}

/// The request in `text`: the text itself, or a scenario file's request
/// (in place, so that an error's line and column are the file's), and
/// whether it was a scenario's.
fn request_in(text: &str) -> Result<(Cow<'_, str>, bool), Failure> {
    match scenario::request_in_place(text) {
        Some(inner) => {
            // The file around the request must be JSON too: nothing after
            // the request (a NUL, a form feed, text that is no JSON) may
            // pass unread.
            json::check_json(text)?;
            Ok((Cow::Owned(inner), true))
        }
        None => Ok((Cow::Borrowed(text), false)),
    }
}

/// Decides one request text: a plain request, or a scenario file's request.
/// An error is marked as found inside a scenario so its path is read right.
pub fn decide(
    engine: Option<&Engine>,
    text: &str,
    domain: Option<Domain>,
) -> Result<Decision, Failure> {
    let (request, in_scenario) = request_in(text)?;
    evaluate_json_with(engine, &request, domain)
        .map_err(|error| Failure::Core { error, in_scenario })
}

/// The explanation of one request text (a plain request, or a scenario
/// file's request) as one line of JSON: the engine's `json::explain` under
/// `engine`, or else under the preset the request names. A refused request
/// is explained too (`"kind":"refused"`), as every binding explains it.
pub fn explain_json(engine: Option<&Engine>, text: &str) -> Result<String, Failure> {
    let (request, in_scenario) = request_in(text)?;
    match engine {
        Some(engine) => json::explain(engine, &request),
        // A request that cannot be read for its preset is explained as
        // the engine explains any refused request.
        None => match named_preset(&request) {
            Ok(engine) => json::explain(&engine, &request),
            Err(error) => json::explain_error(&error.to_json()),
        },
    }
    .map_err(|error| Failure::Core { error, in_scenario })
}

/// The engine of the preset a request names in its `policy` field: a
/// request that cannot be read is refused with its error, one that names
/// no policy with `missing_field` at `$.policy`, as without `--explain-json`.
fn named_preset(request: &str) -> Result<Engine, Error> {
    let read = Request::from_json(request, None)?;
    let id = read.policy().ok_or_else(|| Error::MissingField {
        at: Location::path("$.policy"),
        field: "policy".into(),
    })?;
    Engine::from_preset(id)
}

/// The answer to one request text in `style` (without a final newline).
fn answer(
    engine: Option<&Engine>,
    text: &str,
    domain: Option<Domain>,
    style: Style,
) -> Result<String, Failure> {
    match style {
        Style::Json => decide(engine, text, domain).map(|d| d.to_json()),
        Style::Explain => decide(engine, text, domain).map(|d| d.explain().to_text()),
        Style::ExplainJson => explain_json(engine, text),
    }
}

/// `eval` of a single request.
pub fn single(
    engine: Option<&Engine>,
    file: &Path,
    domain: Option<Domain>,
    style: Style,
) -> Result<ExitCode, Failure> {
    let text = input::read_request(file)?;
    let mut output = match answer(engine, &text, domain, style) {
        Ok(output) => output,
        Err(failure) => {
            if style == Style::Explain {
                explain_refusal(&failure)?;
            }
            return Err(failure);
        }
    };
    if style != Style::Explain {
        output.push('\n');
    }
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(output.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(Failure::writing)?;
    Ok(ExitCode::from(EXIT_OK))
}

/// `eval --explain` of a request the engine refused: the error in words
/// (which field, what belongs there) on stdout, where the explanation would
/// have been; the error itself still goes to stderr as for any failure.
fn explain_refusal(failure: &Failure) -> Result<(), Failure> {
    let Failure::Core { error, .. } = failure else {
        return Ok(());
    };
    let mut text = error.explain_as(Input::Request).text;
    text.push('\n');
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(Failure::writing)
}

/// `eval --jsonl`: every line of `file` (or stdin) in, one line out each:
/// the response JSON, or with `Style::ExplainJson` the explanation's.
pub fn jsonl(
    engine: Option<&Engine>,
    file: &Path,
    domain: Option<Domain>,
    style: Style,
) -> Result<ExitCode, Failure> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (mut reader, name): (Box<dyn BufRead>, String) = if input::is_stdin(file) {
        (Box::new(io::stdin().lock()), "standard input".into())
    } else {
        let f = std::fs::File::open(file).map_err(|e| Failure::reading(file, e))?;
        (Box::new(io::BufReader::new(f)), file.display().to_string())
    };
    let (lines, failed) = stream(engine, &mut reader, domain, style, &mut out, &name)?;
    out.flush().map_err(Failure::writing)?;
    if failed > 0 {
        // Stderr is for people here: the error objects themselves are on
        // stdout, in line with the requests they answer.
        eprintln!(
            "safeguard: {failed} of {lines} lines failed; see the error objects in the output"
        );
        return Ok(ExitCode::from(EXIT_BAD_INPUT));
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// Answers each line of `reader` on `out`; returns (lines, lines failed).
pub fn stream(
    engine: Option<&Engine>,
    reader: &mut impl BufRead,
    domain: Option<Domain>,
    style: Style,
    out: &mut impl Write,
    name: &str,
) -> Result<(usize, usize), Failure> {
    let mut buf = Vec::new();
    let (mut lines, mut failed) = (0usize, 0usize);
    while let Some(line) = next_line(reader, &mut buf, MAX_REQUEST_BYTES)
        .map_err(|e| Failure::io(format!("cannot read {name}"), e))?
    {
        lines += 1;
        let result = match line {
            // The engine's own error for a request of that size, as the
            // C ABI gives it for the same line.
            Line::TooLong(len) => Err(Failure::from(too_large(len))),
            Line::Text => input::request_text(std::mem::take(&mut buf))
                .map_err(Failure::from)
                .and_then(|text| answer(engine, &text, domain, style)),
        };
        let json = match result {
            Ok(json) => json,
            Err(failure) => {
                failed += 1;
                failure.to_json()
            }
        };
        out.write_all(json.as_bytes())
            .and_then(|()| out.write_all(b"\n"))
            .map_err(Failure::writing)?;
    }
    Ok((lines, failed))
}

/// One input line, as [`next_line`] read it.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// The line (without its line ending) is in the buffer.
    Text,
    /// The line was longer than the cap (it has been read past and dropped);
    /// the number is how many bytes were seen.
    TooLong(usize),
}

/// Reads the next line into `buf` (without `\n` or `\r\n`), keeping at most
/// `cap` bytes of it so one endless line cannot exhaust memory. Returns
/// `None` at the end of the input. A last line without a newline counts; the
/// empty "line" after a final newline does not.
pub fn next_line(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> io::Result<Option<Line>> {
    buf.clear();
    let mut seen = 0usize;
    let mut started = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        started = true;
        let newline = available.iter().position(|b| *b == b'\n');
        let chunk = &available[..newline.unwrap_or(available.len())];
        seen = seen.saturating_add(chunk.len());
        if seen <= cap.saturating_add(1) {
            // One byte over the cap is kept so a trailing `\r` can still be
            // stripped from a line of exactly `cap` bytes.
            buf.extend_from_slice(chunk);
        }
        let used = newline.map_or(available.len(), |i| i + 1);
        reader.consume(used);
        if newline.is_some() {
            break;
        }
    }
    if !started {
        return Ok(None);
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
        seen -= 1;
    }
    if seen > cap {
        buf.clear();
        return Ok(Some(Line::TooLong(seen)));
    }
    Ok(Some(Line::Text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], cap: usize) -> Vec<Result<Vec<u8>, usize>> {
        let mut reader = io::BufReader::with_capacity(2, input);
        let mut buf = Vec::new();
        let mut got = Vec::new();
        while let Ok(Some(line)) = next_line(&mut reader, &mut buf, cap) {
            got.push(match line {
                Line::Text => Ok(buf.clone()),
                Line::TooLong(n) => Err(n),
            });
        }
        got
    }

    #[test]
    fn splits_lines_keeping_blank_ones() {
        assert_eq!(
            lines(b"ab\r\n\ncd", 10),
            vec![Ok(b"ab".to_vec()), Ok(Vec::new()), Ok(b"cd".to_vec())]
        );
        assert_eq!(lines(b"ab\n", 10), vec![Ok(b"ab".to_vec())]);
        assert!(lines(b"", 10).is_empty());
    }

    #[test]
    fn long_lines_are_reported_and_skipped_past() {
        assert_eq!(
            lines(b"abcdef\nab\nabc\r\n", 3),
            vec![Err(6), Ok(b"ab".to_vec()), Ok(b"abc".to_vec())]
        );
    }

    /// A line too long to read is answered with the engine's own error
    /// for it, the very line the C ABI's JSON Lines call gives.
    #[test]
    fn a_line_too_long_gets_the_engines_answer() {
        let line = vec![b' '; MAX_REQUEST_BYTES + 1];
        let mut input = line.clone();
        input.push(b'\n');
        let mut out = Vec::new();
        let counts = stream(None, &mut &input[..], None, Style::Json, &mut out, "test").ok();
        assert_eq!(counts, Some((1, 1)));
        let engine = Engine::from_preset("baseline").ok();
        let c_abi = engine.map(|e| safeguard_engine::json::evaluate_many(&e, &input));
        assert_eq!(String::from_utf8(out).ok(), c_abi);
    }

    #[test]
    fn bad_lines_keep_their_place() {
        let good = r#"{"policy": "baseline", "incident_date": "2025-01-20", "young_people": [{"id": "a", "age": 15, "role": "subject"}], "facts": {"adult_involved": "yes"}}"#;
        let mut input = format!("{good}\n\n{{\n").into_bytes();
        input.extend_from_slice(b"\xff\n");
        input.extend_from_slice(format!("{good}\n").as_bytes());
        let mut reader = io::BufReader::new(&input[..]);
        let mut out = Vec::new();
        let counts = stream(None, &mut reader, None, Style::Json, &mut out, "test").ok();
        assert_eq!(counts, Some((5, 3)));
        let out = String::from_utf8(out).unwrap_or_default();
        let codes: Vec<&str> = out
            .lines()
            .map(|l| {
                if l.contains(r#""outcome""#) {
                    "ok"
                } else if l.contains(r#""code":"invalid_json""#) {
                    "invalid_json"
                } else if l.contains(r#""code":"invalid_utf8""#) {
                    "invalid_utf8"
                } else {
                    "other"
                }
            })
            .collect();
        assert_eq!(
            codes,
            ["ok", "invalid_json", "invalid_json", "invalid_utf8", "ok"]
        );
    }
}
