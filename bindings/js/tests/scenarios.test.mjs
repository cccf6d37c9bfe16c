// Every scenario of tests/scenarios/ through the WebAssembly build gives
// byte for byte the response (or error object) of the Rust CLI, and the
// explanation of `eval --explain-json`, as scripts/test-consistency checks
// for C and Python.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { REPO, cliPath, loadNode } from "./helpers.mjs";

const { Engine } = await loadNode();

/** The scenarios' requests, grouped by the policy each names. */
function scenarios() {
  const root = join(REPO, "tests", "scenarios");
  const byPolicy = new Map();
  let count = 0;
  for (const domain of readdirSync(root).sort()) {
    for (const file of readdirSync(join(root, domain)).sort()) {
      if (!file.endsWith(".json")) continue;
      const { request } = JSON.parse(readFileSync(join(root, domain, file), "utf8"));
      const policy = request.policy ?? "baseline";
      if (!byPolicy.has(policy)) byPolicy.set(policy, []);
      byPolicy.get(policy).push({ name: `${domain}/${file}`, request, line: JSON.stringify(request) });
      count++;
    }
  }
  return { byPolicy, count };
}

/** The CLI's answers, one line per request (with `flags`, such as
 * `--explain-json`, given to `eval`); a refused request exits 2. */
function rustAnswers(policy, lines, dir, flags = []) {
  const file = join(dir, `${policy}.jsonl`);
  writeFileSync(file, lines.join("\n") + "\n");
  let out;
  try {
    out = execFileSync(cliPath(), ["eval", "--jsonl", ...flags, "--policy", policy, file], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      maxBuffer: 64 << 20,
    });
  } catch (e) {
    if (e.status !== 2) throw e;
    out = e.stdout;
  }
  const answers = out.split("\n");
  assert.equal(answers.pop(), "", "the CLI's output ends in a newline");
  return answers;
}

/** What the WebAssembly engine answers (`evaluateJson`, or the `method`
 * given) to `request` (JSON text, or an object): its answer, or the error
 * object's text. */
function wasmAnswer(engine, request, method = "evaluateJson") {
  try {
    return engine[method](request);
  } catch (e) {
    if (e.name !== "SafeguardError") throw e;
    return e.json;
  }
}

const { byPolicy, count } = scenarios();

test(`the corpus has scenarios under every preset (${count})`, () => {
  assert.ok(count >= 300, `only ${count} scenarios`);
  assert.equal(byPolicy.size, 6);
});

test("evaluateJson is byte-identical to the Rust CLI on every scenario", () => {
  const dir = mkdtempSync(join(tmpdir(), "safeguard-js-"));
  let compared = 0;
  let errors = 0;
  try {
    for (const [policy, items] of byPolicy) {
      const rust = rustAnswers(policy, items.map((i) => i.line), dir);
      assert.equal(rust.length, items.length, `${policy}: one answer per request`);
      const engine = Engine.fromPreset(policy);
      items.forEach((item, k) => {
        const wasm = wasmAnswer(engine, item.line);
        assert.equal(wasm, rust[k], `${item.name}: WASM and Rust differ`);
        if (wasm.startsWith('{"schema_version":1,"error"')) errors++;
        compared++;
      });
      engine.free();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(compared, count);
  assert.ok(errors > 0, "some scenarios are refused requests");
  console.log(`identical responses from Rust and WASM for ${compared} scenarios (${errors} errors)`);
});

test("explainJson is byte-identical to the Rust CLI's --explain-json on every scenario", () => {
  const dir = mkdtempSync(join(tmpdir(), "safeguard-js-"));
  let compared = 0;
  try {
    for (const [policy, items] of byPolicy) {
      const lines = items.map((i) => i.line);
      const rust = rustAnswers(policy, lines, dir, ["--explain-json"]);
      assert.equal(rust.length, items.length, `${policy}: one explanation per request`);
      const engine = Engine.fromPreset(policy);
      items.forEach((item, k) => {
        const wasm = wasmAnswer(engine, item.line, "explainJson");
        assert.equal(wasm, rust[k], `${item.name}: WASM and Rust explain differently`);
        // An explanation carries its text for a person.
        if (!wasm.startsWith('{"schema_version":1,"error"')) {
          assert.ok(JSON.parse(wasm).text.length > 0, item.name);
        }
        const object = wasmAnswer(engine, item.request, "explain");
        const parsed = typeof object === "string" ? JSON.parse(object) : object;
        assert.deepEqual(parsed, JSON.parse(wasm), item.name);
        compared++;
      });
      engine.free();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(compared, count);
});

test("evaluate(object) deep-equals JSON.parse(evaluateJson) on every scenario", () => {
  for (const [policy, items] of byPolicy) {
    const engine = Engine.fromPreset(policy);
    for (const item of items) {
      const text = wasmAnswer(engine, item.line);
      let got;
      try {
        got = engine.evaluate(item.request);
      } catch (e) {
        got = JSON.parse(e.json);
      }
      assert.deepEqual(got, JSON.parse(text), item.name);
    }
    // One batch of the decidable ones, in order.
    const ok = items.filter((i) => !wasmAnswer(engine, i.line).includes('"error":{'));
    assert.deepEqual(
      engine.evaluateMany(ok.map((i) => i.request)),
      ok.map((i) => JSON.parse(engine.evaluateJson(i.line))),
    );
    engine.free();
  }
});

/** The bytes a malformed-corpus generator describes (tests/malformed/README.md);
 * `null` for one with random bytes, which are not text. */
function generate(spec) {
  const parts = [];
  for (const part of spec.parts) {
    if ("text" in part) parts.push(Buffer.from(part.text, "utf8"));
    else if ("repeat" in part) {
      const units = [];
      for (let i = 0; i < part.count; i++) units.push(part.repeat.replaceAll("{i}", String(i)));
      parts.push(Buffer.from(units.join(part.sep ?? ""), "utf8"));
    } else if ("hex" in part) parts.push(Buffer.from(part.hex, "hex"));
    else return null;
  }
  return Buffer.concat(parts);
}

/** Every request of the malformed corpus that is text (the engine takes text). */
function malformedRequests() {
  const dir = join(REPO, "tests", "malformed");
  const { cases } = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  const requests = [];
  for (const c of cases) {
    if (c.entry !== "request") continue;
    const file = join(dir, c.file);
    const bytes = c.file.endsWith(".gen") ? generate(JSON.parse(readFileSync(file, "utf8"))) : readFileSync(file);
    if (bytes === null) continue;
    let text;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      continue;
    }
    requests.push({ name: c.file, preset: c.engine ?? "baseline", text });
  }
  return requests;
}

test("evaluateJson gives the Rust CLI's error JSON byte for byte on the malformed corpus", () => {
  const requests = malformedRequests();
  assert.ok(requests.length >= 150, `only ${requests.length} malformed requests`);
  let errors = 0;
  for (const { name, preset, text } of requests) {
    let rust;
    try {
      rust = execFileSync(cliPath(), ["eval", "--json-errors", "--policy", preset], {
        input: text,
        encoding: "utf8",
        stdio: ["pipe", "pipe", "pipe"],
        maxBuffer: 64 << 20,
      });
    } catch (e) {
      if (e.status !== 2) throw e;
      rust = e.stderr;
      errors++;
    }
    const engine = Engine.fromPreset(preset);
    assert.equal(wasmAnswer(engine, text), rust.replace(/\n$/, ""), `${name}: WASM and Rust differ`);
    engine.free();
  }
  assert.ok(errors >= 140, `only ${errors} malformed requests refused`);
});
