#!/usr/bin/env bash
# kill -9 of a worker under load (issue 12): `eventide cluster -n 2` serving /plaintext to wrk;
# worker 1 is killed with SIGKILL mid-run; the time until its replacement is ready (from the
# supervisor's status, polled every 100 ms) and what wrk saw are reported. Only the connections
# the killed worker held can fail (wrk counts them as read errors); the other worker's carry on.
#
#   bench/setup.sh && bench/cluster/kill9.sh [--quick] [--conns C]
#
# Pass: replacement ready within 2 s. Raw output: bench/results/cluster-kill9-<time>/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CONNS=200; DURATION=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) CONNS=50; DURATION=12; shift ;;
    --conns) CONNS="$2"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
command -v wrk >/dev/null || die "wrk not found: run bench/setup.sh"
OUT="$ROOT/bench/results/cluster-kill9-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
(cd "$ROOT" && ./eventide build) >"$OUT/build.log" 2>&1 || die "build failed: $OUT/build.log"
APP="$(app_jar "$OUT")"
PORT="$(pick_port 18080)"
trap 'stop_cluster' EXIT
start_cluster 2 "$PORT" "$OUT/cluster.log"
slot_pid() { cluster_cmd status --json | tr '{' '\n' | sed -n "s/^\"slot\":$1,\"pid\":\([0-9]*\),.*\"state\":\"ready\".*/\1/p" | head -1; }
wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/plaintext" >"$OUT/wrk.txt" &
WRK=$!
sleep 4
victim="$(slot_pid 1)"; [[ -n "$victim" ]] || die "no ready worker 1"
t0=$(date +%s%N); kill -9 "$victim"
new=""
for i in $(seq 1 300); do new="$(slot_pid 1)"; [[ -n "$new" && "$new" != "$victim" ]] && break; new=""; sleep 0.1; done
t1=$(date +%s%N)
wait "$WRK"
read -r rps p99 err non2xx < <(wrk_summary <"$OUT/wrk.txt")
ms=$(( (t1 - t0) / 1000000 ))
{
  echo "killed pid $victim; replacement ${new:-none} ready after ${ms} ms"
  printf 'wrk: %.0f req/s, p99 %.2f ms, %d socket errors (the killed worker held ~%d of %d connections), %d non-2xx\n' \
    "$rps" "$p99" "$err" $((CONNS / 2)) "$CONNS" "$non2xx"
  [[ -n "$new" ]] && (( ms <= 2000 )) && echo "PASS: replacement serving within 2 s" || echo "FAIL: replacement not ready within 2 s"
} | tee "$OUT/summary.txt"
