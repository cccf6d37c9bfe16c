// The comparison with cedar-wasm that `npm run bench` times (bench/cedar.mjs)
// asks both engines the same questions: on every request it uses, the
// WebAssembly engine (through `evaluateJson` and `evaluate`) and cedar-wasm
// with the Cedar encoding of benches/cedar/ give the same answers, so a
// change to the rules, the encoding or the mapping cannot leave the bench
// timing two different things unnoticed. Not timed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkAgreement, checkRequestsValidate, loadComparison } from "../bench/cedar.mjs";
import { loadNode } from "./helpers.mjs";

const sg = await loadNode();
const comparison = loadComparison(sg);

test("safeguard and cedar-wasm give the same answers on every request the bench times", () => {
  const engine = sg.Engine.fromPreset(comparison.fixture.images_30.policy);
  try {
    const agreed = checkAgreement(engine, comparison);
    // The set is varied: every kind of devices answer, an image that needs changes.
    const { allow, allowWithConditions, deny } = agreed.devices;
    assert.equal(allow + allowWithConditions + deny, 256);
    assert.ok(allow > 10 && allowWithConditions > 10 && deny > 10, JSON.stringify(agreed.devices));
    assert.equal(agreed.image.outcome, "publish_with_changes");
    assert.ok(agreed.image.changes.some((c) => c.startsWith("exclude_pupil:")), agreed.image.changes.join());
  } finally {
    engine.free();
  }
});

test("a different answer from either side stops the bench", () => {
  const engine = sg.Engine.fromPreset(comparison.fixture.images_30.policy);
  try {
    // Cedar asked about another device for one request: the answers part.
    const [first] = comparison.devices;
    const other = comparison.devices.find(
      (r) => comparison.cedarDevices(r).allow !== comparison.cedarDevices(first).allow,
    );
    const swapped = { ...comparison, devices: [{ ...first, call: other.call }] };
    assert.throws(() => checkAgreement(engine, swapped), /the engines disagree/);
  } finally {
    engine.free();
  }
});

test("every Cedar request is valid against its schema and answered alike without it", () => {
  assert.equal(checkRequestsValidate(comparison), 256 + 3 + comparison.images.appear.length);
});
