#!/usr/bin/env bash
# compare of N scenarios against N separate runs (issue "Throughput, round 2", target: compare
# of 3 scenarios at most 0.70x the time of 3 runs). compare simulates all the scenarios and one
# baseline in a single lockstep pass on the same random words when their baselines agree; each
# run simulates its scenario and its own baseline. Paired rounds (the 3 runs, then the compare,
# each round), medians of the rounds and of the per-round ratio, on a shared machine. Also
# checks, once, that compare's means are those of the runs, to the last bit.
#   bench/compare_scenarios.sh [ROUNDS] [THREADS] [REPLICATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
threads=${2:-1}
replications=${3:-1000}
scenarios=(scenarios/norrkoping-120.yaml scenarios/norrkoping-200.yaml scenarios/bench/norrkoping-160.yaml)
cmake --build --preset release >/dev/null
bin=build/release/tools/extrasim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--threads "$threads" --replications "$replications" --format json)

# seconds COMMAND...: the wall time of COMMAND (its output discarded).
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}

runs_then_compare() {
  local start end
  start=$(date +%s.%N)
  for s in "${scenarios[@]}"; do "$bin" run "$s" "${flags[@]}" >/dev/null 2>&1; done
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
  seconds "$bin" compare "${scenarios[@]}" "${flags[@]}"
}

# The same figures: each scenario's whole-period means in compare equal its run's.
"$bin" compare "${scenarios[@]}" "${flags[@]}" >"$work/compare.json"
for s in "${scenarios[@]}"; do "$bin" run "$s" "${flags[@]}" >"$work/$(basename "$s" .yaml).json"; done
python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
c = json.load(open(os.path.join(work, "compare.json")))
for name in c["scenarios"]:
    run = json.load(open(os.path.join(work, name + ".json")))
    means = c["periods"]["total"]["means"][name]
    for metric, value in run["metrics"]["scenario"].items():
        if metric in means and value["mean"] != means[metric]:
            sys.exit(f"{name} {metric}: compare {means[metric]!r} != run {value['mean']!r}")
print("compare's means equal the runs' (" + ", ".join(c["scenarios"]) + ")")
if c.get("notes"):
    print("compare's notes:", *c["notes"], sep="\n  ")
PY

: >"$work/rounds"
for _ in $(seq "$rounds"); do
  runs_then_compare | paste -sd' ' >>"$work/rounds"
done
python3 - "$work/rounds" "${#scenarios[@]}" "$threads" "$replications" <<'PY'
import statistics, sys
rows = [tuple(map(float, line.split())) for line in open(sys.argv[1])]
n, threads, reps = sys.argv[2], sys.argv[3], sys.argv[4]
runs = statistics.median(r for r, _ in rows)
compare = statistics.median(c for _, c in rows)
ratio = statistics.median(c / r for r, c in rows)
print(f"{len(rows)} paired rounds, {n} scenarios x {reps} replications, {threads} thread(s); medians")
print(f"{n} separate runs   {runs:7.3f} s")
print(f"one compare      {compare:7.3f} s")
print(f"compare / runs   {ratio:7.3f}  (median of the per-round ratios; min {min(c / r for r, c in rows):.3f}, max {max(c / r for r, c in rows):.3f})")
PY
