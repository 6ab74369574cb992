#!/bin/sh
# CPU instructions per request on a hot path, counted by valgrind (callgrind), not timed: the
# same code and inputs give the same count however busy the machine is, so two versions can
# be compared on a shared machine. Runs bench/inprocess.py with 100 and then 400 requests and
# divides the difference by 300, which leaves out start-up and warm-up. ~3 minutes a workload.
#
# Usage: sh bench/instructions.sh [checkout|upsert|reads ...]
#        PATRON_SRC=/other/checkout/src sh bench/instructions.sh   # count another version's code
set -eu
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null 2>&1 || apt-get install -y valgrind >/dev/null
[ -x .venv/bin/python ] || sh scripts/install.sh
src=${PATRON_SRC:-$(pwd)/src}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
count() {
    PYTHONPATH="$src" valgrind --tool=callgrind --callgrind-out-file="$out/$1.$2" \
        .venv/bin/python bench/inprocess.py --workload "$1" --requests "$2" 2>&1 \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
for workload in "${@:-checkout}"; do
    few=$(count "$workload" 100)
    many=$(count "$workload" 400)
    echo "$workload: $(( (many - few) / 300 )) instructions per request ($src)"
done
