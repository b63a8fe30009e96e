"""Sweeps and sensitivity from Python: the DataFrame is the CLI's CSV, a stopped sweep
resumes to the same file, Ctrl-C stops a sweep, Sobol indices equal the CLI's."""
import csv
import json
import math
import os
import signal
import threading
import time

import pandas as pd
import pytest

import extrasim
from conftest import SOURCE, InterruptOnceStarted, cli

DATA = SOURCE / "tests/python/data"


def csv_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def same_cell(value, cell):
    if cell == "":
        return isinstance(value, float) and math.isnan(value)
    try:
        return float(value) == float(cell)
    except ValueError:
        return str(value) == cell


def test_sweep_dataframe_equals_the_cli_csv(tmp_path):
    cli("sweep", DATA / "sweep.yaml", "--out", tmp_path / "cli.csv", "--threads", 2)
    frame = extrasim.sweep(DATA / "sweep.yaml", out=tmp_path / "py.csv", threads=1)
    assert (tmp_path / "py.csv").read_bytes() == (tmp_path / "cli.csv").read_bytes()
    rows = csv_rows(tmp_path / "cli.csv")
    assert len(frame) == len(rows) == 6 * 3
    assert list(frame.columns) == list(rows[0].keys())
    for (_, row), expected in zip(frame.iterrows(), rows):
        for column, cell in expected.items():
            assert same_cell(row[column], cell), (column, row[column], cell)
    pd.testing.assert_frame_equal(extrasim.sweep(DATA / "sweep.yaml"), frame, check_exact=True)


def test_a_stopped_sweep_resumes_to_the_same_file(tmp_path):
    sweep_file = DATA / "resume-sweep.yaml"
    cli("sweep", sweep_file, "--out", tmp_path / "cli.csv")
    out = tmp_path / "py.csv"

    def stop_after_two(done, total):
        if done >= 2:
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        extrasim.sweep(sweep_file, out=out, progress=stop_after_two)
    assert json.loads((tmp_path / "py.csv.manifest.json").read_text())["finished"] is None
    written = len(csv_rows(out))
    assert 2 <= written < 20
    with pytest.raises(extrasim.InputError):
        extrasim.sweep(sweep_file, out=out)  # never overwritten without resume
    calls = []
    frame = extrasim.sweep(sweep_file, out=out, resume=True, progress=lambda d, t: calls.append((d, t)))
    assert out.read_bytes() == (tmp_path / "cli.csv").read_bytes()
    assert len(frame) == 20
    assert calls[-1] == (20 - written, 20 - written)


def test_ctrl_c_stops_a_sweep_which_resumes(tmp_path):
    out = tmp_path / "long.csv"
    interrupt = InterruptOnceStarted()
    with pytest.raises(KeyboardInterrupt):
        extrasim.sweep(DATA / "long-sweep.yaml", out=out, threads=2, progress=interrupt)
    assert interrupt.sent is not None  # the run had started when the signal came
    assert time.monotonic() - interrupt.sent < 1.0  # from the signal to the exception
    rows = csv_rows(out)
    assert len(rows) < 5000
    assert json.loads((tmp_path / "long.csv.manifest.json").read_text())["finished"] is None


def test_sensitivity_equals_the_cli(tmp_path):
    results = tmp_path / "sobol.csv"
    cli("sweep", DATA / "sobol.yaml", "--out", results)
    frame = extrasim.sensitivity(results, resamples=200, seed=4)
    (tmp_path / "s.csv").write_text(cli("sensitivity", results, "--bootstrap", 200, "--seed", 4, "--format", "csv"))
    rows = csv_rows(tmp_path / "s.csv")
    assert len(frame) == len(rows) == 4
    assert list(frame.columns) == list(rows[0].keys())
    for (_, row), expected in zip(frame.iterrows(), rows):
        for column, cell in expected.items():
            assert same_cell(row[column], cell), (column, row[column], cell)
    assert frame.attrs["note"] is None


def test_sweep_errors_carry_locations(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((DATA / "sweep.yaml").read_text().replace("scenario: bands.yaml", f"scenario: {DATA}/bands.yaml")
                   .replace("values: [0.5, 0.7, 0.9]", "values: [0.5, 1.7]"))
    with pytest.raises(extrasim.InputError) as info:
        extrasim.sweep(bad)
    assert info.value.file and info.value.path


def test_sweeps_keep_per_year_metrics(tmp_path):
    frame = extrasim.sweep(DATA / "yearly-sweep.yaml")
    assert list(frame["metric"][:3]) == ["difference.municipality.net.2017", "difference.municipality.net.2018",
                                         "difference.municipality.net"]
    base = extrasim.load(SOURCE / "scenarios/norrkoping-120.yaml")
    for places in (80, 160):
        r = extrasim.run(base.with_set([("programme.intake.places", str(places))]), replications=10, seed=6)
        rows = frame[frame["programme.intake.places"] == places].set_index("metric")
        yearly = r.yearly().query("side == 'difference' and metric == 'municipality.net'").set_index("year")
        total = r.summary().query("side == 'difference' and metric == 'municipality.net'").iloc[0]
        assert rows.loc["difference.municipality.net.2017", "mean"] == yearly.loc[2017, "mean"]
        assert rows.loc["difference.municipality.net.2018", "p95"] == yearly.loc[2018, "p95"]
        assert rows.loc["difference.municipality.net", "mean"] == total["mean"]
    bad = tmp_path / "bad.yaml"
    bad.write_text((DATA / "yearly-sweep.yaml").read_text()
                   .replace("../../../scenarios", str(SOURCE / "scenarios")).replace("net.2017", "net.2031"))
    with pytest.raises(extrasim.InputError) as info:
        extrasim.sweep(bad)
    assert info.value.path == "metrics.0" and info.value.line == 10
    assert "2017, 2018" in info.value.expected


def test_sweep_parameters_follow_distributions_within_their_ranges(tmp_path):
    frame = extrasim.sweep(DATA / "shapes-sweep.yaml")
    cli("sweep", DATA / "shapes-sweep.yaml", "--out", tmp_path / "cli.csv")
    pd.testing.assert_frame_equal(frame, pd.read_csv(tmp_path / "cli.csv", float_precision="round_trip"), check_exact=True)
    assert len(frame) == 400
    p = frame["programme.extension_probability"]
    assert p.between(0.5, 0.9).all()
    assert p.mean() == pytest.approx(0.7, abs=0.005) and p.std() == pytest.approx(0.05, rel=0.1)
    w = frame["groups.g.wage"]
    assert w.between(16000, 20000).all()
    assert w.mean() == pytest.approx((16000 + 19000 + 20000) / 3, rel=0.01)  # triangular mean
    j = frame["groups.g.job_wage"]
    assert j.between(20000, 24000).all()
    assert j.mean() == pytest.approx(20000 + 4000 * 2 / 7, rel=0.005)  # beta(2, 5) mean 2/7
    bad = tmp_path / "bad.yaml"
    bad.write_text((DATA / "shapes-sweep.yaml").read_text().replace("bands.yaml", str(DATA / "bands.yaml"))
                   .replace("triangular: 19000", "triangular: 25000"))
    with pytest.raises(extrasim.InputError) as info:
        extrasim.sweep(bad)
    assert info.value.path == "parameters.groups.g.wage.triangular"
