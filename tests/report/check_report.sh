#!/usr/bin/env bash
# The report in a real browser: writes a two-scenario report, renders it with headless
# Chromium (Debian's `chromium`) to the DOM and to a PNG, and checks that the charts and the
# comparison are there, that nothing external is loaded, and that the console is clean.
#   check_report.sh EXTRASIM_BINARY SOURCE_DIR
set -euo pipefail
extrasim=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$extrasim" report "$src/scenarios/norrkoping-120.yaml" "$src/scenarios/norrkoping-200.yaml" \
  --replications 100 --html "$work/report.html" 2>/dev/null
html="$work/report.html"
[ -s "$html" ] || fail "no report written"
# Self-contained: no scripts, no external stylesheets, fonts or images.
if grep -Eiq '<script|<link|src=|@import|url\(|https?://' "$html"; then fail "the report references something external"; fi

browser=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
         --disable-background-networking --disable-component-update --disable-sync
         --user-data-dir="$work/profile" --enable-logging=stderr --v=0)
"${browser[@]}" --dump-dom "file://$html" > "$work/dom.html" 2> "$work/console-dom.log" || fail "chromium could not load the report"
"${browser[@]}" --hide-scrollbars --window-size=1100,3400 --screenshot="$work/report.png" "file://$html" \
  > /dev/null 2> "$work/console-png.log" || fail "chromium could not render the report"

for id in fan-0 fan-1 budget-years distribution-0 distribution-1 effect-0 effect-1 comparison; do
  grep -q "id=\"$id\"" "$work/dom.html" || fail "the rendered page has no #$id"
done
[ "$(grep -o '<polygon class="band"' "$work/dom.html" | wc -l)" -eq 6 ] || fail "fan charts need 3 bands each"
[ "$(grep -o '<line class="whisker"' "$work/dom.html" | wc -l)" -eq 4 ] || fail "budget bars need 2 years x 2 scenarios"
grep -q 'a deadweight share of' "$work/dom.html" || fail "no deadweight share beside the effect"
grep -q 'Assumptions of' "$work/dom.html" || fail "no assumptions"
grep -q 'Kommunalarbetaren 2018-01-23' "$work/dom.html" || fail "the assumptions lost their source comments"
if grep -h 'CONSOLE' "$work"/console-*.log | grep -Eiq 'error|uncaught'; then fail "console errors: $(grep -h CONSOLE "$work"/console-*.log)"; fi
# For a committee: printed to PDF on A4, a few pages, not one page per table row.
"${browser[@]}" --no-pdf-header-footer --print-to-pdf="$work/report.pdf" "file://$html" > /dev/null 2> "$work/console-pdf.log" \
  || fail "chromium could not print the report"
pages=$(pdfinfo "$work/report.pdf" | sed -n 's/^Pages: *//p')
paper=$(pdfinfo "$work/report.pdf" | sed -n 's/^Page size: *//p')
[ "$pages" -ge 2 ] && [ "$pages" -le 12 ] || fail "the PDF has $pages pages"
case "$paper" in *"(A4)"*) ;; *) fail "the PDF is not A4: $paper" ;; esac
# Every label inside its chart, as laid out by the browser: a copy of the report with a script
# that compares each text's box with its chart's and writes the ones outside into the page.
# Once for the two scenarios above, once for the whole country in Swedish (the largest numbers).
"$extrasim" report "$src/scenarios/national-2017.yaml" --replications 20 --lang sv --html "$work/national.html" 2>/dev/null
# (A script after the end of the page is parsed into its body.)
cat > "$work/measure.html" <<'SCRIPT'
<script>
const out = [];
for (const svg of document.querySelectorAll("svg.chart")) {
  const s = svg.getBoundingClientRect();
  for (const t of svg.querySelectorAll("text")) {
    const r = t.getBoundingClientRect();
    if (r.left < s.left - 0.5 || r.right > s.right + 0.5 || r.top < s.top - 0.5 || r.bottom > s.bottom + 0.5) out.push(svg.id + ": " + t.textContent);
  }
}
const pre = document.createElement("pre");
pre.id = "clipped";
pre.textContent = out.length + " clipped " + out.join(" | ");
document.body.append(pre);
</script>
SCRIPT
for page in report national; do
  cat "$work/$page.html" "$work/measure.html" > "$work/$page-measured.html"
  "${browser[@]}" --window-size=1000,3000 --dump-dom "file://$work/$page-measured.html" > "$work/$page-measured.dom" 2>/dev/null
  grep -q '<pre id="clipped">0 clipped' "$work/$page-measured.dom" \
    || fail "labels outside their charts in $page: $(grep -o '<pre id="clipped">[^<]*' "$work/$page-measured.dom" || echo 'no measurement')"
done
grep -q "lang=\"sv\"" "$work/national-measured.dom" || fail "the Swedish report is not marked lang=sv"
if [ -n "${EXTRASIM_REPORT_SHOTS:-}" ]; then cp "$work/report.png" "$work/report.pdf" "$EXTRASIM_REPORT_SHOTS/"; fi
size=$(stat -c %s "$work/report.png")
[ "$size" -gt 50000 ] || fail "the screenshot is nearly empty ($size bytes)"
echo "report renders: charts, comparison and assumptions present, no label outside its chart (two reports, one Swedish), no console errors, PNG $size bytes, PDF $pages A4 pages"
