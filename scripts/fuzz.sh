#!/usr/bin/env bash
# `npm run fuzz [-- --budget SECONDS]`: the API fuzz run of scripts/fuzz.ts (default 15 min; `npm test`
# runs it with --budget 200). Provisions the fuzzer's venv and, unless MONGODB_URI is already set,
# the local services.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/fuzz-env.sh
if [ -z "${MONGODB_URI:-}" ]; then
  bash scripts/services.sh start
  # shellcheck disable=SC1091
  source .local/services.env
fi
NODE_ENV=test exec npx tsx scripts/fuzz.ts "$@"
