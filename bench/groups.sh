#!/usr/bin/env bash
# Many groups: the benchmark cohort as 3 groups, as 1 000 groups of 3 kinds (municipalities),
# and as 1 000 groups priced apart, timed in turn; medians of ROUNDS paired rounds, 1 thread.
#   bench/groups.sh [SCENARIO] [ROUNDS] [REPLICATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-scenarios/bench/national.yaml}
rounds=${2:-5}
reps=${3:-1000}
cmake --build --preset release >/dev/null
exec /usr/bin/python3 bench/groups.py "$scenario" "$rounds" "$reps"
