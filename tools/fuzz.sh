#!/usr/bin/env bash
# Runs the libFuzzer targets, SECONDS each (default 60), from seed corpora of the shipped
# files and tests/inputs. New crashes land in build/fuzz/findings/; turn each into a file in
# tests/inputs/ (with its expected message) and fix it.
#   tools/fuzz.sh [SECONDS] [TARGET ...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario_loader_fuzzer set_override_fuzzer units_csv_fuzzer sweep_file_fuzzer sweep_results_fuzzer)
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
corpus=build/fuzz/corpus
findings=build/fuzz/findings
mkdir -p "$corpus"/{scenario_loader_fuzzer,set_override_fuzzer,units_csv_fuzzer,sweep_file_fuzzer,sweep_results_fuzzer} "$findings"
cp scenarios/*.yaml scenarios/bench/*.yaml tests/data/*.yaml tests/data/vectors/*.yaml tests/inputs/bad/*.yaml "$corpus/scenario_loader_fuzzer/"
printf 'transitions.fs.job=0.3\n' > "$corpus/set_override_fuzzer/a"
printf 'groups.a.wage=[{from: 2016-01, value: 5}]\nseed=7\n' > "$corpus/set_override_fuzzer/b"
printf 'programme.intake.starts.1=4\ngroups.1.size=3\n' > "$corpus/set_override_fuzzer/c"
cp data/*.csv tests/data/*.csv tests/inputs/bad-units/*.csv "$corpus/units_csv_fuzzer/" 2>/dev/null || true
printf 'name: s\nscenario: base.yaml\ndesign: {type: grid}\nparameters:\n  transitions.fs.job: {values: [0.01, 0.02]}\nmetrics: [difference.municipality.net]\n' > "$corpus/sweep_file_fuzzer/grid"
printf 'name: s\nscenario: base.yaml\ndesign: {type: sobol, samples: 4}\nparameters:\n  transitions.fs.job: {range: [0.01, 0.02]}\n  groups.a.wage: {range: [1, 2]}\nmetrics: [scenario.months.xj]\n' > "$corpus/sweep_file_fuzzer/sobol"
printf 'point,a.b,metric,mean,sd,se,p05,p50,p95\n0,1,difference.municipality.net,1,2,3,4,5,6\n1,2,difference.municipality.net,1,2,3,4,5,6\n' > "$corpus/sweep_results_fuzzer/two"
for target in "${targets[@]}"; do
  echo "== $target, $seconds s"
  build/fuzz/tests/fuzz/"$target" "$corpus/$target" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="$findings/$target-" -print_final_stats=1 \
    2>&1 | grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY)" || true
done
ls "$findings"
