#!/usr/bin/env bash
# Provisions what the browser tests need, idempotently: Debian's chromium (browser downloads by
# test tools fail on these machines, so Playwright drives the system browser) and a small CJK font
# so pages and screenshots show Chinese text rather than empty boxes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p .local/logs
log() { printf '[browser] %s\n' "$*" >&2; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

log "installing ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
if ! $SUDO apt-get install -y -qq "${missing[@]}" >.local/logs/apt-browser.log 2>&1; then
  $SUDO apt-get update -qq >>.local/logs/apt-browser.log 2>&1
  $SUDO apt-get install -y -qq "${missing[@]}" >>.local/logs/apt-browser.log 2>&1 \
    || { cat .local/logs/apt-browser.log >&2; exit 1; }
fi
/usr/bin/chromium --version >&2
