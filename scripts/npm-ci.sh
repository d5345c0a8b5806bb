#!/usr/bin/env bash
# Install a test tool's committed npm lock file into its folder, once per version of the lock.
#
#   bash scripts/npm-ci.sh FOLDER "WHAT IT IS FOR" [--force]
#
# Used for tests/idp/node (npm oidc-provider: the ProConnect-like identity provider of the sign-in
# tests) and tests/browser/node (axe-core, injected by the browser tests; Chromium itself is
# Debian's — never `playwright install`). Idempotent: a hash of the lock file is recorded and the
# step is skipped while it matches. Without node the tests that need the tool are skipped
# (REQUIRE_TEST_IDP=1 / REQUIRE_BROWSER=1 make them fail instead).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_DIR="$ROOT/$1"
PURPOSE="$2"
STAMP="$NODE_DIR/node_modules/.badgeons-setup"
FORCE=0
[[ "${3:-}" == "--force" ]] && FORCE=1

say() { printf 'npm-ci %s: %s\n' "$1" "$2"; }

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "$1" "node/npm not found: the tests that need $PURPOSE will be skipped (install Node.js 20+)."
  exit 0
fi
wanted="$(sha256sum "$NODE_DIR/package-lock.json" | cut -c1-32)"
if [[ $FORCE -eq 0 && -f "$STAMP" && "$(cat "$STAMP")" == "$wanted" ]]; then
  exit 0
fi
say "$1" "installing $PURPOSE"
(cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
echo "$wanted" > "$STAMP"
