#!/usr/bin/env bash
# `make dev`: installs what is missing, builds, prepares local state
# (.grove-state/, kept between runs), seeds the demo tenants and runs the
# whole platform on 127.0.0.1:$PORT (default 8787) until Ctrl-C.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$ROOT/scripts/local.sh"
cd "$ROOT"

PORT="${PORT:-8787}"
STATE="${GROVE_STATE:-$ROOT/.grove-state}"

if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/"; then
  die "something already answers on 127.0.0.1:$PORT (another make dev?): stop it, or run PORT=NNNN make dev"
fi

bash scripts/install.sh
log "building the worker (release)"
bash scripts/build-worker.sh
log "applying D1 migrations and seeding demo tenants in $STATE"
prepare_state "$STATE"

log "starting wrangler dev on 127.0.0.1:$PORT"
LOG="$STATE/wrangler-dev.log"
# Wrangler's local traces stay on here, for the local explorer
# (GROVE_LOCAL_TRACES=false turns them off).
PGID="$(GROVE_LOCAL_TRACES="${GROVE_LOCAL_TRACES:-true}" start_wrangler "$STATE" "$PORT" "$LOG")"
TAIL=""
trap 'stop_wrangler "$PGID"; [ -n "$TAIL" ] && kill "$TAIL" 2>/dev/null; exit 0' EXIT INT TERM
wait_ready "$PORT" "$PGID" "$LOG"

cat <<MSG

  Grove is running (workerd, local D1 and Durable Objects; state in $STATE).

    Platform home     http://$DEV_BASE_DOMAIN:$PORT/
    Autumn Notes      http://autumn.$DEV_BASE_DOMAIN:$PORT/
    Meadow Journal    http://meadow.$DEV_BASE_DOMAIN:$PORT/
    Harbor Log        http://harbor.$DEV_BASE_DOMAIN:$PORT/   (paid plan: custom domains at /admin/domains)
    Custom domain     curl -H 'Host: autumn.test:$PORT' http://127.0.0.1:$PORT/

  Owners (demo accounts, local only) sign in at http://auth.$DEV_BASE_DOMAIN:$PORT/signin
  and write at /admin on their blog:
$(python3 "$ROOT/seeds/seed_sql.py" --accounts "$ROOT/seeds/demo.toml")

  Mail (password-reset links) is not sent in local runs: it waits in the outbox at
    http://auth.$DEV_BASE_DOMAIN:$PORT/dev/outbox

  Operators: the ops API at http://ops.$DEV_BASE_DOMAIN:$PORT/ takes this development token
    curl -H "Authorization: Bearer $(ops_token "$STATE")" http://ops.$DEV_BASE_DOMAIN:$PORT/tenants

  Custom domains are checked against a local DNS table: set a record with
    curl -H "Authorization: Bearer $(ops_token "$STATE")" -H "Host: ops.$DEV_BASE_DOMAIN:$PORT" \
      -X PUT http://127.0.0.1:$PORT/dev/dns/NAME -d '{"TXT": ["VALUE"]}'   (or CNAME, A, AAAA)

  *.localhost resolves to 127.0.0.1 in browsers and curl.
  Log: $LOG  ·  Ctrl-C stops everything.

MSG
tail -n 0 -f "$LOG" &
TAIL=$!
# wrangler runs in its own process group (not a child of this shell): watch it.
while kill -0 "$PGID" 2>/dev/null; do sleep 1; done
log "wrangler dev stopped"
