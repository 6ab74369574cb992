#!/bin/sh
# Create (or refresh) the virtualenv .venv with patron and its pinned dependencies.
# Usage: sh scripts/install.sh [extra]   (extra "test" adds the test tools)
set -eu
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
spec="."
[ "${1:-}" = "test" ] && spec=".[test]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e "$spec"
