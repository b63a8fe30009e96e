#!/usr/bin/env bash
# Sweep throughput: points per second for a shipped sweep on 1 thread, on all cores as threads,
# and split over MPI processes (one thread each), the median of REPEATS rounds (the three run
# in turn in each round); checks that the three results files are byte-identical.
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

# timed NAME COMMAND...: runs COMMAND once (writing $work/NAME.csv), appends its wall time to $work/NAME.times.
timed() {
  local name=$1; shift
  rm -f "$work/$name.csv" "$work/$name.csv.manifest.json"
  local start end
  start=$(date +%s.%N)
  "$@" --out "$work/$name.csv" 2>/dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { print b - a }' >> "$work/$name.times"
}

points=$("$bin" sweep "$sweep" --out "$work/count.csv" 2>&1 | sed -n 's/.*(\([0-9]*\) points.*/\1/p')
mpi_ok=""
if command -v mpirun >/dev/null && ldd "$bin" | grep -q libmpi; then
  root=""; [ "$(id -u)" -eq 0 ] && root="--allow-run-as-root"
  mpi_ok=1
fi
for _ in $(seq "$repeats"); do
  timed one "$bin" sweep "$sweep" --threads 1
  timed all "$bin" sweep "$sweep" --threads "$cores"
  [ -z "$mpi_ok" ] || timed mpi mpirun -n "$cores" $root "$bin" sweep "$sweep" --threads 1
done
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
one=$(median "$work/one.times")
all=$(median "$work/all.times")
mpi=""
[ -z "$mpi_ok" ] || mpi=$(median "$work/mpi.times")
python3 - "$points" "$one" "$all" "$mpi" "$cores" <<'PY'
import sys
points, one, threads, mpi, cores = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
print(f"{points} points, medians of the rounds")
print(f"1 thread           {one:6.2f} s  {points / one:5.2f} points/s")
print(f"{cores} threads          {threads:6.2f} s  {points / threads:5.2f} points/s  ({one / threads:.2f}x)")
if mpi:
    m = float(mpi)
    print(f"mpirun -n {cores} (1 thread each) {m:6.2f} s  {points / m:5.2f} points/s  ({one / m:.2f}x, with MPI start-up)")
PY
cmp "$work/one.csv" "$work/all.csv"
[ -z "$mpi" ] || cmp "$work/one.csv" "$work/mpi.csv"
echo "results files identical"
