# Shared by the bench/cluster scripts (sourced, not run).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/cluster"
# shellcheck source=../http/lib.sh
source "$ROOT/bench/http/lib.sh"
die() { echo "$(basename "$0"): $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
JDK="$(bench_find_jdk)" || die "no JDK >= 21 found (set JAVA_HOME)"
export JAVA_HOME="$JDK" PATH="$JDK/bin:$PATH"
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() { local p b="${1:-18080}"; for p in $(seq "$b" $((b + 100))); do port_free "$p" && { echo "$p"; return; }; done; die "no free port"; }

# app_jar DIR: compiles bench/cluster/Plaintext.java into DIR/plaintext.jar (Main-Class Plaintext) and
# prints its path. Workers start from a jar in well under a second; App.java in source mode spends
# seconds in javac first, which would dominate restart and reload times.
# runtime_cp: the class path ./eventide run uses (every runtime module's jar and dependencies).
runtime_cp() {
  local cp="" f m
  for f in "$ROOT"/eventide-*/target/eventide-*-SNAPSHOT.jar "$ROOT"/eventide-*/target/classpath.txt; do
    m="${f#"$ROOT"/}"; m="${m%%/*}"
    [[ "$m" == eventide-lab || ! -s "$f" || "$f" == *-sources.jar || "$f" == *-javadoc.jar ]] && continue
    case "$f" in *.jar) cp="$cp:$f" ;; *) cp="$cp:$(cat "$f")" ;; esac
  done
  echo "${cp#:}"
}

app_jar() {
  local cp; cp="$(runtime_cp)"
  mkdir -p "$1/app-classes"
  javac -nowarn -cp "$cp" -d "$1/app-classes" "$HERE/Plaintext.java" || die "cannot compile bench/cluster/Plaintext.java"
  jar --create --file "$1/plaintext.jar" --main-class Plaintext -C "$1/app-classes" . || die "cannot build plaintext.jar"
  echo "$1/plaintext.jar"
}

CLUSTER_PID=""
# start_cluster N PORT LOGFILE [app]: ./eventide cluster in the background; waits until N workers are
# ready. Admission control is loosened (max lag 60 s): Node sheds nothing, and a 503 is a non-2xx.
start_cluster() {
  local n="$1" port="$2" out="$3" app="${4:-$APP}"
  CLUSTER_NAME="bench-$$-$port"
  "$ROOT/eventide" cluster -n "$n" --name="$CLUSTER_NAME" --log-dir="$(dirname "$out")/logs-$CLUSTER_NAME" \
    --port="$port" --host=127.0.0.1 --admission.max-lag-ms=60000 "$app" >"$out" 2>&1 &
  CLUSTER_PID=$!
  local i c
  for i in $(seq 1 240); do
    c="$(grep -c ') ready on port' "$out" 2>/dev/null)" || c=0
    (( c >= n )) && return 0
    kill -0 "$CLUSTER_PID" 2>/dev/null || die "the cluster exited: see $out"
    sleep 0.5
  done
  die "$n workers not ready after 120 s: see $out"
}
stop_cluster() {
  [[ -n "$CLUSTER_PID" ]] || return 0
  kill -TERM "$CLUSTER_PID" 2>/dev/null || true
  local i; for i in $(seq 1 120); do kill -0 "$CLUSTER_PID" 2>/dev/null || break; sleep 0.5; done
  wait "$CLUSTER_PID" 2>/dev/null; CLUSTER_STATUS=$?
  # app_jar DIR: compiles bench/cluster/Plaintext.java into DIR/plaintext.jar (Main-Class Plaintext) and
# prints its path. Workers start from a jar in well under a second; App.java in source mode spends
# seconds in javac first, which would dominate restart and reload times.
CLUSTER_PID=""
}
cluster_cmd() { "$ROOT/eventide" cluster "$@" --name="$CLUSTER_NAME"; }

# wrk output -> "rps p99_ms socket_errors non2xx"
wrk_summary() {
  awk '
    /Requests\/sec:/ { rps=$2 }
    /^ +99%/ { v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
               p99 = (u=="us") ? v/1000 : (u=="s") ? v*1000 : (u=="m") ? v*60000 : v }
    /Socket errors:/ { gsub(/,/, ""); err=$4+$6+$8+$10 }
    /Non-2xx or 3xx responses:/ { non2xx=$5 }
    END { printf "%s %s %d %d\n", rps+0, p99+0, err+0, non2xx+0 }'
}
