#!/usr/bin/env bash
# Builds the npm package safeguard-engine (run by `npm run build`):
#
#   wasm/ (crate safeguard-wasm) --cargo, profile wasm-release--> .wasm
#     --wasm-bindgen --target web-->    dist/web/   (ES module; await init())
#     --wasm-opt -Oz (binaryen from node_modules)--> dist/web/safeguard_wasm_bg.wasm
#     dist/node/index.mjs: the Node entry, the same glue and the same .wasm
#       (read from ../web/ and instantiated at import), so the package
#       carries one copy of the .wasm
#     --size-report.mjs--> size-report.txt, size-report.json (bytes per part:
#       engine, presets, image metadata, analysis, crates; not committed)
#
# It installs what it needs and is missing: the wasm32-unknown-unknown
# target, and wasm-bindgen-cli at exactly the version of the wasm-bindgen
# crate in Cargo.lock (the generated JavaScript and the crate must match).
# binaryen comes from `npm ci` (a pinned devDependency).
set -euo pipefail
cd "$(dirname "$0")"
PKG=$PWD
REPO=$(cd ../.. && pwd)
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '==> %s\n' "$*"; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  step "installing the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$REPO/Cargo.lock")
if [ -z "$WB_VERSION" ]; then
  echo "build.sh: no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ]; then
  step "installing wasm-bindgen-cli $WB_VERSION"
  # --locked first; if its lock file names a crate version the registry no
  # longer serves (0.2.130's names a yanked webpki-roots), resolve afresh.
  cargo install --locked wasm-bindgen-cli --version "$WB_VERSION" ||
    cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

WASM_OPT="$PKG/node_modules/.bin/wasm-opt"
if [ ! -x "$WASM_OPT" ]; then
  echo "build.sh: $WASM_OPT is missing: run 'npm ci' in bindings/js first" >&2
  exit 1
fi

step "cargo build (wasm32-unknown-unknown, profile wasm-release)"
# A target directory of its own: never waits on another build's lock.
export CARGO_TARGET_DIR="$REPO/target/wasm-build"
# Cargo's messages, kept for the size report: they name the OUT_DIR of
# core's build script, where the deflated presets are.
MESSAGES="$CARGO_TARGET_DIR/safeguard-wasm-build.json"
mkdir -p "$CARGO_TARGET_DIR"
(cd "$REPO" && cargo build --locked --target wasm32-unknown-unknown -p safeguard-wasm --profile wasm-release \
  --message-format=json-render-diagnostics >"$MESSAGES")
RAW="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/safeguard_wasm.wasm"

# The features rustc enables for wasm32-unknown-unknown by default, which
# wasm-opt must accept and may keep using.
FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)

step "wasm-bindgen --target web -> dist/web"
rm -rf "$PKG/dist"
wasm-bindgen "$RAW" --out-dir "$PKG/dist/web" --no-typescript --target web
web_wasm="$PKG/dist/web/safeguard_wasm_bg.wasm"
# The names of the shipped file's functions, which it does not carry: the
# map wasm-opt writes after its last pass (keeping the names in the file
# with -g would change what -Oz makes).
SYMBOLS="$CARGO_TARGET_DIR/safeguard_wasm_bg.symbols"
step "wasm-opt -Oz dist/web/safeguard_wasm_bg.wasm"
"$WASM_OPT" -Oz "${FEATURES[@]}" --strip-debug --strip-producers \
  --symbolmap --pass-arg=symbolmap@"$SYMBOLS" "$web_wasm" -o "$web_wasm"

# The package's entry points. Both export the same names, and a default
# `init` and `initSync`, so one program runs in the browser and in Node.
cat >"$PKG/dist/web/index.js" <<'EOF'
// Browser entry: `await init()` once (it fetches safeguard_wasm_bg.wasm
// next to this file), or pass the module or its bytes to init/initSync.
export * from "./safeguard_wasm.js";
export { default } from "./safeguard_wasm.js";
EOF

# The Node entry uses the browser build's glue and its .wasm (one copy in
# the package): it reads the bytes next to the glue and instantiates them
# synchronously, so the API is ready when the import resolves.
mkdir -p "$PKG/dist/node"
cat >"$PKG/dist/node/index.mjs" <<'EOF'
// Node entry (ES module): the browser build's glue and .wasm (dist/web),
// compiled and instantiated when this is first imported. `init` and
// `initSync` exist so that code written for the browser build runs
// unchanged; they do nothing more.
import { readFileSync } from "node:fs";
import { initSync as instantiate } from "../web/safeguard_wasm.js";
const wasm = instantiate({ module: readFileSync(new URL("../web/safeguard_wasm_bg.wasm", import.meta.url)) });
export { Engine, presets, inspectImage, stripLocation, stripIdentifying, engineVersion, questions, contacts, buildPolicy, readAnswers, explainError } from "../web/safeguard_wasm.js";
export function initSync() {
  return wasm;
}
export default async function init() {
  return wasm;
}
EOF

# The TypeScript union of the built-in policy ids (types/index.d.ts imports
# it as PresetId), written from the engine's own presets(), so that adding
# a school (one file in core/presets/) needs no edit to the types.
step "dist/presets.d.ts (the preset id union, from presets())"
node --input-type=module -e '
const { presets } = await import(process.argv[1]);
const ids = presets().map((id) => `  | ${JSON.stringify(id)}`).join("\n");
process.stdout.write(`// Written by build.sh from presets(): do not edit.
/** The id of a built-in policy, "baseline" first. */
export type PresetId =
${ids};
`);
' "$PKG/dist/node/index.mjs" >"$PKG/dist/presets.d.ts"

printf '%s: %d bytes, %d gzipped\n' "dist/web/safeguard_wasm_bg.wasm" \
  "$(wc -c <"$web_wasm")" "$(gzip -9c "$web_wasm" | wc -c)"

step "size per part (size-report.txt, size-report.json; approximate)"
node "$PKG/size-report.mjs" "$web_wasm" "$SYMBOLS" "$MESSAGES" "$PKG/size-report"
