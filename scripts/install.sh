#!/usr/bin/env bash
# Installs what Grove needs to build, run and test locally. Idempotent: each
# step checks first and does nothing when the right version is already there.
#
# The slow steps run at the same time, each logging to its own file under
# target/install-logs/: the two cargo installs (CPU-bound), Debian's
# chromium (network and disk; only the browser suite needs it) and the npm
# packages. The script waits for all of them and names any that failed.
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

install_chromium() {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 chromium
}

install_npm() {
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.grove-installed
}

LOGS="$ROOT/target/install-logs"
mkdir -p "$LOGS"
STEP_NAMES=()
STEP_PIDS=()
# step NAME COMMAND...: runs COMMAND in the background, logging to LOGS/NAME.log.
step() {
  local name="$1"
  shift
  (
    start=$SECONDS
    "$@"
    echo "done in $((SECONDS - start)) s"
  ) >"$LOGS/$name.log" 2>&1 &
  STEP_NAMES+=("$name")
  STEP_PIDS+=($!)
}

if [ "$("$WASM_BINDGEN_BIN" --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  step wasm-bindgen-cli light_install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if ! cargo install --list | grep -qx "worker-build v$WORKER_BUILD_VERSION:"; then
  log "installing worker-build $WORKER_BUILD_VERSION (a few minutes, once)"
  step worker-build light_install worker-build --version "$WORKER_BUILD_VERSION" --force
fi

# Chromium for the browser suite (scripts/browser.sh). Playwright cannot
# download its own browser here; it drives Debian's package instead.
if [ ! -x "$CHROMIUM_BIN" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's chromium for the browser suite (about 2 minutes, once)"
    step chromium install_chromium
  else
    printf '\033[1;33mnote:\033[0m %s\n' "$CHROMIUM_MISSING" >&2
  fi
fi

# npm packages: wrangler (workerd), Node 22 for it, wasm-opt and esbuild,
# playwright-core and axe-core for the browser suite.
stamp=node_modules/.grove-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  log "installing npm packages from package-lock.json"
  step npm install_npm
fi

failed=()
for i in "${!STEP_PIDS[@]}"; do
  name="${STEP_NAMES[$i]}"
  if wait "${STEP_PIDS[$i]}"; then
    log "$name: $(tail -n 1 "$LOGS/$name.log")"
  else
    failed+=("$name")
    printf '\033[1;31m--- %s failed; last lines of %s ---\033[0m\n' "$name" "$LOGS/$name.log" >&2
    tail -n 20 "$LOGS/$name.log" >&2
  fi
done
[ ${#failed[@]} -eq 0 ] || die "install failed: ${failed[*]} (full logs in $LOGS)"

node_version="$(node --version)"
case "$node_version" in
  v22.*|v23.*|v24.*) ;;
  *) die "node_modules/.bin/node should be Node 22, found $node_version" ;;
esac
