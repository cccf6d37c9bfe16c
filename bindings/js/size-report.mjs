// Where the bytes of the shipped .wasm go, per part of the engine.
//
//   node size-report.mjs SHIPPED.wasm SYMBOLS.map CARGO_MESSAGES.json OUT_PREFIX
//
// SHIPPED is the file the package ships (dist/web/safeguard_wasm_bg.wasm).
// SYMBOLS is the function map wasm-opt wrote for that very file
// (`--symbolmap`, after its last pass: `index:name` a line, imports first);
// the shipped file carries no names, and keeping them (-g) would change
// what wasm-opt makes. CARGO_MESSAGES is the output of the cargo build
// with --message-format=json: it names the OUT_DIR where core/build.rs
// wrote the deflated presets (`*.json.deflate`) that the library embeds.
// The report is printed and written to OUT_PREFIX.txt and OUT_PREFIX.json
// (build artefacts, not committed; BENCHMARKS.md keeps the dated numbers).
//
// Method. Every byte of SHIPPED is counted once:
// - each function body (code section, with its size prefix) goes to the
//   part its name says: the path the name starts with
//   (`safeguard_engine::devices::lint::…`, or the self type of
//   `<T as Trait>::f`), and for std's generic code instantiated for one of
//   our types (`core::ptr::drop_in_place<safeguard_engine::…>`) the first of
//   our paths inside it; our paths go to the longest module path that
//   core/src and wasm/src have as files;
// - the data segments: the bytes of each preset blob, found in the memory
//   image, go to "presets"; the rest (strings, tables of every part) stays
//   "data, not attributed", which is then split, apart from the parts and
//   as a heuristic, by the module whose code refers to it;
// - section headers, types, imports, exports, tables: "wasm structure".
// The split is approximate: inlining moves code across modules (a helper
// inlined into its caller is counted with the caller), and generic code is
// counted with the first of our types its name shows, or with std.
// "gzip alone" is the part's bytes gzipped by themselves; the parts' gzip
// sizes do not add up to the file's.
//
// Why a parser here rather than twiggy or wasm-tools: the report needs the
// layout of the import, code and data sections and the constants in
// function bodies, under 100 lines of the standard library, while either
// tool is a cargo install of several minutes on top of the package's needs
// (today rustup, Node and npm), and both read names from a name section,
// which the shipped file does not have.

import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/// Which part a module path belongs to: the first rule whose pattern
/// matches. Update these when modules move (issue 22 moves analysis and
/// image code into modules of their own; both old and new paths match).
const PARTS = [
  ["presets", /^safeguard_engine::(policy::)?presets\b/],
  ["image metadata", /^safeguard_engine::(images::metadata|image)\b/],
  [
    "analysis (lint, diff, budget)",
    /^safeguard_engine::(devices::(lint|diff|budget)|analysis|lint|diff|budget)\b/,
  ],
  ["engine", /^safeguard_engine\b/],
  ["JS binding (safeguard-wasm, wasm-bindgen)", /^(safeguard_wasm|wasm_bindgen|js_sys)\b|^__wb/],
];
const ORDER = ["engine", "presets", "image metadata", "analysis (lint, diff, budget)",
  "JS binding (safeguard-wasm, wasm-bindgen)", "third-party crates", "std and other",
  "data, not attributed (strings, tables)", "wasm structure (types, imports, exports, headers)"];

const [shippedPath, symbolsPath, messagesPath, outPrefix] = process.argv.slice(2);
const repo = fileURLToPath(new URL("../..", import.meta.url));

// ---- reading a module: function imports, bodies, data segments ----
function leb(buf, pos) {
  let value = 0, shift = 0, byte;
  do { byte = buf[pos++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return [value, pos];
}
function readName(buf, pos) {
  const [len, p] = leb(buf, pos);
  return [buf.toString("utf8", p, p + len), p + len];
}
function skipConstExpr(buf, pos) {
  while (buf[pos] !== 0x0b) {
    const op = buf[pos++];
    if (op === 0x41 || op === 0x42 || op === 0x23) [, pos] = leb(buf, pos); // i32/i64.const, global.get
    else throw new Error(`constant expression opcode 0x${op.toString(16)}`);
  }
  return pos + 1;
}
function readModule(buf) {
  const m = { funcImports: 0, bodies: [], segments: [] };
  for (let pos = 8; pos < buf.length;) {
    const id = buf[pos];
    const [size, start] = leb(buf, pos + 1);
    let p = start;
    if (id === 2) { // imports: count the functions, which come first in the index space
      let count; [count, p] = leb(buf, p);
      for (let i = 0; i < count; i++) {
        [, p] = readName(buf, p); [, p] = readName(buf, p);
        const kind = buf[p++];
        if (kind === 0) { m.funcImports++; [, p] = leb(buf, p); }
        else if (kind === 1 || kind === 2) {
          if (kind === 1) p++;
          const flags = buf[p++]; [, p] = leb(buf, p); if (flags & 1) [, p] = leb(buf, p);
        } else if (kind === 3) p += 2;
        else if (kind === 4) { p++; [, p] = leb(buf, p); }
      }
    }
    if (id === 10) { // code: each body with its size prefix
      let count; [count, p] = leb(buf, p);
      for (let i = 0; i < count; i++) {
        const [len, q] = leb(buf, p);
        m.bodies.push({ start: p, end: q + len });
        p = q + len;
      }
    }
    if (id === 11) { // data: active segments at constant offsets
      let count; [count, p] = leb(buf, p);
      for (let i = 0; i < count; i++) {
        let flags, offset = null; [flags, p] = leb(buf, p);
        if (flags === 2) [, p] = leb(buf, p);
        if (flags !== 1) { if (buf[p] === 0x41) [offset] = leb(buf, p + 1); p = skipConstExpr(buf, p); }
        const [len, q] = leb(buf, p);
        m.segments.push({ offset, start: q, end: q + len });
        p = q + len;
      }
    }
    pos = start + size;
  }
  return m;
}

// block, loop, if, br, br_if, call, local.*, global.*, table.get/set,
// i64.const, ref.func: one LEB128 immediate each.
const ONE_IMMEDIATE = new Set([0x02, 0x03, 0x04, 0x0c, 0x0d, 0x10, 0x20, 0x21, 0x22, 0x23, 0x24,
  0x25, 0x26, 0x42, 0xd2]);
/// The constants in a function body (i32.const values, load and store
/// offsets) that fall in [lo, hi): the data addresses the code refers to.
function addressesIn(buf, { start, end }, lo, hi) {
  const found = [];
  const keep = (v) => { if (v >= lo && v < hi) found.push(v); };
  let [, p] = leb(buf, start), groups;
  [groups, p] = leb(buf, p);
  for (let i = 0; i < groups; i++) { [, p] = leb(buf, p); p++; } // locals
  const skip = (n) => { for (let i = 0; i < n; i++) [, p] = leb(buf, p); };
  while (p < end) {
    const op = buf[p++];
    if (op === 0x41) { let v; [v, p] = leb(buf, p); keep(v); }
    else if (op >= 0x28 && op <= 0x3e) { let v; [, p] = leb(buf, p); [v, p] = leb(buf, p); keep(v); }
    else if (ONE_IMMEDIATE.has(op)) skip(1);
    else if (op === 0x11) skip(2);
    else if (op === 0x0e) { let n; [n, p] = leb(buf, p); skip(n + 1); }
    else if (op === 0x1c) { let n; [n, p] = leb(buf, p); p += n; }
    else if (op === 0x3f || op === 0x40 || op === 0xd0) p++;
    else if (op === 0x43) p += 4;
    else if (op === 0x44) p += 8;
    else if (op === 0xfc) {
      let sub; [sub, p] = leb(buf, p);
      if (sub === 8) { skip(1); p++; } else if (sub === 10) p += 2; else if (sub === 11) p++;
      else if (sub === 12 || sub === 14) skip(2); else if (sub === 9 || sub >= 13) skip(1);
    } else if (op >= 0xfd) throw new Error(`size-report: opcode 0x${op.toString(16)} is not read`);
  }
  return found;
}

// ---- naming: which module and part a function belongs to ----
const STD = new Set(["core", "alloc", "std", "compiler_builtins", "dlmalloc", "panic_abort"]);
function modulesUnder(dir, prefix, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) modulesUnder(join(dir, entry.name), `${prefix}::${entry.name}`, out);
    else if (entry.name === "lib.rs" || entry.name === "mod.rs") out.push(prefix);
    else if (entry.name.endsWith(".rs")) out.push(`${prefix}::${entry.name.slice(0, -3)}`);
  }
  return out;
}
const OUR_MODULES = [
  ...modulesUnder(join(repo, "core/src"), "safeguard_engine", []),
  ...modulesUnder(join(repo, "wasm/src"), "safeguard_wasm", []),
].sort((a, b) => b.length - a.length);
const THIRD_PARTY = new Set(
  [...readFileSync(join(repo, "Cargo.lock"), "utf8").matchAll(/^name = "([^"]+)"$/gm)]
    .map(([, n]) => n.replaceAll("-", "_"))
    .filter((n) => !n.startsWith("safeguard_") && !STD.has(n)),
);
/// A name as the map has it (wasm-ld wrote demangled names), less what
/// says nothing of where the code comes from.
function plainName(n) {
  return n
    .replace(/^byn\$mgfn-shared\$/, "") // binaryen's merged copies keep the first one's name
    .replace(/::h[0-9a-f]{16}$/, "") // the symbol hash
    .replace(/\[[0-9a-f]{16}\]/g, ""); // std's crates: core[c5930c85a12de822]::
}
/// The path a function is counted under (see the method above).
function ownerPath(n) {
  const paths = plainName(n).match(/[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)+/g) ?? [];
  if (paths.length === 0) return /^<[a-z0-9]+>::/.test(n) ? "core" : n; // <char>::is_numeric
  if (STD.has(paths[0].split("::")[0])) return paths.find((p) => /^safeguard_/.test(p)) ?? paths[0];
  return paths[0];
}
const BINDING_SHIMS = / shim$|->|^__externref|^__wb/; // wasm-bindgen's generated functions
function classify(n) {
  const path = n === undefined ? "(unnamed)" : BINDING_SHIMS.test(n) ? "__wbindgen" : ownerPath(n);
  const crate = path.split("::")[0];
  const module = crate.startsWith("safeguard_")
    ? (OUR_MODULES.find((m) => path === m || path.startsWith(`${m}::`)) ?? crate)
    : crate;
  const rule = PARTS.find(([, pattern]) => pattern.test(module));
  const part = rule ? rule[0] : THIRD_PARTY.has(crate) ? "third-party crates" : "std and other";
  return { part, module };
}

// ---- attributing every byte of the shipped file ----
const shipped = readFileSync(shippedPath);
const ship = readModule(shipped);
const names = new Map(
  readFileSync(symbolsPath, "utf8").split("\n").filter(Boolean)
    .map((line) => [Number(line.slice(0, line.indexOf(":"))), line.slice(line.indexOf(":") + 1)]),
);
if (names.size !== ship.funcImports + ship.bodies.length) {
  const count = ship.funcImports + ship.bodies.length;
  console.error(`size-report: ${symbolsPath} names ${names.size} functions, ${shippedPath} has ${count}`);
  process.exit(1);
}

const STRUCTURE = ORDER.length - 1, DATA = ORDER.length - 2;
const partOf = new Uint8Array(shipped.length).fill(STRUCTURE);
const moduleBytes = new Map();
const bodyModule = ship.bodies.map((b, i) => {
  const { part, module } = classify(names.get(ship.funcImports + i));
  partOf.fill(ORDER.indexOf(part), b.start, b.end);
  moduleBytes.set(module, (moduleBytes.get(module) ?? 0) + b.end - b.start);
  return module;
});

// Data: the memory image of the active segments, where each preset's
// deflated bytes are looked for (wasm-opt may split a segment).
const active = ship.segments.filter((s) => s.offset !== null);
for (const s of ship.segments) partOf.fill(DATA, s.start, s.end);
const base = Math.min(...active.map((s) => s.offset));
const image = Buffer.alloc(Math.max(...active.map((s) => s.offset + s.end - s.start)) - base);
for (const s of active) shipped.copy(image, s.offset - base, s.start, s.end);
const presetsDir = readFileSync(messagesPath, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line))
  .find((m) => m.reason === "build-script-executed" && /(^|#)safeguard-engine[@ ]/.test(m.package_id))
  ?.out_dir;
const presetFiles = presetsDir
  ? readdirSync(presetsDir).filter((f) => f.endsWith(".json.deflate")).sort()
  : [];
const presetsFound = [];
for (const file of presetFiles) {
  const blob = readFileSync(join(presetsDir, file));
  const at = image.indexOf(blob);
  if (at < 0) continue;
  presetsFound.push(`${file} (${blob.length} bytes)`);
  for (const s of active) {
    const segment = s.offset - base; // where s starts in the image
    const from = Math.max(segment, at), to = Math.min(segment + s.end - s.start, at + blob.length);
    if (from < to) partOf.fill(ORDER.indexOf("presets"), s.start + from - segment, s.start + to - segment);
  }
}

// The rest of the data, by the part whose code refers to it (a heuristic,
// reported apart from the parts): each byte goes with the nearest address
// at or below it that a function body names; a table reached only through
// a pointer in other data goes with whatever precedes it.
const owners = ["no code refers to it", "several modules"]; // then modules
const refs = new Map();
ship.bodies.forEach((b, i) => {
  const module = bodyModule[i];
  for (const a of addressesIn(shipped, b, base, base + image.length)) {
    refs.set(a, refs.has(a) && refs.get(a) !== module ? owners[1] : module);
  }
});
const ownerAt = new Uint16Array(image.length); // indexes into owners; 0: none
const referenced = [...refs.keys()].sort((x, y) => x - y);
referenced.forEach((a, k) => {
  if (!owners.includes(refs.get(a))) owners.push(refs.get(a));
  ownerAt.fill(owners.indexOf(refs.get(a)), a - base, (referenced[k + 1] ?? base + image.length) - base);
});
const dataByModule = new Map();
for (const s of active) {
  for (let j = s.start; j < s.end; j++) {
    if (partOf[j] !== DATA) continue;
    const owner = owners[ownerAt[s.offset - base + j - s.start]];
    dataByModule.set(owner, (dataByModule.get(owner) ?? 0) + 1);
  }
}
const partOfModule = (m) => (owners.indexOf(m) < 2 ? m : classify(m).part);
const dataByPart = new Map();
for (const [m, n] of dataByModule) {
  dataByPart.set(partOfModule(m), (dataByPart.get(partOfModule(m)) ?? 0) + n);
}
const byBytes = (map) => [...map].sort((x, y) => y[1] - x[1]);

const chunks = ORDER.map(() => []);
for (let i = 0, start = 0; i <= shipped.length; i++) {
  if (i === shipped.length || partOf[i] !== partOf[start]) {
    chunks[partOf[start]].push(shipped.subarray(start, i));
    start = i;
  }
}
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const parts = ORDER.map((part, k) => {
  const bytes = Buffer.concat(chunks[k]);
  return { part, bytes: bytes.length, gzipAlone: bytes.length ? gz(bytes) : 0 };
});

// ---- the report ----
const total = shipped.length, totalGz = gz(shipped);
if (parts.reduce((sum, p) => sum + p.bytes, 0) !== total) {
  console.error("size-report: the parts do not add up to the file");
  process.exit(1);
}
const num = (n) => n.toLocaleString("en-GB");
const pct = (n) => `${((100 * n) / total).toFixed(1)}%`;
const row = (label, bytes, rest = "") => `${label.padEnd(62)}${num(bytes).padStart(10)}${rest}`;
const lines = [
  `${shippedPath.replace(`${repo}`, "")}: ${num(total)} bytes, ${num(totalGz)} gzipped`,
  "Per part (approximate: inlining moves code across modules; \"gzip alone\" is the part",
  "gzipped by itself, so those do not add up to the file's gzipped size; the data not",
  "attributed is split below it by the part whose code refers to it, a heuristic):",
  "",
  `${"part".padEnd(62)}${"bytes".padStart(10)}${"share".padStart(8)}${"gzip alone".padStart(12)}`,
  ...parts.flatMap((p) => [
    row(p.part, p.bytes, `${pct(p.bytes).padStart(8)}${num(p.gzipAlone).padStart(12)}`),
    ...(p.part === ORDER[DATA]
      ? byBytes(dataByPart).map(([owner, n]) => row(`  referred to by ${owner}`, n))
      : []),
  ]),
  row("total", total, `${"100.0%".padStart(8)}${num(totalGz).padStart(12)}`),
  "",
  "Code by module (largest first; our modules, other crates by crate):",
];
const modules = [...moduleBytes].sort((a, b) => b[1] - a[1]);
for (const [module, bytes] of modules.slice(0, 30)) {
  lines.push(row(`  ${module}`, bytes, `  ${classify(module).part}`));
}
if (modules.length > 30) {
  lines.push(`  … ${modules.length - 30} more in ${outPrefix.replace(repo, "")}.json`);
}
lines.push("", "Data not attributed, by the module whose code refers to it (largest first):");
for (const [module, n] of byBytes(dataByModule).slice(0, 12)) lines.push(row(`  ${module}`, n));
lines.push(
  "",
  `Presets found in the data: ${presetsFound.length} of ${presetFiles.length}: ` +
    `${presetsFound.join(", ")}.`,
);
if (presetFiles.length === 0 || presetsFound.length < presetFiles.length) {
  lines.push(
    `Warning: not every deflated preset in ${presetsDir} is in the module; ` +
      "the presets row is incomplete.",
  );
}
const text = lines.join("\n");
console.log(text);
writeFileSync(`${outPrefix}.txt`, `${text}\n`);
writeFileSync(
  `${outPrefix}.json`,
  `${JSON.stringify(
    {
      bytes: total,
      gzipped: totalGz,
      parts,
      dataNotAttributedByReferringModule: Object.fromEntries(byBytes(dataByModule)),
      modules: Object.fromEntries(modules),
      presetsFound,
    },
    null,
    2,
  )}\n`,
);
