// Shared test data for the Node tests and the browser (e2e) tests: no
// Node-only imports here, so a web page can import it too.

/**
 * A 107-byte JPEG whose EXIF GPS IFD holds a latitude (51.5 N): the same
 * file as GPS_JPEG in bindings/c/tests/test_safeguard.c and
 * bindings/python/tests/test_safeguard.py. Its last 11 bytes are the scan
 * (pixel data) and the end-of-image marker.
 */
export function gpsJpeg() {
  const rows = [
    "ff d8 ff e1 00 58 45 78 69 66 00 00 49 49 2a 00",
    "08 00 00 00 01 00 25 88 04 00 01 00 00 00 1a 00",
    "00 00 00 00 00 00 02 00 01 00 02 00 02 00 00 00",
    "4e 00 00 00 02 00 05 00 03 00 00 00 38 00 00 00",
    "00 00 00 00 33 00 00 00 01 00 00 00 1e 00 00 00",
    "01 00 00 00 00 00 00 00 01 00 00 00 ff da 00 08",
    "01 01 00 00 3f 00 12 34 56 ff d9",
  ];
  const hex = rows.join(" ").split(" ");
  return Uint8Array.from(hex, (h) => parseInt(h, 16));
}

/** How many bytes at the end of gpsJpeg() are the scan and EOI marker. */
export const GPS_JPEG_SCAN_BYTES = 11;

/** A devices request under hilldene-primary (the one benches/ use). */
export const DEVICES_REQUEST = {
  schema_version: 1,
  domain: "devices",
  policy: "hilldene-primary",
  actor: { role: "pupil", year_group: 6 },
  device: { kind: "mobile_phone", owner: "personal" },
  action: "bring_on_site",
  context: {
    location: "reception",
    period: "before_school",
    children_present: true,
    exception: "none",
  },
};

/** A sexting request with no policy named (any engine decides it). */
export const SEXTING_REQUEST = {
  domain: "sexting",
  incident_date: "2025-01-20",
  young_people: [{ id: "a", age: 15, role: "subject" }],
  facts: { adult_involved: "no", coercion_blackmail_or_grooming: "yes" },
};

/** An escalation request with no policy named. */
export const ESCALATION_REQUEST = {
  domain: "escalation",
  category: "sexting",
  concern_about: "pupil",
  reported_at: "2026-01-05T10:00",
};

/** A school policy of its own, extending the baseline. */
export const OWN_POLICY = `[policy]
id = "js-test"
name = "JS test school"
version = "1"
source = "test"
extends = "baseline"
`;

/** The same policy with a floor rule removed (a floor_violation). */
export const WEAKENED_POLICY = `${OWN_POLICY}
[escalation]
remove = ["escalation.floor.immediate_danger"]
`;
