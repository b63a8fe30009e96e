#!/usr/bin/env bash
# Runs both libFuzzer targets for SECONDS in all (split between them), from a seed corpus of
# the shipped scenarios and tests/inputs. New crashes land in build/fuzz/findings/; turn each
# into a file in tests/inputs/bad/ (with its .expected message) and fix it.
#   tools/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
half=$(( seconds / 2 ))
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
corpus=build/fuzz/corpus
findings=build/fuzz/findings
mkdir -p "$corpus/scenario" "$corpus/set" "$findings"
cp scenarios/*.yaml scenarios/bench/*.yaml tests/data/*.yaml tests/data/vectors/*.yaml "$corpus/scenario/"
cp tests/inputs/bad/*.yaml "$corpus/scenario/"
printf 'transitions.fs.job=0.3\n' > "$corpus/set/a"
printf 'groups.a.wage=[{from: 2016-01, value: 5}]\nseed=7\n' > "$corpus/set/b"
printf 'programme.intake={places: 4}\ngroups.1.size=3\n' > "$corpus/set/c"
run() {
  local target=$1 dir=$2
  build/fuzz/tests/fuzz/"$target" "$corpus/$dir" -max_total_time="$half" -timeout=10 \
    -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="$findings/$target-" -print_final_stats=1 \
    2>&1 | grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY)" || true
}
run scenario_loader_fuzzer scenario
run set_override_fuzzer set
ls "$findings"
