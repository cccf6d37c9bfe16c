// JPEG and EXIF helpers for the e2e test: build an EXIF APP1 segment with a
// GPS IFD byte by byte (as bindings/python/tests/test_safeguard.py builds its
// GPS_JPEG), splice it into a real JPEG, and read a JPEG's EXIF back to check
// that a stripped copy carries no GPS.

const TAG_ARTIST = 0x013b;
const TAG_GPS_IFD = 0x8825;
const TYPE_ASCII = 2;
const TYPE_LONG = 4;
const TYPE_RATIONAL = 5;

/** Degrees as the three EXIF rationals (degrees, minutes, seconds×100). */
function dms(value) {
  const v = Math.abs(value);
  const d = Math.floor(v);
  const m = Math.floor((v - d) * 60);
  const s = Math.round(((v - d) * 60 - m) * 60 * 100);
  return [
    [d, 1],
    [m, 1],
    [s, 100],
  ];
}

/**
 * An APP1 segment (marker included): "Exif\0\0", then a little-endian TIFF
 * with IFD0 = { Artist, GPS IFD pointer } and a GPS IFD holding
 * GPSVersionID, latitude and longitude with their N/S, E/W references.
 */
export function exifGpsApp1({ latitude, longitude, artist = 'A. Teacher' }) {
  // Layout (offsets from the TIFF header):
  //   0  header (8)
  //   8  IFD0: count(2) + 2 entries(24) + next(4) = 30        -> ends at 38
  //  38  artist string (padded to even length)
  //   g  GPS IFD: count(2) + 5 entries(60) + next(4) = 66
  //      then latitude rationals (24), longitude rationals (24)
  const artistBytes = new TextEncoder().encode(`${artist}\0`);
  const artistLen = artistBytes.length + (artistBytes.length % 2);
  const artistOff = 38;
  const gpsOff = artistOff + artistLen;
  const latOff = gpsOff + 66;
  const lonOff = latOff + 24;
  const size = lonOff + 24;
  const tiff = new Uint8Array(size);
  const dv = new DataView(tiff.buffer);
  const u16 = (o, v) => dv.setUint16(o, v, true);
  const u32 = (o, v) => dv.setUint32(o, v, true);
  // Header: "II", 42, offset of IFD0.
  tiff.set([0x49, 0x49], 0);
  u16(2, 42);
  u32(4, 8);
  // IFD0, entries sorted by tag.
  let o = 8;
  u16(o, 2);
  o += 2;
  const entry = (tag, type, count, value, inline = false) => {
    u16(o, tag);
    u16(o + 2, type);
    u32(o + 4, count);
    if (inline) tiff.set(value, o + 8);
    else u32(o + 8, value);
    o += 12;
  };
  entry(TAG_ARTIST, TYPE_ASCII, artistBytes.length, artistOff);
  entry(TAG_GPS_IFD, TYPE_LONG, 1, gpsOff);
  u32(o, 0); // no next IFD
  tiff.set(artistBytes, artistOff);
  // GPS IFD.
  o = gpsOff;
  u16(o, 5);
  o += 2;
  entry(0x0000, 1 /* BYTE */, 4, [2, 3, 0, 0], true); // GPSVersionID 2.3.0.0
  entry(0x0001, TYPE_ASCII, 2, [latitude < 0 ? 0x53 : 0x4e, 0, 0, 0], true); // 'S' / 'N'
  entry(0x0002, TYPE_RATIONAL, 3, latOff);
  entry(0x0003, TYPE_ASCII, 2, [longitude < 0 ? 0x57 : 0x45, 0, 0, 0], true); // 'W' / 'E'
  entry(0x0004, TYPE_RATIONAL, 3, lonOff);
  u32(o, 0);
  const rationals = (at, parts) =>
    parts.forEach(([num, den], i) => {
      u32(at + i * 8, num);
      u32(at + i * 8 + 4, den);
    });
  rationals(latOff, dms(latitude));
  rationals(lonOff, dms(longitude));

  const payload = new Uint8Array(6 + size);
  payload.set([0x45, 0x78, 0x69, 0x66, 0, 0], 0); // "Exif\0\0"
  payload.set(tiff, 6);
  const segment = new Uint8Array(4 + payload.length);
  segment.set([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff], 0);
  segment.set(payload, 4);
  return segment;
}

/** The marker segments before the scan: `{ marker, start, end }` (end exclusive), and where SOS starts. */
export function segments(jpeg) {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG (no SOI marker)');
  const out = [];
  let i = 2;
  while (i + 4 <= jpeg.length) {
    if (jpeg[i] !== 0xff) throw new Error(`no marker at byte ${i}`);
    const marker = jpeg[i + 1];
    if (marker === 0xda) return { segments: out, sos: i };
    const length = (jpeg[i + 2] << 8) | jpeg[i + 3];
    out.push({ marker, start: i, end: i + 2 + length });
    i += 2 + length;
  }
  throw new Error('no SOS marker: the JPEG has no scan');
}

/** The scan and what follows it (entropy-coded data and EOI), from the SOS marker. */
export function scanBytes(jpeg) {
  return jpeg.subarray(segments(jpeg).sos);
}

/** `jpeg` with `app1` inserted after SOI and any APP0 (JFIF) segment. */
export function withApp1(jpeg, app1) {
  const { segments: segs } = segments(jpeg);
  const at = segs.length > 0 && segs[0].marker === 0xe0 ? segs[0].end : 2;
  const out = new Uint8Array(jpeg.length + app1.length);
  out.set(jpeg.subarray(0, at), 0);
  out.set(app1, at);
  out.set(jpeg.subarray(at), at + app1.length);
  return out;
}

/**
 * Reads the EXIF of a JPEG: `{ found, ifd0Tags, gpsPointer, gpsTags }` where
 * `gpsPointer` is the GPS IFD offset named by tag 0x8825 in IFD0 (or null)
 * and `gpsTags` the tags of that IFD. Throws on a structure it cannot read.
 */
export function readExif(jpeg) {
  const seg = segments(jpeg).segments.find(
    (s) => s.marker === 0xe1 && String.fromCharCode(...jpeg.subarray(s.start + 4, s.start + 10)) === 'Exif\0\0',
  );
  if (!seg) return { found: false, ifd0Tags: [], gpsPointer: null, gpsTags: [] };
  const tiff = jpeg.subarray(seg.start + 10, seg.end);
  const dv = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const little = tiff[0] === 0x49;
  if (!little && tiff[0] !== 0x4d) throw new Error('EXIF: bad byte order');
  const u16 = (o) => dv.getUint16(o, little);
  const u32 = (o) => dv.getUint32(o, little);
  const ifd = (offset) => {
    const n = u16(offset);
    const entries = [];
    for (let k = 0; k < n; k++) {
      const e = offset + 2 + k * 12;
      entries.push({ tag: u16(e), type: u16(e + 2), count: u32(e + 4), value: u32(e + 8) });
    }
    return entries;
  };
  const ifd0 = ifd(u32(4));
  const gps = ifd0.find((e) => e.tag === TAG_GPS_IFD);
  return {
    found: true,
    ifd0Tags: ifd0.map((e) => e.tag),
    gpsPointer: gps ? gps.value : null,
    gpsTags: gps ? ifd(gps.value).map((e) => e.tag) : [],
    tiff,
  };
}

export const GPS_IFD_TAG = TAG_GPS_IFD;
