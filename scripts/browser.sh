#!/usr/bin/env bash
# The browser suite (tests/browser/, Node's own test runner driving Debian's
# Chromium through playwright-core) against a real `wrangler dev` started on
# a free port with fresh state, stopped afterwards whatever the outcome.
#
#   scripts/browser.sh                 every test file
#   scripts/browser.sh reader axe      tests/browser/reader.test.mjs and axe.test.mjs
#   scripts/browser.sh --screenshots   no tests: saves docs/screenshots/*.png
#
# Builds the worker if there is no build yet (scripts/test.sh builds first).
# With GROVE_TEST_RESULTS set, appends a `test result:` line with the
# suite's counts, which scripts/test.sh adds to its total.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$ROOT/scripts/local.sh"
cd "$ROOT"

MODE=test
if [ "${1:-}" = --screenshots ]; then
  MODE=screenshots
  shift
fi

[ -x "$CHROMIUM_BIN" ] || die "$CHROMIUM_MISSING"
[ -d node_modules/playwright-core ] && [ -d node_modules/axe-core ] \
  || die "playwright-core or axe-core missing from node_modules: run scripts/install.sh"
if [ ! -f router/build/worker/shim.mjs ]; then
  log "no worker build yet: building it (release)"
  bash scripts/build-worker.sh
fi
# From here on wrangler (migrations, dev) reuses that build.
export GROVE_SKIP_BUILD=1

FILES=()
for name in "$@"; do
  f="tests/browser/$name.test.mjs"
  [ -f "$f" ] || die "no such browser test file: $f"
  FILES+=("$f")
done
[ ${#FILES[@]} -gt 0 ] || FILES=(tests/browser/*.test.mjs)

mkdir -p target
STATE="$(mktemp -d "$ROOT/target/browser-state.XXXXXX")"
PORT="$(free_port)"
LOG="$STATE/wrangler-dev.log"
PGID=""
cleanup() {
  [ -n "$PGID" ] && stop_wrangler "$PGID"
  rm -rf "$STATE"
}
trap cleanup EXIT INT TERM

started=$SECONDS
prepare_state "$STATE"
PGID="$(start_wrangler "$STATE" "$PORT" "$LOG")"
wait_ready "$PORT" "$PGID" "$LOG"
export GROVE_PORT="$PORT" GROVE_BASE_DOMAIN="$DEV_BASE_DOMAIN" CHROMIUM_BIN
# The ops token (the domains journey sets the local DNS resolver's records).
GROVE_OPS_TOKEN="$(ops_token "$STATE")"
export GROVE_OPS_TOKEN

if [ "$MODE" = screenshots ]; then
  log "wrangler dev ready on 127.0.0.1:$PORT; taking screenshots"
  node tests/browser/screenshots.mjs "$ROOT/docs/screenshots"
  log "screenshots saved in docs/screenshots/ ($((SECONDS - started)) s)"
  exit 0
fi

log "wrangler dev ready on 127.0.0.1:$PORT; running the browser suite (${#FILES[@]} files)"
OUT="$STATE/node-test.out"
status=0
# Two files at a time: each waits mostly on the worker and the browser,
# and the pair keeps both cores busy.
node --test --test-reporter=spec --test-concurrency="${GROVE_BROWSER_JOBS:-2}" \
  --test-timeout=120000 "${FILES[@]}" 2>&1 | tee "$OUT" || status=$?

# node:test's closing summary: "ℹ pass N", "ℹ fail N", "ℹ cancelled N", "ℹ todo N".
count() {
  local n
  n="$(sed -n "s/^ℹ $1 \([0-9]*\)$/\1/p" "$OUT" | tail -n 1)"
  echo "${n:-0}"
}
passed="$(count pass)"
failed=$(($(count fail) + $(count cancelled)))
todo="$(count todo)"
if ! grep -q '^ℹ tests [0-9]' "$OUT"; then
  failed=$((failed + 1)) # the runner itself did not finish
  status=1
fi
if [ -n "${GROVE_TEST_RESULTS:-}" ]; then
  echo "test result: browser suite. $passed passed; $failed failed; $todo todo" >>"$GROVE_TEST_RESULTS"
fi
log "browser suite: $passed passed, $failed failed, $todo todo, in $((SECONDS - started)) s"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  echo "--- wrangler dev log (last 50 lines) ---" >&2
  tail -n 50 "$LOG" >&2
  exit 1
fi
