// The README's usage example (TypeScript) runs as written: tsc --strict
// compiles it (importing the package by its name, which resolves to this
// package's types and its "node" export) and Node runs the output.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { PACKAGE } from "./helpers.mjs";
import { readmeExample, tsc } from "./typescript.mjs";

test("the README example compiles under tsc --strict, runs and prints what it says", () => {
  const snippet = readmeExample(join(PACKAGE, "README.md"));
  assert.ok(snippet.trim().split("\n").length <= 10, "the example is over 10 lines");
  // Inside the package, so that "safeguard-engine" resolves to it.
  const dir = mkdtempSync(join(PACKAGE, "tests", "types", ".readme-"));
  try {
    writeFileSync(join(dir, "readme.mts"), snippet);
    const { ok, out } = tsc(["readme.mts"], { cwd: dir, emit: true });
    assert.ok(ok, `tsc refused the README example:\n${out}`);
    const run = execFileSync(process.execPath, [join(dir, "readme.mjs")], { encoding: "utf8" });
    assert.match(run, /^refer_immediately \[/m);
    assert.match(run, /^SafeguardError unknown_field \$$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
