#!/bin/sh
# The whole test suite: lint, types, layering, every test on SQLite and PostgreSQL, then the
# SDK suite: a running server driven by both official Talon.One Python SDKs.
# PostgreSQL: set PATRON_TEST_POSTGRES_URL to a database the tests may create databases from;
# unset, a local server at 127.0.0.1:5432 (user postgres) is used when one answers.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install.sh test
bin=.venv/bin
if [ -z "${PATRON_TEST_POSTGRES_URL:-}" ]; then
  local_pg=postgresql://postgres@127.0.0.1:5432/postgres
  if $bin/python -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$local_pg" 2>/dev/null; then
    export PATRON_TEST_POSTGRES_URL=$local_pg
  else
    echo "note: no PostgreSQL at 127.0.0.1:5432; PostgreSQL tests will be skipped" >&2
  fi
fi
$bin/ruff format --check .
$bin/ruff check .
$bin/mypy
$bin/lint-imports
$bin/pytest --cov --cov-report=term:skip-covered "$@"
sh scripts/test-sdk.sh
