#!/usr/bin/env bash
# `make test`: every check, in the order that fails fastest.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

bash scripts/install.sh

log "cargo fmt --check"
cargo fmt --all -- --check

log "clippy (native: shared and tests; wasm32: router and tenant-do)"
cargo clippy -p grove-shared -p grove-tests --all-targets -- -D warnings
cargo clippy -p grove-router -p grove-tenant-do --target wasm32-unknown-unknown -- -D warnings

log "native unit tests"
cargo test -p grove-shared

log "building the worker (release)"
bash scripts/build-worker.sh

log "wrangler deploy --dry-run (production bundle and config)"
DRY="$(mktemp -d)"
GROVE_SKIP_BUILD=1 wrangler deploy --dry-run --outdir "$DRY" </dev/null
rm -rf "$DRY"

log "integration tests against wrangler dev"
bash scripts/integration.sh
