#!/usr/bin/env bash
# Installs what Grove needs to build and run locally. Idempotent: each step
# checks first and does nothing when the right version is already there.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

command -v cargo >/dev/null || die "cargo not found: install Rust with rustup first"
command -v npm >/dev/null || die "npm not found: install Node.js (any version; Node 22 comes from npm)"
command -v python3 >/dev/null || die "python3 not found (used to turn seeds into SQL)"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    log "adding rustup component $component"
    rustup component add "$component"
  fi
done

# wasm-bindgen-cli and worker-build run for seconds per build: compile them
# with a light profile (no LTO, parallel codegen, opt-level 1). That takes
# minutes off a fresh machine's first `make dev`.
light_install() {
  CARGO_PROFILE_RELEASE_LTO=false \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
  CARGO_PROFILE_RELEASE_DEBUG=false \
    cargo install "$@"
}

if [ "$("$WASM_BINDGEN_BIN" --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  light_install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if ! cargo install --list | grep -qx "worker-build v$WORKER_BUILD_VERSION:"; then
  log "installing worker-build $WORKER_BUILD_VERSION (a few minutes, once)"
  light_install worker-build --version "$WORKER_BUILD_VERSION" --force
fi

# npm packages: wrangler (workerd), Node 22 for it, wasm-opt and esbuild.
stamp=node_modules/.grove-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  log "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
node_version="$(node --version)"
case "$node_version" in
  v22.*|v23.*|v24.*) ;;
  *) die "node_modules/.bin/node should be Node 22, found $node_version" ;;
esac
