// The policy builder from Node: questions(), buildPolicy(), readAnswers(),
// explainError(), Engine.diff, Engine.checks and Engine.review, which the builder page
// (demo/builder.html) renders, reopens and previews with.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadAuthoring, thrown } from "./helpers.mjs";

// The authoring module (safeguard-engine/authoring), which the builder page loads.
const sg = await loadAuthoring();
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

test("contacts(): the people and bodies a school may name, each one an answers file takes", () => {
  const { people, bodies } = sg.contacts();
  assert.ok(people.some((c) => c.who === "dsl") && bodies.some((c) => c.who === "lado"));
  const tokens = [...people, ...bodies].map((c) => c.who);
  assert.equal(new Set(tokens).size, tokens.length, "no party is listed twice");
  for (const c of [...people, ...bodies]) {
    assert.match(c.label, /^[A-Z][^_]*$/, `${c.who}: a heading in words, no token`);
  }
  // Every person listed is one an answers file's roles may name: the
  // policy built names them.
  for (const { who } of people) {
    const toml = sg.buildPolicy({ school: SCHOOL, answers: [], roles: { [who]: { title: `Our ${who} title` } } });
    assert.ok(toml.includes(`Our ${who} title`), who);
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

test("readAnswers: a school's TOML file read as JSON builds the same policy", () => {
  const toml = readFileSync(join(import.meta.dirname, "..", "..", "..", "tests", "answers", "hilldene-primary.toml"), "utf8");
  const file = sg.readAnswers(toml, "toml");
  assert.equal(file.school.id, "hilldene-primary-built");
  assert.ok(file.answers.some((a) => a.choice === "custom") && file.restate.length > 0);
  assert.equal(sg.buildPolicy(file), sg.buildPolicy(JSON.stringify(file)));
  assert.deepEqual(sg.readAnswers(JSON.stringify(file)), file);
  const e = thrown(() => sg.readAnswers("[school]\nid = 1\n", "toml"));
  assert.equal(e.name, "SafeguardError");
  assert.equal(e.path, "$.school.id");
  assert.equal(thrown(() => sg.readAnswers(42)).code, "invalid_argument");
  assert.equal(thrown(() => sg.readAnswers("{}", "yaml")).code, "invalid_argument");
});

test("Engine.checks: the lint and the diff in plain words, one line each, no rule id", () => {
  const school = Engine.fromPreset("hilldene-primary");
  const baseline = Engine.fromPreset("baseline");
  const checks = school.checks(baseline);
  const lint = school.lint();
  const diff = school.diff(baseline);
  // One sentence for each finding and each difference, of the same kinds.
  assert.deepEqual(checks.findings.map((f) => f.kind).sort(), lint.findings.map((f) => f.kind).sort());
  assert.deepEqual(checks.differences.map((d) => d.side).sort(), diff.differences.map((d) => d.side).sort());
  assert.ok(checks.findings.some((f) => f.kind === "contradiction"), "Hilldene's rules contradict");
  const ids = new Set(lint.findings.flatMap((f) => f.rules ?? []));
  assert.ok(ids.size > 0);
  for (const line of [...checks.findings, ...checks.differences]) {
    assert.doesNotMatch(line.text, /`|_|\$\./, line.text);
    for (const id of ids) assert.ok(!line.text.includes(id), `${id} in ${line.text}`);
  }
  // Against itself: no differences.
  assert.deepEqual(school.checks(school).differences, []);
  assert.ok(thrown(() => school.checks("baseline")) instanceof Error, "another Engine, or nothing");
});

test("Engine.review: the annual review with its Markdown and printable HTML", () => {
  const old = Engine.fromPolicy(sg.buildPolicy({ school: { ...SCHOOL, version: "2017-09-01" }, answers: [] }), "toml");
  const review = old.review();
  assert.equal(review.policy.id, SCHOOL.id);
  assert.ok(review.guidance.length > 0, "changes since 2017");
  assert.ok(review.guidance.every((g) => g.change.took_effect >= "2017"), "none before the policy's date");
  assert.ok(review.national_defaults.length > 0);
  assert.ok(review.markdown.startsWith("#") && review.html.startsWith("<!"), "Markdown and HTML");
  const recent = Engine.fromPolicy(sg.buildPolicy({ school: { ...SCHOOL, version: "2026-06-01" }, answers: [] }), "toml");
  assert.ok(recent.review().guidance.length < review.guidance.length, "a newer policy has fewer changes to review");
  for (const e of [old, recent]) e.free();
});
