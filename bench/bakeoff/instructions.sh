#!/bin/sh
# CPU instructions per checkout step of each bake-off stack, counted by callgrind (the same count
# however busy the machine is): bench/bakeoff/inprocess.py with 100 and then 400 requests on a
# fresh copy of a seeded SQLite database, the difference divided by 300.
#
# Usage: sh bench/bakeoff/instructions.sh SEEDED.db API_KEY [starlette litestar]
set -eu
cd "$(dirname "$0")/../.."
seeded=$1 key=$2
shift 2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
count() {
    cp "$seeded" "$out/run.db"
    rm -f "$out/run.db-wal" "$out/run.db-shm"
    BAKEOFF_DATABASE_URL="sqlite:///$out/run.db" BENCH_KEY="$key" PYTHONPATH="$(pwd)/src" \
        valgrind --tool=callgrind --callgrind-out-file="$out/$1.$2" \
        .venv/bin/python bench/bakeoff/inprocess.py --stack "$1" --requests "$2" 2>&1 \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
for stack in ${@:-starlette litestar}; do
    few=$(count "$stack" 100)
    many=$(count "$stack" 400)
    echo "$stack: $(( (many - few) / 300 )) instructions per checkout step"
done
