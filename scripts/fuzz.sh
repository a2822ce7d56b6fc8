#!/usr/bin/env bash
# `make fuzz`: the property tests of `make test` (shared/tests/properties),
# with many more cases each. `PROPTEST_CASES=N make fuzz` changes the count
# (default 20000, one to two minutes on two cores); `make fuzz
# ARGS=markdown` runs only the properties whose name contains `markdown`.
# A failing case is shrunk and saved under shared/tests/proptest-regressions/:
# commit that file with the fix, and every later run replays it first.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

export PROPTEST_CASES="${PROPTEST_CASES:-20000}"
log "property tests, $PROPTEST_CASES cases each"
start=$SECONDS
cargo test -p grove-shared --test properties -- "$@"
log "done in $((SECONDS - start)) s"
