#!/usr/bin/env bash
# `npm run up`: installs dependencies, provisions local services, builds the web console when
# stale, loads reference and demo data, starts the API and the worker, and prints where to open
# it. Ctrl-C stops API and worker (the services keep running; `npm run services -- stop` stops them).
# UP_DETACH=1 leaves API and worker running in the background and returns once ready.
# `npm run up -- --fresh` (or DEMO_FRESH=1) drops the database first and loads the demo again; a
# plain `npm run up` keeps what users changed (the demo story loads once, scripts/demo.ts).
set -euo pipefail
FRESH="${DEMO_FRESH:-0}"
for arg in "$@"; do
  case "$arg" in
    --fresh) FRESH=1 ;;
    *) echo "[up] unknown option $arg (known: --fresh)" >&2; exit 64 ;;
  esac
done
UP_T0=$(date +%s%N)
elapsed() { echo "$(( ($(date +%s%N) - UP_T0) / 100000000 ))" | sed -E 's/([0-9])$/.\1/; s/^\./0./'; }
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p .local/logs
bash scripts/ensure-deps.sh
bash scripts/services.sh start
# shellcheck disable=SC1091
source .local/services.env
export NODE_ENV="${NODE_ENV:-development}"
PORT="${PORT:-3000}"
export PORT

stop_pidfile() { [ -f "$1" ] && kill "$(cat "$1")" 2>/dev/null || true; rm -f "$1"; }
# A previous `npm run up` may still hold the port.
stop_pidfile .local/api.pid
stop_pidfile .local/worker.pid

# The console (dist/web): built when missing or older than any of its sources.
if [ ! -f dist/web/index.html ] || [ -n "$(find web package-lock.json -newer dist/web/index.html -type f -print -quit)" ]; then
  echo "[up] building the web console"
  npx vite build --config web/vite.config.ts --logLevel warn
fi

if [ "$FRESH" = 1 ]; then
  echo "[up] --fresh: dropping the database and loading the demo again"
  npx tsx scripts/demo.ts --drop >.local/logs/demo.json
fi
echo "[up] loading reference data and demo accounts"
npx tsx scripts/seed.ts --demo >.local/logs/seed.json

nohup node --import tsx src/server.ts >>.local/logs/api.log 2>&1 &
echo $! >.local/api.pid
nohup node --import tsx workers/main.ts >>.local/logs/worker.log 2>&1 &
echo $! >.local/worker.pid

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$(cat .local/api.pid)" 2>/dev/null; then echo "[up] the API exited; see .local/logs/api.log" >&2; tail -20 .local/logs/api.log >&2; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null || { echo "[up] API not ready; see .local/logs/api.log" >&2; exit 1; }
echo "[up] API ready after $(elapsed) s; loading the demo story (people, openings, the worker's suggestions, history)"

# The story needs the worker: its suggestions come first, then the history is driven through the
# services. A failure leaves API and worker running (the log says what went wrong).
if npx tsx scripts/demo.ts >>.local/logs/demo.json 2>>.local/logs/demo.err; then
  echo "[up] demo story ready after $(elapsed) s"
else
  echo "[up] the demo story did not load; see .local/logs/demo.err (API and worker keep running)" >&2
fi

node -e '
  const seed = JSON.parse(require("fs").readFileSync(".local/logs/seed.json", "utf8").trim().split("\n").pop());
  const port = process.env.PORT;
  console.log("");
  console.log("  同心 Tongxin is running");
  console.log(`  Console:   http://localhost:${port}/   (staff web console, 中文 / English)`);
  console.log(`  API docs:  http://localhost:${port}/docs   (OpenAPI: /openapi.json)`);
  console.log(`  Readiness: http://localhost:${port}/readyz`);
  if (seed.logins?.length) {
    console.log("  Demo logins (password for all shown beside each):");
    for (const l of seed.logins) console.log(`    ${l.role.padEnd(17)} ${l.username.padEnd(28)} ${l.password}   ${l.organization}`);
  }
  try {
    const demo = JSON.parse(require("fs").readFileSync(".local/logs/demo.json", "utf8").trim().split("\n").pop());
    if (demo.logins?.length) console.log(`  More employers in the demo story (same password): ${demo.logins.join(", ")}`);
  } catch {}
  console.log("  Logs: .local/logs/api.log, .local/logs/worker.log, .local/logs/demo.json");
  console.log("");
'

if [ "${UP_DETACH:-0}" = 1 ]; then exit 0; fi
trap 'stop_pidfile .local/api.pid; stop_pidfile .local/worker.pid; exit 0' INT TERM
echo "[up] Ctrl-C stops the API and the worker"
while kill -0 "$(cat .local/api.pid)" 2>/dev/null; do sleep 2; done
echo "[up] the API stopped; see .local/logs/api.log" >&2
stop_pidfile .local/worker.pid
exit 1
