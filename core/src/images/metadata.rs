//! Image metadata: what a photo file says about where it was taken and who
//! took it, and a copy of the file with the location taken out.
//!
//! # Why
//!
//! A photo of pupils published on a school website or social media can carry,
//! besides the picture, the exact place it was taken: phones write GPS
//! coordinates into EXIF, and editors copy them (and a city or street) into
//! XMP and IPTC. A photo taken at a pupil's home, or on a trip, then tells
//! anyone who downloads it where a child was. The same blocks can also name
//! the photographer or owner, the camera's serial number and the time the
//! picture was taken, and they carry free text: titles, captions, keywords,
//! comments and the name tags of the people shown (face regions, "people in
//! the image"), where photo software and staff write pupils' names and
//! dates. [`inspect`] reports which of these a file carries;
//! [`strip_location`] returns the same file with the location removed, and
//! [`strip_identifying`] with the location and the identifying metadata
//! removed (what a school office publishes when it wants no name, serial
//! number or date to go out with a photo).
//!
//! The rule for identifying metadata: a field is identifying when it names
//! a person or a moment, **or when it is free text**, since any free text
//! can name a child. Only what describes the equipment and the encoding is
//! kept (make, model, software, orientation, colour, exposure).
//!
//! [`inspect`] reports *which* fields are present, never their values (names
//! and serial numbers are personal data); only the coordinates themselves are
//! returned, as an option, because the caller is looking at its own file and
//! may want to show where the photo would have revealed.
//!
//! # What is read
//!
//! | container | metadata blocks read |
//! | --- | --- |
//! | JPEG (and JPEGs concatenated after it, as MPF/MPO files do) | APP1 Exif, APP1 XMP (standard and extended), APP13 Photoshop (IPTC-IIM, Exif, XMP resources), `COM` comments |
//! | PNG | `eXIf`; XMP in `iTXt`/`tEXt`/`zTXt` (`XML:com.adobe.xmp`); ImageMagick's `Raw profile type exif/APP1/xmp/iptc/8bim`; every other text chunk (`Author`, `Copyright`, `Title`, `Description`, `Comment`, `Creation Time`, …); `tIME` |
//! | TIFF (and TIFF-based raw files such as DNG) | the IFD chain itself, with XMP (tag 700), IPTC (tag 33723) and Photoshop (tag 34377) inside it |
//! | WebP | `EXIF` and `XMP ` chunks |
//! | HEIC / AVIF | the `Exif` item and the `application/rdf+xml` item of the `meta` box |
//!
//! Location means: an EXIF GPS IFD with a position (latitude, longitude,
//! destination or area information), an XMP property naming a position or a
//! place (`exif:GPSLatitude`, `photoshop:City`, `Iptc4xmpCore:Location`,
//! `Iptc4xmpExt:LocationCreated`, drones' `GpsLatitude`, …), or an IPTC-IIM
//! place dataset (city, sub-location, province, country, content location).
//!
//! # What is stripped, and why the pixels cannot change
//!
//! [`strip_location`] never decodes or re-encodes the picture. For JPEG,
//! TIFF, WebP and HEIC/AVIF it edits the metadata **in place, without
//! changing the length of anything**, so every offset in the file (TIFF strip
//! offsets, HEIF item locations, the MPF index of secondary images) stays
//! right and every byte outside the edited metadata, the compressed image data
//! included, is copied unchanged:
//!
//! - EXIF: the GPS IFD pointer is removed from its IFD (the remaining entries
//!   move up and the freed bytes are zeroed), and the GPS IFD and its values
//!   are overwritten with zeros. Everything else, the orientation included,
//!   stays as it was.
//! - XMP: every location property (element or attribute) is overwritten with
//!   spaces, which XML ignores; the rest of the packet stays readable.
//! - IPTC-IIM: the place datasets' values are overwritten with spaces.
//!
//! [`strip_identifying`] removes, besides, every field [`inspect`] reports as
//! identifying and the same facts stored under other names, the same way:
//!
//! - EXIF: the entries of the photographer (Artist, XPAuthor,
//!   Photographer, ImageEditor), owner (and HostComputer), copyright, body and lens serial numbers, the dates and times of the
//!   picture (taken, digitized, modified, with their sub-seconds and time
//!   zones), the free text (ImageDescription, ImageTitle, DocumentName,
//!   UserComment, XPTitle, XPComment, XPKeywords, XPSubject) and the maker note (a
//!   vendor's private block, where many cameras keep the serial number) are
//!   removed from their IFD like the GPS pointer, and their values are
//!   zeroed.
//! - XMP: the creator, rights, owner, serial numbers, contact details,
//!   caption writer, every date (`xmp:CreateDate`, `photoshop:DateCreated`,
//!   the history's `stEvt:when`, …) and every free-text or person-naming
//!   property (`dc:title`, `dc:description`, `dc:subject`,
//!   `photoshop:Headline`, `photoshop:Instructions`, the accessibility alt
//!   text, `Iptc4xmpExt:PersonInImage` and `PersonInImageWDetails`, face
//!   region names `mwg-rs:Name` and `MPReg:PersonDisplayName`,
//!   `lr:hierarchicalSubject`, digiKam and Microsoft keyword lists,
//!   `exif:UserComment`, `tiff:ImageDescription`, credits, supplemental
//!   categories, labels, events, contributors, copyright owners and
//!   models' ages; the PLUS licensing schema's people and organisations
//!   with their IDs and the licensor's contact details, the release IDs,
//!   the youngest model's age, the notes and the file name as delivered;
//!   IPTC's organisations in the image, additional model information and
//!   people heard) are overwritten with spaces. Properties are matched by
//!   local name, so `rdf:Description` and the other `rdf:` elements, which
//!   only structure the packet, are never taken for one.
//! - IPTC-IIM: the by-line and its title, copyright, contact, writer, the
//!   date and time datasets, and the object name, supplemental category,
//!   keywords, special instructions, headline, credit, source and caption
//!   are overwritten with spaces.
//! - PNG: every text chunk that is not a metadata block above is dropped
//!   (`Author`, `Copyright`, `Title`, `Description`, `Comment`, `Creation
//!   Time`, ImageMagick's `date:*`, any other keyword), except `Software`
//!   and `Source` (the tool and the device); so is the `tIME` chunk.
//! - JPEG: `COM` comments are overwritten with zeros.
//!
//! PNG keeps no offsets, so a PNG is rewritten chunk by chunk: an edited chunk
//! gets a new CRC, a compressed or hex-encoded metadata block (XMP in `zTXt`
//! or compressed `iTXt`, ImageMagick raw profiles) that carries location is
//! dropped whole, and every other chunk (`IDAT` included) is copied byte for
//! byte. A text chunk whose keyword names a position (`exif:GPSLatitude`,
//! anything with `gps`, `latitude` or `longitude` in it) is location, and
//! either strip drops it. Other text chunks that are not metadata blocks
//! (`Comment`, `Title`, …) and `tIME` cannot hold location:
//! [`strip_location`] copies them as they are, compressed or not, readable
//! or not, without inflating them; [`strip_identifying`] drops them.
//!
//! Each block is edited and read again until a reading asks for no further
//! change (in a hostile file, blocks can overlap and one edit can expose
//! another). If location (for [`strip_identifying`], or identifying
//! metadata) is still found then, or the block could not be
//! parsed in the first place (so nothing can be said about what it hides),
//! the whole block is blanked (PNG: its chunk is dropped). PNG text that
//! cannot be read (a damaged zlib stream, an `iTXt` header that does not
//! end) is reported by [`inspect`] as the field its keyword names, for the
//! same reason, and dropped by [`strip_identifying`]. [`inspect`] flags a
//! block that cannot be read ([`ImageInfo::unreadable_metadata`]), so that
//! a caller can say what a stripped copy lost besides the location; a block
//! left blank by a strip hides nothing and is not flagged. A TIFF file whose
//! own IFDs cannot be cleaned, and a HEIF file whose metadata items point
//! outside its data boxes, are refused with `invalid_image` rather than
//! returned with their location or a broken structure. Stripping is
//! idempotent: a stripped file strips to itself.
//!
//! Not covered: maker notes by [`strip_location`] (vendor-private blocks,
//! removed whole only by [`strip_identifying`]); titles, captions and
//! people tags by [`strip_location`], which removes location only (the
//! names staff type for a photo are checked by the images decision); text
//! inside the picture itself; and formats other than the ones above, which
//! give `unsupported_image`.
//!
//! # Hostile input
//!
//! Every offset and length read from the file is checked before use: bad
//! structure gives [`Error::InvalidImage`], input over the limit gives
//! [`Error::TooLarge`], and nothing panics. Decompression (PNG `zTXt` and
//! compressed `iTXt`) is capped at 32 MiB for a file: a metadata block that
//! inflates past it is refused with `invalid_image`, and free text is
//! inflated only by [`inspect`], only as far as its first character that is
//! not blank (text still blank at the cap is reported, not refused). Nesting
//! (EXIF inside Photoshop inside EXIF) is capped, and IFD chains are
//! followed at most once per IFD.

#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::Error;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// The largest image [`inspect`], [`strip_location`] and
/// [`strip_identifying`] accept: 50 MiB.
pub const DEFAULT_MAX_IMAGE_BYTES: usize = 50 << 20;

/// The most decompressed text read from one PNG (all chunks together).
const MAX_INFLATED_BYTES: usize = 32 << 20;
/// How deep metadata blocks may nest (EXIF in Photoshop in EXIF …).
const MAX_DEPTH: u8 = 4;
/// How many IFDs of a TIFF chain are followed.
const MAX_IFDS: usize = 256;
/// How many JPEGs concatenated in one file (MPF/MPO) are read.
const MAX_JPEG_IMAGES: usize = 32;

/// The container format of an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImageFormat {
    /// JPEG (`jpeg`).
    Jpeg,
    /// PNG (`png`).
    Png,
    /// TIFF and TIFF-based raw formats (DNG and the like).
    Tiff,
    /// WebP (`webp`).
    Webp,
    /// HEIF with HEVC images (`.heic`, `.heif`).
    Heic,
    /// HEIF with AV1 images (`.avif`).
    Avif,
}

impl ImageFormat {
    /// The wire token.
    pub fn as_str(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpeg",
            ImageFormat::Png => "png",
            ImageFormat::Tiff => "tiff",
            ImageFormat::Webp => "webp",
            ImageFormat::Heic => "heic",
            ImageFormat::Avif => "avif",
        }
    }
}

/// A kind of metadata that gives away where the picture was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LocationField {
    /// EXIF GPS IFD with a position, or EXIF's GPS tags written as PNG
    /// text (ImageMagick's `exif:GPSLatitude`, or any PNG text keyword
    /// naming GPS, a latitude or a longitude).
    ExifGps,
    /// XMP GPS properties or place names (city, state, country, location).
    XmpLocation,
    /// IPTC-IIM place datasets (city, sub-location, province, country).
    IptcLocation,
}

/// A metadata field that can identify a person or a moment, reported by
/// presence only: its value is never returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum IdentifyingField {
    /// Photographer or author (EXIF Artist/XPAuthor, XMP `dc:creator`, IPTC By-line, PNG Author).
    Artist,
    /// Camera owner (EXIF CameraOwnerName, XMP `aux:OwnerName`, `xmpRights:Owner`).
    OwnerName,
    /// Copyright notice (EXIF Copyright, XMP `dc:rights`, IPTC, PNG Copyright).
    Copyright,
    /// Camera body serial number.
    CameraSerial,
    /// Lens serial number.
    LensSerial,
    /// When the picture was taken (EXIF DateTimeOriginal, XMP/IPTC date created, PNG Creation Time).
    DateTaken,
    /// The creator's contact details (XMP `Iptc4xmpCore:CreatorContactInfo`, IPTC Contact).
    ContactInfo,
    /// Free text about the picture or the people in it, any of which can
    /// name a child: a title, description, caption, headline, comment,
    /// keywords, or the name tag of a person shown (EXIF ImageDescription,
    /// UserComment, DocumentName and the Windows XP title, comment, subject
    /// and keywords; XMP `dc:title`, `dc:description`, `dc:subject`,
    /// `photoshop:Headline`, `Iptc4xmpExt:PersonInImage`, face region names;
    /// IPTC object name, keywords, headline, caption; PNG `Title`,
    /// `Description`, `Comment` and other free text; a JPEG comment).
    DescriptiveText,
}

/// The metadata block a field was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MetadataSource {
    /// An EXIF block (`exif`).
    Exif,
    /// An XMP packet (`xmp`).
    Xmp,
    /// An IPTC-IIM block (`iptc`).
    Iptc,
    /// PNG `tEXt`/`zTXt`/`iTXt` keywords.
    PngText,
    /// A JPEG comment segment (`COM`).
    JpegComment,
}

/// A position in decimal degrees (WGS 84), north and east positive.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Coordinates {
    /// Latitude in decimal degrees, north positive.
    pub latitude: f64,
    /// Longitude in decimal degrees, east positive.
    pub longitude: f64,
}

/// An identifying field and the blocks it was found in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Identifying {
    /// The kind of field found.
    pub field: IdentifyingField,
    /// The metadata blocks it was found in.
    pub sources: Vec<MetadataSource>,
}

/// What an image file says about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ImageInfo {
    /// The container format.
    pub format: ImageFormat,
    /// Whether any location metadata is present (`location_fields` is not empty).
    pub has_location: bool,
    /// The position, when one could be read (EXIF first, then XMP).
    pub location: Option<Coordinates>,
    /// Which kinds of location metadata are present, in a fixed order.
    pub location_fields: Vec<LocationField>,
    /// Which identifying fields are present (never their values), in a fixed order.
    pub identifying: Vec<Identifying>,
    /// Whether a metadata block could not be read. Nothing can be said
    /// about what it holds, so a stripped copy removes it whole, the
    /// location strip too (it might hold location). Left out of the JSON
    /// when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unreadable_metadata: bool,
}

/// Reads an image's format, location and identifying metadata
/// (at most [`DEFAULT_MAX_IMAGE_BYTES`]).
pub fn inspect(bytes: &[u8]) -> Result<ImageInfo, Error> {
    inspect_with_limit(bytes, DEFAULT_MAX_IMAGE_BYTES)
}

/// [`inspect`] with a size limit of `max_bytes`.
pub fn inspect_with_limit(bytes: &[u8], max_bytes: usize) -> Result<ImageInfo, Error> {
    check_size(bytes, max_bytes)?;
    let format = sniff(bytes)?;
    let findings = match format {
        ImageFormat::Png => inspect_png(bytes)?,
        _ => {
            let mut s = Scan::default();
            for block in blocks(format, bytes)? {
                let data = gather(bytes, &block.ranges);
                if scan(block.kind, &data, 0, 0, &mut s).is_err() {
                    if block.root {
                        return Err(invalid("the TIFF structure is corrupt"));
                    }
                    s.unreadable(&data);
                }
            }
            s.f
        }
    };
    Ok(findings.into_info(format))
}

/// Returns the image with its location metadata removed and everything else,
/// the compressed picture included, unchanged (at most
/// [`DEFAULT_MAX_IMAGE_BYTES`]), but for a metadata block that cannot be
/// read, or (in a PNG) a compressed one holding the location, which is
/// removed whole: [`inspect`] of the file and of the copy tell what went.
/// See the [module docs](self) for what is removed.
pub fn strip_location(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    strip_location_with_limit(bytes, DEFAULT_MAX_IMAGE_BYTES)
}

/// [`strip_location`] with a size limit of `max_bytes`.
pub fn strip_location_with_limit(bytes: &[u8], max_bytes: usize) -> Result<Vec<u8>, Error> {
    strip_with_limit(bytes, max_bytes, Remove::Location)
}

/// Returns the image with its location metadata **and** the metadata that
/// identifies a person or a moment removed: everything [`inspect`] reports
/// as [`identifying`](ImageInfo::identifying) (photographer, owner,
/// copyright, camera and lens serial numbers, date taken, the creator's
/// contact details, and the titles, captions, keywords, comments and name
/// tags that can name a child), the other dates and times the file gives
/// for the picture, and the camera maker's private notes (which often hold
/// the serial number). Everything else, the compressed picture included, is
/// unchanged (at most [`DEFAULT_MAX_IMAGE_BYTES`]). See the
/// [module docs](self).
pub fn strip_identifying(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    strip_identifying_with_limit(bytes, DEFAULT_MAX_IMAGE_BYTES)
}

/// [`strip_identifying`] with a size limit of `max_bytes`.
pub fn strip_identifying_with_limit(bytes: &[u8], max_bytes: usize) -> Result<Vec<u8>, Error> {
    strip_with_limit(bytes, max_bytes, Remove::Identifying)
}

/// What a stripped copy is stripped of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Remove {
    /// Location only ([`strip_location`]).
    #[default]
    Location,
    /// Location and identifying metadata ([`strip_identifying`]).
    Identifying,
}

fn strip_with_limit(bytes: &[u8], max_bytes: usize, remove: Remove) -> Result<Vec<u8>, Error> {
    check_size(bytes, max_bytes)?;
    let format = sniff(bytes)?;
    if format == ImageFormat::Png {
        return strip_png(bytes, remove);
    }
    let blocks = blocks(format, bytes)?;
    let mut out = bytes.to_vec();
    // Blocks of a hostile file can overlap (HEIF items): go round until a
    // whole pass changes nothing, so that stripping again changes nothing.
    for _ in 0..MAX_ROUNDS {
        let mut changed = false;
        for block in &blocks {
            match clean(&mut out, &block.ranges, block.kind, remove) {
                Some(c) => changed |= c,
                None if block.root => {
                    return Err(invalid(
                        "the TIFF structure is corrupt; its metadata cannot be removed",
                    ))
                }
                None => changed |= blank(&mut out, block),
            }
        }
        if !changed {
            return Ok(out);
        }
    }
    Err(invalid(
        "the metadata blocks overlap in a way that cannot be cleaned",
    ))
}

// ---------------------------------------------------------------------------
// Findings and patches

#[derive(Default)]
struct Findings {
    location: BTreeSet<LocationField>,
    exif_coords: Option<Coordinates>,
    xmp_coords: Option<Coordinates>,
    identifying: BTreeMap<IdentifyingField, BTreeSet<MetadataSource>>,
    /// A block (or a block nested in one) could not be read.
    unreadable: bool,
}

impl Findings {
    fn into_info(self, format: ImageFormat) -> ImageInfo {
        ImageInfo {
            format,
            has_location: !self.location.is_empty(),
            location: self.exif_coords.or(self.xmp_coords),
            location_fields: self.location.into_iter().collect(),
            identifying: self
                .identifying
                .into_iter()
                .map(|(field, sources)| Identifying {
                    field,
                    sources: sources.into_iter().collect(),
                })
                .collect(),
            unreadable_metadata: self.unreadable,
        }
    }
}

/// Bytes to write at an offset of a block's payload.
struct Patch {
    at: usize,
    bytes: Vec<u8>,
}

/// What reading a block found, and the edits that remove its location
/// (and, when `remove` says so, its identifying metadata).
#[derive(Default)]
struct Scan {
    f: Findings,
    patches: Vec<Patch>,
    remove: Remove,
}

impl Scan {
    fn removing(remove: Remove) -> Scan {
        Scan {
            remove,
            ..Scan::default()
        }
    }

    /// True when identifying metadata is to be removed too.
    fn removes_identifying(&self) -> bool {
        self.remove == Remove::Identifying
    }

    /// True when the block needs no further change: no location left, nor
    /// identifying metadata when that is removed too.
    fn is_clean(&self) -> bool {
        self.f.location.is_empty() && (!self.removes_identifying() || self.f.identifying.is_empty())
    }

    fn location(&mut self, field: LocationField) {
        self.f.location.insert(field);
    }

    fn identifying(&mut self, field: IdentifyingField, source: MetadataSource) {
        self.f.identifying.entry(field).or_default().insert(source);
    }

    /// Notes a block that could not be read, unless it is blank (as a
    /// stripped copy leaves one: it hides nothing).
    fn unreadable(&mut self, block: &[u8]) {
        if non_blank(block) {
            self.f.unreadable = true;
        }
    }

    fn fill(&mut self, at: usize, len: usize, byte: u8) {
        if len > 0 {
            self.patches.push(Patch {
                at,
                bytes: vec![byte; len],
            });
        }
    }
}

/// A block could not be parsed.
struct Malformed;

type Parsed<T> = Result<T, Malformed>;

/// The kinds of metadata block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A TIFF structure, optionally after an `Exif\0\0` header.
    Exif,
    /// A HEIF `Exif` item: a 4-byte offset, then [`Kind::Exif`].
    HeifExif,
    /// An XMP packet (XML text).
    Xmp,
    /// Photoshop image resources (`8BIM` blocks).
    Irb,
    /// IPTC-IIM datasets.
    Iim,
    /// A JPEG comment: free text.
    Comment,
}

impl Kind {
    /// The byte a block of this kind is blanked with.
    fn fill(self) -> u8 {
        match self {
            Kind::Xmp => b' ',
            _ => 0,
        }
    }
}

/// A metadata block of a file: its payload is the concatenation of `ranges`.
struct Block {
    kind: Kind,
    ranges: Vec<Range<usize>>,
    /// The block is the file itself (a TIFF): it cannot be blanked.
    root: bool,
}

impl Block {
    fn one(kind: Kind, range: Range<usize>) -> Block {
        Block {
            kind,
            ranges: vec![range],
            root: false,
        }
    }
}

/// A block's payload (borrowed when it is one range). Ranges are checked
/// when the block is made; a bad one reads as empty.
fn gather<'a>(bytes: &'a [u8], ranges: &[Range<usize>]) -> Cow<'a, [u8]> {
    match ranges {
        [one] => Cow::Borrowed(bytes.get(one.clone()).unwrap_or_default()),
        _ => {
            let mut v = Vec::new();
            for r in ranges {
                v.extend_from_slice(bytes.get(r.clone()).unwrap_or_default());
            }
            Cow::Owned(v)
        }
    }
}

/// How many times a block is edited and read again before it is given up on.
const MAX_ROUNDS: usize = 8;

/// Removes a block's location (and its identifying metadata, when `remove`
/// says so): applies its patches and reads it again until the reading asks
/// for no further change (edits can expose more, in a hostile file whose
/// blocks overlap). True when the block ends up readable, stable and without
/// what is removed, with whether anything was changed; `None` when it must
/// be blanked instead.
fn clean(out: &mut [u8], ranges: &[Range<usize>], kind: Kind, remove: Remove) -> Option<bool> {
    let mut changed_any = false;
    for _ in 0..MAX_ROUNDS {
        let mut s = Scan::removing(remove);
        if scan(kind, &gather(out, ranges), 0, 0, &mut s).is_err() {
            return None;
        }
        let mut changed = false;
        for p in &s.patches {
            changed |= apply(out, ranges, p);
        }
        if !changed {
            return s.is_clean().then_some(changed_any);
        }
        changed_any = true;
    }
    None
}

/// Writes a patch given in payload offsets through the block's ranges;
/// true if that changed any byte.
fn apply(out: &mut [u8], ranges: &[Range<usize>], p: &Patch) -> bool {
    let mut changed = false;
    let p_end = p.at.saturating_add(p.bytes.len());
    let mut logical = 0usize;
    for r in ranges {
        let l_end = logical.saturating_add(r.len());
        let s = p.at.max(logical);
        let e = p_end.min(l_end);
        if s < e {
            let dst = out.get_mut(r.start + (s - logical)..r.start + (e - logical));
            let src = p.bytes.get(s - p.at..e - p.at);
            if let (Some(dst), Some(src)) = (dst, src) {
                if dst != src {
                    dst.copy_from_slice(src);
                    changed = true;
                }
            }
        }
        logical = l_end;
    }
    changed
}

/// Overwrites a whole block; true if that changed any byte.
fn blank(out: &mut [u8], block: &Block) -> bool {
    let fill = block.kind.fill();
    let mut changed = false;
    for r in &block.ranges {
        if let Some(dst) = out.get_mut(r.clone()) {
            if dst.iter().any(|&b| b != fill) {
                dst.fill(fill);
                changed = true;
            }
        }
    }
    changed
}

fn check_size(bytes: &[u8], max_bytes: usize) -> Result<(), Error> {
    if bytes.len() > max_bytes {
        return Err(too_large(bytes.len(), max_bytes));
    }
    Ok(())
}

/// The error of an image of `bytes` bytes, over the limit of `max_bytes`:
/// as [`inspect`] gives it, and as a binding gives it for an image it
/// refuses before copying it (WebAssembly's linear memory).
pub fn too_large(bytes: usize, max_bytes: usize) -> Error {
    Error::TooLarge {
        at: crate::Location::none(),
        message: format!("the image is {bytes} bytes, over the limit of {max_bytes} bytes"),
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error::InvalidImage {
        message: message.into(),
    }
}

fn unsupported(message: impl Into<String>) -> Error {
    Error::UnsupportedImage {
        message: message.into(),
    }
}

fn truncated(what: &str) -> Error {
    invalid(format!("the {what} file is truncated"))
}

/// True when the bytes hold something other than NULs and white space.
fn non_blank(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .any(|&c| !matches!(c, 0 | b' ' | b'\t' | b'\r' | b'\n'))
}

/// The `N` bytes at `at`, if the data holds them.
fn bytes_at<const N: usize>(d: &[u8], at: usize) -> Option<[u8; N]> {
    d.get(at..at.checked_add(N)?)?.try_into().ok()
}

fn be16(d: &[u8], at: usize) -> Option<u16> {
    bytes_at(d, at).map(u16::from_be_bytes)
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    bytes_at(d, at).map(u32::from_be_bytes)
}

fn le32(d: &[u8], at: usize) -> Option<u32> {
    bytes_at(d, at).map(u32::from_le_bytes)
}

fn be64(d: &[u8], at: usize) -> Option<u64> {
    bytes_at(d, at).map(u64::from_be_bytes)
}

/// `start..start + len`, if it lies within `limit`.
fn span(start: usize, len: usize, limit: usize) -> Option<Range<usize>> {
    let end = start.checked_add(len)?;
    (end <= limit).then_some(start..end)
}

fn to_usize(v: u64) -> Option<usize> {
    usize::try_from(v).ok()
}

// ---------------------------------------------------------------------------
// Formats

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

fn sniff(d: &[u8]) -> Result<ImageFormat, Error> {
    if d.is_empty() {
        return Err(invalid("the input is empty"));
    }
    if d.starts_with(&[0xFF, 0xD8]) {
        return Ok(ImageFormat::Jpeg);
    }
    if d.starts_with(&PNG_SIGNATURE) {
        return Ok(ImageFormat::Png);
    }
    if d.starts_with(b"II*\0") || d.starts_with(b"MM\0*") {
        return Ok(ImageFormat::Tiff);
    }
    if d.starts_with(b"II+\0") || d.starts_with(b"MM\0+") {
        return Err(unsupported("BigTIFF is not supported"));
    }
    if d.starts_with(b"RIFF") && d.len() >= 12 {
        return if d.get(8..12) == Some(b"WEBP") {
            Ok(ImageFormat::Webp)
        } else {
            Err(unsupported("a RIFF file that is not WebP"))
        };
    }
    if d.get(4..8) == Some(b"ftyp") {
        return heif_format(d);
    }
    let signatures: [&[u8]; 5] = [&[0xFF, 0xD8], &PNG_SIGNATURE, b"II*\0", b"MM\0*", b"RIFF"];
    if signatures.iter().any(|sig| sig.starts_with(d)) {
        return Err(invalid("the file is truncated before its signature ends"));
    }
    if d.starts_with(b"GIF87a") || d.starts_with(b"GIF89a") {
        return Err(unsupported("GIF is not supported"));
    }
    if d.starts_with(b"BM") {
        return Err(unsupported("BMP is not supported"));
    }
    Err(unsupported(
        "not a JPEG, PNG, TIFF, WebP, HEIC or AVIF image",
    ))
}

/// The metadata blocks of a JPEG, TIFF, WebP or HEIF file.
fn blocks(format: ImageFormat, d: &[u8]) -> Result<Vec<Block>, Error> {
    match format {
        ImageFormat::Jpeg => jpeg_blocks(d),
        ImageFormat::Tiff => {
            let mut file = Block::one(Kind::Exif, 0..d.len());
            file.root = true;
            Ok(vec![file])
        }
        ImageFormat::Webp => webp_blocks(d),
        ImageFormat::Heic | ImageFormat::Avif => heif_blocks(d),
        ImageFormat::Png => Ok(Vec::new()),
    }
}

// --- JPEG -------------------------------------------------------------------

const XMP_NS: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const XMP_EXT_NS: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";
const PHOTOSHOP_NS: &[u8] = b"Photoshop 3.0\0";

/// Extended XMP chunks, by image and GUID: (offset in the full packet, range).
type ExtendedXmp = BTreeMap<(usize, Vec<u8>), Vec<(u32, Range<usize>)>>;

fn jpeg_blocks(d: &[u8]) -> Result<Vec<Block>, Error> {
    let mut blocks = Vec::new();
    let mut extended = ExtendedXmp::new();
    let mut pos = 0usize;
    let mut image = 0usize;
    loop {
        if d.get(pos..pos + 2) != Some(&[0xFF, 0xD8][..]) {
            return Err(invalid("the JPEG has no start-of-image marker"));
        }
        pos = jpeg_segments(d, pos + 2, image, &mut blocks, &mut extended)?;
        image += 1;
        // MPF/MPO files append further JPEGs (each with its own metadata).
        let next = d.get(pos..).unwrap_or_default();
        if image >= MAX_JPEG_IMAGES || !next.starts_with(&[0xFF, 0xD8, 0xFF]) {
            break;
        }
    }
    for (_, mut chunks) in extended {
        chunks.sort_by_key(|c| c.0);
        blocks.push(Block {
            kind: Kind::Xmp,
            ranges: chunks.into_iter().map(|c| c.1).collect(),
            root: false,
        });
    }
    Ok(blocks)
}

/// Reads the segments of one JPEG from after its SOI; returns the position
/// after its EOI.
fn jpeg_segments(
    d: &[u8],
    mut pos: usize,
    image: usize,
    blocks: &mut Vec<Block>,
    extended: &mut ExtendedXmp,
) -> Result<usize, Error> {
    loop {
        match d.get(pos) {
            Some(0xFF) => {}
            Some(_) => return Err(invalid(format!("expected a JPEG marker at byte {pos}"))),
            None => return Err(truncated("JPEG")),
        }
        while d.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *d.get(pos).ok_or_else(|| truncated("JPEG"))?;
        pos += 1;
        match marker {
            0xD9 => return Ok(pos),
            0x01 | 0xD0..=0xD7 => continue,
            0x00 | 0xD8 => {
                return Err(invalid(format!(
                    "unexpected JPEG marker 0x{marker:02X} at byte {}",
                    pos - 1
                )))
            }
            _ => {}
        }
        let len = usize::from(be16(d, pos).ok_or_else(|| truncated("JPEG"))?);
        if len < 2 {
            return Err(invalid(format!(
                "a JPEG segment at byte {pos} has length {len}"
            )));
        }
        let payload = span(pos + 2, len - 2, d.len()).ok_or_else(|| truncated("JPEG"))?;
        let p = d.get(payload.clone()).unwrap_or_default();
        match marker {
            0xE1 if p.starts_with(b"Exif\0") => {
                blocks.push(Block::one(Kind::Exif, payload.clone()))
            }
            0xE1 if p.starts_with(XMP_NS) => blocks.push(Block::one(
                Kind::Xmp,
                payload.start + XMP_NS.len()..payload.end,
            )),
            0xE1 if p.starts_with(XMP_EXT_NS) => {
                // GUID (32), full length (4), offset of this chunk (4), data.
                let head = XMP_EXT_NS.len();
                if let (Some(guid), Some(offset)) = (p.get(head..head + 32), be32(p, head + 36)) {
                    if p.len() >= head + 40 {
                        extended
                            .entry((image, guid.to_vec()))
                            .or_default()
                            .push((offset, payload.start + head + 40..payload.end));
                    }
                }
            }
            0xED if p.starts_with(PHOTOSHOP_NS) => blocks.push(Block::one(
                Kind::Irb,
                payload.start + PHOTOSHOP_NS.len()..payload.end,
            )),
            0xFE => blocks.push(Block::one(Kind::Comment, payload.clone())),
            _ => {}
        }
        pos = payload.end;
        if marker == 0xDA {
            pos = skip_scan(d, pos)?;
        }
    }
}

/// Skips entropy-coded data (byte-stuffed `FF 00`, restart markers) to the
/// next marker.
fn skip_scan(d: &[u8], mut pos: usize) -> Result<usize, Error> {
    loop {
        let rest = d.get(pos..).ok_or_else(|| truncated("JPEG"))?;
        let i = memchr::memchr(0xFF, rest).ok_or_else(|| truncated("JPEG"))?;
        let at = pos + i;
        match d.get(at + 1) {
            None => return Err(truncated("JPEG")),
            Some(0x00 | 0xD0..=0xD7) => pos = at + 2,
            Some(_) => return Ok(at),
        }
    }
}

// --- WebP -------------------------------------------------------------------

fn webp_blocks(d: &[u8]) -> Result<Vec<Block>, Error> {
    let size = le32(d, 4).ok_or_else(|| truncated("WebP"))?;
    let end = to_usize(u64::from(size) + 8).ok_or_else(|| truncated("WebP"))?;
    if end > d.len() {
        return Err(truncated("WebP"));
    }
    if end < 12 {
        return Err(invalid("the WebP RIFF size is too small"));
    }
    let mut blocks = Vec::new();
    let mut pos = 12usize;
    while pos < end {
        let fourcc = d.get(pos..pos + 4).ok_or_else(|| truncated("WebP"))?;
        let len = le32(d, pos + 4).ok_or_else(|| truncated("WebP"))?;
        let len = to_usize(u64::from(len)).ok_or_else(|| truncated("WebP"))?;
        let data = span(pos + 8, len, end).ok_or_else(|| truncated("WebP"))?;
        match fourcc {
            b"EXIF" => blocks.push(Block::one(Kind::Exif, data.clone())),
            b"XMP " => blocks.push(Block::one(Kind::Xmp, data.clone())),
            _ => {}
        }
        pos = data.end + (len & 1);
    }
    Ok(blocks)
}

// --- HEIF (HEIC, AVIF) ------------------------------------------------------

/// One ISO-BMFF box: its type, its payload and where the next box starts.
struct BmffBox {
    kind: [u8; 4],
    payload: Range<usize>,
}

/// The boxes between `start` and `end`.
fn bmff_boxes(d: &[u8], start: usize, end: usize) -> Result<Vec<BmffBox>, Error> {
    let mut out = Vec::new();
    let mut pos = start;
    while pos < end {
        let size = be32(d, pos).ok_or_else(|| truncated("HEIF"))?;
        let kind: [u8; 4] = d
            .get(pos + 4..pos + 8)
            .and_then(|k| k.try_into().ok())
            .ok_or_else(|| truncated("HEIF"))?;
        let (header, size) = match size {
            0 => (8, end - pos),
            1 => {
                let large = be64(d, pos + 8).ok_or_else(|| truncated("HEIF"))?;
                (16, to_usize(large).ok_or_else(|| truncated("HEIF"))?)
            }
            n => (8, to_usize(u64::from(n)).ok_or_else(|| truncated("HEIF"))?),
        };
        if size < header {
            return Err(invalid(format!(
                "a HEIF box at byte {pos} is smaller than its header"
            )));
        }
        let whole = span(pos, size, end).ok_or_else(|| truncated("HEIF"))?;
        out.push(BmffBox {
            kind,
            payload: pos + header..whole.end,
        });
        pos = whole.end;
    }
    Ok(out)
}

fn heif_format(d: &[u8]) -> Result<ImageFormat, Error> {
    let boxes = bmff_boxes(d, 0, d.len()).map_err(|_| invalid("the HEIF file is corrupt"))?;
    let ftyp = boxes
        .first()
        .filter(|b| &b.kind == b"ftyp")
        .ok_or_else(|| invalid("the HEIF file does not start with ftyp"))?;
    let payload = d.get(ftyp.payload.clone()).unwrap_or_default();
    let major = payload.get(0..4).unwrap_or_default();
    let compatible: Vec<&[u8]> = payload
        .get(8..)
        .unwrap_or_default()
        .chunks_exact(4)
        .collect();
    const AVIF: [&[u8]; 2] = [b"avif", b"avis"];
    const HEIC: [&[u8]; 11] = [
        b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1",
        b"mif2",
    ];
    if AVIF.contains(&major) {
        Ok(ImageFormat::Avif)
    } else if HEIC.contains(&major) || compatible.iter().any(|b| HEIC.contains(b)) {
        if compatible.iter().any(|b| AVIF.contains(b))
            && !compatible.iter().any(|b| b.starts_with(b"he"))
        {
            Ok(ImageFormat::Avif)
        } else {
            Ok(ImageFormat::Heic)
        }
    } else if compatible.iter().any(|b| AVIF.contains(b)) {
        Ok(ImageFormat::Avif)
    } else {
        Err(unsupported("an ISO-BMFF file that is not HEIC or AVIF"))
    }
}

/// A big-endian unsigned number of 0, 4 or 8 bytes (the sizes iloc allows).
fn be_n(d: &[u8], at: &mut usize, n: u8) -> Option<u64> {
    let v = match n {
        0 => 0,
        4 => u64::from(be32(d, *at)?),
        8 => be64(d, *at)?,
        _ => return None,
    };
    *at += usize::from(n);
    Some(v)
}

/// An `iloc` item count or item id at `*at`, moving `at` past it: 16 bits
/// wide before version 2 of the box, 32 bits from version 2.
fn iloc_number(d: &[u8], at: &mut usize, version: u8) -> Option<u32> {
    let (n, width) = if version < 2 {
        (u32::from(be16(d, *at)?), 2)
    } else {
        (be32(d, *at)?, 4)
    };
    *at += width;
    Some(n)
}

fn heif_blocks(d: &[u8]) -> Result<Vec<Block>, Error> {
    let corrupt = || invalid("the HEIF metadata boxes are corrupt");
    let top = bmff_boxes(d, 0, d.len())?;
    let Some(meta) = top.iter().find(|b| &b.kind == b"meta") else {
        return Ok(Vec::new());
    };
    // meta is a full box: version and flags, then children.
    let children = bmff_boxes(d, meta.payload.start + 4, meta.payload.end)?;
    let find = |k: &[u8; 4]| children.iter().find(|b| &b.kind == k);

    // iinf: which items are EXIF and which are XMP.
    let mut wanted: BTreeMap<u32, Kind> = BTreeMap::new();
    if let Some(iinf) = find(b"iinf") {
        let version = *d.get(iinf.payload.start).ok_or_else(corrupt)?;
        let first = iinf.payload.start + if version == 0 { 6 } else { 8 };
        for infe in bmff_boxes(d, first.min(iinf.payload.end), iinf.payload.end)? {
            if &infe.kind != b"infe" {
                continue;
            }
            let p = d.get(infe.payload.clone()).unwrap_or_default();
            let version = p.first().copied().unwrap_or(0);
            if version < 2 {
                continue;
            }
            let (id, mut at) = if version == 2 {
                (be16(p, 4).map(u32::from), 6)
            } else {
                (be32(p, 4), 8)
            };
            let Some(id) = id else { continue };
            at += 2; // item_protection_index
            let item_type = p.get(at..at + 4).unwrap_or_default();
            at += 4;
            if item_type == b"Exif" {
                wanted.insert(id, Kind::HeifExif);
            } else if item_type == b"mime" {
                let mut strings = p.get(at..).unwrap_or_default().split(|&b| b == 0);
                let _name = strings.next();
                let content_type = strings.next().unwrap_or_default();
                let encoding = strings.next().unwrap_or_default();
                if content_type == b"application/rdf+xml" && encoding.is_empty() {
                    wanted.insert(id, Kind::Xmp);
                }
            }
        }
    }
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let idat = find(b"idat").map(|b| b.payload.clone());

    // iloc: where those items' bytes are.
    let Some(iloc) = find(b"iloc") else {
        return Ok(Vec::new());
    };
    let p = d.get(iloc.payload.clone()).unwrap_or_default();
    let version = *p.first().ok_or_else(corrupt)?;
    let sizes = be16(p, 4).ok_or_else(corrupt)?;
    let [offset_size, length_size, base_size, index_size] = [
        (sizes >> 12) as u8,
        (sizes >> 8) as u8 & 15,
        (sizes >> 4) as u8 & 15,
        sizes as u8 & 15,
    ];
    let index_size = if version == 1 || version == 2 {
        index_size
    } else {
        0
    };
    let mut at = 6usize;
    let count = iloc_number(p, &mut at, version).ok_or_else(corrupt)?;
    let mut blocks = Vec::new();
    for _ in 0..count {
        let id = iloc_number(p, &mut at, version).ok_or_else(corrupt)?;
        let method = if version == 1 || version == 2 {
            let m = be16(p, at).ok_or_else(corrupt)? & 15;
            at += 2;
            m
        } else {
            0
        };
        at += 2; // data_reference_index
        let base = be_n(p, &mut at, base_size).ok_or_else(corrupt)?;
        let extents = be16(p, at).ok_or_else(corrupt)?;
        at += 2;
        let mut ranges = Vec::new();
        for _ in 0..extents {
            be_n(p, &mut at, index_size).ok_or_else(corrupt)?;
            let offset = be_n(p, &mut at, offset_size).ok_or_else(corrupt)?;
            let length = be_n(p, &mut at, length_size).ok_or_else(corrupt)?;
            let (origin, limit) = match method {
                0 => (0, d.len()),
                1 => match &idat {
                    Some(r) => (r.start, r.end),
                    None => return Err(corrupt()),
                },
                _ => (0, 0),
            };
            if limit == 0 {
                continue;
            }
            let start = base
                .checked_add(offset)
                .and_then(to_usize)
                .and_then(|s| s.checked_add(origin))
                .ok_or_else(corrupt)?;
            let len = if length == 0 {
                limit.saturating_sub(start)
            } else {
                to_usize(length).ok_or_else(corrupt)?
            };
            let range = span(start, len, limit).ok_or_else(|| truncated("HEIF"))?;
            // File extents must lie inside one data box (never in ftyp, meta
            // or a box header), so that editing them cannot break the file.
            if method == 0
                && !top.iter().any(|b| {
                    !matches!(&b.kind, b"ftyp" | b"meta")
                        && b.payload.start <= range.start
                        && range.end <= b.payload.end
                })
            {
                return Err(invalid("a HEIF item lies outside the file's data boxes"));
            }
            ranges.push(range);
        }
        if let Some(&kind) = wanted.get(&id) {
            if !ranges.is_empty() {
                blocks.push(Block {
                    kind,
                    ranges,
                    root: false,
                });
            }
        }
    }
    Ok(blocks)
}

// --- PNG --------------------------------------------------------------------

struct PngChunk {
    /// The whole chunk: length, type, data, CRC.
    whole: Range<usize>,
    kind: [u8; 4],
    data: Range<usize>,
}

fn png_chunks(d: &[u8]) -> Result<(Vec<PngChunk>, usize), Error> {
    let mut chunks = Vec::new();
    let mut pos = PNG_SIGNATURE.len();
    loop {
        let len = be32(d, pos).ok_or_else(|| truncated("PNG"))?;
        if len > 0x7FFF_FFFF {
            return Err(invalid(format!("a PNG chunk at byte {pos} is too long")));
        }
        let kind: [u8; 4] = d
            .get(pos + 4..pos + 8)
            .and_then(|k| k.try_into().ok())
            .ok_or_else(|| truncated("PNG"))?;
        let len = to_usize(u64::from(len)).ok_or_else(|| truncated("PNG"))?;
        let data = span(pos + 8, len, d.len()).ok_or_else(|| truncated("PNG"))?;
        let whole = span(pos, len + 12, d.len()).ok_or_else(|| truncated("PNG"))?;
        pos = whole.end;
        chunks.push(PngChunk { whole, kind, data });
        if &kind == b"IEND" {
            return Ok((chunks, pos));
        }
    }
}

/// What a PNG chunk holds, as far as metadata goes.
enum PngMeta {
    /// Nothing of interest.
    Plain,
    /// A block stored as is, at a range of the chunk's data.
    InPlace(Kind, Range<usize>),
    /// A block stored compressed or hex-encoded, decoded.
    Decoded(Kind, Vec<u8>),
    /// A metadata block (XMP, a raw profile) that cannot be decoded: it
    /// might hold location.
    Broken,
    /// Text that cannot hold location (free text under a keyword, a date,
    /// `tIME`), removed with identifying metadata: the field it is
    /// reported as, with where its text is, when it is reported at all. The
    /// text is not read here: only [`inspect`] needs to know whether it
    /// says anything, and it reads no further than that.
    Text(Option<(IdentifyingField, PngText)>),
    /// Text under a keyword that names a position (ImageMagick's
    /// `exif:GPSLatitude` and the like): location, removed by either
    /// strip, reported when it says anything.
    Position(PngText),
}

/// What a PNG text chunk's keyword says of its text, when the chunk is not
/// a metadata block.
enum PngKeyword {
    /// A tool or device (`Software`, `Source`), or a profile: kept.
    Kept,
    /// Removed with identifying metadata, and reported as this field.
    Reported(IdentifyingField),
    /// Removed with identifying metadata, not reported (ImageMagick's file
    /// dates, `date:create` and the like).
    Removed,
    /// A position (a keyword naming GPS, a latitude or a longitude):
    /// location, removed by either strip.
    Position,
}

/// PNG text is free text under a keyword anyone may choose: all of it is
/// treated as able to name a child, except what names a tool or a device
/// (what EXIF's make, model and software are to a camera).
fn png_keyword(keyword: &[u8]) -> PngKeyword {
    match keyword {
        b"Author" => PngKeyword::Reported(IdentifyingField::Artist),
        b"Copyright" => PngKeyword::Reported(IdentifyingField::Copyright),
        b"Creation Time" => PngKeyword::Reported(IdentifyingField::DateTaken),
        k if names_a_position(k) => PngKeyword::Position,
        b"Software" | b"Source" => PngKeyword::Kept,
        k if k.starts_with(b"Raw profile type ") => PngKeyword::Kept,
        k if k.starts_with(b"date:") => PngKeyword::Removed,
        _ => PngKeyword::Reported(IdentifyingField::DescriptiveText),
    }
}

/// Whether a PNG text keyword names a position: it holds `gps`,
/// `latitude` or `longitude` in any case (ImageMagick writes EXIF's GPS
/// tags as `exif:GPSLatitude`, `exif:GPSLongitude`, ...). Read widely, so
/// that location under a keyword of someone's choosing is not copied on as
/// harmless text.
fn names_a_position(keyword: &[u8]) -> bool {
    ["gps", "latitude", "longitude"].iter().any(|word| {
        keyword
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    })
}

/// How a PNG text chunk's text is stored, as a range of the chunk's data.
enum PngText {
    Raw(Range<usize>),
    Compressed(Range<usize>),
    /// An `iTXt` chunk whose header (language, translated keyword) does not
    /// end: where its text starts cannot be said.
    Unreadable,
}

/// The keyword and the text of a `tEXt`, `zTXt` or `iTXt` chunk's data.
fn png_text<'a>(kind: &[u8; 4], data: &'a [u8]) -> Option<(&'a [u8], PngText)> {
    let nul = memchr::memchr(0, data)?;
    let keyword = data.get(..nul).unwrap_or_default();
    let text = match kind {
        b"tEXt" => PngText::Raw(nul + 1..data.len()),
        // method byte, then the zlib stream
        b"zTXt" => PngText::Compressed((nul + 2).min(data.len())..data.len()),
        b"iTXt" => {
            // compression flag, method, language\0, translated keyword\0, text
            let flag = data.get(nul + 1).copied().unwrap_or(0);
            let mut at = (nul + 3).min(data.len());
            let mut ended = true;
            for _ in 0..2 {
                match memchr::memchr(0, data.get(at..).unwrap_or_default()) {
                    Some(i) => at += i + 1,
                    None => ended = false,
                }
            }
            match (ended, flag) {
                (false, _) => PngText::Unreadable,
                (true, 0) => PngText::Raw(at..data.len()),
                (true, _) => PngText::Compressed(at..data.len()),
            }
        }
        _ => return None,
    };
    Some((keyword, text))
}

/// Classifies a chunk, and decodes it when it is a metadata block stored
/// compressed or hex-encoded (inflating no more than what is left of
/// `budget`, shared by the file's chunks). Free text is never decoded
/// here, so a location strip copies it as it is, however large or damaged.
fn png_meta(d: &[u8], chunk: &PngChunk, budget: &mut usize) -> Result<PngMeta, Error> {
    let data = d.get(chunk.data.clone()).unwrap_or_default();
    if &chunk.kind == b"eXIf" {
        return Ok(PngMeta::InPlace(Kind::Exif, 0..data.len()));
    }
    if &chunk.kind == b"tIME" {
        // When the picture was last changed.
        return Ok(PngMeta::Text(None));
    }
    let Some((keyword, text)) = png_text(&chunk.kind, data) else {
        return Ok(PngMeta::Plain);
    };
    let kind = match keyword {
        b"XML:com.adobe.xmp" => Kind::Xmp,
        b"Raw profile type exif" | b"Raw profile type APP1" => Kind::Exif,
        b"Raw profile type xmp" => Kind::Xmp,
        b"Raw profile type iptc" | b"Raw profile type 8bim" => Kind::Irb,
        _ => {
            return Ok(match png_keyword(keyword) {
                PngKeyword::Kept => PngMeta::Plain,
                PngKeyword::Removed => PngMeta::Text(None),
                PngKeyword::Reported(field) => PngMeta::Text(Some((field, text))),
                PngKeyword::Position => PngMeta::Position(text),
            })
        }
    };
    let raw_profile = keyword.starts_with(b"Raw profile type ");
    let owned: Cow<[u8]> = match text {
        PngText::Unreadable => return Ok(PngMeta::Broken),
        PngText::Raw(r) => {
            if !raw_profile {
                return Ok(PngMeta::InPlace(kind, r));
            }
            Cow::Borrowed(data.get(r).unwrap_or_default())
        }
        PngText::Compressed(r) => {
            let compressed = data.get(r).unwrap_or_default();
            let limit = (*budget).min(MAX_INFLATED_BYTES);
            match miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(compressed, limit) {
                Ok(v) => {
                    *budget = budget.saturating_sub(v.len());
                    Cow::Owned(v)
                }
                Err(e) if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                    return Err(invalid(
                        "the PNG's compressed metadata inflates past the limit",
                    ))
                }
                Err(_) => return Ok(PngMeta::Broken),
            }
        }
    };
    let decoded = if raw_profile {
        match decode_raw_profile(&owned) {
            Some(v) => v,
            None => return Ok(PngMeta::Broken),
        }
    } else {
        owned.into_owned()
    };
    let kind = if kind == Kind::Irb && decoded.first() == Some(&0x1C) {
        Kind::Iim
    } else {
        kind
    };
    Ok(PngMeta::Decoded(kind, decoded))
}

/// Whether a PNG text chunk's text says anything (holds more than blanks),
/// read no further than its first character that is not blank. Text that
/// cannot be read, or that is still blank when what is left of `budget` has
/// been inflated, counts as saying something: nothing can be said of what
/// it hides.
fn png_text_says_something(
    data: &[u8],
    text: &PngText,
    inflater: &mut Inflater,
    budget: &mut usize,
) -> bool {
    match text {
        PngText::Raw(r) => non_blank(data.get(r.clone()).unwrap_or_default()),
        PngText::Unreadable => true,
        PngText::Compressed(r) => {
            inflater.non_blank(data.get(r.clone()).unwrap_or_default(), budget)
        }
    }
}

/// Inflates zlib streams a piece at a time, one stream after another, to
/// look for their first character that is not blank.
///
/// The state (with its 32 KiB window) and the output buffer are made once
/// for a file, and the state is reset without being zeroed between
/// streams: a file of a million tiny text chunks would otherwise cost a
/// million windows' worth of writes. What a damaged stream could read of an
/// earlier stream's bytes is only looked at here, never returned.
struct Inflater {
    state: Option<Box<miniz_oxide::inflate::stream::InflateState>>,
    buffer: Vec<u8>,
}

impl Inflater {
    fn new() -> Inflater {
        Inflater {
            state: None,
            buffer: Vec::new(),
        }
    }

    /// True when the zlib stream inflates to something other than blanks,
    /// cannot be inflated, or is still blank when `budget` runs out; the
    /// bytes inflated are taken from `budget`.
    fn non_blank(&mut self, compressed: &[u8], budget: &mut usize) -> bool {
        use miniz_oxide::inflate::stream::{inflate, InflateState, MinReset};
        use miniz_oxide::{DataFormat, MZFlush, MZStatus};
        let state = self
            .state
            .get_or_insert_with(|| InflateState::new_boxed(DataFormat::Zlib));
        state.reset_as(MinReset);
        if self.buffer.is_empty() {
            self.buffer = vec![0; 4096];
        }
        let mut input = compressed;
        loop {
            let r = inflate(state, input, &mut self.buffer, MZFlush::None);
            input = input.get(r.bytes_consumed..).unwrap_or_default();
            if non_blank(self.buffer.get(..r.bytes_written).unwrap_or_default()) {
                return true;
            }
            match budget.checked_sub(r.bytes_written) {
                Some(left) => *budget = left,
                None => {
                    *budget = 0;
                    return true;
                }
            }
            match r.status {
                Ok(MZStatus::StreamEnd) => return false,
                Ok(_) if r.bytes_consumed > 0 || r.bytes_written > 0 => {}
                // Damaged, cut short, or making no progress.
                _ => return true,
            }
        }
    }
}

/// ImageMagick's "raw profile": `\n<name>\n<spaces><length>\n<hex digits>`.
fn decode_raw_profile(text: &[u8]) -> Option<Vec<u8>> {
    let mut lines = text
        .split(|&b| b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace));
    let _name = lines.next()?;
    let length: usize = std::str::from_utf8(lines.next()?)
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let mut out = Vec::with_capacity(length.min(text.len() / 2));
    let mut high: Option<u8> = None;
    for line in lines {
        for &c in line {
            let nibble = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                c if c.is_ascii_whitespace() => continue,
                _ => return None,
            };
            match high.take() {
                None => high = Some(nibble),
                Some(h) => {
                    if out.len() == length {
                        return Some(out);
                    }
                    out.push(h << 4 | nibble);
                }
            }
        }
    }
    Some(out)
}

fn inspect_png(d: &[u8]) -> Result<Findings, Error> {
    let (chunks, _) = png_chunks(d)?;
    let mut s = Scan::default();
    let mut budget = MAX_INFLATED_BYTES;
    let mut inflater = Inflater::new();
    for chunk in &chunks {
        let data = d.get(chunk.data.clone()).unwrap_or_default();
        // A block that cannot be parsed still reports what was read before the fault.
        match png_meta(d, chunk, &mut budget)? {
            PngMeta::InPlace(kind, r) => {
                let block = data.get(r).unwrap_or_default();
                if scan(kind, block, 0, 0, &mut s).is_err() {
                    s.unreadable(block);
                }
            }
            PngMeta::Decoded(kind, v) => {
                if scan(kind, &v, 0, 0, &mut s).is_err() {
                    s.unreadable(&v);
                }
            }
            PngMeta::Broken => s.unreadable(data),
            PngMeta::Text(Some((field, text))) => {
                if png_text_says_something(data, &text, &mut inflater, &mut budget) {
                    s.identifying(field, MetadataSource::PngText);
                }
            }
            PngMeta::Position(text) => {
                if png_text_says_something(data, &text, &mut inflater, &mut budget) {
                    s.location(LocationField::ExifGps);
                }
            }
            PngMeta::Text(None) | PngMeta::Plain => {}
        }
    }
    Ok(s.f)
}

fn strip_png(d: &[u8], remove: Remove) -> Result<Vec<u8>, Error> {
    let (chunks, end) = png_chunks(d)?;
    let mut out = Vec::with_capacity(d.len());
    out.extend_from_slice(&PNG_SIGNATURE);
    let mut budget = MAX_INFLATED_BYTES;
    for chunk in &chunks {
        let original = d.get(chunk.whole.clone()).unwrap_or_default();
        let data = d.get(chunk.data.clone()).unwrap_or_default();
        match png_meta(d, chunk, &mut budget)? {
            // Text cannot hold location: a location strip copies it as it
            // is (compressed or not, readable or not).
            PngMeta::Text(_) if remove == Remove::Identifying => {}
            PngMeta::Plain | PngMeta::Text(_) => out.extend_from_slice(original),
            // It might hold location, and cannot be cleaned; or it is one.
            PngMeta::Broken | PngMeta::Position(_) => {}
            PngMeta::Decoded(kind, v) => {
                let mut s = Scan::removing(remove);
                let readable = scan(kind, &v, 0, 0, &mut s).is_ok();
                // Kept only when there is nothing to remove (identifying
                // metadata always comes with patches; checked all the same).
                let identifying_left = s.removes_identifying() && !s.f.identifying.is_empty();
                if readable && s.patches.is_empty() && !identifying_left {
                    out.extend_from_slice(original);
                }
            }
            PngMeta::InPlace(kind, r) => {
                let mut edited = data.to_vec();
                if clean(&mut edited, std::slice::from_ref(&r), kind, remove).is_none() {
                    continue;
                }
                if edited == data {
                    out.extend_from_slice(original);
                    continue;
                }
                out.extend_from_slice(original.get(..8).unwrap_or_default());
                out.extend_from_slice(&edited);
                out.extend_from_slice(&crc32(&[&chunk.kind, &edited]).to_be_bytes());
            }
        }
    }
    out.extend_from_slice(d.get(end..).unwrap_or_default());
    Ok(out)
}

/// The CRC-32 of `parts` one after the other: the checksum PNG puts after
/// each chunk (ISO-HDLC: polynomial 0xEDB88320 reflected, all ones in and
/// out).
///
/// Only a chunk [`strip_location`] rewrote needs a new one, and those are
/// metadata chunks of a few kilobytes, so reading a byte at a time through
/// one 1 KB table (built at compile time) is enough. The crc32fast crate's
/// 16 KB of tables were the largest table in the WebAssembly module.
fn crc32(parts: &[&[u8]]) -> u32 {
    // Built at compile time: an index out of range would fail the build.
    #[allow(clippy::indexing_slicing)]
    const TABLE: [u32; 256] = {
        let mut table = [0; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut bit = 0;
            while bit < 8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                bit += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    let mut crc = !0u32;
    for &byte in parts.iter().copied().flatten() {
        let i = usize::from(crc as u8 ^ byte);
        crc = TABLE.get(i).copied().unwrap_or_default() ^ (crc >> 8);
    }
    !crc
}

// ---------------------------------------------------------------------------
// Metadata blocks

fn scan(kind: Kind, d: &[u8], base: usize, depth: u8, s: &mut Scan) -> Parsed<()> {
    if depth > MAX_DEPTH {
        return Err(Malformed);
    }
    match kind {
        Kind::Exif => {
            let skip = if d.len() >= 6 && d.starts_with(b"Exif\0") {
                6
            } else {
                0
            };
            scan_tiff(d.get(skip..).ok_or(Malformed)?, base + skip, depth, s)
        }
        Kind::HeifExif => {
            let offset = to_usize(u64::from(be32(d, 0).ok_or(Malformed)?)).ok_or(Malformed)?;
            let start = offset.checked_add(4).ok_or(Malformed)?;
            scan(
                Kind::Exif,
                d.get(start..).ok_or(Malformed)?,
                base + start,
                depth,
                s,
            )
        }
        Kind::Xmp => scan_xmp(d, base, s),
        Kind::Irb => scan_irb(d, base, depth, s),
        Kind::Iim => scan_iim(d, base, s),
        Kind::Comment => {
            scan_comment(d, base, s);
            Ok(())
        }
    }
}

/// A JPEG comment is free text: reported when it says anything, and zeroed
/// when identifying metadata is removed.
fn scan_comment(d: &[u8], base: usize, s: &mut Scan) {
    if non_blank(d) {
        s.identifying(
            IdentifyingField::DescriptiveText,
            MetadataSource::JpegComment,
        );
    }
    if s.removes_identifying() && d.iter().any(|&b| b != 0) {
        s.fill(base, d.len(), 0);
    }
}

/// Scans a block nested in another; one that cannot be parsed is blanked.
fn scan_nested(kind: Kind, d: &[u8], r: Range<usize>, base: usize, depth: u8, s: &mut Scan) {
    let Some(sub) = d.get(r.clone()) else { return };
    if scan(kind, sub, base + r.start, depth + 1, s).is_err() {
        s.unreadable(sub);
        s.fill(base + r.start, r.len(), kind.fill());
    }
}

// --- EXIF / TIFF ------------------------------------------------------------

const TAG_GPS_IFD: u16 = 0x8825;
const TAG_EXIF_IFD: u16 = 0x8769;
const TAG_XMP: u16 = 0x02BC;
const TAG_IPTC: u16 = 0x83BB;
const TAG_PHOTOSHOP: u16 = 0x8649;
/// UserComment: an 8-byte character code (`ASCII`, `UNICODE`, …), then the text.
const TAG_USER_COMMENT: u16 = 0x9286;

struct Tiff<'a> {
    d: &'a [u8],
    little: bool,
}

struct Ifd {
    off: usize,
    count: usize,
    /// End of the entries (where the next-IFD offset is).
    end: usize,
    next: Option<u32>,
}

struct Entry {
    pos: usize,
    tag: u16,
    kind: u16,
    count: u32,
    /// The value's bytes, when its type is known and it lies within the data.
    value: Option<Range<usize>>,
}

impl<'a> Tiff<'a> {
    fn u16(&self, at: usize) -> Option<u16> {
        let from = if self.little {
            u16::from_le_bytes
        } else {
            u16::from_be_bytes
        };
        bytes_at(self.d, at).map(from)
    }

    fn u32(&self, at: usize) -> Option<u32> {
        let from = if self.little {
            u32::from_le_bytes
        } else {
            u32::from_be_bytes
        };
        bytes_at(self.d, at).map(from)
    }

    fn offset(&self, at: usize) -> Option<usize> {
        to_usize(u64::from(self.u32(at)?))
    }

    fn ifd(&self, off: usize) -> Option<Ifd> {
        let count = usize::from(self.u16(off)?);
        let end = off.checked_add(2)?.checked_add(count.checked_mul(12)?)?;
        if end > self.d.len() {
            return None;
        }
        Some(Ifd {
            off,
            count,
            end,
            next: self.u32(end),
        })
    }

    fn entries(&self, ifd: &Ifd) -> impl Iterator<Item = Entry> + '_ {
        let first = ifd.off + 2;
        (0..ifd.count).filter_map(move |i| self.entry(first + 12 * i))
    }

    fn entry(&self, pos: usize) -> Option<Entry> {
        let tag = self.u16(pos)?;
        let kind = self.u16(pos + 2)?;
        let count = self.u32(pos + 4)?;
        let value = type_size(kind).and_then(|size| {
            let len = to_usize(u64::from(count))?.checked_mul(size)?;
            let start = if len <= 4 {
                pos + 8
            } else {
                self.offset(pos + 8)?
            };
            span(start, len, self.d.len())
        });
        Some(Entry {
            pos,
            tag,
            kind,
            count,
            value,
        })
    }

    fn bytes(&self, e: &Entry) -> &'a [u8] {
        e.value
            .clone()
            .and_then(|r| self.d.get(r))
            .unwrap_or_default()
    }

    /// Up to three (S)RATIONAL values as numbers.
    fn rationals(&self, e: &Entry) -> Option<Vec<f64>> {
        if !matches!(e.kind, 5 | 10) {
            return None;
        }
        let start = e.value.clone()?.start;
        let n = usize::try_from(e.count).ok()?.min(3);
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let at = start + 8 * i;
            let (num, den) = (self.u32(at)?, self.u32(at + 4)?);
            let (num, den) = if e.kind == 10 {
                (f64::from(num as i32), f64::from(den as i32))
            } else {
                (f64::from(num), f64::from(den))
            };
            if den == 0.0 {
                return None;
            }
            out.push(num / den);
        }
        Some(out)
    }

    /// The IFD rewritten without the entries at `drop`, padded with zeros to
    /// its original length.
    fn without(&self, ifd: &Ifd, drop: &[usize]) -> Option<Vec<u8>> {
        let next_len = if ifd.next.is_some() { 4 } else { 0 };
        let total = ifd.end - ifd.off + next_len;
        let mut out = Vec::with_capacity(total);
        let count = u16::try_from(ifd.count.checked_sub(drop.len())?).ok()?;
        out.extend_from_slice(&if self.little {
            count.to_le_bytes()
        } else {
            count.to_be_bytes()
        });
        for i in 0..ifd.count {
            let pos = ifd.off + 2 + 12 * i;
            if !drop.contains(&pos) {
                out.extend_from_slice(self.d.get(pos..pos + 12)?);
            }
        }
        out.extend_from_slice(self.d.get(ifd.end..ifd.end + next_len)?);
        out.resize(total, 0);
        Some(out)
    }
}

fn type_size(kind: u16) -> Option<usize> {
    match kind {
        1 | 2 | 6 | 7 => Some(1),
        3 | 8 => Some(2),
        4 | 9 | 11 | 13 => Some(4),
        5 | 10 | 12 => Some(8),
        _ => None,
    }
}

fn tiff_identifying(tag: u16) -> Option<IdentifyingField> {
    match tag {
        0x013B | 0x9C9D | 0xA437 | 0xA438 => Some(IdentifyingField::Artist), // Artist, XPAuthor, Photographer, ImageEditor
        0x8298 => Some(IdentifyingField::Copyright),
        0xA430 | 0x013C => Some(IdentifyingField::OwnerName), // CameraOwnerName, HostComputer
        0xA431 | 0xC62F => Some(IdentifyingField::CameraSerial),
        0xA435 => Some(IdentifyingField::LensSerial),
        0x9003 => Some(IdentifyingField::DateTaken),
        TAG_USER_COMMENT
        | 0x010D // DocumentName
        | 0x010E // ImageDescription
        | 0xA436 // ImageTitle
        | 0x9C9B // XPTitle
        | 0x9C9C // XPComment
        | 0x9C9E // XPKeywords
        | 0x9C9F // XPSubject
        => Some(IdentifyingField::DescriptiveText),
        _ => None,
    }
}

/// The EXIF/TIFF tags [`strip_identifying`] removes: those
/// [`tiff_identifying`] reports, the other dates and times of the picture
/// (modified, digitized, their sub-seconds and time zones), and the maker
/// note, a vendor's private block that often holds the serial number.
fn tiff_removed_with_identifying(tag: u16) -> bool {
    tiff_identifying(tag).is_some()
        || matches!(
            tag,
            0x0132 // DateTime
                | 0x9004 // DateTimeDigitized
                | 0x9010..=0x9012 // OffsetTime, OffsetTimeOriginal, OffsetTimeDigitized
                | 0x9290..=0x9292 // SubSecTime, SubSecTimeOriginal, SubSecTimeDigitized
                | 0x927C // MakerNote
        )
}

/// Notes an identifying tag of an IFD and, when identifying metadata is
/// removed, marks it to be dropped from the IFD (`drop`) and zeroes its
/// value when that lies outside the entry.
fn tiff_entry_identifying(t: &Tiff, e: &Entry, base: usize, s: &mut Scan, drop: &mut Vec<usize>) {
    if let Some(field) = tiff_identifying(e.tag) {
        let value = t.bytes(e);
        let text = if e.tag == TAG_USER_COMMENT {
            value.get(8..).unwrap_or_default()
        } else {
            value
        };
        if non_blank(text) {
            s.identifying(field, MetadataSource::Exif);
        }
    }
    if s.removes_identifying() && tiff_removed_with_identifying(e.tag) {
        drop.push(e.pos);
        if let Some(r) = e.value.clone() {
            if r.len() > 4 {
                s.fill(base + r.start, r.len(), 0);
            }
        }
    }
}

/// The patch that rewrites an IFD without the entries at `drop`.
fn drop_entries(t: &Tiff, ifd: &Ifd, drop: &[usize], base: usize, s: &mut Scan) -> Parsed<()> {
    if !drop.is_empty() {
        let bytes = t.without(ifd, drop).ok_or(Malformed)?;
        s.patches.push(Patch {
            at: base + ifd.off,
            bytes,
        });
    }
    Ok(())
}

/// Reads the Exif sub-IFD at `off` for identifying tags (and drops them,
/// when identifying metadata is removed).
fn scan_exif_ifd(t: &Tiff, off: Option<usize>, base: usize, s: &mut Scan) -> Parsed<()> {
    let Some(sub) = off.and_then(|o| t.ifd(o)) else {
        return Ok(());
    };
    let mut drop = Vec::new();
    for e in t.entries(&sub) {
        tiff_entry_identifying(t, &e, base, s, &mut drop);
    }
    drop_entries(t, &sub, &drop, base, s)
}

fn scan_tiff(d: &[u8], base: usize, depth: u8, s: &mut Scan) -> Parsed<()> {
    let little = match d.get(0..4) {
        Some(b"II*\0") => true,
        Some(b"MM\0*") => false,
        _ => return Err(Malformed),
    };
    let t = Tiff { d, little };
    let mut off = t.offset(4).ok_or(Malformed)?;
    let mut visited: BTreeSet<usize> = BTreeSet::new();
    while off != 0 && visited.len() < MAX_IFDS && visited.insert(off) {
        let Some(ifd) = t.ifd(off) else {
            // IFD0 must be readable; a broken later IFD (a thumbnail) ends the chain.
            if visited.len() == 1 {
                return Err(Malformed);
            }
            break;
        };
        // The entries to drop from this IFD: the GPS pointer, and the
        // identifying tags when those are removed too.
        let mut drop = Vec::new();
        for e in t.entries(&ifd) {
            match e.tag {
                TAG_GPS_IFD => {
                    drop.push(e.pos);
                    match t.offset(e.pos + 8) {
                        Some(gps) => scan_gps(&t, gps, base, s),
                        None => s.location(LocationField::ExifGps),
                    }
                }
                TAG_EXIF_IFD => scan_exif_ifd(&t, t.offset(e.pos + 8), base, s)?,
                TAG_XMP => {
                    if let Some(r) = e.value.clone() {
                        scan_nested(Kind::Xmp, d, r, base, depth, s);
                    }
                }
                TAG_IPTC => {
                    if let Some(r) = e.value.clone() {
                        scan_nested(Kind::Iim, d, r, base, depth, s);
                    }
                }
                TAG_PHOTOSHOP => {
                    if let Some(r) = e.value.clone() {
                        scan_nested(Kind::Irb, d, r, base, depth, s);
                    }
                }
                _ => tiff_entry_identifying(&t, &e, base, s, &mut drop),
            }
        }
        drop_entries(&t, &ifd, &drop, base, s)?;
        off = ifd.next.and_then(|n| to_usize(u64::from(n))).unwrap_or(0);
    }
    Ok(())
}

/// Reads a GPS IFD and zeroes it (its entries and their values).
fn scan_gps(t: &Tiff, off: usize, base: usize, s: &mut Scan) {
    let Some(ifd) = t.ifd(off) else {
        // A GPS pointer to nowhere: nothing can be said, so assume the worst.
        s.location(LocationField::ExifGps);
        return;
    };
    let mut position = false;
    let (mut lat, mut lat_ref, mut lon, mut lon_ref) = (None, None, None, None);
    for e in t.entries(&ifd) {
        match e.tag {
            1 => lat_ref = t.bytes(&e).first().copied(),
            2 => lat = t.rationals(&e).as_deref().and_then(dms),
            3 => lon_ref = t.bytes(&e).first().copied(),
            4 => lon = t.rationals(&e).as_deref().and_then(dms),
            _ => {}
        }
        // Latitude, longitude, destination latitude/longitude, area information.
        if matches!(e.tag, 2 | 4 | 0x14 | 0x16 | 0x1C)
            && (e.value.is_none() || non_blank(t.bytes(&e)))
        {
            position = true;
        }
        if let Some(r) = e.value.clone() {
            if r.len() > 4 {
                s.fill(base + r.start, r.len(), 0);
            }
        }
    }
    let end = ifd.end + if ifd.next.is_some() { 4 } else { 0 };
    s.fill(base + ifd.off, end - ifd.off, 0);
    if position {
        s.location(LocationField::ExifGps);
        let sign = |r: Option<u8>, neg: u8| if r == Some(neg) { -1.0 } else { 1.0 };
        if let (Some(lat), Some(lon)) = (lat, lon) {
            s.f.exif_coords = s.f.exif_coords.or(coordinates(
                lat * sign(lat_ref, b'S'),
                lon * sign(lon_ref, b'W'),
            ));
        }
    }
}

/// Degrees, minutes, seconds as decimal degrees.
fn dms(v: &[f64]) -> Option<f64> {
    match v {
        [d] => Some(*d),
        [d, m] => Some(d + m / 60.0),
        [d, m, sec, ..] => Some(d + m / 60.0 + sec / 3600.0),
        [] => None,
    }
}

fn coordinates(latitude: f64, longitude: f64) -> Option<Coordinates> {
    (latitude.is_finite()
        && longitude.is_finite()
        && latitude.abs() <= 90.0
        && longitude.abs() <= 180.0)
        .then_some(Coordinates {
            latitude,
            longitude,
        })
}

// --- Photoshop resources and IPTC-IIM ---------------------------------------

fn scan_irb(d: &[u8], base: usize, depth: u8, s: &mut Scan) -> Parsed<()> {
    let mut pos = 0usize;
    while pos < d.len() {
        let rest = d.get(pos..).unwrap_or_default();
        let signature = rest.get(0..4).ok_or(Malformed)?;
        if !matches!(signature, b"8BIM" | b"MeSa" | b"PHUT" | b"AgHg" | b"DCSR") {
            // Zero padding may follow the last resource.
            return if non_blank(rest) {
                Err(Malformed)
            } else {
                Ok(())
            };
        }
        let id = be16(d, pos + 4).ok_or(Malformed)?;
        let name_len = usize::from(*d.get(pos + 6).ok_or(Malformed)?);
        let size_at = pos + 6 + ((name_len + 2) & !1);
        let size = to_usize(u64::from(be32(d, size_at).ok_or(Malformed)?)).ok_or(Malformed)?;
        let data = span(size_at + 4, size, d.len()).ok_or(Malformed)?;
        match id {
            0x0404 => scan_nested(Kind::Iim, d, data.clone(), base, depth, s),
            0x0422 => scan_nested(Kind::Exif, d, data.clone(), base, depth, s),
            0x0424 => scan_nested(Kind::Xmp, d, data.clone(), base, depth, s),
            _ => {}
        }
        pos = data.end + (size & 1);
    }
    Ok(())
}

fn scan_iim(d: &[u8], base: usize, s: &mut Scan) -> Parsed<()> {
    let mut pos = 0usize;
    while d.get(pos) == Some(&0x1C) {
        let record = *d.get(pos + 1).ok_or(Malformed)?;
        let dataset = *d.get(pos + 2).ok_or(Malformed)?;
        let mut len = usize::from(be16(d, pos + 3).ok_or(Malformed)?);
        let mut start = pos + 5;
        if len & 0x8000 != 0 {
            // Extended dataset: the low bits give the size of the length.
            let n = len & 0x7FFF;
            if n == 0 || n > 4 {
                return Err(Malformed);
            }
            let bytes = d.get(start..start + n).ok_or(Malformed)?;
            len = bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            start += n;
        }
        let value = span(start, len, d.len()).ok_or(Malformed)?;
        let bytes = d.get(value.clone()).unwrap_or_default();
        if record == 2 {
            match dataset {
                // Content location code/name, city, sub-location,
                // province/state, country code, country name.
                26 | 27 | 90 | 92 | 95 | 100 | 101 => {
                    if non_blank(bytes) {
                        s.location(LocationField::IptcLocation);
                    }
                    if bytes.iter().any(|&b| b != b' ') {
                        s.fill(base + value.start, value.len(), b' ');
                    }
                }
                80 => iim_identifying(s, bytes, IdentifyingField::Artist),
                116 => iim_identifying(s, bytes, IdentifyingField::Copyright),
                55 => iim_identifying(s, bytes, IdentifyingField::DateTaken),
                118 => iim_identifying(s, bytes, IdentifyingField::ContactInfo),
                // Object name, supplemental category, keywords, special
                // instructions, headline, credit, source, caption: free
                // text, which can name a person.
                5 | 20 | 25 | 40 | 105 | 110 | 115 | 120 => {
                    iim_identifying(s, bytes, IdentifyingField::DescriptiveText)
                }
                _ => {}
            }
            // Those, by-line and its title, copyright, the dates and times
            // of the picture, contact, writer: removed with identifying
            // metadata.
            if s.removes_identifying()
                && matches!(
                    dataset,
                    5 | 20
                        | 25
                        | 40
                        | 55
                        | 60
                        | 62
                        | 63
                        | 80
                        | 85
                        | 105
                        | 110
                        | 115
                        | 116
                        | 118
                        | 120
                        | 122
                )
                && bytes.iter().any(|&b| b != b' ')
            {
                s.fill(base + value.start, value.len(), b' ');
            }
        }
        pos = value.end;
    }
    Ok(())
}

fn iim_identifying(s: &mut Scan, value: &[u8], field: IdentifyingField) {
    if non_blank(value) {
        s.identifying(field, MetadataSource::Iptc);
    }
}

// --- XMP --------------------------------------------------------------------
//
// XMP is RDF/XML. A small tokenizer (not a general XML parser: XMP forbids
// DTDs and entity declarations) finds every element and attribute with its
// byte span, so that location properties can be overwritten with spaces in
// place. Properties are matched by local name, whatever the namespace prefix,
// so that vendors' variants (`drone-dji:GpsLatitude`) are caught too.

/// What an XMP property name means to us.
#[derive(Clone, Copy, Default)]
struct XmpName {
    /// Its value gives away a location.
    location: bool,
    /// It is removed by [`strip_location`] (location, and other GPS data).
    strip: bool,
    identifying: Option<IdentifyingField>,
    /// It is removed by [`strip_identifying`] besides (identifying, or
    /// another date of the picture or of its edits).
    strip_identifying: bool,
    axis: Option<Axis>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Axis {
    Latitude,
    Longitude,
}

/// XMP properties (local names, lower case) that hold free text about the
/// picture or name the people in it: titles, descriptions, captions,
/// keywords and tags, and the people and face regions of IPTC, the Metadata
/// Working Group and Windows Photo Gallery; credits, labels, events,
/// contributors, copyright owners and models' ages; the people and
/// organisations of the PLUS licensing schema (licensor, licensee, end user,
/// image creator and supplier, with their IDs, the model and property
/// release IDs, the youngest model's age and the notes, among them the file
/// name as delivered); the organisations in the image, additional model
/// information and the people heard of IPTC's extension. Any of them can
/// name (or describe) a child, or the school.
const XMP_FREE_TEXT: &[&[u8]] = &[
    b"title",
    b"description",
    b"subject",
    b"headline",
    b"caption",
    b"instructions",
    b"keywords",
    b"imagedescription",
    b"usercomment",
    b"documentname",
    b"alttextaccessibility",
    b"extdescraccessibility",
    b"personinimage",
    b"personinimagewdetails",
    b"personname",
    b"name",
    b"persondisplayname",
    b"hierarchicalsubject",
    b"tagslist",
    b"catalogsets",
    b"lastkeywordxmp",
    b"lastkeywordiptc",
    b"credit",
    b"supplementalcategories",
    b"label",
    b"event",
    b"contributor",
    b"copyrightownername",
    b"copyrightowner",
    b"modelage",
    // PLUS (`plus:`): the parties, each a structure holding a name and an ID.
    b"licensor",
    b"licensorname",
    b"licensorid",
    b"licensee",
    b"licenseename",
    b"licenseeid",
    b"enduser",
    b"endusername",
    b"enduserid",
    b"imagecreator",
    b"imagecreatorname",
    b"imagecreatorid",
    b"imagesupplier",
    b"imagesuppliername",
    b"imagesupplierid",
    b"copyrightownerid",
    // PLUS: releases, ages, references and notes.
    b"modelreleaseid",
    b"propertyreleaseid",
    b"minormodelagedisclosure",
    b"licenseeimageid",
    b"licenseeprojectreference",
    b"licenseeimagenotes",
    b"licensornotes",
    b"imagesupplierimageid",
    b"filenameasdelivered",
    b"otherimageinfo",
    b"otherconditions",
    b"otherconstraints",
    b"otherlicenserequirements",
    b"otherlicensedocuments",
    // IPTC extension (`Iptc4xmpExt:`).
    b"organisationinimagename",
    b"organisationinimagecode",
    b"addlmodelinfo",
    b"personheard",
];

/// The licensor's contact details in the PLUS schema (`plus:LicensorEmail`,
/// …): an address, telephone numbers, an email address and a web site.
const PLUS_LICENSOR_CONTACT: &[&[u8]] = &[
    b"licensorstreetaddress",
    b"licensorextendedaddress",
    b"licensorcity",
    b"licensorregion",
    b"licensorpostalcode",
    b"licensorcountry",
    b"licensortelephone1",
    b"licensortelephone2",
    b"licensortelephonetype1",
    b"licensortelephonetype2",
    b"licensoremail",
    b"licensorurl",
];

fn xmp_name(local: &[u8]) -> XmpName {
    let lower = local.to_ascii_lowercase();
    let l = lower.as_slice();
    const PLACES: [&[u8]; 15] = [
        b"latitude",
        b"longitude",
        b"city",
        b"state",
        b"country",
        b"countrycode",
        b"countryname",
        b"provincestate",
        b"sublocation",
        b"location",
        b"locationcreated",
        b"locationshown",
        b"locationname",
        b"locationid",
        b"worldregion",
    ];
    let gps_position = [
        &b"gpslat"[..],
        b"gpslong",
        b"gpsdestlat",
        b"gpsdestlong",
        b"gpsarea",
    ]
    .iter()
    .any(|p| l.starts_with(p))
        || l == b"gpscoordinates"
        || l == b"gpsposition";
    let location = gps_position || PLACES.contains(&l);
    let strip = location || l.starts_with(b"gps") || l == b"altitude";
    let axis = if l.starts_with(b"gpslat") || l == b"latitude" {
        Some(Axis::Latitude)
    } else if l.starts_with(b"gpslong") || l == b"longitude" {
        Some(Axis::Longitude)
    } else {
        None
    };
    let identifying = match l {
        b"creator" | b"artist" | b"author" => Some(IdentifyingField::Artist),
        b"ownername" | b"cameraownername" | b"owner" => Some(IdentifyingField::OwnerName),
        b"rights" | b"copyright" | b"copyrightnotice" => Some(IdentifyingField::Copyright),
        b"serialnumber" | b"bodyserialnumber" | b"cameraserialnumber" => {
            Some(IdentifyingField::CameraSerial)
        }
        b"lensserialnumber" => Some(IdentifyingField::LensSerial),
        b"datetimeoriginal" | b"datecreated" => Some(IdentifyingField::DateTaken),
        b"creatorcontactinfo" => Some(IdentifyingField::ContactInfo),
        l if PLUS_LICENSOR_CONTACT.contains(&l) => Some(IdentifyingField::ContactInfo),
        l if XMP_FREE_TEXT.contains(&l) => Some(IdentifyingField::DescriptiveText),
        _ => None,
    };
    const OTHER_PERSONAL: [&[u8]; 12] = [
        b"createdate",
        b"modifydate",
        b"metadatadate",
        b"datetimedigitized",
        b"datetime",
        b"subsectimeoriginal",
        b"subsectimedigitized",
        b"offsettimeoriginal",
        b"offsettimedigitized",
        b"when",
        b"captionwriter",
        b"authorsposition",
    ];
    XmpName {
        location,
        strip,
        identifying,
        strip_identifying: identifying.is_some() || OTHER_PERSONAL.contains(&l),
        axis,
    }
}

/// The local part of a qualified name, and whether its prefix is one that
/// only structures the document (`rdf:`, `xml:`, `xmlns`).
fn split_name(name: &[u8]) -> (&[u8], bool) {
    match memchr::memchr(b':', name) {
        Some(i) => {
            let prefix = name.get(..i).unwrap_or_default();
            let local = name.get(i + 1..).unwrap_or_default();
            (local, matches!(prefix, b"rdf" | b"xml" | b"xmlns" | b"x"))
        }
        None => (name, name == b"xmlns"),
    }
}

/// An open element.
struct Frame {
    name: Range<usize>,
    start: usize,
    what: XmpName,
    has_value: bool,
    text: Vec<u8>,
}

#[derive(Default)]
struct XmpCoords {
    latitude: Option<f64>,
    longitude: Option<f64>,
}

impl XmpCoords {
    fn set(&mut self, axis: Axis, value: &[u8]) {
        let slot = match axis {
            Axis::Latitude => &mut self.latitude,
            Axis::Longitude => &mut self.longitude,
        };
        if slot.is_none() {
            *slot = parse_xmp_coordinate(value);
        }
    }
}

/// `51,30.5N`, `51,30,30N`, `-0.1275` or `+51.5` as decimal degrees.
fn parse_xmp_coordinate(value: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(value).ok()?.trim();
    let (body, sign) = match s.chars().last()? {
        'N' | 'n' | 'E' | 'e' => (s.get(..s.len() - 1)?, 1.0),
        'S' | 's' | 'W' | 'w' => (s.get(..s.len() - 1)?, -1.0),
        _ => (s, 1.0),
    };
    let parts: Option<Vec<f64>> = body.split(',').map(|p| p.trim().parse().ok()).collect();
    Some(sign * dms(&parts?)?)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

fn scan_xmp(d: &[u8], base: usize, s: &mut Scan) -> Parsed<()> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut coords = XmpCoords::default();
    let mut pos = 0usize;
    let on_text = |stack: &mut Vec<Frame>, text: &[u8]| {
        if let Some(top) = stack.last_mut() {
            if non_blank(text) {
                top.has_value = true;
            }
            if top.what.axis.is_some() && top.text.len() < 256 {
                top.text.extend_from_slice(text);
            }
        }
    };
    while pos < d.len() {
        let rest = d.get(pos..).unwrap_or_default();
        let Some(lt) = memchr::memchr(b'<', rest) else {
            on_text(&mut stack, rest);
            break;
        };
        on_text(&mut stack, rest.get(..lt).unwrap_or_default());
        let at = pos + lt;
        let tag = rest.get(lt..).unwrap_or_default();
        if tag.starts_with(b"<?") {
            pos = at + find(tag, b"?>").ok_or(Malformed)? + 2;
        } else if tag.starts_with(b"<!--") {
            pos = at + find(tag, b"-->").ok_or(Malformed)? + 3;
        } else if tag.starts_with(b"<![CDATA[") {
            let end = find(tag, b"]]>").ok_or(Malformed)?;
            on_text(&mut stack, tag.get(9..end).unwrap_or_default());
            pos = at + end + 3;
        } else if tag.starts_with(b"<!") {
            // DOCTYPE and entity declarations are not allowed in XMP.
            return Err(Malformed);
        } else if tag.starts_with(b"</") {
            let gt = memchr::memchr(b'>', tag).ok_or(Malformed)?;
            let name = tag.get(2..gt).unwrap_or_default().trim_ascii();
            let frame = stack.pop().ok_or(Malformed)?;
            if d.get(frame.name.clone()) != Some(name) {
                return Err(Malformed);
            }
            let end = at + gt + 1;
            close_element(frame, end, &mut stack, &mut coords, base, s);
            pos = end;
        } else {
            let (tag_end, self_closing) = start_tag(d, at, base, &mut stack, &mut coords, s)?;
            if self_closing {
                if let Some(frame) = stack.pop() {
                    close_element(frame, tag_end, &mut stack, &mut coords, base, s);
                }
            }
            pos = tag_end;
        }
    }
    if !stack.is_empty() {
        return Err(Malformed);
    }
    if let (Some(lat), Some(lon)) = (coords.latitude, coords.longitude) {
        s.f.xmp_coords = s.f.xmp_coords.or(coordinates(lat, lon));
    }
    Ok(())
}

fn close_element(
    frame: Frame,
    end: usize,
    stack: &mut [Frame],
    coords: &mut XmpCoords,
    base: usize,
    s: &mut Scan,
) {
    if frame.has_value {
        if frame.what.location {
            s.location(LocationField::XmpLocation);
        }
        if let Some(field) = frame.what.identifying {
            s.identifying(field, MetadataSource::Xmp);
        }
        if let Some(axis) = frame.what.axis {
            coords.set(axis, &frame.text);
        }
        if let Some(parent) = stack.last_mut() {
            parent.has_value = true;
        }
    }
    if frame.what.strip || (frame.what.strip_identifying && s.removes_identifying()) {
        s.fill(base + frame.start, end - frame.start, b' ');
    }
}

/// Reads a start tag at `at` (`<name attr="v" …>` or `…/>`), pushes its
/// frame, handles its attributes; returns the end of the tag and whether it
/// closes itself.
fn start_tag(
    d: &[u8],
    at: usize,
    base: usize,
    stack: &mut Vec<Frame>,
    coords: &mut XmpCoords,
    s: &mut Scan,
) -> Parsed<(usize, bool)> {
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let name_char = |b: u8| !is_space(b) && !matches!(b, b'>' | b'/' | b'=' | b'<');
    let mut i = at + 1;
    while d.get(i).is_some_and(|&b| name_char(b)) {
        i += 1;
    }
    let name = at + 1..i;
    if name.is_empty() {
        return Err(Malformed);
    }
    // `rdf:Description`, `rdf:li` and the like only structure the packet:
    // what they hold is judged by the property around them.
    let (local, structural) = split_name(d.get(name.clone()).unwrap_or_default());
    let mut frame = Frame {
        name,
        start: at,
        what: if structural {
            XmpName::default()
        } else {
            xmp_name(local)
        },
        has_value: false,
        text: Vec::new(),
    };
    loop {
        while d.get(i).is_some_and(|&b| is_space(b)) {
            i += 1;
        }
        match d.get(i) {
            None => return Err(Malformed),
            Some(b'>') => {
                stack.push(frame);
                return Ok((i + 1, false));
            }
            Some(b'/') => {
                if d.get(i + 1) != Some(&b'>') {
                    return Err(Malformed);
                }
                stack.push(frame);
                return Ok((i + 2, true));
            }
            Some(_) => {}
        }
        let attr_start = i;
        while d.get(i).is_some_and(|&b| name_char(b)) {
            i += 1;
        }
        let attr_name = d.get(attr_start..i).unwrap_or_default();
        if attr_name.is_empty() {
            return Err(Malformed);
        }
        while d.get(i).is_some_and(|&b| is_space(b)) {
            i += 1;
        }
        if d.get(i) != Some(&b'=') {
            return Err(Malformed);
        }
        i += 1;
        while d.get(i).is_some_and(|&b| is_space(b)) {
            i += 1;
        }
        let quote = *d.get(i).ok_or(Malformed)?;
        if quote != b'"' && quote != b'\'' {
            return Err(Malformed);
        }
        let value_start = i + 1;
        let close =
            memchr::memchr(quote, d.get(value_start..).unwrap_or_default()).ok_or(Malformed)?;
        let value = d.get(value_start..value_start + close).unwrap_or_default();
        i = value_start + close + 1;

        let (local, structural) = split_name(attr_name);
        if structural {
            continue;
        }
        let what = xmp_name(local);
        if non_blank(value) {
            frame.has_value = true;
            if what.location {
                s.location(LocationField::XmpLocation);
            }
            if let Some(field) = what.identifying {
                s.identifying(field, MetadataSource::Xmp);
            }
            if let Some(axis) = what.axis {
                coords.set(axis, value);
            }
        }
        if what.strip || (what.strip_identifying && s.removes_identifying()) {
            s.fill(base + attr_start, i - attr_start, b' ');
        }
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::crc32;

    #[test]
    fn crc32_gives_the_standard_check_values() {
        // The check value of CRC-32/ISO-HDLC, and the CRC every PNG's IEND
        // chunk (its type, no data) carries.
        assert_eq!(crc32(&[b"123456789"]), 0xCBF4_3926);
        assert_eq!(crc32(&[b"IEND"]), 0xAE42_6082);
        assert_eq!(crc32(&[]), 0);
        // Parts are one stream.
        assert_eq!(crc32(&[b"1234", b"", b"56789"]), 0xCBF4_3926);
        let long: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
        assert_eq!(crc32(&[&long[..3_333], &long[3_333..]]), crc32(&[&long]));
        assert_ne!(crc32(&[&long]), crc32(&[&long[1..]]));
    }
}
