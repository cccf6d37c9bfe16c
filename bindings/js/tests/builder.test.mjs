// The policy builder from Node: questions(), buildPolicy(), explainError()
// and Engine.diff, which the builder page (demo/builder.html) renders and
// previews with.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadNode, thrown } from "./helpers.mjs";

const sg = await loadNode();
const { Engine } = sg;

const SCHOOL = {
  id: "node-test-school",
  name: "Node Test School",
  version: "2026-01-01",
  source: "Node Test School, Online Safety Policy, 2026",
};

test("questions() is the model: each question with exactly one national default among its choices", () => {
  const model = sg.questions();
  assert.ok(model.length >= 2);
  const ids = new Set();
  for (const q of model) {
    assert.ok(!ids.has(q.id), `${q.id} twice`);
    ids.add(q.id);
    assert.ok(["devices", "images", "escalation", "sexting"].includes(q.domain), q.domain);
    assert.ok(q.prompt.length > 0 && q.help.length > 0, q.id);
    const defaults = q.choices.filter((c) => c.national_default);
    assert.deepEqual(defaults.map((c) => c.id), [q.default], q.id);
    if (q.narrows !== null) assert.ok(ids.has(q.narrows), `${q.id} narrows a question asked before it`);
  }
});

test("buildPolicy: every default is national guidance; a departure changes the decision", () => {
  const plain = sg.buildPolicy({ school: SCHOOL, answers: [] });
  const ownPolicy = Engine.fromPolicy(plain, "toml");
  const baseline = Engine.fromPreset("baseline");
  assert.equal(ownPolicy.policyId, SCHOOL.id);
  assert.deepEqual(ownPolicy.diff(baseline).differences, []);
  const phones = sg.buildPolicy(JSON.stringify({
    school: SCHOOL,
    answers: [{ question: "devices.pupil_phones", choice: "hand_in_at_gate", cite: { source: SCHOOL.source, section: "Phones" } }],
  }));
  const built = Engine.fromPolicy(phones, "toml");
  const diff = built.diff(baseline);
  assert.ok(diff.differences.some((d) => d.side === "policy"), "the built policy allows what the baseline does not");
  for (const e of [ownPolicy, baseline, built]) e.free();
});

test("buildPolicy refuses with a code and a path; explainError puts it in words", () => {
  const e = thrown(() => sg.buildPolicy({
    school: SCHOOL,
    answers: [{ question: "devices.pupil_phones", choice: "hand_in_at_gate" }],
  }));
  assert.equal(e.name, "SafeguardError");
  assert.equal(e.code, "missing_field");
  assert.equal(e.path, "$.answers[0].cite");
  const words = sg.explainError(e.json);
  assert.equal(words.kind, "refused");
  assert.deepEqual(words.error, JSON.parse(e.json).error);
  assert.ok(words.headline.length > 0 && !words.headline.includes("answers[0]"), words.headline);
  assert.equal(thrown(() => sg.buildPolicy(42)).code, "invalid_argument");
  assert.equal(thrown(() => sg.explainError("{}")).code, "invalid_argument");
  assert.equal(thrown(() => sg.explainError(7)).code, "invalid_argument");
});
