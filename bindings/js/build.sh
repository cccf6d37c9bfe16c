#!/usr/bin/env bash
# Builds the npm package safeguard-engine (run by `npm run build`): two
# WebAssembly modules from the one crate wasm/ (safeguard-wasm), the main
# one (no features: deciding, explaining, image metadata) and the
# authoring one (`--features authoring`: the same plus lint, diff, checks,
# review and the policy builder):
#
#   wasm/ --cargo, profile wasm-release--> .wasm
#     --wasm-bindgen --target web-->    dist/web/safeguard_wasm.js (main),
#                                       dist/web/safeguard_authoring.js
#     --wasm-opt -Oz (binaryen from node_modules)--> dist/web/*_bg.wasm
#     dist/web/index.js, authoring.js: the browser entries
#     dist/node/index.mjs, authoring.mjs: the Node entries, the same glue
#       and the same .wasm (read from ../web/ and instantiated at import),
#       so the package carries one copy of each .wasm
#     --size-report.mjs--> size-report.txt, .json (the main module) and
#       size-report-authoring.txt, .json (bytes per part: engine, presets,
#       image metadata, analysis, crates; not committed)
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

# A target directory of its own: never waits on another build's lock.
export CARGO_TARGET_DIR="$REPO/target/wasm-build"
mkdir -p "$CARGO_TARGET_DIR"
RAW="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/safeguard_wasm.wasm"

# The features rustc enables for wasm32-unknown-unknown by default, which
# wasm-opt must accept and may keep using.
FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)

rm -rf "$PKG/dist"

# build_module NAME [CARGO ARGS...]: the crate built with the given
# features, wasm-bindgen'd to dist/web/NAME.js and NAME_bg.wasm, then
# wasm-opt -Oz. Cargo's messages are kept for the size report (they name
# the OUT_DIR of core's build script, where the deflated presets are), and
# so is the map of the shipped file's function names, which it does not
# carry: the map wasm-opt writes after its last pass (keeping the names in
# the file with -g would change what -Oz makes).
build_module() {
  local name=$1
  shift
  step "cargo build $name (wasm32-unknown-unknown, profile wasm-release $*)"
  (cd "$REPO" && cargo build --locked --target wasm32-unknown-unknown -p safeguard-wasm --profile wasm-release \
    "$@" --message-format=json-render-diagnostics >"$CARGO_TARGET_DIR/$name.build.json")
  step "wasm-bindgen --target web -> dist/web/$name.js"
  wasm-bindgen "$RAW" --out-dir "$PKG/dist/web" --out-name "$name" --no-typescript --target web
  local wasm="$PKG/dist/web/${name}_bg.wasm"
  step "wasm-opt -Oz dist/web/${name}_bg.wasm"
  "$WASM_OPT" -Oz "${FEATURES[@]}" --strip-debug --strip-producers \
    --symbolmap --pass-arg=symbolmap@"$CARGO_TARGET_DIR/$name.symbols" "$wasm" -o "$wasm"
}

# Two modules from the one crate: the main one (deciding, explaining,
# image metadata: what a school website or the consent checker needs,
# held to SPEC §9's 400 KB gzipped) and the authoring one (the main API
# plus lint, diff, checks, review and the policy builder).
build_module safeguard_wasm
build_module safeguard_authoring --features authoring

# The package's entry points, two per module. Both of a module export the
# same names, and a default `init` and `initSync`, so one program runs in
# the browser and in Node.
MAIN_NAMES="Engine, presets, inspectImage, stripLocation, stripIdentifying, engineVersion, explainError"
AUTHORING_NAMES="$MAIN_NAMES, questions, contacts, buildPolicy, readAnswers"
# web_entry FILE MODULE: the browser entry: `await init()` once (it
# fetches MODULE_bg.wasm next to it), or pass the module or its bytes to
# init/initSync.
web_entry() {
  cat >"$PKG/dist/web/$1" <<EOF
// Browser entry: \`await init()\` once (it fetches $2_bg.wasm
// next to this file), or pass the module or its bytes to init/initSync.
export * from "./$2.js";
export { default } from "./$2.js";
EOF
}
# node_entry FILE MODULE NAMES: the Node entry uses the browser build's
# glue and its .wasm (one copy in the package): it reads the bytes next to
# the glue and instantiates them synchronously, so the API is ready when
# the import resolves.
node_entry() {
  cat >"$PKG/dist/node/$1" <<EOF
// Node entry (ES module): the browser build's glue and .wasm (dist/web/$2),
// compiled and instantiated when this is first imported. \`init\` and
// \`initSync\` exist so that code written for the browser build runs
// unchanged; they do nothing more.
import { readFileSync } from "node:fs";
import { initSync as instantiate } from "../web/$2.js";
const wasm = instantiate({ module: readFileSync(new URL("../web/$2_bg.wasm", import.meta.url)) });
export { $3 } from "../web/$2.js";
export function initSync() {
  return wasm;
}
export default async function init() {
  return wasm;
}
EOF
}
mkdir -p "$PKG/dist/node"
web_entry index.js safeguard_wasm
web_entry authoring.js safeguard_authoring
node_entry index.mjs safeguard_wasm "$MAIN_NAMES"
node_entry authoring.mjs safeguard_authoring "$AUTHORING_NAMES"

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

# Each module's size, gzipped as tests/size.test.mjs gzips it (Node's
# zlib, level 9), which holds the main module to SPEC §9's 400 KB.
node --input-type=module -e '
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
for (const file of process.argv.slice(1)) {
  const bytes = readFileSync(file);
  console.log(`dist/web/${file.split("/").pop()}: ${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} gzipped`);
}
' "$PKG/dist/web/safeguard_wasm_bg.wasm" "$PKG/dist/web/safeguard_authoring_bg.wasm"

step "size per part (size-report.txt and .json for the main module, size-report-authoring.*; approximate)"
node "$PKG/size-report.mjs" "$PKG/dist/web/safeguard_wasm_bg.wasm" "$CARGO_TARGET_DIR/safeguard_wasm.symbols" \
  "$CARGO_TARGET_DIR/safeguard_wasm.build.json" "$PKG/size-report"
node "$PKG/size-report.mjs" "$PKG/dist/web/safeguard_authoring_bg.wasm" "$CARGO_TARGET_DIR/safeguard_authoring.symbols" \
  "$CARGO_TARGET_DIR/safeguard_authoring.build.json" "$PKG/size-report-authoring"
