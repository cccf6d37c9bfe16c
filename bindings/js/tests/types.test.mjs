// The TypeScript types: types/wire.d.ts is what scripts/gen-types.mjs
// makes of the JSON Schemas in schema/ today (it fails when a schema
// changed and wire.d.ts was not regenerated), and `tsc --strict` accepts
// the README's example and a typed program over every domain, and
// refuses a program that gets a token or a field wrong; the per-domain
// outcome unions, the one part written by hand, hold what the engine
// answers.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { generate, OUTPUT, SCHEMA_DIR } from "../scripts/gen-types.mjs";
import { loadNode, PACKAGE, REPO } from "./helpers.mjs";
import { readmeExample, tsc } from "./typescript.mjs";

const TYPES_DIR = join(PACKAGE, "tests", "types");

test("types/wire.d.ts is what the schemas give (npm run gen-types)", async () => {
  const committed = readFileSync(OUTPUT, "utf8");
  const generated = await generate();
  assert.ok(
    committed === generated,
    "types/wire.d.ts is out of date with schema/: run `npm run gen-types` in bindings/js and commit it",
  );
});

test("the generated types follow the schemas: a token taken out of a schema leaves the types", async () => {
  const dir = mkdtempSync(join(tmpdir(), "safeguard-schema-"));
  try {
    cpSync(SCHEMA_DIR, dir, { recursive: true });
    // Every schema that defines the devices' Location (the request's, the
    // lint report's, the answers file's) loses "toilets".
    let changed = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".schema.json"))) {
      const schema = JSON.parse(readFileSync(join(dir, file), "utf8"));
      const location = schema.$defs?.Location;
      if (!location?.enum?.includes("toilets")) continue;
      location.enum = location.enum.filter((token) => token !== "toilets");
      writeFileSync(join(dir, file), JSON.stringify(schema));
      changed += 1;
    }
    assert.ok(changed > 0, "no schema defines Location with toilets");
    const before = await generate();
    const after = await generate(dir);
    assert.match(before, /"toilets"/);
    assert.doesNotMatch(after, /"toilets"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tsc --strict --noEmit accepts both READMEs' examples and the typed program over every domain", () => {
  const examples = {
    "readme-package.mts": readmeExample(join(PACKAGE, "README.md")),
    "readme-repository.mts": readmeExample(join(REPO, "README.md")),
  };
  const dir = mkdtempSync(join(TYPES_DIR, ".check-"));
  try {
    for (const [file, text] of Object.entries(examples)) writeFileSync(join(dir, file), text);
    cpSync(join(TYPES_DIR, "domains.mts"), join(dir, "domains.mts"));
    const { ok, out } = tsc([...Object.keys(examples), "domains.mts"], { cwd: dir });
    assert.ok(ok, `tsc refused:\n${out}`);
    // The typed program also runs: every decision's outcome is one its
    // domain's type allows (else it throws), whatever the types say.
    const emitted = tsc(["domains.mts"], { cwd: dir, emit: true });
    assert.ok(emitted.ok, emitted.out);
    const run = execFileSync(process.execPath, [join(dir, "domains.mjs")], { encoding: "utf8" });
    assert.match(run, /^refer: \[/m);
    assert.match(run, /^unknown_field \$$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tsc --strict refuses a wrong outcome token, a wrong request token and a misspelt field", () => {
  const prelude = `import { Engine, type DevicesRequest, type SextingDecision, type SextingRequest } from "safeguard-engine";
declare const r: SextingRequest;
const d: SextingDecision = Engine.fromPreset("baseline").evaluate(r);
`;
  // Each wrong line, and the right line it stands for (which must pass,
  // so that a failure is the wrong line's and not the prelude's).
  const cases = {
    outcome: [`if (d.outcome === "allow") console.log(d);`, `if (d.outcome === "refer_immediately") console.log(d);`],
    token: [
      `const t: DevicesRequest["context"]["location"] = "bathroom";`,
      `const t: DevicesRequest["context"]["location"] = "toilets";`,
    ],
    field: [
      `const f: SextingRequest = { incident_date: "2025-01-20", young_people: [], fact: {} };`,
      `const f: SextingRequest = { incident_date: "2025-01-20", young_people: [], facts: {} };`,
    ],
  };
  const dir = mkdtempSync(join(TYPES_DIR, ".wrong-"));
  try {
    for (const [what, [wrong, right]] of Object.entries(cases)) {
      writeFileSync(join(dir, "right.mts"), `${prelude}${right}\nexport {};\n`);
      const passed = tsc(["right.mts"], { cwd: dir });
      assert.ok(passed.ok, `tsc refused the right ${what}:\n${passed.out}`);
      writeFileSync(join(dir, "wrong.mts"), `${prelude}${wrong}\nexport {};\n`);
      const failed = tsc(["wrong.mts"], { cwd: dir });
      assert.ok(!failed.ok, `tsc accepted a wrong ${what}`);
      assert.match(failed.out, /^wrong\.mts\(4,\d+\): error TS\d+/m, `tsc refused another line (${what}):\n${failed.out}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The outcomes index.d.ts gives each domain (its `<Domain>Outcome = Subset<...>` unions). */
function outcomesByDomain() {
  const text = readFileSync(join(PACKAGE, "types", "index.d.ts"), "utf8");
  const unions = [...text.matchAll(/export type (\w+)Outcome = Subset<([^>]*)>/g)];
  return new Map(
    unions.map(([, name, body]) => [name.toLowerCase(), [...body.matchAll(/"(\w+)"/g)].map((m) => m[1])]),
  );
}

test("each domain's outcome union in index.d.ts holds every outcome the scenario corpus gives it, and they cover the schema's", async () => {
  const byDomain = outcomesByDomain();
  assert.deepEqual([...byDomain.keys()].sort(), ["devices", "escalation", "images", "sexting"]);
  const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, "response.schema.json"), "utf8"));
  const all = schema.$defs.Outcome.oneOf.map((o) => o.const).sort();
  assert.deepEqual([...byDomain.values()].flat().sort(), all, "the domains' outcomes are not the schema's");

  const { Engine } = await loadNode();
  const root = join(REPO, "tests", "scenarios");
  const engines = new Map();
  let decided = 0;
  for (const domain of readdirSync(root).sort()) {
    for (const file of readdirSync(join(root, domain)).filter((f) => f.endsWith(".json"))) {
      const { request } = JSON.parse(readFileSync(join(root, domain, file), "utf8"));
      const policy = request.policy ?? "baseline";
      if (!engines.has(policy)) engines.set(policy, Engine.fromPreset(policy));
      let decision;
      try {
        decision = engines.get(policy).evaluate(request);
      } catch {
        continue; // a refused request has no outcome
      }
      assert.ok(
        byDomain.get(decision.domain)?.includes(decision.outcome),
        `${domain}/${file}: ${decision.outcome} is not among index.d.ts's ${decision.domain} outcomes`,
      );
      decided += 1;
    }
  }
  assert.ok(decided > 100, `only ${decided} scenarios decided`);
});
