#!/usr/bin/env bash
# Many hosts behind nginx (issue 12): H Eventide hosts (default 3), each in its own network
# namespace, behind a real nginx running docs/nginx/eventide.conf verbatim, in a namespace with the
# client; veth pairs join them, so no traffic leaves the namespaces. A mixed idle/burst client
# (bursts of 1-64 GETs and POSTs, short gaps, and every tenth gap 55-70 s so pooled upstream
# connections idle past nginx's 60 s keepalive_timeout) runs for DURATION; with --deploy, host 1
# is drained (SIGTERM) and started again half-way through. Default Eventide settings.
#
#   sudo bench/cluster/nginx-soak.sh [--quick] [--duration S] [--hosts H] [--deploy]
#
# Pass: every request answered 200 (POST bodies echoed), no 502 in nginx's access log and no
# "upstream prematurely closed" in its error log. Needs root (ip netns) and nginx (apt-get install
# nginx-light). Everything started is stopped by pid; the namespaces are deleted.
# Raw output: bench/results/cluster-nginx-<time>/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION=300; HOSTS=3; DEPLOY=no; LONG_IDLE=70000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) DURATION=30; LONG_IDLE=0; shift ;;
    --duration) DURATION="$2"; shift 2 ;;
    --hosts) HOSTS="$2"; shift 2 ;;
    --deploy) DEPLOY=yes; shift ;;
    *) die "unknown option $1" ;;
  esac
done
[[ $(id -u) -eq 0 ]] || die "needs root for network namespaces"
command -v ip >/dev/null || die "needs iproute2 (ip)"
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || die "needs nginx: apt-get install nginx-light"
OUT="$ROOT/bench/results/cluster-nginx-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
(cd "$ROOT" && ./eventide build && mvn -B -q -ntp -pl eventide-cluster -am test-compile) >"$OUT/build.log" 2>&1 \
  || die "build failed: $OUT/build.log"
CP="$(runtime_cp):$ROOT/eventide-cluster/target/test-classes"
TAG="evs$(( $$ % 1000 ))"; NET=$(( 150 + $$ % 40 ))
PIDS=(); NSS=()
cleanup() {
  local p; for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  sleep 2; for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  local ns; for ns in "${NSS[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
}
trap cleanup EXIT
ns() { ip netns add "$1"; NSS+=("$1"); ip -n "$1" link set lo up; }
LB="$TAG-lb"; ns "$LB"; : >"$OUT/eventide-servers.conf"
for i in $(seq 1 "$HOSTS"); do
  ns "$TAG-h$i"
  ip link add "${TAG}a$i" netns "$LB" type veth peer name "${TAG}b$i" netns "$TAG-h$i"
  ip -n "$LB" addr add "10.$NET.$i.1/24" dev "${TAG}a$i"; ip -n "$LB" link set "${TAG}a$i" up
  ip -n "$TAG-h$i" addr add "10.$NET.$i.2/24" dev "${TAG}b$i"; ip -n "$TAG-h$i" link set "${TAG}b$i" up
  echo "server 10.$NET.$i.2:8080 max_fails=1 fail_timeout=2s;" >>"$OUT/eventide-servers.conf"
done
start_host() { # i
  local hlog="$OUT/host-$1-$(date +%s%N).log"
  ip netns exec "$TAG-h$1" java -XX:+UseParallelGC -Deventide.config.port=8080 -Deventide.config.host=0.0.0.0 \
    -cp "$CP" io.eventide.cluster.ClusterApp >"$hlog" 2>&1 &
  HOST_PID[$1]=$!; PIDS+=("$!")
  local k; for k in $(seq 1 240); do grep -q "eventide: listening on" "$hlog" 2>/dev/null && return 0; sleep 0.5; done
  die "host $1 did not start: $hlog"
}
declare -A HOST_PID
for i in $(seq 1 "$HOSTS"); do start_host "$i"; done
cat >"$OUT/nginx.conf" <<CONF
user root;
worker_processes 1;
pid $OUT/nginx.pid;
error_log $OUT/error.log info;
events { worker_connections 4096; }
http {
    log_format eventide '\$status \$upstream_status \$upstream_addr \$request_method \$request_uri';
    access_log $OUT/access.log eventide;
    client_body_temp_path $OUT/tmp-body; proxy_temp_path $OUT/tmp-proxy; fastcgi_temp_path $OUT/tmp-fcgi;
    uwsgi_temp_path $OUT/tmp-uwsgi; scgi_temp_path $OUT/tmp-scgi;
    include $ROOT/docs/nginx/eventide.conf;
}
CONF
ip netns exec "$LB" nginx -p "$OUT" -c "$OUT/nginx.conf" -g "daemon off;" >"$OUT/nginx.out" 2>&1 &
PIDS+=("$!")
sleep 1
log "load for ${DURATION}s through nginx to $HOSTS hosts (deploy: $DEPLOY)"
ip netns exec "$LB" java -cp "$CP" io.eventide.cluster.NsLoad http://127.0.0.1:80 "$OUT/stop" "$DURATION" "$LONG_IDLE" >"$OUT/client.log" 2>&1 &
LOAD=$!; PIDS+=("$LOAD")
if [[ "$DEPLOY" == yes ]]; then
  sleep $(( DURATION / 2 ))
  log "deploy: draining host 1"; kill -TERM "${HOST_PID[1]}"; wait "${HOST_PID[1]}" || die "host 1 did not drain with status 0"
  start_host 1; log "deploy: host 1 back"
fi
wait "$LOAD" || true
result="$(grep '^RESULT' "$OUT/client.log" || echo 'RESULT missing')"
n502=$(awk '$1==502' "$OUT/access.log" | wc -l)
nreq=$(wc -l <"$OUT/access.log")
npremature=$(grep -c 'upstream prematurely closed' "$OUT/error.log" || true)
{
  echo "client: $result"
  echo "nginx: $nreq requests, $n502 answered 502, $npremature 'upstream prematurely closed' lines"
  if [[ "$result" =~ failures=\[\]$ && "$result" != *"statuses={200="*","* && $n502 -eq 0 && $npremature -eq 0 ]]; then
    echo "PASS"; else echo "FAIL"; fi
} | tee "$OUT/summary.txt"
