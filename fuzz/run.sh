#!/usr/bin/env bash
# USAGE: fuzz/run.sh <target|all> <minutes>
#
# Runs Eventide's Jazzer fuzz targets (docs/fuzzing.md) for <minutes> each, one after the other,
# and prints per target: executions, coverage (edges and features, libFuzzer's cov/ft) and
# findings. Exits non-zero if any target found a failing input; its reproducer (crash-*, and a
# Java reproducer) is left in <module>/target/fuzz/<Target>/, its log in fuzz.log beside it.
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
echo "fuzz: building $modules (tests compiled, not run)" >&2
(cd "$ROOT" && mvn -q -pl "$modules" -am install -DskipTests) >&2

status=0
summary=()
for m in ${modules//,/ }; do
  classes=()
  for t in "${targets[@]}"; do [[ "${MODULE[$t]%%:*}" == "$m" ]] && classes+=("${MODULE[$t]#*:}"); done
  mkdir -p "$ROOT/$m/target/fuzz"
  (cd "$ROOT" && mvn -q -pl "$m" dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$ROOT/$m/target/fuzz/classpath.txt") >&2
  cp="$ROOT/$m/target/test-classes:$ROOT/$m/target/classes:$(cat "$ROOT/$m/target/fuzz/classpath.txt")"
  echo "fuzz: $m: ${#classes[@]} target(s), $2 min each" >&2
  out="$ROOT/$m/target/fuzz/run.out"
  (cd "$ROOT/$m" && "$JAVA_HOME/bin/java" -cp "$cp" io.eventide.core.testing.Fuzzing "$seconds" "${classes[@]}") \
    | tee "$out" || status=1
  while IFS= read -r line; do summary+=("$line"); done < <(sed -n '/^---$/,$p' "$out" | grep '^FUZZ ')
done
echo
echo "target                                    time  executions / coverage / findings"
printf '%s\n' "${summary[@]}"
exit $status
