"""The Python module against the CLI: the same numbers bit for bit, errors with locations,
progress, cancellation (Ctrl-C) and the GIL released during runs."""
import math
import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pandas as pd
import pytest

import extrasim
from conftest import SOURCE, InterruptOnceStarted, cli, cli_json

SCENARIO = SOURCE / "scenarios/norrkoping-120.yaml"
OTHER = SOURCE / "scenarios/norrkoping-200.yaml"
BANDS = SOURCE / "tests/python/data/bands.yaml"  # rate intake: expected values exist


def same(a, b):
    """Bit for bit (NaN equal to NaN): JSON carries round-trip precision."""
    return (a == b) or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def check_summary_against_json(frame, sides, fields):
    checked = 0
    for row in frame.itertuples(index=False):
        expected = sides[row.side][row.metric]
        for f in fields:
            got = float(getattr(row, f))
            assert same(got, float(expected[f])), (row.side, row.metric, f, got, expected[f])
            checked += 1
    assert checked > 100


def test_load_file_and_validate():
    sc = extrasim.load(SCENARIO)
    assert sc.name == "norrkoping-120"
    assert sc.replications == 1000 and sc.seed == 2017
    sc.validate()
    sc2 = extrasim.load(str(SCENARIO), set={"seed": 5, "replications": 12})
    assert (sc2.seed, sc2.replications) == (5, 12)


def test_load_text():
    sc = extrasim.load(SCENARIO.read_text())
    assert sc.name == "norrkoping-120"
    assert sc.source_file == "<text>"


def test_input_error_carries_location():
    with pytest.raises(extrasim.InputError) as info:
        extrasim.load(SOURCE / "tests/inputs/bad/duplicate-key.yaml")
    e = info.value
    assert isinstance(e, ValueError)
    assert e.file.endswith("duplicate-key.yaml")
    assert e.line == 3 and e.column > 0
    assert e.path == "groups.0.size"
    assert e.found == "a duplicate key"
    assert e.expected == "each key once"
    assert "duplicate-key.yaml:3:" in str(e)


def test_override_error_names_the_override():
    with pytest.raises(extrasim.InputError) as info:
        extrasim.load(SCENARIO, set={"programme.extension_probability": 1.5})
    e = info.value
    assert e.file == "--set programme.extension_probability=1.5"
    assert e.path == "programme.extension_probability"
    assert e.found and e.expected


def test_text_error_has_a_line():
    with pytest.raises(extrasim.InputError) as info:
        extrasim.load("name: x\ncalendar: {start: 2016-01, months: nope}\ngroups: [{name: g, size: 1}]\n")
    assert info.value.file == "<text>" and info.value.line == 2


def test_run_matches_cli_json_bit_for_bit():
    sc = extrasim.load(SCENARIO)
    r = extrasim.run(sc, replications=24, seed=3, threads=1)
    j = cli_json("run", SCENARIO, "--replications", 24, "--seed", 3, "--threads", 2)
    fields = ["mean", "sd", "se", "p025", "p05", "p50", "p95", "p975", "p_positive"]
    check_summary_against_json(r.summary(), j["metrics"], fields)
    yearly = r.yearly()
    assert sorted(yearly["year"].unique()) == [2017, 2018]
    for year, frame in yearly.groupby("year"):
        check_summary_against_json(frame, j["yearly_summary"][str(year)], fields)
    monthly = r.monthly()
    assert len(monthly) > 0
    for row in monthly.itertuples(index=False):
        month = next(m for m in j["monthly"] if m["month"] == row.month)
        assert same(float(row.mean), float(month[row.side][row.metric]))
    p = r.provenance
    assert p["seed"] == 3 and p["replications"] == 24
    assert p["set"] == j["provenance"]["set"] == ["--replications 24", "--seed 3"]
    assert p["inputs"] == j["provenance"]["inputs"]
    assert r.replications == 24 and r.seed == 3


def test_samples_are_the_replications():
    sc = extrasim.load(SCENARIO)
    r = extrasim.run(sc, replications=40, seed=9)
    d = r.samples("municipality.net")
    s = r.samples("municipality.net", side="scenario")
    b = r.samples("municipality.net", side="baseline")
    assert isinstance(d, np.ndarray) and d.dtype == np.float64 and d.shape == (40,)
    assert np.array_equal(d, s - b)
    row = r.summary().query("side == 'difference' and metric == 'municipality.net'").iloc[0]
    assert np.quantile(d, 0.5) == pytest.approx(row.p50, rel=1e-12)
    assert d.mean() == pytest.approx(row["mean"], rel=1e-9)
    y = r.samples("municipality.net", period=2018)
    assert y.shape == (40,)
    with pytest.raises(extrasim.InputError):
        r.samples("no.such.metric")


def test_expected_matches_cli_json():
    sc = extrasim.load(BANDS)
    e = extrasim.expected(sc)
    assert e.exact
    j = cli_json("expected", BANDS)
    assert "pv.municipality.net" in set(e.summary()["metric"])
    check_summary_against_json(e.summary(), j["metrics"], ["mean"])
    assert list(e.summary().columns) == ["side", "metric", "mean"]
    with pytest.raises(extrasim.InputError):
        e.samples("municipality.net")


def test_discounted_run_matches_cli_json():
    r = extrasim.run(extrasim.load(BANDS), threads=2)
    j = cli_json("run", BANDS)
    check_summary_against_json(r.summary(), j["metrics"], ["mean", "sd", "p025", "p975", "p_positive"])
    assert "pv.public.net" in set(r.summary()["metric"])
    with pytest.raises(extrasim.InputError) as info:
        extrasim.expected(extrasim.load(SCENARIO))
    assert info.value.path == "programme.intake"


def test_to_json_is_the_clis_json():
    sc = extrasim.load(SCENARIO)
    r = extrasim.run(sc, replications=8, seed=4, threads=2)
    ours = __import__("json").loads(r.to_json())
    theirs = cli_json("run", SCENARIO, "--replications", 8, "--seed", 4, "--threads", 2)
    assert ours == theirs


def test_compare_matches_cli_json():
    a, b = extrasim.load(SCENARIO), extrasim.load(OTHER)
    c = extrasim.compare([a, b], replications=12, seed=5)
    j = cli_json("compare", SCENARIO, OTHER, "--replications", 12, "--seed", 5)
    assert list(c["scenario"].unique()) == j["scenarios"] == ["norrkoping-120", "norrkoping-200"]
    assert sorted(c["period"].unique()) == sorted(j["periods"])
    checked = 0
    for row in c.itertuples(index=False):
        period = j["periods"][row.period]
        assert same(float(row.mean), float(period["means"][row.scenario][row.metric]))
        if row.scenario == "norrkoping-120":
            assert math.isnan(row.versus_first_mean)
            continue
        d = period["versus_first"][row.scenario][row.metric]
        for ours, theirs in [("versus_first_mean", "mean"), ("versus_first_p025", "p025"),
                             ("versus_first_p975", "p975"), ("versus_first_share_higher", "p_positive")]:
            assert same(float(getattr(row, ours)), float(d[theirs])), (row.period, row.metric, ours)
        checked += 1
    assert checked > 50


def test_tax_matches_cli():
    t = extrasim.tax(2018, 18700)
    j = cli_json("tax", 2018, 18700)
    m = j["monthly"]
    assert same(t["municipal"], float(m["municipal_tax"]))
    assert same(t["regional"], float(m["regional_tax"]))
    assert same(t["state"], float(m["state_tax"]))
    assert same(t["jobbskatteavdrag"], float(m["jobbskatteavdrag"]))
    assert same(t["total"], float(m["tax"]))
    assert same(t["net_of_tax"], float(m["net_of_tax"]))
    assert same(t["grundavdrag_annual"], float(j["annual"]["grundavdrag"]))
    with pytest.raises(extrasim.InputError) as info:
        extrasim.tax(1800, 1000)
    assert info.value.file == "year"


def test_bonus_matches_cli():
    units = SOURCE / "data/units-2017.csv"
    b = extrasim.bonus(units, counts={"Motala": 40})
    j = cli_json("bonus", units, "--count", "Motala=40")
    rows = {u["name"]: u for u in j["units"]}
    assert len(b) == len(rows) == 311
    for row in b.itertuples(index=False):
        assert same(float(row.payout), float(rows[row.name]["payout"])), row.name
    assert b["payout"].sum() == pytest.approx(500e6)


def test_progress_is_called_on_the_callers_thread():
    calls = []
    caller = threading.get_ident()
    sc = extrasim.load(SCENARIO)
    extrasim.run(sc, replications=40, seed=1, threads=2,
                 progress=lambda done, total: calls.append((done, total, threading.get_ident())))
    assert calls and calls[-1][:2] == (40, 40)
    assert all(t == caller for _, _, t in calls)
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)


def test_an_exception_in_progress_cancels_the_run():
    sc = extrasim.load(SCENARIO)

    def stop(done, total):
        raise RuntimeError("enough")

    start = time.monotonic()
    with pytest.raises(RuntimeError, match="enough"):
        extrasim.run(sc, replications=100000, seed=1, threads=2, progress=stop, force=True)
    assert time.monotonic() - start < 5


def test_ctrl_c_cancels_a_run_within_a_second():
    sc = extrasim.load(SCENARIO)
    interrupt = InterruptOnceStarted()
    with pytest.raises(KeyboardInterrupt):
        extrasim.run(sc, replications=100000, seed=1, threads=2, force=True, progress=interrupt)
    assert interrupt.sent is not None  # the run had started when the signal came
    assert time.monotonic() - interrupt.sent < 1.0  # from the signal to the exception


def test_the_gil_is_released_during_a_run():
    sc = extrasim.load(SCENARIO)
    ticks = 0
    running = True

    def count():
        nonlocal ticks
        while running:
            ticks += 1

    t = threading.Thread(target=count)
    t.start()
    try:
        r = extrasim.run(sc, replications=200, seed=2, threads=1)
    finally:
        running = False
        t.join()
    assert r.replications == 200
    assert ticks > 1000


def test_run_size_guard():
    sc = extrasim.load(SCENARIO, set={"groups.0.size": 10_000_000})
    with pytest.raises(extrasim.InputError) as info:
        extrasim.run(sc, replications=100_000_000)
    assert "--force" in info.value.expected or "force" in info.value.expected


def test_cmake_install_gives_an_importable_package(tmp_path):
    build = os.environ.get("EXTRASIM_BUILD_DIR", str(SOURCE / "build/release"))
    done = subprocess.run(["cmake", "--install", build, "--prefix", str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "lib/python3/dist-packages"
    code = "import extrasim, sys; print(extrasim.__file__); print(extrasim.tax(2018, 18700)['total'])"
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(str(site))
    assert float(run.stdout.split()[1]) == extrasim.tax(2018, 18700)["total"]
    assert (tmp_path / "bin/extrasim").exists()


def test_cli_samples_csv_equals_the_modules_samples(tmp_path):
    out = tmp_path / "samples.csv"
    cli("run", SCENARIO, "--replications", 30, "--seed", 8, "--samples", out,
        "--samples-metric", "difference.municipality.net", "--samples-metric", "difference.municipality.net.2018",
        "--samples-metric", "scenario.months.xj.2017", "--out", tmp_path / "run.json", "--format", "json")
    r = extrasim.run(extrasim.load(SCENARIO), replications=30, seed=8)
    names = ["difference.municipality.net", "difference.municipality.net.2018", "scenario.months.xj.2017"]
    frame = r.samples_frame(names)
    cli_frame = pd.read_csv(out, float_precision="round_trip")
    assert list(cli_frame.columns) == ["replication", *names]
    pd.testing.assert_frame_equal(frame, cli_frame, check_exact=True, check_dtype=False)  # whole numbers read as int
    assert np.array_equal(frame["difference.municipality.net.2018"], r.samples("municipality.net", period=2018))
    default = tmp_path / "default.csv"
    cli("run", SCENARIO, "--replications", 30, "--seed", 8, "--samples", default, "--out", tmp_path / "r2.json")
    pd.testing.assert_frame_equal(r.samples_frame(), pd.read_csv(default, float_precision="round_trip"), check_exact=True, check_dtype=False)
    with pytest.raises(extrasim.InputError) as info:
        r.samples_frame(["difference.municipality.net.2031"])
    assert "2017, 2018" in info.value.expected
    bad = subprocess.run([os.environ.get("EXTRASIM_CLI", "extrasim"), "run", str(SCENARIO), "--samples", str(tmp_path / "x.csv"),
                          "--samples-metric", "middle.municipality.net"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--samples-metric middle.municipality.net" in bad.stderr
    assert not (tmp_path / "x.csv").exists()
