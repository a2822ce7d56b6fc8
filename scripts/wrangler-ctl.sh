#!/usr/bin/env bash
# Lets a test control its own wrangler dev (the durability test restarts one):
#   wrangler-ctl.sh prepare DIR        migrations + demo seed into DIR
#   wrangler-ctl.sh start DIR PORT     start on PORT with state DIR; prints the process group id once ready
#   wrangler-ctl.sh stop PGID          stop it (wrangler, workerd, esbuild)
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$ROOT/scripts/local.sh"
cd "$ROOT"
case "${1:-}" in
  prepare) prepare_state "$2" ;;
  start)
    pgid="$(start_wrangler "$2" "$3" "$2/wrangler-$3.log")"
    wait_ready "$3" "$pgid" "$2/wrangler-$3.log"
    echo "$pgid"
    ;;
  stop) stop_wrangler "$2" ;;
  *) die "usage: wrangler-ctl.sh prepare DIR | start DIR PORT | stop PGID" ;;
esac
