#!/usr/bin/env bash
# Installs and builds what the benchmarks in bench/ need; safe to run again (does only what is missing).
#   wrk       apt-get install wrk
#   node      present on the machine, else apt-get install nodejs
#   Eventide  ./eventide build
#   Netty     bench/netty (standalone Maven project) -> bench/netty/target/netty-hello.jar
#             (bench.NettyHello for bench/http, bench.NettyEcho for bench/tcp)
# Then: bench/http/run.sh
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=http/lib.sh
source "$ROOT/bench/http/lib.sh"
failed=()
say() { echo "setup: $*" >&2; }

apt_install() { # package
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { say "cannot install $1: not root and no sudo"; return 1; }
    sudo=(sudo)
  fi
  command -v apt-get >/dev/null 2>&1 || { say "cannot install $1: no apt-get on this machine; install it by hand"; return 1; }
  say "installing $1 (apt-get install -y $1)"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$1" >/dev/null 2>&1 && return 0
  say "apt-get install $1 failed; running apt-get update and retrying"
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null 2>&1 || say "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$1" >/dev/null 2>&1 && return 0
  say "could not install $1 with apt-get"
  return 1
}

# --- wrk -------------------------------------------------------------------------------------
if command -v wrk >/dev/null 2>&1; then
  say "wrk: $(wrk -v 2>&1 | head -1 | cut -c1-60)"
elif apt_install wrk && command -v wrk >/dev/null 2>&1; then
  say "wrk installed: $(wrk -v 2>&1 | head -1 | cut -c1-60)"
else
  failed+=("wrk (the load generator; install the 'wrk' package or build github wrk and put it on PATH)")
fi

# --- node ------------------------------------------------------------------------------------
if command -v node >/dev/null 2>&1; then
  say "node: $(node --version)"
elif apt_install nodejs && command -v node >/dev/null 2>&1; then
  say "node installed: $(node --version)"
else
  failed+=("node (Node.js, the comparison server and the connection holder)")
fi

# --- taskset, curl -----------------------------------------------------------------------------
command -v taskset >/dev/null 2>&1 || apt_install util-linux || failed+=("taskset (util-linux)")
command -v curl >/dev/null 2>&1 || apt_install curl || failed+=("curl")

# --- JDK and Maven ---------------------------------------------------------------------------
JDK="$(bench_find_jdk)"
if [[ -z "$JDK" ]]; then
  failed+=("a JDK >= 21 (set JAVA_HOME; for example a Temurin JDK under /usr/lib/jvm)")
else
  say "JDK: $JDK"
  export JAVA_HOME="$JDK" PATH="$JDK/bin:$PATH"
  if [[ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JDK/release")" -ge 24 ]]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
fi
command -v mvn >/dev/null 2>&1 || apt_install maven || failed+=("maven (Apache Maven >= 3.8, to build Eventide and bench/netty)")

# --- Eventide --------------------------------------------------------------------------------
if [[ -n "$JDK" ]] && command -v mvn >/dev/null 2>&1; then
  say "building Eventide (./eventide build)"
  if (cd "$ROOT" && ./eventide build); then
    say "Eventide: built"
  elif ls "$ROOT"/eventide-*/target/eventide-*-SNAPSHOT.jar >/dev/null 2>&1; then
    say "warning: ./eventide build failed; bench/http/run.sh will use the jars built before"
  else
    failed+=("Eventide (./eventide build failed and no jars were built before)")
  fi

  # --- Netty hello server --------------------------------------------------------------------
  NETTY="$ROOT/bench/netty"
  JAR="$NETTY/target/netty-hello.jar"
  if [[ -f "$JAR" && -z "$(find "$NETTY/pom.xml" "$NETTY/src" -newer "$JAR" -print -quit)" ]]; then
    say "Netty server: up to date ($JAR)"
  else
    say "building the Netty server (mvn -f bench/netty/pom.xml package)"
    if (cd "$NETTY" && mvn -B -ntp -q -Dstyle.color=never package); then
      say "Netty server: $JAR"
    else
      failed+=("the Netty server in bench/netty (Maven build failed; Maven Central must be reachable)")
    fi
  fi
fi

if (( ${#failed[@]} )); then
  say "NOT READY, could not set up:"
  for f in "${failed[@]}"; do say "  - $f"; done
  exit 1
fi
say "ready: run bench/http/run.sh (or --quick)"
