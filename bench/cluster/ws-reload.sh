#!/usr/bin/env bash
# WebSockets through a rolling reload (issue 12): N WebSockets (default 5,000) held open to
# `eventide cluster -n 2`; `eventide cluster reload` closes each old worker's sockets with 1001
# Going Away and the client reconnects them to the new workers.
#
#   bench/setup.sh && (cd bench/ws && npm install) && bench/cluster/ws-reload.sh [--quick] [--sockets N]
#
# Pass: every socket was closed with 1001 (none reset: no 1006, no error) and reconnected, and N
# are open at the end. Raw output: bench/results/cluster-ws-<time>/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N=5000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) N=500; shift ;;
    --sockets) N="$2"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
[[ -d "$ROOT/bench/ws/node_modules/ws" ]] || (cd "$ROOT/bench/ws" && npm install --no-audit --no-fund >/dev/null) \
  || die "cannot install the ws package (cd bench/ws && npm install)"
(( $(ulimit -n) > N + 1000 )) || ulimit -n $((N * 2 + 1000)) 2>/dev/null || die "open files limit too low for $N sockets"
OUT="$ROOT/bench/results/cluster-ws-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
(cd "$ROOT" && ./eventide build) >"$OUT/build.log" 2>&1 || die "build failed: $OUT/build.log"
APP="$(app_jar "$OUT")"
PORT="$(pick_port 18080)"
CLIENT=""
trap '[[ -n "$CLIENT" ]] && kill "$CLIENT" 2>/dev/null; stop_cluster' EXIT
start_cluster 2 "$PORT" "$OUT/cluster.log"
node "$HERE/ws-reconnect.js" "$PORT" "$N" >"$OUT/client.jsonl" 2>&1 &
CLIENT=$!
last() { tail -1 "$OUT/client.jsonl"; }
field() { last | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const o=JSON.parse(s);console.log(eval("o."+process.argv[1])??0)})' "$1"; }
for i in $(seq 1 120); do [[ -s "$OUT/client.jsonl" && "$(field open)" -ge "$N" ]] && break; sleep 1; done
log "open: $(last)"
cluster_cmd reload >"$OUT/reload.txt" 2>&1 && reload_ok=yes || reload_ok=no
for i in $(seq 1 120); do
  [[ "$(field open)" -ge "$N" && "$(field 'closes["1001"]')" -ge "$N" ]] && break; sleep 1
done
sleep 2
kill -TERM "$CLIENT"; wait "$CLIENT" 2>/dev/null || true; CLIENT=""
log "end: $(last)"
last | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const o=JSON.parse(s),n=+process.argv[1],ok=process.argv[2];
  const c1001=o.closes["1001"]||0, other=Object.entries(o.closes).filter(([k])=>k!=="1001").reduce((a,[,v])=>a+v,0);
  const pass=ok==="yes"&&c1001>=n&&other===0&&o.errors===0&&o.open>=n;
  console.log(`${pass?"PASS":"FAIL"}: reload ${ok}, ${c1001} closes with 1001 for ${n} sockets, ${other} other closes, ${o.errors} errors, ${o.reconnected} reconnected, ${o.open} open at the end`)})' "$N" "$reload_ok" | tee "$OUT/summary.txt"
