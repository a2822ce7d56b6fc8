#!/usr/bin/env bash
# Builds the worker (router + actors) to router/build/ with worker-build.
# wrangler runs this as its [build] command. GROVE_SKIP_BUILD=1 reuses the
# last build (tests build once, then start wrangler several times).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
if [ "${GROVE_SKIP_BUILD:-0}" = 1 ] && [ -f router/build/worker/shim.mjs ]; then
  exit 0
fi
cd router
worker-build --release
