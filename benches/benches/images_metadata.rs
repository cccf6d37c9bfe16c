//! Image metadata benchmarks (issue 4 item 3):
//! - `images_metadata/inspect_4mb`: `inspect` of a ~4 MB JPEG with EXIF GPS and XMP;
//! - `images_metadata/strip_location_4mb`: `strip_location` of the same file;
//! - `images_metadata/inspect_and_strip_4mb`: both (budget ≤ 5 ms).
//!
//! The JPEG is built here: a valid baseline greyscale JPEG of 1680×1664
//! pixels in which every DCT coefficient is coded, so its entropy-coded scan
//! is ~4 MB of real Huffman data with byte stuffing and restart markers (what
//! a phone photo's scan looks like to a metadata reader), preceded by an APP1
//! Exif segment with GPS and an APP1 XMP packet with a location.
//!
//! Run: `cargo bench -p safeguard-benches --bench images_metadata`.

use criterion::{criterion_group, criterion_main, Criterion};
use safeguard_engine::images::metadata::{inspect, strip_location};
use std::hint::black_box;

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// Little-endian EXIF: IFD0 (orientation, GPS pointer), GPS IFD (51°30'N 0°7'39"W).
fn exif() -> Vec<u8> {
    let mut t = b"Exif\0\0II*\0\x08\0\0\0".to_vec();
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        let mut e = tag.to_le_bytes().to_vec();
        e.extend_from_slice(&kind.to_le_bytes());
        e.extend_from_slice(&count.to_le_bytes());
        e.extend_from_slice(&value.to_le_bytes());
        e
    };
    // IFD0 at 8: 2 entries, ends at 8 + 2 + 24 + 4 = 38; GPS IFD at 38.
    t.extend_from_slice(&2u16.to_le_bytes());
    t.extend(entry(0x0112, 3, 1, 6));
    t.extend(entry(0x8825, 4, 1, 38));
    t.extend_from_slice(&0u32.to_le_bytes());
    // GPS IFD: 4 entries, ends at 38 + 2 + 48 + 4 = 92; rationals after.
    t.extend_from_slice(&4u16.to_le_bytes());
    t.extend(entry(1, 2, 2, u32::from(b'N')));
    t.extend(entry(2, 5, 3, 92));
    t.extend(entry(3, 2, 2, u32::from(b'W')));
    t.extend(entry(4, 5, 3, 116));
    t.extend_from_slice(&0u32.to_le_bytes());
    for (n, d) in [(51u32, 1u32), (30, 1), (0, 1), (0, 1), (7, 1), (39, 1)] {
        t.extend_from_slice(&n.to_le_bytes());
        t.extend_from_slice(&d.to_le_bytes());
    }
    segment(0xE1, &t)
}

const XMP: &str = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" exif:GPSLatitude="51,30.0N" exif:GPSLongitude="0,7.65W" photoshop:City="London"><dc:creator><rdf:Seq><rdf:li>A Photographer</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"#;

/// A valid baseline greyscale JPEG of `w`×`h` 8×8 blocks, every coefficient
/// coded from a fixed pseudo-random sequence, restart interval 64.
fn big_jpeg(w_blocks: u16, h_blocks: u16) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    out.extend(exif());
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend_from_slice(XMP.as_bytes());
    out.extend(segment(0xE1, &xmp));
    let mut dqt = vec![0x00];
    dqt.extend_from_slice(&[1u8; 64]);
    out.extend(segment(0xDB, &dqt));
    let mut sof = vec![8];
    sof.extend_from_slice(&(h_blocks * 8).to_be_bytes());
    sof.extend_from_slice(&(w_blocks * 8).to_be_bytes());
    sof.extend_from_slice(&[1, 1, 0x11, 0]);
    out.extend(segment(0xC0, &sof));
    let mut dht = vec![0x00, 1];
    dht.extend_from_slice(&[0u8; 15]);
    dht.push(8);
    dht.extend_from_slice(&[0x10, 0, 2]);
    dht.extend_from_slice(&[0u8; 14]);
    dht.extend_from_slice(&[0x00, 0x0A]);
    out.extend(segment(0xC4, &dht));
    out.extend(segment(0xDD, &64u16.to_be_bytes()));
    out.extend(segment(0xDA, &[1, 1, 0x00, 0, 63, 0]));

    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut rand = |n: u32| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state & ((1 << n) - 1)) as u32
    };
    let mut w = Bits { out, acc: 0, n: 0 };
    let blocks = u32::from(w_blocks) * u32::from(h_blocks);
    for i in 0..blocks {
        if i > 0 && i % 64 == 0 {
            w.pad();
            w.out
                .extend_from_slice(&[0xFF, 0xD0 + ((i / 64 - 1) % 8) as u8]);
        }
        w.put(rand(8), 9); // DC: code "0" then 8 magnitude bits
        for _ in 0..63 {
            w.put((0b01 << 10) | rand(10), 12); // AC: code "01" then 10 bits
        }
    }
    w.pad();
    w.out.extend_from_slice(&[0xFF, 0xD9]);
    w.out
}

/// Huffman bits with JPEG byte stuffing.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, len: u32) {
        self.acc = (self.acc << len) | u64::from(value);
        self.n += len;
        while self.n >= 8 {
            self.n -= 8;
            let b = (self.acc >> self.n) as u8;
            self.out.push(b);
            if b == 0xFF {
                self.out.push(0);
            }
        }
    }

    /// Pads to a byte boundary with 1-bits.
    fn pad(&mut self) {
        let pad = (8 - self.n % 8) % 8;
        self.put((1 << pad) - 1, pad);
    }
}

fn images_metadata(c: &mut Criterion) {
    let jpeg = big_jpeg(210, 208);
    assert!(jpeg.len() > 4_000_000, "{} bytes", jpeg.len());
    let info = inspect(&jpeg).unwrap();
    assert!(info.has_location);
    let stripped = strip_location(&jpeg).unwrap();
    assert!(!inspect(&stripped).unwrap().has_location);

    let mut group = c.benchmark_group("images_metadata");
    group.bench_function("inspect_4mb", |b| {
        b.iter(|| inspect(black_box(&jpeg)).unwrap())
    });
    group.bench_function("strip_location_4mb", |b| {
        b.iter(|| strip_location(black_box(&jpeg)).unwrap())
    });
    group.bench_function("inspect_and_strip_4mb", |b| {
        b.iter(|| {
            let info = inspect(black_box(&jpeg)).unwrap();
            (info, strip_location(black_box(&jpeg)).unwrap())
        })
    });
    group.finish();
}

criterion_group!(benches, images_metadata);
criterion_main!(benches);
