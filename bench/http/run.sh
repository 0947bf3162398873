#!/usr/bin/env bash
# HTTP benchmark: Eventide (examples/Bench.java, one loop) vs Node.js http (bench/node/plaintext.js)
# vs Netty 4.2 native epoll (bench/netty, one event loop), side by side in one run; optionally also
# Eventide on its native epoll transport (server name eventide-native).
#
#   bench/setup.sh && bench/http/run.sh [--quick] [--rounds N] [--duration S] [--servers "eventide node netty"]
#                                       [--hold-conns N] [--quiet-wait S] [--max-retry N] [--budget-minutes M]
#                                       [--eventide-ref REF] [--tls]
#
# Servers (--servers, default "eventide node netty"; any subset, in any order):
#   eventide         examples/Bench.java on Eventide's default transport (the JDK's NIO Selector)
#   eventide-native  the same Bench.java, jars and flags, plus -Deventide.core.transport=epoll
#                    --enable-native-access=ALL-UNNAMED: Eventide's epoll transport (FFM). Its loop
#                    thread is checked with a thread dump at start (transport.tsv); if it still waits in
#                    the JDK's Selector (an eventide-core without that transport ignores the property),
#                    the log and the summary say so.
#   node             bench/node/plaintext.js
#   netty            bench/netty (netty-hello.jar), native epoll, one event loop
# The four-way comparison (about 4/3 of the default run's time):
#   bench/http/run.sh --servers "eventide eventide-native netty node"
#
# Each server is pinned to core 0 (taskset -c 0; every JVM thread inherits it), wrk and the other
# load generators to core 1. Rounds are interleaved: every round starts each server afresh (in a
# rotated order), warms it up, then runs each cell with `wrk -t1 -cC -dDs --latency`:
#   plaintext-c1000    GET /plaintext, keep-alive, 1,000 connections
#   pipeline16-c256    GET /plaintext, 16 requests pipelined per round trip (pipeline.lua), 256 connections
#   json-c1000         GET /json, keep-alive, 1,000 connections (not Netty: it serves /plaintext only)
#   hold-10000         10,000 idle keep-alive connections from hold.js: server RSS (and, for the JVMs,
#                      live heap after a full GC) before and after, every connection must get its 200
#   plaintext-c10000   GET /plaintext, keep-alive, 10,000 connections
# With --tls every server speaks HTTPS (TLS 1.3, a P-256 certificate made with openssl for the run;
# Netty with the JDK's SSLEngine, SslProvider.JDK, the TLS stack Eventide uses) and the cells are:
#   https-c1000        GET /plaintext over HTTPS, keep-alive, 1,000 connections
#   handshake-c32      GET /plaintext with Connection: close (close.lua), 32 connections: every
#                      request is a new TCP connection and a full TLS handshake (wrk resumes no
#                      session), so req/s is handshakes/s
# Per cell: requests/s, p50/p99 latency, wrk's socket errors and non-2xx responses, and the server's
# CPU time per request (utime+stime of all its threads from /proc/PID/stat, before and after wrk).
# The machine may be shared: each cell first waits (at most --quiet-wait S, default 30) for both
# cores to be nearly idle, records how much of core 0 other processes took during the run, and is
# run again (at most --max-retry N more times, default 2) when that was over 10%; the least
# disturbed run is kept. Past --budget-minutes M (default 45) it neither waits nor re-runs.
# Raw output goes to bench/results/http-<time>/; the summary table is printed at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/http"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

ROUNDS=3
DURATION=10
WARMUP=5
CELL_WARMUP=3
QUIET_WAIT=30
EVENTIDE_REF=""
DISTURBED=10        # percent of core 0 taken by other processes that makes a run count as disturbed
MAX_RETRY=2
BUDGET_MIN=45       # after this many minutes: no more waiting for quiet, no more re-runs
HOLD_CONNS=10000
SERVERS="eventide node netty"
TLS=0
SCHEME=http
SERVER_CORE=0
CLIENT_CORE=1

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) ROUNDS=1; DURATION=3; WARMUP=2; CELL_WARMUP=1; QUIET_WAIT=5; MAX_RETRY=0; shift ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --servers) SERVERS="$2"; shift 2 ;;
    --hold-conns) HOLD_CONNS="$2"; shift 2 ;;
    --quiet-wait) QUIET_WAIT="$2"; shift 2 ;;
    --eventide-ref) EVENTIDE_REF="$2"; shift 2 ;;
    --max-retry) MAX_RETRY="$2"; shift 2 ;;
    --budget-minutes) BUDGET_MIN="$2"; shift 2 ;;
    --tls) TLS=1; SCHEME=https; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

die() { echo "run.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

read -r -a SERVER_LIST <<<"$SERVERS"
(( ${#SERVER_LIST[@]} )) || die "--servers is empty"
for srv in "${SERVER_LIST[@]}"; do
  case "$srv" in eventide|eventide-native|node|netty) ;; *) die "unknown server '$srv' (eventide eventide-native node netty)" ;; esac
done
has_server() { [[ " $SERVERS " == *" $1 "* ]]; }

command -v wrk >/dev/null || die "wrk not found: run bench/setup.sh"
command -v node >/dev/null || die "node not found: run bench/setup.sh"
command -v taskset >/dev/null || die "taskset not found (util-linux)"
(( $(nproc --all) >= 2 )) || die "needs at least 2 cores (server on core $SERVER_CORE, load on core $CLIENT_CORE)"
JDK="$(bench_find_jdk)" || die "no JDK >= 21 found (set JAVA_HOME)"
JAVA="$JDK/bin/java"
JVM_OPTS=(-XX:+UseParallelGC)   # what ./eventide run uses; Netty gets the same
CLK_TCK="$(getconf CLK_TCK)"
PIN_SERVER=(taskset -c "$SERVER_CORE")
PIN_CLIENT=(taskset -c "$CLIENT_CORE")
BUDGET_END=$((SECONDS + BUDGET_MIN * 60))

OUT="$ROOT/bench/results/http$([[ $TLS == 1 ]] && echo s)-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"

# --tls: one self-signed certificate for the run, handed to every server as TLS_CERT/TLS_KEY.
if (( TLS )); then
  command -v openssl >/dev/null || die "openssl not found (apt-get install openssl)"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$OUT/tls-key.pem" -out "$OUT/tls-cert.pem" \
    >"$OUT/tls-openssl.log" 2>&1 || die "openssl could not make a certificate: see $OUT/tls-openssl.log"
  export TLS_CERT="$OUT/tls-cert.pem" TLS_KEY="$OUT/tls-key.pem"
  export EVENTIDE_TLS_CERT="$TLS_CERT" EVENTIDE_TLS_KEY="$TLS_KEY" # Eventide reads them as tls.cert / tls.key
fi

# --- Eventide: build, then snapshot the jars and Bench.java so that other people's edits or
# rebuilds during the run cannot change what is measured. The server command is equivalent to
#   EVENTIDE_LOOPS=1 taskset -c 0 ./eventide run examples/Bench.java
# By default the working tree is built (./eventide build); with --eventide-ref REF, the committed
# tree of REF (git archive) is built apart under the results directory, so that uncommitted work
# in a shared checkout is not measured.
# eventide-native runs the same snapshot with BENCH_NATIVE_OPTS (lib.sh) added.
if has_server eventide || has_server eventide-native; then
  if [[ -n "$EVENTIDE_REF" ]]; then
    EV_ROOT="$OUT/eventide-src"
    mkdir -p "$EV_ROOT"
    log "building Eventide at $EVENTIDE_REF ($(git -C "$ROOT" rev-parse --short "$EVENTIDE_REF")) in $EV_ROOT"
    git -C "$ROOT" archive "$EVENTIDE_REF" | tar -x -C "$EV_ROOT" || die "git archive $EVENTIDE_REF failed"
    mvn_opts="${MAVEN_OPTS:-}"
    [[ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JDK/release")" -ge 24 ]] && mvn_opts="$mvn_opts --sun-misc-unsafe-memory-access=allow"
    (cd "$EV_ROOT" && JAVA_HOME="$JDK" PATH="$JDK/bin:$PATH" MAVEN_OPTS="$mvn_opts" \
      timeout 900 mvn -B -ntp -q -Dstyle.color=never -DskipTests package) >"$OUT/eventide-build.log" 2>&1 \
      || die "building $EVENTIDE_REF failed: see $OUT/eventide-build.log"
    git -C "$ROOT" rev-parse "$EVENTIDE_REF" >"$OUT/eventide-source.txt"
  else
    EV_ROOT="$ROOT"
    log "building Eventide (./eventide build)"
    if ! (cd "$ROOT" && timeout 900 ./eventide build) >"$OUT/eventide-build.log" 2>&1; then
      log "warning: ./eventide build failed (see $OUT/eventide-build.log); using the jars already built"
    fi
    (cd "$ROOT" && git rev-parse HEAD && git status --porcelain -- 'eventide-*' examples pom.xml) >"$OUT/eventide-source.txt" 2>&1 || true
  fi
  mkdir -p "$OUT/eventide"
  CP=""
  for f in "$EV_ROOT"/eventide-*/target/eventide-*-SNAPSHOT.jar; do
    [[ -f "$f" ]] || die "no Eventide jars: run bench/setup.sh"
    cp "$f" "$OUT/eventide/"
    CP="$CP:$OUT/eventide/$(basename "$f")"
  done
  for f in "$EV_ROOT"/eventide-*/target/classpath.txt; do
    [[ -s "$f" ]] && CP="$CP:$(cat "$f")"
  done
  EVENTIDE_CP="${CP#:}"
  cp "$EV_ROOT/examples/Bench.java" "$OUT/eventide/Bench.java"
fi
NETTY_JAR="$ROOT/bench/netty/target/netty-hello.jar"
if has_server netty && [[ ! -f "$NETTY_JAR" ]]; then
  die "$NETTY_JAR missing: run bench/setup.sh"
fi

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "kernel: $(uname -sr)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc --all) cores"
  echo "memory: $(free -m | awk '/Mem:/{print $2}') MiB"
  echo "jdk: $("$JAVA" -version 2>&1 | sed -n 2p)"
  echo "node: $(node --version)"
  echo "wrk: $(wrk -v 2>&1 | head -1)"
  echo "netty: $(sed -n 's:.*<netty.version>\(.*\)</netty.version>.*:\1:p' "$ROOT/bench/netty/pom.xml")"
  echo "open files limit: $(ulimit -n)"
  echo "eventide: ${EVENTIDE_REF:-working tree} $(head -1 "$OUT/eventide-source.txt" 2>/dev/null)"
  has_server eventide-native && echo "eventide-native: eventide plus ${BENCH_NATIVE_OPTS[*]}"
  echo "options: rounds=$ROUNDS duration=${DURATION}s warmup=${WARMUP}s cell-warmup=${CELL_WARMUP}s hold=$HOLD_CONNS servers='$SERVERS'"
} | tee "$OUT/machine.txt" >&2

printf 'round\tserver\tcell\tstatus\trps\trequests\tp50_ms\tp99_ms\terrors\tcpu_us_per_req\tserver_cpu_pct\tcore0_other_pct\tcore1_busy_pct\tattempts\n' >"$OUT/results.tsv"
printf 'round\tserver\ttransport\tloop_thread_waits_in\n' >"$OUT/transport.tsv"
printf 'round\tserver\tconns\tok\terrors\tstill_open\trss_before_kib\trss_after_kib\tkib_per_conn\theap_kib_per_conn\n' >"$OUT/hold.tsv"

SERVER_PID=""
HOLD_PID=""
cleanup() {
  [[ -n "$HOLD_PID" ]] && kill "$HOLD_PID" 2>/dev/null || true
  [[ -n "$SERVER_PID" ]] && stop_server
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# utime+stime (clock ticks) of a process, all threads included.
cpu_ticks() {
  local stat; stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
  stat="${stat##*) }"            # fields from 3 (state) on; comm may contain spaces
  # shellcheck disable=SC2086
  set -- $stat
  echo $(( ${12} + ${13} ))    # fields 14 and 15
}
# busy clock ticks of one core (user nice system irq softirq steal) from /proc/stat
core_busy() { awk -v c="cpu$1" '$1==c{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
all_busy_idle() { awk '$1=="cpu"{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat; }

# The machine is shared: before each cell, wait (at most QUIET_WAIT s) until the other processes
# leave both cores mostly idle (under 25% busy over a 1 s sample, our idle server included).
wait_quiet() {
  (( SECONDS < BUDGET_END )) || return 0
  local deadline=$((SECONDS + QUIET_WAIT)) b0 i0 b1 i1 pct
  while :; do
    read -r b0 i0 < <(all_busy_idle); sleep 1; read -r b1 i1 < <(all_busy_idle)
    pct=$(( 100 * (b1 - b0) / ((b1 - b0) + (i1 - i0) + 1) ))
    (( pct < 25 )) && return 0
    if (( SECONDS >= deadline )); then
      log "  machine still busy (${pct}% of both cores used by others); measuring anyway"
      return 0
    fi
  done
}

rss_kib() { awk '/^VmRSS:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# True when nothing listens on 127.0.0.1:PORT (the machine may be shared: never probe someone else's server).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_server() { # name port
  local name="$1" port="$2" log="$OUT/server-$1-r$ROUND.log"
  case "$name" in
    eventide)
      PORT="$port" EVENTIDE_LOOPS=1 "${PIN_SERVER[@]}" \
        "$JAVA" "${JVM_OPTS[@]}" -cp "$EVENTIDE_CP" "$OUT/eventide/Bench.java" >"$log" 2>&1 &
      ;;
    eventide-native)
      PORT="$port" EVENTIDE_LOOPS=1 "${PIN_SERVER[@]}" \
        "$JAVA" "${JVM_OPTS[@]}" "${BENCH_NATIVE_OPTS[@]}" -cp "$EVENTIDE_CP" "$OUT/eventide/Bench.java" >"$log" 2>&1 &
      ;;
    node)
      PORT="$port" NODE_KEEPALIVE_MS=120000 "${PIN_SERVER[@]}" \
        node -r "$HERE/node-keepalive.js" "$ROOT/bench/node/plaintext.js" >"$log" 2>&1 &
      ;;
    netty)
      PORT="$port" "${PIN_SERVER[@]}" "$JAVA" "${JVM_OPTS[@]}" -jar "$NETTY_JAR" >"$log" 2>&1 &
      ;;
  esac
  SERVER_PID=$!
  local deadline=$((SECONDS + 120))
  until [[ "$(curl -sk -o /dev/null -m 2 -w '%{http_code}' "$SCHEME://127.0.0.1:$port/plaintext" || true)" == 200 ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { SERVER_PID=""; log "$name exited at start: $(tail -5 "$log")"; return 1; }
    (( SECONDS < deadline )) || { log "$name did not answer within 120 s"; stop_server; return 1; }
    sleep 0.2
  done
  kill -0 "$SERVER_PID" 2>/dev/null || { SERVER_PID=""; log "$name exited at start: $(tail -5 "$log")"; return 1; }
  if [[ "$name" == eventide* ]]; then check_transport "$name"; fi
}

# Which transport the Eventide server's loop runs on (a thread dump while it is idle, jcmd on core
# 1): recorded in transport.tsv; a warning when eventide-native is on NIO or eventide is not.
check_transport() { # server
  local t frame=""
  t="$(bench_loop_transport "$SERVER_PID" "$JDK" "$CLIENT_CORE")"
  [[ "$t" == *$'\t'* ]] && { frame="${t#*$'\t'}"; t="${t%%$'\t'*}"; }
  printf '%s\t%s\t%s\t%s\n' "$ROUND" "$1" "$t" "$frame" >>"$OUT/transport.tsv"
  case "$1/$t" in
    eventide-native/nio) log " warning: eventide-native runs on NIO (its loop waits in the JDK's Selector): this eventide-core ignores -Deventide.core.transport=epoll" ;;
    eventide/native) log " warning: eventide's loop does not wait in the JDK's Selector ($frame)" ;;
    */unknown) log " $1: could not tell its transport (no thread dump)" ;;
    *) log " $1: transport $t${frame:+ (loop waits in $frame)}" ;;
  esac
}

stop_server() {
  local pid="$SERVER_PID"
  SERVER_PID=""
  [[ -n "$pid" ]] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# Converts wrk's "1.23ms" / "456.78us" / "1.02s" / "2.00m" to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 }
    else if (v ~ /m$/) { sub(/m$/, "", v); print v * 60000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 }
    else print "nan" }'
}

wrk_run() { # out-file connections duration path [script args...]
  local file="$1" conns="$2" dur="$3" path="$4"; shift 4
  local script=()
  [[ $# -gt 0 ]] && script=(-s "$1" "$SCHEME://127.0.0.1:$PORT$path" -- "${@:2}")
  [[ $# -gt 0 ]] || script=("$SCHEME://127.0.0.1:$PORT$path")
  timeout $((dur + 60)) "${PIN_CLIENT[@]}" wrk -t1 -c"$conns" -d"${dur}s" --latency "${script[@]}" >"$file" 2>&1 || true
}

# One wrk run of a cell, after a short warm-up with the same load; sets ROW (a results.tsv line
# without the attempt count) and OTHER0 (percent of core 0 other processes took meanwhile).
measure_once() { # server cell connections path file [lua depth]
  local srv="$1" cell="$2" conns="$3" path="$4" file="$5"; shift 5
  wait_quiet
  if (( CELL_WARMUP > 0 )); then wrk_run "$file.warmup" "$conns" "$CELL_WARMUP" "$path" "$@"; fi
  local t0 c0 t1 c1 k0a k0b k1a k1b
  c0="$(cpu_ticks "$SERVER_PID")"; k0a="$(core_busy "$SERVER_CORE")"; k1a="$(core_busy "$CLIENT_CORE")"; t0="$(date +%s%N)"
  wrk_run "$file" "$conns" "$DURATION" "$path" "$@"
  c1="$(cpu_ticks "$SERVER_PID")"; k0b="$(core_busy "$SERVER_CORE")"; k1b="$(core_busy "$CLIENT_CORE")"; t1="$(date +%s%N)"
  local rps reqs p50 p99 sock non2xx errors status=ok cpu util busy1
  rps="$(awk '/^Requests\/sec:/{print $2}' "$file")"
  reqs="$(awk '/requests in/{print $1}' "$file")"
  p50="$(to_ms "$(awk '$1=="50%"{print $2}' "$file")")"
  p99="$(to_ms "$(awk '$1=="99%"{print $2}' "$file")")"
  # wrk 4.1 sometimes prints 0.00us for a percentile it could not compute (seen with pipelining)
  [[ "$p99" == 0 ]] && p99=nan
  sock="$(awk -F'[ ,]+' '/Socket errors:/{print $4+$6+$8+$10}' "$file")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/{print $NF}' "$file")"
  errors=$(( ${sock:-0} + ${non2xx:-0} ))
  if [[ -z "$rps" || -z "$reqs" || "$reqs" == 0 ]]; then
    status=failed; rps=0; reqs=0; cpu=nan
  else
    cpu="$(awk -v d=$((c1 - c0)) -v hz="$CLK_TCK" -v n="$reqs" 'BEGIN{printf "%.3f", d * 1e6 / hz / n}')"
  fi
  util="$(awk -v d=$((c1 - c0)) -v hz="$CLK_TCK" -v ns=$((t1 - t0)) 'BEGIN{printf "%.1f", 100 * d / hz / (ns / 1e9)}')"
  # core 0 time not spent in our server = other processes (and interrupts) competing with it
  OTHER0="$(awk -v d=$(( (k0b - k0a) - (c1 - c0) )) -v hz="$CLK_TCK" -v ns=$((t1 - t0)) 'BEGIN{v = 100 * d / hz / (ns / 1e9); printf "%.1f", v < 0 ? 0 : v}')"
  busy1="$(awk -v d=$((k1b - k1a)) -v hz="$CLK_TCK" -v ns=$((t1 - t0)) 'BEGIN{printf "%.1f", 100 * d / hz / (ns / 1e9)}')"
  ROW="$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$ROUND" "$srv" "$cell" "$status" "$rps" "$reqs" \
    "$p50" "$p99" "$errors" "$cpu" "$util" "$OTHER0" "$busy1")"
  log "  $srv $cell: $rps req/s, p99 ${p99} ms, ${cpu} µs/req CPU (server ${util}% of core $SERVER_CORE, others ${OTHER0}%; core $CLIENT_CORE ${busy1}% busy), errors $errors"
  if (( errors > 0 )); then
    log "    wrk: $(grep -E 'Socket errors|Non-2xx' "$file" | tr '\n' ' ')"
  fi
}

# A cell: run it; while other processes took more than DISTURBED% of core 0 during the run, run it
# again (at most MAX_RETRY more times, and not past the time budget); keep the least disturbed run.
measure() { # server cell connections path [lua depth]
  local srv="$1" cell="$2" conns="$3" path="$4"; shift 4
  local attempt best_row="" best_other=1000000 n=0
  for ((attempt = 1; ; attempt++)); do
    measure_once "$srv" "$cell" "$conns" "$path" "$OUT/r$ROUND-$srv-$cell.a$attempt.txt" "$@"
    n=$attempt
    if awk -v a="$OTHER0" -v b="$best_other" 'BEGIN{exit !(a < b)}'; then best_row="$ROW"; best_other="$OTHER0"; fi
    awk -v a="$OTHER0" -v t="$DISTURBED" 'BEGIN{exit !(a > t)}' || break
    (( attempt <= MAX_RETRY && SECONDS < BUDGET_END )) || break
    log "  disturbed: others took ${OTHER0}% of core $SERVER_CORE; running $cell again"
  done
  printf '%s\t%s\n' "$best_row" "$n" >>"$OUT/results.tsv"
}

# Live Java heap after a full GC, in KiB (JVM servers only; empty for others).
jvm_live_heap_kib() { # pid log-file
  local jcmd="$JDK/bin/jcmd"
  [[ -x "$jcmd" ]] || return 0
  timeout 30 taskset -c "$CLIENT_CORE" "$jcmd" "$1" GC.run >>"$2" 2>&1 || return 0
  timeout 30 taskset -c "$CLIENT_CORE" "$jcmd" "$1" GC.heap_info 2>&1 | tee -a "$2" | awk '
    /PSYoungGen|ParOldGen/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); sum += v } }
    END { if (sum > 0) print sum }'
}

hold() { # server: HOLD_CONNS idle keep-alive connections, RSS before and after
  local srv="$1"
  local file="$OUT/r$ROUND-$srv-hold.txt"
  sleep 2
  wait_quiet
  local before after heap_before="" heap_after=""
  [[ "$srv" == node ]] || heap_before="$(jvm_live_heap_kib "$SERVER_PID" "$file.heap")"
  sleep 1
  before="$(rss_kib "$SERVER_PID")"
  "${PIN_CLIENT[@]}" node "$HERE/hold.js" "$PORT" "$HOLD_CONNS" /plaintext >"$file" 2>&1 &
  HOLD_PID=$!
  local deadline=$((SECONDS + 120))
  until grep -q '"ready"' "$file" 2>/dev/null; do
    if ! kill -0 "$HOLD_PID" 2>/dev/null || (( SECONDS >= deadline )); then
      log "  $srv hold: client did not get ready: $(tail -3 "$file")"
      kill "$HOLD_PID" 2>/dev/null || true; HOLD_PID=""
      printf '%s\t%s\t%s\t0\t%s\t0\t%s\t0\tnan\tnan\n' "$ROUND" "$srv" "$HOLD_CONNS" "$HOLD_CONNS" "$before" >>"$OUT/hold.tsv"
      return 0
    fi
    sleep 0.2
  done
  sleep 3   # let the server settle with all connections idle
  after="$(rss_kib "$SERVER_PID")"
  [[ "$srv" == node ]] || heap_after="$(jvm_live_heap_kib "$SERVER_PID" "$file.heap")"
  kill "$HOLD_PID" 2>/dev/null || true
  wait "$HOLD_PID" 2>/dev/null || true
  HOLD_PID=""
  local ready fin ok errs still
  ready="$(grep '"ready"' "$file")"
  fin="$(grep '"done"' "$file" || echo '{}')"
  ok="$(node -pe "JSON.parse(process.argv[1]).ok" "$ready")"
  errs="$(node -pe "JSON.parse(process.argv[1]).errors" "$ready")"
  still="$(node -pe "JSON.parse(process.argv[1]).stillOpen ?? 0" "$fin")"
  local per heap_per=nan
  per="$(awk -v a="$after" -v b="$before" -v n="$HOLD_CONNS" 'BEGIN{printf "%.3f", (a - b) / n}')"
  if [[ -n "$heap_before" && -n "$heap_after" ]]; then
    heap_per="$(awk -v a="$heap_after" -v b="$heap_before" -v n="$HOLD_CONNS" 'BEGIN{printf "%.3f", (a - b) / n}')"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$ROUND" "$srv" "$HOLD_CONNS" "$ok" "$errs" "$still" "$before" "$after" "$per" "$heap_per" >>"$OUT/hold.tsv"
  log "  $srv hold-$HOLD_CONNS: RSS $((before / 1024)) -> $((after / 1024)) MiB, $per KiB/conn (live Java heap $heap_per KiB/conn); 200s $ok, errors $errs, still open $still"
}

# Server ports below the ephemeral range: wrk's 10,000 client sockets (and their TIME_WAIT) take
# ports in that range, and a server port among them fails to bind (EADDRINUSE).
read -r EPHEMERAL_LO _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || EPHEMERAL_LO=32768
(( EPHEMERAL_LO > 12000 )) || EPHEMERAL_LO=32768
PORT_BASE=$((10000 + RANDOM % (EPHEMERAL_LO - 12000)))
for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
  # rotate the order each round so no server always runs first or last
  order=()
  for ((i = 0; i < ${#SERVER_LIST[@]}; i++)); do
    order+=("${SERVER_LIST[$(( (i + ROUND - 1) % ${#SERVER_LIST[@]} ))]}")
  done
  log "round $ROUND/$ROUNDS: ${order[*]}"
  idx=0
  for srv in "${order[@]}"; do
    idx=$((idx + 1))
    PORT=$((PORT_BASE + ROUND * 10 + idx))
    while ! port_free "$PORT"; do PORT=$((PORT + 1000)); done
    if ! start_server "$srv" "$PORT"; then
      cells="plaintext-c1000 pipeline16-c256 json-c1000 plaintext-c10000"
      (( TLS )) && cells="https-c1000 handshake-c32"
      for cell in $cells; do
        printf '%s\t%s\t%s\tfailed\t0\t0\tnan\tnan\t0\tnan\tnan\tnan\tnan\t0\n' "$ROUND" "$srv" "$cell" >>"$OUT/results.tsv"
      done
      continue
    fi
    log " $srv up on port $PORT (pid $SERVER_PID, RSS $(( $(rss_kib "$SERVER_PID") / 1024 )) MiB); warming up ${WARMUP}s"
    wrk_run "$OUT/r$ROUND-$srv-warmup.txt" 1000 "$WARMUP" /plaintext
    if (( TLS )); then
      measure "$srv" https-c1000 1000 /plaintext
      measure "$srv" handshake-c32 32 /plaintext "$HERE/close.lua"
      stop_server
      continue
    fi
    measure "$srv" plaintext-c1000 1000 /plaintext
    measure "$srv" pipeline16-c256 256 /plaintext "$HERE/pipeline.lua" 16
    [[ "$srv" == netty ]] || measure "$srv" json-c1000 1000 /json
    hold "$srv"
    measure "$srv" plaintext-c10000 10000 /plaintext
    stop_server
  done
done

node "$HERE/summarize.js" "$OUT" | tee "$OUT/summary.md"
echo
echo "raw results: $OUT"
