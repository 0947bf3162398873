#!/usr/bin/env bash
# The shop under load: is the gateway's latency flat while the catalog is slow?
#
# Starts the three services (run.sh, detached, on their own ports and logs), then runs wrk against
# the gateway's GET /products/1 (gateway -> catalog -> PostgreSQL) in three phases:
#   1. healthy       the catalog answers at once
#   2. slow catalog  the catalog answers every product request $SLOW_MS late (POST /admin/delay);
#                    the gateway times out after $GATEWAY_TIMEOUT_MS, its breaker opens after
#                    $BREAKER_FAILURES failures, and it answers from its last good copy
# each through the gateway and through a second gateway with the protection configured away (a 10 s
# timeout, a breaker that never opens, a bulkhead of 10,000): what callers would see without it;
#   3. the catalog itself while slow (a few connections)
# and prints p50/p99/requests per second of each, how many answers were fallbacks, and how many
# catalog calls failed or timed out meanwhile. Stops the services by PID at the end or on Ctrl-C.
#
# Needs wrk (bench/setup.sh installs it). Environment: DURATION (15 s per phase), CONNECTIONS (32),
# THREADS (1), SLOW_MS (1000), GATEWAY_TIMEOUT_MS (200), BREAKER_FAILURES (5), BREAKER_OPEN_MS
# (2000), LOOPS (1 per service), GATEWAY_PORT/CATALOG_PORT/ORDERS_PORT (18180/18181/18182).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DURATION="${DURATION:-15}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-1}"
SLOW_MS="${SLOW_MS:-1000}"
export GATEWAY_PORT="${GATEWAY_PORT:-18180}" CATALOG_PORT="${CATALOG_PORT:-18181}" ORDERS_PORT="${ORDERS_PORT:-18182}"
export GATEWAY_TIMEOUT_MS="${GATEWAY_TIMEOUT_MS:-200}" BREAKER_FAILURES="${BREAKER_FAILURES:-5}"
export BREAKER_OPEN_MS="${BREAKER_OPEN_MS:-2000}" LOOPS="${LOOPS:-1}" LOG_DIR="${LOG_DIR:-$HERE/logs/load}"

if ! command -v wrk >/dev/null 2>&1; then
  echo "load: wrk is not installed. Run bench/setup.sh (or apt-get install wrk) and try again." >&2
  exit 1
fi

PIDS=()
stop_all() {
  trap - EXIT INT TERM
  [[ ${#PIDS[@]} -gt 0 ]] || return 0
  echo "load: stopping ${PIDS[*]}" >&2
  kill -TERM "${PIDS[@]}" 2>/dev/null || true
  local deadline=$((SECONDS + 15)) pid
  for pid in "${PIDS[@]}"; do
    while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  done
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

read -r -a PIDS <<<"$(SHOP_DETACH=1 "$HERE/run.sh")"
[[ ${#PIDS[@]} -eq 3 ]] || { echo "load: run.sh did not start the three services" >&2; exit 1; }

GW="http://127.0.0.1:$GATEWAY_PORT"
CAT="http://127.0.0.1:$CATALOG_PORT"

# stats GATEWAY: "fallbacks catalog-failures catalog-timeouts" from its /admin/breaker.
stats() {
  curl -fsS "$1/admin/breaker" \
    | sed -n 's/.*"catalog":{[^}]*"failures":\([0-9]*\),"timeouts":\([0-9]*\).*"fallbacks":\([0-9]*\).*/\3 \1 \2/p'
}

# phase NAME URL CONNECTIONS [GATEWAY]: runs wrk, prints one table row; for a gateway also the
# fallback answers it gave and the catalog calls that failed (of which timed out) meanwhile.
phase() {
  local name="$1" url="$2" conns="$3" gw="${4:-}" out b=() a=()
  [[ -z "$gw" ]] || read -r -a b <<<"$(stats "$gw")"
  out="$(wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --latency "$url")"
  echo "$out" > "$LOG_DIR/wrk-${name// /-}.txt"
  local p50 p99 rps errors fb="-" fail="-"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  rps="$(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
  errors="$(awk '/Non-2xx or 3xx responses/ {print $NF}' <<<"$out")"
  if [[ -n "$gw" ]]; then
    read -r -a a <<<"$(stats "$gw")"
    fb=$((a[0] - b[0]))
    fail="$((a[1] - b[1])) ($((a[2] - b[2])))"
  fi
  printf '| %-36s | %9s | %9s | %10s | %7s | %9s | %18s |\n' "$name" "$p50" "$p99" "$rps" "${errors:-0}" "$fb" "$fail"
}

# A fresh answer first (the gateway's fallback copy of product 1), then a warm-up (JIT), not reported.
for i in $(seq 1 50); do
  headers="$(curl -sS -D - -o /dev/null "$GW/products/1" || true)"
  grep -q '^HTTP/1.1 200' <<<"$headers" && ! grep -qi '^X-Shop-Fallback' <<<"$headers" && break
  sleep 0.2
done
wrk -t1 -c4 -d5s "$GW/products/1" >/dev/null

# The unprotected gateway: same code, protection configured away; started and stopped by PID here.
UNPROTECTED_PORT=$((GATEWAY_PORT + 3))
UNGW="http://127.0.0.1:$UNPROTECTED_PORT"
JAR="$(ls "$HERE"/target/eventide-example-shop-*.jar | grep -v -e sources -e javadoc | head -1)"
env PORT="$UNPROTECTED_PORT" CATALOG_URL="$CAT" ORDERS_URL="http://127.0.0.1:$ORDERS_PORT" GATEWAY_TIMEOUT_MS=10000 \
    BREAKER_FAILURES=1000000000 BULKHEAD=10000 CLASSPATH="$JAR" "$HERE/../../eventide" run io.eventide.example.shop.Gateway \
    >"$LOG_DIR/gateway-unprotected.log" 2>"$LOG_DIR/gateway-unprotected.err" &
PIDS+=($!)
for i in $(seq 1 300); do curl -fsS -o /dev/null "$UNGW/healthz" 2>/dev/null && break; sleep 0.2; done
wrk -t1 -c4 -d5s "$UNGW/products/1" >/dev/null

echo
echo "wrk ${DURATION}s per phase, $THREADS thread(s), $CONNECTIONS connections (the catalog alone: 4); gateway timeout" \
     "${GATEWAY_TIMEOUT_MS} ms, breaker $BREAKER_FAILURES failures / open ${BREAKER_OPEN_MS} ms; $LOOPS loop(s) per service;" \
     "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| phase                                |       p50 |       p99 |      req/s | non-2xx | fallbacks | catalog failures (timeouts) |"
echo "|--------------------------------------|-----------|-----------|------------|---------|-----------|-----------------------------|"
phase "gateway, catalog healthy" "$GW/products/1" "$CONNECTIONS" "$GW"
phase "unprotected gateway, catalog healthy" "$UNGW/products/1" "$CONNECTIONS" "$UNGW"
curl -fsS -o /dev/null -X POST "$CAT/admin/delay?ms=$SLOW_MS"
phase "gateway, catalog +${SLOW_MS}ms" "$GW/products/1" "$CONNECTIONS" "$GW"
phase "unprotected gateway, catalog +${SLOW_MS}ms" "$UNGW/products/1" "$CONNECTIONS" "$UNGW"
phase "catalog itself, +${SLOW_MS}ms" "$CAT/products/1" 4
curl -fsS -o /dev/null -X POST "$CAT/admin/delay?ms=0"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "breaker after the run: $(curl -fsS "$GW/admin/breaker")"
