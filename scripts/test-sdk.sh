#!/bin/sh
# The SDK suite (tests_sdk/): a real patron server driven over HTTP by each official Python SDK,
# talon-one-python-sdk 9.0.0 (.venv-sdk9) and talon-one-sdk 26.2 (.venv-sdk26), each in its own
# virtualenv (both install the module talon_one). Every test runs on SQLite and, when
# PATRON_TEST_POSTGRES_URL is set (or a local server answers at 127.0.0.1:5432, as in
# scripts/test.sh), on a fresh PostgreSQL database. Extra arguments go to pytest.
# Needs patron installed in .venv (sh scripts/install.sh) or PATRON_BIN naming its executable.
set -eu
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
PATRON_BIN=${PATRON_BIN:-$(pwd)/.venv/bin/patron}
export PATRON_BIN
if [ ! -x "$PATRON_BIN" ]; then
  echo "error: no patron executable at $PATRON_BIN (run: sh scripts/install.sh)" >&2
  exit 2
fi
if [ -z "${PATRON_TEST_POSTGRES_URL:-}" ] && [ -x .venv/bin/python ]; then
  local_pg=postgresql://postgres@127.0.0.1:5432/postgres
  if .venv/bin/python -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$local_pg" 2>/dev/null; then
    export PATRON_TEST_POSTGRES_URL=$local_pg
  else
    echo "note: no PostgreSQL at 127.0.0.1:5432; PostgreSQL cases will be skipped" >&2
  fi
fi
status=0
for sdk in sdk9 sdk26; do
  venv=.venv-$sdk
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "tests_sdk/requirements-$sdk.txt"
  echo "== $sdk ==" >&2
  "$venv/bin/pytest" -p no:cacheprovider -c tests_sdk/pytest.ini tests_sdk "$@" || status=1
done
exit $status
