# Sourced by the other scripts: paths and settings that make the toolchain
# work offline and non-interactively: worker-build takes its tools from
# these variables instead of downloading them, and wrangler runs without
# prompts or telemetry.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# Versions pinned here and in Cargo.toml / package.json.
export WASM_BINDGEN_VERSION=0.2.130
export WORKER_BUILD_VERSION=0.8.7

# wrangler: no prompts, no telemetry, logs kept inside the repo.
export CI="${CI:-true}"
export WRANGLER_SEND_METRICS=false
export CLOUDFLARE_CF_FETCH_ENABLED=false
export XDG_CONFIG_HOME="$ROOT/.wrangler-home"

# worker-build: use local tools instead of downloading them.
export WASM_BINDGEN_BIN="$HOME/.cargo/bin/wasm-bindgen"
export WASM_OPT_BIN="$ROOT/node_modules/.bin/wasm-opt"
export ESBUILD_BIN="$ROOT/node_modules/.bin/esbuild"

# The browser suite drives Debian's chromium package (install.sh installs it
# when running as root).
export CHROMIUM_BIN="${CHROMIUM_BIN:-/usr/bin/chromium}"
CHROMIUM_MISSING="the browser suite needs Chromium at $CHROMIUM_BIN: install Debian's package (as root: apt-get install chromium), or set CHROMIUM_BIN to another Chromium"

# Development values of the worker vars (production values are in wrangler.toml).
export DEV_BASE_DOMAIN=grove.localhost

log() { printf '\033[1;32m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }
