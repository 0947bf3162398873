#!/usr/bin/env bash
# Bus benchmark: Eventide's broker bridges vs Vert.x 5's RabbitMQ and Kafka clients, side by side.
#
#   bench/bus/run.sh [--quick] [--rounds N] [--messages N] [--bridges "rabbitmq kafka nats"] [--no-stall]
#
# Throughput: N messages (256 B, at most 1,000 unconfirmed) sent with broker confirmation (RabbitMQ
# publisher confirms to a quorum queue, Kafka acks=all idempotent, NATS JetStream PubAck) and consumed
# with manual acknowledgement (prefetch / max.poll.records 256) in one process; messages/s end to end
# and the client process's CPU time per message. Eventide: bench/bus/EventideBusBench.java; Vert.x:
# bench/bus/peers (VertxBusBench; Vert.x has no NATS JetStream client, so NATS is Eventide only).
# Stall: 2,000 messages/s for 10 s while the broker process is stopped (SIGSTOP) from second 3 to 8;
# loop lag (a 1 ms timer's lateness) p50/p99/p99.9/max, watchdog reports, sends accepted/refused.
# Pinning: brokers (RabbitMQ's beam, nats-server, the Kafka broker started here) on core 0, the client
# on core 1; the brokers' original CPU affinity is restored at the end. Rounds rotate the client order.
# RabbitMQ and NATS are the machine's services (127.0.0.1:5672, :4222); Kafka is a KRaft broker
# started here (bench/bus/peers KafkaBroker) on 127.0.0.1:19092. Raw output: bench/results/bus-<time>/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/bus"
# shellcheck source=../http/lib.sh
source "$ROOT/bench/http/lib.sh"

ROUNDS=3
MESSAGES=100000
BRIDGES="rabbitmq kafka nats"
STALL=1
BROKER_CORE=0
CLIENT_CORE=1

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) ROUNDS=1; MESSAGES=5000; shift ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --messages) MESSAGES="$2"; shift 2 ;;
    --bridges) BRIDGES="$2"; shift 2 ;;
    --no-stall) STALL=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

die() { echo "run.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
command -v taskset >/dev/null || die "taskset not found (util-linux)"
command -v python3 >/dev/null || die "python3 not found (it summarises the results)"
JDK="$(bench_find_jdk)" || die "no JDK >= 21 found (set JAVA_HOME)"
JAVA="$JDK/bin/java"
OUT="$ROOT/bench/results/bus-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"

log "building Eventide (./eventide build) and the peers (bench/bus/peers)"
(cd "$ROOT" && timeout 900 ./eventide build) >"$OUT/eventide-build.log" 2>&1 || die "./eventide build failed: $OUT/eventide-build.log"
(cd "$HERE/peers" && JAVA_HOME="$JDK" PATH="$JDK/bin:$PATH" timeout 900 mvn -B -ntp -q package) >"$OUT/peers-build.log" 2>&1 \
  || die "building bench/bus/peers failed: $OUT/peers-build.log"
PEERS_CP="$(cat "$HERE/peers/target/classpath.txt"):$HERE/peers/target/bus-peers.jar"
QUIET=(-Dorg.slf4j.simpleLogger.defaultLogLevel=warn)

# --- brokers ---------------------------------------------------------------------------------
pid_of() { # command-suffix port-argument
  for p in /proc/[0-9]*; do
    local cmd; cmd="$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)" || continue
    [[ "$cmd" == *"$1"* && "$cmd" == *"$2"* ]] && { basename "$p"; return 0; }
  done
  return 1
}
RABBIT_PID="$(pid_of beam.smp 'rabbit boot' || true)"
NATS_PID="$(pid_of /usr/sbin/nats-server 4222 || true)"
[[ " $BRIDGES " != *" rabbitmq "* || -n "$RABBIT_PID" ]] || die "RabbitMQ is not running (rabbitmq-server -detached)"
[[ " $BRIDGES " != *" nats "* || -n "$NATS_PID" ]] || die "nats-server is not running on 4222"
KAFKA_DIR="$OUT/kafka"
KAFKA_PID=""
declare -A AFFINITY=()
restore() {
  for pid in "${!AFFINITY[@]}"; do taskset -a -p "${AFFINITY[$pid]}" "$pid" >/dev/null 2>&1 || true; done
  for pid in $RABBIT_PID $NATS_PID $KAFKA_PID; do kill -CONT "$pid" 2>/dev/null || true; done
  [[ -n "$KAFKA_PID" ]] && { kill "$KAFKA_PID" 2>/dev/null || true; wait "$KAFKA_PID" 2>/dev/null || true; }
}
trap restore EXIT
pin_broker() { # pid
  AFFINITY[$1]="$(taskset -p "$1" | awk '{print $NF}')"
  taskset -a -p -c "$BROKER_CORE" "$1" >/dev/null
}
if [[ " $BRIDGES " == *" kafka "* ]]; then
  taskset -c "$BROKER_CORE" "$JAVA" -Xms1g -Xmx1g -XX:+UseParallelGC "${QUIET[@]}" -cp "$PEERS_CP" bench.KafkaBroker 19092 19093 "$KAFKA_DIR" \
    >"$OUT/kafka.out" 2>"$OUT/kafka.err" &
  KAFKA_PID=$!
  for _ in $(seq 1 240); do grep -q READY "$OUT/kafka.out" 2>/dev/null && break; sleep 0.5; done
  grep -q READY "$OUT/kafka.out" || die "the Kafka broker did not start: $OUT/kafka.err"
fi
[[ -n "$RABBIT_PID" && " $BRIDGES " == *" rabbitmq "* ]] && pin_broker "$RABBIT_PID"
[[ -n "$NATS_PID" && " $BRIDGES " == *" nats "* ]] && pin_broker "$NATS_PID"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc --all) cores"
  echo "jdk: $("$JAVA" -version 2>&1 | sed -n 2p)"
  echo "rabbitmq: $(rabbitmqctl -q version 2>/dev/null || echo '?'); nats: $(nats-server --version 2>/dev/null || echo '?'); kafka: 4.4.0 (KRaft, this run)"
  echo "vert.x: 5.0.7; eventide: $(git -C "$ROOT" rev-parse --short HEAD)"
  echo "options: rounds=$ROUNDS messages=$MESSAGES bridges='$BRIDGES' stall=$STALL"
} | tee "$OUT/machine.txt" >&2

run_client() { # client bridge mode extra...
  local client="$1" bridge="$2" mode="$3"; shift 3
  local args=("$bridge" "$mode" "messages=$MESSAGES" "bootstrap=127.0.0.1:19092" "$@")
  if [[ "$client" == eventide ]]; then
    (cd "$ROOT" && EVENTIDE_JAVA_OPTS="${QUIET[*]}" taskset -c "$CLIENT_CORE" timeout 900 ./eventide run bench/bus/EventideBusBench.java "${args[@]}")
  else
    taskset -c "$CLIENT_CORE" timeout 900 "$JAVA" -XX:+UseParallelGC "${QUIET[@]}" -cp "$PEERS_CP" bench.VertxBusBench "${args[@]}"
  fi
}
stall_pid() { case "$1" in rabbitmq) echo "$RABBIT_PID" ;; nats) echo "$NATS_PID" ;; kafka) echo "$KAFKA_PID" ;; esac; }

: >"$OUT/results.txt"
for round in $(seq 1 "$ROUNDS"); do
  for bridge in $BRIDGES; do
    clients="eventide vertx"; [[ "$bridge" == nats ]] && clients="eventide"
    (( round % 2 == 0 )) && [[ "$clients" == "eventide vertx" ]] && clients="vertx eventide"
    for client in $clients; do
      log "round $round: $client $bridge throughput"
      run_client "$client" "$bridge" throughput >"$OUT/$round-$client-$bridge-throughput.log" 2>&1 || log "  failed: see $OUT/$round-$client-$bridge-throughput.log"
      grep '^RESULT' "$OUT/$round-$client-$bridge-throughput.log" | sed "s/^RESULT/round=$round/" >>"$OUT/results.txt" || true
      if (( STALL )); then
        log "round $round: $client $bridge stall (broker pid $(stall_pid "$bridge") stopped 5 s)"
        run_client "$client" "$bridge" stall "stall_pid=$(stall_pid "$bridge")" >"$OUT/$round-$client-$bridge-stall.log" 2>&1 || log "  failed: see $OUT/$round-$client-$bridge-stall.log"
        grep '^RESULT' "$OUT/$round-$client-$bridge-stall.log" | sed "s/^RESULT/round=$round/" >>"$OUT/results.txt" || true
      fi
    done
  done
done

python3 "$HERE/summarize.py" "$OUT/results.txt" | tee "$OUT/summary.txt"
log "raw results in $OUT"
