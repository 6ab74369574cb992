#!/bin/sh
# One command from a fresh checkout to a running patron on SQLite with a demo account.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install.sh
exec .venv/bin/patron quickstart "$@"
