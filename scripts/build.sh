#!/usr/bin/env bash
# Install the project (Python 3.11+, and Pagefind from npm) and build the site: pages into docs/,
# site into site/ with its search index in site/pagefind/.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
"$PY" -m pip install --quiet --disable-pip-version-check -c constraints.txt -e .
# Pagefind, the site search's indexer, at the version package-lock.json pins (into node_modules/)
npm ci --no-audit --no-fund --loglevel=error
"$PY" -m builder build "$@"
