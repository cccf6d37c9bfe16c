// The size guard of SPEC §9: the whole .wasm ≤ 400 KB gzipped, held by the
// main module (safeguard-engine: deciding, explaining, image metadata),
// which is what a school website or the consent checker loads. The
// authoring module (safeguard-engine/authoring: the main API plus the
// analyses and the policy builder) has no budget; its sizes are printed.
// SAFEGUARD_SKIP_SIZE_BUDGET=1 reports the sizes and skips the check (for a
// run that must pass while the budget is known to be missed).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { WEB_DIST } from "./helpers.mjs";

const GZIP_BUDGET = 400 * 1000;

/** The file's bytes and gzipped bytes (level 9, as build.sh prints them). */
function sizes(file) {
  const bytes = readFileSync(join(WEB_DIST, file));
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  console.log(`dist/web/${file}: ${bytes.length} bytes, ${gzipped} gzipped`);
  return gzipped;
}

test("dist/web/safeguard_wasm_bg.wasm (the main module) is within 400 KB gzipped", (t) => {
  const gzipped = sizes("safeguard_wasm_bg.wasm");
  if (process.env.SAFEGUARD_SKIP_SIZE_BUDGET === "1") {
    t.skip("SAFEGUARD_SKIP_SIZE_BUDGET=1");
    return;
  }
  assert.ok(gzipped <= GZIP_BUDGET, `${gzipped} gzipped bytes is over the ${GZIP_BUDGET} budget`);
});

test("dist/web/safeguard_authoring_bg.wasm (the authoring module; no budget) is built", () => {
  assert.ok(sizes("safeguard_authoring_bg.wasm") > 0);
});
