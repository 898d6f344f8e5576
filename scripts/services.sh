#!/usr/bin/env bash
# Provisions the local backing services, idempotently, and writes .local/services.env.
#
#   Redis    Debian's redis-server (apt-get install when missing), maxmemory-policy noeviction, AOF.
#   MongoDB  FerretDB v1 (MongoDB wire protocol) on PostgreSQL from Debian, FerretDB built once
#            with the machine's Go from the Go module proxy and cached in .local/bin.
#            (Why PostgreSQL and not FerretDB's SQLite backend: see README, "Local services".)
#
# A service given from outside (MONGODB_URI / REDIS_URL already set) is used as it is.
# Usage: bash scripts/services.sh [start|stop|status]   (default: start)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
FERRETDB_VERSION="${FERRETDB_VERSION:-v1.24.2}"
REDIS_PORT="${TX_REDIS_PORT:-6379}"
MONGO_PORT="${TX_MONGO_PORT:-27017}"
PG_PORT="${TX_PG_PORT:-55432}"
# As root the cluster runs as the `postgres` account, which may not be able to traverse the
# checkout's parents (e.g. /root): keep it under /var/tmp then, one per checkout.
if [ "$(id -u)" = 0 ]; then
  PG_DIR="${TX_PG_DIR:-/var/tmp/tongxin-pg-$(printf '%s' "$ROOT" | md5sum | cut -c1-8)}"
else
  PG_DIR="${TX_PG_DIR:-$LOCAL/pg}"
fi
mkdir -p "$LOCAL/bin" "$LOCAL/logs"

log() { printf '[services] %s\n' "$*" >&2; }
now_ms() { date +%s%3N; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # port seconds name
  local deadline=$(( $(date +%s) + $2 ))
  until port_open "$1"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then log "$3 did not open port $1 within $2 s"; return 1; fi
    sleep 0.1
  done
}

apt_install() {
  log "installing $* with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq "$@" >"$LOCAL/logs/apt.log" 2>&1; then
    apt-get update -qq >>"$LOCAL/logs/apt.log" 2>&1
    apt-get install -y -qq "$@" >>"$LOCAL/logs/apt.log" 2>&1 || { cat "$LOCAL/logs/apt.log" >&2; return 1; }
  fi
}

start_redis() {
  if [ -n "${REDIS_URL:-}" ]; then log "redis: using REDIS_URL from the environment"; return; fi
  local t0; t0=$(now_ms)
  command -v redis-server >/dev/null || apt_install redis-server
  # Debian's package may start its own server on 6379; we never rely on it being configured right.
  if port_open "$REDIS_PORT"; then
    log "redis: something already listens on $REDIS_PORT; making sure it never evicts"
    redis-cli -p "$REDIS_PORT" CONFIG SET maxmemory-policy noeviction >/dev/null
  else
    mkdir -p "$LOCAL/redis"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes \
      --dir "$LOCAL/redis" --pidfile "$LOCAL/redis/redis.pid" --logfile "$LOCAL/logs/redis.log" \
      --maxmemory-policy noeviction --appendonly yes --save '' >/dev/null
    wait_port "$REDIS_PORT" 20 redis
  fi
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
  log "redis: up on $REDIS_URL in $(( $(now_ms) - t0 )) ms"
}

build_ferretdb() {
  FERRETDB_BIN="$LOCAL/bin/ferretdb-$FERRETDB_VERSION"
  if [ -x "$FERRETDB_BIN" ]; then return; fi
  command -v go >/dev/null || { log "Go is needed to build FerretDB and was not found"; exit 1; }
  local t0; t0=$(now_ms)
  log "ferretdb: building $FERRETDB_VERSION from the Go module proxy (once; cached in .local/bin)"
  local dir
  dir=$(cd "$LOCAL" && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" 2>>"$LOCAL/logs/ferretdb-build.log" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { log "ferretdb: go mod download failed"; exit 1; }
  # Build inside a writable copy of the module: its own go.mod (with its replace directives) then
  # applies, and build/version/version.txt — which release builds generate — can be written; the
  # binary panics at start without it.
  local src="$LOCAL/build/ferretdb-$FERRETDB_VERSION"
  rm -rf "$src" && mkdir -p "$(dirname "$src")" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  (cd "$src" && CGO_ENABLED=0 GOFLAGS= go build -trimpath -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb) \
    >"$LOCAL/logs/ferretdb-build.log" 2>&1 || { tail -40 "$LOCAL/logs/ferretdb-build.log" >&2; exit 1; }
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  rm -rf "$src"
  log "ferretdb: built in $(( $(now_ms) - t0 )) ms"
}

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && echo "$dir"
}

# initdb and postgres refuse to run as root: as root, run them as the `postgres` account the
# Debian package creates.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  local t0; t0=$(now_ms)
  [ -n "$(pg_bin)" ] || apt_install postgresql
  local bin; bin=$(pg_bin)
  local data="$PG_DIR/data" run="$PG_DIR/run"
  mkdir -p "$PG_DIR" "$run"
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR" "$run"; fi
  # A cluster already answering on the port (another checkout's, or ours) is used as it is.
  if ! port_open "$PG_PORT" && [ ! -f "$data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$LOCAL/logs/initdb.log" 2>&1 \
      || { cat "$LOCAL/logs/initdb.log" >&2; exit 1; }
  fi
  if ! port_open "$PG_PORT"; then
    # Tuned for a disposable local/test database: durability is traded for speed (fsync off);
    # production uses real MongoDB (docker compose), not this.
    as_pg "$bin/pg_ctl" -D "$data" -l "$PG_DIR/postgres.log" -w -t 60 start \
      -o "-p $PG_PORT -k $run -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB" >/dev/null \
      || { tail -20 "$PG_DIR/postgres.log" >&2; exit 1; }
  fi
  as_pg "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='ferretdb'" | grep -q 1 \
    || as_pg "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres ferretdb
  # Indexes FerretDB v1's equality pushdown can use (see the SQL file); template1 too, so databases
  # created later (a fault test's own FerretDB) have them.
  local db
  for db in template1 ferretdb; do
    PGOPTIONS='-c client_min_messages=warning' as_pg "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" \
      -q -v ON_ERROR_STOP=1 -f - <"$ROOT/scripts/sql/ferretdb-equality-indexes.sql" >>"$LOCAL/logs/postgres-setup.log" 2>&1 \
      || { tail -20 "$LOCAL/logs/postgres-setup.log" >&2; exit 1; }
  done
  log "postgresql: up on 127.0.0.1:$PG_PORT in $(( $(now_ms) - t0 )) ms"
}

start_ferretdb() {
  if [ -n "${MONGODB_URI:-}" ]; then log "mongodb: using MONGODB_URI from the environment"; return; fi
  local t0; t0=$(now_ms)
  build_ferretdb
  start_postgres
  if port_open "$MONGO_PORT"; then
    log "ferretdb: already listening on $MONGO_PORT"
  else
    mkdir -p "$LOCAL/ferretdb/state"
    nohup "$FERRETDB_BIN" --handler=postgresql \
      --postgresql-url="postgres://postgres@127.0.0.1:$PG_PORT/ferretdb" \
      --state-dir="$LOCAL/ferretdb/state" --listen-addr="127.0.0.1:$MONGO_PORT" \
      --telemetry=disable --log-level=warn --debug-addr=- \
      >>"$LOCAL/logs/ferretdb.log" 2>&1 &
    echo $! >"$LOCAL/ferretdb/ferretdb.pid"
    wait_port "$MONGO_PORT" 30 ferretdb || { tail -20 "$LOCAL/logs/ferretdb.log" >&2; exit 1; }
  fi
  MONGODB_URI="mongodb://127.0.0.1:$MONGO_PORT/tongxin"
  log "ferretdb: up on $MONGODB_URI (postgresql backend) in $(( $(now_ms) - t0 )) ms"
}

stop_pid() { # pidfile name
  [ -f "$1" ] || return 0
  local pid; pid=$(cat "$1")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$1"
  log "$2: stopped"
}

stop_all() {
  stop_pid "$LOCAL/ferretdb/ferretdb.pid" ferretdb
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    log "postgresql: stopped"
  fi
  stop_pid "$LOCAL/redis/redis.pid" redis
}

case "${1:-start}" in
  start)
    T0=$(now_ms)
    start_redis
    start_ferretdb
    cat >"$LOCAL/services.env" <<EOF
export REDIS_URL="$REDIS_URL"
export MONGODB_URI="$MONGODB_URI"
EOF
    log "all services up in $(( $(now_ms) - T0 )) ms (source .local/services.env)"
    ;;
  stop) stop_all ;;
  status)
    port_open "$REDIS_PORT" && log "redis: up on $REDIS_PORT" || log "redis: down"
    port_open "$PG_PORT" && log "postgresql: up on $PG_PORT" || log "postgresql: down"
    port_open "$MONGO_PORT" && log "ferretdb: up on $MONGO_PORT" || log "ferretdb: down"
    ;;
  *) echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac
