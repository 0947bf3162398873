#!/usr/bin/env bash
# Where a request's CPU goes: async-profiler (ctimer, 1 ms) on examples/Bench.java with one loop
# pinned to core 0, wrk pinned to core 1; 10 s warm-up, 10 s profiled; then the samples classified as
# kernel (system calls), Eventide, JDK NIO, JDK FFM (downcalls and memory segments of the native
# transport) and the rest (bench/http/profile-classify.py), and the process's user/system CPU per
# request from /proc.
#
#   bench/setup.sh && bench/http/profile.sh [--pipeline] [--conns C] [--native]
#
#   --pipeline  16 requests pipelined per round trip (bench/http/pipeline.lua), 256 connections
#   --conns C   connections (default 1000; 256 with --pipeline)
#   --native    the server on Eventide's native epoll transport: -Deventide.core.transport=epoll
#               --enable-native-access=ALL-UNNAMED (BENCH_NATIVE_OPTS in lib.sh). A thread dump at
#               start tells which transport the loop is on (transport.txt); an eventide-core without
#               that transport ignores the property and runs NIO, which is then said.
#
# async-profiler comes from Maven Central (tools.profiler:async-profiler). With
# kernel.perf_event_paranoid >= 2 kernel frames are hidden: a sample in a system call ends at its
# libc wrapper, which is how the kernel's share is counted. Output: bench/results/profile-<time>/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/http"
source "$HERE/lib.sh"
CONNS=1000; PIPELINE=0; NATIVE=0; AP_VERSION=4.2
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pipeline) PIPELINE=1; CONNS=256; shift ;;
    --conns) CONNS="$2"; shift 2 ;;
    --native) NATIVE=1; shift ;;
    *) echo "profile.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
JDK="$(bench_find_jdk)" || { echo "profile.sh: no JDK >= 21 found" >&2; exit 1; }
export JAVA_HOME="$JDK" PATH="$JDK/bin:$PATH"
command -v wrk >/dev/null || { echo "profile.sh: wrk not found: run bench/setup.sh" >&2; exit 1; }
OUT="$ROOT/bench/results/profile-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
JAR="$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar"
[[ -f "$JAR" ]] || mvn -q dependency:get -Dartifact="tools.profiler:async-profiler:$AP_VERSION" >&2
(cd "$OUT" && unzip -q -o "$JAR" 'linux-x64/*')
LIB="$OUT/linux-x64/libasyncProfiler.so"
WRK_ARGS=(-t1 -c"$CONNS" -d10s)
(( PIPELINE )) && WRK_ARGS+=(-s "$HERE/pipeline.lua")
port=18480; while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
URL="http://127.0.0.1:$port/plaintext"
cd "$ROOT"
# `./eventide java` execs the JVM: $SP is its pid.
TRANSPORT_OPTS=()
(( NATIVE )) && TRANSPORT_OPTS=("${BENCH_NATIVE_OPTS[@]}")
echo "server: examples/Bench.java, one loop${TRANSPORT_OPTS[*]:+, ${TRANSPORT_OPTS[*]}}" | tee "$OUT/server.txt"
PORT=$port EVENTIDE_LOOPS=1 taskset -c 0 ./eventide java -Xmx1g -XX:+UnlockDiagnosticVMOptions \
  -XX:+DebugNonSafepoints "${TRANSPORT_OPTS[@]}" examples/Bench.java >"$OUT/server.log" 2>&1 &
SP=$!
trap 'kill $SP 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -sf -o /dev/null "$URL" && break; kill -0 $SP || { echo "server exited: $OUT/server.log" >&2; exit 1; }; sleep 0.2; done
J=$SP
transport="$(bench_loop_transport "$J" "$JDK" 1)"
echo "transport: ${transport//$'\t'/, loop waits in }" | tee "$OUT/transport.txt"
if (( NATIVE )) && [[ "$transport" == nio ]]; then
  echo "profile.sh: warning: --native, but the loop waits in the JDK's Selector: this eventide-core ignores -Deventide.core.transport=epoll (profiling NIO)" >&2
fi
wrk_run() { if (( PIPELINE )); then taskset -c 1 wrk "${WRK_ARGS[@]}" "$URL" -- 16; else taskset -c 1 wrk "${WRK_ARGS[@]}" "$URL"; fi; }
wrk_run >/dev/null
java "$HERE/Attach.java" "$J" "$LIB" "start,event=ctimer,interval=1ms,threads"
cpu() { awk '{sub(/^.*\) /, ""); print $12, $13}' "/proc/$J/stat"; }
read -r u0 s0 < <(cpu)
wrk_run >"$OUT/wrk.txt"
read -r u1 s1 < <(cpu)
java "$HERE/Attach.java" "$J" "$LIB" "stop,file=$OUT/profile.collapsed,collapsed,threads"
req="$(awk '/requests in/ { print $1 }' "$OUT/wrk.txt")"
hz="$(getconf CLK_TCK)"
awk -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v r="$req" -v hz="$hz" \
  'BEGIN { printf "requests %d: process user %.2f us/request, system %.2f us/request\n", r, u / hz / r * 1e6, s / hz / r * 1e6 }' | tee "$OUT/cpu.txt"
python3 "$HERE/profile-classify.py" "$OUT/profile.collapsed" | tee "$OUT/breakdown.txt"
echo "raw: $OUT"
