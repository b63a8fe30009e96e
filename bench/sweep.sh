#!/usr/bin/env bash
# Sweep throughput: points per second for a shipped sweep on 1 thread, on all cores as threads,
# and split over MPI processes (one thread each), best of REPEATS; checks that the three
# results files are byte-identical.
#   bench/sweep.sh [SWEEP.yaml] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
sweep=${1:-scenarios/national-sweep.yaml}
repeats=${2:-3}
cmake --build --preset release >/dev/null
bin=build/release/tools/extrasim
cores=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# best_of NAME COMMAND...: runs COMMAND REPEATS times (writing $work/NAME.csv), prints the best time.
best_of() {
  local name=$1; shift
  local best=""
  for _ in $(seq "$repeats"); do
    rm -f "$work/$name.csv" "$work/$name.csv.manifest.json"
    local start end
    start=$(date +%s.%N)
    "$@" --out "$work/$name.csv" 2>/dev/null
    end=$(date +%s.%N)
    best=$(python3 -c "t = $end - $start; b = '$best'; print(min(t, float(b)) if b else t)")
  done
  echo "$best"
}

points=$("$bin" sweep "$sweep" --out "$work/count.csv" 2>&1 | sed -n 's/.*(\([0-9]*\) points.*/\1/p')
one=$(best_of one "$bin" sweep "$sweep" --threads 1)
all=$(best_of all "$bin" sweep "$sweep" --threads "$cores")
mpi=""
if command -v mpirun >/dev/null && ldd "$bin" | grep -q libmpi; then
  root=""; [ "$(id -u)" -eq 0 ] && root="--allow-run-as-root"
  mpi=$(best_of mpi mpirun -n "$cores" $root "$bin" sweep "$sweep" --threads 1)
fi
python3 - "$points" "$one" "$all" "$mpi" "$cores" <<'PY'
import sys
points, one, threads, mpi, cores = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
print(f"{points} points, best of the repeats")
print(f"1 thread           {one:6.2f} s  {points / one:5.2f} points/s")
print(f"{cores} threads          {threads:6.2f} s  {points / threads:5.2f} points/s  ({one / threads:.2f}x)")
if mpi:
    m = float(mpi)
    print(f"mpirun -n {cores} (1 thread each) {m:6.2f} s  {points / m:5.2f} points/s  ({one / m:.2f}x, with MPI start-up)")
PY
cmp "$work/one.csv" "$work/all.csv"
[ -z "$mpi" ] || cmp "$work/one.csv" "$work/mpi.csv"
echo "results files identical"
