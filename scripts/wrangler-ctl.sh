#!/usr/bin/env bash
# Lets a test control its own wrangler dev (the durability tests restart one,
# the kill test kills one and starts it again on the same state and port):
#   wrangler-ctl.sh prepare DIR        migrations + demo seed into DIR
#   wrangler-ctl.sh migrate DIR        migrations only (an empty platform, quicker to make)
#   wrangler-ctl.sh start DIR PORT     start on PORT with state DIR; prints the process group id once ready
#                                      (each start logs to its own DIR/wrangler-PORT-TIME.log)
#   wrangler-ctl.sh stop PGID          stop it (wrangler, workerd, esbuild)
#   wrangler-ctl.sh seed-bench DIR N   add the bench tenant with N large posts
#   wrangler-ctl.sh seed-scale DIR T P add T blogs (s0001...) with P posts each
#   wrangler-ctl.sh sql DIR SQL        run SQL on the local D1 in DIR (tests seed rows no API writes)
# GROVE_DEV_VARS="NAME:VALUE ..." passes more worker vars to `start`.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$ROOT/scripts/local.sh"
cd "$ROOT"
case "${1:-}" in
  prepare) prepare_state "$2" ;;
  migrate)
    mkdir -p "$2"
    wrangler d1 migrations apply DB --local --persist-to "$2" </dev/null >"$2/migrate.log" 2>&1 \
      || { cat "$2/migrate.log" >&2; die "D1 migrations failed"; }
    ;;
  start)
    logfile="$2/wrangler-$3-$(date +%s%N).log"
    pgid="$(start_wrangler "$2" "$3" "$logfile")"
    wait_ready "$3" "$pgid" "$logfile"
    echo "$pgid"
    ;;
  stop) stop_wrangler "$2" ;;
  seed-bench)
    python3 "$ROOT/seeds/bench_sql.py" "$3" >"$2/bench.sql"
    wrangler d1 execute DB --local --persist-to "$2" --file "$2/bench.sql" </dev/null >"$2/bench-seed.log" 2>&1 \
      || { cat "$2/bench-seed.log" >&2; die "bench seeding failed"; }
    ;;
  seed-scale)
    python3 "$ROOT/seeds/scale_sql.py" "$3" "$4" >"$2/scale.sql"
    wrangler d1 execute DB --local --persist-to "$2" --file "$2/scale.sql" </dev/null >"$2/scale-seed.log" 2>&1 \
      || { cat "$2/scale-seed.log" >&2; die "scale seeding failed"; }
    ;;
  sql)
    wrangler d1 execute DB --local --persist-to "$2" --command "$3" </dev/null >"$2/sql.log" 2>&1 \
      || { cat "$2/sql.log" >&2; die "SQL failed: $3"; }
    ;;
  *) die "usage: wrangler-ctl.sh prepare DIR | start DIR PORT | stop PGID | seed-bench DIR N | seed-scale DIR T P | sql DIR SQL | migrate DIR" ;;
esac
