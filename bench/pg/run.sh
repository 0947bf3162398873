#!/usr/bin/env bash
# PostgreSQL benchmark: the TechEmpower database routes served by Eventide (examples/Bench.java, one
# loop, eventide-pg), Vert.x 5 + vertx-pg-client (one event loop, pipelined, prepared cache on) and a
# thread-pool server (JDK HttpServer, 64 threads) with pgjdbc + HikariCP, side by side in one run;
# then a client-only loop through each client.
#
#   bench/pg/setup.sh && bench/pg/run.sh [--quick] [--rounds N] [--duration S] [--servers "eventide vertx jdbc"]
#                                        [--connections N] [--wrk-conns N] [--queries N] [--skip-http] [--skip-client]
#
# HTTP cells (each server pinned to core 0 with taskset, wrk -t1 -cC to core 1; every server gets
# --connections PostgreSQL connections, default 8; rounds interleaved, order rotated):
#   db            GET /db
#   queries20     GET /queries?n=20     (20 statements per request)
#   fortunes      GET /fortunes
#   updates20     GET /updates?n=20     (20 reads, then 20 updates in one batch)
# Per cell: requests/s, p50/p99, errors, and server CPU µs per request (from /proc/PID/stat).
# Client loop (bench/pg/ClientLoop.java, one JVM per run, pinned to core 0): --queries (default
# 10,000, after 20,000 of warm-up) executions of SELECT id, randomnumber FROM world WHERE id = $1 at
# concurrency 1 and 256, all cached and with 20 % never-seen SQL: client CPU µs per query, queries/s,
# p50/p99.
# PostgreSQL itself is the machine's service and is not pinned: it competes with both cores, for
# every contestant alike. The world table is rebuilt before each run (setup.sh --tables-only).
# Raw output: bench/results/pg-<time>/; the summary (medians over rounds, ratios to Eventide, the
# issue's targets) is printed at the end and kept in summary.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/pg"
# shellcheck source=../http/lib.sh
source "$ROOT/bench/http/lib.sh"

ROUNDS=3
DURATION=10
WARMUP=5
CONNS=8
WRK_CONNS=256
QUERIES=10000
WARMUP_QUERIES=20000
SERVERS="eventide vertx jdbc"
SKIP_HTTP=0
SKIP_CLIENT=0
SERVER_CORE=0
CLIENT_CORE=1

usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) ROUNDS=1; DURATION=3; WARMUP=1; QUERIES=2000; WARMUP_QUERIES=5000; shift ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --servers) SERVERS="$2"; shift 2 ;;
    --connections) CONNS="$2"; shift 2 ;;
    --wrk-conns) WRK_CONNS="$2"; shift 2 ;;
    --queries) QUERIES="$2"; shift 2 ;;
    --skip-http) SKIP_HTTP=1; shift ;;
    --skip-client) SKIP_CLIENT=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

die() { echo "run.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

command -v taskset >/dev/null || die "taskset not found (util-linux)"
(( SKIP_HTTP )) || command -v wrk >/dev/null || die "wrk not found: run bench/setup.sh"
(( $(nproc --all) >= 2 )) || die "needs at least 2 cores"
JDK="$(bench_find_jdk)" || die "no JDK >= 21 found (set JAVA_HOME)"
JAVA="$JDK/bin/java"
PEERS_JAR="$HERE/peers/target/pg-peers.jar"
[[ -f "$PEERS_JAR" ]] || die "$PEERS_JAR missing: run bench/pg/setup.sh"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}" PGDATABASE="${PGDATABASE:-eventide_bench}"
CLK_TCK="$(getconf CLK_TCK)"

OUT="$ROOT/bench/results/pg-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT/eventide"
log "building Eventide (./eventide build)"
(cd "$ROOT" && timeout 900 ./eventide build) >"$OUT/eventide-build.log" 2>&1 || log "warning: build failed, using the jars built before"
# Snapshot the jars and the example so that rebuilds during the run do not change what is measured.
CP=""
for f in "$ROOT"/eventide-*/target/eventide-*-SNAPSHOT.jar; do
  case "$f" in */eventide-lab/*|*-sources.jar|*-javadoc.jar) continue ;; esac
  cp "$f" "$OUT/eventide/"; CP="$CP:$OUT/eventide/$(basename "$f")"
done
for f in "$ROOT"/eventide-*/target/classpath.txt; do
  case "$f" in */eventide-lab/*) continue ;; esac
  [[ -s "$f" ]] && CP="$CP:$(cat "$f")"
done
EVENTIDE_CP="${CP#:}"
cp "$ROOT/examples/Bench.java" "$HERE/ClientLoop.java" "$HERE/Summary.java" "$OUT/eventide/"
cp "$PEERS_JAR" "$OUT/pg-peers.jar"

"$HERE/setup.sh" --tables-only
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "kernel: $(uname -sr)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc --all) cores"
  echo "jdk: $("$JAVA" -version 2>&1 | sed -n 2p)"
  echo "postgresql: $(psql -tAc 'SHOW server_version')"
  echo "wrk: $(command -v wrk >/dev/null && wrk -v 2>&1 | head -1)"
  echo "eventide: $(git -C "$ROOT" rev-parse --short HEAD) $(git -C "$ROOT" status --porcelain -- 'eventide-*' examples | wc -l) changed files"
  echo "peers: vertx-pg-client $(sed -n 's:.*<vertx.version>\(.*\)</vertx.version>.*:\1:p' "$HERE/peers/pom.xml"), pgjdbc $(sed -n 's:.*<pgjdbc.version>\(.*\)</pgjdbc.version>.*:\1:p' "$HERE/peers/pom.xml"), HikariCP $(sed -n 's:.*<hikari.version>\(.*\)</hikari.version>.*:\1:p' "$HERE/peers/pom.xml")"
  echo "options: rounds=$ROUNDS duration=${DURATION}s connections=$CONNS wrk-conns=$WRK_CONNS queries=$QUERIES servers='$SERVERS'"
} | tee "$OUT/machine.txt" >&2

printf 'round\tserver\tcell\trps\tp50_ms\tp99_ms\terrors\tcpu_us_per_req\n' >"$OUT/results.tsv"
printf 'client\tconcurrency\tunseen\tqueries\tseconds\tqps\tcpu_us_per_query\tp50_us\tp99_us\n' >"$OUT/client.tsv"

SERVER_PID=""
stop_server() {
  local pid="$SERVER_PID"; SERVER_PID=""
  [[ -n "$pid" ]] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
trap 'stop_server' EXIT
trap 'exit 130' INT TERM

cpu_ticks() {
  local stat; stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
  stat="${stat##*) }"
  # shellcheck disable=SC2086
  set -- $stat
  echo $(( ${12} + ${13} ))
}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
to_ms() {
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 }
    else if (v ~ /m$/) { sub(/m$/, "", v); print v * 60000 } else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 } else print "nan" }'
}

start_server() { # name port
  local name="$1" port="$2" log="$OUT/server-$1-r$ROUND.log"
  case "$name" in
    eventide) PORT="$port" EVENTIDE_LOOPS=1 PG_POOL="$CONNS" taskset -c "$SERVER_CORE" \
                "$JAVA" -XX:+UseParallelGC -cp "$EVENTIDE_CP" "$OUT/eventide/Bench.java" >"$log" 2>&1 & ;;
    vertx) PORT="$port" PG_POOL="$CONNS" taskset -c "$SERVER_CORE" \
                "$JAVA" -XX:+UseParallelGC -cp "$OUT/pg-peers.jar" bench.pg.VertxServer >"$log" 2>&1 & ;;
    jdbc) PORT="$port" PG_POOL="$CONNS" THREADS=64 taskset -c "$SERVER_CORE" \
                "$JAVA" -XX:+UseParallelGC -cp "$OUT/pg-peers.jar" bench.pg.JdbcServer >"$log" 2>&1 & ;;
  esac
  SERVER_PID=$!
  local deadline=$((SECONDS + 120))
  until [[ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$port/db" || true)" == 200 ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { SERVER_PID=""; log "$name exited at start: $(tail -5 "$log")"; return 1; }
    (( SECONDS < deadline )) || { log "$name did not answer /db within 120 s"; stop_server; return 1; }
    sleep 0.2
  done
}

cell() { # server cell path
  local srv="$1" name="$2" path="$3" file="$OUT/r$ROUND-$1-$2.txt"
  taskset -c "$CLIENT_CORE" wrk -t1 -c"$WRK_CONNS" -d"${WARMUP}s" "http://127.0.0.1:$PORT$path" >/dev/null 2>&1 || true
  local c0 c1
  c0="$(cpu_ticks "$SERVER_PID")"
  timeout $((DURATION + 60)) taskset -c "$CLIENT_CORE" wrk -t1 -c"$WRK_CONNS" -d"${DURATION}s" --latency \
    "http://127.0.0.1:$PORT$path" >"$file" 2>&1 || true
  c1="$(cpu_ticks "$SERVER_PID")"
  local rps reqs p50 p99 sock non2xx cpu
  rps="$(awk '/^Requests\/sec:/{print $2}' "$file")"; reqs="$(awk '/requests in/{print $1}' "$file")"
  p50="$(to_ms "$(awk '$1=="50%"{print $2}' "$file")")"; p99="$(to_ms "$(awk '$1=="99%"{print $2}' "$file")")"
  sock="$(awk -F'[ ,]+' '/Socket errors:/{print $4+$6+$8+$10}' "$file")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/{print $NF}' "$file")"
  if [[ -z "$reqs" || "$reqs" == 0 ]]; then rps=0; cpu=nan
  else cpu="$(awk -v d=$((c1 - c0)) -v hz="$CLK_TCK" -v n="$reqs" 'BEGIN{printf "%.1f", d * 1e6 / hz / n}')"; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$ROUND" "$srv" "$name" "${rps:-0}" "$p50" "$p99" $(( ${sock:-0} + ${non2xx:-0} )) "$cpu" >>"$OUT/results.tsv"
  log "  $srv $name: $rps req/s, p99 $p99 ms, $cpu µs CPU/req, errors $(( ${sock:-0} + ${non2xx:-0} ))"
}

read -r -a SERVER_LIST <<<"$SERVERS"
if (( ! SKIP_HTTP )); then
  PORT_BASE=$((20000 + RANDOM % 20000))
  for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
    order=()
    for ((i = 0; i < ${#SERVER_LIST[@]}; i++)); do order+=("${SERVER_LIST[$(( (i + ROUND - 1) % ${#SERVER_LIST[@]} ))]}"); done
    log "round $ROUND/$ROUNDS: ${order[*]}"
    idx=0
    for srv in "${order[@]}"; do
      idx=$((idx + 1)); PORT=$((PORT_BASE + ROUND * 10 + idx))
      while ! port_free "$PORT"; do PORT=$((PORT + 1000)); done
      start_server "$srv" "$PORT" || continue
      log " $srv up on port $PORT (pid $SERVER_PID)"
      cell "$srv" db /db
      cell "$srv" queries20 "/queries?n=20"
      cell "$srv" fortunes /fortunes
      cell "$srv" updates20 "/updates?n=20"
      stop_server
    done
  done
fi

if (( ! SKIP_CLIENT )); then
  for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
    for client in "${SERVER_LIST[@]}"; do
      for conc in 1 256; do
        for unseen in 0 0.2; do
          line="$(timeout 900 taskset -c "$SERVER_CORE" "$JAVA" -XX:+UseParallelGC -cp "$EVENTIDE_CP:$OUT/pg-peers.jar" \
            "$OUT/eventide/ClientLoop.java" --client "$client" --concurrency "$conc" --queries "$QUERIES" \
            --unseen "$unseen" --connections "$CONNS" --warmup "$WARMUP_QUERIES" 2>"$OUT/client-$client-$conc-$unseen-r$ROUND.log" | grep -P "^$client\t" || true)"
          [[ -n "$line" ]] || { log "  client $client c=$conc unseen=$unseen failed: $(tail -3 "$OUT/client-$client-$conc-$unseen-r$ROUND.log")"; continue; }
          printf '%s\n' "$line" >>"$OUT/client.tsv"
          log "  client $(echo "$line" | awk -F'\t' '{printf "%s c=%s unseen=%s: %s q/s, %s µs CPU/query, p50 %s µs, p99 %s µs", $1, $2, $3, $6, $7, $8, $9}')"
        done
      done
    done
  done
fi

"$JAVA" "$OUT/eventide/Summary.java" "$OUT" | tee "$OUT/summary.md"
echo
echo "raw results: $OUT"
