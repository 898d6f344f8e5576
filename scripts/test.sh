#!/usr/bin/env bash
# `npm test`: install, provision services, the test browser and the fuzzer, lint, typecheck, the API
# fuzz run, then every test (unit, integration, the browser scenarios in e2e, which build the console
# themselves, and last the leak scan over what the fuzz run and the integration tests captured), and
# the fault scenarios.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
T0=$(date +%s)
bash scripts/ensure-deps.sh
TX_MONGO_STORE=memory bash scripts/services.sh start
bash scripts/browser.sh
bash scripts/fuzz-env.sh
# shellcheck disable=SC1091
source .local/services.env
export NODE_ENV=test

echo "[test] lint (biome)"
npx biome check .
echo "[test] typecheck (tsc --noEmit: server and tests, then the console)"
npx tsc --noEmit
npx tsc --noEmit -p web

mkdir -p artifacts
# Test apps append employer responses, log lines, index documents and job payloads here; the leak
# scan (vitest project `leaks`, last) reads them after the fuzz run and the integration tests.
export TONGXIN_CAPTURE_DIR="$PWD/artifacts/capture"
rm -rf "$TONGXIN_CAPTURE_DIR" artifacts/fuzz
status=0
echo "[test] fuzz: schemathesis against the live /openapi.json, anonymous and each role (~200 s)"
npx tsx scripts/fuzz.ts --budget "${FUZZ_BUDGET:-200}" --out artifacts/fuzz || status=$?

echo "[test] vitest: unit + integration + e2e, then the leak scan"
npx vitest run --reporter=default --reporter=json --outputFile.json=artifacts/vitest.json "$@" || status=$?

# The fault scenarios (Redis, the search engine, the worker and the MongoDB-compatible server stopped; ~5 min), whenever
# the whole suite runs (not when `npm test -- <file>` names files).
rm -f artifacts/faults.json
if [ "$#" -eq 0 ]; then
  echo "[test] faults: Redis, search engine, worker and MongoDB-compatible server stopped under load"
  npx vitest run --config vitest.faults.config.ts --reporter=default --reporter=json \
    --outputFile.json=artifacts/faults.json || status=$?
fi

echo "[test] done in $(( $(date +%s) - T0 )) s"

# The failures, one a line, then one plain closing line that CI reads in any language: vitest's
# tests, the fault scenarios, and the fuzz run's operation × identity cases (a failed fuzz case or a
# fuzzer error counts as failed). The tally must be the very last line printed.
node scripts/test-tally.mjs || true
exit $status
