// The README's usage example runs as written (importing the package by
// its name, which Node resolves to this package's "node" export).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { PACKAGE } from "./helpers.mjs";

test("the README example runs and prints what it says", () => {
  const readme = readFileSync(join(PACKAGE, "README.md"), "utf8");
  const snippet = readme.match(/^```js\n(.*?)^```$/ms)?.[1];
  assert.ok(snippet, "no ```js block in README.md");
  assert.ok(snippet.trim().split("\n").length <= 10, "the example is over 10 lines");
  const file = join(PACKAGE, "tests", `.readme-${process.pid}.mjs`);
  writeFileSync(file, snippet);
  try {
    const out = execFileSync(process.execPath, [file], { encoding: "utf8" });
    assert.match(out, /^refer_immediately \[/m);
    assert.match(out, /^SafeguardError unknown_field \$$/m);
  } finally {
    rmSync(file, { force: true });
  }
});
