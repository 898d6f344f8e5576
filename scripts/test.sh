#!/usr/bin/env bash
# `npm test`: install, provision services and the test browser, lint, typecheck, then every test
# (unit, integration, and the browser scenarios in e2e, which build the console themselves).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
T0=$(date +%s)
bash scripts/ensure-deps.sh
bash scripts/services.sh start
bash scripts/browser.sh
# shellcheck disable=SC1091
source .local/services.env
export NODE_ENV=test

echo "[test] lint (biome)"
npx biome check .
echo "[test] typecheck (tsc --noEmit: server and tests, then the console)"
npx tsc --noEmit
npx tsc --noEmit -p web

mkdir -p artifacts
echo "[test] vitest: unit + integration + e2e"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=artifacts/vitest.json "$@" || status=$?

# One plain closing line that CI reads in any language.
node -e '
  const r = JSON.parse(require("fs").readFileSync("artifacts/vitest.json", "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
echo "[test] done in $(( $(date +%s) - T0 )) s"
exit $status
