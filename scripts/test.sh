#!/usr/bin/env bash
# Install everything the tests need and run the whole test suite.
#   - Python packages from pyproject.toml (extra "test"), at the versions of constraints.txt
#   - Pagefind (the site search's indexer) from npm, at the version package-lock.json pins
#   - Debian's chromium and CJK fonts for the browser tests (when root and missing)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
"$PY" -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
npm ci --no-audit --no-fund --loglevel=error  # Pagefind, as package-lock.json pins it
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  SUDO=""
  [ "$(id -u)" = "0" ] || SUDO="sudo -n"
  if command -v apt-get >/dev/null 2>&1 && { [ -z "$SUDO" ] || sudo -n true 2>/dev/null; }; then
    echo "installing Debian chromium and fonts-noto-cjk for the browser tests" >&2
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "chromium or fonts-noto-cjk missing and apt not usable: browser tests will be skipped" >&2
    echo "(install with: sudo apt-get install chromium fonts-noto-cjk)" >&2
  fi
fi
exec "$PY" -m pytest "$@"
