#!/usr/bin/env bash
# Runs the integration tests against a real `wrangler dev` started on a free
# port with fresh local state, and stops it afterwards whatever the outcome.
# Expects the worker to be built already (scripts/test.sh does that).
# Arguments go to `cargo test` (e.g. `--test cache spellings`).
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$ROOT/scripts/local.sh"
cd "$ROOT"

STATE="$(mktemp -d "$ROOT/target/it-state.XXXXXX")"
PORT="$(free_port)"
LOG="$STATE/wrangler-dev.log"
PGID=""
cleanup() {
  [ -n "$PGID" ] && stop_wrangler "$PGID"
  rm -rf "$STATE"
}
trap cleanup EXIT INT TERM

prepare_state "$STATE"
PGID="$(start_wrangler "$STATE" "$PORT" "$LOG")"
wait_ready "$PORT" "$PGID" "$LOG"
log "wrangler dev ready on 127.0.0.1:$PORT; running integration tests"
RESULTS="${GROVE_TEST_RESULTS:-/dev/null}"
# GROVE_STATE: the local state, for tests that seed rows no API writes yet,
# or look at what D1 and KV hold.
if ! GROVE_PORT="$PORT" GROVE_BASE_DOMAIN="$DEV_BASE_DOMAIN" GROVE_OPS_TOKEN="$(ops_token "$STATE")" GROVE_STATE="$STATE" cargo test -p grove-tests --no-fail-fast "$@" 2>&1 | tee -a "$RESULTS"; then
  echo "--- wrangler dev log (last 50 lines) ---" >&2
  tail -n 50 "$LOG" >&2
  exit 1
fi
