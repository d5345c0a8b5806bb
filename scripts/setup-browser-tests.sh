#!/usr/bin/env bash
# Install what the browser tests inject into pages: axe-core (tests/browser/node).
#
#   bash scripts/setup-browser-tests.sh [--force]
#
# npm ci of the committed tests/browser/node/package-lock.json (npm axe-core, pinned, one package,
# no dependencies). Idempotent: a hash of the lock file is recorded and the step is skipped while
# it matches. Chromium itself is Debian's (apt-get install chromium): never `playwright install`.
# Without node the accessibility tests are skipped (REQUIRE_BROWSER=1 makes them fail).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_DIR="$ROOT/tests/browser/node"
STAMP="$NODE_DIR/node_modules/.badgeons-setup"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

say() { printf 'setup-browser-tests: %s\n' "$*"; }

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "node/npm not found: the axe-core accessibility tests will be skipped (install Node.js 20+)."
  exit 0
fi
wanted="$(sha256sum "$NODE_DIR/package-lock.json" | cut -c1-32)"
if [[ $FORCE -eq 0 && -f "$STAMP" && "$(cat "$STAMP")" == "$wanted" ]]; then
  exit 0
fi
say "installing npm axe-core into tests/browser/node"
(cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
echo "$wanted" > "$STAMP"
