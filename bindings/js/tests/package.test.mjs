// What `npm publish` would upload (`npm pack --dry-run --json`, which runs
// the prepack and postpack scripts): the package under its public name,
// one copy of each .wasm, the main and the authoring module (the Node
// entries load the browser build's), the
// licences, and a file for every export (the generated types with them).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { PACKAGE } from "./helpers.mjs";

const manifest = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8"));
const packed = JSON.parse(
  execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts=false"], {
    cwd: PACKAGE,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }),
)[0];
const files = packed.files.map((f) => f.path).sort();

test("the package is public under the name safeguard-engine", () => {
  assert.equal(manifest.name, "safeguard-engine");
  assert.equal(packed.name, "safeguard-engine");
  assert.notEqual(manifest.private, true);
  assert.equal(manifest.license, "MIT OR Apache-2.0");
});

test("the tarball carries one copy of each .wasm, the browser build's", () => {
  const wasm = files.filter((f) => f.endsWith(".wasm"));
  assert.deepEqual(wasm, ["dist/web/safeguard_authoring_bg.wasm", "dist/web/safeguard_wasm_bg.wasm"]);
  console.log(`tarball: ${files.length} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked`);
});

test("the tarball carries both licences, and packing leaves no copies behind", () => {
  for (const licence of ["LICENSE-MIT", "LICENSE-APACHE"]) {
    assert.ok(files.includes(licence), `${licence} is not in the tarball`);
    const inRepo = readFileSync(join(PACKAGE, "..", "..", licence));
    const entry = packed.files.find((f) => f.path === licence);
    assert.equal(entry.size, inRepo.length, `${licence} differs from the repository's`);
    assert.ok(!existsSync(join(PACKAGE, licence)), `postpack left ${licence} in bindings/js`);
  }
});

test("every file the exports map names is in the tarball", () => {
  const targets = [];
  const walk = (v) => {
    if (typeof v === "string") targets.push(v.replace(/^\.\//, ""));
    else for (const x of Object.values(v)) walk(x);
  };
  walk(manifest.exports);
  targets.push(manifest.types.replace(/^\.\//, ""));
  for (const t of targets) assert.ok(files.includes(t), `${t} (named in package.json) is not in the tarball`);
  assert.ok(files.includes("dist/presets.d.ts"), "dist/presets.d.ts (imported by the types) is missing");
  assert.ok(files.includes("types/wire.d.ts"), "types/wire.d.ts (the generated types, re-exported by index.d.ts) is missing");
  assert.ok(files.includes("types/authoring.d.ts"), "types/authoring.d.ts (the authoring entry's types) is missing");
});
