# Shared by bench/setup.sh and bench/http/run.sh (sourced, not run).

# Prints the java home of a JDK >= 21: $JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
bench_find_jdk() {
  local d v best="" best_v=0
  for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [[ -n "$d" && -x "$d/bin/java" && -x "$d/bin/javac" && -f "$d/release" ]] || continue
    v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$d/release")"
    [[ -n "$v" ]] || continue
    if [[ "$d" == "${JAVA_HOME:-}" && "$v" -ge 21 ]]; then echo "$d"; return 0; fi
    if (( v > best_v )); then best="$d"; best_v=$v; fi
  done
  (( best_v >= 21 )) && echo "$best"
}
