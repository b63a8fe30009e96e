#!/usr/bin/env bash
# The README's planner tasks, run exactly as the README writes them (the fenced block after
# "<!-- test: planner-tasks -->"), with B pointing at the binary under test, in a scratch
# folder that sees the project's scenarios. Then each task's result is checked: the effect
# per budget year in Swedish, a workbook a real reader opens, an A4 PDF.
#   check_planner_tasks.sh EXTRASIM_BINARY SOURCE_DIR
set -euo pipefail
extrasim=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

block=$(awk '/<!-- test: planner-tasks -->/ {on = 1; next} on && /^```sh/ {inside = 1; next} inside && /^```/ {exit} inside' "$src/README.md")
[ -n "$block" ] || fail "no planner-tasks block in the README"
grep -q '^B=build/release/tools/extrasim$' <<<"$block" || fail "the block does not start by naming the binary"
ln -s "$src/scenarios" "$work/scenarios"
# Chromium as a test runs it here: its own profile, no background connections (closed network).
mkdir "$work/bin"
cat > "$work/bin/chromium" <<SHIM
#!/bin/sh
exec /usr/bin/chromium --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$work/profile" "\$@"
SHIM
chmod +x "$work/bin/chromium"
script=$(sed "s|^B=build/release/tools/extrasim$|B=$extrasim|" <<<"$block")
(cd "$work" && PATH="$work/bin:$PATH" bash -euo pipefail -c "$script") > "$work/out.txt" 2> "$work/err.txt" \
  || fail "the README's commands failed: $(tail -5 "$work/err.txt")"

out="$work/out.txt"
for text in "jämförelse av 2 scenarier" "Varje scenarios effekt" "kommunens netto" "hela perioden" "Hela perioden" "P(högre)"; do
  grep -q "$text" "$out" || fail "task 1: no '$text' in the comparison"
done
[ "$(grep -cE '^(2017|2018) ' "$out")" -ge 4 ] || fail "task 1: no effect rows for 2017 and 2018 in both scenarios"
/usr/bin/python3 - "$work/jamforelse.xlsx" <<'PY' || fail "task 2: the workbook does not read back"
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
assert book.sheetnames[0] == "Sammanfattning", book.sheetnames
assert "effect_norrkoping_200_municipality_net_2018" in book.defined_names
PY
pages=$(pdfinfo "$work/rapport.pdf" | sed -n 's/^Pages: *//p')
case "$(pdfinfo "$work/rapport.pdf" | sed -n 's/^Page size: *//p')" in *"(A4)"*) ;; *) fail "task 3: the PDF is not A4" ;; esac
[ "$pages" -ge 2 ] && [ "$pages" -le 14 ] || fail "task 3: the PDF has $pages pages"
grep -q "lang='sv'" "$work/rapport.html" || fail "task 3: the report is not in Swedish"
echo "the README's planner tasks: Swedish comparison with the effect per budget year, workbook read back, report printed to $pages A4 pages"
