// Image metadata from Node: inspectImage, stripLocation and stripIdentifying on a JPEG with
// GPS built here, and coded errors (never a crash) for anything else.
import assert from "node:assert/strict";
import { test } from "node:test";
import { GPS_JPEG_SCAN_BYTES, gpsJpeg } from "./fixtures.mjs";
import { loadNode, thrown } from "./helpers.mjs";

const sg = await loadNode();
const GPS_JPEG = gpsJpeg();

test("the GPS JPEG is the C and Python tests' file", () => {
  assert.equal(GPS_JPEG.length, 107);
  assert.deepEqual([...GPS_JPEG.subarray(0, 4)], [0xff, 0xd8, 0xff, 0xe1]);
});

test("inspectImage finds the GPS block", () => {
  const info = sg.inspectImage(GPS_JPEG);
  assert.equal(info.format, "jpeg");
  assert.equal(info.has_location, true);
  assert.ok(info.location_fields.includes("exif_gps"));
  // Latitude only, no longitude: present, but no position to report.
  assert.equal(info.location, null);
  assert.deepEqual(info.identifying, []);
  // A Node Buffer and an ArrayBuffer work too.
  assert.deepEqual(sg.inspectImage(Buffer.from(GPS_JPEG)), info);
  assert.deepEqual(sg.inspectImage(GPS_JPEG.slice().buffer), info);
});

test("stripLocation removes the GPS and keeps the scan bytes", () => {
  const stripped = sg.stripLocation(GPS_JPEG);
  assert.ok(stripped instanceof Uint8Array);
  const info = sg.inspectImage(stripped);
  assert.equal(info.has_location, false);
  assert.deepEqual(info.location_fields, []);
  // Size-preserving, and the scan (pixel data) is byte-identical.
  assert.equal(stripped.length, GPS_JPEG.length);
  assert.deepEqual(stripped.subarray(-GPS_JPEG_SCAN_BYTES), GPS_JPEG.subarray(-GPS_JPEG_SCAN_BYTES));
  // The input is untouched; stripping again changes nothing.
  assert.equal(sg.inspectImage(GPS_JPEG).has_location, true);
  assert.deepEqual(sg.stripLocation(stripped), stripped);
});

test("stripIdentifying removes the GPS too and keeps the scan bytes", () => {
  const stripped = sg.stripIdentifying(GPS_JPEG);
  assert.ok(stripped instanceof Uint8Array);
  const info = sg.inspectImage(stripped);
  assert.equal(info.has_location, false);
  assert.deepEqual(info.identifying, []);
  assert.equal(stripped.length, GPS_JPEG.length);
  assert.deepEqual(stripped.subarray(-GPS_JPEG_SCAN_BYTES), GPS_JPEG.subarray(-GPS_JPEG_SCAN_BYTES));
  assert.deepEqual(sg.stripIdentifying(stripped), stripped);
  // This file names nobody: both strips give the same copy.
  assert.deepEqual(stripped, sg.stripLocation(GPS_JPEG));
});

test("inspectImage flags metadata it cannot read, and only then", () => {
  assert.equal("unreadable_metadata" in sg.inspectImage(GPS_JPEG), false, "left out when false");
  // An XMP segment that is not XML, after SOI: it might hide a location.
  const xmp = new TextEncoder().encode("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:RDF>London");
  const app1 = [0xff, 0xe1, (xmp.length + 2) >> 8, (xmp.length + 2) & 0xff, ...xmp];
  const file = new Uint8Array([...GPS_JPEG.subarray(0, 2), ...app1, ...GPS_JPEG.subarray(2)]);
  const info = sg.inspectImage(file);
  assert.equal(info.unreadable_metadata, true);
  assert.equal(info.has_location, true);
  // The location strip removes it whole, with the GPS.
  const stripped = sg.stripLocation(file);
  assert.equal("unreadable_metadata" in sg.inspectImage(stripped), false);
  assert.equal(Buffer.from(stripped).includes("London"), false);
  assert.deepEqual(stripped.subarray(-GPS_JPEG_SCAN_BYTES), GPS_JPEG.subarray(-GPS_JPEG_SCAN_BYTES));
});

test("truncated, unknown and garbage bytes give coded errors", () => {
  const truncated = thrown(() => sg.inspectImage(GPS_JPEG.subarray(0, 7)));
  assert.equal(truncated.name, "SafeguardError");
  assert.equal(truncated.code, "invalid_image");
  assert.equal(truncated.path, null);
  assert.equal(JSON.parse(truncated.json).error.code, "invalid_image");
  const gif = new TextEncoder().encode("GIF89a\x01\x00\x01\x00\x00\x00\x00");
  for (const f of [sg.inspectImage, sg.stripLocation, sg.stripIdentifying]) {
    assert.equal(thrown(() => f(gif)).code, "unsupported_image");
    assert.equal(thrown(() => f(new Uint8Array())).name, "SafeguardError");
  }
  // Random bytes, and random bytes after a JPEG or PNG signature: an
  // answer or a coded error, and the module keeps working.
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff;
  const heads = [[], [0xff, 0xd8, 0xff, 0xe1], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0x49, 0x49, 0x2a, 0]];
  for (let n = 0; n < 400; n++) {
    const head = heads[n % heads.length];
    const bytes = Uint8Array.from([...head, ...Array.from({ length: n * 7 }, random)]);
    for (const f of [sg.inspectImage, sg.stripLocation, sg.stripIdentifying]) {
      try {
        f(bytes);
      } catch (e) {
        assert.equal(e.name, "SafeguardError", `${e}`);
        assert.ok(["invalid_image", "unsupported_image"].includes(e.code), e.code);
      }
    }
  }
  // The GPS JPEG with each byte flipped in turn.
  for (let i = 0; i < GPS_JPEG.length; i++) {
    const bytes = GPS_JPEG.slice();
    bytes[i] ^= 0xff;
    for (const f of [sg.inspectImage, sg.stripLocation, sg.stripIdentifying]) {
      try {
        f(bytes);
      } catch (e) {
        assert.equal(e.name, "SafeguardError", `${e}`);
      }
    }
  }
  assert.equal(sg.inspectImage(GPS_JPEG).has_location, true);
});

test("too large and wrong types", () => {
  const big = new Uint8Array((50 << 20) + 1);
  big.set(GPS_JPEG);
  const e = thrown(() => sg.inspectImage(big));
  assert.equal(e.code, "too_large");
  assert.equal(e.message, `input too large at the input: the image is ${big.length} bytes, over the limit of ${50 << 20} bytes`);
  for (const bad of ["not bytes", 42, null, undefined, [0xff, 0xd8]]) {
    const t = thrown(() => sg.inspectImage(bad));
    assert.equal(t.code, "invalid_argument");
    assert.equal(t.name, "SafeguardError");
  }
});
