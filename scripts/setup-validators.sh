#!/usr/bin/env bash
# Install the external Open Badges validators used by tests/conformance (offline at test time).
#
#   bash scripts/setup-validators.sh [--force]
#
# 1. .venv-ob2/ at the project root: 1EdTech's OB 2.0 validator, PyPI openbadges==1.1.2 with the
#    pin overrides of shared/spec/OB-NOTES.md §4a, from the lock tests/conformance/ob2-requirements.txt
#    (installed with --no-deps: the overrides conflict with openbadges' own pins on purpose).
#    It is a separate venv because its pins (jsonschema 2.6, requests-cache 0.4, ...) clash with ours.
# 2. tests/conformance/node/node_modules: npm ci of the committed package-lock.json
#    (@digitalcredentials/verifier-core 1.0.0-beta.11 for OB 3.0 proofs, jose for VC-JWT).
#
# Idempotent: each step records a hash of its lock file and is skipped while it still matches
# (a no-op run takes well under a second).  --force rebuilds both.  Needs PyPI and the npm
# registry on the first run only.  Environment: OB2_PYTHON (interpreter for the venv; default
# python3.11, else python3).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv-ob2"
REQS="$ROOT/tests/conformance/ob2-requirements.txt"
NODE_DIR="$ROOT/tests/conformance/node"
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "setup-validators: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

say() { printf 'setup-validators: %s\n' "$*"; }
die() { printf 'setup-validators: ERROR: %s\n' "$*" >&2; exit 1; }
hash_of() { sha256sum "$@" | sha256sum | cut -c1-32; }

# ---------------------------------------------------------------- prerequisites
PY="${OB2_PYTHON:-}"
if [[ -z "$PY" ]]; then
  if command -v python3.11 >/dev/null 2>&1; then PY=python3.11
  elif command -v python3 >/dev/null 2>&1; then PY=python3
  else die "python3 not found on PATH (the OB 2.0 validator needs Python 3.9-3.11; set OB2_PYTHON to choose one)"; fi
fi
command -v "$PY" >/dev/null 2>&1 || die "OB2_PYTHON=$PY not found"
command -v node >/dev/null 2>&1 || die "node not found on PATH (the OB 3.0 verifier needs Node.js >= 20; e.g. apt-get install nodejs npm)"
command -v npm  >/dev/null 2>&1 || die "npm not found on PATH (needed to install the OB 3.0 verifier; e.g. apt-get install npm)"
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
(( NODE_MAJOR >= 20 )) || die "Node.js >= 20 required, found $(node --version)"
[[ -f "$REQS" ]] || die "missing $REQS"
[[ -f "$NODE_DIR/package-lock.json" ]] || die "missing $NODE_DIR/package-lock.json"

# ---------------------------------------------------------------- OB 2.0 validator venv
PY_VERSION="$("$PY" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
WANT_STAMP="$(hash_of "$REQS") python-$PY_VERSION"
STAMP="$VENV/.badgeons-setup"
smoke_ob2() {
  "$VENV/bin/python" -c 'import openbadges, openbadges_bakery, defusedxml, jose, Crypto; from openbadges import verify' >/dev/null 2>&1
}
if [[ $FORCE == 0 && -f "$STAMP" && "$(cat "$STAMP")" == "$WANT_STAMP" ]] && smoke_ob2; then
  say "OB 2.0 validator: $VENV up to date (openbadges 1.1.2, Python $PY_VERSION)"
else
  if [[ -d "$VENV" ]]; then
    say "OB 2.0 validator: removing stale $VENV"
    rm -rf "$VENV"
  fi
  say "OB 2.0 validator: creating $VENV with $PY (Python $PY_VERSION)"
  "$PY" -m venv "$VENV"
  say "OB 2.0 validator: pip install --no-deps -r ${REQS#"$ROOT"/}"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$REQS"
  smoke_ob2 || { "$VENV/bin/python" -c 'from openbadges import verify' || true; die "the OB 2.0 validator does not import in $VENV (Python $PY_VERSION)"; }
  echo "$WANT_STAMP" > "$STAMP"
  say "OB 2.0 validator: ready ($("$VENV/bin/python" -m pip --disable-pip-version-check list 2>/dev/null | grep -c .) lines in pip list)"
fi

# ---------------------------------------------------------------- OB 3.0 verifier (node)
NODE_WANT="$(hash_of "$NODE_DIR/package.json" "$NODE_DIR/package-lock.json") node-$(node --version)"
NODE_STAMP="$NODE_DIR/node_modules/.badgeons-setup"
smoke_node() {
  (cd "$NODE_DIR" && node -e "Promise.all([import('@digitalcredentials/verifier-core'), import('jose')]).then(()=>process.exit(0),()=>process.exit(1))") >/dev/null 2>&1
}
if [[ $FORCE == 0 && -f "$NODE_STAMP" && "$(cat "$NODE_STAMP")" == "$NODE_WANT" ]] && smoke_node; then
  say "OB 3.0 verifier: tests/conformance/node/node_modules up to date"
else
  say "OB 3.0 verifier: npm ci in tests/conformance/node (locked @digitalcredentials/verifier-core 1.0.0-beta.11, jose 6.2.18)"
  # --ignore-scripts: the only install script in the tree is core-js's donation banner.
  (cd "$NODE_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  smoke_node || die "@digitalcredentials/verifier-core does not load under $(node --version)"
  echo "$NODE_WANT" > "$NODE_STAMP"
  say "OB 3.0 verifier: ready"
fi

say "done. Run: .venv/bin/pytest tests/conformance -q   (REQUIRE_VALIDATORS=1 turns skips into failures)"
