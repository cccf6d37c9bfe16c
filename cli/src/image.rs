//! `safeguard image inspect` and `safeguard image strip`: what a photo file
//! gives away, and a copy of it without its location (with
//! `--all-identifying`, without its identifying metadata too).
//!
//! Both are thin shells around the engine: the file is read (capped just
//! past the engine's limit, see [`input::read_image`]), handed to the
//! engine's `json` module (`json::inspect_image`, `json::strip_location`,
//! `json::strip_identifying`, as every binding calls them), and the
//! engine's answer is printed or
//! written. The picture is never decoded here or there: `strip` writes the
//! engine's copy, which differs from the original only inside the metadata
//! it cleans.
//!
//! `inspect` prints the engine's JSON line for programs, or with
//! `--explain` a few plain sentences for the office staff who publish
//! photos, which are the CLI's own and so read the engine's typed report
//! (`images::metadata::inspect`), as does `strip`'s summary on stderr. `strip` writes its copy atomically (a temporary file
//! in the destination's directory, then a rename), so a reader never sees a
//! half-written photo and a failure leaves the destination as it was. It
//! refuses to replace the file it reads unless told to with `--in-place`,
//! so a typo cannot cost the original.

use crate::failure::Failure;
use crate::input;
use safeguard_engine::images::metadata::{
    inspect as inspect_image, IdentifyingField, ImageFormat, ImageInfo, LocationField,
};
use safeguard_engine::{json, Error};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// `image inspect FILE [--explain]`.
pub fn inspect(path: &Path, explain: bool) -> Result<(), Failure> {
    let bytes = input::read_image(path)?;
    let text = if explain {
        explain_info(path, &inspect_image(&bytes)?)
    } else {
        let mut line = json::inspect_image(&bytes)?;
        line.push('\n');
        line
    };
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(Failure::writing)
}

/// What `image strip` removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remove {
    /// The location only (the default).
    Location,
    /// The location and the identifying metadata (`--all-identifying`).
    Identifying,
}

/// `image strip FILE -o OUT [--in-place] [--all-identifying]`: writes the
/// copy, then reports on stderr what was removed.
pub fn strip(path: &Path, out: &Path, in_place: bool, remove: Remove) -> Result<(), Failure> {
    let bytes = input::read_image(path)?;
    let target = destination(path, out, in_place)?;
    let before = inspect_image(&bytes)?;
    let stripped = match remove {
        Remove::Location => json::strip_location(&bytes)?,
        Remove::Identifying => json::strip_identifying(&bytes)?,
    };
    // The engine promises this; a tool that tells staff a photo is safe to
    // publish checks it rather than trusting it.
    let after = inspect_image(&stripped)?;
    if after.has_location {
        return Err(internal("the stripped copy still carries location data"));
    }
    if remove == Remove::Identifying && !after.identifying.is_empty() {
        return Err(internal(
            "the stripped copy still carries identifying metadata",
        ));
    }
    write_atomically(&target, out, &stripped)?;
    // Whether anything was blanked for the location's sake: with
    // identifying metadata also removed, the copy differs anyway (a caption
    // taken out is not "unreadable metadata"), so ask the location strip.
    let location_unchanged = match remove {
        Remove::Location => stripped == bytes,
        Remove::Identifying => json::strip_location(&bytes)? == bytes,
    };
    eprintln!(
        "{}",
        strip_summary(&before, &after, location_unchanged, remove)
    );
    Ok(())
}

fn internal(message: &str) -> Failure {
    Error::Internal {
        message: message.into(),
    }
    .into()
}

/// The one-line report of a strip: what was removed, everything of it.
/// `before` and `after` are the engine's readings of the file and of the
/// copy; `unchanged` says whether the location strip left the file as it
/// was.
fn strip_summary(before: &ImageInfo, after: &ImageInfo, unchanged: bool, remove: Remove) -> String {
    let mut parts = Vec::new();
    if !before.location_fields.is_empty() {
        let fields: Vec<&str> = before.location_fields.iter().map(|f| token(*f)).collect();
        parts.push(format!("removed location data: {}", fields.join(", ")));
        if before.unreadable_metadata {
            parts.push(String::from(
                "removed unreadable metadata that might hold more",
            ));
        }
    } else if unchanged && !before.unreadable_metadata {
        parts.push(String::from("no location data found"));
        if remove == Remove::Location || before.identifying.is_empty() {
            // The copy differs otherwise, by the identifying data named below.
            parts.push(String::from("copied unchanged"));
        }
    } else if before.unreadable_metadata {
        // A metadata block that could not be read is blanked whole, since
        // nothing can be said about what it hides.
        parts.push(String::from("no location data found"));
        parts.push(String::from(
            "removed unreadable metadata that might hold some",
        ));
    } else {
        // Readable, no position, and yet changed: GPS data without a
        // position (altitude, time, a GPS block with only its version),
        // which the location strip removes too.
        parts.push(String::from("no location data found"));
        parts.push(String::from("removed other GPS data"));
    }
    if remove == Remove::Location {
        // A block the location could not be cleaned out of (a compressed
        // PNG text chunk, an unreadable block) goes whole, with whatever
        // else it held: say so rather than let it go unremarked.
        let lost: Vec<String> = before
            .identifying
            .iter()
            .filter(|i| !after.identifying.iter().any(|a| a.field == i.field))
            .map(|i| identifying_token(i.field))
            .collect();
        if !lost.is_empty() {
            parts.push(format!(
                "also removed, with the metadata block it was stored in: {}",
                lost.join(", ")
            ));
        }
    } else if !before.identifying.is_empty() {
        let fields: Vec<String> = before
            .identifying
            .iter()
            .map(|i| identifying_token(i.field))
            .collect();
        parts.push(format!("removed identifying data: {}", fields.join(", ")));
    }
    parts.join("; ")
}

/// The wire token of an identifying field (`artist`, `camera_serial`, …).
fn identifying_token(field: IdentifyingField) -> String {
    serde_json::to_value(field)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The wire token of a location field (`exif_gps`, …).
fn token(field: LocationField) -> &'static str {
    match field {
        LocationField::ExifGps => "exif_gps",
        LocationField::XmpLocation => "xmp_location",
        LocationField::IptcLocation => "iptc_location",
    }
}

/// The path to write: `out`, or, when `out` exists, the file it names with
/// symbolic links followed (so `--in-place` on a link cleans the photo, not
/// the link). Writing over the input itself needs `in_place`.
fn destination(input: &Path, out: &Path, in_place: bool) -> Result<PathBuf, Failure> {
    let Ok(target) = fs::canonicalize(out) else {
        // Nothing there yet (or a dangling link): it cannot be the input.
        return Ok(out.to_path_buf());
    };
    let original = fs::canonicalize(input).map_err(|e| Failure::reading(input, e))?;
    if !in_place && (target == original || same_file(&target, &original)) {
        return Err(Failure::usage(format!(
            "`{}` is the input file; pass --in-place to replace it with the stripped copy",
            out.display()
        )));
    }
    Ok(target)
}

/// True when both paths name one file (a hard link, or a case-insensitive
/// file system spelling it differently).
#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

/// Writes `bytes` to `target` through a new temporary file beside it and a
/// rename, keeping an existing file's permissions. `shown` is the path as
/// the user gave it, for messages.
fn write_atomically(target: &Path, shown: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let writing = |e| Failure::io(format!("cannot write `{}`", shown.display()), e);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target.file_name().ok_or_else(|| {
        writing(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the output path names no file",
        ))
    })?;
    let (temp_path, mut file) = create_temp(&dir, &name.to_string_lossy()).map_err(writing)?;
    let written = file
        .write_all(bytes)
        .and_then(|()| {
            if let Ok(meta) = fs::metadata(target) {
                file.set_permissions(meta.permissions())?;
            }
            file.sync_all()
        })
        .and_then(|()| {
            drop(file);
            fs::rename(&temp_path, target)
        });
    if let Err(e) = written {
        let _ = fs::remove_file(&temp_path);
        return Err(writing(e));
    }
    // Make the rename itself durable where the platform allows it.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// A new file `.<name>.<pid>-<n>.tmp` in `dir`, never one that exists.
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    let mut last = None;
    for n in 0..100 {
        let path = dir.join(format!(".{name}.{pid}-{n}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no temporary file name was free")))
}

/// The plain-English report of `inspect --explain`.
fn explain_info(path: &Path, info: &ImageInfo) -> String {
    let mut s = format!("{}: {} image\n", path.display(), format_name(info.format));
    if info.has_location {
        let found: Vec<&str> = info
            .location_fields
            .iter()
            .map(|f| location_label(*f))
            .collect();
        s.push_str(&format!("Location found: yes — {}\n", found.join(", ")));
        if let Some(c) = info.location {
            s.push_str(&format!(
                "It shows where the photo was taken: {:.5}° {}, {:.5}° {}\n",
                c.latitude.abs(),
                if c.latitude < 0.0 { 'S' } else { 'N' },
                c.longitude.abs(),
                if c.longitude < 0.0 { 'W' } else { 'E' },
            ));
        }
    } else {
        s.push_str("No location data found.\n");
    }
    if info.unreadable_metadata {
        s.push_str(
            "Some metadata could not be read, so it may hide a location: \
             stripping removes it whole.\n",
        );
    }
    if info.identifying.is_empty() {
        s.push_str("Other identifying details: none.\n");
    } else {
        let details: Vec<&str> = info
            .identifying
            .iter()
            .map(|i| identifying_label(i.field))
            .collect();
        s.push_str(&format!(
            "Other identifying details: {}\n",
            details.join(", ")
        ));
    }
    if info.has_location || info.unreadable_metadata {
        s.push_str(&format!(
            "Before publishing, remove the location: safeguard image strip {} -o NEW-FILE\n",
            shell_word(&path.display().to_string())
        ));
    }
    if !info.identifying.is_empty() {
        s.push_str(&format!(
            "Stripping removes only the location; to remove these details too: \
             safeguard image strip {} --all-identifying -o NEW-FILE\n",
            shell_word(&path.display().to_string())
        ));
    }
    s
}

fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::Png => "PNG",
        ImageFormat::Tiff => "TIFF",
        ImageFormat::Webp => "WebP",
        ImageFormat::Heic => "HEIC",
        ImageFormat::Avif => "AVIF",
    }
}

fn location_label(field: LocationField) -> &'static str {
    match field {
        LocationField::ExifGps => "GPS in EXIF",
        LocationField::XmpLocation => "GPS or place names in XMP",
        LocationField::IptcLocation => "place names in IPTC",
    }
}

fn identifying_label(field: IdentifyingField) -> &'static str {
    match field {
        IdentifyingField::Artist => "artist name",
        IdentifyingField::OwnerName => "camera owner's name",
        IdentifyingField::Copyright => "copyright notice",
        IdentifyingField::CameraSerial => "camera serial number",
        IdentifyingField::LensSerial => "lens serial number",
        IdentifyingField::DateTaken => "date taken",
        IdentifyingField::ContactInfo => "photographer's contact details",
        IdentifyingField::DescriptiveText => {
            "descriptive text (a title, caption, keywords or name tags)"
        }
    }
}

/// `s` quoted for a POSIX shell when it needs quoting, for a command to copy.
fn shell_word(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./+,:@%=".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use safeguard_engine::images::metadata::{Coordinates, Identifying, MetadataSource};

    fn info(fields: Vec<LocationField>, identifying: Vec<IdentifyingField>) -> ImageInfo {
        ImageInfo {
            format: ImageFormat::Jpeg,
            has_location: !fields.is_empty(),
            location: (!fields.is_empty()).then_some(Coordinates {
                latitude: 51.5,
                longitude: -0.1275,
            }),
            location_fields: fields,
            identifying: identifying
                .into_iter()
                .map(|field| Identifying {
                    field,
                    sources: vec![MetadataSource::Exif],
                })
                .collect(),
            unreadable_metadata: false,
        }
    }

    #[test]
    fn tokens_match_the_wire() {
        for f in [
            LocationField::ExifGps,
            LocationField::XmpLocation,
            LocationField::IptcLocation,
        ] {
            let wire = serde_json::to_value(f).ok();
            assert_eq!(wire.as_ref().and_then(|v| v.as_str()), Some(token(f)));
        }
    }

    #[test]
    fn summaries() {
        let found = info(
            vec![LocationField::ExifGps, LocationField::XmpLocation],
            vec![],
        );
        let nothing = info(vec![], vec![]);
        assert_eq!(
            strip_summary(&found, &nothing, false, Remove::Location),
            "removed location data: exif_gps, xmp_location"
        );
        assert_eq!(
            strip_summary(&nothing, &nothing, true, Remove::Location),
            "no location data found; copied unchanged"
        );
        let named = info(
            vec![LocationField::ExifGps],
            vec![IdentifyingField::Artist, IdentifyingField::CameraSerial],
        );
        let still_named = info(
            vec![],
            vec![IdentifyingField::Artist, IdentifyingField::CameraSerial],
        );
        assert_eq!(
            strip_summary(&named, &still_named, false, Remove::Location),
            "removed location data: exif_gps",
            "only the location goes"
        );
        assert_eq!(
            strip_summary(&named, &nothing, false, Remove::Identifying),
            "removed location data: exif_gps; removed identifying data: artist, camera_serial"
        );
    }

    /// What a location strip removes besides the location (a block that
    /// held it and could not be cleaned apart from it, an unreadable block)
    /// is said, never left out.
    #[test]
    fn summaries_say_what_else_went() {
        let nothing = info(vec![], vec![]);
        let mut unreadable = info(vec![LocationField::ExifGps], vec![]);
        unreadable.unreadable_metadata = true;
        assert_eq!(
            strip_summary(&unreadable, &nothing, false, Remove::Location),
            "removed location data: exif_gps; removed unreadable metadata that might hold more"
        );
        unreadable.location_fields.clear();
        unreadable.has_location = false;
        assert_eq!(
            strip_summary(&unreadable, &nothing, false, Remove::Location),
            "no location data found; removed unreadable metadata that might hold some"
        );
        assert_eq!(
            strip_summary(&nothing, &nothing, false, Remove::Location),
            "no location data found; removed other GPS data",
            "a copy that differs with nothing unreadable in the file"
        );
        let with_title = info(
            vec![LocationField::XmpLocation],
            vec![IdentifyingField::Artist, IdentifyingField::DescriptiveText],
        );
        let artist_left = info(vec![], vec![IdentifyingField::Artist]);
        assert_eq!(
            strip_summary(&with_title, &artist_left, false, Remove::Location),
            "removed location data: xmp_location; also removed, with the metadata block it was stored in: descriptive_text"
        );
    }

    #[test]
    fn explains_for_people() {
        let text = explain_info(
            Path::new("sports day.jpg"),
            &info(
                vec![LocationField::ExifGps],
                vec![IdentifyingField::Artist, IdentifyingField::DateTaken],
            ),
        );
        assert!(
            text.contains("Location found: yes — GPS in EXIF\n"),
            "{text}"
        );
        assert!(text.contains("51.50000° N, 0.12750° W"), "{text}");
        assert!(text.contains("Other identifying details: artist name, date taken\n"));
        assert!(text.contains("strip 'sports day.jpg' -o"), "{text}");
        assert!(
            text.contains("strip 'sports day.jpg' --all-identifying -o NEW-FILE"),
            "{text}"
        );
        let text = explain_info(Path::new("a.jpg"), &info(vec![], vec![]));
        assert!(text.contains("No location data found.\n"), "{text}");
        assert!(!text.contains("strip"), "{text}");
        assert!(!text.contains("could not be read"), "{text}");
        let mut unreadable = info(vec![], vec![]);
        unreadable.unreadable_metadata = true;
        let text = explain_info(Path::new("a.jpg"), &unreadable);
        assert!(
            text.contains("Some metadata could not be read, so it may hide a location"),
            "{text}"
        );
        assert!(
            text.contains("safeguard image strip a.jpg -o NEW-FILE"),
            "{text}"
        );
    }

    #[test]
    fn quotes_shell_words() {
        assert_eq!(shell_word("a/b.jpg"), "a/b.jpg");
        assert_eq!(shell_word("it's.jpg"), r"'it'\''s.jpg'");
    }
}
