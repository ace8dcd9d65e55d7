#!/usr/bin/env bash
# Install the project (Python 3.11+) and build the site: pages into docs/, site into site/.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
"$PY" -m pip install --quiet --disable-pip-version-check -c constraints.txt -e .
"$PY" -m builder build "$@"
