#!/usr/bin/env bash
# TCP echo, Eventide (one loop) vs Node.js `net`, side by side on one machine.
#
#   bench/tcp/run.sh [connections=100] [seconds=10] [rounds=3] [payloadBytes=64]
#
# Each round starts a server pinned to CPU 0 (taskset -c 0), waits for its port, runs the load
# client pinned to CPU 1 (bench/tcp/EchoLoad.java: one thread, N ping-pong connections, WARMUP
# seconds of warm-up, then the measured window), reads the server's CPU time from /proc/<pid>/stat
# over that window, and stops the server by its PID. Rounds alternate Eventide, Node, Eventide, ...
# so drift on the machine hits both. Prints every round, then medians and ratios. "cpu0 other" is how
# busy CPU 0 was with anything but the server: on a shared machine, rounds where it is high are noise.
#
# Before each round it waits (at most QUIET_WAIT=60 s) for the machine to be under QUIET_BUSY=25 %
# busy for 2 s, so rounds start when other work is quiet.
#
# The Eventide server runs what `./eventide run bench/tcp/EchoServer.java` runs (same JDK and JVM
# flags) on a copy of the core jar built at the start (EVENTIDE_LAUNCHER=1: through the launcher).
#
# Environment: WARMUP (default 3 s), JAVA (a JDK >= 21 java for the server and the load client; default: the JDK 25
# under /usr/lib/jvm, else the java on PATH), NODE (default: node), PORT_EVENTIDE / PORT_NODE.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
CONNS="${1:-100}"
SECS="${2:-10}"
ROUNDS="${3:-3}"
PAYLOAD="${4:-64}"
WARMUP="${WARMUP:-3}"
NODE="${NODE:-node}"
PORT_EVENTIDE="${PORT_EVENTIDE:-17001}"
PORT_NODE="${PORT_NODE:-17002}"
if [[ -z "${JAVA:-}" ]]; then
  JAVA="$(ls -d /usr/lib/jvm/temurin-25*/bin/java 2>/dev/null | head -1 || true)"
  JAVA="${JAVA:-java}"
fi
export CLK_TCK="$(getconf CLK_TCK)"
OUT="$(mktemp -d)"
SERVER_PID=""

stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$OUT"' EXIT

wait_for_port() { # port; at most 120 s (a loaded machine compiles EchoServer.java slowly)
  local i
  for ((i = 0; i < 1200; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server died; log:" >&2; cat "$OUT/server.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "port $1 did not open in 120 s" >&2
  exit 1
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

run_round() { # name round
  local name="$1" round="$2" port
  wait_for_quiet
  if [[ "$name" == eventide && -n "${EVENTIDE_LAUNCHER:-}" ]]; then
    port="$PORT_EVENTIDE"
    PORT="$port" EVENTIDE_LOOPS=1 taskset -c 0 ./eventide run bench/tcp/EchoServer.java >"$OUT/server.log" 2>&1 &
  elif [[ "$name" == eventide ]]; then
    # What `./eventide run bench/tcp/EchoServer.java` runs (same JDK, same flags), on the jar built
    # above: the launcher would rebuild mid-benchmark if a source changed meanwhile.
    port="$PORT_EVENTIDE"
    # shellcheck disable=SC2086
    PORT="$port" EVENTIDE_LOOPS=1 taskset -c 0 "$JAVA" ${EVENTIDE_JAVA_OPTS:-} -XX:+UseParallelGC \
      -cp "$OUT/eventide-core.jar" bench/tcp/EchoServer.java >"$OUT/server.log" 2>&1 &
  else
    port="$PORT_NODE"
    PORT="$port" taskset -c 0 "$NODE" bench/tcp/echo-server.js >"$OUT/server.log" 2>&1 &
  fi
  SERVER_PID=$!
  wait_for_port "$port"
  SERVER_PID="$SERVER_PID" taskset -c 1 "$JAVA" bench/tcp/EchoLoad.java 127.0.0.1 "$port" "$CONNS" "$SECS" "$PAYLOAD" "$WARMUP" \
    | tee "$OUT/$name-$round.txt" | sed "s/^/  [$name #$round] /" >&2
  stop_server
}

echo "bench/tcp: $CONNS connections x ${PAYLOAD} B ping-pong, ${SECS} s (+${WARMUP} s warm-up) x $ROUNDS rounds;" \
  "servers on CPU 0, load on CPU 1; $(nproc) cores, $(uname -r)" >&2
./eventide build >&2
cp eventide-core/target/eventide-core-*-SNAPSHOT.jar "$OUT/eventide-core.jar"
for ((r = 1; r <= ROUNDS; r++)); do
  run_round eventide "$r"
  run_round node "$r"
done

# Table: one row per round and server, then the medians and Eventide/Node ratios.
for name in eventide node; do
  for ((r = 1; r <= ROUNDS; r++)); do
    grep '^RESULT' "$OUT/$name-$r.txt" | sed "s/^RESULT/$name $r/"
  done
done | awk -v rounds="$ROUNDS" '
  function kv(field,   i, p) { for (i = 3; i <= NF; i++) { split($i, p, "="); if (p[1] == field) return p[2] } }
  function median(arr, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
    return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2
  }
  BEGIN { printf "%-9s %5s %12s %8s %8s %9s %8s %10s %9s %10s\n", "server", "round", "round-trips/s", "p50 us", "p99 us", "p99.9 us", "max us", "cpu us/rt", "cpu util", "cpu0 other" }
  {
    n[$1]++; k = n[$1]
    rt[$1, k] = kv("rt_per_s"); p50[$1, k] = kv("p50_us"); p99[$1, k] = kv("p99_us"); p999[$1, k] = kv("p999_us")
    cpu[$1, k] = kv("cpu_us_per_rt"); err[$1] += kv("errors")
    printf "%-9s %5s %12s %8s %8s %9s %8s %10s %9s %10s\n", $1, $2, kv("rt_per_s"), kv("p50_us"), kv("p99_us"), kv("p999_us"), kv("max_us"), kv("cpu_us_per_rt"), kv("cpu_util"), kv("cpu0_other")
  }
  END {
    print ""
    printf "%-9s %12s %8s %8s %9s %12s %7s\n", "median", "round-trips/s", "p50 us", "p99 us", "p99.9 us", "cpu us/rt", "errors"
    split("eventide node", names, " ")
    for (s = 1; s <= 2; s++) {
      name = names[s]; m = n[name]
      for (k = 1; k <= m; k++) { a[k] = rt[name, k] + 0 }; mrt[name] = median(a, m)
      for (k = 1; k <= m; k++) { a[k] = p50[name, k] + 0 }; m50[name] = median(a, m)
      for (k = 1; k <= m; k++) { a[k] = p99[name, k] + 0 }; m99[name] = median(a, m)
      for (k = 1; k <= m; k++) { a[k] = p999[name, k] + 0 }; m999[name] = median(a, m)
      for (k = 1; k <= m; k++) { a[k] = cpu[name, k] + 0 }; mcpu[name] = median(a, m)
      printf "%-9s %12.0f %8.0f %8.0f %9.0f %12.2f %7d\n", name, mrt[name], m50[name], m99[name], m999[name], mcpu[name], err[name]
    }
    printf "%-9s %12.2f %8.2f %8.2f %9.2f %12.2f\n", "ratio e/n", mrt["eventide"] / mrt["node"], m50["eventide"] / m50["node"],
      m99["eventide"] / m99["node"], m999["eventide"] / m999["node"], mcpu["eventide"] / mcpu["node"]
  }'
