#!/usr/bin/env bash
# USAGE: fuzz/run.sh <target|all> <minutes>
#
# Runs Eventide's Jazzer fuzz targets (docs/fuzzing.md) for <minutes> each, FUZZ_JOBS at a time
# (default 1: one after the other), and prints per target: executions, coverage (edges and
# features, libFuzzer's cov/ft) and findings. FUZZ_SKIP_BUILD=1 skips the build. Exits non-zero
# if any target found a failing input; its reproducer (crash-*, and a Java reproducer) is left in
# <module>/target/fuzz/<Target>/, its log in fuzz.log beside it.
# The corpus grows in <module>/target/fuzz/<Target>/corpus; seeds come from
# <module>/src/test/resources/fuzz/<Target>/ (copy a minimised crash input there as a regression
# seed once it is fixed).
#
# Targets: RequestHeadFuzzer ChunkedFuzzer ResponseHeadFuzzer RequestStreamFuzzer
#          ResponseStreamFuzzer MultipartFuzzer FrameFuzzer DeflateFuzzer SseFuzzer (eventide-http),
#          DnsFuzzer (eventide-core), BackendFuzzer (eventide-pg).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

declare -A MODULE=(
  [RequestHeadFuzzer]=eventide-http:io.eventide.http.internal.codec.RequestHeadFuzzer
  [ChunkedFuzzer]=eventide-http:io.eventide.http.internal.codec.ChunkedFuzzer
  [ResponseHeadFuzzer]=eventide-http:io.eventide.http.internal.codec.ResponseHeadFuzzer
  [RequestStreamFuzzer]=eventide-http:io.eventide.http.internal.server.RequestStreamFuzzer
  [ResponseStreamFuzzer]=eventide-http:io.eventide.http.internal.client.ResponseStreamFuzzer
  [MultipartFuzzer]=eventide-http:io.eventide.http.MultipartFuzzer
  [FrameFuzzer]=eventide-http:io.eventide.http.websocket.FrameFuzzer
  [DeflateFuzzer]=eventide-http:io.eventide.http.websocket.DeflateFuzzer
  [SseFuzzer]=eventide-http:io.eventide.http.sse.SseFuzzer
  [DnsFuzzer]=eventide-core:io.eventide.core.dns.DnsFuzzer
  [BackendFuzzer]=eventide-pg:io.eventide.pg.internal.BackendFuzzer
)
ORDER=(RequestHeadFuzzer ChunkedFuzzer ResponseHeadFuzzer RequestStreamFuzzer ResponseStreamFuzzer
       MultipartFuzzer FrameFuzzer DeflateFuzzer SseFuzzer DnsFuzzer BackendFuzzer)

usage() { sed -n '2,/^set /p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
[[ $# -eq 2 && "$2" =~ ^[0-9]+$ && "$2" -gt 0 ]] || usage
if [[ "$1" == all ]]; then targets=("${ORDER[@]}"); else targets=("$1"); fi
for t in "${targets[@]}"; do [[ -n "${MODULE[$t]:-}" ]] || { echo "fuzz: unknown target $t" >&2; usage; }; done
seconds=$(( $2 * 60 ))

# A JDK >= 21: JAVA_HOME if it is one, else the newest under /usr/lib/jvm.
jdk_ok() { [[ -x "$1/bin/javac" ]] && (( $("$1/bin/java" -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java.specification.version = //p') >= 21 )); }
if [[ -z "${JAVA_HOME:-}" ]] || ! jdk_ok "$JAVA_HOME"; then
  JAVA_HOME=""
  for d in /usr/lib/jvm/*; do [[ -d "$d" && ! -L "$d" ]] && jdk_ok "$d" && JAVA_HOME="$d"; done
  [[ -n "$JAVA_HOME" ]] || { echo "fuzz: needs a JDK >= 21; set JAVA_HOME" >&2; exit 1; }
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"

modules=$(for t in "${targets[@]}"; do echo "${MODULE[$t]%%:*}"; done | sort -u | paste -sd,)
if [[ -z "${FUZZ_SKIP_BUILD:-}" ]]; then
  echo "fuzz: building $modules (tests compiled, not run)" >&2
  (cd "$ROOT" && mvn -q -pl "$modules" -am install -DskipTests) >&2
fi
declare -A CP=()
for m in ${modules//,/ }; do
  mkdir -p "$ROOT/$m/target/fuzz"
  (cd "$ROOT" && mvn -q -pl "$m" dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$ROOT/$m/target/fuzz/classpath.txt") >&2
  # Eventide's own modules from this tree, not from the local repository: other builds on the
  # machine may install theirs there (an empty test-jar, say) while a long run is going.
  cp="$ROOT/$m/target/test-classes:$ROOT/$m/target/classes"
  while IFS= read -r e || [[ -n "$e" ]]; do
    if [[ "$e" =~ /io/eventide/(eventide-[a-z-]+)/[^/]+/[^/]+-tests\.jar$ ]]; then
      e="$ROOT/${BASH_REMATCH[1]}/target/test-classes"
    elif [[ "$e" =~ /io/eventide/(eventide-[a-z-]+)/[^/]+/[^/]+\.jar$ ]]; then
      e="$ROOT/${BASH_REMATCH[1]}/target/classes"
    fi
    cp+=":$e"
  done < <(tr ':' '\n' < "$ROOT/$m/target/fuzz/classpath.txt")
  CP[$m]="$cp"
done

# One child JVM per target (it starts Jazzer's own), FUZZ_JOBS of them at a time (default 1).
jobs_max="${FUZZ_JOBS:-1}"
echo "fuzz: ${#targets[@]} target(s), $2 min each, $jobs_max at a time" >&2
for t in "${targets[@]}"; do
  m="${MODULE[$t]%%:*}"
  while (( $(jobs -rp | wc -l) >= jobs_max )); do wait -n || true; done
  (cd "$ROOT/$m" && "$JAVA_HOME/bin/java" -cp "${CP[$m]}" io.eventide.core.testing.Fuzzing "$seconds" \
    "${MODULE[$t]#*:}" > "$ROOT/$m/target/fuzz/$t.out" 2>&1; grep '^FUZZ ' "$ROOT/$m/target/fuzz/$t.out" | tail -1) &
done
wait

status=0
echo
echo "target (time)                                       executions / coverage / findings"
for t in "${targets[@]}"; do
  out="$ROOT/${MODULE[$t]%%:*}/target/fuzz/$t.out"
  line="$(grep '^FUZZ ' "$out" | tail -1 || true)"
  if [[ -z "$line" ]]; then
    echo "FUZZ $t: no result; see $out"; status=1
  else
    echo "$line"
    [[ "$line" == *"findings=0" ]] || { status=1; echo "     finding: $ROOT/${MODULE[$t]%%:*}/target/fuzz/$t/ (fuzz.log, crash-*, Crash_*.java)"; }
  fi
done
exit $status
