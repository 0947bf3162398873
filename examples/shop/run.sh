#!/usr/bin/env bash
# Starts the shop: catalog (:8081, PostgreSQL), orders (:8082, RabbitMQ -> PostgreSQL) and the
# gateway (:8080), each its own JVM with its own log in $LOG_DIR; waits until all three answer
# /healthz; stops them by PID (SIGTERM, then SIGKILL after 15 s) on exit, Ctrl-C or SIGTERM.
#
#   examples/shop/run.sh                       # then, in another terminal:
#   curl -s localhost:8080/products/1
#   curl -si -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' \
#        -H 'Content-Type: application/json' -d '{"productId":2,"quantity":3}' localhost:8080/orders
#   grep 4bf92f3577b34da6a3ce929d0e0e4736 examples/shop/logs/*.log   # one request, three services
#   curl -s -X POST 'localhost:8081/admin/delay?ms=2000'               # make the catalog slow
#   curl -s localhost:8080/admin/breaker                               # ...and watch the breaker
#
# Environment: GATEWAY_PORT, CATALOG_PORT, ORDERS_PORT (8080, 8081, 8082); LOG_DIR (examples/shop/logs);
# PGHOST, PGPORT, PGUSER, PGDATABASE (127.0.0.1, 5432, postgres, shop: created if missing);
# RABBITMQ_HOST, RABBITMQ_PORT (127.0.0.1, 5672; guest/guest); GATEWAY_TIMEOUT_MS, BREAKER_FAILURES,
# BREAKER_OPEN_MS, BULKHEAD, CATALOG_DELAY_MS, LOOPS are passed on to the services (README.md).
# SHOP_DETACH=1: start, wait ready, print the PIDs and return, leaving them running (load.sh uses it;
# stop them with `kill <pids>`).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
GATEWAY_PORT="${GATEWAY_PORT:-8080}"
CATALOG_PORT="${CATALOG_PORT:-8081}"
ORDERS_PORT="${ORDERS_PORT:-8082}"
LOG_DIR="${LOG_DIR:-$HERE/logs}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}" PGDATABASE="${PGDATABASE:-shop}"
PIDS=()

say() { echo "shop: $*" >&2; }
die() { say "$*"; exit 1; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_all() {
  trap - EXIT INT TERM
  [[ ${#PIDS[@]} -gt 0 ]] || return 0
  say "stopping ${PIDS[*]}"
  kill -TERM "${PIDS[@]}" 2>/dev/null || true
  local deadline=$((SECONDS + 15)) pid
  for pid in "${PIDS[@]}"; do
    while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then say "$pid did not stop in 15 s; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
  done
  PIDS=()
}

listening "$PGPORT" || die "PostgreSQL is not listening on $PGHOST:$PGPORT (start it, or set PGHOST/PGPORT)"
listening "${RABBITMQ_PORT:-5672}" || die "RabbitMQ is not listening on port ${RABBITMQ_PORT:-5672} (rabbitmq-server -detached)"
for port in "$GATEWAY_PORT" "$CATALOG_PORT" "$ORDERS_PORT"; do
  ! listening "$port" || die "port $port is taken (set GATEWAY_PORT, CATALOG_PORT, ORDERS_PORT)"
done
if command -v psql >/dev/null 2>&1; then
  if ! psql -qAt -d "$PGDATABASE" -c 'SELECT 1' >/dev/null 2>&1; then
    say "creating database $PGDATABASE"
    psql -q -d postgres -c "CREATE DATABASE \"$PGDATABASE\"" >/dev/null
  fi
else
  say "psql not found: database $PGDATABASE must exist already"
fi

# The launcher builds what changed (the reactor, examples/shop included) and puts every Eventide
# module and its libraries on the class path; the example's jar is added through CLASSPATH.
"$ROOT/eventide" build
JAR="$(ls "$HERE"/target/eventide-example-shop-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -1)"
[[ -n "$JAR" ]] || die "no examples/shop/target/eventide-example-shop-*.jar after the build"
mkdir -p "$LOG_DIR"

# start NAME PORT MAIN [VAR=value...]: one JVM, stdout to NAME.log, stderr to NAME.err.
start() {
  local name="$1" port="$2" main="$3"; shift 3
  env "$@" PORT="$port" CLASSPATH="$JAR" "$ROOT/eventide" run "io.eventide.example.shop.$main" \
    >"$LOG_DIR/$name.log" 2>"$LOG_DIR/$name.err" &
  PIDS+=($!) # `eventide run` execs java: this is the JVM's PID
  say "$name: pid $! on http://127.0.0.1:$port (log $LOG_DIR/$name.log)"
}

wait_ready() {
  local name="$1" port="$2" pid="$3" deadline=$((SECONDS + 90))
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || die "$name (pid $pid) exited; see $LOG_DIR/$name.log and $name.err"
    (( SECONDS < deadline )) || die "$name did not answer /healthz within 90 s; see $LOG_DIR/$name.log"
    sleep 0.2
  done
}

trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
start catalog "$CATALOG_PORT" Catalog
start orders "$ORDERS_PORT" Orders
wait_ready catalog "$CATALOG_PORT" "${PIDS[0]}"
wait_ready orders "$ORDERS_PORT" "${PIDS[1]}"
start gateway "$GATEWAY_PORT" Gateway CATALOG_URL="http://127.0.0.1:$CATALOG_PORT" ORDERS_URL="http://127.0.0.1:$ORDERS_PORT"
wait_ready gateway "$GATEWAY_PORT" "${PIDS[2]}"
say "ready: http://127.0.0.1:$GATEWAY_PORT/products/1 (pids ${PIDS[*]})"

if [[ "${SHOP_DETACH:-0}" == 1 ]]; then
  echo "${PIDS[*]}"
  trap - EXIT INT TERM
  exit 0
fi
say "Ctrl-C stops the three"
# Wait until one of them exits (or Ctrl-C); the EXIT trap stops the others.
wait -n "${PIDS[@]}" || true
say "a service exited; stopping the others"
