#!/usr/bin/env bash
# Rolling reload under load (issue 12): `eventide cluster -n 2` serving /plaintext to wrk with
# 1,000 keep-alive connections; a steady run first (its p99 is the reference), then a run during
# which `eventide cluster reload` replaces both workers one by one.
#
#   bench/setup.sh && bench/cluster/reload.sh [--quick] [--conns C] [--duration S]
#
# Pass: the reload succeeds, wrk reports 0 socket errors and 0 non-2xx responses, and the p99
# during the reload is at most 2x the steady one. Prints the kernel's net.ipv4.tcp_migrate_req:
# with 1 the kernel moves requests queued on a closing listener to its siblings; with 0 the
# workers drain their accept queue before closing (see docs/cluster.md). Raw output:
# bench/results/cluster-reload-<time>/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CONNS=1000; DURATION=40; STEADY=10
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) CONNS=200; DURATION=30; STEADY=5; shift ;;
    --conns) CONNS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
command -v wrk >/dev/null || die "wrk not found: run bench/setup.sh"
OUT="$ROOT/bench/results/cluster-reload-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
(cd "$ROOT" && ./eventide build) >"$OUT/build.log" 2>&1 || die "build failed: $OUT/build.log"
APP="$(app_jar "$OUT")"
echo "tcp_migrate_req: $(cat /proc/sys/net/ipv4/tcp_migrate_req 2>/dev/null || echo absent)" | tee "$OUT/machine.txt" >&2
PORT="$(pick_port 18080)"
trap 'stop_cluster' EXIT
start_cluster 2 "$PORT" "$OUT/cluster.log"
URL="http://127.0.0.1:$PORT/plaintext"
wrk -t2 -c"$CONNS" -d5s "$URL" >/dev/null   # warm-up
wrk -t2 -c"$CONNS" -d"${STEADY}s" --latency "$URL" >"$OUT/wrk-steady.txt"
read -r s_rps s_p99 s_err s_non < <(wrk_summary <"$OUT/wrk-steady.txt")
wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$URL" >"$OUT/wrk-reload.txt" &
WRK=$!
sleep 2
start=$SECONDS
if cluster_cmd reload >"$OUT/reload.txt" 2>&1; then reload_ok=yes; else reload_ok=no; fi
reload_s=$((SECONDS - start))
wait "$WRK"
read -r r_rps r_p99 r_err r_non < <(wrk_summary <"$OUT/wrk-reload.txt")
(( reload_s + 2 < DURATION )) || log "warning: the reload ($reload_s s) did not finish well inside the wrk run; raise --duration"
{
  printf 'steady:        %8.0f req/s  p99 %7.2f ms  socket errors %d  non-2xx %d\n' "$s_rps" "$s_p99" "$s_err" "$s_non"
  printf 'during reload: %8.0f req/s  p99 %7.2f ms  socket errors %d  non-2xx %d  (reload %s, %d s)\n' \
    "$r_rps" "$r_p99" "$r_err" "$r_non" "$reload_ok" "$reload_s"
  awk -v e="$r_err" -v n="$r_non" -v p="$r_p99" -v s="$s_p99" -v ok="$reload_ok" 'BEGIN {
    pass = (ok=="yes" && e==0 && n==0 && p <= 2*s);
    printf "%s: reload %s, %d socket errors, %d non-2xx, p99 %.2fx steady (target <= 2x)\n",
           pass ? "PASS" : "FAIL", ok, e, n, (s>0 ? p/s : 0) }'
} | tee "$OUT/summary.txt"
