# shellcheck shell=bash
# Shared by bench/setup.sh, bench/http/run.sh, bench/http/profile.sh, bench/tcp/run.sh and others
# (sourced, not run).

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

# The JVM flags that select Eventide's native epoll transport (eventide-core, FFM): the server name
# `eventide-native` in bench/http/run.sh and bench/tcp/run.sh, `--native` in bench/http/profile.sh.
# Class path, so ALL-UNNAMED. An eventide-core without that transport ignores the property (NIO).
# shellcheck disable=SC2034 # used by the scripts that source this file
BENCH_NATIVE_OPTS=(-Deventide.core.transport=epoll --enable-native-access=ALL-UNNAMED)

# Which transport an Eventide JVM's loop thread runs on, read from a thread dump (jcmd), so that a
# run of `eventide-native` that fell back to (or silently stayed on) NIO is told, not measured as
# native: prints "nio" when the idle loop thread waits in the JDK's Selector, "native" when it waits
# elsewhere (then the frame it waits in follows after a tab), "unknown" when no dump or no loop
# thread could be read. Call it while the server is idle (its loop is then in its poll).
bench_loop_transport() { # pid jdk-home [cpu-for-jcmd]
  local pid="$1" jcmd="$2/bin/jcmd" cpu="${3:-}" dump stack frame
  local pin=(); [[ -n "$cpu" ]] && pin=(taskset -c "$cpu")
  [[ -x "$jcmd" ]] || { echo unknown; return 0; }
  dump="$(timeout 30 "${pin[@]}" "$jcmd" "$pid" Thread.print 2>/dev/null)" || { echo unknown; return 0; }
  stack="$(awk '/^"eventide-loop/ { p = 1 } p && /^$/ { exit } p' <<<"$dump")"
  [[ -n "$stack" ]] || { echo unknown; return 0; }
  if grep -q 'sun\.nio\.ch\.[A-Za-z]*SelectorImpl' <<<"$stack"; then
    echo nio
  else
    frame="$(grep -m1 '^[[:space:]]*at ' <<<"$stack" | sed 's/^[[:space:]]*at //')"
    printf 'native\t%s\n' "${frame:-?}"
  fi
}
