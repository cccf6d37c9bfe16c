// The Engine API from Node: construction, evaluate / evaluateJson /
// evaluateMany, lint (from the authoring module), the split between the
// two modules, and the errors thrown for each kind of bad input.
import assert from "node:assert/strict";
import { test } from "node:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE, REPO, loadAuthoring, loadNode, thrown } from "./helpers.mjs";
import {
  DEVICES_REQUEST,
  ESCALATION_REQUEST,
  OWN_POLICY,
  SEXTING_REQUEST,
  WEAKENED_POLICY,
} from "./fixtures.mjs";

const sg = await loadNode();
const { Engine } = sg;
const hilldene = Engine.fromPreset("hilldene-primary");
const baseline = Engine.fromPreset("baseline");
const authoring = await loadAuthoring();

// What only the authoring module (safeguard-engine/authoring) has.
const AUTHORING_FUNCTIONS = ["questions", "contacts", "buildPolicy", "readAnswers"];
const AUTHORING_METHODS = ["lint", "diff", "checks", "review"];

/** Asserts `e` is a SafeguardError with every property, and returns it. */
function safeguardError(e, code) {
  assert.ok(e instanceof Error, `not an Error: ${e}`);
  assert.equal(e.name, "SafeguardError");
  assert.equal(e.code, code, e.message);
  for (const key of ["path", "line", "column", "rule", "json"]) {
    assert.ok(key in e, `no ${key}`);
  }
  const wire = JSON.parse(e.json);
  assert.equal(wire.schema_version, 1);
  assert.equal(wire.error.code, code);
  assert.equal(wire.error.path ?? null, e.path);
  assert.equal(wire.error.line ?? null, e.line);
  assert.equal(wire.error.column ?? null, e.column);
  assert.equal(wire.error.rule ?? null, e.rule);
  return e;
}

test("module surface", () => {
  assert.equal(sg.engineVersion(), "0.1.0");
  const ids = sg.presets();
  assert.equal(ids[0], "baseline");
  // One preset per file core/presets/NN-<id>.toml, in the order of the names.
  const files = readdirSync(join(REPO, "core", "presets"))
    .filter((name) => name.endsWith(".toml"))
    .sort();
  assert.deepEqual(ids, files.map((name) => name.replace(/^\d\d-/, "").replace(/\.toml$/, "")));
  // The TypeScript union build.sh wrote from the same list.
  const union = readFileSync(join(PACKAGE, "dist", "presets.d.ts"), "utf8");
  assert.deepEqual([...union.matchAll(/^  \| ("[^"]*");?$/gm)].map((m) => JSON.parse(m[1])), ids);
  for (const id of ids) {
    assert.equal(Engine.fromPreset(id).policyId, id);
  }
});

test("the main module decides; the authoring module adds the analyses and the builder", () => {
  const names = (module) => Object.keys(module).filter((k) => !["default", "initSync"].includes(k)).sort();
  assert.deepEqual(
    names(sg),
    ["Engine", "engineVersion", "explainError", "inspectImage", "presets", "stripIdentifying", "stripLocation"],
  );
  assert.deepEqual(names(authoring), [...names(sg), ...AUTHORING_FUNCTIONS].sort());
  const methods = (E) => Object.getOwnPropertyNames(E.prototype);
  for (const m of AUTHORING_METHODS) {
    assert.ok(!methods(Engine).includes(m), `the main module has Engine.${m}`);
    assert.ok(methods(authoring.Engine).includes(m), `the authoring module lacks Engine.${m}`);
  }
  for (const m of methods(Engine)) {
    assert.ok(methods(authoring.Engine).includes(m), `the authoring module lacks Engine.${m}`);
  }
  // The same engine, the same answers, from either module.
  const other = authoring.Engine.fromPreset("hilldene-primary");
  assert.equal(other.policyDigest, hilldene.policyDigest);
  const request = JSON.stringify(DEVICES_REQUEST);
  assert.equal(other.evaluateJson(request), hilldene.evaluateJson(request));
  assert.equal(other.explainJson(request), hilldene.explainJson(request));
});

test("engine properties", () => {
  assert.equal(hilldene.policyId, "hilldene-primary");
  assert.equal(typeof hilldene.policyVersion, "string");
  assert.match(hilldene.policyDigest, /^[0-9a-f]{64}$/);
  const d = hilldene.evaluate(DEVICES_REQUEST);
  assert.deepEqual(d.policy, {
    id: hilldene.policyId,
    version: hilldene.policyVersion,
    digest: hilldene.policyDigest,
  });
  assert.equal(d.engine, sg.engineVersion());
});

test("evaluate takes an object or JSON text and agrees with evaluateJson", () => {
  for (const request of [DEVICES_REQUEST, SEXTING_REQUEST, ESCALATION_REQUEST]) {
    const text = JSON.stringify(request);
    const json = hilldene.evaluateJson(text);
    assert.deepEqual(hilldene.evaluate(request), JSON.parse(json));
    assert.deepEqual(hilldene.evaluate(text), JSON.parse(json));
    // Deterministic: the same request gives the same bytes.
    assert.equal(hilldene.evaluateJson(text), json);
  }
  const d = hilldene.evaluate(SEXTING_REQUEST);
  assert.equal(d.outcome, "refer_immediately");
  assert.deepEqual(d.criteria, ["coercion_blackmail_or_grooming"]);
});

test("evaluateMany keeps order; [] gives []", () => {
  const requests = [SEXTING_REQUEST, JSON.stringify(DEVICES_REQUEST), ESCALATION_REQUEST];
  const decisions = hilldene.evaluateMany(requests);
  assert.deepEqual(
    decisions,
    requests.map((r) => hilldene.evaluate(r)),
  );
  assert.deepEqual(
    decisions.map((d) => d.domain),
    ["sexting", "devices", "escalation"],
  );
  assert.deepEqual(hilldene.evaluateMany([]), []);
});

test("evaluateMany throws for the first bad request, with its index", () => {
  const bad = { ...ESCALATION_REQUEST, reported_at: "2026-02-30T10:00" };
  const e = safeguardError(
    thrown(() => hilldene.evaluateMany([SEXTING_REQUEST, bad, "{"])),
    "invalid_date",
  );
  assert.equal(e.index, 1);
  assert.equal(e.path, "$.reported_at");
  assert.ok(e.message.startsWith("request 1: invalid date at $.reported_at"), e.message);
  const e2 = safeguardError(thrown(() => hilldene.evaluateMany([SEXTING_REQUEST, undefined])), "invalid_argument");
  assert.equal(e2.index, 1);
  // The list stops at its first failure, whichever kind (Python's
  // evaluate_many stops at the same one).
  const e3 = safeguardError(thrown(() => hilldene.evaluateMany([SEXTING_REQUEST, bad, undefined])), "invalid_date");
  assert.equal(e3.index, 1);
  assert.equal(e3.json, e.json);
  safeguardError(thrown(() => hilldene.evaluateMany("not an array")), "invalid_argument");
});

test("invalid JSON", () => {
  const e = safeguardError(thrown(() => baseline.evaluateJson("{")), "invalid_json");
  assert.equal(typeof e.message, "string");
  safeguardError(thrown(() => baseline.evaluate("{")), "invalid_json");
});

test("unknown field: code, path, line, column and the Rust message", () => {
  // The key is not quoted: the path is its object's.
  const e = safeguardError(
    thrown(() => baseline.evaluateJson('{"domain":"devices","colour":"red"}')),
    "unknown_field",
  );
  assert.equal(e.message, "unknown field at $ (line 1, column 28)");
  assert.deepEqual([e.path, e.line, e.column, e.rule], ["$", 1, 28, null]);
  const nested = safeguardError(
    thrown(() => baseline.evaluate({ ...ESCALATION_REQUEST, flags: { x: true } })),
    "unknown_field",
  );
  assert.equal(nested.path, "$.flags");
});

test("wrong type and unknown token", () => {
  const e = safeguardError(
    thrown(() =>
      baseline.evaluate({ ...SEXTING_REQUEST, young_people: [{ id: "a", age: "fifteen", role: "subject" }] }),
    ),
    "invalid_value",
  );
  assert.equal(e.path, "$.young_people[0].age");
  const token = safeguardError(
    thrown(() => baseline.evaluate({ ...ESCALATION_REQUEST, category: "gossip" })),
    "invalid_value",
  );
  assert.equal(token.path, "$.category");
});

test("missing field, invalid date, too large", () => {
  const missing = safeguardError(thrown(() => baseline.evaluate({ domain: "escalation" })), "missing_field");
  assert.ok(missing.path.startsWith("$"));
  const date = safeguardError(
    thrown(() => baseline.evaluate({ ...SEXTING_REQUEST, incident_date: "2025-02-30" })),
    "invalid_date",
  );
  assert.equal(date.path, "$.incident_date");
  // Just over the limit, and far over it (refused before the copy into
  // WebAssembly memory): the same error, with the UTF-8 length.
  for (const text of [" ".repeat((1 << 20) + 1), "é".repeat(3 << 20)]) {
    const e = safeguardError(thrown(() => baseline.evaluateJson(text)), "too_large");
    assert.equal(e.path, "$");
    const bytes = Buffer.byteLength(text);
    assert.equal(e.message, `input too large at $: the request is ${bytes} bytes; the limit is 1048576 bytes`);
  }
});

test("unknown preset, policy mismatch", () => {
  const e = safeguardError(thrown(() => Engine.fromPreset("no-such-school")), "unknown_policy");
  assert.ok(!e.message.includes("no-such-school"), e.message);
  assert.ok(e.message.includes("not one of: baseline, "), e.message);
  const m = safeguardError(thrown(() => baseline.evaluate(DEVICES_REQUEST)), "policy_mismatch");
  assert.equal(m.path, "$.policy");
});

test("the wire error JSON is the engine's (what the C ABI gives)", () => {
  const e = thrown(() => baseline.evaluateJson('{"domain":"devices","colour":"red"}'));
  assert.equal(
    e.json,
    '{"schema_version":1,"error":{"code":"unknown_field","message":"unknown field at $ (line 1, column 28)","path":"$","line":1,"column":28}}',
  );
});

test("fromPolicy: TOML and JSON", () => {
  const engine = Engine.fromPolicy(OWN_POLICY);
  assert.equal(engine.policyId, "js-test");
  assert.equal(Engine.fromPolicy(OWN_POLICY, "toml").policyDigest, engine.policyDigest);
  const asJson = JSON.stringify({
    policy: { id: "js-test", name: "JS test school", version: "1", source: "test", extends: "baseline" },
  });
  assert.equal(Engine.fromPolicy(asJson, "json").policyDigest, engine.policyDigest);
  const d = engine.evaluate(SEXTING_REQUEST);
  assert.equal(d.outcome, "refer_immediately");
  assert.equal(d.policy.id, "js-test");
  engine.free();
});

test("fromPolicy errors: bad TOML with line and column, bad JSON, floor, format", () => {
  const toml = safeguardError(thrown(() => Engine.fromPolicy("[policy\nid = ")), "invalid_toml");
  assert.equal(toml.line, 1);
  assert.equal(typeof toml.column, "number");
  const later = safeguardError(thrown(() => Engine.fromPolicy(`${OWN_POLICY}\n[devices\n`)), "invalid_toml");
  assert.equal(later.line, 8);
  safeguardError(thrown(() => Engine.fromPolicy('{"policy": ', "json")), "invalid_json");
  const floor = safeguardError(thrown(() => Engine.fromPolicy(WEAKENED_POLICY)), "floor_violation");
  assert.equal(floor.rule, "escalation.floor.immediate_danger");
  assert.ok(floor.message.includes("escalation.floor.immediate_danger"));
  safeguardError(thrown(() => Engine.fromPolicy(OWN_POLICY, "yaml")), "invalid_argument");
});

test("arguments JavaScript can get wrong are coded errors", () => {
  for (const bad of [undefined, () => 1, Symbol("x")]) {
    safeguardError(thrown(() => baseline.evaluate(bad)), "invalid_argument");
  }
  const e = safeguardError(thrown(() => baseline.evaluate({ n: 1n })), "invalid_argument");
  assert.ok(e.message.includes("the request could not be written as JSON"), e.message);
  safeguardError(thrown(() => baseline.evaluateJson(SEXTING_REQUEST)), "invalid_argument");
  // JSON values that are not requests are the engine's errors.
  safeguardError(thrown(() => baseline.evaluate(null)), "invalid_value");
  safeguardError(thrown(() => baseline.evaluate(42)), "invalid_value");
});

test("the engine still works after every kind of error", () => {
  const expected = baseline.evaluateJson(JSON.stringify(SEXTING_REQUEST));
  for (const bad of ["{", "[]", "null", '{"domain":"x"}', "\u0000", "\ud800"]) {
    assert.throws(() => baseline.evaluateJson(bad), (e) => e.name === "SafeguardError");
    assert.equal(baseline.evaluateJson(JSON.stringify(SEXTING_REQUEST)), expected);
  }
});

test("lint", () => {
  const engine = authoring.Engine.fromPreset("hilldene-primary");
  const report = engine.lint();
  assert.equal(report.policy.id, "hilldene-primary");
  assert.equal(typeof report.rules, "number");
  assert.deepEqual(report, engine.lint());
});

test("lint of a too finely cut policy throws too_complex instead of trapping", () => {
  // Forty rules that each name one value of one dimension (the malformed
  // corpus's case): the lint once trapped after growing to 3.9 GB.
  const file = join(REPO, "tests", "malformed", "320-policy-lint-every-value-its-own-rule.toml");
  const engine = authoring.Engine.fromPolicy(readFileSync(file, "utf8"), "toml");
  safeguardError(thrown(() => engine.lint()), "too_complex");
  // The engine is still usable.
  assert.equal(engine.policyId, "fine");
});

test("a freed engine throws instead of crashing", () => {
  const engine = Engine.fromPreset("baseline");
  engine.free();
  assert.throws(() => engine.evaluateJson(JSON.stringify(SEXTING_REQUEST)));
});

// Issue 21: every exported function checks the JavaScript type of its
// arguments (a number or an object where a string belongs trapped with
// "memory access out of bounds"; null was a bare TypeError).
test("wrong argument types are invalid_argument everywhere, never a trap", () => {
  const expected = baseline.evaluateJson(JSON.stringify(SEXTING_REQUEST));
  const calls = [
    () => Engine.fromPreset(5),
    () => Engine.fromPreset({}),
    () => Engine.fromPreset(null),
    () => Engine.fromPreset(undefined),
    () => Engine.fromPreset(["baseline"]),
    () => Engine.fromPolicy(5, "toml"),
    () => Engine.fromPolicy({}),
    () => Engine.fromPolicy(null),
    () => Engine.fromPolicy(OWN_POLICY, 5),
    () => Engine.fromPolicy(OWN_POLICY, {}),
    () => baseline.evaluateJson(5),
    () => baseline.evaluateJson(null),
    () => baseline.evaluateMany(5),
    () => baseline.evaluateMany({ length: 1, 0: SEXTING_REQUEST }),
    () => sg.inspectImage("not bytes"),
    () => sg.stripLocation(7),
  ];
  for (const call of calls) {
    const e = safeguardError(thrown(call), "invalid_argument");
    assert.equal(e.path, null);
    assert.equal(JSON.parse(e.json).error.message, e.message);
    // Nothing trapped: the module still answers.
    assert.equal(baseline.evaluateJson(JSON.stringify(SEXTING_REQUEST)), expected);
  }
  // A format left out or null is TOML.
  assert.equal(Engine.fromPolicy(OWN_POLICY, null).policyId, Engine.fromPolicy(OWN_POLICY).policyId);
});

// The error every binding gives for a NaN age (the same bytes as Python's).
const NOT_FINITE_AGE =
  '{"schema_version":1,"error":{"code":"invalid_value","message":"invalid value at $.young_people[0].age: ' +
  'not a finite number (NaN and Infinity cannot be written as JSON)","path":"$.young_people[0].age"}}';

// Issue 21: JSON.stringify wrote NaN as null, and the age was decided as unknown.
test("NaN and Infinity in a request object are invalid_value at their path", () => {
  for (const age of [NaN, Infinity, -Infinity]) {
    const request = { ...SEXTING_REQUEST, young_people: [{ id: "a", age, role: "subject" }] };
    const e = safeguardError(thrown(() => baseline.evaluate(request)), "invalid_value");
    assert.equal(e.path, "$.young_people[0].age");
    assert.equal(e.json, NOT_FINITE_AGE);
    const many = safeguardError(thrown(() => baseline.evaluateMany([SEXTING_REQUEST, request])), "invalid_value");
    assert.equal(many.index, 1);
  }
  const nested = { ...SEXTING_REQUEST, facts: { ...SEXTING_REQUEST.facts, x: [1, { y: NaN }] } };
  assert.equal(safeguardError(thrown(() => baseline.evaluate(nested)), "invalid_value").path, "$.facts.x[1].y");
  // A real null is still the engine's to judge.
  const withNull = { ...SEXTING_REQUEST, young_people: [{ id: "a", age: null, role: "subject" }] };
  assert.equal(baseline.evaluate(withNull).outcome, baseline.evaluate(JSON.stringify(withNull)).outcome);
});

// Issue 21: deep or circular objects are too_large, as in Python.
test("deep and circular request objects are too_large", () => {
  const cyclic = { domain: "sexting" };
  cyclic.self = cyclic;
  let deep = {};
  for (let i = 0; i < 100000; i++) deep = { a: deep };
  let seventeen = {};
  for (let i = 0; i < 16; i++) seventeen = { a: seventeen };
  for (const bad of [cyclic, deep, seventeen, [cyclic]]) {
    const e = safeguardError(thrown(() => baseline.evaluate(bad)), "too_large");
    assert.equal(e.path, "$");
    assert.equal(e.json, tooLargeJson());
  }
});

/** The engine's own error for JSON text nested 17 levels deep. */
function tooLargeJson() {
  let text = "1";
  for (let i = 0; i < 17; i++) text = `[${text}]`;
  return thrown(() => baseline.evaluateJson(text)).json;
}

// Issue 21: one code for text that is not UTF-8: a lone surrogate is
// invalid_utf8 at its line and column, as in Python, C and the CLI.
test("a string with a lone surrogate is invalid_utf8 at its place", () => {
  const request = '{"domain": "sexting",\n "policy": "\ud800"}';
  const e = safeguardError(thrown(() => baseline.evaluateJson(request)), "invalid_utf8");
  assert.equal(e.line, 2);
  assert.equal(e.column, 13);
  assert.equal(e.path, null);
  safeguardError(thrown(() => baseline.evaluate(request)), "invalid_utf8");
  safeguardError(thrown(() => Engine.fromPreset("base\udc00line")), "invalid_utf8");
  safeguardError(thrown(() => Engine.fromPolicy(`${OWN_POLICY}\n# \ud800`)), "invalid_utf8");
  // A paired surrogate (an emoji) is ordinary text.
  assert.notEqual(thrown(() => baseline.evaluateJson('{"domain": "x\ud83d\ude00"}')).code, "invalid_utf8");
});
