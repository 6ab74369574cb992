#!/bin/sh
# The benchmark, one command: sh bench/run.sh [--scales 10000,1000000] [--databases ...] [--workloads ...]
# Installs wrk (Debian) and patron (.venv) when missing, then runs bench/run.py; see BENCHMARKS.md.
set -eu
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
    apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
[ -x .venv/bin/patron ] || sh scripts/install.sh
case " $* " in *" --profile "*)
    [ -x .venv-bench/bin/py-spy ] || { python3 -m venv .venv-bench && .venv-bench/bin/pip install -q -r bench/requirements.txt; }
esac
exec .venv/bin/python bench/run.py "$@"
