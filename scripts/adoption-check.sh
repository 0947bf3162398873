#!/usr/bin/env bash
# What a team trying Eventide does first, checked end to end from a FRESH CLONE and an EMPTY Maven
# repository (Maven downloads everything from Maven Central, as on a new machine):
#
#   1. ./eventide run examples/Hello.java serves; the artifacts Maven downloaded for it include
#      none of the lab's servers (Jetty, Helidon, Vert.x, Netty). The list is written to
#      $OUT/run-downloads.txt (docs/library.md shows it).
#   2. ./eventide install (the one documented command) installs the modules, the BOM, sources and
#      javadoc jars.
#   3. The minimal project of docs/library.md, taken verbatim from the guide, builds against them
#      with `mvn compile exec:java` and serves its route.
#
# Usage: scripts/adoption-check.sh [OUT_DIR]     (default: target/adoption)
# Needs git, curl, Maven and network access to Maven Central; takes a few minutes (two builds and
# the downloads). Not part of ./eventide test for that reason. Exit status 0 when every step passed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$(mkdir -p "${1:-$ROOT/target/adoption}" && cd "${1:-$ROOT/target/adoption}" && pwd)"
TMP="$(mktemp -d -t eventide-adoption.XXXXXX)"
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]+"${PIDS[@]}"}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

step() { echo; echo "== $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

# Every Maven run below (the launcher's too) uses this empty repository instead of ~/.m2.
REPO="$TMP/m2"
export MAVEN_OPTS="${MAVEN_OPTS:-} -Dmaven.repo.local=$REPO"
export PORT=0 HOST=127.0.0.1
unset EVENTIDE_JAVA_OPTS

# wait_listening LOG PID: prints the port once the process says "listening on http://127.0.0.1:<port>"
# (gives up after 10 minutes, or at once when the process exits).
wait_listening() {
  local log="$1" pid="$2" line i
  for ((i = 0; i < 3000; i++)); do
    line="$(grep -m1 -o 'listening on http://127\.0\.0\.1:[0-9]*' "$log" 2>/dev/null || true)"
    if [[ -n "$line" ]]; then echo "${line##*:}"; return; fi
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "process $pid exited before listening (log above)"; }
    sleep 0.2
  done
  cat "$log" >&2; fail "process $pid never said it was listening (log above)"
}

stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

started=$SECONDS
step "fresh clone of $(git -C "$ROOT" rev-parse --short HEAD) into $TMP/src, empty Maven repository $REPO"
git clone -q --no-hardlinks "$ROOT" "$TMP/src"
cd "$TMP/src"

step "1. ./eventide run examples/Hello.java"
t=$SECONDS
./eventide run examples/Hello.java >"$TMP/run.log" 2>&1 &
pid=$!; PIDS+=("$pid")
port="$(wait_listening "$TMP/run.log" "$pid")"
body="$(curl -fsS "http://127.0.0.1:$port/")"
[[ "$body" == "Hello from "* ]] || fail "GET / answered '$body'"
echo "GET / -> $body"
stop "$pid"
echo "(built and served in $((SECONDS - t)) s)"

# groupId:artifactId:version of every jar Maven downloaded (Maven's own plugins included).
find "$REPO" -name '*.jar' ! -name '*-sources.jar' ! -name '*-javadoc.jar' -printf '%h\n' | sort -u \
  | sed "s|^$REPO/||" | awk -F/ '{v=$NF; a=$(NF-1); g=$1; for (i=2; i<NF-1; i++) g=g"."$i; print g":"a":"v}' \
  >"$OUT/run-downloads.txt"
# The app's own class path: what the runtime modules bring (written by the build).
for f in eventide-*/target/classpath.txt; do tr ':' '\n' <"$f"; echo; done | grep . | sed "s|^$REPO/||" \
  | awk -F/ '{v=$(NF-1); a=$(NF-2); g=$1; for (i=2; i<NF-2; i++) g=g"."$i; print g":"a":"v}' | sort -u \
  >"$OUT/run-classpath.txt"
echo "downloaded: $(wc -l <"$OUT/run-downloads.txt") artifacts ($OUT/run-downloads.txt);" \
     "on the app's class path: $(wc -l <"$OUT/run-classpath.txt") ($OUT/run-classpath.txt)"
if grep -E '^(org\.eclipse\.jetty|io\.helidon|io\.vertx|io\.netty)[.:]' "$OUT/run-downloads.txt"; then
  fail "./eventide run downloaded a lab dependency (above)"
fi
[[ ! -e eventide-lab/target ]] || fail "./eventide run built the lab"
echo "no Jetty, Helidon, Vert.x or Netty among them; the lab was not built"

step "2. ./eventide install"
t=$SECONDS
./eventide install >"$TMP/install.log" 2>&1 || { cat "$TMP/install.log" >&2; fail "./eventide install"; }
for f in eventide-bom/0.1.0-SNAPSHOT/eventide-bom-0.1.0-SNAPSHOT.pom \
         eventide-http/0.1.0-SNAPSHOT/eventide-http-0.1.0-SNAPSHOT.jar \
         eventide-http/0.1.0-SNAPSHOT/eventide-http-0.1.0-SNAPSHOT-sources.jar \
         eventide-http/0.1.0-SNAPSHOT/eventide-http-0.1.0-SNAPSHOT-javadoc.jar; do
  [[ -f "$REPO/io/eventide/$f" ]] || fail "not installed: io/eventide/$f"
done
[[ ! -e "$REPO/io/eventide/eventide-lab" ]] || fail "the lab was installed"
echo "installed: $(ls "$REPO/io/eventide" | tr '\n' ' ')(in $((SECONDS - t)) s)"

step "3. the minimal project of docs/library.md"
t=$SECONDS
APP="$TMP/hello-eventide"
mkdir -p "$APP/src/main/java/com/example"
# The guide's first ```xml block is the pom, its first ```java block the app: verbatim.
awk '/^```xml$/{f=1; next} /^```$/{if (f) exit} f' docs/library.md >"$APP/pom.xml"
awk '/^```java$/{f=1; next} /^```$/{if (f) exit} f' docs/library.md >"$APP/src/main/java/com/example/App.java"
[[ -s "$APP/pom.xml" && -s "$APP/src/main/java/com/example/App.java" ]] || fail "docs/library.md lost its xml or java block"
(cd "$APP" && exec mvn -B -ntp -q compile exec:java) >"$TMP/app.log" 2>&1 &
pid=$!; PIDS+=("$pid")
port="$(wait_listening "$TMP/app.log" "$pid")"
body="$(curl -fsS "http://127.0.0.1:$port/hello/adopter")"
[[ "$body" == "Hello, adopter!" ]] || fail "GET /hello/adopter answered '$body'"
echo "GET /hello/adopter -> $body (built and served in $((SECONDS - t)) s)"
stop "$pid"

step "passed in $((SECONDS - started)) s"
