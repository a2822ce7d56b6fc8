#!/usr/bin/env bash
# `make bench-scale`: Grove with 1,000 blogs (scripts/bench/scale.py says
# what is measured). Installs what is missing (and wrk), builds the worker
# once, prepares fresh state in target/bench-scale-XXXXXX (migrations, demo
# seed, 1,000 blogs × 20 posts from seeds/scale_sql.py), runs the cases and
# writes docs/benchmarks-scale.md. The state is removed whatever happens.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$ROOT/scripts/local.sh"
cd "$ROOT"

bash scripts/install.sh
ensure_wrk
for tool in ss python3; do
  command -v "$tool" >/dev/null || die "$tool not found (the benchmark needs it; ss is in iproute2)"
done
log "building the worker (release)"
bash scripts/build-worker.sh

mkdir -p "$ROOT/target"
STATE="$(mktemp -d "$ROOT/target/bench-scale-XXXXXX")"
cleanup() {
  for pgid in $(pgrep -f -- "--persist-to $STATE" | xargs -r ps -o pgid= -p | sort -u); do
    stop_wrangler "$pgid"
  done
  rm -rf "$STATE"
}
trap cleanup EXIT

log "preparing fresh state in ${STATE#"$ROOT"/}: migrations, demo seed, 1,000 blogs × 20 posts"
bash scripts/wrangler-ctl.sh prepare "$STATE"
bash scripts/wrangler-ctl.sh seed-scale "$STATE" 1000 20
DEV_BASE_DOMAIN="$DEV_BASE_DOMAIN" python3 scripts/bench/scale.py "$STATE"
