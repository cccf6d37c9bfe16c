// Paths and loading shared by the Node tests.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO = join(PACKAGE, "..", "..");
export const NODE_DIST = join(PACKAGE, "dist", "node");
export const WEB_DIST = join(PACKAGE, "dist", "web");

/** The `safeguard` CLI (SAFEGUARD_CLI, else target/debug/safeguard). */
export function cliPath() {
  const cli = process.env.SAFEGUARD_CLI || join(REPO, "target", "debug", "safeguard");
  if (!existsSync(cli)) {
    throw new Error(`${cli} is missing: run 'cargo build -p safeguard-cli' (scripts/test-js does)`);
  }
  return cli;
}

/** The Node build of the main module (`safeguard-engine`); throws with a
 * hint when the package is not built. */
export async function loadNode() {
  return loadEntry("index.mjs");
}

/** The Node build of the authoring module (`safeguard-engine/authoring`):
 * the main API plus lint, diff, checks, review and the policy builder. */
export async function loadAuthoring() {
  return loadEntry("authoring.mjs");
}

async function loadEntry(file) {
  const entry = join(NODE_DIST, file);
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing: run 'npm run build' in bindings/js first`);
  }
  return import(entry);
}

/** Calls f and returns what it threw (fails when it throws nothing). */
export function thrown(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected an exception, got none");
}
