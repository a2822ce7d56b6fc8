#!/usr/bin/env bash
# The shipped wasm's growth since an earlier commit, crate by crate.
#
# Usage: scripts/bench/wasm_growth.sh REV   (f377e5e: the 786 KB build
#        that the scale issue set as the bar)
#
# Builds this checkout and REV (in a temporary worktree that shares this
# checkout's cargo target directory, so only Grove's own crates compile
# again) with the release profile, keeps both shipped wasms and both
# linker outputs, and prints their sizes (raw, gzipped) and the code of
# each crate then and now (scripts/bench/wasm_crates.py), largest growth
# first, as a Markdown table.
set -euo pipefail
source "$(dirname "$0")/../env.sh"
cd "$ROOT"
rev="${1:?usage: wasm_growth.sh REV}"
out="$ROOT/target/wasm-growth"
linked="$ROOT/target/wasm32-unknown-unknown/release/grove_router.wasm"
mkdir -p "$out"

echo "building this checkout" >&2
bash scripts/build-worker.sh >"$out/now.log" 2>&1 || { tail -20 "$out/now.log" >&2; exit 1; }
cp "$linked" "$out/now.linked.wasm"
cp router/build/index_bg.wasm "$out/now.wasm"

wt="$(mktemp -d)"
trap 'git -C "$ROOT" worktree remove --force "$wt" >/dev/null 2>&1 || true' EXIT
git worktree add -q --detach "$wt" "$rev"
ln -s "$ROOT/node_modules" "$wt/node_modules"
echo "building $rev" >&2
(cd "$wt" && CARGO_TARGET_DIR="$ROOT/target" bash scripts/build-worker.sh >"$out/then.log" 2>&1) \
  || { tail -20 "$out/then.log" >&2; exit 1; }
cp "$linked" "$out/then.linked.wasm"
cp "$wt/router/build/index_bg.wasm" "$out/then.wasm"

python3 - "$rev" "$out" <<'PY'
import gzip, json, subprocess, sys
rev, out = sys.argv[1], sys.argv[2]
def crates(path):
    lines = subprocess.run([sys.executable, "scripts/bench/wasm_crates.py", path, "100000"],
                           capture_output=True, text=True, check=True).stdout.splitlines()
    return {r["crate"]: r["bytes"] for r in map(json.loads, lines) if not r["crate"].startswith("(0 other")}
def kb(n): return f"{n / 1024:.0f} KB"
def sized(path):
    raw = open(path, "rb").read()
    return len(raw), len(gzip.compress(raw, 9))
(tr, tg), (nr, ng) = sized(f"{out}/then.wasm"), sized(f"{out}/now.wasm")
print(f"| shipped wasm | {rev} | now | growth |\n|---|---:|---:|---:|")
print(f"| raw | {kb(tr)} | {kb(nr)} | {kb(nr - tr)} |\n| gzipped | {kb(tg)} | {kb(ng)} | {kb(ng - tg)} |\n")
then, now = crates(f"{out}/then.linked.wasm"), crates(f"{out}/now.linked.wasm")
rows = sorted(((now.get(c, 0) - then.get(c, 0), c) for c in set(then) | set(now)), reverse=True)
total = sum(d for d, _ in rows)
print(f"| crate (linker output, before wasm-opt) | {rev} | now | growth |\n|---|---:|---:|---:|")
shown = [r for r in rows if abs(r[0]) >= 4096][:16]
for d, c in shown:
    print(f"| {c} | {kb(then.get(c, 0))} | {kb(now.get(c, 0))} | {'+' if d >= 0 else ''}{kb(d)} |")
rest = total - sum(d for d, _ in shown)
print(f"| (everything else) | | | {'+' if rest >= 0 else ''}{kb(rest)} |")
print(f"| **all** | {kb(sum(then.values()))} | {kb(sum(now.values()))} | **+{kb(total)}** |")
PY
