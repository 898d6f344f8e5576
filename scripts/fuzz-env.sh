#!/usr/bin/env bash
# Provisions the API fuzzer: a Python virtual environment under .local/fuzz-venv with an exactly
# pinned schemathesis (PyPI). Idempotent: does nothing when the pinned version is already there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SCHEMATHESIS_VERSION=4.32.5
VENV=.local/fuzz-venv
PY=${PYTHON:-$(command -v python3.11 || command -v python3)}
if [ -x "$VENV/bin/st" ] && [ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null)" = "$SCHEMATHESIS_VERSION" ]; then
  exit 0
fi
echo "[fuzz-env] schemathesis==$SCHEMATHESIS_VERSION into $VENV ($("$PY" --version))" >&2
mkdir -p .local
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
"$VENV/bin/st" --version >&2
