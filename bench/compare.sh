#!/usr/bin/env bash
# The engine and the numpy peer side by side on the same scenario, in one go:
# ns per person-month, person-months per second, peak memory, and the ratios; also checks that
# the peer's means agree with the engine's (so the comparison is of equal work), peak memory
# at 1 000 and 10 000 replications, and the time of `extrasim expected`. Figures are medians of
# ROUNDS paired rounds (peer, 1 thread, 2 threads in turn), ratios medians of per-round ratios.
#   bench/compare.sh [SCENARIO] [PEER_REPLICATIONS] [ROUNDS] [ENGINE_REPLICATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-scenarios/bench/national.yaml}
peer_reps=${2:-30}
rounds=${3:-5}
engine_reps=${4:-}
cmake --build --preset release >/dev/null
exec /usr/bin/python3 bench/compare.py "$scenario" "$peer_reps" "$rounds" "$engine_reps"
