#!/usr/bin/env bash
# The run-size guard's memory estimate against the measured peak (maximum resident set size,
# GNU time): within 25 % on every shipped scenario and on a large cohort. Release builds only
# (sanitizers multiply memory); registered by tests/CMakeLists.txt.
set -euo pipefail
cli=$1
root=$2
failed=0
check() {
  local label=$1; shift
  local estimate peak
  estimate=$("$cli" run "$@" --dry-run | sed -n 's/.*about \([0-9]*\) MB of memory.*/\1/p')
  peak=$( { /usr/bin/time -f "%M" "$cli" run "$@" > /dev/null; } 2>&1 | tail -n 1)
  peak=$((peak / 1000))
  local low=$((peak * 75 / 100)) high=$((peak * 125 / 100))
  if [ "$estimate" -lt "$low" ] || [ "$estimate" -gt "$high" ]; then
    echo "FAIL $label: estimate $estimate MB, peak $peak MB"
    failed=$((failed + 1))
  else
    echo "ok   $label: estimate $estimate MB, peak $peak MB"
  fi
}
for s in motala lund timra norrkoping-2017 norrkoping-120 norrkoping-200 uppsala-700 national-2017; do
  check "$s" "$root/scenarios/$s.yaml"
done
check "3 million persons, 2 threads" "$root/scenarios/bench/national.yaml" --replications 8 --threads 2 \
  --set groups.long_term_fs.size=3000000
echo "$((9 - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
