#!/usr/bin/env bash
# The issue's full-size chaos runs: 100,000 messages per bridge (the test suite runs 20,000).
#
#   bench/bus/chaos.sh [--messages N] [--bridges "rabbitmq nats kafka"]
#
# For each bridge, its *ChaosIT: a broker restart at a third of the stream (RabbitMQ
# `rabbitmqctl stop_app/start_app`, NATS stopped by PID and started with its own command line,
# the embedded Kafka broker shut down and started), a kill -9 of the consumer process at two thirds;
# asserts acknowledged = processed (unique) and prints the duplicates. Needs RabbitMQ and NATS running.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MESSAGES=100000
BRIDGES="rabbitmq nats kafka"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --messages) MESSAGES="$2"; shift 2 ;;
    --bridges) BRIDGES="$2"; shift 2 ;;
    *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
modules="eventide-bus"
for b in $BRIDGES; do modules="$modules,eventide-bus-$b"; done
cd "$ROOT"
./eventide test -pl "$modules" -am -Dtest='*ChaosIT' -Dsurefire.failIfNoSpecifiedTests=false \
  -Deventide.bus.chaos.messages="$MESSAGES" 2>&1 | grep -E '^chaos |Tests run:|FAIL|BUILD'
