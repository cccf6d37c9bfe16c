// tsc (the pinned devDependency) as the tests run it, and the README
// examples it checks.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE } from "./helpers.mjs";

/** The first ```ts block of a Markdown file; throws when there is none. */
export function readmeExample(file) {
  const snippet = readFileSync(file, "utf8").match(/^```ts\n(.*?)^```$/ms)?.[1];
  if (!snippet) throw new Error(`no \`\`\`ts block in ${file}`);
  return snippet;
}

/**
 * Runs `tsc --strict` on `files` in `cwd` (no output unless `emit`);
 * returns whether it passed and what it printed.
 */
export function tsc(files, { cwd, emit = false }) {
  const args = [
    "--strict",
    ...(emit ? [] : ["--noEmit"]),
    "--target", "es2022",
    "--module", "nodenext",
    "--moduleResolution", "nodenext",
    "--lib", "es2022,dom",
    "--types", "",
    ...files,
  ];
  try {
    const out = execFileSync(join(PACKAGE, "node_modules", ".bin", "tsc"), args, {
      cwd,
      encoding: "utf8",
      stdio: "pipe",
    });
    return { ok: true, out };
  } catch (e) {
    return { ok: false, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}
