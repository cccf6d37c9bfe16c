//! Reading what the user points the CLI at: request files (or stdin),
//! policy files and image files.
//!
//! The engine itself does no I/O, so everything between the file system and
//! the engine's `&str` lives here, and it follows the engine's rule that bad
//! input gets a clear error, never a crash:
//! - reads are capped a little above the engine's own size limits, so a huge
//!   or endless input (`safeguard eval /dev/zero`) is refused without first
//!   filling memory;
//! - text that is not UTF-8 becomes the engine's `invalid_utf8` error with
//!   the line and column of the first bad byte (as the C ABI and the
//!   bindings give it), rather than an I/O failure, because it is the input
//!   that is wrong.

use crate::failure::Failure;
use safeguard_engine::json::{MAX_IMAGE_BYTES, MAX_POLICY_BYTES, MAX_REQUEST_BYTES};
use safeguard_engine::{json, Engine, Error, Format, Location};
use std::io::{self, Read};
use std::path::Path;

/// Largest request *file* read for a single evaluation. A scenario file
/// wraps a request with its expectation and commentary, so it may be larger
/// than the request the engine accepts; the engine still checks the request.
pub const MAX_REQUEST_FILE_BYTES: usize = 4 * MAX_REQUEST_BYTES;

/// True when `path` means standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Reads at most `cap` bytes; `Ok(None)` when the input is longer.
fn read_capped(reader: impl Read, cap: usize) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    reader.take(limit).read_to_end(&mut bytes)?;
    Ok(if bytes.len() > cap { None } else { Some(bytes) })
}

/// The text of a request file, or of stdin for `-`.
pub fn read_request(path: &Path) -> Result<String, Failure> {
    let bytes = if is_stdin(path) {
        read_capped(io::stdin().lock(), MAX_REQUEST_FILE_BYTES)
            .map_err(|e| Failure::io("cannot read standard input", e))?
    } else {
        let file = std::fs::File::open(path).map_err(|e| Failure::reading(path, e))?;
        read_capped(file, MAX_REQUEST_FILE_BYTES).map_err(|e| Failure::reading(path, e))?
    };
    let bytes = bytes.ok_or_else(|| Error::TooLarge {
        at: Location::path("$"),
        message: format!("the input is over {MAX_REQUEST_FILE_BYTES} bytes"),
    })?;
    Ok(request_text(bytes)?)
}

/// Request bytes as text, or `invalid_utf8` at the first byte that is not UTF-8.
pub fn request_text(bytes: Vec<u8>) -> Result<String, Error> {
    text(bytes, "request")
}

/// Bytes as text, or the engine's `invalid_utf8` error for the `what`.
fn text(bytes: Vec<u8>, what: &'static str) -> Result<String, Error> {
    json::utf8(&bytes, what).map(str::to_owned)
}

/// The bytes of an image file, read up to one byte past the engine's image
/// limit: an oversize file (or `/dev/zero`) is never read whole, and still
/// reaches the engine over its limit, so the engine gives its own
/// `too_large` error.
pub fn read_image(path: &Path) -> Result<Vec<u8>, Failure> {
    let file = std::fs::File::open(path).map_err(|e| Failure::reading(path, e))?;
    let limit = u64::try_from(MAX_IMAGE_BYTES)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let mut bytes = Vec::new();
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::reading(path, e))?;
    Ok(bytes)
}

/// The policy format a file name implies: `.json` is JSON, anything else TOML.
pub fn format_of(path: &Path) -> Format {
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
        _ => Format::Toml,
    }
}

/// The text of a policy file, checked for size and UTF-8.
pub fn read_policy_text(path: &Path) -> Result<String, Failure> {
    read_document(path, "policy")
}

/// The text of a policy builder's answers file, checked as a policy file is.
pub fn read_answers_text(path: &Path) -> Result<String, Failure> {
    read_document(path, "answers file")
}

/// The text of a document of the policy's size (`what` names it).
fn read_document(path: &Path, what: &'static str) -> Result<String, Failure> {
    let file = std::fs::File::open(path).map_err(|e| Failure::reading(path, e))?;
    let bytes = read_capped(file, MAX_POLICY_BYTES)
        .map_err(|e| Failure::reading(path, e))?
        .ok_or_else(|| Error::TooLarge {
            at: Location::none(),
            message: format!("the {what} is over {MAX_POLICY_BYTES} bytes"),
        })?;
    Ok(text(bytes, what)?)
}

/// Loads a policy file, TOML or JSON by its extension.
pub fn load_policy_file(path: &Path) -> Result<Engine, Failure> {
    let text = read_policy_text(path)?;
    Ok(json::load_policy(&text, format_of(path))?)
}

/// The engine for `--policy ID|PATH`: a preset when one has that id,
/// otherwise the policy file at that path.
///
/// A name that is not a preset, does not exist as a file and does not look
/// like a path (no separator, no extension) is most likely a mistyped preset
/// id, so it gets `unknown_policy` (exit 2) rather than "file not found".
pub fn load_policy(spec: &str) -> Result<Engine, Failure> {
    if Engine::presets().contains(&spec) {
        return Ok(json::preset(spec)?);
    }
    let path = Path::new(spec);
    if !path.exists() && looks_like_id(spec) {
        return Err(unknown_policy().into());
    }
    load_policy_file(path)
}

/// Could `s` be meant as a preset id rather than a path?
pub fn looks_like_id(s: &str) -> bool {
    !s.is_empty() && !s.contains(['/', '\\', '.'])
}

/// The `unknown_policy` error for a name given on the command line (the
/// name is not quoted, as no error quotes what it was given).
pub fn unknown_policy() -> Error {
    Error::UnknownPolicy {
        at: Location::none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_reads() {
        assert_eq!(
            read_capped(&b"abc"[..], 3).ok().flatten(),
            Some(b"abc".to_vec())
        );
        assert_eq!(read_capped(&b"abcd"[..], 3).ok().flatten(), None);
    }

    #[test]
    fn bad_utf8_is_invalid_utf8_with_position() {
        let err = request_text(b"{\n  \"a\": \"\xff\"}".to_vec()).err();
        let err = err.as_ref();
        assert_eq!(err.map(Error::code), Some("invalid_utf8"));
        let at = err.and_then(Error::location);
        assert_eq!(at.and_then(|l| l.line), Some(2));
        assert_eq!(at.and_then(|l| l.column), Some(9));
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(format_of(Path::new("a/b.JSON")), Format::Json);
        assert_eq!(format_of(Path::new("a/b.toml")), Format::Toml);
        assert_eq!(format_of(Path::new("policy")), Format::Toml);
    }

    #[test]
    fn ids_versus_paths() {
        assert!(looks_like_id("basline"));
        assert!(!looks_like_id("./basline"));
        assert!(!looks_like_id("school.toml"));
    }
}
