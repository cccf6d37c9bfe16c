//! Image metadata (issue 4 item 3): `inspect` finds location and identifying
//! fields, `strip_location` removes the location and leaves the compressed
//! picture byte-identical, `strip_identifying` (issue 23) removes the
//! identifying metadata too with the picture still byte-identical, and none
//! of them panics on hostile input.
//!
//! Every fixture is built here, byte by byte: a tiny baseline JPEG encoder, a
//! TIFF/EXIF writer (both byte orders), XMP and IPTC blocks, PNG chunks with a
//! stored (uncompressed) zlib stream, WebP and HEIF boxes. Nothing is
//! downloaded.

use proptest::prelude::*;
use safeguard_engine::images::metadata::{
    inspect, inspect_with_limit, strip_identifying, strip_identifying_with_limit, strip_location,
    strip_location_with_limit, Coordinates, IdentifyingField, ImageFormat, ImageInfo,
    LocationField, MetadataSource, DEFAULT_MAX_IMAGE_BYTES,
};
use safeguard_tests::crc32;

// ---------------------------------------------------------------------------
// Fixture builders

/// A deterministic pseudo-random generator (xorshift), so fixtures are stable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn bits(&mut self, n: u32) -> u32 {
        (self.next() & ((1u64 << n) - 1)) as u32
    }
}

/// Writes Huffman-coded bits with JPEG byte stuffing.
struct BitWriter {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl BitWriter {
    fn put(&mut self, value: u32, len: u32) {
        for i in (0..len).rev() {
            self.acc = (self.acc << 1) | ((value >> i) & 1);
            self.n += 1;
            if self.n == 8 {
                self.byte();
            }
        }
    }
    fn byte(&mut self) {
        let b = self.acc as u8;
        self.out.push(b);
        if b == 0xFF {
            self.out.push(0x00);
        }
        self.acc = 0;
        self.n = 0;
    }
    fn flush(&mut self) {
        while self.n != 0 {
            self.put(1, 1);
        }
    }
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// A valid baseline greyscale JPEG of `w`×`h` blocks of 8×8 pixels, every
/// coefficient coded (DC category 8, 63 AC coefficients of category 10), with
/// a restart interval of 4 blocks: a real entropy-coded scan with byte
/// stuffing and RST markers.
fn jpeg(w_blocks: u16, h_blocks: u16, seed: u64) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    let mut dqt = vec![0x00];
    dqt.extend_from_slice(&[1u8; 64]);
    out.extend(segment(0xDB, &dqt));
    let (w, h) = (w_blocks * 8, h_blocks * 8);
    let mut sof = vec![8];
    sof.extend_from_slice(&h.to_be_bytes());
    sof.extend_from_slice(&w.to_be_bytes());
    sof.extend_from_slice(&[1, 1, 0x11, 0]);
    out.extend(segment(0xC0, &sof));
    // DC table 0: one code "0" for category 8.
    let mut dht = vec![0x00, 1];
    dht.extend_from_slice(&[0u8; 15]);
    dht.push(8);
    // AC table 0: "00" = EOB, "01" = run 0 / size 10.
    dht.extend_from_slice(&[0x10, 0, 2]);
    dht.extend_from_slice(&[0u8; 14]);
    dht.extend_from_slice(&[0x00, 0x0A]);
    out.extend(segment(0xC4, &dht));
    out.extend(segment(0xDD, &4u16.to_be_bytes()));
    out.extend(segment(0xDA, &[1, 1, 0x00, 0, 63, 0]));
    let mut rng = Rng(seed | 1);
    let mut bits = BitWriter {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    let blocks = u32::from(w_blocks) * u32::from(h_blocks);
    for i in 0..blocks {
        if i > 0 && i % 4 == 0 {
            bits.flush();
            bits.out
                .extend_from_slice(&[0xFF, 0xD0 + ((i / 4 - 1) % 8) as u8]);
        }
        bits.put(0, 1);
        bits.put(rng.bits(8), 8);
        for _ in 0..63 {
            bits.put(0b01, 2);
            bits.put(rng.bits(10), 10);
        }
    }
    bits.flush();
    out.extend(bits.out);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// The JPEG with `segments` inserted right after SOI.
fn with_segments(jpeg: &[u8], segments: &[Vec<u8>]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    for s in segments {
        out.extend_from_slice(s);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// The bytes from the first SOS marker to the end (scan and EOI), found by
/// walking the segments.
fn jpeg_scan(jpeg: &[u8]) -> &[u8] {
    let mut pos = 2;
    loop {
        assert_eq!(jpeg[pos], 0xFF, "marker expected at {pos}");
        let marker = jpeg[pos + 1];
        if marker == 0xDA {
            return &jpeg[pos..];
        }
        let len = u16::from_be_bytes([jpeg[pos + 2], jpeg[pos + 3]]) as usize;
        pos += 2 + len;
    }
}

/// An EXIF/TIFF value.
#[derive(Clone)]
enum V {
    Ascii(&'static str),
    Short(u16),
    Long(u32),
    Rational(Vec<(u32, u32)>),
    Undefined(Vec<u8>),
    /// BYTE values (the Windows XP tags: UTF-16LE text).
    Byte(Vec<u8>),
}

impl V {
    fn kind(&self) -> u16 {
        match self {
            V::Ascii(_) => 2,
            V::Short(_) => 3,
            V::Long(_) => 4,
            V::Rational(_) => 5,
            V::Undefined(_) => 7,
            V::Byte(_) => 1,
        }
    }
    fn count(&self) -> u32 {
        match self {
            V::Ascii(s) => s.len() as u32 + 1,
            V::Short(_) | V::Long(_) => 1,
            V::Rational(r) => r.len() as u32,
            V::Undefined(b) | V::Byte(b) => b.len() as u32,
        }
    }
    fn bytes(&self, le: bool) -> Vec<u8> {
        let u16b = |v: u16| if le { v.to_le_bytes() } else { v.to_be_bytes() };
        let u32b = |v: u32| if le { v.to_le_bytes() } else { v.to_be_bytes() };
        match self {
            V::Ascii(s) => {
                let mut b = s.as_bytes().to_vec();
                b.push(0);
                b
            }
            V::Short(v) => u16b(*v).to_vec(),
            V::Long(v) => u32b(*v).to_vec(),
            V::Rational(r) => r
                .iter()
                .flat_map(|(n, d)| [u32b(*n), u32b(*d)].concat())
                .collect(),
            V::Undefined(b) | V::Byte(b) => b.clone(),
        }
    }
}

/// Appends an IFD (entries sorted by tag, values after it) and returns its offset.
fn write_ifd(buf: &mut Vec<u8>, le: bool, entries: &[(u16, V)]) -> u32 {
    let mut entries = entries.to_vec();
    entries.sort_by_key(|e| e.0);
    let start = buf.len();
    let u16b = |v: u16| if le { v.to_le_bytes() } else { v.to_be_bytes() };
    let u32b = |v: u32| if le { v.to_le_bytes() } else { v.to_be_bytes() };
    let mut data_at = start + 2 + 12 * entries.len() + 4;
    let mut data = Vec::new();
    buf.extend_from_slice(&u16b(entries.len() as u16));
    for (tag, v) in &entries {
        buf.extend_from_slice(&u16b(*tag));
        buf.extend_from_slice(&u16b(v.kind()));
        buf.extend_from_slice(&u32b(v.count()));
        let mut bytes = v.bytes(le);
        if bytes.len() <= 4 {
            bytes.resize(4, 0);
            buf.extend_from_slice(&bytes);
        } else {
            buf.extend_from_slice(&u32b(data_at as u32));
            if bytes.len() % 2 == 1 {
                bytes.push(0);
            }
            data_at += bytes.len();
            data.extend(bytes);
        }
    }
    buf.extend_from_slice(&u32b(0));
    buf.extend(data);
    start as u32
}

/// A TIFF structure: IFD0 (with pointers to the Exif and GPS IFDs, when given).
fn tiff(le: bool, ifd0: &[(u16, V)], exif: &[(u16, V)], gps: &[(u16, V)]) -> Vec<u8> {
    let mut buf = if le {
        b"II*\0\0\0\0\0".to_vec()
    } else {
        b"MM\0*\0\0\0\0".to_vec()
    };
    let mut ifd0 = ifd0.to_vec();
    if !exif.is_empty() {
        let at = write_ifd(&mut buf, le, exif);
        ifd0.push((0x8769, V::Long(at)));
    }
    if !gps.is_empty() {
        let at = write_ifd(&mut buf, le, gps);
        ifd0.push((0x8825, V::Long(at)));
    }
    let at = write_ifd(&mut buf, le, &ifd0);
    let at = if le {
        at.to_le_bytes()
    } else {
        at.to_be_bytes()
    };
    buf[4..8].copy_from_slice(&at);
    buf
}

/// GPS for 51°30'0"N 0°7'39"W (central London).
fn london_gps() -> Vec<(u16, V)> {
    vec![
        (0, V::Undefined(vec![2, 3, 0, 0])),
        (1, V::Ascii("N")),
        (2, V::Rational(vec![(51, 1), (30, 1), (0, 1)])),
        (3, V::Ascii("W")),
        (4, V::Rational(vec![(0, 1), (7, 1), (3900, 100)])),
        (6, V::Rational(vec![(35, 1)])),
    ]
}

/// EXIF with orientation, artist, copyright, date taken, owner, serial and GPS.
fn camera_exif(le: bool) -> Vec<u8> {
    tiff(
        le,
        &[
            (0x0112, V::Short(6)),
            (0x010F, V::Ascii("Acme")),
            (0x013B, V::Ascii("Jane Teacher")),
            (0x8298, V::Ascii("(c) Jane Teacher")),
        ],
        &[
            (0x9003, V::Ascii("2025:01:20 10:11:12")),
            (0xA430, V::Ascii("Jane Teacher")),
            (0xA431, V::Ascii("SN-0042-XYZ")),
        ],
        &london_gps(),
    )
}

fn app1_exif(tiff: &[u8]) -> Vec<u8> {
    let mut p = b"Exif\0\0".to_vec();
    p.extend_from_slice(tiff);
    segment(0xE1, &p)
}

const XMP_LOCATION: &str = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:tiff="http://ns.adobe.com/tiff/1.0/"
    exif:GPSLatitude="51,30.0N"
    exif:GPSLongitude="0,7.65W"
    photoshop:City="London"
    tiff:Orientation="6">
   <photoshop:Country>United Kingdom</photoshop:Country>
   <Iptc4xmpCore:Location>Hilldene Primary playground</Iptc4xmpCore:Location>
   <dc:creator><rdf:Seq><rdf:li>Jane Teacher</rdf:li></rdf:Seq></dc:creator>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Sports day</rdf:li></rdf:Alt></dc:title>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#;

const XMP_PLAIN: &str = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Editor 1.0"/></rdf:RDF></x:xmpmeta>"#;

fn app1_xmp(xmp: &str) -> Vec<u8> {
    let mut p = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    p.extend_from_slice(xmp.as_bytes());
    segment(0xE1, &p)
}

/// APP13 with an IPTC-IIM resource: city, country and by-line.
fn app13_iptc() -> Vec<u8> {
    app13(&[
        (90, "London"),
        (101, "United Kingdom"),
        (80, "Jane Teacher"),
    ])
}

/// APP13 with an IPTC-IIM resource holding record 2 `datasets`.
fn app13(datasets: &[(u8, &str)]) -> Vec<u8> {
    let datasets: Vec<(u8, &[u8])> = datasets.iter().map(|&(ds, v)| (ds, v.as_bytes())).collect();
    app13_bytes(&datasets)
}

/// [`app13`] with values given as bytes (in any encoding).
fn app13_bytes(datasets: &[(u8, &[u8])]) -> Vec<u8> {
    let mut iim = Vec::new();
    for &(ds, value) in datasets {
        iim.extend_from_slice(&[0x1C, 2, ds]);
        iim.extend_from_slice(&(value.len() as u16).to_be_bytes());
        iim.extend_from_slice(value);
    }
    let mut p = b"Photoshop 3.0\0".to_vec();
    p.extend_from_slice(b"8BIM");
    p.extend_from_slice(&0x0404u16.to_be_bytes());
    p.extend_from_slice(&[0, 0]); // empty name, padded
    p.extend_from_slice(&(iim.len() as u32).to_be_bytes());
    p.extend_from_slice(&iim);
    if iim.len() % 2 == 1 {
        p.push(0);
    }
    segment(0xED, &p)
}

/// A zlib stream of stored (uncompressed) blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let chunks: Vec<&[u8]> = if data.is_empty() {
        vec![&[]]
    } else {
        data.chunks(65535).collect()
    };
    for (i, c) in chunks.iter().enumerate() {
        out.push(u8::from(i + 1 == chunks.len()));
        out.extend_from_slice(&(c.len() as u16).to_le_bytes());
        out.extend_from_slice(&(!(c.len() as u16)).to_le_bytes());
        out.extend_from_slice(c);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

/// A zlib stream of one fixed-Huffman block that inflates to `len` (at
/// least 1) copies of `byte`: a literal, then copies of 258 bytes at
/// distance 1, 13 bits each. Text far larger inflated than stored.
fn zlib_repeated(byte: u8, len: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        /// Writes `n` bits of `value`, least significant first.
        fn put(&mut self, value: u32, n: u32) {
            self.acc |= u64::from(value) << self.n;
            self.n += n;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// Writes a Huffman code, most significant bit first.
        fn code(&mut self, code: u32, n: u32) {
            self.put(code.reverse_bits() >> (32 - n), n);
        }
        fn literal(&mut self, byte: u8) {
            match byte {
                0..=143 => self.code(0x30 + u32::from(byte), 8),
                _ => self.code(0x190 + u32::from(byte) - 144, 9),
            }
        }
    }
    assert!(len >= 1);
    let mut bits = Bits {
        out: vec![0x78, 0x01],
        acc: 0,
        n: 0,
    };
    bits.put(1, 1); // the last block
    bits.put(1, 2); // fixed Huffman codes
    bits.literal(byte);
    let mut left = len - 1;
    while left >= 258 {
        bits.code(0xC5, 8); // length 258 (code 285)
        bits.code(0, 5); // distance 1
        left -= 258;
    }
    for _ in 0..left {
        bits.literal(byte);
    }
    bits.code(0, 7); // end of block
    if bits.n > 0 {
        bits.put(0, 8 - bits.n);
    }
    // Adler-32 of `len` copies of `byte`.
    let (n, c) = (len as u128, u128::from(byte));
    let a = (1 + n * c) % 65521;
    let b = (n + c * n * (n + 1) / 2) % 65521;
    bits.out
        .extend_from_slice(&(((b << 16) | a) as u32).to_be_bytes());
    bits.out
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    c.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    c
}

/// A `zTXt` chunk: `keyword`, the compression method (0), then `stream`.
fn ztxt(keyword: &[u8], stream: &[u8]) -> Vec<u8> {
    let mut d = keyword.to_vec();
    d.extend_from_slice(&[0, 0]);
    d.extend_from_slice(stream);
    chunk(b"zTXt", &d)
}

/// An 8×8 greyscale PNG (a gradient) with `extra` chunks before IDAT.
fn png(extra: &[Vec<u8>]) -> Vec<u8> {
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut ihdr = 8u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&8u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    out.extend(chunk(b"IHDR", &ihdr));
    for c in extra {
        out.extend_from_slice(c);
    }
    let mut raw = Vec::new();
    for y in 0..8u8 {
        raw.push(0);
        raw.extend((0..8u8).map(|x| x * 16 + y));
    }
    out.extend(chunk(b"IDAT", &zlib_stored(&raw)));
    out.extend(chunk(b"IEND", &[]));
    out
}

fn itxt_xmp(xmp: &str) -> Vec<u8> {
    let mut d = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
    d.extend_from_slice(xmp.as_bytes());
    chunk(b"iTXt", &d)
}

/// PNG chunks as (type, data), for comparing.
fn png_chunks(png: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    let mut out = Vec::new();
    let mut pos = 8;
    while pos < png.len() {
        let len = u32::from_be_bytes(png[pos..pos + 4].try_into().unwrap()) as usize;
        let kind: [u8; 4] = png[pos + 4..pos + 8].try_into().unwrap();
        let data = png[pos + 8..pos + 8 + len].to_vec();
        let crc = u32::from_be_bytes(png[pos + 8 + len..pos + 12 + len].try_into().unwrap());
        assert_eq!(
            crc,
            crc32(&png[pos + 4..pos + 8 + len]),
            "bad CRC in {kind:?}"
        );
        out.push((kind, data));
        pos += 12 + len;
    }
    out
}

/// PNG chunks as (type, the whole chunk: length, type, data and CRC),
/// without checking CRCs: for files too large to check quickly.
fn png_chunks_unchecked(png: &[u8]) -> Vec<([u8; 4], &[u8])> {
    let mut out = Vec::new();
    let mut pos = 8;
    while pos < png.len() {
        let len = u32::from_be_bytes(png[pos..pos + 4].try_into().unwrap()) as usize;
        let kind: [u8; 4] = png[pos + 4..pos + 8].try_into().unwrap();
        out.push((kind, &png[pos..pos + 12 + len]));
        pos += 12 + len;
    }
    out
}

fn idat(png: &[u8]) -> Vec<Vec<u8>> {
    png_chunks(png)
        .into_iter()
        .filter(|c| &c.0 == b"IDAT")
        .map(|c| c.1)
        .collect()
}

fn riff_chunk(fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = fourcc.to_vec();
    c.extend_from_slice(&(data.len() as u32).to_le_bytes());
    c.extend_from_slice(data);
    if data.len() % 2 == 1 {
        c.push(0);
    }
    c
}

/// A WebP file: VP8X, a (dummy) VP8L bitstream chunk and an EXIF chunk.
fn webp(exif: &[u8]) -> Vec<u8> {
    let mut body = b"WEBP".to_vec();
    body.extend(riff_chunk(b"VP8X", &[0x08, 0, 0, 0, 7, 0, 0, 7, 0, 0]));
    body.extend(riff_chunk(
        b"VP8L",
        &[0x2F, 7, 0xC0, 0x01, 0x10, 0x8D, 0x2A],
    ));
    body.extend(riff_chunk(b"EXIF", exif));
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

fn bmff(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut b = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
    b.extend_from_slice(kind);
    b.extend_from_slice(payload);
    b
}

/// A HEIC file: ftyp, meta (hdlr, iinf with an `Exif` item 2, iloc v0), mdat
/// holding a dummy coded picture and the EXIF item.
fn heic(exif_tiff: &[u8]) -> (Vec<u8>, std::ops::Range<usize>) {
    let ftyp = bmff(b"ftyp", b"heic\0\0\0\0mif1heic");
    let mut hdlr = vec![0u8; 8];
    hdlr.extend_from_slice(b"pict");
    hdlr.extend_from_slice(&[0u8; 13]);
    let hdlr = bmff(b"hdlr", &hdlr);
    let infe = |id: u16, kind: &[u8; 4]| {
        let mut p = vec![2, 0, 0, 0];
        p.extend_from_slice(&id.to_be_bytes());
        p.extend_from_slice(&[0, 0]);
        p.extend_from_slice(kind);
        p.push(0);
        bmff(b"infe", &p)
    };
    let mut iinf = vec![0, 0, 0, 0, 0, 2];
    iinf.extend(infe(1, b"hvc1"));
    iinf.extend(infe(2, b"Exif"));
    let iinf = bmff(b"iinf", &iinf);
    let picture = vec![0xAB; 40];
    let mut item = vec![0, 0, 0, 6];
    item.extend_from_slice(b"Exif\0\0");
    item.extend_from_slice(exif_tiff);
    // iloc v0, offset_size 4, length_size 4, base_offset_size 0, two items.
    let iloc_len = 8 + 4 + 2 + 2 + 2 * (2 + 2 + 2 + 8);
    let meta_len = 8 + 4 + hdlr.len() + iinf.len() + iloc_len;
    let mdat_data = ftyp.len() + meta_len + 8;
    let exif_at = mdat_data + picture.len();
    let mut iloc = vec![0, 0, 0, 0, 0x44, 0x00, 0, 2];
    for (id, off, len) in [(1u16, mdat_data, picture.len()), (2, exif_at, item.len())] {
        iloc.extend_from_slice(&id.to_be_bytes());
        iloc.extend_from_slice(&[0, 0, 0, 1]);
        iloc.extend_from_slice(&(off as u32).to_be_bytes());
        iloc.extend_from_slice(&(len as u32).to_be_bytes());
    }
    let iloc = bmff(b"iloc", &iloc);
    assert_eq!(iloc.len(), iloc_len);
    let mut meta = vec![0, 0, 0, 0];
    meta.extend(hdlr);
    meta.extend(iinf);
    meta.extend(iloc);
    let meta = bmff(b"meta", &meta);
    let mut mdat = picture.clone();
    mdat.extend(item);
    let mut out = ftyp;
    out.extend(meta);
    assert_eq!(out.len() + 8, mdat_data);
    out.extend(bmff(b"mdat", &mdat));
    (out, mdat_data..mdat_data + picture.len())
}

/// A greyscale TIFF of 8×8 pixels in one strip, with GPS and an XMP tag.
fn tiff_file(le: bool) -> (Vec<u8>, std::ops::Range<usize>) {
    // Lay the pixels right after the header, then the IFDs.
    let pixels: Vec<u8> = (0..64u8).map(|i| i.wrapping_mul(37)).collect();
    let mut buf = if le {
        b"II*\0\0\0\0\0".to_vec()
    } else {
        b"MM\0*\0\0\0\0".to_vec()
    };
    let pixel_at = buf.len();
    buf.extend_from_slice(&pixels);
    let gps = write_ifd(&mut buf, le, &london_gps());
    let xmp: Vec<u8> = XMP_LOCATION.as_bytes().to_vec();
    let ifd0 = write_ifd(
        &mut buf,
        le,
        &[
            (256, V::Short(8)),
            (257, V::Short(8)),
            (258, V::Short(8)),
            (259, V::Short(1)),
            (262, V::Short(1)),
            (273, V::Long(pixel_at as u32)),
            (274, V::Short(1)),
            (277, V::Short(1)),
            (278, V::Short(8)),
            (279, V::Long(64)),
            (0x013B, V::Ascii("Jane Teacher")),
            (0x02BC, V::Undefined(xmp)),
            (0x8825, V::Long(gps)),
        ],
    );
    let at = if le {
        ifd0.to_le_bytes()
    } else {
        ifd0.to_be_bytes()
    };
    buf[4..8].copy_from_slice(&at);
    (buf, pixel_at..pixel_at + 64)
}

fn full_jpeg(le: bool) -> Vec<u8> {
    with_segments(
        &jpeg(4, 3, 7),
        &[
            app1_exif(&camera_exif(le)),
            app1_xmp(XMP_LOCATION),
            app13_iptc(),
        ],
    )
}

/// A stripped copy of the `webp` fixture has its length and everything up
/// to the end of its VP8L bitstream unchanged.
fn assert_webp_bitstream_kept(original: &[u8], stripped: &[u8]) {
    let vp8l = original.windows(4).position(|c| c == b"VP8L").unwrap();
    assert_eq!(stripped.len(), original.len());
    assert_eq!(
        &stripped[..vp8l + 15],
        &original[..vp8l + 15],
        "bitstream identical"
    );
}

/// A stripped copy of the `heic` fixture has its length and its coded
/// picture unchanged.
fn assert_heic_picture_kept(original: &[u8], stripped: &[u8], picture: std::ops::Range<usize>) {
    assert_eq!(stripped.len(), original.len());
    assert_eq!(
        &stripped[picture.clone()],
        &original[picture],
        "picture identical"
    );
}

fn code(e: safeguard_engine::Error) -> &'static str {
    e.code()
}

fn assert_near(c: Coordinates, lat: f64, lon: f64) {
    assert!((c.latitude - lat).abs() < 1e-6, "latitude {c:?}");
    assert!((c.longitude - lon).abs() < 1e-6, "longitude {c:?}");
}

fn fields(info: &ImageInfo) -> Vec<IdentifyingField> {
    info.identifying.iter().map(|i| i.field).collect()
}

/// Strips, checks the location is gone, strip is idempotent, and returns the result.
fn strip_checked(bytes: &[u8]) -> Vec<u8> {
    let stripped = strip_location(bytes).expect("strip");
    let after = inspect(&stripped).expect("inspect after strip");
    assert!(!after.has_location, "location left: {after:?}");
    assert!(after.location.is_none());
    assert!(after.location_fields.is_empty());
    assert_eq!(
        strip_location(&stripped).expect("strip twice"),
        stripped,
        "not idempotent"
    );
    stripped
}

// ---------------------------------------------------------------------------
// JPEG

#[test]
fn fixture_jpeg_is_well_formed() {
    let j = jpeg(4, 3, 7);
    assert_eq!(&j[..2], &[0xFF, 0xD8]);
    assert_eq!(&j[j.len() - 2..], &[0xFF, 0xD9]);
    // The generated scan exercises byte stuffing and restart markers.
    let scan = jpeg_scan(&j);
    assert!(scan.windows(2).any(|w| w == [0xFF, 0x00]));
    assert!(scan.windows(2).any(|w| w == [0xFF, 0xD0]));
    let info = inspect(&j).unwrap();
    assert_eq!(info.format, ImageFormat::Jpeg);
    assert!(!info.has_location);
    assert!(info.identifying.is_empty());
    assert_eq!(
        strip_location(&j).unwrap(),
        j,
        "nothing to strip: bytes unchanged"
    );
}

#[test]
fn jpeg_exif_gps_is_found_in_both_byte_orders() {
    for le in [true, false] {
        let j = with_segments(&jpeg(2, 2, 1), &[app1_exif(&camera_exif(le))]);
        let info = inspect(&j).unwrap();
        assert!(info.has_location, "le={le}");
        assert_eq!(info.location_fields, vec![LocationField::ExifGps]);
        assert_near(info.location.unwrap(), 51.5, -(7.0 / 60.0 + 39.0 / 3600.0));
        assert_eq!(
            fields(&info),
            vec![
                IdentifyingField::Artist,
                IdentifyingField::OwnerName,
                IdentifyingField::Copyright,
                IdentifyingField::CameraSerial,
                IdentifyingField::DateTaken,
            ]
        );
        assert!(info
            .identifying
            .iter()
            .all(|i| i.sources == vec![MetadataSource::Exif]));
    }
}

#[test]
fn jpeg_strip_removes_gps_keeps_orientation_and_pixels() {
    for le in [true, false] {
        let j = with_segments(&jpeg(3, 2, 11), &[app1_exif(&camera_exif(le))]);
        let stripped = strip_checked(&j);
        assert_eq!(stripped.len(), j.len(), "edited in place");
        assert_eq!(
            jpeg_scan(&stripped),
            jpeg_scan(&j),
            "scan data byte-identical"
        );
        // Everything but the EXIF segment is untouched; the rest of EXIF reads as before.
        let info = inspect(&stripped).unwrap();
        assert_eq!(
            fields(&info),
            fields(&inspect(&j).unwrap()),
            "non-location EXIF survives"
        );
        // Orientation (tag 0x0112 = 6) is still in IFD0.
        let exif_start = 2 + 4 + 6;
        let tiff = &stripped[exif_start..];
        let orientation = if le {
            [0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00]
        } else {
            [0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06]
        };
        assert!(
            tiff.windows(10).any(|w| w == orientation),
            "orientation entry kept"
        );
        // The GPS values are gone from the bytes, not just unlinked.
        let rational_51 = if le {
            [51, 0, 0, 0, 1, 0, 0, 0]
        } else {
            [0, 0, 0, 51, 0, 0, 0, 1]
        };
        assert!(j.windows(8).any(|w| w == rational_51));
        assert!(
            !stripped.windows(8).any(|w| w == rational_51),
            "GPS IFD zeroed"
        );
    }
}

#[test]
fn jpeg_xmp_location_in_attributes_and_elements() {
    let j = with_segments(&jpeg(2, 1, 3), &[app1_xmp(XMP_LOCATION)]);
    let info = inspect(&j).unwrap();
    assert!(info.has_location);
    assert_eq!(info.location_fields, vec![LocationField::XmpLocation]);
    assert_near(info.location.unwrap(), 51.5, -(7.65 / 60.0));
    // The creator, and the title (free text).
    assert_eq!(
        fields(&info),
        vec![IdentifyingField::Artist, IdentifyingField::DescriptiveText]
    );
    assert_eq!(info.identifying[0].sources, vec![MetadataSource::Xmp]);

    let stripped = strip_checked(&j);
    assert_eq!(jpeg_scan(&stripped), jpeg_scan(&j));
    let text = String::from_utf8_lossy(&stripped);
    for gone in [
        "GPSLatitude",
        "GPSLongitude",
        "London",
        "United Kingdom",
        "playground",
    ] {
        assert!(!text.contains(gone), "{gone} left in the XMP");
    }
    // The rest of the packet is kept and still read.
    assert!(text.contains("tiff:Orientation=\"6\""));
    assert!(text.contains("Sports day"));
    assert_eq!(fields(&inspect(&stripped).unwrap()), fields(&info));
}

#[test]
fn jpeg_xmp_without_location_is_left_alone() {
    let j = with_segments(&jpeg(1, 1, 5), &[app1_xmp(XMP_PLAIN)]);
    let info = inspect(&j).unwrap();
    assert!(!info.has_location);
    // `rdf:Description` only structures the packet: it is not a description.
    assert!(info.identifying.is_empty(), "{info:?}");
    assert_eq!(strip_location(&j).unwrap(), j);
    assert_eq!(strip_identifying(&j).unwrap(), j);
}

#[test]
fn jpeg_xmp_vendor_gps_and_location_structs() {
    let xmp = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
  drone-dji:GpsLatitude="+51.4000" drone-dji:GpsLongtitude="-2.6000">
<Iptc4xmpExt:LocationCreated><rdf:Bag><rdf:li rdf:parseType="Resource"><Iptc4xmpExt:Sublocation>Park</Iptc4xmpExt:Sublocation></rdf:li></rdf:Bag></Iptc4xmpExt:LocationCreated>
</rdf:Description></rdf:RDF></x:xmpmeta>"#;
    let j = with_segments(&jpeg(1, 1, 9), &[app1_xmp(xmp)]);
    let info = inspect(&j).unwrap();
    assert!(info.has_location);
    assert_near(info.location.unwrap(), 51.4, -2.6);
    let stripped = strip_checked(&j);
    assert!(!String::from_utf8_lossy(&stripped).contains("Park"));
}

#[test]
fn jpeg_iptc_location_is_found_and_blanked() {
    let j = with_segments(&jpeg(1, 2, 13), &[app13_iptc()]);
    let info = inspect(&j).unwrap();
    assert_eq!(info.location_fields, vec![LocationField::IptcLocation]);
    assert!(info.location.is_none(), "a city is not a coordinate");
    assert_eq!(fields(&info), vec![IdentifyingField::Artist]);
    assert_eq!(info.identifying[0].sources, vec![MetadataSource::Iptc]);
    let stripped = strip_checked(&j);
    let text = String::from_utf8_lossy(&stripped);
    assert!(!text.contains("London") && !text.contains("United Kingdom"));
    assert!(
        text.contains("Jane Teacher"),
        "by-line is not location: kept"
    );
    assert_eq!(jpeg_scan(&stripped), jpeg_scan(&j));
}

#[test]
fn jpeg_all_sources_together() {
    let j = full_jpeg(true);
    let info = inspect(&j).unwrap();
    assert_eq!(
        info.location_fields,
        vec![
            LocationField::ExifGps,
            LocationField::XmpLocation,
            LocationField::IptcLocation
        ]
    );
    // EXIF coordinates win over XMP.
    assert_near(info.location.unwrap(), 51.5, -(7.0 / 60.0 + 39.0 / 3600.0));
    let artist = &info.identifying[0];
    assert_eq!(artist.field, IdentifyingField::Artist);
    assert_eq!(
        artist.sources,
        vec![
            MetadataSource::Exif,
            MetadataSource::Xmp,
            MetadataSource::Iptc
        ]
    );
    let stripped = strip_checked(&j);
    assert_eq!(jpeg_scan(&stripped), jpeg_scan(&j));
}

#[test]
fn jpeg_extended_xmp_chunks_are_reassembled() {
    let ext = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"><photoshop:City>Bristol</photoshop:City></rdf:Description></rdf:RDF></x:xmpmeta>"#;
    let bytes = ext.as_bytes();
    let cut = bytes.windows(7).position(|w| w == b"Bristol").unwrap() + 3; // split inside the value
    let guid = [b'A'; 32];
    let part = |offset: usize, data: &[u8]| {
        let mut p = b"http://ns.adobe.com/xmp/extension/\0".to_vec();
        p.extend_from_slice(&guid);
        p.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        p.extend_from_slice(&(offset as u32).to_be_bytes());
        p.extend_from_slice(data);
        segment(0xE1, &p)
    };
    // Chunks stored out of order.
    let j = with_segments(
        &jpeg(1, 1, 21),
        &[
            app1_xmp(XMP_PLAIN),
            part(cut, &bytes[cut..]),
            part(0, &bytes[..cut]),
        ],
    );
    let info = inspect(&j).unwrap();
    assert_eq!(info.location_fields, vec![LocationField::XmpLocation]);
    let stripped = strip_checked(&j);
    let text = String::from_utf8_lossy(&stripped);
    assert!(!text.contains("Bri") && !text.contains("stol"));
}

#[test]
fn jpeg_secondary_images_are_stripped_too() {
    // MPF/MPO: a second JPEG appended after the first one's EOI.
    let first = jpeg(1, 1, 31);
    let second = with_segments(&jpeg(1, 1, 32), &[app1_exif(&camera_exif(false))]);
    let mut j = first.clone();
    j.extend_from_slice(&second);
    assert!(inspect(&j).unwrap().has_location);
    let stripped = strip_checked(&j);
    assert_eq!(&stripped[..first.len()], &first[..]);
}

#[test]
fn jpeg_corrupt_exif_is_blanked_not_trusted() {
    // "Exif" header followed by something that is not TIFF.
    let mut payload = b"Exif\0\0XX*\0".to_vec();
    payload.extend_from_slice(b"51,30N London");
    let j = with_segments(&jpeg(1, 1, 41), &[segment(0xE1, &payload)]);
    let info = inspect(&j).unwrap();
    assert!(!info.has_location);
    let stripped = strip_checked(&j);
    assert!(!String::from_utf8_lossy(&stripped).contains("London"));
    assert_eq!(jpeg_scan(&stripped), jpeg_scan(&j));
}

#[test]
fn jpeg_gps_ifd_without_position_is_not_location_but_still_removed() {
    let exif = tiff(
        true,
        &[(0x0112, V::Short(1))],
        &[],
        &[(0, V::Undefined(vec![2, 3, 0, 0]))],
    );
    let j = with_segments(&jpeg(1, 1, 43), &[app1_exif(&exif)]);
    assert!(!inspect(&j).unwrap().has_location);
    let stripped = strip_checked(&j);
    assert_ne!(stripped, j, "the empty GPS IFD is removed anyway");
}

// ---------------------------------------------------------------------------
// Output shape

#[test]
fn info_json_shape_names_fields_but_never_values() {
    let info = inspect(&full_jpeg(false)).unwrap();
    let json = serde_json::to_value(&info).unwrap();
    // Fields in a fixed order.
    let text = serde_json::to_string(&info).unwrap();
    let at = |key: &str| text.find(&format!("\"{key}\":")).unwrap();
    let order = [
        "format",
        "has_location",
        "location",
        "location_fields",
        "identifying",
    ];
    assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{text}");
    assert_eq!(json.as_object().unwrap().len(), order.len());
    assert_eq!(json["format"], "jpeg");
    assert_eq!(json["has_location"], true);
    assert!((json["location"]["latitude"].as_f64().unwrap() - 51.5).abs() < 1e-9);
    assert_eq!(
        json["location_fields"],
        serde_json::json!(["exif_gps", "xmp_location", "iptc_location"])
    );
    assert_eq!(json["identifying"][0]["field"], "artist");
    assert_eq!(json["identifying"][3]["field"], "camera_serial");
    for secret in ["Jane", "SN-0042", "London", "2025:01:20", "Acme"] {
        assert!(!text.contains(secret), "{secret} echoed in {text}");
    }
    // Round trip.
    let back: ImageInfo = serde_json::from_value(json).unwrap();
    assert_eq!(back, info);

    let plain = serde_json::to_value(inspect(&jpeg(1, 1, 2)).unwrap()).unwrap();
    assert_eq!(plain["location"], serde_json::Value::Null);
    assert_eq!(plain["has_location"], false);
}

// ---------------------------------------------------------------------------
// PNG

#[test]
fn png_exif_and_xmp_found_and_stripped_idat_identical() {
    let mut exif = Vec::new();
    exif.extend(camera_exif(true));
    let p = png(&[
        chunk(b"eXIf", &exif),
        itxt_xmp(XMP_LOCATION),
        chunk(b"tEXt", b"Author\0Jane Teacher"),
    ]);
    let info = inspect(&p).unwrap();
    assert_eq!(info.format, ImageFormat::Png);
    assert_eq!(
        info.location_fields,
        vec![LocationField::ExifGps, LocationField::XmpLocation]
    );
    assert_near(info.location.unwrap(), 51.5, -(7.0 / 60.0 + 39.0 / 3600.0));
    assert_eq!(
        info.identifying[0].sources,
        vec![
            MetadataSource::Exif,
            MetadataSource::Xmp,
            MetadataSource::PngText
        ]
    );

    let stripped = strip_checked(&p);
    assert_eq!(idat(&stripped), idat(&p), "IDAT byte-identical");
    let kinds: Vec<[u8; 4]> = png_chunks(&stripped).into_iter().map(|c| c.0).collect();
    assert_eq!(
        kinds,
        png_chunks(&p).into_iter().map(|c| c.0).collect::<Vec<_>>()
    );
    let after = inspect(&stripped).unwrap();
    assert_eq!(
        fields(&after),
        fields(&info),
        "identifying EXIF and XMP kept"
    );
}

#[test]
fn png_big_endian_exif_with_exif_header() {
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend(camera_exif(false));
    let p = png(&[chunk(b"eXIf", &exif)]);
    assert!(inspect(&p).unwrap().has_location);
    let stripped = strip_checked(&p);
    assert_eq!(idat(&stripped), idat(&p));
}

#[test]
fn png_compressed_raw_profile_with_gps_is_dropped() {
    // ImageMagick's "Raw profile type exif": hex text in a zTXt chunk.
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend(camera_exif(true));
    let mut text = format!("\nexif\n{:8}\n", exif.len());
    for line in exif.chunks(36) {
        text.extend(line.iter().map(|b| format!("{b:02x}")));
        text.push('\n');
    }
    let mut data = b"Raw profile type exif\0\0".to_vec();
    data.extend(zlib_stored(text.as_bytes()));
    let p = png(&[chunk(b"zTXt", &data)]);
    let info = inspect(&p).unwrap();
    assert_eq!(info.location_fields, vec![LocationField::ExifGps]);
    let stripped = strip_checked(&p);
    assert!(png_chunks(&stripped).iter().all(|c| &c.0 != b"zTXt"));
    assert_eq!(idat(&stripped), idat(&p));
    // The chunk goes whole, with the artist it held: a caller comparing
    // the readings before and after can say so (the CLI does).
    assert!(fields(&info).contains(&IdentifyingField::Artist));
    assert!(inspect(&stripped).unwrap().identifying.is_empty());
}

#[test]
fn png_without_metadata_is_unchanged() {
    let p = png(&[chunk(b"tEXt", b"Software\0test")]);
    let info = inspect(&p).unwrap();
    assert!(!info.has_location && info.identifying.is_empty());
    assert_eq!(strip_location(&p).unwrap(), p);
}

// ---------------------------------------------------------------------------
// TIFF, WebP, HEIC

#[test]
fn tiff_file_gps_and_xmp_stripped_pixels_identical() {
    for le in [true, false] {
        let (t, pixels) = tiff_file(le);
        let info = inspect(&t).unwrap();
        assert_eq!(info.format, ImageFormat::Tiff);
        assert_eq!(
            info.location_fields,
            vec![LocationField::ExifGps, LocationField::XmpLocation]
        );
        let stripped = strip_checked(&t);
        assert_eq!(stripped.len(), t.len());
        assert_eq!(
            &stripped[pixels.clone()],
            &t[pixels],
            "strip data identical"
        );
        assert_eq!(
            fields(&inspect(&stripped).unwrap()),
            vec![IdentifyingField::Artist, IdentifyingField::DescriptiveText]
        );
    }
}

#[test]
fn webp_exif_found_and_stripped() {
    let w = webp(&camera_exif(true));
    let info = inspect(&w).unwrap();
    assert_eq!(info.format, ImageFormat::Webp);
    assert!(info.has_location);
    let stripped = strip_checked(&w);
    assert_eq!(stripped.len(), w.len());
    let vp8l = w.windows(4).position(|c| c == b"VP8L").unwrap();
    assert_eq!(
        &stripped[..vp8l + 15],
        &w[..vp8l + 15],
        "header and bitstream identical"
    );
}

#[test]
fn heic_exif_item_found_and_stripped() {
    let (h, picture) = heic(&camera_exif(false));
    let info = inspect(&h).unwrap();
    assert_eq!(info.format, ImageFormat::Heic);
    assert!(info.has_location);
    assert_near(info.location.unwrap(), 51.5, -(7.0 / 60.0 + 39.0 / 3600.0));
    let stripped = strip_checked(&h);
    assert_eq!(stripped.len(), h.len());
    assert_eq!(&stripped[picture.clone()], &h[picture]);
    assert_eq!(&stripped[..200], &h[..200], "boxes unchanged");
}

// ---------------------------------------------------------------------------
// Identifying metadata (issue 23)

/// Strips location and identifying metadata, checks that `inspect` then finds
/// neither, that stripping is idempotent (with either strip), and returns
/// the result.
fn strip_identifying_checked(bytes: &[u8]) -> Vec<u8> {
    let before = inspect(bytes).expect("inspect before");
    assert!(
        !before.identifying.is_empty(),
        "the fixture carries identifying metadata"
    );
    let stripped = strip_identifying(bytes).expect("strip identifying");
    let after = inspect(&stripped).expect("inspect after strip");
    assert!(after.identifying.is_empty(), "identifying left: {after:?}");
    assert!(!after.has_location && after.location_fields.is_empty());
    assert!(after.location.is_none());
    assert_eq!(after.format, before.format);
    assert_eq!(
        strip_identifying(&stripped).expect("strip twice"),
        stripped,
        "not idempotent"
    );
    assert_eq!(strip_location(&stripped).expect("strip location"), stripped);
    stripped
}

/// True when `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// What `camera_exif` and `XMP_LOCATION` and `app13_iptc` say of the person
/// and the moment, as stored.
const SECRETS: [&str; 3] = ["Jane Teacher", "SN-0042-XYZ", "2025:01:20"];

#[test]
fn strip_identifying_jpeg_removes_every_source_and_keeps_the_scan() {
    for le in [true, false] {
        let j = full_jpeg(le);
        assert_eq!(
            fields(&inspect(&j).unwrap()),
            vec![
                IdentifyingField::Artist,
                IdentifyingField::OwnerName,
                IdentifyingField::Copyright,
                IdentifyingField::CameraSerial,
                IdentifyingField::DateTaken,
                IdentifyingField::DescriptiveText,
            ]
        );
        let stripped = strip_identifying_checked(&j);
        assert_eq!(stripped.len(), j.len(), "edited in place");
        assert_eq!(
            jpeg_scan(&stripped),
            jpeg_scan(&j),
            "scan data byte-identical"
        );
        for secret in SECRETS.iter().chain(&["Sports day"]) {
            assert!(contains(&j, secret.as_bytes()));
            assert!(
                !contains(&stripped, secret.as_bytes()),
                "{secret} left in the bytes"
            );
        }
        // What identifies nobody stays: the camera make, the orientation.
        for kept in ["Acme", "tiff:Orientation=\"6\""] {
            assert!(contains(&stripped, kept.as_bytes()), "{kept} removed");
        }
        // strip_location leaves all of it: the two strips differ.
        let location_only = strip_location(&j).unwrap();
        assert!(contains(&location_only, b"Jane Teacher"));
    }
}

#[test]
fn strip_identifying_removes_other_dates_and_the_maker_note() {
    // Dates inspect does not report (digitized, modified, sub-seconds, time
    // zone) give the same moment away; the maker note holds a serial number.
    let exif = tiff(
        true,
        &[
            (0x0112, V::Short(1)),
            (0x0132, V::Ascii("2025:02:03 04:05:06")),
            (0x013B, V::Ascii("Jane Teacher")),
        ],
        &[
            (0x9003, V::Ascii("2025:01:20 10:11:12")),
            (0x9004, V::Ascii("2025:01:21 10:11:12")),
            (0x9011, V::Ascii("+01:00")),
            (0x9291, V::Ascii("123")),
            (0x927C, V::Undefined(b"Nikon\0SERIAL-7788".to_vec())),
            (0xA435, V::Ascii("LENS-99")),
        ],
        &[],
    );
    let j = with_segments(&jpeg(1, 1, 61), &[app1_exif(&exif)]);
    let stripped = strip_identifying_checked(&j);
    for gone in [
        &b"2025:02:03"[..],
        b"2025:01:21",
        b"+01:00",
        b"SERIAL-7788",
        b"LENS-99",
    ] {
        assert!(contains(&j, gone));
        assert!(
            !contains(&stripped, gone),
            "{} left",
            String::from_utf8_lossy(gone)
        );
    }
    assert_eq!(jpeg_scan(&stripped), jpeg_scan(&j));
    // The entries are gone from their IFDs, not only blanked: IFD0 keeps
    // just the orientation and the Exif pointer.
    let tiff_at = 2 + 4 + 6;
    let ifd0 = u32::from_le_bytes(stripped[tiff_at + 4..tiff_at + 8].try_into().unwrap());
    let count_at = tiff_at + ifd0 as usize;
    assert_eq!(
        u16::from_le_bytes([stripped[count_at], stripped[count_at + 1]]),
        2
    );
}

#[test]
fn strip_identifying_xmp_dates_history_and_contact() {
    let xmp = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:aux="http://ns.adobe.com/exif/1.0/aux/" xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/" xmp:CreateDate="2025-01-20T10:11:12" xmp:CreatorTool="Editor 1.0" aux:SerialNumber="BODY-5150" aux:LensSerialNumber="LENS-1"><xmpMM:History><rdf:Seq><rdf:li stEvt:action="saved" stEvt:when="2025-01-22T09:00:00"/></rdf:Seq></xmpMM:History><Iptc4xmpCore:CreatorContactInfo rdf:parseType="Resource"><Iptc4xmpCore:CiEmailWork>jane@school.example</Iptc4xmpCore:CiEmailWork></Iptc4xmpCore:CreatorContactInfo></rdf:Description></rdf:RDF></x:xmpmeta>"#;
    let j = with_segments(&jpeg(1, 1, 62), &[app1_xmp(xmp)]);
    assert_eq!(
        fields(&inspect(&j).unwrap()),
        vec![
            IdentifyingField::CameraSerial,
            IdentifyingField::LensSerial,
            IdentifyingField::ContactInfo,
        ]
    );
    let stripped = strip_identifying_checked(&j);
    for gone in [
        "2025-01-20",
        "2025-01-22",
        "BODY-5150",
        "LENS-1",
        "jane@school.example",
    ] {
        assert!(!contains(&stripped, gone.as_bytes()), "{gone} left");
    }
    assert!(
        contains(&stripped, b"xmp:CreatorTool=\"Editor 1.0\""),
        "the tool is kept"
    );
    assert_eq!(jpeg_scan(&stripped), jpeg_scan(&j));
}

#[test]
fn strip_identifying_iptc_by_line_and_dates() {
    let iptc = app13(&[
        (80, "Jane Teacher"),
        (55, "20250120"),
        (60, "101112+0000"),
        (118, "jane@school.example"),
        (5, "Sports day"),
        (15, "SPO"),
    ]);
    let j = with_segments(&jpeg(1, 1, 63), &[iptc]);
    let stripped = strip_identifying_checked(&j);
    for gone in [
        "Jane Teacher",
        "20250120",
        "101112",
        "jane@school",
        "Sports day",
    ] {
        assert!(!contains(&stripped, gone.as_bytes()), "{gone} left");
    }
    assert!(contains(&stripped, b"SPO"), "the category code is kept");
    assert_eq!(jpeg_scan(&stripped), jpeg_scan(&j));
}

#[test]
fn strip_identifying_png_keeps_idat_and_drops_author() {
    let p = png(&[
        chunk(b"eXIf", &camera_exif(true)),
        itxt_xmp(XMP_LOCATION),
        chunk(b"tEXt", b"Author\0Jane Teacher"),
        chunk(b"tEXt", b"Copyright\0Jane Teacher 2025"),
        chunk(b"tEXt", b"Software\0test"),
    ]);
    let stripped = strip_identifying_checked(&p);
    assert_eq!(idat(&stripped), idat(&p), "IDAT byte-identical");
    let texts: Vec<Vec<u8>> = png_chunks(&stripped)
        .into_iter()
        .filter(|c| &c.0 == b"tEXt")
        .map(|c| c.1)
        .collect();
    assert_eq!(texts, vec![b"Software\0test".to_vec()]);
    for secret in SECRETS {
        assert!(!contains(&stripped, secret.as_bytes()), "{secret} left");
    }
}

#[test]
fn strip_identifying_png_compressed_author_is_dropped() {
    let mut data = b"Author\0\0".to_vec();
    data.extend(zlib_stored(b"Jane Teacher"));
    let p = png(&[chunk(b"zTXt", &data)]);
    assert_eq!(
        fields(&inspect(&p).unwrap()),
        vec![IdentifyingField::Artist]
    );
    let stripped = strip_identifying_checked(&p);
    assert!(png_chunks(&stripped).iter().all(|c| &c.0 != b"zTXt"));
    assert_eq!(idat(&stripped), idat(&p));
}

#[test]
fn strip_identifying_tiff_webp_heic_keep_their_pictures() {
    for le in [true, false] {
        let (t, pixels) = tiff_file(le);
        let stripped = strip_identifying_checked(&t);
        assert_eq!(stripped.len(), t.len());
        assert_eq!(
            &stripped[pixels.clone()],
            &t[pixels],
            "strip data identical"
        );
        assert!(!contains(&stripped, b"Jane Teacher"));
    }

    let w = webp(&camera_exif(true));
    assert_webp_bitstream_kept(&w, &strip_identifying_checked(&w));

    let (h, picture) = heic(&camera_exif(false));
    let stripped = strip_identifying_checked(&h);
    assert_heic_picture_kept(&h, &stripped, picture);
    assert_eq!(&stripped[..200], &h[..200], "boxes unchanged");
    for secret in SECRETS {
        assert!(!contains(&stripped, secret.as_bytes()), "{secret} left");
    }
}

#[test]
fn strip_identifying_without_metadata_changes_nothing() {
    let j = jpeg(2, 2, 64);
    assert_eq!(strip_identifying(&j).unwrap(), j);
    let p = png(&[chunk(b"tEXt", b"Software\0test")]);
    assert_eq!(strip_identifying(&p).unwrap(), p);
}

// ---------------------------------------------------------------------------
// Free text and people tags (titles, captions, keywords, comments, names of
// the people shown): any of them can name a child.

/// A pupil-like name, put in every free-text field below.
const PUPIL: &str = "Amelia Okafor";

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// The pupil's name (and her surname alone) as UTF-8 and as UTF-16LE.
fn pupil_needles() -> Vec<Vec<u8>> {
    ["Amelia Okafor", "Okafor"]
        .iter()
        .flat_map(|n| [n.as_bytes().to_vec(), utf16le(n)])
        .collect()
}

fn has_pupil(bytes: &[u8]) -> bool {
    pupil_needles().iter().any(|n| contains(bytes, n))
}

/// A file whose only metadata is the pupil's name in one free-text field:
/// `inspect` reports descriptive text from `source` and never the name,
/// `strip_identifying` leaves no trace of the name in any encoding, and
/// `strip_location` (location only) returns the file unchanged.
fn assert_free_text_removed(what: &str, bytes: &[u8], source: MetadataSource) -> Vec<u8> {
    assert!(has_pupil(bytes), "{what}: the fixture carries the name");
    let info = inspect(bytes).unwrap();
    assert!(
        info.identifying
            .iter()
            .any(|i| i.field == IdentifyingField::DescriptiveText && i.sources.contains(&source)),
        "{what}: not reported: {info:?}"
    );
    let json = serde_json::to_string(&info).unwrap();
    assert!(!json.contains("Okafor"), "{what}: the value is reported");
    let stripped = strip_identifying_checked(bytes);
    assert!(!has_pupil(&stripped), "{what}: the name is left");
    assert_eq!(
        strip_location(bytes).unwrap(),
        bytes,
        "{what}: location only"
    );
    stripped
}

/// [`assert_free_text_removed`] for a JPEG, whose metadata is edited in
/// place and whose scan stays byte-identical.
fn assert_jpeg_free_text_removed(what: &str, j: &[u8], source: MetadataSource) -> Vec<u8> {
    let stripped = assert_free_text_removed(what, j, source);
    assert_eq!(stripped.len(), j.len(), "{what}: edited in place");
    assert_eq!(jpeg_scan(&stripped), jpeg_scan(j), "{what}: scan identical");
    stripped
}

/// XMP with `body` inside `rdf:Description`, and the namespaces it uses.
fn xmp_with(attributes: &str, body: &str) -> String {
    format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" xmlns:MP="http://ns.microsoft.com/photo/1.2/" xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#" xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#" xmlns:lr="http://ns.adobe.com/lightroom/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" xmp:CreatorTool="Editor 1.0" {attributes}>{body}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#
    )
}

#[test]
fn free_text_in_exif_is_reported_and_removed_in_every_byte_order() {
    let mut ucs2 = b"UNICODE\0".to_vec();
    ucs2.extend(utf16le(PUPIL));
    let mut ascii = b"ASCII\0\0\0".to_vec();
    ascii.extend_from_slice(PUPIL.as_bytes());
    let title = utf16le(&format!("{PUPIL}\0"));
    // (what, IFD0 entries, Exif IFD entries)
    type Case = (&'static str, Vec<(u16, V)>, Vec<(u16, V)>);
    let cases: Vec<Case> = vec![
        ("ImageDescription", vec![(0x010E, V::Ascii(PUPIL))], vec![]),
        ("DocumentName", vec![(0x010D, V::Ascii(PUPIL))], vec![]),
        ("XPTitle", vec![(0x9C9B, V::Byte(title.clone()))], vec![]),
        ("XPComment", vec![(0x9C9C, V::Byte(title.clone()))], vec![]),
        ("XPKeywords", vec![(0x9C9E, V::Byte(title.clone()))], vec![]),
        ("XPSubject", vec![(0x9C9F, V::Byte(title.clone()))], vec![]),
        ("ImageTitle", vec![], vec![(0xA436, V::Ascii(PUPIL))]),
        (
            "UserComment ASCII",
            vec![],
            vec![(0x9286, V::Undefined(ascii))],
        ),
        (
            "UserComment UNICODE",
            vec![],
            vec![(0x9286, V::Undefined(ucs2))],
        ),
    ];
    for le in [true, false] {
        for (what, ifd0, exif) in &cases {
            let mut ifd0 = ifd0.clone();
            ifd0.push((0x0112, V::Short(1)));
            let j = with_segments(&jpeg(1, 1, 70), &[app1_exif(&tiff(le, &ifd0, exif, &[]))]);
            assert_jpeg_free_text_removed(what, &j, MetadataSource::Exif);
        }
    }
}

/// The Exif 2.3+ tags that name the photographer and the editor, and the
/// computer's name (often its owner's): reported and removed like the
/// artist and owner, never kept by `strip_identifying`.
#[test]
fn photographer_editor_and_host_computer_are_identifying() {
    for (what, ifd0, exif) in [
        ("Photographer", vec![], vec![(0xA437u16, V::Ascii(PUPIL))]),
        ("ImageEditor", vec![], vec![(0xA438, V::Ascii(PUPIL))]),
        ("HostComputer", vec![(0x013Cu16, V::Ascii(PUPIL))], vec![]),
    ] {
        let mut ifd0 = ifd0;
        ifd0.push((0x0112, V::Short(1)));
        let j = with_segments(
            &jpeg(1, 1, 70),
            &[app1_exif(&tiff(true, &ifd0, &exif, &[]))],
        );
        assert!(has_pupil(&j), "{what}: the fixture carries the name");
        assert!(
            !inspect(&j).unwrap().identifying.is_empty(),
            "{what}: not reported"
        );
        let stripped = strip_identifying_checked(&j);
        assert!(!has_pupil(&stripped), "{what}: the name is left");
        assert_eq!(
            jpeg_scan(&stripped),
            jpeg_scan(&j),
            "{what}: scan identical"
        );
    }
}

#[test]
fn an_empty_user_comment_is_not_reported() {
    // Cameras write a UserComment of a character code and blanks.
    let mut blank = b"ASCII\0\0\0".to_vec();
    blank.extend_from_slice(&[b' '; 20]);
    let exif = tiff(
        true,
        &[(0x0112, V::Short(1))],
        &[(0x9286, V::Undefined(blank))],
        &[],
    );
    let j = with_segments(&jpeg(1, 1, 71), &[app1_exif(&exif)]);
    assert!(inspect(&j).unwrap().identifying.is_empty());
}

#[test]
fn free_text_and_people_tags_in_xmp_are_reported_and_removed() {
    let p = PUPIL;
    let li = |prop: &str, container: &str| {
        format!("<{prop}><rdf:{container}><rdf:li xml:lang=\"x-default\">{p}</rdf:li></rdf:{container}></{prop}>")
    };
    let cases: Vec<(&str, String, String)> = vec![
        ("dc:title", String::new(), li("dc:title", "Alt")),
        ("dc:description", String::new(), li("dc:description", "Alt")),
        ("dc:subject", String::new(), li("dc:subject", "Bag")),
        ("photoshop:Headline", format!("photoshop:Headline=\"{p}\""), String::new()),
        ("photoshop:Instructions", String::new(), format!("<photoshop:Instructions>{p}</photoshop:Instructions>")),
        ("Iptc4xmpExt:PersonInImage", String::new(), li("Iptc4xmpExt:PersonInImage", "Bag")),
        ("Iptc4xmpCore:AltTextAccessibility", String::new(), li("Iptc4xmpCore:AltTextAccessibility", "Alt")),
        ("lr:hierarchicalSubject", String::new(), format!("<lr:hierarchicalSubject><rdf:Bag><rdf:li>People|Year 3|{p}</rdf:li></rdf:Bag></lr:hierarchicalSubject>")),
        ("exif:UserComment", String::new(), li("exif:UserComment", "Alt")),
        ("tiff:ImageDescription", String::new(), li("tiff:ImageDescription", "Alt")),
        ("photoshop:Credit", format!("photoshop:Credit=\"{p}\""), String::new()),
        ("photoshop:SupplementalCategories", String::new(), li("photoshop:SupplementalCategories", "Bag")),
        ("xmp:Label", format!("xmp:Label=\"{p}\""), String::new()),
        ("Iptc4xmpExt:Event", String::new(), li("Iptc4xmpExt:Event", "Alt")),
        ("Iptc4xmpExt:ModelAge", String::new(), format!("<Iptc4xmpExt:ModelAge><rdf:Bag><rdf:li>9 ({p})</rdf:li></rdf:Bag></Iptc4xmpExt:ModelAge>")),
        ("dc:contributor", String::new(), li("dc:contributor", "Bag")),
        (
            "mwg-rs:Name element",
            String::new(),
            format!("<mwg-rs:Regions rdf:parseType=\"Resource\"><mwg-rs:RegionList><rdf:Bag><rdf:li rdf:parseType=\"Resource\"><mwg-rs:Type>Face</mwg-rs:Type><mwg-rs:Name>{p}</mwg-rs:Name><mwg-rs:Area stArea:x=\"0.5\" stArea:y=\"0.5\" stArea:w=\"0.1\" stArea:h=\"0.1\" stArea:unit=\"normalized\"/></rdf:li></rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>"),
        ),
        (
            "mwg-rs:Name attribute",
            String::new(),
            format!("<mwg-rs:Regions rdf:parseType=\"Resource\"><mwg-rs:RegionList><rdf:Bag><rdf:li mwg-rs:Type=\"Face\" mwg-rs:Name=\"{p}\"/></rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>"),
        ),
        (
            "MPReg:PersonDisplayName",
            String::new(),
            format!("<MP:RegionInfo rdf:parseType=\"Resource\"><MPRI:Regions><rdf:Bag><rdf:li MPReg:Rectangle=\"0.1, 0.2, 0.3, 0.4\" MPReg:PersonDisplayName=\"{p}\"/></rdf:Bag></MPRI:Regions></MP:RegionInfo>"),
        ),
    ];
    for (what, attributes, body) in &cases {
        let xmp = xmp_with(attributes, body);
        let j = with_segments(&jpeg(1, 1, 72), &[app1_xmp(&xmp)]);
        let stripped = assert_jpeg_free_text_removed(what, &j, MetadataSource::Xmp);
        let text = String::from_utf8_lossy(&stripped);
        assert!(
            text.contains("xmp:CreatorTool=\"Editor 1.0\""),
            "{what}: the rest kept"
        );
        // The packet is still one whole XMP packet.
        assert!(
            text.contains("</rdf:Description></rdf:RDF></x:xmpmeta>"),
            "{what}"
        );
    }
}

/// The PLUS licensing schema (`plus:`) names people and organisations (the
/// licensor, licensee, end user, image creator and supplier), carries IDs,
/// release IDs, ages and notes, and the file name as delivered; IPTC's
/// extension names the organisations in the image and the people heard.
/// Each is reported and removed, as a structure or a lone property, and so
/// are the licensor's contact details.
#[test]
fn plus_and_iptc_extension_names_are_reported_and_removed() {
    let p = PUPIL;
    let plus = r#"xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/""#;
    let party = |name: &str| {
        format!("<plus:{name}><rdf:Seq><rdf:li rdf:parseType=\"Resource\"><plus:{name}Name>{p}</plus:{name}Name><plus:{name}ID>ID-1</plus:{name}ID></rdf:li></rdf:Seq></plus:{name}>")
    };
    let mut cases: Vec<(String, String, String)> = [
        "Licensor",
        "Licensee",
        "EndUser",
        "ImageCreator",
        "ImageSupplier",
        "CopyrightOwner",
    ]
    .iter()
    .flat_map(|name| {
        [
            (format!("plus:{name}"), plus.to_string(), party(name)),
            (
                format!("plus:{name}Name"),
                format!("{plus} plus:{name}Name=\"{p}\""),
                String::new(),
            ),
            (
                format!("plus:{name}ID"),
                format!("{plus} plus:{name}ID=\"{p}\""),
                String::new(),
            ),
        ]
    })
    .collect();
    for name in [
        "ModelReleaseID",
        "PropertyReleaseID",
        "MinorModelAgeDisclosure",
        "LicenseeImageID",
        "LicenseeProjectReference",
        "LicenseeImageNotes",
        "LicensorNotes",
        "ImageSupplierImageID",
        "FileNameAsDelivered",
        "OtherImageInfo",
        "OtherConditions",
        "OtherConstraints",
        "OtherLicenseRequirements",
        "OtherLicenseDocuments",
    ] {
        cases.push((
            format!("plus:{name}"),
            plus.to_string(),
            format!("<plus:{name}><rdf:Bag><rdf:li>{p}</rdf:li></rdf:Bag></plus:{name}>"),
        ));
    }
    for name in [
        "OrganisationInImageName",
        "OrganisationInImageCode",
        "AddlModelInfo",
    ] {
        cases.push((
            format!("Iptc4xmpExt:{name}"),
            String::new(),
            format!(
                "<Iptc4xmpExt:{name}><rdf:Bag><rdf:li>{p}</rdf:li></rdf:Bag></Iptc4xmpExt:{name}>"
            ),
        ));
    }
    cases.push((
        "Iptc4xmpExt:PersonHeard".into(),
        String::new(),
        format!("<Iptc4xmpExt:PersonHeard><rdf:Bag><rdf:li rdf:parseType=\"Resource\"><Iptc4xmpExt:Name><rdf:Alt><rdf:li xml:lang=\"x-default\">{p}</rdf:li></rdf:Alt></Iptc4xmpExt:Name></rdf:li></rdf:Bag></Iptc4xmpExt:PersonHeard>"),
    ));
    for (what, attributes, body) in &cases {
        let xmp = xmp_with(attributes, body);
        let j = with_segments(&jpeg(1, 1, 76), &[app1_xmp(&xmp)]);
        let stripped = assert_jpeg_free_text_removed(what, &j, MetadataSource::Xmp);
        assert!(
            String::from_utf8_lossy(&stripped).contains("xmp:CreatorTool=\"Editor 1.0\""),
            "{what}: the rest kept"
        );
    }
    for field in ["Email", "Telephone1", "StreetAddress", "City", "URL"] {
        let what = format!("plus:Licensor{field}");
        let xmp = xmp_with(&format!("{plus} plus:Licensor{field}=\"{p}\""), "");
        let j = with_segments(&jpeg(1, 1, 77), &[app1_xmp(&xmp)]);
        assert_eq!(
            fields(&inspect(&j).unwrap()),
            vec![IdentifyingField::ContactInfo],
            "{what}"
        );
        let stripped = strip_identifying_checked(&j);
        assert!(!has_pupil(&stripped), "{what}: the name is left");
        assert_eq!(strip_location(&j).unwrap(), j, "{what}: not location");
    }
}

/// The fields a reviewer listed as gaps (EXIF HostComputer, IPTC credit and
/// source, XMP `dc:contributor` and the PLUS names) with the pupil's name
/// stored as UTF-16LE too: no byte of it survives `strip_identifying` in
/// either encoding, and the picture is byte-identical.
#[test]
fn listed_fields_leave_no_trace_of_a_name_in_utf16() {
    let utf16 = utf16le(PUPIL);
    // EXIF HostComputer as BYTE values (UTF-16LE), in both byte orders.
    for le in [true, false] {
        let exif = tiff(
            le,
            &[(0x0112, V::Short(1)), (0x013C, V::Byte(utf16.clone()))],
            &[],
            &[],
        );
        let j = with_segments(&jpeg(1, 1, 78), &[app1_exif(&exif)]);
        assert!(!inspect(&j).unwrap().identifying.is_empty(), "HostComputer");
        let stripped = strip_identifying_checked(&j);
        assert!(!has_pupil(&stripped), "HostComputer: the name is left");
        assert_eq!(jpeg_scan(&stripped), jpeg_scan(&j));
    }
    // IPTC credit and source in UTF-16LE bytes.
    for (what, dataset) in [("credit", 110u8), ("source", 115)] {
        let j = with_segments(&jpeg(1, 1, 79), &[app13_bytes(&[(dataset, &utf16)])]);
        assert_jpeg_free_text_removed(what, &j, MetadataSource::Iptc);
    }
    // An XMP packet stored as UTF-16LE cannot be read as XML here: it is
    // blanked whole (it might hold anything), by either strip.
    for body in [
        format!("<dc:contributor><rdf:Bag><rdf:li>{PUPIL}</rdf:li></rdf:Bag></dc:contributor>"),
        format!("<plus:Licensor><rdf:Seq><rdf:li plus:LicensorName=\"{PUPIL}\"/></rdf:Seq></plus:Licensor>"),
    ] {
        let xmp = utf16le(&xmp_with(r#"xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/""#, &body));
        let mut payload = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
        payload.extend(xmp);
        let j = with_segments(&jpeg(1, 1, 80), &[segment(0xE1, &payload)]);
        assert!(has_pupil(&j));
        for stripped in [strip_identifying(&j).unwrap(), strip_location(&j).unwrap()] {
            assert!(!has_pupil(&stripped), "UTF-16LE XMP: the name is left");
            assert_eq!(stripped.len(), j.len());
            assert_eq!(jpeg_scan(&stripped), jpeg_scan(&j));
        }
    }
}

#[test]
fn free_text_in_iptc_is_reported_and_removed() {
    for (what, dataset) in [
        ("object name", 5u8),
        ("supplemental category", 20),
        ("keywords", 25),
        ("credit", 110),
        ("source", 115),
        ("special instructions", 40),
        ("headline", 105),
        ("caption", 120),
    ] {
        let iptc = app13(&[(dataset, PUPIL), (15, "SPO")]);
        let j = with_segments(&jpeg(1, 1, 73), &[iptc]);
        let stripped = assert_jpeg_free_text_removed(what, &j, MetadataSource::Iptc);
        assert!(contains(&stripped, b"SPO"), "{what}: the category is kept");
    }
}

#[test]
fn a_jpeg_comment_is_reported_and_removed() {
    let j = with_segments(
        &jpeg(1, 1, 74),
        &[segment(0xFE, format!("{PUPIL}, Year 3").as_bytes())],
    );
    assert_jpeg_free_text_removed("COM", &j, MetadataSource::JpegComment);
}

#[test]
fn free_text_in_png_is_reported_and_removed() {
    let itxt = |keyword: &str, compressed: bool| {
        let mut d = keyword.as_bytes().to_vec();
        d.extend_from_slice(&[0, u8::from(compressed), 0]);
        d.extend_from_slice(b"en-GB\0\0");
        if compressed {
            d.extend(zlib_stored(PUPIL.as_bytes()));
        } else {
            d.extend_from_slice(PUPIL.as_bytes());
        }
        chunk(b"iTXt", &d)
    };
    let text = |keyword: &str| chunk(b"tEXt", format!("{keyword}\0{PUPIL}").as_bytes());
    let mut ztxt = b"Comment\0\0".to_vec();
    ztxt.extend(zlib_stored(PUPIL.as_bytes()));
    let cases = [
        ("Title", text("Title")),
        ("Description", text("Description")),
        ("Comment", text("Comment")),
        ("an unknown keyword", text("Pupil")),
        ("zTXt Comment", chunk(b"zTXt", &ztxt)),
        ("iTXt Description", itxt("Description", false)),
        ("compressed iTXt Title", itxt("Title", true)),
    ];
    for (what, c) in cases {
        let p = png(&[c, chunk(b"tEXt", b"Software\0test")]);
        let stripped = assert_free_text_removed(what, &p, MetadataSource::PngText);
        assert_eq!(idat(&stripped), idat(&p), "{what}: IDAT identical");
        let kept: Vec<Vec<u8>> = png_chunks(&stripped)
            .into_iter()
            .filter(|c| !matches!(&c.0, b"IHDR" | b"IDAT" | b"IEND"))
            .map(|c| c.1)
            .collect();
        assert_eq!(kept, vec![b"Software\0test".to_vec()], "{what}");
    }
}

#[test]
fn png_creation_time_and_time_chunk_are_dates() {
    let time = chunk(b"tIME", &[0x07, 0xE9, 1, 20, 10, 11, 12]);
    let p = png(&[
        chunk(b"tEXt", b"Creation Time\x002025-01-20T10:11:12Z"),
        chunk(b"tEXt", b"date:modify\x002025-01-21T09:00:00+00:00"),
        time,
    ]);
    let info = inspect(&p).unwrap();
    assert_eq!(fields(&info), vec![IdentifyingField::DateTaken]);
    let stripped = strip_identifying_checked(&p);
    assert_eq!(idat(&stripped), idat(&p));
    let kinds: Vec<[u8; 4]> = png_chunks(&stripped).into_iter().map(|c| c.0).collect();
    assert_eq!(kinds, vec![*b"IHDR", *b"IDAT", *b"IEND"]);
    assert_eq!(strip_location(&p).unwrap(), p, "dates are not location");
}

// ---------------------------------------------------------------------------
// PNG text and the location strip: text cannot hold location, so a location
// strip copies it as it is, compressed or not, readable or not, and never
// inflates it.

/// An `eXIf` chunk with a GPS position (big-endian, as PNG files carry it).
fn png_gps() -> Vec<u8> {
    chunk(
        b"eXIf",
        &tiff(false, &[(0x0112, V::Short(1))], &[], &london_gps()),
    )
}

/// Strips the location from `p` and checks that every chunk but `eXIf` is
/// copied byte for byte (the text still compressed where it was), and that
/// the `eXIf` chunk lost its position.
fn assert_only_exif_changed(what: &str, p: &[u8]) -> Vec<u8> {
    let stripped = strip_location(p).unwrap_or_else(|e| panic!("{what}: {e:?}"));
    assert!(!inspect(&stripped).unwrap().has_location, "{what}");
    let before = png_chunks_unchecked(p);
    let after = png_chunks_unchecked(&stripped);
    assert_eq!(
        after.len(),
        before.len(),
        "{what}: a chunk added or dropped"
    );
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(a.0, b.0, "{what}: chunk order");
        if &b.0 == b"eXIf" {
            assert_ne!(a.1, b.1, "{what}: the position is removed");
        } else {
            assert!(a.1 == b.1, "{what}: {:?} changed", b.0);
        }
    }
    assert!(
        strip_location(&stripped).unwrap() == stripped,
        "{what}: not idempotent"
    );
    stripped
}

/// A valid PNG whose compressed text inflates past the 32 MiB the engine
/// inflates from one file: a location strip copies the text as it is
/// (it cannot hold location) instead of refusing the file, and inspect
/// reports it from its first characters.
#[test]
fn large_compressed_png_text_is_copied_by_the_location_strip() {
    // Stored, so the file itself is over 33 MiB (within the 50 MiB limit),
    // and deflated: 40 MiB of text from 260 KB.
    let sentence = format!("{PUPIL}, Year 3, sports day. ");
    let long = sentence.repeat((33 << 20) / sentence.len() + 1);
    let mut deflated = b"Title\0\x01\0en-GB\0\0".to_vec();
    deflated.extend(zlib_repeated(b'A', 40 << 20));
    for (what, text) in [
        (
            "stored zTXt",
            ztxt(b"Comment", &zlib_stored(long.as_bytes())),
        ),
        ("deflated iTXt", chunk(b"iTXt", &deflated)),
    ] {
        let p = png(&[png_gps(), text, chunk(b"tEXt", b"Software\0test")]);
        assert!(
            p.len() <= DEFAULT_MAX_IMAGE_BYTES,
            "{what}: within the limit"
        );
        let info = inspect(&p).unwrap_or_else(|e| panic!("{what}: inspect: {e:?}"));
        assert!(info.has_location, "{what}");
        assert_eq!(
            fields(&info),
            vec![IdentifyingField::DescriptiveText],
            "{what}"
        );
        assert_only_exif_changed(what, &p);
        let cleaned = strip_identifying(&p).unwrap_or_else(|e| panic!("{what}: {e:?}"));
        let after = inspect(&cleaned).unwrap();
        assert!(
            !after.has_location && after.identifying.is_empty(),
            "{what}"
        );
        let kinds: Vec<[u8; 4]> = png_chunks(&cleaned).into_iter().map(|c| c.0).collect();
        assert_eq!(
            kinds,
            vec![*b"IHDR", *b"eXIf", *b"tEXt", *b"IDAT", *b"IEND"],
            "{what}: the text dropped, the rest kept"
        );
    }
}

/// PNG text that cannot be read (a damaged zlib stream, one cut short, an
/// `iTXt` header that does not end) cannot hold location either: a location
/// strip keeps it byte for byte. Nothing can be said of what it says, so
/// inspect reports it (it might name a child) and the identifying strip
/// removes it.
#[test]
fn damaged_png_text_is_kept_by_the_location_strip_and_reported() {
    // A zlib header, then a block of the reserved type 3.
    let reserved = [0x78, 0x01, 0x07, 0x00, 0x00];
    let mut cut_short = zlib_stored(PUPIL.as_bytes());
    cut_short.truncate(10);
    let mut bad_checksum = zlib_stored(PUPIL.as_bytes());
    *bad_checksum.last_mut().unwrap() ^= 0xFF;
    let cases = [
        (
            "zTXt of a reserved block type",
            ztxt(b"Comment", &reserved),
            IdentifyingField::DescriptiveText,
        ),
        (
            "zTXt cut short",
            ztxt(b"Description", &cut_short),
            IdentifyingField::DescriptiveText,
        ),
        (
            "zTXt with a bad checksum",
            ztxt(b"Comment", &bad_checksum),
            IdentifyingField::DescriptiveText,
        ),
        (
            "damaged zTXt Author",
            ztxt(b"Author", &reserved),
            IdentifyingField::Artist,
        ),
        (
            "iTXt whose header does not end",
            chunk(b"iTXt", format!("Comment\0\0\0en-GB {PUPIL}").as_bytes()),
            IdentifyingField::DescriptiveText,
        ),
    ];
    for (what, text, field) in cases {
        let p = png(&[png_gps(), text.clone(), chunk(b"tEXt", b"Software\0test")]);
        let info = inspect(&p).unwrap();
        assert!(info.has_location, "{what}");
        assert!(
            info.identifying
                .iter()
                .any(|i| i.field == field && i.sources == vec![MetadataSource::PngText]),
            "{what}: not reported: {info:?}"
        );
        let stripped = assert_only_exif_changed(what, &p);
        assert!(contains(&stripped, &text), "{what}: kept as it was");
        // Without a location, the location strip changes nothing.
        let q = png(std::slice::from_ref(&text));
        assert_eq!(strip_location(&q).unwrap(), q, "{what}");
        let cleaned = strip_identifying_checked(&p);
        assert!(
            !contains(&cleaned, &text),
            "{what}: removed with identifying data"
        );
        assert_eq!(idat(&cleaned), idat(&p), "{what}: IDAT identical");
    }
}

/// Compressed PNG text is inflated only as far as its first character that
/// is not blank: blank text is not reported, and text still blank after
/// all the engine inflates from one file is reported (nothing can be said of
/// the rest), with no error.
#[test]
fn compressed_png_text_is_read_only_as_far_as_it_must_be() {
    let blank = png(&[ztxt(b"Comment", &zlib_repeated(b' ', 5_000))]);
    assert!(inspect(&blank).unwrap().identifying.is_empty());
    assert_eq!(strip_location(&blank).unwrap(), blank);

    let endless = png(&[ztxt(b"Comment", &zlib_repeated(b' ', 40 << 20))]);
    assert_eq!(
        fields(&inspect(&endless).unwrap()),
        vec![IdentifyingField::DescriptiveText]
    );
    assert_eq!(strip_location(&endless).unwrap(), endless);
    let cleaned = strip_identifying_checked(&endless);
    let kinds: Vec<[u8; 4]> = png_chunks(&cleaned).into_iter().map(|c| c.0).collect();
    assert_eq!(kinds, vec![*b"IHDR", *b"IDAT", *b"IEND"]);
}

/// An XMP chunk that cannot be inflated might hold location: a location
/// strip removes it (as the module documents for unreadable metadata),
/// and nothing else: the other text chunks, compressed or not, are copied
/// byte for byte.
#[test]
fn a_damaged_png_xmp_chunk_is_the_only_chunk_a_location_strip_removes() {
    let bad_xmp = ztxt(b"XML:com.adobe.xmp", &[0x78, 0x01, 0x07, 0x00, 0x00]);
    let mut title = b"Title\0\x01\0en-GB\0\0".to_vec();
    title.extend(zlib_repeated(b'A', 1_000));
    let p = png(&[
        bad_xmp.clone(),
        ztxt(b"Comment", &zlib_stored(PUPIL.as_bytes())),
        chunk(b"iTXt", &title),
        chunk(b"tEXt", b"Software\0test"),
    ]);
    let stripped = strip_checked(&p);
    assert!(!contains(&stripped, &bad_xmp));
    let mut expected = png_chunks(&p);
    expected.retain(|c| &c.0 != b"zTXt" || !c.1.starts_with(b"XML:"));
    assert_eq!(png_chunks(&stripped), expected);
}

/// A metadata block that cannot be read is flagged by `inspect`
/// (`unreadable_metadata`, left out of the JSON when false): a stripped copy
/// removes it whole, even a location-only one, and the caller can say so. No
/// stripped copy carries one. PNG free text that cannot be read is not such a
/// block (the location strip keeps it): it is reported as text instead.
#[test]
fn unreadable_metadata_is_flagged_so_its_removal_can_be_said() {
    let broken_xmp = "<x:xmpmeta><rdf:RDF>51,30N London";
    let mut not_tiff = b"Exif\0\0XX*\0".to_vec();
    not_tiff.extend_from_slice(b"51,30N London");
    let xmp_in_exif = tiff(
        true,
        &[
            (0x0112, V::Short(1)),
            (0x02BC, V::Byte(broken_xmp.as_bytes().to_vec())),
        ],
        &[],
        &[],
    );
    let files = [
        (
            "JPEG EXIF that is not TIFF",
            with_segments(&jpeg(1, 1, 81), &[segment(0xE1, &not_tiff)]),
        ),
        (
            "JPEG XMP that is not XML, beside EXIF GPS",
            with_segments(
                &jpeg(1, 1, 81),
                &[app1_xmp(broken_xmp), app1_exif(&camera_exif(true))],
            ),
        ),
        (
            "XMP in EXIF",
            with_segments(&jpeg(1, 1, 81), &[app1_exif(&xmp_in_exif)]),
        ),
        ("HEIC EXIF that is not TIFF", heic(b"XX*\0London").0),
        (
            "PNG XMP in a damaged zTXt",
            png(&[ztxt(b"XML:com.adobe.xmp", &[0x78, 0x01, 0x07, 0x00, 0x00])]),
        ),
        (
            "PNG XMP that is not XML, beside eXIf GPS",
            png(&[itxt_xmp(broken_xmp), png_gps()]),
        ),
    ];
    for (what, file) in files {
        let info = inspect(&file).unwrap();
        assert!(info.unreadable_metadata, "{what}: {info:?}");
        let json = serde_json::to_value(&info).unwrap();
        assert_eq!(json["unreadable_metadata"], true, "{what}");
        for stripped in [strip_checked(&file), strip_identifying(&file).unwrap()] {
            let after = inspect(&stripped).unwrap();
            assert!(!after.unreadable_metadata, "{what}: left in {after:?}");
            let json = serde_json::to_string(&after).unwrap();
            assert!(!json.contains("unreadable"), "{what}: {json}");
        }
    }
    let damaged_text = png(&[ztxt(b"Comment", &[0x78, 0x01, 0x07, 0x00, 0x00])]);
    for (what, file) in [
        ("a readable JPEG", full_jpeg(false)),
        ("damaged PNG text", damaged_text),
    ] {
        assert!(!inspect(&file).unwrap().unreadable_metadata, "{what}");
    }
}

#[test]
fn free_text_in_tiff_webp_and_heic_is_reported_and_removed() {
    let mut comment = b"ASCII\0\0\0".to_vec();
    comment.extend_from_slice(PUPIL.as_bytes());
    let exif = |le: bool| {
        tiff(
            le,
            &[
                (0x0112, V::Short(1)),
                (0x010E, V::Ascii(PUPIL)),
                (0x9C9B, V::Byte(utf16le(PUPIL))),
            ],
            &[(0x9286, V::Undefined(comment.clone()))],
            &[],
        )
    };
    for le in [true, false] {
        let t = exif(le);
        let stripped = assert_free_text_removed("TIFF", &t, MetadataSource::Exif);
        assert_eq!(stripped.len(), t.len());

        let w = webp(&exif(le));
        let stripped = assert_free_text_removed("WebP", &w, MetadataSource::Exif);
        assert_webp_bitstream_kept(&w, &stripped);

        let (h, picture) = heic(&exif(le));
        let stripped = assert_free_text_removed("HEIC", &h, MetadataSource::Exif);
        assert_heic_picture_kept(&h, &stripped, picture);
    }
}

#[test]
fn free_text_everywhere_in_one_jpeg() {
    let exif = tiff(false, &[(0x010E, V::Ascii(PUPIL))], &[], &london_gps());
    let xmp = xmp_with("", &format!("<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{PUPIL}</rdf:li></rdf:Alt></dc:description>"));
    let j = with_segments(
        &jpeg(2, 2, 75),
        &[
            app1_exif(&exif),
            app1_xmp(&xmp),
            app13(&[(120, PUPIL)]),
            segment(0xFE, PUPIL.as_bytes()),
        ],
    );
    let info = inspect(&j).unwrap();
    assert_eq!(
        info.identifying,
        vec![safeguard_engine::images::metadata::Identifying {
            field: IdentifyingField::DescriptiveText,
            sources: vec![
                MetadataSource::Exif,
                MetadataSource::Xmp,
                MetadataSource::Iptc,
                MetadataSource::JpegComment,
            ],
        }]
    );
    let json = serde_json::to_value(&info).unwrap();
    assert_eq!(json["identifying"][0]["field"], "descriptive_text");
    assert_eq!(json["identifying"][0]["sources"][3], "jpeg_comment");
    let stripped = strip_identifying_checked(&j);
    assert!(!has_pupil(&stripped));
    assert_eq!(jpeg_scan(&stripped), jpeg_scan(&j));
    // strip_location takes the GPS and leaves every caption.
    let location_only = strip_checked(&j);
    assert_eq!(
        fields(&inspect(&location_only).unwrap()),
        vec![IdentifyingField::DescriptiveText]
    );
    assert_eq!(
        pupil_needles()
            .iter()
            .map(|n| location_only.windows(n.len()).filter(|w| w == n).count())
            .sum::<usize>(),
        pupil_needles()
            .iter()
            .map(|n| j.windows(n.len()).filter(|w| w == n).count())
            .sum::<usize>(),
        "every copy of the name kept by strip_location"
    );
}

// ---------------------------------------------------------------------------
// Errors and limits

#[test]
fn unknown_formats_are_unsupported() {
    for bytes in [
        &b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"[..],
        b"BM\x00\x00",
        b"hello, world",
        b"II+\0\x08\0\0\0",
        b"RIFF\x04\0\0\0AVI ",
    ] {
        assert_eq!(
            code(inspect(bytes).unwrap_err()),
            "unsupported_image",
            "{bytes:?}"
        );
        assert_eq!(
            code(strip_location(bytes).unwrap_err()),
            "unsupported_image"
        );
        assert_eq!(
            code(strip_identifying(bytes).unwrap_err()),
            "unsupported_image"
        );
    }
}

#[test]
fn truncated_or_empty_input_is_invalid() {
    assert_eq!(code(inspect(b"").unwrap_err()), "invalid_image");
    assert_eq!(code(strip_identifying(b"").unwrap_err()), "invalid_image");
    let j = full_jpeg(true);
    for cut in [1, 2, 3, 10, 40, j.len() / 2, j.len() - 1] {
        assert_eq!(
            code(inspect(&j[..cut]).unwrap_err()),
            "invalid_image",
            "cut at {cut}"
        );
        assert_eq!(
            code(strip_location(&j[..cut]).unwrap_err()),
            "invalid_image"
        );
        assert_eq!(
            code(strip_identifying(&j[..cut]).unwrap_err()),
            "invalid_image"
        );
    }
    let p = png(&[]);
    for cut in [4, 8, 20, p.len() - 1] {
        assert_eq!(
            code(inspect(&p[..cut]).unwrap_err()),
            "invalid_image",
            "cut at {cut}"
        );
    }
}

#[test]
fn over_the_limit_is_too_large() {
    let j = full_jpeg(true);
    let e = inspect_with_limit(&j, j.len() - 1).unwrap_err();
    assert_eq!(code(e), "too_large");
    let e = strip_location_with_limit(&j, 100).unwrap_err();
    assert_eq!(code(e), "too_large");
    let e = strip_identifying_with_limit(&j, 100).unwrap_err();
    assert_eq!(code(e), "too_large");
    assert!(inspect_with_limit(&j, j.len()).is_ok());
    assert_eq!(DEFAULT_MAX_IMAGE_BYTES, 50 << 20);
    let big = vec![0u8; DEFAULT_MAX_IMAGE_BYTES + 1];
    assert_eq!(code(inspect(&big).unwrap_err()), "too_large");
    assert_eq!(code(strip_location(&big).unwrap_err()), "too_large");
    assert_eq!(code(strip_identifying(&big).unwrap_err()), "too_large");
}

#[test]
fn hostile_exif_loops_and_huge_counts_do_not_hang() {
    // IFD0 whose next-IFD offset points at itself, a GPS pointer past the
    // end, and an Artist with a count of 4 G.
    let mut t = b"II*\0\x08\0\0\0".to_vec();
    t.extend_from_slice(&2u16.to_le_bytes());
    t.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 0, 0, 0xFF, 0xFF]);
    t.extend_from_slice(&[0x3B, 0x01, 2, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]);
    t.extend_from_slice(&8u32.to_le_bytes());
    let j = with_segments(&jpeg(1, 1, 51), &[app1_exif(&t)]);
    let info = inspect(&j).unwrap();
    assert!(
        info.has_location,
        "a GPS pointer that cannot be read is assumed to hold a location"
    );
    strip_checked(&j);
    // The identifying strip drops the Artist whose value cannot be read.
    let stripped = strip_identifying(&j).unwrap();
    let after = inspect(&stripped).unwrap();
    assert!(!after.has_location && after.identifying.is_empty());
    assert_eq!(strip_identifying(&stripped).unwrap(), stripped);
    assert_eq!(jpeg_scan(&stripped), jpeg_scan(&j));
}

#[test]
fn overlapping_gps_ifd_in_a_tiff_strips_idempotently() {
    // A GPS IFD count of 30 instead of 6: its bogus entries run over the GPS
    // values and IFD0, and zeroing them damages the XMP block. Stripping goes
    // round until nothing changes, so stripping again changes nothing.
    let (mut t, _) = tiff_file(false);
    assert_eq!(
        &t[72..74],
        &[0, 6],
        "the GPS IFD starts after the 64 pixel bytes"
    );
    t[73] = 30;
    strip_checked(&t);
}

#[test]
fn heif_item_pointing_into_the_boxes_is_invalid() {
    // The EXIF item's extent moved onto ftyp/meta: editing it would break the file.
    let (mut h, picture) = heic(&camera_exif(true));
    let offset = (picture.end as u32).to_be_bytes();
    let at = h.windows(4).position(|w| w == offset).unwrap();
    h[at..at + 4].copy_from_slice(&0u32.to_be_bytes());
    assert_eq!(code(inspect(&h).unwrap_err()), "invalid_image");
    assert_eq!(code(strip_location(&h).unwrap_err()), "invalid_image");
    assert_eq!(code(strip_identifying(&h).unwrap_err()), "invalid_image");
}

// ---------------------------------------------------------------------------
// Properties: never panic

fn fixtures() -> Vec<Vec<u8>> {
    vec![
        full_jpeg(true),
        full_jpeg(false),
        png(&[chunk(b"eXIf", &camera_exif(true)), itxt_xmp(XMP_LOCATION)]),
        tiff_file(false).0,
        webp(&camera_exif(true)),
        heic(&camera_exif(true)).0,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = inspect(&bytes);
        let _ = strip_location(&bytes);
        let _ = strip_identifying(&bytes);
    }

    #[test]
    fn arbitrary_bytes_after_a_signature_never_panic(
        sig in 0usize..6,
        bytes in proptest::collection::vec(any::<u8>(), 0..1024),
    ) {
        let prefix: &[u8] = [
            &[0xFF, 0xD8, 0xFF, 0xE1][..],
            &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A],
            b"II*\0",
            b"MM\0*",
            b"RIFF\xff\xff\0\0WEBP",
            b"\0\0\0\x18ftypheic\0\0\0\0mif1heic",
        ][sig];
        let mut input = prefix.to_vec();
        input.extend(bytes);
        let _ = inspect(&input);
        let _ = strip_location(&input);
        let _ = strip_identifying(&input);
    }

    #[test]
    fn mutated_fixtures_never_panic_and_strip_is_sound(
        which in 0usize..6,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = fixtures().swap_remove(which);
        for (at, b) in edits {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        let _ = inspect(&bytes);
        if let Ok(stripped) = strip_location(&bytes) {
            // Whatever strip accepts, it returns without location, and stably.
            if let Ok(info) = inspect(&stripped) {
                prop_assert!(!info.has_location, "location left: {:?}", info);
            }
            let again = strip_location(&stripped);
            prop_assert_eq!(again.as_ref().ok(), Some(&stripped));
        }
        if let Ok(stripped) = strip_identifying(&bytes) {
            // Whatever it accepts, it returns without location or
            // identifying metadata, and stably.
            if let Ok(info) = inspect(&stripped) {
                prop_assert!(!info.has_location, "location left: {:?}", info);
                prop_assert!(info.identifying.is_empty(), "identifying left: {:?}", info);
            }
            let again = strip_identifying(&stripped);
            prop_assert_eq!(again.as_ref().ok(), Some(&stripped));
        }
    }
}

/// EXIF's GPS tags written as PNG text (ImageMagick's `exif:GPSLatitude`,
/// plain, compressed, international, or under another keyword naming a
/// position) are location: inspect reports them, and either strip drops
/// those chunks and copies every other chunk byte for byte. Before, they
/// were read as free text that cannot hold location, and a location strip
/// said it found none and copied them on.
#[test]
fn gps_values_written_as_png_text_are_location() {
    let text = |keyword: &[u8], value: &[u8]| {
        let mut d = keyword.to_vec();
        d.push(0);
        d.extend_from_slice(value);
        chunk(b"tEXt", &d)
    };
    let caption = text(b"Comment", b"Sports day");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "exif:GPSLatitude",
            text(b"exif:GPSLatitude", b"51/1, 30/1, 1234/100"),
        ),
        (
            "exif:GPSLongitude",
            text(b"exif:GPSLongitude", b"0/1, 7/1, 3900/100"),
        ),
        (
            "compressed",
            ztxt(b"exif:GPSLatitude", &zlib_stored(b"51/1, 30/1, 1234/100")),
        ),
        ("international", {
            let mut d = b"exif:GPSLongitude\0\0\0\0\0".to_vec();
            d.extend_from_slice(b"0/1, 7/1, 3900/100");
            chunk(b"iTXt", &d)
        }),
        ("another keyword", text(b"Latitude", b"51.5034")),
    ];
    for (what, position) in &cases {
        let p = png(&[position.clone(), caption.clone()]);
        let info = inspect(&p).unwrap();
        assert!(info.has_location, "{what}: not reported as location");
        for (stripped, name) in [
            (strip_location(&p).unwrap(), "location strip"),
            (strip_identifying(&p).unwrap(), "identifying strip"),
        ] {
            assert!(!inspect(&stripped).unwrap().has_location, "{what}: {name}");
            let kept = png_chunks(&stripped);
            assert!(
                !kept
                    .iter()
                    .any(|(_, d)| d.windows(4).any(|w| w == b"GPSL" || w == b"Lati")),
                "{what}: {name} left the position"
            );
            assert_eq!(
                idat(&stripped),
                idat(&p),
                "{what}: {name} changed the pixels"
            );
            if name == "location strip" {
                let before = png_chunks(&p);
                let caption_kept = kept.iter().any(|c| before.contains(c) && &c.0 == b"tEXt");
                assert!(
                    caption_kept,
                    "{what}: the caption is not the location strip's to drop"
                );
                assert_eq!(
                    kept.len(),
                    before.len() - 1,
                    "{what}: only the position goes"
                );
            }
        }
    }
    // Blank text under such a keyword says nothing.
    let blank = png(&[text(b"exif:GPSLatitude", b"   ")]);
    assert!(!inspect(&blank).unwrap().has_location);
}
