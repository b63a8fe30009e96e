#!/usr/bin/python3
"""The planner hands the workbook on: read it back with a real reader (openpyxl) and check it
against the JSON of the same comparison, cell for cell, and that its named cells point at the
effect they name. Usage: check_xlsx.py EXTRASIM SOURCE_DIR"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

cli, root = sys.argv[1], Path(sys.argv[2])
a, b = root / "scenarios/norrkoping-120.yaml", root / "scenarios/norrkoping-200.yaml"
flags = ["--replications", "30", "--set", "transitions.fs.job=0.02"]
failures = 0


def same(a, b):
    """libxlsxwriter stores numbers with 16 significant digits; the JSON has 17."""
    return abs(a - b) <= 1e-14 * max(1.0, abs(b))



def check(condition, what):
    global failures
    if not condition:
        failures += 1
        print("FAIL", what)


with tempfile.TemporaryDirectory() as folder:
    book_path = Path(folder) / "plan.xlsx"
    done = subprocess.run([cli, "compare", str(a), str(b), *flags, "--format", "xlsx", "--out", str(book_path)],
                          capture_output=True, text=True)
    check(done.returncode == 0, "compare --format xlsx: " + done.stderr)
    data = json.loads(subprocess.run([cli, "compare", str(a), str(b), *flags, "--format", "json"],
                                     capture_output=True, text=True, check=True).stdout)
    no_out = subprocess.run([cli, "run", str(a), "--format", "xlsx"], capture_output=True, text=True)
    check(no_out.returncode == 2 and "--out FILE.xlsx" in no_out.stderr, "xlsx without --out exits 2")

    book = openpyxl.load_workbook(book_path)
    check(book.sheetnames == ["Summary", "Ledger", "People", "Assumptions", "Provenance"], str(book.sheetnames))
    summary = book["Summary"]
    rows = [r for r in summary.iter_rows(min_row=4, values_only=True) if r[0] in data["scenarios"]]
    check(len(rows) == 2 * 3 * 5, f"{len(rows)} effect rows: 2 scenarios x (2017, 2018, total) x 5 payers")
    for scenario, period, months, payer, mean, low, high in rows:
        key = "total" if period == "total" else period.split(" ")[0]
        want = next(p for p in data["effects"][scenario] if p["period"] == key)[payer]
        check(same(mean, want["mean"]) and same(low, want["p025"]) and same(high, want["p975"]),
              f"{scenario} {period} {payer}: {mean} vs {want['mean']}")

    name = "effect_norrkoping_200_municipality_net_2018"
    defined = book.defined_names[name] if hasattr(book.defined_names, "__getitem__") else book.defined_names.get(name)
    sheet, cell = next(iter(defined.destinations))
    want = next(p for p in data["effects"]["norrkoping-200"] if p["period"] == "2018")["municipality.net"]["mean"]
    check(same(book[sheet][cell.replace("$", "")].value, want), f"{name} points at {sheet}!{cell}")
    want_named = want

    assumptions = [r for r in book["Assumptions"].iter_rows(min_row=2, values_only=True)]
    check(("norrkoping-200", "transitions.fs.job", "0.02", "--set transitions.fs.job=0.02") in [r[:4] for r in assumptions],
          "the --set value is the one listed")
    check(any(r[1] == "programme.supervision_cost" for r in assumptions), "defaults are listed")
    people = list(book["People"].iter_rows(min_row=2, values_only=True))
    check(len(people) == 2 * 24 * 2, f"{len(people)} people rows: 2 scenarios x 24 months x 2 sides")

    # In Swedish: Swedish sheets, headings, periods and labels, the code names in a last column,
    # the same numbers and the same cell names.
    sv_path = Path(folder) / "plan-sv.xlsx"
    done = subprocess.run([cli, "compare", str(a), str(b), *flags, "--lang", "sv", "--format", "xlsx", "--out", str(sv_path)],
                          capture_output=True, text=True)
    check(done.returncode == 0, "compare --lang sv --format xlsx: " + done.stderr)
    sv = openpyxl.load_workbook(sv_path)
    check(sv.sheetnames == ["Sammanfattning", "Poster", "Personer", "Antaganden", "Ursprung"], str(sv.sheetnames))
    head = next(sv["Sammanfattning"].iter_rows(min_row=3, max_row=3, values_only=True))
    check(head[:8] == ("scenario", "budgetår", "månader", "betalare", "medelvärde", "95 % nedre", "95 % övre", "kod"), str(head))
    sv_rows = [r for r in sv["Sammanfattning"].iter_rows(min_row=4, values_only=True) if r[0] in data["scenarios"]]
    check(len(sv_rows) == len(rows), f"{len(sv_rows)} Swedish effect rows")
    for scenario, period, months, label, mean, low, high, code, *rest in sv_rows:
        key = "total" if period == "hela perioden" else period.split(" ")[0]
        want = next(p for p in data["effects"][scenario] if p["period"] == key)[code]
        check(same(mean, want["mean"]) and same(low, want["p025"]) and same(high, want["p975"]), f"sv {scenario} {period} {code}")
    labels = {r[3]: r[7] for r in sv_rows}
    check(labels.get("kommunens netto") == "municipality.net", f"Swedish payer labels: {sorted(labels)}")
    defined = sv.defined_names[name] if hasattr(sv.defined_names, "__getitem__") else sv.defined_names.get(name)
    sheet, cell = next(iter(defined.destinations))
    check(sheet == "Sammanfattning" and same(sv[sheet][cell.replace("$", "")].value, want_named), f"sv {name} points at {sheet}!{cell}")

print(f"{0 if failures else 1} passed, {failures} failed")
sys.exit(1 if failures else 0)
