#!/usr/bin/env bash
# `make test`: every check, in the order that fails fastest.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

bash scripts/install.sh

# Every cargo test run appends its output here; the totals close the run.
export GROVE_TEST_RESULTS="$(mktemp)"
trap 'rm -f "$GROVE_TEST_RESULTS"' EXIT

log "cargo fmt --check"
cargo fmt --all -- --check

log "clippy (native: shared and tests; wasm32: router and tenant-do)"
cargo clippy -p grove-shared -p grove-tests --all-targets -- -D warnings
cargo clippy -p grove-router -p grove-tenant-do --target wasm32-unknown-unknown -- -D warnings

log "native unit tests"
cargo test -p grove-shared 2>&1 | tee -a "$GROVE_TEST_RESULTS"

log "building the worker (release)"
bash scripts/build-worker.sh

log "wrangler deploy --dry-run (production bundle and config)"
DRY="$(mktemp -d)"
GROVE_SKIP_BUILD=1 wrangler deploy --dry-run --outdir "$DRY" </dev/null
rm -rf "$DRY"

# The two suites against wrangler dev both run, whatever the first one's
# outcome, so the totals below count every test.
status=0
log "integration tests against wrangler dev"
bash scripts/integration.sh || status=1

log "browser suite (Chromium) against wrangler dev"
bash scripts/browser.sh || status=1

awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "\ntests: %d passed, %d failed\n", p, f }' "$GROVE_TEST_RESULTS"
exit "$status"
