#!/usr/bin/env bash
# Provisions the local backing services, idempotently, and writes .local/services.env.
#
#   Redis    Debian's redis-server (apt-get install when missing), maxmemory-policy noeviction, AOF.
#   MongoDB  mongo-java-server (MongoDB wire protocol; Java and Maven from Debian, the library from
#            Maven Central) started by our launcher scripts/local-mongo/LocalMongo.java.
#            (Why this and not FerretDB, and what it does not do: see README, "Local services".)
#
# A service given from outside (MONGODB_URI / REDIS_URL already set) is used as it is.
# Usage: bash scripts/services.sh [start|stop|status]   (default: start)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
REDIS_PORT="${TX_REDIS_PORT:-6379}"
MONGO_PORT="${TX_MONGO_PORT:-27017}"
mkdir -p "$LOCAL/mongo" "$LOCAL/logs"

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

# The substitute's dependencies from Maven Central (scripts/local-mongo/pom.xml, copied once into
# .local/mongo/lib) and our launcher compiled against them (again whenever its source changes).
build_local_mongo() {
  local dir="$LOCAL/mongo" src="$ROOT/scripts/local-mongo"
  command -v javac >/dev/null || apt_install openjdk-17-jdk-headless
  command -v mvn >/dev/null || apt_install maven
  local stamp; stamp=$(cat "$src/pom.xml" "$src/LocalMongo.java" | md5sum | cut -c1-12)
  if [ -f "$dir/classes/.stamp-$stamp" ]; then return; fi
  local t0; t0=$(now_ms)
  log "mongodb: fetching mongo-java-server from Maven Central and compiling the launcher (once; cached in .local/mongo)"
  rm -rf "$dir/lib" "$dir/classes" && mkdir -p "$dir/lib" "$dir/classes"
  mvn -q -B -f "$src/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$dir/lib" >"$LOCAL/logs/local-mongo-build.log" 2>&1 \
    || { tail -40 "$LOCAL/logs/local-mongo-build.log" >&2; exit 1; }
  javac -nowarn -d "$dir/classes" -cp "$dir/lib/*" "$src/LocalMongo.java" >>"$LOCAL/logs/local-mongo-build.log" 2>&1 \
    || { tail -40 "$LOCAL/logs/local-mongo-build.log" >&2; exit 1; }
  touch "$dir/classes/.stamp-$stamp"
  log "mongodb: built in $(( $(now_ms) - t0 )) ms"
}

# TX_MONGO_STORE=file (npm run up): the H2 file backend in .local/mongo/data, kept across restarts;
# TX_MONGO_STORE=memory (npm test): the memory backend, faster, gone when the server stops.
start_mongo() {
  if [ -n "${MONGODB_URI:-}" ]; then log "mongodb: using MONGODB_URI from the environment"; return; fi
  local t0; t0=$(now_ms)
  build_local_mongo
  local store="${TX_MONGO_STORE:-file}"
  if port_open "$MONGO_PORT"; then
    log "mongodb: already listening on $MONGO_PORT"
  else
    local args=(--port "$MONGO_PORT" --bind 127.0.0.1)
    if [ "$store" = file ]; then
      mkdir -p "$LOCAL/mongo/data"
      args+=(--file "$LOCAL/mongo/data/tongxin.mv")
    fi
    # The wire handler logs every failed command (a duplicate key, a `create` of an existing
    # collection) with a stack trace: normal traffic, so it is silenced.
    nohup java "-Xmx${TX_MONGO_HEAP:-6g}" -XX:+ExitOnOutOfMemoryError \
      -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
      -Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire.MongoWireProtocolHandler=off \
      -cp "$LOCAL/mongo/classes:$LOCAL/mongo/lib/*" LocalMongo "${args[@]}" \
      >>"$LOCAL/logs/local-mongo.log" 2>&1 &
    echo $! >"$LOCAL/mongo/mongo.pid"
    # Reopening a large H2 file takes a while (see README); the port opens once it is read.
    wait_port "$MONGO_PORT" 300 mongodb || { tail -20 "$LOCAL/logs/local-mongo.log" >&2; exit 1; }
  fi
  MONGODB_URI="mongodb://127.0.0.1:$MONGO_PORT/tongxin"
  log "mongodb: mongo-java-server up on $MONGODB_URI ($store) in $(( $(now_ms) - t0 )) ms"
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
  stop_pid "$LOCAL/mongo/mongo.pid" mongodb
  stop_pid "$LOCAL/redis/redis.pid" redis
}

case "${1:-start}" in
  start)
    T0=$(now_ms)
    start_redis
    start_mongo
    cat >"$LOCAL/services.env" <<EOF
export REDIS_URL="$REDIS_URL"
export MONGODB_URI="$MONGODB_URI"
EOF
    log "all services up in $(( $(now_ms) - T0 )) ms (source .local/services.env)"
    ;;
  stop) stop_all ;;
  status)
    port_open "$REDIS_PORT" && log "redis: up on $REDIS_PORT" || log "redis: down"
    port_open "$MONGO_PORT" && log "mongodb: up on $MONGO_PORT" || log "mongodb: down"
    ;;
  *) echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac
