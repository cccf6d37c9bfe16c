// The size budget of SPEC §9: the optimised .wasm ≤ 400 KB, ≤ 150 KB gzipped.
// SAFEGUARD_SKIP_SIZE_BUDGET=1 reports the sizes and skips the check (for a
// run that must pass while the budget is known to be missed).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { WEB_DIST } from "./helpers.mjs";

const RAW_BUDGET = 400 * 1000;
const GZIP_BUDGET = 150 * 1000;

// The one .wasm of the package (the Node entry loads it too).
for (const [name, dir] of [["web", WEB_DIST]]) {
  test(`dist/${name}/safeguard_wasm_bg.wasm is within budget`, (t) => {
    const bytes = readFileSync(join(dir, "safeguard_wasm_bg.wasm"));
    const gzipped = gzipSync(bytes, { level: 9 }).length;
    console.log(
      `dist/${name}/safeguard_wasm_bg.wasm: ${bytes.length} bytes (budget ${RAW_BUDGET}), ` +
        `${gzipped} gzipped (budget ${GZIP_BUDGET})`,
    );
    if (process.env.SAFEGUARD_SKIP_SIZE_BUDGET === "1") {
      t.skip("SAFEGUARD_SKIP_SIZE_BUDGET=1");
      return;
    }
    assert.ok(bytes.length <= RAW_BUDGET, `${bytes.length} bytes is over the ${RAW_BUDGET} budget`);
    assert.ok(gzipped <= GZIP_BUDGET, `${gzipped} gzipped bytes is over the ${GZIP_BUDGET} budget`);
  });
}
