// The browser build (dist/web) instantiated in Node from the wasm bytes,
// through initSync and through the async init: the same answers as the
// Node build.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { DEVICES_REQUEST, SEXTING_REQUEST, gpsJpeg } from "./fixtures.mjs";
import { WEB_DIST, loadNode } from "./helpers.mjs";

const node = await loadNode();
const WASM = join(WEB_DIST, "safeguard_wasm_bg.wasm");

/**
 * A fresh, not yet initialised copy of the web build's glue: a query
 * string makes Node load the module again, with its own instance.
 */
async function freshWeb(tag) {
  const glue = join(WEB_DIST, "safeguard_wasm.js");
  assert.ok(existsSync(glue), `${glue} is missing: run 'npm run build'`);
  return import(`${pathToFileURL(glue)}?${tag}`);
}

function sameAnswers(web) {
  const engine = web.Engine.fromPreset("hilldene-primary");
  const expected = node.Engine.fromPreset("hilldene-primary");
  for (const r of [DEVICES_REQUEST, SEXTING_REQUEST]) {
    const text = JSON.stringify(r);
    assert.equal(engine.evaluateJson(text), expected.evaluateJson(text));
    assert.deepEqual(engine.evaluate(r), expected.evaluate(r));
  }
  assert.deepEqual(web.presets(), node.presets());
  assert.deepEqual(web.inspectImage(gpsJpeg()), node.inspectImage(gpsJpeg()));
  assert.equal(web.engineVersion(), node.engineVersion());
  const e = (() => {
    try {
      engine.evaluateJson("{");
    } catch (err) {
      return err;
    }
  })();
  assert.equal(e.name, "SafeguardError");
  assert.equal(e.code, "invalid_json");
  engine.free();
}

test("initSync with the wasm bytes", async () => {
  const web = await freshWeb("sync");
  web.initSync({ module: readFileSync(WASM) });
  sameAnswers(web);
});

test("async init with the bytes, and with a compiled module", async () => {
  const web = await freshWeb("async");
  await web.default({ module_or_path: readFileSync(WASM) });
  sameAnswers(web);
  const again = await freshWeb("module");
  await again.default({ module_or_path: await WebAssembly.compile(readFileSync(WASM)) });
  sameAnswers(again);
});

test("the web entry (index.js) exports the API, init and initSync", async () => {
  const web = await import(pathToFileURL(join(WEB_DIST, "index.js")));
  for (const name of ["Engine", "presets", "inspectImage", "stripLocation", "stripIdentifying", "engineVersion", "initSync", "default"]) {
    assert.equal(typeof web[name], "function", name);
  }
  // Not initialised yet in this copy: init with the bytes, then use it.
  await web.default({ module_or_path: readFileSync(WASM) });
  sameAnswers(web);
});

test("the authoring web entry (authoring.js) exports the API, the builder, init and initSync", async () => {
  const web = await import(pathToFileURL(join(WEB_DIST, "authoring.js")));
  for (const name of ["Engine", "presets", "inspectImage", "stripLocation", "stripIdentifying", "engineVersion",
    "explainError", "questions", "contacts", "buildPolicy", "readAnswers", "initSync", "default"]) {
    assert.equal(typeof web[name], "function", name);
  }
  // Its own module, its own .wasm: init with those bytes, then use it.
  await web.default({ module_or_path: readFileSync(join(WEB_DIST, "safeguard_authoring_bg.wasm")) });
  sameAnswers(web);
  assert.equal(web.Engine.fromPreset("baseline").lint().policy.id, "baseline");
});

test("calling the web build before init throws, it does not crash", async () => {
  const web = await freshWeb("uninitialised");
  assert.throws(() => web.presets());
  web.initSync({ module: readFileSync(WASM) });
  assert.deepEqual(web.presets(), node.presets());
});

test("the Node build's init and initSync are harmless no-ops", async () => {
  await node.default();
  node.initSync();
  assert.equal(node.Engine.fromPreset("baseline").policyId, "baseline");
});
