#!/usr/bin/env bash
# Prepares bench/pg/run.sh: the TechEmpower tables in database $PGDATABASE (default eventide_bench)
# on the local PostgreSQL (started, or installed with apt-get, when it is not running), Eventide
# built, and the peers (vertx-pg-client and pgjdbc + HikariCP, bench/pg/peers: a standalone Maven
# project, never on a user's class path) packaged into bench/pg/peers/target/pg-peers.jar.
#   bench/pg/setup.sh [--tables-only]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/pg"
# shellcheck source=../http/lib.sh
source "$ROOT/bench/http/lib.sh"
say() { echo "pg setup: $*" >&2; }
DB="${PGDATABASE:-eventide_bench}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"

if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    say "installing PostgreSQL (apt-get install postgresql)"
    (apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql) >/dev/null
  fi
  say "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
fi
pg_isready -q -h "$PGHOST" -p "$PGPORT" || { say "PostgreSQL does not answer on $PGHOST:$PGPORT"; exit 1; }
if [[ "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]]; then
  psql -q -d postgres -c "CREATE DATABASE $DB"
fi
psql -q -d "$DB" -v ON_ERROR_STOP=1 -f "$HERE/setup.sql" >/dev/null 2>&1
say "tables ready in $DB: $(psql -d "$DB" -tAc 'SELECT count(*) FROM world') worlds, $(psql -d "$DB" -tAc 'SELECT count(*) FROM fortune') fortunes"
[[ "${1:-}" == --tables-only ]] && exit 0

JDK="$(bench_find_jdk)" || { say "no JDK >= 21"; exit 1; }
export JAVA_HOME="$JDK" PATH="$JDK/bin:$PATH"
[[ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JDK/release")" -ge 24 ]] && export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
(cd "$ROOT" && ./eventide build) >&2
JAR="$HERE/peers/target/pg-peers.jar"
if [[ -f "$JAR" && -z "$(find "$HERE/peers/pom.xml" "$HERE/peers/src" -newer "$JAR" -print -quit)" ]]; then
  say "peers up to date ($JAR)"
else
  say "building the peers (mvn -f bench/pg/peers/pom.xml package)"
  (cd "$HERE/peers" && mvn -B -ntp -q -Dstyle.color=never package) >&2
fi
say "ready: bench/pg/run.sh [--quick]"
