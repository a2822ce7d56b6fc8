# Sourced: helpers to prepare local state and run `wrangler dev` (workerd,
# local D1 and Durable Objects). Used by dev.sh, integration.sh and bench.
# shellcheck shell=bash

# prepare_state DIR: applies D1 migrations to local state in DIR and seeds
# the demo tenants (idempotent: existing rows are kept).
prepare_state() {
  local dir="$1"
  mkdir -p "$dir"
  wrangler d1 migrations apply DB --local --persist-to "$dir" </dev/null >"$dir/migrate.log" 2>&1 \
    || { cat "$dir/migrate.log" >&2; die "D1 migrations failed"; }
  python3 "$ROOT/seeds/seed_sql.py" "$ROOT/seeds/demo.toml" "$dir/seed-media" >"$dir/seed.sql"
  wrangler d1 execute DB --local --persist-to "$dir" --file "$dir/seed.sql" </dev/null >"$dir/seed.log" 2>&1 \
    || { cat "$dir/seed.log" >&2; die "seeding failed"; }
  # The demo blogs' images, into local R2 (the same bytes every time).
  local file tenant
  for file in "$dir"/seed-media/*/*.png; do
    [ -e "$file" ] || continue
    tenant="$(basename "$(dirname "$file")")"
    wrangler r2 object put "grove-media/tenants/$tenant/media/$(basename "$file")" --file "$file" \
      --content-type image/png --local --persist-to "$dir" </dev/null >>"$dir/seed.log" 2>&1 \
      || { cat "$dir/seed.log" >&2; die "seeding the demo images failed"; }
  done
}

# ops_token DIR: the development ops token of this local state (made once,
# kept in DIR/ops-token; production sets the OPS_TOKEN secret instead).
ops_token() {
  local file="$1/ops-token"
  if [ ! -s "$file" ]; then
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$file"
  fi
  cat "$file"
}

# start_wrangler DIR PORT LOG: starts wrangler dev in its own process group,
# using the last build; prints the process group id. Custom domains are
# checked against the local DNS table (DNS_RESOLVER=local), which
# ops.{BASE}/dev/dns/{name} sets.
#
# Wrangler's local trace collector is off unless GROVE_LOCAL_TRACES=true
# (dev.sh turns it on): it streams every invocation of the worker and of
# each Durable Object to a SQLite store, with an fsync per batch. Measured
# on the bench's hot paths it doubled the worker's CPU per request and
# weighed twice on actor paths (two invocations per view). Production has
# no such collector, so tests and the benchmark run without it.
start_wrangler() {
  local dir="$1" port="$2" logfile="$3"
  local token extra=()
  token="$(ops_token "$dir")"
  # GROVE_DEV_VARS="NAME:VALUE ...": more worker vars (tests lower budgets).
  # GROVE_INSPECTOR_PORT: the inspector's port (the scale bench reads the JS heap there).
  for var in ${GROVE_DEV_VARS:-}; do extra+=(--var "$var"); done
  X_LOCAL_OBSERVABILITY="${GROVE_LOCAL_TRACES:-false}" \
    GROVE_SKIP_BUILD=1 setsid wrangler dev --local --ip 127.0.0.1 --port "$port" \
    --persist-to "$dir" --show-interactive-dev-session=false --inspector-port "${GROVE_INSPECTOR_PORT:-0}" \
    --infer-origin-from-routes=false \
    --log-level "${WRANGLER_LOG_LEVEL:-warn}" \
    --var "BASE_DOMAIN:$DEV_BASE_DOMAIN" --var PUBLIC_SCHEME:http --var "PUBLIC_PORT:$port" \
    --var "OPS_TOKEN:$token" --var DEV_METRICS:true --var MAILER:outbox --var DNS_RESOLVER:local "${extra[@]}" \
    </dev/null >"$logfile" 2>&1 &
  echo $!
}

# wait_ready PORT PGID LOG: waits until the apex answers (60 s at most).
wait_ready() {
  local port="$1" pgid="$2" logfile="$3"
  for _ in $(seq 1 240); do
    if curl -fsS -o /dev/null -H "Host: $DEV_BASE_DOMAIN:$port" "http://127.0.0.1:$port/" 2>/dev/null; then
      return 0
    fi
    kill -0 "$pgid" 2>/dev/null || { cat "$logfile" >&2; die "wrangler dev exited"; }
    sleep 0.25
  done
  cat "$logfile" >&2
  die "wrangler dev did not become ready on port $port"
}

# stop_wrangler PGID: stops wrangler, its workerd processes and esbuild.
stop_wrangler() {
  local pgid="$1"
  kill -TERM -- "-$pgid" 2>/dev/null || return 0
  for _ in $(seq 1 40); do
    kill -0 -- "-$pgid" 2>/dev/null || return 0
    sleep 0.25
  done
  kill -KILL -- "-$pgid" 2>/dev/null || true
}

# free_port: a TCP port nobody is listening on.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ensure_wrk: installs wrk (the benchmarks' load generator) with apt-get
# when it is missing.
ensure_wrk() {
  command -v wrk >/dev/null && return 0
  log "installing wrk (apt-get)"
  local SUDO=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "wrk is missing and this is not root: install it with 'apt-get install -y wrk'"
    SUDO=(sudo -n)
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! "${SUDO[@]}" apt-get install -y wrk >/dev/null 2>&1; then
    "${SUDO[@]}" apt-get update >/dev/null 2>&1 || die "apt-get update failed (needed to install wrk)"
    "${SUDO[@]}" apt-get install -y wrk >/dev/null || die "could not install wrk with apt-get"
  fi
  command -v wrk >/dev/null || die "wrk still not found after apt-get install"
}
