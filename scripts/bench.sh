#!/usr/bin/env bash
# `make bench`: reader and writer throughput of a release build under
# `wrangler dev` (workerd, local D1 and Durable Objects), measured with wrk
# against 127.0.0.1 only.
#
# One run: installs what is missing (and wrk), builds the worker once,
# prepares fresh state in target/bench-state-XXXXXX (migrations, demo seed,
# and the `t_bench` tenant with 1,000 posts from seeds/bench_sql.py), then
# runs the read-path cases (trivial, actor floor, hot post via the actor,
# edge hit, edge hit on a custom domain, list page) interleaved on one server: BENCH_ROUNDS rounds
# (default 5) of BENCH_ROUND_SECS (default 5 s) each, reporting medians;
# the cold post and the admin write run once (`wrk -t2 -c16 -d10s`), and
# the rate-limit pair (hot post with the check on and off) on two servers
# at once, interleaved with their trivial routes. After each case, 20
# sequential requests read `x-grove-d1-queries` (D1 statements per request).
# The blog-address availability API (auth host, one D1 statement) runs in
# rounds beside a trivial route. A freshness check (publish, then read
# anonymously) closes the run. Prints
# one table and writes the same text to docs/benchmarks.md.
#
# wrangler is stopped and the state removed whatever happens.
# BENCH_SECS=N changes the measured duration (default 10).
# Wrangler's local trace collector is off, as in the tests (see
# start_wrangler in local.sh); GROVE_LOCAL_TRACES=true measures with it.
# By default every request goes straight to the user worker's own workerd
# socket, skipping wrangler's dev proxy (which runs each HTML response
# through HTMLRewriter for live reload and rewrites headers), and the
# report goes to docs/benchmarks-direct.md, the primary table.
# BENCH_DIRECT=0 measures through the proxy and writes docs/benchmarks.md.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$ROOT/scripts/local.sh"
cd "$ROOT"

SECS="${BENCH_SECS:-10}"
# The read-path cases run interleaved, ROUNDS times each, on one server;
# each reports its median req/s and the median of its per-round ratios to
# the trivial route of the same round (a slow spell of the VM then hits a
# whole round, not one case).
ROUNDS="${BENCH_ROUNDS:-5}"
ROUND_SECS="${BENCH_ROUND_SECS:-5}"
WARM_SECS=2
PROBES=20
POSTS=1000
HOT_PATH=/blog/bench-post-0500
LIST_PATH='/blog?page=7'
# The bench blog's verified custom domain (seeds/bench_sql.py): the same
# edge hit through a custom domain's host mapping.
BENCH_DOMAIN=bench.test
# Any session cookie, even an invalid one, makes the router bypass the edge
# cache: the request reaches the tenant's actor.
BYPASS='Cookie: grove_session=bench'
# Straight to the runtime by default (the primary table); BENCH_DIRECT=0
# measures through wrangler's dev proxy, as a browser on `wrangler dev` would.
DIRECT="${BENCH_DIRECT:-1}"
REPORT_DOC="$ROOT/docs/benchmarks-direct.md"
[ "$DIRECT" = 1 ] || REPORT_DOC="$ROOT/docs/benchmarks.md"
if [ "${GROVE_LOCAL_TRACES:-false}" = true ]; then TRACES_STATE=on; else TRACES_STATE=off; fi

# ---------------------------------------------------------------- setup ----

bash scripts/install.sh
for tool in curl python3; do
  command -v "$tool" >/dev/null || die "$tool not found (the benchmark needs it)"
done
ensure_wrk

log "building the worker (release)"
bash scripts/build-worker.sh

mkdir -p "$ROOT/target"
STATE="$(mktemp -d "$ROOT/target/bench-state-XXXXXX")"
PGID=""
# The first of two servers running at once (the rate-limit pair).
PGID_ON=""
PORT=""
LOG=""
cleanup() {
  local rc=$?
  if [ -n "$PGID" ]; then
    stop_wrangler "$PGID"
    PGID=""
  fi
  if [ -n "$PGID_ON" ]; then
    stop_wrangler "$PGID_ON"
    PGID_ON=""
  fi
  if [ "$rc" != 0 ] && [ -n "$LOG" ] && [ -s "$LOG" ]; then
    echo "--- wrangler dev log (last 30 lines) ---" >&2
    tail -n 30 "$LOG" >&2
  fi
  rm -rf "$STATE" "$STATE-off"
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "bench.sh: line $LINENO failed: $BASH_COMMAND" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

# Starting wrangler with extra `wrangler dev` args (READER_CACHE_BYTES,
# READER_LIMITS) reuses start_wrangler from local.sh unchanged: a shim named
# `wrangler`, first on PATH only for that call, appends $GROVE_BENCH_DEV_ARGS.
REAL_WRANGLER="$(command -v wrangler)" || die "wrangler not found (scripts/install.sh should have installed it)"
SHIM_DIR="$STATE/bin"
mkdir -p "$SHIM_DIR"
cat >"$SHIM_DIR/wrangler" <<SHIM
#!/usr/bin/env bash
# make bench: wrangler, with \$GROVE_BENCH_DEV_ARGS appended to \`wrangler dev\`.
if [ "\${1:-}" = dev ]; then
  # shellcheck disable=SC2086
  exec "$REAL_WRANGLER" "\$@" \${GROVE_BENCH_DEV_ARGS:-}
fi
exec "$REAL_WRANGLER" "\$@"
SHIM
chmod +x "$SHIM_DIR/wrangler"

log "preparing fresh state in ${STATE#"$ROOT"/} (migrations, demo seed, $POSTS bench posts)"
prepare_state "$STATE"
python3 "$ROOT/seeds/bench_sql.py" "$POSTS" >"$STATE/bench.sql"
wrangler d1 execute DB --local --persist-to "$STATE" --file "$STATE/bench.sql" </dev/null >"$STATE/bench-seed.log" 2>&1 \
  || { tail -n 20 "$STATE/bench-seed.log" >&2; die "seeding the bench tenant failed"; }
wrangler d1 execute DB --local --persist-to "$STATE" --json \
  --command "SELECT count(*) AS n FROM posts WHERE tenant_id = 't_bench' AND status = 'published'" \
  </dev/null >"$STATE/bench-count.json" 2>"$STATE/bench-count.log" || true
seeded="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["results"][0]["n"])' "$STATE/bench-count.json" 2>/dev/null || echo "?")"
[ "$seeded" = "$POSTS" ] || die "expected $POSTS published bench posts after seeding, found $seeded (see the seed log above)"
# The bench blog was renamed from `bench-old`: that name redirects to it
# (a hold until 2100, as a rename leaves one for 30 days).
wrangler d1 execute DB --local --persist-to "$STATE" --command \
  "INSERT INTO subdomain_holds (subdomain, tenant_id, reason, held_until) VALUES ('bench-old', 't_bench', 'renamed', 4102444800000)" \
  </dev/null >>"$STATE/bench-seed.log" 2>&1 || { tail -n 20 "$STATE/bench-seed.log" >&2; die "holding bench-old failed"; }
# The hot post was renamed from `bench-old-slug`: that address answers 301.
wrangler d1 execute DB --local --persist-to "$STATE" --command \
  "INSERT INTO post_old_slugs (tenant_id, slug, post_id, created_at) VALUES ('t_bench', 'bench-old-slug', 't_bench_post_0500', 0)" \
  </dev/null >>"$STATE/bench-seed.log" 2>&1 || { tail -n 20 "$STATE/bench-seed.log" >&2; die "keeping bench-old-slug failed"; }

# The demo owner of the bench tenant (seeds/demo.toml), to sign in.
read -r EMAIL PASSWORD < <(python3 -c '
import sys, tomllib
seed = tomllib.load(open(sys.argv[1], "rb"))
u = next(u for u in seed["users"] if u["id"] == "u_autumn")
print(u["email"], u["password"])' "$ROOT/seeds/demo.toml") || die "no u_autumn account in seeds/demo.toml"

# --------------------------------------------------------------- server ----

# The two workerd processes of each server, by its public port: wrangler's
# dev proxy (ProxyWorker, listening on that port) and the user worker (the
# router and every Durable Object). The table gives each one's CPU per
# request, read from /proc around every measured run.
declare -A PROXY_PID WORKER_PID
TICKS="$(getconf CLK_TCK)"

# runtime_pid PGID PATTERN: the server's workerd whose command line holds PATTERN.
runtime_pid() {
  local pid
  for pid in $(pgrep -g "$1" workerd); do
    if grep -qaF -- "$2" "/proc/$pid/cmdline" 2>/dev/null; then
      echo "$pid"
      return 0
    fi
  done
}

# cpu_ticks PID: the CPU time (user + system, in clock ticks) PID has used.
cpu_ticks() {
  if [ -n "$1" ] && [ -r "/proc/$1/stat" ]; then awk '{ print $14 + $15 }' "/proc/$1/stat"; else echo n/a; fi
}

# cpu_sample PORT: the CPU ticks so far of the server's proxy and worker.
cpu_sample() { echo "$(cpu_ticks "${PROXY_PID[$1]:-}") $(cpu_ticks "${WORKER_PID[$1]:-}")"; }

# us_per_request BEFORE AFTER REQUESTS: CPU µs per request between two cpu_ticks.
us_per_request() {
  awk -v a="$1" -v b="$2" -v n="$3" -v t="$TICKS" 'BEGIN {
    if (a ~ /^[0-9]+$/ && b ~ /^[0-9]+$/ && n > 0) printf "%.0f", (b - a) * 1000000 / t / n; else print "n/a" }'
}

# server_start [WRANGLER DEV ARGS...]: wrangler dev on a free port, with
# the state in $SERVER_STATE (default: $STATE).
server_start() {
  local dir="${SERVER_STATE:-$STATE}"
  PORT="$(free_port)"
  LOG="$dir/wrangler-$PORT.log"
  if [ $# -gt 0 ]; then
    log "starting wrangler dev on 127.0.0.1:$PORT with $*"
    PGID="$(PATH="$SHIM_DIR:$PATH" GROVE_BENCH_DEV_ARGS="$*" start_wrangler "$dir" "$PORT" "$LOG")"
  else
    log "starting wrangler dev on 127.0.0.1:$PORT"
    PGID="$(start_wrangler "$dir" "$PORT" "$LOG")"
  fi
  wait_ready "$PORT" "$PGID" "$LOG"
  PROXY_PID[$PORT]="$(runtime_pid "$PGID" "entry=127.0.0.1:$PORT")"
  WORKER_PID[$PORT]="$(runtime_pid "$PGID" 'entry=127.0.0.1:0')"
  if [ "$DIRECT" = 1 ]; then
    CONN[$PORT]="$(inner_port "$PORT")"
    log "sending load straight to the user worker's socket 127.0.0.1:${CONN[$PORT]}"
  fi
  use_port "$PORT"
}

# The port requests to a server go to: its public port, or with
# BENCH_DIRECT=1 the user worker's own socket (Host headers keep the public
# port, so the worker sees the same URLs).
declare -A CONN

# inner_port PORT: the socket of the server's user worker (the workerd
# started with an ephemeral entry port) that answers the trivial route.
inner_port() {
  local pid="${WORKER_PID[$1]:-}" port
  command -v ss >/dev/null || die "BENCH_DIRECT=1 needs ss (iproute2)"
  [ -n "$pid" ] || die "BENCH_DIRECT=1: found no user-worker workerd for the server on port $1"
  for port in $(ss -ltnpH 2>/dev/null | grep "pid=$pid," | awk '{ sub(/.*:/, "", $4); print $4 }'); do
    if [ "$(curl -s --max-time 2 -H "Host: bench.$DEV_BASE_DOMAIN:$1" "http://127.0.0.1:$port/__grove/ping")" = ok ]; then
      echo "$port"
      return 0
    fi
  done
  die "BENCH_DIRECT=1: found no user-worker socket for the server on port $1"
}

# use_port PORT: later requests go to the server on PORT.
use_port() {
  PORT="$1"
  BLOG="bench.$DEV_BASE_DOMAIN:$PORT"
  BASE="http://127.0.0.1:${CONN[$PORT]:-$PORT}"
}

server_stop() {
  if [ -n "$PGID" ]; then
    stop_wrangler "$PGID"
    PGID=""
  fi
}

# warm_tenant: waits until the bench tenant's actor has loaded its 1,000
# posts and answers (the first view after a start loads them).
warm_tenant() {
  local code
  for _ in $(seq 1 60); do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Host: $BLOG" -H "$BYPASS" "$BASE$HOT_PATH" || true)"
    [ "$code" = 200 ] && return 0
    sleep 0.5
  done
  log "warning: $HOT_PATH still answers $code after 30 s; the cases will show the errors"
}

# ---------------------------------------------------------- owner (API) ----

SESSION=""
CSRF=""

# set_cookie_value HEADERS_FILE NAME: the value a Set-Cookie header gives NAME.
set_cookie_value() {
  tr -d '\r' <"$1" | sed -n "s/^[Ss]et-[Cc]ookie: *$2=\([^;]*\).*/\1/p" | tail -n 1
}

status_of() {
  tr -d '\r' <"$1" | awk 'toupper($1) ~ /^HTTP\// { s = $2 } END { print s }'
}

# sign_in: signs in as the demo owner; sets SESSION and CSRF.
sign_in() {
  local auth="auth.$DEV_BASE_DOMAIN:$PORT" hdr="$STATE/signin.hdr" page="$STATE/signin.html" form_cookie form_csrf
  curl -sS --max-time 10 -D "$hdr" -o "$page" -H "Host: $auth" "$BASE/signin" || die "GET /signin failed"
  form_cookie="$(set_cookie_value "$hdr" grove_form_csrf)"
  form_csrf="$(grep -o 'name="csrf" value="[^"]*"' "$page" | head -n 1 | sed 's/.*value="//; s/"$//' || true)"
  [ -n "$form_cookie" ] && [ -n "$form_csrf" ] \
    || die "the sign-in page gave no grove_form_csrf cookie or csrf field (status $(status_of "$hdr"))"
  curl -sS --max-time 20 -D "$hdr" -o "$page" -H "Host: $auth" -H "Cookie: grove_form_csrf=$form_cookie" \
    --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" --data-urlencode "csrf=$form_csrf" \
    "$BASE/signin" || die "POST /signin failed"
  SESSION="$(set_cookie_value "$hdr" grove_session)"
  [ -n "$SESSION" ] || die "signing in as $EMAIL failed (status $(status_of "$hdr")): $(head -c 300 "$page")"
  local code
  code="$(api GET /admin/api/me)"
  [ "$code" = 200 ] || die "GET /admin/api/me on $BLOG answered $code: $(head -c 300 "$STATE/api.body")"
  CSRF="$(json_field csrf_token <"$STATE/api.body")"
  [ -n "$CSRF" ] || die "/admin/api/me gave no csrf_token"
}

# api METHOD PATH [JSON]: an admin API call on the bench blog as the owner;
# prints the status, leaves the body in $STATE/api.body (headers in api.hdr).
api() {
  local args=(-sS --max-time 30 -o "$STATE/api.body" -D "$STATE/api.hdr" -w '%{http_code}' -X "$1"
    -H "Host: $BLOG" -H "Cookie: grove_session=$SESSION" -H "X-CSRF-Token: $CSRF")
  if [ $# -ge 3 ]; then
    args+=(-H 'content-type: application/json' --data-binary "$3")
  fi
  curl "${args[@]}" "$BASE$2" 2>/dev/null || true
}

# json_field NAME: a top-level field of the JSON object on stdin ("" if absent).
json_field() {
  python3 -c 'import json,sys
try: v = json.load(sys.stdin).get(sys.argv[1], "")
except Exception: v = ""
print("" if v is None else v)' "$1"
}

# anon_get PATH: anonymous GET on the bench blog (no cookie); body to stdout.
anon_get() {
  curl -sS --max-time 10 -H "Host: $BLOG" "$BASE$1" || true
}

# ----------------------------------------------------------------- cases ----

CASES=()
declare -A RPS P50 P99 BAD SOCK D1 D1_NOTE ACTOR ACTOR_D1 BUSY RATIO ROUND_RPS ROUND_RATIO PROXY_US WORKER_US
# The server a case runs on, when two run at once (default: $PORT), and
# the trivial route its ratio is to (default: the series' first case).
declare -A CASE_PORT CASE_BASE

# actor_counters: "hits storage_hits renders d1_queries" of the bench
# tenant's actor (ops API stats; "-" for each when unavailable).
actor_counters() {
  curl -s --max-time 10 -H "Authorization: Bearer $(ops_token "$STATE")" \
    -H "Host: ops.$DEV_BASE_DOMAIN:$PORT" "$BASE/tenants/t_bench/stats" 2>/dev/null | python3 -c '
import json, sys
try:
    a = json.load(sys.stdin)["actor"]
    c = a["cache"]
    print(c["hits"], c["storage_hits"], c["renders"], a["d1_queries"])
except Exception:
    print("- - - -")' || echo "- - - -"
}

# actor_delta BEFORE AFTER REQUESTS: what the actor did between two
# actor_counters, while wrk sent REQUESTS requests.
actor_delta() {
  local -a b a
  local i
  read -r -a b <<<"$1"
  read -r -a a <<<"$2"
  for i in 0 1 2 3; do
    if ! [[ "${b[$i]}" =~ ^[0-9]+$ && "${a[$i]}" =~ ^[0-9]+$ ]]; then
      echo "n/a (stats unavailable)"
      return
    fi
  done
  if [ "${a[0]}" -lt "${b[0]}" ] || [ "${a[1]}" -lt "${b[1]}" ] || [ "${a[2]}" -lt "${b[2]}" ] || [ "${a[3]}" -lt "${b[3]}" ]; then
    # Counters start again when the actor does (evicted after ~10 s idle).
    echo "the actor restarted during the run (evicted while idle?); since then: memory hits ${a[0]}, storage reads ${a[1]}, renders ${a[2]}, D1 statements ${a[3]}"
    return
  fi
  local per=""
  if [[ "${3:-0}" =~ ^[0-9]+$ ]] && [ "${3:-0}" -gt 0 ]; then
    per="$(awk -v d="$((a[3] - b[3]))" -v n="$3" 'BEGIN { printf "%.3f", d / n }')"
    echo "$per" >"$STATE/actor-d1"
    per=" ($per per request over $3 requests)"
  fi
  echo "memory hits +$((a[0] - b[0])), storage reads +$((a[1] - b[1])), renders +$((a[2] - b[2])), D1 statements +$((a[3] - b[3]))$per"
}

# parse_wrk FILE: "req/s p50_ms p99_ms non2xx socket_errors requests" (n/a when absent).
parse_wrk() {
  awk '
    function ms(v) {
      if (v ~ /us$/) return v / 1000
      if (v ~ /ms$/) return v + 0
      if (v ~ /m$/) return v * 60000
      if (v ~ /s$/) return v * 1000
      return v + 0
    }
    /^Requests\/sec:/ { rps = $2 }
    / requests in / { total = $1 }
    $1 == "50%" { p50 = sprintf("%.2f", ms($2)) }
    $1 == "99%" { p99 = sprintf("%.2f", ms($2)) }
    /Non-2xx or 3xx responses:/ { bad = $NF }
    /^Non-201 responses:/ { bad201 = $NF; lua = 1 }
    /Socket errors:/ { gsub(/,/, ""); sock = $4 + $6 + $8 + $10 }
    END {
      printf "%s %s %s %d %d %d\n", (rps == "" ? "n/a" : rps), (p50 == "" ? "n/a" : p50),
        (p99 == "" ? "n/a" : p99), (lua ? bad201 : bad), sock, total
    }' "$1"
}

# other_load: other processes that would share the CPUs with this run
# (another wrangler dev's workerd, a build, a test run), as "name×count".
other_load() {
  ps -eo pgid=,comm= | awk -v ours="${PGID:-0}" -v pair="${PGID_ON:-0}" '
    $1 != ours && $1 != pair && ($2 == "workerd" || $2 == "rustc" || $2 == "cargo" || $2 == "wrk") { n[$2]++ }
    END { for (k in n) printf "%s%s×%d", (s++ ? ", " : ""), k, n[k] }'
}

# bench NAME WRK_ARGS...: a 2 s warm-up (discarded), then the measured run.
bench() {
  local name="$1" out
  shift
  out="$STATE/wrk-${#CASES[@]}.txt"
  log "case '$name': warm-up ${WARM_SECS}s, then wrk -t2 -c16 -d${SECS}s"
  BENCH_TAG=warm wrk -t2 -c16 -d"${WARM_SECS}s" --latency "$@" >/dev/null 2>&1 || true
  local before="" busy
  [ "$name" = trivial ] || before="$(actor_counters)"
  busy="$(other_load)"
  local p0 w0 p1 w1
  read -r p0 w0 < <(cpu_sample "$PORT")
  if ! BENCH_TAG=main wrk -t2 -c16 -d"${SECS}s" --latency "$@" >"$out" 2>&1; then
    log "warning: wrk failed for '$name': $(tail -n 3 "$out")"
  fi
  read -r p1 w1 < <(cpu_sample "$PORT")
  CASES+=("$name")
  local requests
  read -r "RPS[$name]" "P50[$name]" "P99[$name]" "BAD[$name]" "SOCK[$name]" requests < <(parse_wrk "$out")
  PROXY_US[$name]="$(us_per_request "$p0" "$p1" "$requests")"
  WORKER_US[$name]="$(us_per_request "$w0" "$w1" "$requests")"
  # Before and after the run, merged: each name with its larger count.
  busy="$(printf '%s, %s\n' "$busy" "$(other_load)" | awk -F', *' '
    { for (i = 1; i <= NF; i++) if (split($i, p, "×") == 2) { if (!(p[1] in n)) order[++k] = p[1]; if (p[2] + 0 > n[p[1]]) n[p[1]] = p[2] + 0 } }
    END { for (i = 1; i <= k; i++) printf "%s%s×%d", (i > 1 ? ", " : ""), order[i], n[order[i]] }')"
  [ -z "$busy" ] || BUSY[$name]="$busy"
  if [ "$name" = trivial ]; then
    ACTOR[$name]="n/a (the ping route never reaches an actor)"
  else
    rm -f "$STATE/actor-d1"
    ACTOR[$name]="$(actor_delta "$before" "$(actor_counters)" "$requests")"
    [ ! -s "$STATE/actor-d1" ] || ACTOR_D1[$name]="$(cat "$STATE/actor-d1")"
  fi
  printf '    %s req/s, p50 %s ms, p99 %s ms, non-2xx %s, socket errors %s\n    actor: %s\n' \
    "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" "${BAD[$name]}" "${SOCK[$name]}" "${ACTOR[$name]}" >&2
  [ -z "${BUSY[$name]:-}" ] || printf '    warning: other processes were running: %s (numbers are noisy)\n' "${BUSY[$name]}" >&2
}

# case_wrk NAME SECS OUT: one wrk run of a read-path case.
case_wrk() {
  local PORT="${CASE_PORT[$1]:-$PORT}"
  local args=(-H "Host: bench.$DEV_BASE_DOMAIN:$PORT")
  case "$1" in
    trivial | "trivial, limits on" | "trivial, limits off") args+=("$(url /__grove/ping)") ;;
    "actor round trip (floor)") args+=("$(url /__grove/actor-ping)") ;;
    "trivial, as HTML") args+=("$(url "/__grove/ping?bytes=2")") ;;
    "trivial, page-sized") args+=("$(url "/__grove/ping?bytes=$PAGE_BYTES")") ;;
    "trivial, page-sized + headers") args+=("$(url "/__grove/ping?bytes=$PAGE_BYTES&headers=page")") ;;
    "actor round trip, page-sized") args+=("$(url "/__grove/actor-ping?bytes=$PAGE_BYTES")") ;;
    "actor round trip, page-sized + headers") args+=("$(url "/__grove/actor-ping?bytes=$PAGE_BYTES&headers=page")") ;;
    "hot post (actor)" | "hot post, limits on" | "hot post, limits off") args+=(-H "$BYPASS" "$(url "$HOT_PATH")") ;;
    "hot post (edge hit)") args+=("$(url "$HOT_PATH")") ;;
    "hot post (edge hit), custom domain") args=(-H "Host: $BENCH_DOMAIN:$PORT" "$(url "$HOT_PATH")") ;;
    "blog list page") args+=(-H "$BYPASS" "$(url "$LIST_PATH")") ;;
    "trivial, beside search" | "trivial, beside media" | "trivial, beside rename" | "trivial, beside discovery" | "trivial, beside feed") args+=("$(url /__grove/ping)") ;;
    "sitemap (edge hit)") args+=("$(url /sitemap.xml)") ;;
    "old slug (301)") args+=("$(url /blog/bench-old-slug)") ;;
    # The blog's Atom feed (20 full posts), as feed readers poll it.
    "feed (edge hit)") args+=("$(url /atom.xml)") ;;
    "renamed name (301)") args=(-H "Host: bench-old.$DEV_BASE_DOMAIN:$PORT" "$(url "$HOT_PATH")") ;;
    "hot post (actor), beside search") args+=(-H "$BYPASS" "$(url "$HOT_PATH")") ;;
    "search, cached") args+=(-s "$ROOT/scripts/bench/search.lua" "$(url /)") ;;
    "trivial, page-sized, beside media") args+=("$(url "/__grove/ping?bytes=$PAGE_BYTES")") ;;
    "trivial, 200 KB") args+=("$(url "/__grove/ping?bytes=204800")") ;;
    "media, 200 KB image (edge hit)") args+=("$(url "$MEDIA_URL")") ;;
    "trivial, beside subdomain check") args+=("$(url /__grove/ping)") ;;
    # The availability API on the auth host: a free, valid name (one D1 statement).
    "subdomain check, available name") args=(-H "Host: auth.$DEV_BASE_DOMAIN:$PORT" "$(url /api/subdomains/bench-free-name)") ;;
    # The pricing page on the apex: rendered per request from the plan tables, no storage.
    "pricing page (apex)") args=(-H "Host: $DEV_BASE_DOMAIN:$PORT" "$(url /pricing)") ;;
    *) die "unknown case $1" ;;
  esac
  BENCH_TAG=main wrk -t2 -c16 -d"$2s" --latency "${args[@]}" >"$3" 2>&1 \
    || log "warning: wrk failed for '$1': $(tail -n 3 "$3")"
}

# calc EXPR with variables a, b: awk arithmetic, "n/a" when an input is not a number.
calc() {
  local expr="$1" a="$2" b="${3:-0}"
  if [[ ! "$a" =~ ^-?[0-9.]+$ ]] || [[ ! "$b" =~ ^-?[0-9.]+$ ]]; then
    echo "n/a"
    return
  fi
  awk -v a="$a" -v b="$b" "BEGIN { $expr }"
}

# numbers_of LIST: the numbers in a space-separated LIST, one per line.
numbers_of() { tr ' ' '\n' <<<"$1" | awk '/^-?[0-9.]+$/'; }

# median: the median of the numbers on stdin.
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# interleaved NAME...: ROUNDS rounds; in each, every case once (a 1 s
# warm-up, then ROUND_SECS measured). A case's ratio is to the same
# round's run of its trivial route: CASE_BASE[name], else the first name.
# With REVERSE_EVEN=1, even rounds run the names in reverse order (names
# given as A B B A then cancel drift within a round and any effect of
# going first). Sets RPS (median), RATIO (median per-round ratio),
# P50/P99 (medians), errors (summed) and the actor's figures.
interleaved() {
  local names=("$@") order r i name out rps p50 p99 bad sock requests before busy total last p0 w0 p1 w1
  declare -A p50s p99s bads socks reqs befores this_round proxy_us worker_us
  log "interleaved cases, $ROUNDS rounds of ${ROUND_SECS}s each: ${names[*]}"
  for name in "${names[@]}"; do
    befores[$name]="$(actor_counters)"
    bads[$name]=0
    socks[$name]=0
    reqs[$name]=0
  done
  busy="$(other_load)"
  for r in $(seq 1 "$ROUNDS"); do
    order=("${names[@]}")
    if [ "${REVERSE_EVEN:-0}" = 1 ] && [ $((r % 2)) = 0 ]; then
      order=()
      for ((i = ${#names[@]} - 1; i >= 0; i--)); do order+=("${names[$i]}"); done
    fi
    for name in "${order[@]}"; do
      case_wrk "$name" 1 /dev/null
      out="$STATE/wrk-r$r-${#CASES[@]}-$RANDOM.txt"
      read -r p0 w0 < <(cpu_sample "${CASE_PORT[$name]:-$PORT}")
      case_wrk "$name" "$ROUND_SECS" "$out"
      read -r p1 w1 < <(cpu_sample "${CASE_PORT[$name]:-$PORT}")
      read -r rps p50 p99 bad sock requests < <(parse_wrk "$out")
      proxy_us[$name]+=" $(us_per_request "$p0" "$p1" "$requests")"
      worker_us[$name]+=" $(us_per_request "$w0" "$w1" "$requests")"
      ROUND_RPS[$name]+="${ROUND_RPS[$name]:+ }$rps"
      p50s[$name]+=" $p50"
      p99s[$name]+=" $p99"
      bads[$name]=$((bads[$name] + bad))
      socks[$name]=$((socks[$name] + sock))
      reqs[$name]=$((reqs[$name] + requests))
      this_round[$name]="$rps"
    done
    for name in "${names[@]}"; do
      ROUND_RATIO[$name]+="${ROUND_RATIO[$name]:+ }$(calc 'if (b > 0) printf "%.3f", a / b; else print "n/a"' \
        "${this_round[$name]}" "${this_round[${CASE_BASE[$name]:-${names[0]}}]}")"
    done
    log "  round $r: $(for name in "${names[@]}"; do printf '%s %s; ' "$name" "$(awk '{ print $NF }' <<<"${ROUND_RPS[$name]}")"; done)"
  done
  busy="$(printf '%s, %s\n' "$busy" "$(other_load)" | awk -F', *' '
    { for (i = 1; i <= NF; i++) if (split($i, p, "×") == 2) { if (!(p[1] in n)) order[++k] = p[1]; if (p[2] + 0 > n[p[1]]) n[p[1]] = p[2] + 0 } }
    END { for (i = 1; i <= k; i++) printf "%s%s×%d", (i > 1 ? ", " : ""), order[i], n[order[i]] }')"
  # The actor's figures over all the rounds go on the last case that reaches an actor.
  for name in "${names[@]}"; do [[ "$name" == trivial* ]] || last="$name"; done
  for name in "${names[@]}"; do
    CASES+=("$name")
    RPS[$name]="$(numbers_of "${ROUND_RPS[$name]}" | median)"
    RATIO[$name]="$(numbers_of "${ROUND_RATIO[$name]}" | median)"
    P50[$name]="$(numbers_of "${p50s[$name]}" | median)"
    P99[$name]="$(numbers_of "${p99s[$name]}" | median)"
    PROXY_US[$name]="$(numbers_of "${proxy_us[$name]}" | median)"
    WORKER_US[$name]="$(numbers_of "${worker_us[$name]}" | median)"
    BAD[$name]="${bads[$name]}"
    SOCK[$name]="${socks[$name]}"
    [ -z "$busy" ] || BUSY[$name]="$busy"
    if [[ "$name" == trivial* ]]; then
      ACTOR[$name]="n/a (the ping route never reaches an actor)"
    else
      ACTOR[$name]="counted together with the other interleaved cases (see $last)"
    fi
    printf '    %s: req/s per round %s → median %s; ratio per round %s → median %s; CPU µs/request: proxy %s, worker %s\n' "$name" \
      "${ROUND_RPS[$name]}" "${RPS[$name]}" "${ROUND_RATIO[$name]}" "${RATIO[$name]}" "${PROXY_US[$name]}" "${WORKER_US[$name]}" >&2
  done
  total=0
  for name in "${names[@]}"; do total=$((total + reqs[$name])); done
  rm -f "$STATE/actor-d1"
  ACTOR[$last]="over all the interleaved runs ($total requests): $(actor_delta "${befores[$last]}" "$(actor_counters)" "$total")"
  [ ! -s "$STATE/actor-d1" ] || ACTOR_D1[$last]="$(cat "$STATE/actor-d1")"
}

# probe_request KIND I: one request of a case; prints the response headers.
probe_request() {
  local common=(-sS --max-time 30 -o /dev/null -D - -H "Host: $BLOG")
  case "$1" in
    trivial) curl "${common[@]}" "$BASE/__grove/ping" ;;
    hot) curl "${common[@]}" -H "$BYPASS" "$BASE$HOT_PATH" ;;
    edge) curl "${common[@]}" "$BASE$HOT_PATH" ;;
    edge-domain) curl -sS --max-time 30 -o /dev/null -D - -H "Host: $BENCH_DOMAIN:$PORT" "$BASE$HOT_PATH" ;;
    # 20 posts spread over the 1,000 (0025, 0075, ... 0975).
    cold) curl "${common[@]}" -H "$BYPASS" "$BASE/blog/bench-post-$(printf %04d $(($2 * POSTS / PROBES - POSTS / PROBES / 2)))" ;;
    list) curl "${common[@]}" -H "$BYPASS" "$BASE$LIST_PATH" ;;
    search) curl "${common[@]}" "$BASE/search?q=cache+actor" ;;
    feed) curl "${common[@]}" "$BASE/atom.xml" ;;
    renamed) curl -sS --max-time 30 -o /dev/null -D - -H "Host: bench-old.$DEV_BASE_DOMAIN:$PORT" "$BASE$HOT_PATH" ;;
    sitemap) curl "${common[@]}" "$BASE/sitemap.xml" ;;
    oldslug) curl "${common[@]}" "$BASE/blog/bench-old-slug" ;;
    write)
      curl "${common[@]}" -X POST -H "Cookie: grove_session=$SESSION" -H "X-CSRF-Token: $CSRF" \
        -H 'content-type: application/json' \
        --data-binary "{\"title\":\"Bench write probe-$2\",\"markdown\":\"Probe $2.\",\"status\":\"published\"}" \
        "$BASE/admin/api/posts"
      ;;
  esac
}

# probe_d1 NAME KIND: mean of x-grove-d1-queries over 20 sequential requests.
probe_d1() {
  local name="$1" kind="$2" headers value statuses="" sum=0 seen=0 i
  for i in $(seq 1 "$PROBES"); do
    headers="$(probe_request "$kind" "$i" 2>/dev/null | tr -d '\r' || true)"
    value="$(awk 'toupper($1) ~ /^HTTP\// { s = $2 } END { print s }' <<<"$headers")"
    statuses+=" ${value:-000}"
    value="$(awk 'tolower($1) == "x-grove-d1-queries:" { print $2 }' <<<"$headers" | tail -n 1)"
    if [[ "$value" =~ ^[0-9]+$ ]]; then
      sum=$((sum + value))
      seen=$((seen + 1))
    fi
  done
  if [ "$seen" = 0 ]; then
    # The trivial route answers before any lookup: it never touches D1.
    if [ "$kind" = trivial ]; then D1[$name]=0; else D1[$name]="n/a"; fi
  else
    D1[$name]="$(awk -v s="$sum" -v n="$seen" 'BEGIN { printf "%.2f", s / n }')"
    [ "$seen" = "$PROBES" ] || D1_NOTE[$name]="header on $seen of $PROBES probes"
  fi
  local odd
  # A renamed name answers its redirect; everything else a 2xx.
  local expected='^2'
  [ "$kind" != renamed ] && [ "$kind" != oldslug ] || expected='^301$'
  odd="$(tr ' ' '\n' <<<"$statuses" | grep -v '^$' | grep -vc "$expected" || true)"
  if [ "$odd" != 0 ]; then
    D1_NOTE[$name]="${D1_NOTE[$name]:+${D1_NOTE[$name]}; }$odd of $PROBES probes not 2xx (statuses:$(tr ' ' '\n' <<<"$statuses" | grep -v '^$' | sort | uniq -c | awk '{ printf " %s×%s", $2, $1 }'))"
  fi
  printf '    D1 queries/request: %s%s\n' "${D1[$name]}" "${D1_NOTE[$name]:+ (${D1_NOTE[$name]})}" >&2
}

url() { printf 'http://127.0.0.1:%s%s' "${CONN[$PORT]:-$PORT}" "$1"; }

# ------------------------------------------------------------------- run ----

server_start
log "raising t_bench's limits via the ops API"
code="$(curl -sS -o "$STATE/ops.body" -w '%{http_code}' --max-time 10 -X PUT \
  -H "Authorization: Bearer $(ops_token "$STATE")" -H 'content-type: application/json' \
  -H "Host: ops.$DEV_BASE_DOMAIN:$PORT" -H 'X-Ops-Actor: make-bench' "$BASE/tenants/t_bench/limits" \
  -d '{"reader_requests":{"max":10000000,"window_secs":60},"search_queries":{"max":10000000,"window_secs":60},"admin_writes":{"max":10000000,"window_secs":3600}}' || true)"
[ "$code" = 200 ] || die "PUT /tenants/t_bench/limits answered $code: $(head -c 300 "$STATE/ops.body")"
warm_tenant

# The floor of any actor path is "actor round trip": router → a TenantDO
# answering "pong" (local runs only).
# The same floors answering with as many bytes as the hot post's page.
PAGE_BYTES="$(curl -s --max-time 10 -H "Host: $BLOG" -H "$BYPASS" "$BASE$HOT_PATH" | wc -c)"
log "the hot post's page is $PAGE_BYTES bytes"
# "+ headers": with the headers every reader page carries (validators,
# caching, security), the exact floor of an edge hit and an actor page.
# "as HTML": two bytes of text/html, what any HTML answer costs beyond "ok"
# (through the dev proxy: its HTMLRewriter pass).
interleaved "trivial" "trivial, as HTML" "trivial, page-sized" "trivial, page-sized + headers" "actor round trip (floor)" \
  "actor round trip, page-sized" "actor round trip, page-sized + headers" \
  "hot post (actor)" "hot post (edge hit)" "hot post (edge hit), custom domain" "blog list page"
for name in "trivial" "trivial, as HTML" "trivial, page-sized" "trivial, page-sized + headers" "actor round trip (floor)" \
  "actor round trip, page-sized" "actor round trip, page-sized + headers"; do
  probe_d1 "$name" trivial
done
probe_d1 "hot post (actor)" hot
probe_d1 "hot post (edge hit)" edge
probe_d1 "hot post (edge hit), custom domain" edge-domain
probe_d1 "blog list page" list

# The bench posts were seeded straight into D1, so no write pre-rendered
# them: view each once so the actor renders and stores them, as a write
# would have. The cold case then measures pages served from storage.
log "storing the rendered posts in the actor's storage (one pass over all of them)"
wrk -t2 -c16 -d8s -H "Host: $BLOG" -H "$BYPASS" -s "$ROOT/scripts/bench/posts.lua" "$(url /)" -- "$POSTS" >/dev/null

server_stop
server_start --var READER_CACHE_BYTES:0
warm_tenant
bench "cold post (storage)" -H "Host: $BLOG" -H "$BYPASS" -s "$ROOT/scripts/bench/posts.lua" "$(url /)" -- "$POSTS"
probe_d1 "cold post (storage)" cold
# Search with no result cache (READER_CACHE_BYTES=0 keeps no page, and
# results live with the pages): every request runs the FTS5 query.
bench "search, uncached" -H "Host: $BLOG" -s "$ROOT/scripts/bench/search.lua" "$(url /)"
probe_d1 "search, uncached" search
log "search, uncached, one connection: wrk -t1 -c1 -d5s"
wrk -t1 -c1 -d5s --latency -H "Host: $BLOG" -s "$ROOT/scripts/bench/search.lua" "$(url /)" >"$STATE/wrk-search-1.txt" 2>&1 || true
read -r SEARCH1_RPS SEARCH1_P50 SEARCH1_P99 SEARCH1_BAD _ _ < <(parse_wrk "$STATE/wrk-search-1.txt")
printf '    one connection: %s req/s, p50 %s ms, p99 %s ms, non-2xx %s\n' "$SEARCH1_RPS" "$SEARCH1_P50" "$SEARCH1_P99" "$SEARCH1_BAD" >&2
# The floor of that tail on this machine: an actor round trip that does
# nothing, on one connection, on the same server, right after.
log "actor round trip (floor), one connection: wrk -t1 -c1 -d5s"
wrk -t1 -c1 -d5s --latency -H "Host: $BLOG" "$(url /__grove/actor-ping)" >"$STATE/wrk-actor-1.txt" 2>&1 || true
read -r ACTOR1_RPS ACTOR1_P50 ACTOR1_P99 _ _ _ < <(parse_wrk "$STATE/wrk-actor-1.txt")
printf '    one connection: %s req/s, p50 %s ms, p99 %s ms\n' "$ACTOR1_RPS" "$ACTOR1_P50" "$ACTOR1_P99" >&2

server_stop
server_start
warm_tenant

# The 60 queries' results, kept in memory after the warm-up; measured in
# rounds beside the hot post via the actor on the same server, so their
# ratio is side by side.
wrk -t1 -c1 -d2s -H "Host: $BLOG" -s "$ROOT/scripts/bench/search.lua" "$(url /)" >/dev/null 2>&1 || true
CASE_BASE["hot post (actor), beside search"]="trivial, beside search"
CASE_BASE["search, cached"]="trivial, beside search"
interleaved "trivial, beside search" "hot post (actor), beside search" "search, cached"
probe_d1 "search, cached" search

# Blog-address availability (GET auth.{BASE}/api/subdomains/{name}), beside
# the trivial route on the same server.
CASE_BASE["subdomain check, available name"]="trivial, beside subdomain check"
CASE_BASE["pricing page (apex)"]="trivial, beside subdomain check"
interleaved "trivial, beside subdomain check" "subdomain check, available name" "pricing page (apex)"

# A renamed blog's old name: the router's 301 to the new one, with path
# and query. The tenant lookup and the redirect check are one D1 statement
# whose answer (the redirect, or none) is memoised with the lookup.
CASE_BASE["renamed name (301)"]="trivial, beside rename"
interleaved "trivial, beside rename" "renamed name (301)"
probe_d1 "renamed name (301)" renamed

# Discovery: the sitemap of 1,000 posts as the edge keeps it, and a
# renamed post's old address, answered 301 by the actor from memory.
CASE_BASE["sitemap (edge hit)"]="trivial, beside discovery"
CASE_BASE["old slug (301)"]="trivial, beside discovery"
interleaved "trivial, beside discovery" "sitemap (edge hit)" "old slug (301)"
probe_d1 "sitemap (edge hit)" sitemap
probe_d1 "old slug (301)" oldslug
# A feed is an edge page like a post: polled by feed readers, it should
# cost what an edge hit of its size costs, with no D1 statement.
anon_get /atom.xml >/dev/null
CASE_BASE["feed (edge hit)"]="trivial, beside feed"
interleaved "trivial, beside feed" "feed (edge hit)"
probe_d1 "feed (edge hit)" feed

log "signing in as $EMAIL"
sign_in
# Writes queue behind each other in the actor: --timeout 10s records slow
# ones in the latency figures instead of counting them as timeouts at 2 s.
bench "admin write" --timeout 10s -H "Host: $BLOG" -H "Cookie: grove_session=$SESSION" -H "X-CSRF-Token: $CSRF" \
  -H 'content-type: application/json' -s "$ROOT/scripts/bench/admin_write.lua" "$(url /admin/api/posts)"
probe_d1 "admin write" write

# Media: a 200 KB image uploaded through the API, then read as readers
# read it (the router from R2 through the edge cache, no actor hop), with
# the runtime's floor for an answer of the same size beside it.
log "media: uploading a 200 KB image"
python3 -c 'import struct,random,sys
r = random.Random(7)
head = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", 1200, 800) + bytes([8, 2, 0, 0, 0, 0, 0, 0, 0])
sys.stdout.buffer.write(head + bytes(r.getrandbits(8) for _ in range(204800 - len(head))))' >"$STATE/bench-image.png"
MEDIA_URL=""
code="$(curl -sS --max-time 30 -o "$STATE/api.body" -w '%{http_code}' -X POST -H "Host: $BLOG" \
  -H "Cookie: grove_session=$SESSION" -H "X-CSRF-Token: $CSRF" -H 'content-type: image/png' \
  --data-binary "@$STATE/bench-image.png" "$BASE/admin/api/media?filename=bench.png&alt=Bench" 2>/dev/null || true)"
if [ "$code" = 201 ] || [ "$code" = 200 ]; then
  MEDIA_URL="$(json_field url <"$STATE/api.body")"
  curl -sS -o /dev/null -H "Host: $BLOG" "$(url "$MEDIA_URL")" || true
  CASE_BASE["trivial, page-sized, beside media"]="trivial, beside media"
  CASE_BASE["trivial, 200 KB"]="trivial, beside media"
  CASE_BASE["media, 200 KB image (edge hit)"]="trivial, beside media"
  interleaved "trivial, beside media" "trivial, page-sized, beside media" "trivial, 200 KB" "media, 200 KB image (edge hit)"
else
  log "warning: the media upload answered $code: $(head -c 300 "$STATE/api.body")"
fi

# The export: the bench blog (its posts and the image above) as the zip an
# owner downloads, three times; time to the last byte, and the size.
log "export: downloading the bench blog's zip 3 times"
EXPORT_RUNS=""
for _ in 1 2 3; do
  EXPORT_RUNS+="$(curl -sS --max-time 120 -o "$STATE/export.zip" -w '%{http_code} %{time_total} %{size_download}' \
    -H "Host: $BLOG" -H "Cookie: grove_session=$SESSION" "$BASE/admin/api/export" 2>/dev/null || echo "000 0 0")"$'\n'
done
EXPORT_SECS="$(awk '$1 == 200 { print $2 }' <<<"$EXPORT_RUNS" | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "n/a" }')"
EXPORT_BYTES="$(awk '$1 == 200 { b = $3 } END { print b + 0 }' <<<"$EXPORT_RUNS")"
EXPORT_OK="$(awk '$1 == 200 { n++ } END { print n + 0 }' <<<"$EXPORT_RUNS")"
printf '    export: %s of 3 answered 200; median %s s; %s bytes\n' "$EXPORT_OK" "$EXPORT_SECS" "$EXPORT_BYTES" >&2

# Freshness: a reader's first anonymous view after a write shows it, even
# with the pages already cached (the post and home are read before the edit).
log "freshness check: publish, edit, read anonymously"
stamp="$(date +%s)$RANDOM"
anon_get / >/dev/null
FRESH_NEW="no"
FRESH_EDIT="no"
FRESH_HOME="no"
FRESH_DETAIL=""
code="$(api POST /admin/api/posts "{\"title\":\"Fresh $stamp\",\"markdown\":\"First text FRESH-A-$stamp.\",\"tags\":[\"bench\"],\"status\":\"published\"}")"
if [ "$code" = 201 ]; then
  post_id="$(json_field id <"$STATE/api.body")"
  slug="$(json_field slug <"$STATE/api.body")"
  [[ "$(anon_get "/blog/$slug")" == *"FRESH-A-$stamp"* ]] && FRESH_NEW="yes"
  [[ "$(anon_get /)" == *"Fresh $stamp"* ]] && home_new="yes" || home_new="no"
  code="$(api GET "/admin/api/posts/$post_id")"
  version="$(json_field version <"$STATE/api.body")"
  code="$(api PUT "/admin/api/posts/$post_id" "{\"title\":\"Fresh $stamp edited\",\"slug\":\"$slug\",\"markdown\":\"Second text FRESH-B-$stamp.\",\"tags\":[\"bench\"],\"status\":\"published\",\"version\":$version}")"
  if [ "$code" = 200 ]; then
    [[ "$(anon_get "/blog/$slug")" == *"FRESH-B-$stamp"* ]] && FRESH_EDIT="yes"
    [[ "$(anon_get /)" == *"Fresh $stamp edited"* ]] && [ "$home_new" = yes ] && FRESH_HOME="yes"
  else
    FRESH_DETAIL="PUT /admin/api/posts/$post_id answered $code: $(head -c 200 "$STATE/api.body")"
  fi
else
  FRESH_DETAIL="POST /admin/api/posts answered $code: $(head -c 200 "$STATE/api.body")"
fi

printf '    first read after a publish shows it: %s; after an edit: %s; home lists it: %s%s\n' \
  "$FRESH_NEW" "$FRESH_EDIT" "$FRESH_HOME" "${FRESH_DETAIL:+ ($FRESH_DETAIL)}" >&2

# Import: a Grove export zip of 1,000 posts (a few KB each), previewed
# then applied on the bench blog, then applied again (nothing new): each
# one request, timed by curl (the router reads the zip, the actor plans;
# the apply is one batch, then every post is rendered and indexed).
log "import: dry run, apply and repeat of a 1,000-post zip"
python3 - "$STATE/bench-import.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(1000):
        body = "\n\n".join(f"Paragraph {p} of imported post {i}: " + "words to read " * 40 for p in range(6))
        z.writestr(f"posts/imported-{i:04d}.md",
                   f"---\ntitle: Imported post {i}\nslug: imported-{i:04d}\ndate: 2024-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}Z\n"
                   f"tags:\n- imported\nstatus: published\n---\n\n{body}\n")
PY
IMPORT_TIMES=()
IMPORT_DETAIL=""
for mode in preview apply apply; do
  out="$(curl -sS --max-time 120 -o "$STATE/api.body" -w '%{http_code} %{time_total}' -X POST -H "Host: $BLOG" \
    -H "Cookie: grove_session=$SESSION" -H "X-CSRF-Token: $CSRF" \
    --data-binary "@$STATE/bench-import.zip" "$BASE/admin/api/import?mode=$mode" 2>/dev/null || echo "000 0")"
  if [ "${out%% *}" = 200 ]; then
    IMPORT_TIMES+=("$(calc 'printf "%.0f", a * 1000' "${out#* }") ms ($(json_field message <"$STATE/api.body"))")
  else
    IMPORT_TIMES+=("failed")
    IMPORT_DETAIL="POST /admin/api/import?mode=$mode answered ${out%% *}: $(head -c 200 "$STATE/api.body")"
  fi
done
printf '    import of 1,000 posts: dry run %s; apply %s; again %s%s\n' \
  "${IMPORT_TIMES[0]}" "${IMPORT_TIMES[1]}" "${IMPORT_TIMES[2]}" "${IMPORT_DETAIL:+ ($IMPORT_DETAIL)}" >&2

server_stop
# The rate-limit check's cost: two servers at once, each on its own copy
# of the state, one with the check and one with READER_LIMITS=off. Every
# round runs trivial and the hot post on one, then on the other, so the
# pair sees the same spells of the machine; rounds alternate the order
# (on, on, off, off; then off, off, on, on), so neither server always goes
# first. Each hot post is a ratio to its own server's trivial route, and
# the cost is the median over rounds of 1 − on/off.
cp -a "$STATE" "$STATE-off"
server_start
warm_tenant
PGID_ON="$PGID"
PGID=""
CASE_PORT["trivial, limits on"]="$PORT"
CASE_PORT["hot post, limits on"]="$PORT"
SERVER_STATE="$STATE-off" server_start --var READER_LIMITS:off
warm_tenant
CASE_PORT["trivial, limits off"]="$PORT"
CASE_PORT["hot post, limits off"]="$PORT"
CASE_BASE["hot post, limits on"]="trivial, limits on"
CASE_BASE["hot post, limits off"]="trivial, limits off"
# An even number of rounds, so each order runs equally often.
PAIR_ROUNDS=$(((ROUNDS + 1) / 2 * 2))
ROUNDS="$PAIR_ROUNDS" REVERSE_EVEN=1 interleaved "trivial, limits on" "hot post, limits on" "hot post, limits off" "trivial, limits off"
# The pair's trivial routes stay out of the table (the first server's is in it).
CASES=("${CASES[@]:0:${#CASES[@]}-4}" "hot post, limits on" "hot post, limits off")
ON_RATIO="${RATIO[hot post, limits on]}"
OFF_RATIO="${RATIO[hot post, limits off]}"
# Each two rounds (one of each order) give one figure: the mean of their
# costs, in which the effect of going first cancels.
ROUND_COSTS="$(paste -d' ' <(tr ' ' '\n' <<<"${ROUND_RATIO[hot post, limits on]}") <(tr ' ' '\n' <<<"${ROUND_RATIO[hot post, limits off]}") \
  | awk '$1 ~ /^[0-9.]+$/ && $2 ~ /^[0-9.]+$/ && $2 > 0 { printf "%s%.1f", (n++ ? " " : ""), (1 - $1 / $2) * 100 }')"
PAIR_COSTS="$(numbers_of "$ROUND_COSTS" \
  | awk 'NR % 2 == 1 { first = $1; next } { printf "%s%.1f", (n++ ? " " : ""), (first + $1) / 2 }')"
probe_d1 "hot post, limits off" hot
use_port "${CASE_PORT[hot post, limits on]}"
probe_d1 "hot post, limits on" hot
server_stop
stop_wrangler "$PGID_ON"
PGID_ON=""

# ---------------------------------------------------------------- report ----

errors_of() {
  local name="$1" s=""
  if [ "${RPS[$name]}" = "n/a" ]; then
    s="wrk failed ⚠"
  else
    s="${BAD[$name]}"
    [ "${BAD[$name]}" != 0 ] && s="**${BAD[$name]}** ⚠"
    [ "${SOCK[$name]}" != 0 ] && s+=" + ${SOCK[$name]} socket errors ⚠"
  fi
  echo "$s"
}

has_errors() {
  [ "${RPS[$1]}" = "n/a" ] || [ "${BAD[$1]}" != 0 ] || [ "${SOCK[$1]}" != 0 ]
}

TRIVIAL="${RPS[trivial]}"
ratio() {
  if [ -n "${RATIO[$1]:-}" ]; then
    calc 'printf "%.2f", a' "${RATIO[$1]}"
    return
  fi
  if [ "$TRIVIAL" = "n/a" ] || [ "${RPS[$1]}" = "n/a" ]; then echo "n/a"; return; fi
  calc 'if (b > 0) printf "%.2f", a / b; else print "n/a"' "${RPS[$1]}" "$TRIVIAL"
}

verdict() { if [ "$1" = 1 ]; then echo PASS; else echo FAIL; fi; }

# us VALUE: a CPU figure in whole µs, or "n/a".
us() { calc 'printf "%.0f", a' "${1:-n/a}"; }

# target_ratio CASE MIN: PASS when the case's ratio to trivial is at least MIN and it had no errors.
target_ratio() {
  local r
  r="$(ratio "$1")"
  if [ "$r" = "n/a" ] || has_errors "$1"; then echo FAIL; return; fi
  verdict "$(calc 'print (a >= b) ? 1 : 0' "$r" "$2")"
}

# target_floor CASE FLOOR MIN: "PASS (r)" when CASE's req/s over FLOOR's,
# the median of their per-round ratios, is at least MIN and it had no errors.
target_floor() {
  local r
  r="$(paste -d' ' <(tr ' ' '\n' <<<"${ROUND_RPS[$1]:-}") <(tr ' ' '\n' <<<"${ROUND_RPS[$2]:-}") \
    | awk '$1 ~ /^[0-9.]+$/ && $2 ~ /^[0-9.]+$/ && $2 > 0 { print $1 / $2 }' | median)"
  if [ "$r" = "n/a" ] || has_errors "$1"; then echo "FAIL ($r)"; return; fi
  echo "$(verdict "$(calc 'print (a >= b) ? 1 : 0' "$r" "$3")") ($(calc 'printf "%.2f", a' "$r"))"
}

ON="$ON_RATIO"
OFF="$OFF_RATIO"
COST="$(numbers_of "$PAIR_COSTS" | median)"
if [ "$COST" = "n/a" ] || has_errors "hot post, limits on" || has_errors "hot post, limits off"; then
  COST_VERDICT=FAIL
else
  COST_VERDICT="$(verdict "$(calc 'print (a <= 10) ? 1 : 0' "$COST")")"
fi

D1_VERDICT=PASS
d1_detail=""
actor_d1_detail=""
actor_d1_warn=""
for name in "hot post (actor)" "hot post (edge hit)" "cold post (storage)"; do
  d1_detail+="${d1_detail:+, }$name ${D1[$name]}"
  [ "${D1[$name]}" = "0.00" ] || [ "${D1[$name]}" = 0 ] || D1_VERDICT=FAIL
  # The actor's own D1 counter over the whole measured run (concurrent
  # requests, background work) as a cross-check of the sequential probes.
  actor_d1_detail+="${actor_d1_detail:+, }$name ${ACTOR_D1[$name]:-n/a}"
  # It also counts background work (alarms: the view-count flush, the
  # lease), which no request pays for: shown, flagged, but the target is
  # the per-request header.
  if [ -n "${ACTOR_D1[$name]:-}" ] && [ "$(calc 'print (a > 0.01) ? 1 : 0' "${ACTOR_D1[$name]}")" = 1 ]; then
    actor_d1_warn=" — ⚠ over 0.01: background D1 work (alarms) grows with this traffic"
  fi
done

if [ "$FRESH_NEW" = yes ] && [ "$FRESH_EDIT" = yes ] && [ "$FRESH_HOME" = yes ]; then FRESH_VERDICT=PASS; else FRESH_VERDICT=FAIL; fi

mem_gib="$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
cpu_model="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
wrangler_version="$({ wrangler --version </dev/null 2>/dev/null || echo unknown; } | tail -n 1)"
wrk_version="$({ wrk -v 2>&1 || true; } | awk 'NR == 1 { print $2 }')"

REPORT="$STATE/report.md"
{
  echo "| case | req/s | p50 ms | p99 ms | ratio to trivial | D1 queries/req | non-2xx | dev proxy CPU µs/req | worker CPU µs/req |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for name in "${CASES[@]}"; do
    label="$name"
    has_errors "$name" && label="$name ⚠"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" \
      "$(ratio "$name")" "${D1[$name]:-n/a}" "$(errors_of "$name")" "$(us "${PROXY_US[$name]:-}")" "$(us "${WORKER_US[$name]:-}")"
  done
  echo
  echo "Rate-limit check cost (hot post, limits on vs limits off) = ${COST}%: the median over pairs of rounds of 1 − on/off (per pair: ${PAIR_COSTS// /, }%; per round: ${ROUND_COSTS// /, }%)."
  echo "The check needs a server started with \`READER_LIMITS=off\`: two servers ran at once, each on its own copy of the state, and each round ran"
  echo "trivial and hot post on each, in the order on, on, off, off in odd rounds and off, off, on, on in even ones ($PAIR_ROUNDS rounds: going"
  echo "first or second moved a round's figure by about 20 % either way, so a pair of rounds is the unit); each hot post is a ratio to its own"
  echo "server's trivial route (median on ${ON}, off ${OFF})."
  echo
  echo "Targets, against the runtime's floor for exactly the same work, measured in the same rounds:"
  echo "- edge hit ≥ 0.95 × \"trivial, page-sized + headers\": $(target_floor "hot post (edge hit)" "trivial, page-sized + headers" 0.95)"
  echo "- hot post via the actor ≥ 0.90 × \"actor round trip, page-sized + headers\": $(target_floor "hot post (actor)" "actor round trip, page-sized + headers" 0.90)"
  echo "- for context, the runtime's own floors (no Grove work at all): answering with the page's $PAGE_BYTES bytes instead of \"ok\" $(ratio "trivial, page-sized"), and with the headers every page carries $(ratio "trivial, page-sized + headers"); an actor round trip $(ratio "actor round trip (floor)"), with the page's bytes $(ratio "actor round trip, page-sized"), and its headers $(ratio "actor round trip, page-sized + headers"). Against the floor of exactly its work, the edge hit reaches $(calc 'if (b > 0) printf "%.2f", a / b; else print "n/a"' "$(ratio "hot post (edge hit)")" "$(ratio "trivial, page-sized + headers")") and the hot post via the actor $(calc 'if (b > 0) printf "%.2f", a / b; else print "n/a"' "$(ratio "hot post (actor)")" "$(ratio "actor round trip, page-sized + headers")")."
  if [ "$DIRECT" = 1 ]; then
    echo "- what sets these ratios here: the user worker's workerd (router and actors on one thread) spent $(us "${WORKER_US[trivial]}") µs of CPU per trivial request, $(us "${WORKER_US[trivial, page-sized + headers]}") per page-sized answer with a page's headers, $(us "${WORKER_US[hot post (edge hit)]}") per edge hit and $(us "${WORKER_US[hot post (actor)]}") per hot post via the actor."
  else
    echo "- what sets these ratios here: wrangler's dev proxy passes every request through one Durable Object (its ProxyWorker) on one thread, which was busy $(calc 'printf "%.0f", a * b / 10000' "${PROXY_US[trivial]}" "${RPS[trivial]}")% of a core during the trivial run: its CPU per request sets the rate. It spent $(us "${PROXY_US[trivial]}") µs per trivial request, $(us "${PROXY_US[trivial, as HTML]}") on two bytes of HTML (every text/html answer goes through its HTMLRewriter, for live reload), $(us "${PROXY_US[trivial, page-sized + headers]}") on a page-sized answer with a page's headers and $(us "${PROXY_US[hot post (edge hit)]}") on an edge hit. That caps any page of this size served through it near $(calc 'if (b > 0) printf "%.2f", a / b; else print "n/a"' "${PROXY_US[trivial]}" "${PROXY_US[trivial, page-sized + headers]}") of trivial (two bytes of HTML: $(calc 'if (b > 0) printf "%.2f", a / b; else print "n/a"' "${PROXY_US[trivial]}" "${PROXY_US[trivial, as HTML]}")); production has no such proxy. The user worker (router and actors, one thread) spent $(us "${WORKER_US[trivial]}") µs per trivial request, $(us "${WORKER_US[hot post (edge hit)]}") per edge hit and $(us "${WORKER_US[hot post (actor)]}") per hot post via the actor."
  fi
  echo "- search, uncached, one connection: p99 ≤ 25 ms: $(calc 'if (a <= 25) print "PASS"; else print "FAIL"' "$SEARCH1_P99") (p50 $SEARCH1_P50 ms, p99 $SEARCH1_P99 ms, $SEARCH1_RPS req/s; 60 one- and two-word queries over the 1,000 bench posts, scripts/bench/search.lua). The floor of that tail here: an actor round trip doing nothing, one connection, same server, right after: p50 $ACTOR1_P50 ms, p99 $ACTOR1_P99 ms"
  if [ -n "$MEDIA_URL" ]; then
    echo "- media, 200 KB image (edge hit): ${RPS[media, 200 KB image (edge hit)]} req/s, p50 ${P50[media, 200 KB image (edge hit)]} ms, p99 ${P99[media, 200 KB image (edge hit)]} ms; $(calc 'if (b > 0) printf "%.2f", a / b; else print "n/a"' "${RATIO[media, 200 KB image (edge hit)]}" "${RATIO[trivial, page-sized, beside media]}") × the page-sized floor (\"trivial, page-sized\", $PAGE_BYTES bytes), $(calc 'if (b > 0) printf "%.2f", a / b; else print "n/a"' "${RATIO[media, 200 KB image (edge hit)]}" "${RATIO[trivial, 200 KB]}") × the floor for an answer of the same size (\"trivial, 200 KB\")"
  fi
  echo "- subdomain check, available name (\`GET auth.{BASE}/api/subdomains/bench-free-name\`, one D1 statement): ${RPS[subdomain check, available name]} req/s, p50 ${P50[subdomain check, available name]} ms, p99 ${P99[subdomain check, available name]} ms; $(ratio "subdomain check, available name") × the trivial route beside it"
  echo "- pricing page (\`GET {BASE}/pricing\`, rendered per request, no storage): ${RPS[pricing page (apex)]} req/s, p50 ${P50[pricing page (apex)]} ms, p99 ${P99[pricing page (apex)]} ms; $(ratio "pricing page (apex)") × the trivial route beside it"
  echo "- search, cached ≥ 0.8 × hot post via the actor: $(calc 'if (b > 0 && a / b >= 0.8) printf "PASS (%.2f)", a / b; else if (b > 0) printf "FAIL (%.2f)", a / b; else print "n/a"' "${RATIO[search, cached]}" "${RATIO[hot post (actor), beside search]}") (in rounds side by side on one server: ${RPS[search, cached]} against ${RPS[hot post (actor), beside search]} req/s); uncached $(calc 'if (b > 0) printf "%.2f", a / b; else print "n/a"' "${RPS[search, uncached]}" "${RPS[hot post (actor), beside search]}") (a run of its own, on the server without page memory)"
  echo "- the Atom feed (edge hit): ${RPS[feed (edge hit)]} req/s, $(ratio "feed (edge hit)") × its round's trivial route, ${D1[feed (edge hit)]:-n/a} D1 statements per request"
  echo "- a renamed blog's old name (301 to the new one): ${RPS[renamed name (301)]} req/s, $(ratio "renamed name (301)") × its round's trivial route, ${D1[renamed name (301)]:-n/a} D1 statements per request"
  echo "- rate-limit check cost ≤ 10%: $COST_VERDICT (${COST}%)"
  echo "- D1 queries/request = 0 for hot and cold views: $D1_VERDICT ($PROBES sequential probes: $d1_detail; the actor's D1 counter, background work included, per request over the measured runs: $actor_d1_detail$actor_d1_warn)"
  echo "- export of the bench blog (\`GET /admin/api/export\`, the zip of its $POSTS posts and one 200 KB image, streamed): median ${EXPORT_SECS} s to the last byte over 3 downloads ($EXPORT_OK of 3 answered 200), $EXPORT_BYTES bytes"
  echo "- publish → read fresh: $FRESH_VERDICT (after a publish, the first read shows it: $FRESH_NEW; after an edit: $FRESH_EDIT; home lists it right after: $FRESH_HOME)${FRESH_DETAIL:+ — $FRESH_DETAIL}"
  echo "- import of a 1,000-post export zip (one request each; $(du -k "$STATE/bench-import.zip" | cut -f1) KB): dry run ${IMPORT_TIMES[0]}; apply ${IMPORT_TIMES[1]}; the same file again ${IMPORT_TIMES[2]}${IMPORT_DETAIL:+ — $IMPORT_DETAIL}"
  flagged=""
  for name in "${CASES[@]}"; do
    if has_errors "$name"; then flagged+="${flagged:+, }$name"; fi
    if [ -n "${D1_NOTE[$name]:-}" ]; then echo "- note, $name: ${D1_NOTE[$name]}"; fi
  done
  [ -z "$flagged" ] || echo "- ⚠ cases with errors (their numbers include failed requests): $flagged"
  busy_cases=""
  for name in "${CASES[@]}"; do
    [ -z "${BUSY[$name]:-}" ] || busy_cases+="${busy_cases:+; }$name (${BUSY[$name]})"
  done
  [ -z "$busy_cases" ] || echo "- ⚠ other processes shared the CPUs during: $busy_cases — rerun on an idle machine for comparable numbers"
  echo
  echo "The bench tenant's actor during each measured run (ops API \`/tenants/t_bench/stats\`):"
  for name in "${CASES[@]}"; do
    [ "$name" = trivial ] || echo "- $name: ${ACTOR[$name]}"
  done
  echo
  echo "Machine: $(nproc) cores, ${cpu_model:-unknown CPU}, $mem_gib memory; wrangler $wrangler_version; wrk $wrk_version; wrangler's local traces $TRACES_STATE; $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "Interleaved cases: ${ROUNDS} rounds × wrk -t2 -c16 -d${ROUND_SECS}s; others: wrk -t2 -c16 -d${SECS}s after a ${WARM_SECS}s warm-up (admin write: --timeout 10s). wrk and workerd share the machine's cores, so compare ratios rather than absolute req/s."
} >"$REPORT"

mkdir -p "$(dirname "$REPORT_DOC")"
{
  echo "# Benchmarks"
  echo
  if [ "$DIRECT" = 1 ]; then how="make bench"; else how="BENCH_DIRECT=0 make bench"; fi
  echo "Reproduce with \`$how\` (scripts/bench.sh, about 9 minutes): a release build under"
  echo "\`wrangler dev\` (workerd, local D1 and Durable Objects) on 127.0.0.1 with fresh state: the"
  echo "demo seed plus a tenant \`t_bench\` with 1,000 published posts of 4–8 KB Markdown"
  echo "(seeds/bench_sql.py). Trivial, actor round trip, hot post (actor), edge hit and list page run interleaved on one"
  echo "server: ${ROUNDS} rounds, each case \`wrk -t2 -c16 -d${ROUND_SECS}s --latency\` after a 1 s warm-up; req/s, p50 and p99 are"
  echo "medians over the rounds, and a ratio is the median of the case's per-round ratios to that round's trivial run."
  echo "Cold post and admin write: one \`wrk -t2 -c16 -d${SECS}s --latency\` after a ${WARM_SECS} s warm-up."
  echo "After each case ${PROBES} sequential requests read \`x-grove-d1-queries\` (D1 statements per request)."
  echo "The last two columns are the CPU time (user + system, from /proc) that wrangler's dev proxy (ProxyWorker's workerd)"
  echo "and the user worker's workerd (the router and every Durable Object) used per request (for interleaved cases, the median over rounds)."
  echo "\"(actor)\" requests carry a session cookie so they bypass the edge cache; \"cold post\" runs with"
  echo "\`READER_CACHE_BYTES=0\` and cycles through all 1,000 posts; \"limits off\" runs with \`READER_LIMITS=off\`."
  echo "Wrangler's local trace collector (a development tool production does not have) is $TRACES_STATE:"
  echo "it streams every invocation of the worker and of each Durable Object to a SQLite store, which"
  echo "roughly doubles the worker's CPU per request here and weighs twice on actor paths (see start_wrangler"
  echo "in scripts/local.sh). \`GROVE_LOCAL_TRACES=true make bench\` measures with it on."
  if [ "$DIRECT" = 1 ]; then
    echo "**Direct to the runtime (\`BENCH_DIRECT=1\`):** every request went straight to the user worker's own workerd socket,"
    echo "skipping wrangler's dev proxy (a second workerd that runs each HTML response through HTMLRewriter for live reload"
    echo "and rewrites URL headers). This is the primary table. \`BENCH_DIRECT=0 make bench\` (docs/benchmarks.md) measures through the proxy, as a browser on \`wrangler dev\` would."
  else
    echo "**Through wrangler's dev proxy (\`BENCH_DIRECT=0\`):** the second table. The primary one, straight to the runtime, is"
    echo "docs/benchmarks-direct.md (\`make bench\`)."
  fi
  echo
  cat "$REPORT"
} >"$REPORT_DOC"

echo
cat "$REPORT"
echo
log "written to ${REPORT_DOC#"$ROOT"/}"
