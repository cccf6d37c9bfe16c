#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from the project's own test
inputs, so that no corpus is committed: `fuzz/seeds.py OUT_DIR` fills
OUT_DIR/<target>/ (adding to what is there; files are named by the SHA-1 of
their bytes, as libFuzzer names its own).

- request_json, c_abi: every scenario request (tests/scenarios/**), the
  examples, the malformed requests and JSONL of tests/malformed/ (the C ABI
  target also gets the invalid UTF-8 ones), in mode 0 (the whole request),
  and each template of fuzz/templates.json filled with the value every
  scenario of its domain has at the template's hole (see
  fuzz/fuzz_targets/common/mod.rs for the input format);
- policy: the presets (core/presets/*.toml), the same as JSON, a small
  policy extending the baseline, the malformed policies;
- image: the malformed image files, and a JPEG, PNG, TIFF, WebP and HEIC
  carrying GPS, XMP and IPTC location, built here as the fixtures of
  tests/tests/image_metadata.rs are built.

Generated malformed cases (.gen: 10,000-deep nesting, 2 MiB strings, ...)
are left out: they are far past the fuzzers' input length.
"""

import hashlib
import json
import struct
import sys
import tomllib
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write(out: Path, target: str, data: bytes) -> None:
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def compact(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def pointer(value, ptr: str):
    """The value at a JSON pointer, or None."""
    for part in ptr.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def malformed_cases():
    manifest = json.loads((ROOT / "tests/malformed/manifest.json").read_text())
    for case in manifest["cases"]:
        path = ROOT / "tests/malformed" / case["file"]
        if path.suffix != ".gen":
            yield case, path.read_bytes()


def request_seeds(out: Path) -> None:
    templates = json.loads((ROOT / "fuzz/templates.json").read_text())
    items = templates["templates"]
    modes = len(items) + 1
    schools = len(list((ROOT / "core/presets").glob("*.toml"))) - 1
    n = 0

    def seed(mode: int, body: bytes) -> None:
        nonlocal n
        # The high part of byte 0 picks the school preset: spread the seeds.
        first = modes * (n % schools) + mode
        n += 1
        # Invalid UTF-8 goes to the C ABI only (Rust text cannot hold it).
        write(out, "c_abi", bytes([first]) + body)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return
        write(out, "request_json", bytes([first]) + body)

    requests = []
    for path in sorted((ROOT / "tests/scenarios").glob("*/*.json")):
        requests.append(json.loads(path.read_text())["request"])
    for path in sorted((ROOT / "examples").glob("*.json")):
        requests.append(json.loads(path.read_text()))
    for r in requests:
        seed(0, compact(r))
    for case, data in malformed_cases():
        if case["entry"] in ("request", "request_jsonl"):
            seed(0, data)
    bases = dict(templates["bases"])
    for i, t in enumerate(items):
        base = t["base"]
        domain = bases[base]["domain"]
        values = [pointer(bases[base], t["hole"])]
        for r in requests:
            if r.get("domain") != domain or (base == "gallery") != ("roster" in r):
                continue
            values.append(pointer(r, t["hole"]))
        seen = set()
        for v in values:
            if v is None:
                continue
            body = compact(v)
            if body not in seen:
                seen.add(body)
                seed(i + 1, body)


def policy_seeds(out: Path) -> None:
    for path in sorted((ROOT / "core/presets").glob("*.toml")):
        text = path.read_bytes()
        write(out, "policy", text)
        doc = tomllib.loads(text.decode())
        write(out, "policy", json.dumps(doc, default=str, ensure_ascii=False).encode())
    small = (
        '[policy]\nid = "fuzz-school"\nname = "Fuzz School"\nversion = "1"\n'
        'source = "a fuzz seed"\nextends = "baseline"\n'
    )
    write(out, "policy", small.encode())
    write(out, "policy", json.dumps(tomllib.loads(small)).encode())
    for case, data in malformed_cases():
        if case["entry"] in ("policy_toml", "policy_json"):
            write(out, "policy", data)


# --- images, as tests/tests/image_metadata.rs builds them ---------------------


def segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg() -> bytes:
    """A tiny baseline greyscale JPEG (8x8, one block, DC and EOB only)."""
    out = b"\xff\xd8"
    out += segment(0xDB, b"\x00" + b"\x01" * 64)
    out += segment(0xC0, b"\x08" + struct.pack(">HH", 8, 8) + b"\x01\x01\x11\x00")
    dht = b"\x00" + b"\x01" + b"\x00" * 15 + b"\x00"  # DC: one code, category 0
    dht += b"\x10" + b"\x01" + b"\x00" * 15 + b"\x00"  # AC: one code, EOB
    out += segment(0xC4, dht)
    out += segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    out += b"\x3f\xff\x00\xff\xd9"
    return out


def ifd(le: bool, entries, base: int) -> bytes:
    """An IFD at offset `base` with its values after it."""
    e = "<" if le else ">"
    entries = sorted(entries)
    data_at = base + 2 + 12 * len(entries) + 4
    head, data = struct.pack(e + "H", len(entries)), b""
    for tag, kind, count, value in entries:
        head += struct.pack(e + "HHI", tag, kind, count)
        if len(value) <= 4:
            head += value.ljust(4, b"\x00")
        else:
            head += struct.pack(e + "I", data_at + len(data))
            data += value + (b"\x00" if len(value) % 2 else b"")
    return head + struct.pack(e + "I", 0) + data


def gps_entries(le: bool):
    e = "<" if le else ">"
    rat = lambda *r: b"".join(struct.pack(e + "II", n, d) for n, d in r)  # noqa: E731
    return [
        (0, 1, 4, b"\x02\x03\x00\x00"),
        (1, 2, 2, b"N\x00"),
        (2, 5, 3, rat((51, 1), (30, 1), (0, 1))),
        (3, 2, 2, b"W\x00"),
        (4, 5, 3, rat((0, 1), (7, 1), (3900, 100))),
        (6, 5, 1, rat((35, 1))),
    ]


def exif_tiff(le: bool) -> bytes:
    """TIFF header, GPS IFD, IFD0 (orientation, artist, pointer to GPS)."""
    e = "<" if le else ">"
    buf = (b"II*\x00" if le else b"MM\x00*") + b"\x00" * 4
    gps_at = len(buf)
    buf += ifd(le, gps_entries(le), gps_at)
    ifd0_at = len(buf)
    buf += ifd(
        le,
        [
            (0x0112, 3, 1, struct.pack(e + "H", 6)),
            (0x013B, 2, 13, b"Jane Teacher\x00"),
            (0x8825, 4, 1, struct.pack(e + "I", gps_at)),
        ],
        ifd0_at,
    )
    return buf[:4] + struct.pack(e + "I", ifd0_at) + buf[8:]


XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" exif:GPSLatitude="51,30.0N" '
    'exif:GPSLongitude="0,7.65W" photoshop:City="London"/></rdf:RDF></x:xmpmeta>'
).encode()


def iptc() -> bytes:
    iim = b""
    for ds, value in [(90, b"London"), (101, b"United Kingdom"), (80, b"Jane Teacher")]:
        iim += bytes([0x1C, 2, ds]) + struct.pack(">H", len(value)) + value
    p = b"Photoshop 3.0\x008BIM" + struct.pack(">H", 0x0404) + b"\x00\x00"
    p += struct.pack(">I", len(iim)) + iim + (b"\x00" if len(iim) % 2 else b"")
    return segment(0xED, p)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(extra: bytes) -> bytes:
    raw = b"".join(b"\x00" + bytes(x * 16 + y for x in range(8)) for y in range(8))
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">II", 8, 8) + b"\x08\x00\x00\x00\x00")
        + extra
        + png_chunk(b"IDAT", zlib.compress(raw))
        + png_chunk(b"IEND", b"")
    )


def riff_chunk(fourcc: bytes, data: bytes) -> bytes:
    return fourcc + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) % 2 else b"")


def webp(exif: bytes) -> bytes:
    body = b"WEBP" + riff_chunk(b"VP8X", b"\x08\x00\x00\x00\x07\x00\x00\x07\x00\x00")
    body += riff_chunk(b"VP8L", b"\x2f\x07\xc0\x01\x10\x8d\x2a")
    body += riff_chunk(b"EXIF", exif) + riff_chunk(b"XMP ", XMP)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def bmff(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload) + 8) + kind + payload


def heic(exif: bytes) -> bytes:
    ftyp = bmff(b"ftyp", b"heic\x00\x00\x00\x00mif1heic")
    hdlr = bmff(b"hdlr", b"\x00" * 8 + b"pict" + b"\x00" * 13)

    def infe(item: int, kind: bytes) -> bytes:
        return bmff(b"infe", b"\x02\x00\x00\x00" + struct.pack(">H", item) + b"\x00\x00" + kind + b"\x00")

    iinf = bmff(b"iinf", b"\x00\x00\x00\x00\x00\x02" + infe(1, b"hvc1") + infe(2, b"Exif"))
    picture = b"\xab" * 40
    item = b"\x00\x00\x00\x06Exif\x00\x00" + exif
    iloc_len = 8 + 4 + 2 + 2 + 2 * (2 + 2 + 2 + 8)
    meta_len = 8 + 4 + len(hdlr) + len(iinf) + iloc_len
    mdat_data = len(ftyp) + meta_len + 8
    iloc = b"\x00\x00\x00\x00\x44\x00\x00\x02"
    for item_id, off, length in [(1, mdat_data, len(picture)), (2, mdat_data + len(picture), len(item))]:
        iloc += struct.pack(">H", item_id) + b"\x00\x00\x00\x01" + struct.pack(">II", off, length)
    meta = bmff(b"meta", b"\x00" * 4 + hdlr + iinf + bmff(b"iloc", iloc))
    return ftyp + meta + bmff(b"mdat", picture + item)


def tiff_file(le: bool) -> bytes:
    e = "<" if le else ">"
    pixels = bytes((i * 37) % 256 for i in range(64))
    buf = (b"II*\x00" if le else b"MM\x00*") + b"\x00" * 4 + pixels
    gps_at = len(buf)
    buf += ifd(le, gps_entries(le), gps_at)
    ifd0_at = len(buf)
    short = lambda v: struct.pack(e + "H", v)  # noqa: E731
    buf += ifd(
        le,
        [
            (256, 3, 1, short(8)),
            (257, 3, 1, short(8)),
            (258, 3, 1, short(8)),
            (259, 3, 1, short(1)),
            (262, 3, 1, short(1)),
            (273, 4, 1, struct.pack(e + "I", 8)),
            (277, 3, 1, short(1)),
            (278, 3, 1, short(8)),
            (279, 4, 1, struct.pack(e + "I", 64)),
            (0x02BC, 7, len(XMP), XMP),
            (0x8825, 4, 1, struct.pack(e + "I", gps_at)),
        ],
        ifd0_at,
    )
    return buf[:4] + struct.pack(e + "I", ifd0_at) + buf[8:]


def image_seeds(out: Path) -> None:
    for case, data in malformed_cases():
        if case["entry"] in ("image_inspect", "image_strip"):
            write(out, "image", data)
    base = jpeg()
    for le in (True, False):
        exif = exif_tiff(le)
        app1 = segment(0xE1, b"Exif\x00\x00" + exif)
        xmp = segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP)
        write(out, "image", base[:2] + app1 + xmp + iptc() + base[2:])
        write(out, "image", png(png_chunk(b"eXIf", exif)))
        write(out, "image", webp(exif))
        write(out, "image", heic(exif))
        write(out, "image", tiff_file(le))
    write(out, "image", base)
    itxt = png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + XMP)
    write(out, "image", png(itxt))


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: fuzz/seeds.py OUT_DIR")
    out = Path(sys.argv[1])
    request_seeds(out)
    policy_seeds(out)
    image_seeds(out)
    for d in sorted(p for p in out.iterdir() if p.is_dir()):
        print(f"{d.name}: {sum(1 for _ in d.iterdir())} files in the corpus")


if __name__ == "__main__":
    main()
