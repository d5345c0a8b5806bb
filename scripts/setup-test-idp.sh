#!/usr/bin/env bash
# Install the ProConnect-like identity provider the sign-in tests start (tests/idp/node).
#
#   bash scripts/setup-test-idp.sh [--force]
#
# npm ci of the committed tests/idp/node/package-lock.json (npm oidc-provider 9.13.3, 40 packages,
# 3.4 MB). Idempotent: a hash of the lock file is recorded and the step is skipped while it matches.
# Without node the tests that need this provider are skipped (REQUIRE_TEST_IDP=1 makes them fail).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_DIR="$ROOT/tests/idp/node"
STAMP="$NODE_DIR/node_modules/.badgeons-setup"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

say() { printf 'setup-test-idp: %s\n' "$*"; }

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "node/npm not found: the ProConnect-like provider tests will be skipped (install Node.js 20+)."
  exit 0
fi
wanted="$(sha256sum "$NODE_DIR/package-lock.json" | cut -c1-32)"
if [[ $FORCE -eq 0 && -f "$STAMP" && "$(cat "$STAMP")" == "$wanted" ]]; then
  exit 0
fi
say "installing npm oidc-provider into tests/idp/node"
(cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
echo "$wanted" > "$STAMP"
