#!/usr/bin/env bash
# WebSocket benchmark: Eventide (examples/Bench.java) vs Node.js + ws (bench/ws/node-server.js).
#
#   bench/ws/run.sh [--quick] [--conns N] [--subs N] [--broadcasts N] [--reps N]
#                   [--configs "eventide eventide-serial eventide-tuned eventide-loops2 node"]
#                   [--quiet-wait S] [--budget-minutes M] [--phases "memory fanout"]
#                   [--fanout-client raw|ws]
#
# Memory: N idle WebSocket connections (--conns, default 15,000) held by one server process.
# Fan-out: one message to N subscribers (--subs, default 10,000), time until the last has it.
#
# Configurations (each server pinned to core 0 with taskset -c 0, every client to core 1):
#   eventide         EVENTIDE_LOOPS=1, -XX:+UseParallelGC, default heap: what
#                    `EVENTIDE_LOOPS=1 ./eventide run examples/Bench.java` runs
#   eventide-serial  EVENTIDE_LOOPS=1, -XX:+UseSerialGC -Xmx256m:
#                    `./eventide java -XX:+UseSerialGC -Xmx256m examples/Bench.java`
#                    (`./eventide run` always adds -XX:+UseParallelGC, and the JVM refuses two GCs)
#   eventide-tuned   EVENTIDE_LOOPS=1, $EVENTIDE_TUNED_OPTS, default -XX:+UseSerialGC -Xmx256m -Xmn16m:
#                    also a young generation of 16 MB (V8's starts at 1 MB and grows to 16 MB
#                    semi-spaces); the JVM's default young generation is a third of the heap, and every
#                    page of it that allocation has touched counts in RSS
#   eventide-loops2  as eventide, with EVENTIDE_LOOPS=2 (two loops sharing the one core)
#   node             node --expose-gc bench/ws/node-server.js (Node's http + ws 8, installed into
#                    bench/ws/node_modules with `npm install --prefix bench/ws ws@8`)
# Eventide runs from a snapshot of the jars built by ./eventide build, with Bench.java compiled
# ahead (javac) instead of by the source launcher, so that neither other people's rebuilds during
# the run nor javac's own footprint inside the server is measured.
#
# Per configuration and repetition, on a fresh server:
#  1. warm-up: 1,000 subscribers (ws client), 2 broadcasts, closed again; 3 s pause
#  2. before: VmRSS and RssAnon from /proc/PID/status; then a full GC and the heap in use after it
#     (Eventide: jcmd PID GC.run, then GC.heap_info; Node: GET /stats, which calls gc() and
#     answers process.memoryUsage())
#  3. bench/ws/client.js hold opens --conns connections to /ws/broadcast (ws client, at most 500
#     handshakes in flight) and holds them idle; 5 s later: the same readings. Per connection:
#     (after - before) / connections. The client is then stopped (SIGTERM) and the server given 3 s.
#  4. fan-out: waits (at most --quiet-wait S, default 120) until both cores are nearly idle, then
#     bench/ws/client.js fanout: --subs subscribers (--fanout-client: raw, the default, a minimal
#     client that costs the client core least per message, or ws, the ws package), 3 warm-up
#     broadcasts, then --broadcasts measured ones (default 5; disturbed ones are repeated, up to
#     3x, see client.js). Per broadcast: time from writing the POST until the first, median, p99
#     and last subscriber had the message, and the server's CPU time.
#  5. the server is stopped by its PID.
# Repetitions (--reps, default 1) rotate the order of the configurations. Past --budget-minutes
# (default 60) no further repetition starts. Raw output: bench/results/ws-<time>/; the summary table
# (bench/ws/summarize.js, medians over repetitions) is printed at the end and kept as summary.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/ws"
CONNS=15000
SUBS=10000
BROADCASTS=5
REPS=1
CONFIGS="eventide eventide-serial eventide-tuned eventide-loops2 node"
PHASES="memory fanout"
FANOUT_CLIENT=raw
QUIET_WAIT=120
BUDGET_MIN=60
SETTLE=5
TUNED_OPTS="${EVENTIDE_TUNED_OPTS:--XX:+UseSerialGC -Xmx256m -Xmn16m}"
BASE_PORT="${BASE_PORT:-18300}"
SERVER_CORE=0
CLIENT_CORE=1

usage() { sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) CONNS=2000; SUBS=1000; BROADCASTS=3; QUIET_WAIT=5; SETTLE=2; shift ;;
    --conns) CONNS="$2"; shift 2 ;;
    --subs) SUBS="$2"; shift 2 ;;
    --broadcasts) BROADCASTS="$2"; shift 2 ;;
    --reps) REPS="$2"; shift 2 ;;
    --configs) CONFIGS="$2"; shift 2 ;;
    --phases) PHASES="$2"; shift 2 ;;
    --fanout-client) FANOUT_CLIENT="$2"; shift 2 ;;
    --quiet-wait) QUIET_WAIT="$2"; shift 2 ;;
    --budget-minutes) BUDGET_MIN="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

die() { echo "run.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# --- prerequisites ----------------------------------------------------------------------------
command -v node >/dev/null || die "node not found (apt-get install nodejs)"
command -v npm >/dev/null || die "npm not found"
command -v taskset >/dev/null || die "taskset not found (util-linux)"
command -v curl >/dev/null || die "curl not found"
(( $(nproc --all) >= 2 )) || die "needs 2 cores: server on core $SERVER_CORE, client on core $CLIENT_CORE"
JDK=""
for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
  [[ -n "$d" && -x "$d/bin/javac" && -x "$d/bin/jcmd" && -f "$d/release" ]] || continue
  v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$d/release")"
  [[ -n "$v" && "$v" -ge 21 ]] && { JDK="$d"; break; }
done
[[ -n "$JDK" ]] || die "no JDK >= 21 with javac and jcmd found (set JAVA_HOME)"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE="$(ulimit -n)"
(( NOFILE >= CONNS + 200 )) || die "open files limit $NOFILE < $CONNS connections + 200 (server and client each hold one per connection)"
if [[ ! -f "$HERE/node_modules/ws/package.json" ]]; then
  log "installing ws 8 (npm install --prefix bench/ws ws@8)"
  (cd "$ROOT" && npm install --prefix bench/ws ws@8 --no-audit --no-fund) >&2 || die "npm install failed"
fi
WS_VERSION="$(node -p "require('$HERE/node_modules/ws/package.json').version")"
CLK_TCK="$(getconf CLK_TCK)"
export CLK_TCK SERVER_CORE CLIENT_CORE

OUT="$ROOT/bench/results/ws-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
BUDGET_END=$((SECONDS + BUDGET_MIN * 60))

# --- Eventide: build, snapshot the jars, compile Bench.java --------------------------------------
if [[ " $CONFIGS " == *" eventide"* ]]; then
  log "building Eventide (./eventide build)"
  if ! (cd "$ROOT" && timeout 900 ./eventide build) >"$OUT/eventide-build.log" 2>&1; then
    log "warning: ./eventide build failed (see $OUT/eventide-build.log); using the jars built before"
  fi
  (cd "$ROOT" && git rev-parse HEAD && git status --porcelain -- 'eventide-*' examples pom.xml) >"$OUT/eventide-source.txt" 2>&1 || true
  mkdir -p "$OUT/eventide/classes"
  CP=""
  for f in "$ROOT"/eventide-*/target/eventide-*-SNAPSHOT.jar; do
    [[ -f "$f" ]] || die "no Eventide jars: run ./eventide build"
    cp "$f" "$OUT/eventide/"
    CP="$CP:$OUT/eventide/$(basename "$f")"
  done
  for f in "$ROOT"/eventide-*/target/classpath.txt; do
    [[ -s "$f" ]] && CP="$CP:$(cat "$f")"
  done
  cp "$ROOT/examples/Bench.java" "$OUT/eventide/"
  "$JDK/bin/javac" -nowarn -d "$OUT/eventide/classes" -cp "${CP#:}" "$OUT/eventide/Bench.java" \
    || die "compiling examples/Bench.java failed"
  EVENTIDE_CP="${CP#:}:$OUT/eventide/classes"
fi

{
  echo "date: $(date -Is)"
  echo "machine: $(nproc --all) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), Linux $(uname -r)"
  echo "java: $("$JDK/bin/java" -version 2>&1 | head -1) ($JDK)"
  echo "node: $(node --version), ws $WS_VERSION"
  echo "open files limit: $NOFILE; conns $CONNS, subs $SUBS, broadcasts $BROADCASTS, reps $REPS"
  echo "eventide-tuned JVM options: $TUNED_OPTS; fan-out client: $FANOUT_CLIENT"
} | tee "$OUT/env.txt" >&2

# --- helpers -------------------------------------------------------------------------------------
SERVER_PID=""
CLIENT_PID=""
cleanup() {
  [[ -n "$CLIENT_PID" ]] && kill "$CLIENT_PID" 2>/dev/null || true
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

start_server() { # config port dir
  local cfg="$1" port="$2" dir="$3"
  local cmd
  case "$cfg" in
    eventide) cmd=(env PORT="$port" EVENTIDE_LOOPS=1 taskset -c $SERVER_CORE "$JDK/bin/java" -XX:+UseParallelGC -cp "$EVENTIDE_CP" Bench) ;;
    eventide-loops2) cmd=(env PORT="$port" EVENTIDE_LOOPS=2 taskset -c $SERVER_CORE "$JDK/bin/java" -XX:+UseParallelGC -cp "$EVENTIDE_CP" Bench) ;;
    eventide-serial) cmd=(env PORT="$port" EVENTIDE_LOOPS=1 taskset -c $SERVER_CORE "$JDK/bin/java" -XX:+UseSerialGC -Xmx256m -cp "$EVENTIDE_CP" Bench) ;;
    # shellcheck disable=SC2206
    eventide-tuned) cmd=(env PORT="$port" EVENTIDE_LOOPS=1 taskset -c $SERVER_CORE "$JDK/bin/java" $TUNED_OPTS -cp "$EVENTIDE_CP" Bench) ;;
    node) cmd=(env PORT="$port" taskset -c $SERVER_CORE node --expose-gc "$HERE/node-server.js") ;;
    *) die "unknown configuration $cfg" ;;
  esac
  echo "${cmd[*]}" >"$dir/command.txt"
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is already in use"; fi
  "${cmd[@]}" >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  local i
  for ((i = 0; i < 300; i++)); do
    # env and taskset exec the server, so $SERVER_PID ends up being the server's own PID
    if [[ "$(readlink "/proc/$SERVER_PID/exe")" =~ /(java|node)$ ]] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$dir/server.log" >&2; die "$cfg died at start"; }
    sleep 0.1
  done
  die "$cfg: port $port did not open in 30 s"
}

stop_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# Heap in use after a full GC, KB; Node: also V8's external memory (Buffers), KB, after a space.
heap_after_gc() { # config port
  if [[ "$1" == node ]]; then
    curl -s --max-time 30 "http://127.0.0.1:$2/stats" \
      | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s);console.log(Math.round(m.heapUsed/1024), Math.round(m.external/1024))})'
  else
    taskset -c $CLIENT_CORE "$JDK/bin/jcmd" "$SERVER_PID" GC.run >/dev/null
    taskset -c $CLIENT_CORE "$JDK/bin/jcmd" "$SERVER_PID" GC.heap_info \
      | awk '/^ *(PSYoungGen|ParOldGen|DefNew|Tenured|def new generation|tenured generation|garbage-first heap) .*used [0-9]+K/ {
               for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); s += v } }
             END { print s + 0, 0 }'
  fi
}

# Waits until both cores were under 20% busy over 2 s, at most $1 s. Prints the last reading.
quiet_wait() {
  local deadline=$((SECONDS + $1)) a b
  while :; do
    a="$(grep -E '^cpu[01] ' /proc/stat)"; sleep 2; b="$(grep -E '^cpu[01] ' /proc/stat)"
    local busy
    busy="$(printf '%s\n%s\n' "$a" "$b" | awk '{ t = 0; for (i = 2; i <= 9; i++) t += $i; idle = $5 + $6
                if (NR <= 2) { T[$1] = t; I[$1] = idle } else printf "%s%d", (NR > 3 ? " " : ""), 100 * ((t - T[$1]) - (idle - I[$1])) / (t - T[$1] + 0.001) }')"
    read -r c0 c1 <<<"$busy"
    if (( c0 < 20 && c1 < 20 )) || (( SECONDS >= deadline || SECONDS >= BUDGET_END )); then
      echo "cpu0 ${c0}% cpu1 ${c1}% busy"
      return 0
    fi
  done
}

wait_for_line() { # file pattern timeout pid
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$4" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

run_config() { # config rep port
  local cfg="$1" rep="$2" port="$3" dir="$OUT/$1-r$2"
  mkdir -p "$dir"
  log "$cfg #$rep: starting on port $port"
  start_server "$cfg" "$port" "$dir"
  local pid="$SERVER_PID"

  CLIENT=ws WARMUP=2 GAP_MS=100 timeout 180 taskset -c $CLIENT_CORE node "$HERE/client.js" fanout "$port" 1000 2 >"$dir/warmup.jsonl" 2>&1 \
    || log "$cfg #$rep: warm-up client failed (see $dir/warmup.jsonl)"
  sleep 3
  local mem='"memory":null' fan='"fanout":null'

  if [[ " $PHASES " == *" memory "* ]]; then
    local rss0 anon0 heap0 ext0 rss0gc fds0 rss1 anon1 heap1 ext1 rss1gc fds1
    rss0="$(status_kb "$pid" VmRSS)"; anon0="$(status_kb "$pid" RssAnon)"
    read -r heap0 ext0 <<<"$(heap_after_gc "$cfg" "$port")"
    rss0gc="$(status_kb "$pid" VmRSS)"; fds0="$(ls "/proc/$pid/fd" | wc -l)"
    log "$cfg #$rep: before: RSS $((rss0 / 1024)) MB, heap after GC $((heap0 / 1024)) MB; opening $CONNS connections"

    CLIENT=ws taskset -c $CLIENT_CORE node "$HERE/client.js" hold "$port" "$CONNS" >"$dir/hold.jsonl" 2>&1 &
    CLIENT_PID=$!
    if ! wait_for_line "$dir/hold.jsonl" '"ready"' 300 "$CLIENT_PID"; then
      cat "$dir/hold.jsonl" >&2
      die "$cfg #$rep: the hold client did not get ready"
    fi
    sleep "$SETTLE"
    rss1="$(status_kb "$pid" VmRSS)"; anon1="$(status_kb "$pid" RssAnon)"; fds1="$(ls "/proc/$pid/fd" | wc -l)"
    read -r heap1 ext1 <<<"$(heap_after_gc "$cfg" "$port")"
    rss1gc="$(status_kb "$pid" VmRSS)"
    kill "$CLIENT_PID" 2>/dev/null || true
    wait "$CLIENT_PID" 2>/dev/null || true
    CLIENT_PID=""
    log "$cfg #$rep: with $CONNS: RSS $((rss1 / 1024)) MB (+$(((rss1 - rss0) * 1024 / CONNS)) B/conn), heap after GC $((heap1 / 1024)) MB (+$(((heap1 - heap0) * 1024 / CONNS)) B/conn), $fds1 fds; $(grep -o '"ready".*' "$dir/hold.jsonl" | head -c 120)"
    mem="$(printf '"memory":{"conns":%d,"rss0":%d,"anon0":%d,"rss0gc":%d,"heap0":%d,"ext0":%d,"fds0":%d,"rss1":%d,"anon1":%d,"rss1gc":%d,"heap1":%d,"ext1":%d,"fds1":%d,"hold":%s}' \
      "$CONNS" "$rss0" "$anon0" "$rss0gc" "$heap0" "$ext0" "$fds0" "$rss1" "$anon1" "$rss1gc" "$heap1" "$ext1" "$fds1" \
      "$(grep '"ready"' "$dir/hold.jsonl" | head -1 || echo '{}')")"
    sleep 3
  fi

  if [[ " $PHASES " == *" fanout "* ]]; then
    local quiet summary
    quiet="$(quiet_wait "$QUIET_WAIT")"
    log "$cfg #$rep: fan-out to $SUBS ($quiet)"
    CLIENT="$FANOUT_CLIENT" timeout 600 taskset -c $CLIENT_CORE node "$HERE/client.js" fanout "$port" "$SUBS" "$BROADCASTS" "$pid" >"$dir/fanout.jsonl" 2>&1 \
      || log "$cfg #$rep: fan-out client failed (see $dir/fanout.jsonl)"
    summary="$(grep '"summary"' "$dir/fanout.jsonl" || echo '{}')"
    log "$cfg #$rep: fan-out: $(echo "$summary" | head -c 300)"
    fan="$(printf '"fanout":%s,"quietBefore":"%s"' "$summary" "$quiet")"
  fi
  stop_server
  printf '{"config":"%s","rep":%d,"command":"%s",%s,%s}\n' "$cfg" "$rep" "$(sed 's/"/\\"/g' "$dir/command.txt" | sed 's/-cp [^ ]* /-cp ... /')" \
    "$mem" "$fan" >>"$OUT/results.jsonl"
}

# --- the runs --------------------------------------------------------------------------------------
read -r -a cfgs <<<"$CONFIGS"
for ((rep = 1; rep <= REPS; rep++)); do
  if (( rep > 1 && SECONDS >= BUDGET_END )); then
    log "budget of $BUDGET_MIN minutes spent: stopping after $((rep - 1)) repetition(s)"
    break
  fi
  n=${#cfgs[@]}
  for ((k = 0; k < n; k++)); do
    idx=$(((k + rep - 1) % n))
    run_config "${cfgs[$idx]}" "$rep" $((BASE_PORT + idx))
  done
done

node "$HERE/summarize.js" "$OUT/results.jsonl" "$OUT/env.txt" | tee "$OUT/summary.md"
log "raw output: $OUT"
