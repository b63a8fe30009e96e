#!/usr/bin/env bash
# Small-point sweep throughput (issue #16): points per second of scenarios/bench/sweep-small.yaml
# (2 000 points x 10 replications x 100 persons) on 1 and 2 threads, an OLD binary against
# this tree's, in paired rounds (old, new, old, new, ...): medians of points/s, of CPU seconds
# (user + system, which a loaded machine inflates less than wall time) and of the per-round
# ratio new/old. Checks that every results file is byte-identical.
#   bench/sweep_small.sh OLD_EXTRASIM [ROUNDS]
#   bench/sweep_small.sh --estimate [ROUNDS]   # --dry-run's time against real 1-thread runs
# The second form checks the sweep's cost model (studies/sweep_run.cpp, estimate_sweep_seconds)
# on sweeps of 2, 10 and 40 replications a point and on scenarios/national-sweep.yaml: the
# estimate against the median CPU time of ROUNDS runs on 1 thread, within 25 %?
set -euo pipefail
cd "$(dirname "$0")/.."
new=build/release/tools/extrasim
sweep=scenarios/bench/sweep-small.yaml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x "$new" ] || { echo "build first: cmake --preset release && cmake --build build/release" >&2; exit 2; }

# timed BIN SWEEP THREADS OUT: runs one sweep, prints "wall cpu".
timed() {
  rm -f "$4" "$4.manifest.json"
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$1" sweep "$2" --threads "$3" --out "$4" 2>/dev/null
  awk '{ print $1, $2 + $3 }' "$work/time"
}

if [ "${1:-}" = "--estimate" ]; then
  rounds=${2:-3}
  for reps in 2 40; do
    sed -e "s/replications: 10/replications: $reps/" -e "s#scenario: small-100.yaml#scenario: $PWD/scenarios/bench/small-100.yaml#" \
      "$sweep" > "$work/reps$reps.yaml"
  done
  failed=0
  printf '%-34s %10s %8s %8s %8s\n' sweep estimate cpu wall ratio
  for s in "$work/reps2.yaml" "$sweep" "$work/reps40.yaml" scenarios/national-sweep.yaml; do
    estimate=$("$new" sweep "$s" --dry-run --threads 1 | sed -n 's/^about \([0-9.e+]*\) s on.*/\1/p')
    runs=$(for _ in $(seq "$rounds"); do timed "$new" "$s" 1 "$work/e.csv"; done)
    read -r wall cpu < <(echo "$runs" | python3 -c "import sys, statistics as st; r = [l.split() for l in sys.stdin]; print(st.median(float(x[0]) for x in r), st.median(float(x[1]) for x in r))")
    ratio=$(python3 -c "print(f'{$estimate / $cpu:.2f}')")
    ok=$(python3 -c "print('' if 0.75 <= $estimate / $cpu <= 1.25 else '  OFF')")
    [ -z "$ok" ] || failed=$((failed + 1))
    name=$(basename "$s"); [ "$s" = "$sweep" ] && name="sweep-small (10 reps)"
    [ "$name" = reps2.yaml ] && name="sweep-small, 2 reps"; [ "$name" = reps40.yaml ] && name="sweep-small, 40 reps"
    printf '%-34s %10s %8.2f %8.2f %8s%s\n' "$name" "$estimate" "$cpu" "$wall" "$ratio" "$ok"
  done
  echo "$failed off by more than 25 %"
  exit $((failed > 0))
fi

old=${1:?usage: bench/sweep_small.sh OLD_EXTRASIM [ROUNDS]}
rounds=${2:-3}
points=2000
"$new" sweep "$sweep" --threads 1 --out "$work/reference.csv" 2>/dev/null
for threads in 1 2; do
  : > "$work/rounds"
  for r in $(seq "$rounds"); do
    o=$(timed "$old" "$sweep" "$threads" "$work/old.csv")
    n=$(timed "$new" "$sweep" "$threads" "$work/new.csv")
    cmp -s "$work/old.csv" "$work/reference.csv" && cmp -s "$work/new.csv" "$work/reference.csv" ||
      { echo "results files differ (round $r, $threads threads)" >&2; exit 1; }
    echo "$o $n" >> "$work/rounds"
  done
  python3 - "$work/rounds" "$threads" "$points" <<'PY'
import statistics as st, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
threads, points = sys.argv[2], int(sys.argv[3])
old_wall, old_cpu, new_wall, new_cpu = ([r[i] for r in rows] for i in range(4))
print(f"{threads} thread{'s' if threads != '1' else ''}, {len(rows)} paired rounds (medians):")
print(f"  old  {points / st.median(old_wall):7.0f} points/s  wall {st.median(old_wall):6.2f} s  cpu {st.median(old_cpu):6.2f} s")
print(f"  new  {points / st.median(new_wall):7.0f} points/s  wall {st.median(new_wall):6.2f} s  cpu {st.median(new_cpu):6.2f} s")
print(f"  new/old speed per round: {st.median(o / n for o, n in zip(old_wall, new_wall)):.2f}x wall, "
      f"{st.median(o / n for o, n in zip(old_cpu, new_cpu)):.2f}x cpu")
PY
done
echo "results files identical (old, new, 1 and 2 threads)"
