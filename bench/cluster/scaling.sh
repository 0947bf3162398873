#!/usr/bin/env bash
# Scaling on one machine, in one run: plaintext served by one Eventide worker vs `eventide cluster`
# with 2 workers, and by one Node.js process vs Node's cluster module with 2 workers.
#
#   bench/setup.sh && bench/cluster/scaling.sh [--quick] [--rounds N] [--duration S] [--conns C]
#                                             [--wrk-threads T]
#
# Each Eventide worker has one loop (the cluster default), like a Node process. On a 2-core machine
# the load generator has to share the cores with the servers: nothing is pinned, and wrk runs T
# threads (default 2: with one, wrk itself capped the single-worker cells in a smoke run). Rounds
# are interleaved (eventide-1, eventide-2, node-1, node-2), each server started afresh and warmed
# up; per cell `wrk -tT -cC -dDs --latency /plaintext`. The
# summary gives median requests/s per configuration and the ratios 2 workers / 1 (issue 12:
# Eventide >= 1.6x). Raw output: bench/results/cluster-scaling-<time>/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS=3; DURATION=10; WARMUP=5; CONNS=256; THREADS=2
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) ROUNDS=1; DURATION=3; WARMUP=2; shift ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --conns) CONNS="$2"; shift 2 ;;
    --wrk-threads) THREADS="$2"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
command -v wrk >/dev/null || die "wrk not found: run bench/setup.sh"
command -v node >/dev/null || die "node not found: run bench/setup.sh"
OUT="$ROOT/bench/results/cluster-scaling-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
(cd "$ROOT" && ./eventide build) >"$OUT/build.log" 2>&1 || die "build failed: $OUT/build.log"
APP="$(app_jar "$OUT")"
{ echo "kernel: $(uname -sr)"; echo "cores: $(nproc)"; echo "jdk: $(java -version 2>&1 | sed -n 2p)";
  echo "node: $(node --version)"; echo "options: rounds=$ROUNDS duration=${DURATION}s conns=$CONNS"; } | tee "$OUT/machine.txt" >&2
PORT="$(pick_port 18080)"
NODE_PID=""
trap 'stop_cluster; [[ -n "$NODE_PID" ]] && kill "$NODE_PID" 2>/dev/null; true' EXIT
printf 'round\tconfig\trps\tp99_ms\terrors\tnon2xx\n' >"$OUT/results.tsv"

start_node() { # workers log
  if [[ "$1" == 1 ]]; then PORT="$PORT" node "$ROOT/bench/node/plaintext.js" >"$2" 2>&1 &
  else PORT="$PORT" WORKERS="$1" node "$HERE/node-cluster.js" >"$2" 2>&1 & fi
  NODE_PID=$!
  local i; for i in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/plaintext" >/dev/null && return 0; sleep 0.1; done
  die "node did not start: $2"
}
for round in $(seq 1 "$ROUNDS"); do
  for cfg in eventide-1 eventide-2 node-1 node-2; do
    n="${cfg#*-}"; log "round $round: $cfg"
    case "$cfg" in
      eventide-*) start_cluster "$n" "$PORT" "$OUT/server-$cfg-r$round.log" ;;
      node-*) start_node "$n" "$OUT/server-$cfg-r$round.log" ;;
    esac
    wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" "http://127.0.0.1:$PORT/plaintext" >/dev/null
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/plaintext" >"$OUT/wrk-$cfg-r$round.txt"
    read -r rps p99 err non2xx < <(wrk_summary <"$OUT/wrk-$cfg-r$round.txt")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$cfg" "$rps" "$p99" "$err" "$non2xx" | tee -a "$OUT/results.tsv" >&2
    case "$cfg" in
      eventide-*) stop_cluster ;;
      node-*) kill -TERM "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true; NODE_PID="" ;;
    esac
  done
done
awk -F'\t' 'NR>1 { v[$2]=v[$2] " " $3 }
  function median(s,   a, n, i, j, t) { n=split(s, a, " "); for (i=1;i<=n;i++) for (j=i+1;j<=n;j++) if (a[j]<a[i]) { t=a[i]; a[i]=a[j]; a[j]=t }
                                        return n%2 ? a[(n+1)/2] : (a[n/2]+a[n/2+1])/2 }
  END { for (c in v) m[c]=median(v[c]);
        printf "%-12s %12s\n", "config", "median rps"; split("eventide-1 eventide-2 node-1 node-2", order, " ");
        for (i=1;i<=4;i++) printf "%-12s %12.0f\n", order[i], m[order[i]];
        printf "eventide 2 workers / 1: %.2fx   node cluster 2 / 1 process: %.2fx\n",
               m["eventide-2"]/m["eventide-1"], m["node-2"]/m["node-1"] }' "$OUT/results.tsv" | tee "$OUT/summary.txt"
