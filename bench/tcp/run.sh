#!/usr/bin/env bash
# TCP echo: Eventide (one loop) on NIO and on its native epoll transport, Netty 4.2 native epoll
# (one event loop) and Node.js `net`, side by side on one machine.
#
#   bench/tcp/run.sh [--servers "eventide eventide-native netty node"] [connections=100] [seconds=10] [rounds=3] [payloadBytes=64]
#
# Servers (--servers or $SERVERS; any subset, in any order):
#   eventide         bench/tcp/EchoServer.java, EVENTIDE_LOOPS=1, Eventide's default transport (NIO Selector)
#   eventide-native  the same, plus -Deventide.core.transport=epoll --enable-native-access=ALL-UNNAMED
#                    (Eventide's epoll transport, FFM; BENCH_NATIVE_OPTS in bench/http/lib.sh)
#   netty            bench/netty/src/main/java/bench/NettyEcho.java (in bench/netty/target/netty-hello.jar,
#                    built here when missing or older than its sources): one epoll event loop
#   node             bench/tcp/echo-server.js
# Default: all four; without a Netty jar that builds (Maven, Maven Central), the other three, and it
# says so. A thread dump of each Eventide server at start (jcmd) tells which transport its loop waits
# in: if eventide-native's still waits in the JDK's Selector (an eventide-core without the epoll
# transport ignores the property), it says so when it happens and under the summary.
#
# The four-way run as measured for docs/benchmarks.md (5 rounds of 10 s per server, ~6 minutes):
#   bench/tcp/run.sh --servers "eventide eventide-native netty node" 100 10 5 64
#
# Each round runs every server once, one after another, in an order rotated by one each round (so no
# server is always first or last): it starts the server pinned to CPU 0 (taskset -c 0), waits for its
# port, runs the load client pinned to CPU 1 (bench/tcp/EchoLoad.java: one thread, N ping-pong
# connections, WARMUP seconds of warm-up, then the measured window), reads the server's CPU time from
# /proc/<pid>/stat over that window, and stops the server by its PID. A server that does not start
# (or a load run that fails) is reported and skipped for that round; the others go on. Prints every
# round, then per server the medians, then the ratios of the medians: Eventide/Node (e/n),
# native/NIO, native/Netty, native/Node and NIO/Netty, among them the server CPU per round trip (one
# echoed message). "cpu0 other" is how busy CPU 0 was with anything but the server: on a shared
# machine, rounds where it is high are noise.
#
# Before each server's run it waits (at most QUIET_WAIT=60 s) for the machine to be under
# QUIET_BUSY=25 % busy for 2 s, so runs start when other work is quiet.
#
# The Eventide servers run what `./eventide run bench/tcp/EchoServer.java` runs (same JDK and JVM
# flags) on a copy of the core jar built at the start (EVENTIDE_LAUNCHER=1: through the launcher).
# Netty runs on the same JDK with -XX:+UseParallelGC too, from a copy of its jar.
#
# Environment: SERVERS (as --servers), WARMUP (default 3 s), JAVA (a JDK >= 21 java for the servers and
# the load client; default: the JDK 25 under /usr/lib/jvm, else the java on PATH), NODE (default:
# node), PORT_EVENTIDE / PORT_EVENTIDE_NATIVE / PORT_NETTY / PORT_NODE (17001, 17003, 17004, 17002;
# a port already in use is passed over for a free one), EVENTIDE_JAVA_OPTS (extra flags for both
# Eventide servers).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=../http/lib.sh
source bench/http/lib.sh   # BENCH_NATIVE_OPTS, bench_loop_transport
ALL_SERVERS="eventide eventide-native netty node"
SERVERS="${SERVERS:-}"
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 && "$1" == -* ]]; do
  case "$1" in
    --servers) SERVERS="$2"; shift 2 ;;
    --servers=*) SERVERS="${1#--servers=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
CONNS="${1:-100}"
SECS="${2:-10}"
ROUNDS="${3:-3}"
PAYLOAD="${4:-64}"
WARMUP="${WARMUP:-3}"
NODE="${NODE:-node}"
if [[ -z "${JAVA:-}" ]]; then
  JAVA="$(ls -d /usr/lib/jvm/temurin-25*/bin/java 2>/dev/null | head -1 || true)"
  JAVA="${JAVA:-java}"
fi
JDK_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")"
export CLK_TCK="$(getconf CLK_TCK)"
OUT="$(mktemp -d)"
SERVER_PID=""

die() { echo "run.sh: $*" >&2; exit 1; }
has_server() { [[ " $SERVERS " == *" $1 "* ]]; }

# --- which servers ---------------------------------------------------------------------------
DEFAULT_SERVERS=0
[[ -n "$SERVERS" ]] || { SERVERS="$ALL_SERVERS"; DEFAULT_SERVERS=1; }
read -r -a SERVER_LIST <<<"$SERVERS"
(( ${#SERVER_LIST[@]} )) || die "no servers chosen"
for s in "${SERVER_LIST[@]}"; do
  case "$s" in eventide|eventide-native|netty|node) ;; *) die "unknown server '$s' (choose from: $ALL_SERVERS)" ;; esac
done

stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$OUT"' EXIT

# Netty: its echo server lives in bench/netty's shaded jar; build it when missing or stale.
NETTY_DIR="$ROOT/bench/netty"
NETTY_SRC_JAR="$NETTY_DIR/target/netty-hello.jar"
if has_server netty; then
  if [[ ! -f "$NETTY_SRC_JAR" || -n "$(find "$NETTY_DIR/pom.xml" "$NETTY_DIR/src" -newer "$NETTY_SRC_JAR" -print -quit)" ]]; then
    echo "bench/tcp: building the Netty echo server (mvn -f bench/netty/pom.xml package)" >&2
    mvn_opts="${MAVEN_OPTS:-}"
    [[ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JDK_HOME/release" 2>/dev/null)" -ge 24 ]] 2>/dev/null \
      && [[ "$mvn_opts" != *sun-misc-unsafe-memory-access* ]] && mvn_opts="$mvn_opts --sun-misc-unsafe-memory-access=allow"
    if ! (cd "$NETTY_DIR" && JAVA_HOME="$JDK_HOME" MAVEN_OPTS="$mvn_opts" timeout 600 mvn -B -ntp -q -Dstyle.color=never package) \
        >"$OUT/netty-build.log" 2>&1; then
      tail -20 "$OUT/netty-build.log" >&2
      echo "bench/tcp: the Netty build failed; using the jar built before, if it has bench.NettyEcho" >&2
    fi
  fi
  if [[ -f "$NETTY_SRC_JAR" ]] && "$JDK_HOME/bin/jar" tf "$NETTY_SRC_JAR" 2>/dev/null | grep -x 'bench/NettyEcho.class' >/dev/null; then
    cp "$NETTY_SRC_JAR" "$OUT/netty.jar"   # a copy: a rebuild mid-run cannot change what is measured
  elif (( DEFAULT_SERVERS )); then
    echo "bench/tcp: NOTE: the Netty echo server could not be built (above); running without Netty" >&2
    kept=(); for s in "${SERVER_LIST[@]}"; do [[ "$s" == netty ]] || kept+=("$s"); done
    SERVER_LIST=("${kept[@]}"); SERVERS="${SERVER_LIST[*]}"
  else
    die "the Netty echo server could not be built (above); run bench/setup.sh, or leave netty out of --servers"
  fi
fi

port_for() { # server -> its port (env override), moved on while something already listens there
  local p
  case "$1" in
    eventide) p="${PORT_EVENTIDE:-17001}" ;;
    node) p="${PORT_NODE:-17002}" ;;
    eventide-native) p="${PORT_EVENTIDE_NATIVE:-17003}" ;;
    netty) p="${PORT_NETTY:-17004}" ;;
  esac
  # the machine may be shared: never measure someone else's server on our port
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 100)); done
  echo "$p"
}

wait_for_port() { # port; at most 120 s (a loaded machine compiles EchoServer.java slowly); 1 if the server died
  local i
  for ((i = 0; i < 1200; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "  server died; its log:" >&2; sed 's/^/    /' "$OUT/server.log" >&2; SERVER_PID=""; return 1; }
    sleep 0.1
  done
  echo "  port $1 did not open in 120 s" >&2
  return 1
}

cpu_sample() { # prints "busy total" jiffies over all CPUs
  local _ u n s i w q sq st
  read -r _ u n s i w q sq st _ < /proc/stat
  echo "$((u + n + s + q + sq + st)) $((u + n + s + i + w + q + sq + st))"
}

wait_for_quiet() { # a shared machine: wait (at most QUIET_WAIT s) for a 2 s span under QUIET_BUSY % busy
  local deadline=$((SECONDS + ${QUIET_WAIT:-60})) a b busy=100
  while ((SECONDS < deadline)); do
    a=($(cpu_sample)); sleep 2; b=($(cpu_sample))
    busy=$(( (b[0] - a[0]) * 100 / (b[1] - a[1] + 1) ))
    ((busy < ${QUIET_BUSY:-25})) && return 0
  done
  echo "  (machine still ${busy} % busy after ${QUIET_WAIT:-60} s; running anyway: see 'cpu0 other')" >&2
}

start_server() { # name port
  local name="$1" port="$2" opts=()
  # shellcheck disable=SC2206
  opts=(${EVENTIDE_JAVA_OPTS:-})
  [[ "$name" == eventide-native ]] && opts+=("${BENCH_NATIVE_OPTS[@]}")
  case "$name" in
    eventide|eventide-native)
      if [[ -n "${EVENTIDE_LAUNCHER:-}" ]]; then
        PORT="$port" EVENTIDE_LOOPS=1 EVENTIDE_JAVA_OPTS="${opts[*]}" taskset -c 0 ./eventide run bench/tcp/EchoServer.java \
          >"$OUT/server.log" 2>&1 &
      else
        # What `./eventide run bench/tcp/EchoServer.java` runs (same JDK, same flags), on the jar built
        # above: the launcher would rebuild mid-benchmark if a source changed meanwhile.
        PORT="$port" EVENTIDE_LOOPS=1 taskset -c 0 "$JAVA" "${opts[@]}" -XX:+UseParallelGC \
          -cp "$OUT/eventide-core.jar" bench/tcp/EchoServer.java >"$OUT/server.log" 2>&1 &
      fi
      ;;
    netty)
      PORT="$port" taskset -c 0 "$JAVA" -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED \
        -cp "$OUT/netty.jar" bench.NettyEcho >"$OUT/server.log" 2>&1 &
      ;;
    node)
      PORT="$port" taskset -c 0 "$NODE" bench/tcp/echo-server.js >"$OUT/server.log" 2>&1 &
      ;;
  esac
  SERVER_PID=$!
}

# For the Eventide servers: which transport the (idle) loop thread waits in, by a thread dump.
check_transport() { # name round
  local t frame=""
  t="$(bench_loop_transport "$SERVER_PID" "$JDK_HOME" 1)"
  [[ "$t" == *$'\t'* ]] && { frame="${t#*$'\t'}"; t="${t%%$'\t'*}"; }
  echo "$1 $2 $t" >>"$OUT/transport.txt"
  case "$1/$t" in
    eventide-native/nio) echo "  [$1 #$2] WARNING: runs on NIO (its loop waits in the JDK's Selector): this eventide-core ignores -Deventide.core.transport=epoll" >&2 ;;
    eventide/native) echo "  [$1 #$2] WARNING: its loop does not wait in the JDK's Selector but in $frame" >&2 ;;
    *) echo "  [$1 #$2] transport: $t${frame:+ (loop waits in $frame)}" >&2 ;;
  esac
}

run_round() { # name round
  local name="$1" round="$2" port
  wait_for_quiet
  port="$(port_for "$name")"
  start_server "$name" "$port"
  if ! wait_for_port "$port"; then
    stop_server
    echo "  [$name #$round] FAILED: the server did not start" >&2
    return 0
  fi
  [[ "$name" == eventide* ]] && check_transport "$name" "$round"
  if ! SERVER_PID="$SERVER_PID" taskset -c 1 "$JAVA" bench/tcp/EchoLoad.java 127.0.0.1 "$port" "$CONNS" "$SECS" "$PAYLOAD" "$WARMUP" \
      2>&1 | tee "$OUT/$name-$round.txt" | sed "s/^/  [$name #$round] /" >&2; then
    echo "  [$name #$round] FAILED: the load client failed (above); round left out" >&2
    rm -f "$OUT/$name-$round.txt"
  fi
  stop_server
}

echo "bench/tcp: $CONNS connections x ${PAYLOAD} B ping-pong, ${SECS} s (+${WARMUP} s warm-up) x $ROUNDS rounds;" \
  "servers: ${SERVER_LIST[*]}; servers on CPU 0, load on CPU 1; $(nproc) cores, $(uname -r)" >&2
if has_server eventide || has_server eventide-native; then
  ./eventide build >&2
  cp eventide-core/target/eventide-core-*-SNAPSHOT.jar "$OUT/eventide-core.jar"
fi
for ((r = 1; r <= ROUNDS; r++)); do
  n=${#SERVER_LIST[@]}
  for ((i = 0; i < n; i++)); do
    run_round "${SERVER_LIST[$(( (i + r - 1) % n ))]}" "$r"
  done
done

# Table: one row per round and server, then the medians, then the ratios of the medians.
for name in "${SERVER_LIST[@]}"; do
  for ((r = 1; r <= ROUNDS; r++)); do
    [[ -f "$OUT/$name-$r.txt" ]] || continue
    grep '^RESULT' "$OUT/$name-$r.txt" | sed "s/^RESULT/$name $r/" || true
  done
done | awk -v servers="${SERVER_LIST[*]}" '
  function kv(field,   i, p) { for (i = 3; i <= NF; i++) { split($i, p, "="); if (p[1] == field) return p[2] } }
  function median(arr, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
    return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2
  }
  function r(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "-" }
  function ratio(label, x, y) {
    if (!(n[x] > 0 && n[y] > 0)) return
    printf "%-16s %13s %8s %8s %9s %12s\n", label, r(mrt[x], mrt[y]), r(m50[x], m50[y]), r(m99[x], m99[y]),
      r(m999[x], m999[y]), r(mcpu[x], mcpu[y])
  }
  BEGIN { printf "%-16s %5s %13s %8s %8s %9s %8s %10s %9s %10s\n", "server", "round", "round-trips/s", "p50 us", "p99 us", "p99.9 us", "max us", "cpu us/rt", "cpu util", "cpu0 other" }
  {
    n[$1]++; k = n[$1]
    rt[$1, k] = kv("rt_per_s"); p50[$1, k] = kv("p50_us"); p99[$1, k] = kv("p99_us"); p999[$1, k] = kv("p999_us")
    cpu[$1, k] = kv("cpu_us_per_rt"); err[$1] += kv("errors")
    printf "%-16s %5s %13s %8s %8s %9s %8s %10s %9s %10s\n", $1, $2, kv("rt_per_s"), kv("p50_us"), kv("p99_us"), kv("p999_us"), kv("max_us"), kv("cpu_us_per_rt"), kv("cpu_util"), kv("cpu0_other")
  }
  END {
    print ""
    printf "%-16s %13s %8s %8s %9s %12s %7s %7s\n", "median", "round-trips/s", "p50 us", "p99 us", "p99.9 us", "cpu us/rt", "errors", "rounds"
    ns = split(servers, names, " ")
    for (s = 1; s <= ns; s++) {
      name = names[s]; m = n[name]
      if (m == 0) { printf "%-16s %13s %8s %8s %9s %12s %7s %7d\n", name, "-", "-", "-", "-", "-", "-", 0; continue }
      for (k = 1; k <= m; k++) { a[k] = rt[name, k] + 0 }; mrt[name] = median(a, m)
      for (k = 1; k <= m; k++) { a[k] = p50[name, k] + 0 }; m50[name] = median(a, m)
      for (k = 1; k <= m; k++) { a[k] = p99[name, k] + 0 }; m99[name] = median(a, m)
      for (k = 1; k <= m; k++) { a[k] = p999[name, k] + 0 }; m999[name] = median(a, m)
      for (k = 1; k <= m; k++) { a[k] = cpu[name, k] + 0 }; mcpu[name] = median(a, m)
      printf "%-16s %13.0f %8.0f %8.0f %9.0f %12.2f %7d %7d\n", name, mrt[name], m50[name], m99[name], m999[name], mcpu[name], err[name], m
    }
    print ""
    printf "%-16s %13s %8s %8s %9s %12s\n", "ratio of medians", "round-trips/s", "p50", "p99", "p99.9", "cpu us/rt"
    ratio("e/n", "eventide", "node")
    ratio("native/NIO", "eventide-native", "eventide")
    ratio("native/Netty", "eventide-native", "netty")
    ratio("native/Node", "eventide-native", "node")
    ratio("NIO/Netty", "eventide", "netty")
  }'
if grep -q '^eventide-native .* nio$' "$OUT/transport.txt" 2>/dev/null; then
  echo
  echo "WARNING: eventide-native ran on NIO in $(grep -c '^eventide-native .* nio$' "$OUT/transport.txt") round(s) (this eventide-core" \
    "ignores -Deventide.core.transport=epoll): its rows and the native/* ratios measure NIO."
fi
