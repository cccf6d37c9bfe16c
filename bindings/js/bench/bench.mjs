// `npm run bench`: the WebAssembly engine from Node, in one run.
//
// - Against cedar-wasm (SPEC §9: WASM from JS ≥ 20x faster per call than
//   cedar-wasm with its policies pre-parsed, in one Node process): the rules
//   and requests of the Rust comparison with Cedar (benches/benches/cedar.rs),
//   loaded and mapped by cedar.mjs: the 256 devices requests and the 30-pupil
//   group photo (one safeguard call; 33 Cedar authorizations and their
//   combination). Both sides must give the same answers on every request
//   before anything is timed (the bench stops otherwise). Timed in
//   interleaved rounds, so that load on the machine falls on every side
//   alike: safeguard's `evaluateJson(text)` and `evaluate(object)` and
//   cedar-wasm's `statefulIsAuthorized`; medians, and the ratio
//   (cedar-wasm / safeguard) against the guard, which holds when every
//   ratio does (devices per request, the image per image, through both of
//   safeguard's entry points).
// - Per decision: the median over 25 batches of the time per call of
//   `evaluateJson(text)` and `evaluate(object)`, for the requests the Rust
//   benches use (benches/benches/{devices,sexting,images}.rs): a devices
//   request, a sexting request and an image with 30 pupils.
// - Native (for information; no budget): `cargo bench` of the same
//   requests' JSON path, read from criterion's estimates.json (median), and
//   the WASM / native ratio. SAFEGUARD_BENCH_NATIVE=0 skips it.
// - Instantiation (SPEC §9: ≤ 50 ms): the median over 15 fresh instances of
//   the browser build, from a compiled module (WebAssembly.instantiate +
//   wasm-bindgen's start) and from the bytes (compile + instantiate).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DEVICES_REQUEST } from "../tests/fixtures.mjs";
import { REPO, WEB_DIST, loadNode } from "../tests/helpers.mjs";
import { CEDAR_VERSION, checkAgreement, checkRequestsValidate, loadComparison } from "./cedar.mjs";

const BATCHES = 25;
const INSTANCES = 15;
/** Interleaved rounds of the comparison with cedar-wasm. */
const ROUNDS = 21;
/** The guard of SPEC §9: cedar-wasm / safeguard per call. */
const CEDAR_GUARD = 20;

// benches/benches/sexting.rs REQUEST.
const SEXTING = {
  schema_version: 1,
  domain: "sexting",
  policy: "squirrels-heath-junior",
  incident_date: "2024-03-14",
  young_people: [
    { id: "p1", date_of_birth: "2011-06-02", role: "subject" },
    { id: "p2", age: 13, role: "recipient" },
  ],
  facts: {
    adult_involved: "no",
    coercion_blackmail_or_grooming: "no",
    capacity_to_consent_concern: "no",
    content_atypical_for_development: "no",
    content_violent: "no",
    content_sexual_acts: "yes",
    immediate_risk_of_harm: "no",
  },
};

// benches/benches/images.rs: `single`, an image with 30 pupils.
const FIRST = ["Amy", "Raj", "Zoë", "Tom", "Leo", "Mia", "Noah", "Isla", "Omar", "Ava", "Ben", "Ella"];
const LAST = ["Smith", "Patel", "O'Neil", "Brown", "Khan", "Jones", "Smith-Jones", "Taylor", "Ali", "Evans"];
const pupil = (i) => ({
  id: `p${i}`,
  first_name: FIRST[i % FIRST.length],
  last_name: `${LAST[Math.floor(i / 7) % LAST.length]}${i >= 70 ? "x" : ""}`,
  on_roll: true,
  consent: {
    display: "yes",
    website: i % 9 === 4 ? "no" : "yes",
    prospectus: "yes",
    social_media: "no",
    press: "no",
  },
  restriction: "none",
});
const media = (i) => ({
  kind: "photo",
  composition: "group",
  caption: `Sports day: ${FIRST[i % FIRST.length]} ${LAST[i % LAST.length]} and friends`,
  filename: `IMG_${String(i).padStart(4, "0")}.jpg`,
  tags: ["sports day", "year 5"],
  has_geodata: i % 2 === 0,
  captured_on: "school_device",
  suitably_dressed: true,
});
const IMAGES = {
  schema_version: 1,
  domain: "images",
  policy: "hilldene-primary",
  channel: "website",
  media: media(0),
  pupils: Array.from({ length: 30 }, (_, i) => pupil(i)),
};

/** JSON with keys sorted, as serde_json's `json!` writes it (the Rust benches' text). */
function sortedJson(v) {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(",")}]`;
  if (v && typeof v === "object") {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

// The Rust devices and sexting benches use pretty-printed constants; the
// text's layout does not matter to the engine's answer, only a little to
// its parse time, so the compact form is used for both sides here.
const KINDS = [
  { name: "devices", request: DEVICES_REQUEST, bench: "devices", id: "devices/json" },
  { name: "sexting", request: SEXTING, bench: "sexting", id: "sexting/json" },
  { name: "images_30_pupils", request: IMAGES, bench: "images", id: "images/json_30_pupils" },
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Median time per call (ns) of f over BATCHES batches of ~20 ms. */
function perCall(f) {
  let n = 1;
  for (;;) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f();
    if (Number(process.hrtime.bigint() - t) > 20e6) break;
    n *= 2;
  }
  const times = [];
  for (let b = 0; b < BATCHES; b++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f();
    times.push(Number(process.hrtime.bigint() - t) / n);
  }
  return median(times);
}

/**
 * Median time per call (ns) of each of `sides` (functions making `per`
 * calls each), over ROUNDS rounds in which the sides take turns, each for
 * about 20 ms: load on the machine falls on every side alike.
 */
function interleaved(per, sides) {
  const reps = sides.map((f) => {
    const t = process.hrtime.bigint();
    f();
    const once = Math.max(1, Number(process.hrtime.bigint() - t));
    return Math.min(1e6, Math.max(1, Math.floor(20e6 / once)));
  });
  const times = sides.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    sides.forEach((f, i) => {
      const t = process.hrtime.bigint();
      for (let r = 0; r < reps[i]; r++) f();
      times[i].push(Number(process.hrtime.bigint() - t) / reps[i] / per);
    });
  }
  return times.map(median);
}

/**
 * The comparison with cedar-wasm: checks that both sides agree on every
 * request, then times them; true when the guard holds.
 */
function againstCedar(sg) {
  const comparison = loadComparison(sg);
  const engine = sg.Engine.fromPreset(comparison.fixture.images_30.policy);
  const agreed = checkAgreement(engine, comparison);
  checkRequestsValidate(comparison);
  const { devices, images } = comparison;
  const d = agreed.devices;
  console.log(
    `against cedar-wasm ${CEDAR_VERSION} (policies pre-parsed: preparsePolicySet, statefulIsAuthorized), ` +
      `medians of ${ROUNDS} interleaved rounds (load average ${loadavg().map((l) => l.toFixed(2)).join(" ")})`,
  );
  console.log(
    `  the same answers on all ${devices.length} devices requests (allow ${d.allow}, ` +
      `with conditions ${d.allowWithConditions}, deny ${d.deny}) and the 30-pupil image (${agreed.image.outcome})`,
  );
  const [json, object, theirs] = interleaved(devices.length, [
    () => devices.forEach((r) => engine.evaluateJson(r.text)),
    () => devices.forEach((r) => engine.evaluate(r.object)),
    () => devices.forEach((r) => comparison.cedarDevices(r)),
  ]);
  const [imageJson, imageObject, imageTheirs] = interleaved(1, [
    () => engine.evaluateJson(images.text),
    () => engine.evaluate(images.object),
    () => comparison.cedarImage(),
  ]);
  engine.free();
  let holds = true;
  const row = (name, unit, ours, label, cedarNs) => {
    const ratio = cedarNs / ours;
    if (ratio < CEDAR_GUARD) holds = false;
    const mark = ratio < CEDAR_GUARD ? ` (BELOW ${CEDAR_GUARD}x)` : "";
    console.log(
      `  ${name}: safeguard ${label} ${fmt(ours)} / ${unit}, cedar-wasm ${fmt(cedarNs)}: ${ratio.toFixed(1)}x${mark}`,
    );
  };
  row("devices", "request", json, "evaluateJson", theirs);
  row("devices", "request", object, "evaluate(object)", theirs);
  row("images, 30 pupils", "image", imageJson, "evaluateJson", imageTheirs);
  row("images, 30 pupils", "image", imageObject, "evaluate(object)", imageTheirs);
  console.log(
    holds
      ? `  within the guard (cedar-wasm / safeguard ≥ ${CEDAR_GUARD}x, both entry points)`
      : `  BELOW THE GUARD (cedar-wasm / safeguard ≥ ${CEDAR_GUARD}x, both entry points)`,
  );
  return holds;
}

/**
 * The native JSON path's median (ns) from criterion, after running it; if
 * the run fails (the benches do not build), an earlier run's estimate,
 * marked as such.
 */
function native(kind) {
  const dirs = [kind.id.replace("/", "_"), kind.id];
  let fresh = true;
  try {
    execFileSync(
      "cargo",
      ["bench", "--locked", "-q", "-p", "safeguard-benches", "--bench", kind.bench, "--", `^${kind.id}$`, "--noplot"],
      { cwd: REPO, stdio: ["ignore", "ignore", "ignore"] },
    );
  } catch {
    fresh = false;
  }
  for (const d of dirs) {
    const f = join(REPO, "target", "criterion", d, "new", "estimates.json");
    if (existsSync(f)) return { ns: JSON.parse(readFileSync(f, "utf8")).median.point_estimate, fresh };
  }
  return { ns: NaN, fresh };
}

async function instantiation() {
  const bytes = readFileSync(join(WEB_DIST, "safeguard_wasm_bg.wasm"));
  const module = await WebAssembly.compile(bytes);
  // The glue itself, not index.js: a query string gives a fresh copy.
  const entry = pathToFileURL(join(WEB_DIST, "safeguard_wasm.js"));
  const fromModule = [];
  const fromBytes = [];
  const firstPreset = [];
  for (let i = 0; i < INSTANCES; i++) {
    // A fresh copy of the glue each time: a new instance, a new memory.
    let web = await import(`${entry}?m${i}`);
    let t = performance.now();
    await web.default({ module_or_path: module });
    fromModule.push(performance.now() - t);
    t = performance.now();
    web.Engine.fromPreset("hilldene-primary").free();
    firstPreset.push(performance.now() - t);
    web = await import(`${entry}?b${i}`);
    t = performance.now();
    await web.default({ module_or_path: bytes });
    fromBytes.push(performance.now() - t);
  }
  return { fromModule: median(fromModule), fromBytes: median(fromBytes), firstPreset: median(firstPreset) };
}

const sg = await loadNode();
const runNative = process.env.SAFEGUARD_BENCH_NATIVE !== "0";
const fmt = (ns) => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);

console.log(`Node ${process.version}`);
const cedarHolds = againstCedar(sg);
console.log(`per decision, median of ${BATCHES} batches`);
const rows = [];
for (const kind of KINDS) {
  const engine = sg.Engine.fromPreset(kind.request.policy);
  const text = sortedJson(kind.request);
  const json = perCall(() => engine.evaluateJson(text));
  const object = perCall(() => engine.evaluate(kind.request));
  rows.push({ kind, json, object });
  engine.free();
}
for (const { kind, json, object } of rows) {
  console.log(`  ${kind.name}: wasm evaluateJson ${fmt(json)}, evaluate(object) ${fmt(object)}`);
}
if (runNative) {
  console.log("against the native JSON path (criterion median, cargo bench; for information, no budget):");
  for (const { kind, json, object } of rows) {
    const { ns, fresh } = native(kind);
    if (Number.isNaN(ns)) {
      console.log(`  ${kind.name}: no native estimate (cargo bench failed)`);
      continue;
    }
    const note = fresh ? "" : " (cargo bench failed: an earlier run's estimate)";
    console.log(
      `  ${kind.name}: native ${fmt(ns)}${note}; wasm evaluateJson ${(json / ns).toFixed(2)}x, ` +
        `evaluate(object) ${(object / ns).toFixed(2)}x`,
    );
  }
}

const inst = await instantiation();
console.log(`instantiate, median of ${INSTANCES} fresh instances (browser build):`);
console.log(`  from a compiled module (instantiate + init)  ${inst.fromModule.toFixed(2)} ms`);
console.log(`  from the bytes (compile + instantiate)       ${inst.fromBytes.toFixed(2)} ms`);
console.log(`  then the first Engine.fromPreset (parse)     ${inst.firstPreset.toFixed(2)} ms`);
const instantiateHolds = inst.fromModule <= 50;
console.log(
  cedarHolds && instantiateHolds
    ? `within the guard (cedar-wasm / safeguard ≥ ${CEDAR_GUARD}x, instantiate ≤ 50 ms)`
    : `OUTSIDE THE GUARD:${cedarHolds ? "" : ` cedar-wasm / safeguard < ${CEDAR_GUARD}x;`}` +
        `${instantiateHolds ? "" : " instantiate > 50 ms;"}`,
);
