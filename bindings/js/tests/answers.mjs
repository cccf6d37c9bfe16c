// The WebAssembly build's answers for the cross-binding check
// (scripts/test-consistency): every case DIR/cases.tsv lists (written by
// `cargo run -p safeguard-tests --example json_answers -- DIR`, which
// describes the files), one line per case on stdout, in the json module's
// terms: the response JSON, "loaded", "stripped" (the copy written to
// DIR/stripped/NAME.wasm), "built" (the policy `buildPolicy` wrote, in
// DIR/built/NAME.wasm) or the error JSON (`SafeguardError.json`). An entry
// the package does not offer is answered "unsupported": `buildPolicy` takes
// JSON answers only. Decisions, policies and images go through the main
// module (`safeguard-engine`), lint, the review and the builder through the
// authoring module (`safeguard-engine/authoring`), which has them.
//
// Usage: node tests/answers.mjs DIR (after `npm run build`).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadAuthoring, loadNode } from "./helpers.mjs";

const { Engine, inspectImage, stripLocation } = await loadNode();
const authoring = await loadAuthoring();
const dir = process.argv[2];

/** The input as the string a JavaScript caller has: the text itself, or,
 * for bytes that are not UTF-8, their valid prefix and a lone surrogate
 * (which the binding reports as invalid_utf8 at that place). */
function text(bytes, valid) {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  if (valid === "-") return decoder.decode(bytes);
  return decoder.decode(bytes.subarray(0, Number(valid))) + "\udcff";
}

function answer(name, entry, preset, valid) {
  const bytes = readFileSync(join(dir, "cases", name));
  try {
    switch (entry) {
      case "request":
        return Engine.fromPreset(preset).evaluateJson(text(bytes, valid));
      case "explain":
        return Engine.fromPreset(preset).explainJson(text(bytes, valid));
      case "policy_toml":
      case "policy_json":
        Engine.fromPolicy(text(bytes, valid), entry.slice("policy_".length)).free();
        return "loaded";
      case "policy_lint":
        return JSON.stringify(authoring.Engine.fromPolicy(text(bytes, valid), "toml").lint());
      case "review": {
        const report = authoring.Engine.fromPolicy(text(bytes, valid), "toml").review();
        return typeof report === "string" ? report : JSON.stringify(report);
      }
      case "build_policy_toml":
        return "unsupported";
      case "build_policy_json":
        writeFileSync(join(dir, "built", `${name}.wasm`), authoring.buildPolicy(text(bytes, valid)));
        return "built";
      case "image_inspect":
        return JSON.stringify(inspectImage(bytes));
      case "image_strip":
        writeFileSync(join(dir, "stripped", `${name}.wasm`), stripLocation(bytes));
        return "stripped";
      default:
        throw new Error(`${name}: no entry point ${entry}`);
    }
  } catch (e) {
    if (e.name === "SafeguardError") return e.json;
    throw e;
  }
}

const rows = readFileSync(join(dir, "cases.tsv"), "utf8").split("\n").filter((r) => r);
const out = rows.map((row) => answer(...row.split("\t")));
process.stdout.write(out.join("\n") + "\n");
