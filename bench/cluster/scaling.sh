#!/usr/bin/env bash
# Scaling on one machine, in one run: plaintext served by one Eventide worker vs `eventide cluster`
# with 2 workers, and by one Node.js process vs Node's cluster module with 2 workers.
#
#   bench/setup.sh && bench/cluster/scaling.sh [--quick] [--rounds N] [--duration S] [--conns C]
#                                             [--wrk-threads T] [--pipeline D]
#
# Each Eventide worker has one loop (the cluster default), like a Node process. On a 2-core machine
# the load generator has to share the cores with the servers: nothing is pinned, and wrk runs T
# threads (default 2: with one, wrk itself capped the single-worker cells in a smoke run). Rounds
# are interleaved (eventide-1, eventide-2, node-1, node-2), each server started afresh and warmed
# up; per cell `wrk -tT -cC -dDs --latency /plaintext`. With --pipeline D each connection sends D
# requests per round trip (bench/http/pipeline.lua, TechEmpower's plaintext uses 16): wrk then spends
# far less CPU per request, so less of the servers' two cores goes to the load generator. The
# summary gives median requests/s per configuration and the ratios 2 workers / 1 (issue 12:
# Eventide >= 1.6x). Raw output: bench/results/cluster-scaling-<time>/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS=3; DURATION=10; WARMUP=5; CONNS=256; THREADS=2; PIPELINE=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) ROUNDS=1; DURATION=3; WARMUP=2; shift ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --conns) CONNS="$2"; shift 2 ;;
    --wrk-threads) THREADS="$2"; shift 2 ;;
    --pipeline) PIPELINE="$2"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
command -v wrk >/dev/null || die "wrk not found: run bench/setup.sh"
command -v node >/dev/null || die "node not found: run bench/setup.sh"
OUT="$ROOT/bench/results/cluster-scaling-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
(cd "$ROOT" && ./eventide build) >"$OUT/build.log" 2>&1 || die "build failed: $OUT/build.log"
APP="$(app_jar "$OUT")"
{ echo "kernel: $(uname -sr)"; echo "cores: $(nproc)"; echo "jdk: $(java -version 2>&1 | sed -n 2p)";
  echo "node: $(node --version)"; echo "options: rounds=$ROUNDS duration=${DURATION}s conns=$CONNS wrk-threads=$THREADS pipeline=${PIPELINE:-1}"; } | tee "$OUT/machine.txt" >&2
PORT="$(pick_port 18080)"
SCRIPT=(); SCRIPT_ARGS=()
[[ -n "$PIPELINE" ]] && { SCRIPT=(-s "$ROOT/bench/http/pipeline.lua"); SCRIPT_ARGS=(-- "$PIPELINE"); }
NODE_PID=""
trap 'stop_cluster; [[ -n "$NODE_PID" ]] && kill "$NODE_PID" 2>/dev/null; true' EXIT
printf 'round\tconfig\trps\tp99_ms\terrors\tnon2xx\tserver_us_per_req\twrk_us_per_req\n' >"$OUT/results.tsv"
HZ="$(getconf CLK_TCK)"
# CPU ticks (user+system) of a process and all its descendants: the servers' side of a cell.
tree_ticks() {
  local p t=0 c
  for p in "$@"; do
    [[ -r "/proc/$p/stat" ]] && t=$(( t + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat") ))
    c="$(pgrep -P "$p" | paste -sd' ')" || true
    [[ -n "$c" ]] && t=$(( t + $(tree_ticks $c) ))
  done
  echo "$t"
}
# CPU ticks of this script's waited-for children (cutime+cstime): wrk's side, read around its run.
child_ticks() { awk '{ sub(/^.*\) /, ""); print $14 + $15 }' "/proc/$$/stat"; }

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
    wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" "${SCRIPT[@]}" "http://127.0.0.1:$PORT/plaintext" "${SCRIPT_ARGS[@]}" >/dev/null
    case "$cfg" in eventide-*) server_pid="$CLUSTER_PID" ;; node-*) server_pid="$NODE_PID" ;; esac
    s0="$(tree_ticks "$server_pid")"; w0="$(child_ticks)"
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "${SCRIPT[@]}" "http://127.0.0.1:$PORT/plaintext" "${SCRIPT_ARGS[@]}" >"$OUT/wrk-$cfg-r$round.txt"
    s1="$(tree_ticks "$server_pid")"; w1="$(child_ticks)"
    read -r rps p99 err non2xx < <(wrk_summary <"$OUT/wrk-$cfg-r$round.txt")
    reqs="$(awk '/requests in/ { print $1 }' "$OUT/wrk-$cfg-r$round.txt")"
    read -r sus wus < <(awk -v s=$((s1 - s0)) -v w=$((w1 - w0)) -v r="$reqs" -v hz="$HZ" \
      'BEGIN { printf "%.2f %.2f\n", s / hz / r * 1e6, w / hz / r * 1e6 }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$cfg" "$rps" "$p99" "$err" "$non2xx" "$sus" "$wus" | tee -a "$OUT/results.tsv" >&2
    case "$cfg" in
      eventide-*) stop_cluster ;;
      node-*) kill -TERM "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true; NODE_PID="" ;;
    esac
  done
done
awk -F'\t' 'NR>1 { v[$2]=v[$2] " " $3; sc[$2]=sc[$2] " " $7; wc[$2]=wc[$2] " " $8 }
  function median(s,   a, n, i, j, t) { n=split(s, a, " "); for (i=1;i<=n;i++) for (j=i+1;j<=n;j++) if (a[j]<a[i]) { t=a[i]; a[i]=a[j]; a[j]=t }
                                        return n%2 ? a[(n+1)/2] : (a[n/2]+a[n/2+1])/2 }
  END { for (c in v) { m[c]=median(v[c]); s[c]=median(sc[c]); w[c]=median(wc[c]) }
        printf "%-12s %12s %18s %15s\n", "config", "median rps", "server us/request", "wrk us/request"
        split("eventide-1 eventide-2 node-1 node-2", order, " ")
        for (i=1;i<=4;i++) printf "%-12s %12.0f %18.2f %15.2f\n", order[i], m[order[i]], s[order[i]], w[order[i]]
        printf "eventide 2 workers / 1: %.2fx   node cluster 2 / 1 process: %.2fx\n",
               m["eventide-2"]/m["eventide-1"], m["node-2"]/m["node-1"]
        # With the load generator on the same cores, 2 workers can at best use both cores for
        # server + wrk, while 1 worker is held to one core: the ceiling is 2S / (S + W), S and W the
        # server and wrk CPU per request of the 1-process cell.
        printf "ceiling with wrk on the same 2 cores, 2S/(S+W): eventide %.2fx   node %.2fx\n",
               2*s["eventide-1"]/(s["eventide-1"]+w["eventide-1"]), 2*s["node-1"]/(s["node-1"]+w["node-1"]) }' "$OUT/results.tsv" | tee "$OUT/summary.txt"
