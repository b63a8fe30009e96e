"""extrasim from Python: load scenarios, run them, read the results as pandas DataFrames.

A thin client of the C++ library (docs/python.md), like the command line:

    import extrasim
    sc = extrasim.load("scenarios/base.yaml", set={"population.groups.0.size": 500})
    r = extrasim.run(sc, replications=200, seed=7)
    r.summary()                       # side, metric, mean, sd, se, quantiles
    r.samples("municipality.net")     # per-replication values (numpy)

Bad input raises extrasim.InputError (a ValueError) with file, line, column, path, found and
expected. A run releases the GIL; Ctrl-C cancels it (KeyboardInterrupt); progress(done, total)
is called on the caller's thread.
"""
import os
import tempfile
import warnings as _warnings

import pandas as pd

from . import _extrasim
from ._extrasim import InputError, Scenario, RunResult  # noqa: F401

__version__ = _extrasim.__version__
__all__ = ["load", "run", "expected", "compare", "sweep", "sensitivity", "tax", "bonus", "InputError",
           "Scenario", "Result"]


def _yaml_value(value):
    """A Python value as the YAML text an override reads."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # round-trip precision
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    return str(value)


def _sets(set):
    return [(str(path), _yaml_value(value)) for path, value in (set or {}).items()]


def load(source, set=None):
    """A scenario from a file (a path) or from YAML text (a string with a line break).

    set: {PATH: VALUE}, the CLI's --set PATH=VALUE; validated like it."""
    if isinstance(source, os.PathLike) or (isinstance(source, str) and "\n" not in source):
        return _extrasim.load_file(os.fspath(source), _sets(set))
    return _extrasim.load_text(source, "<text>", _sets(set))


class Result:
    """A run's results (Monte Carlo, or expected values with exact=True)."""

    def __init__(self, native):
        self._r = native

    scenario = property(lambda self: self._r.scenario)
    seed = property(lambda self: self._r.seed)
    replications = property(lambda self: self._r.replications)
    exact = property(lambda self: self._r.exact)
    notes = property(lambda self: list(self._r.notes))
    warnings = property(lambda self: list(self._r.warnings))
    provenance = property(lambda self: self._r.provenance)

    def summary(self, period="total"):
        """One row per side and metric: mean, sd, se, p025, p05, p50, p95, p975, p_positive
        (expected values: mean only). period: "total" or a calendar year."""
        return pd.DataFrame(self._r.summary_columns(period))

    def yearly(self):
        """summary() of every calendar year, with a `year` column first."""
        frames = []
        for p in self._r.periods[1:]:
            f = self.summary(int(p))
            f.insert(0, "year", int(p))
            frames.append(f)
        return pd.concat(frames, ignore_index=True)

    def monthly(self):
        """Means per month, side and metric (flows only, as in the JSON)."""
        return pd.DataFrame(self._r.monthly_columns())

    def samples(self, metric, side="difference", period="total"):
        """The per-replication values of one metric (numpy array, in replication order)."""
        return self._r.samples(metric, side, period)

    def samples_frame(self, columns=("difference.municipality.net", "difference.region.net",
                                     "difference.state.net", "difference.public.net")):
        """Per-replication values as a DataFrame, one row per replication: the CSV of
        `extrasim run --samples FILE.csv --samples-metric COLUMN ...`. Columns are SIDE.METRIC
        or SIDE.METRIC.YEAR (difference.municipality.net.2018)."""
        return pd.DataFrame(self._r.sample_columns(list(columns)))

    def to_json(self):
        """The CLI's JSON (extrasim run --format json) of this result."""
        return self._r.to_json()

    def __repr__(self):
        kind = "expected values" if self.exact else f"{self.replications} replications"
        return f"<extrasim.Result '{self.scenario}': {kind}, seed {self.seed}>"


def run(scenario, replications=None, seed=None, threads=0, progress=None, force=False):
    """Runs a scenario by Monte Carlo. replications/seed override the scenario's (as the CLI's
    --replications/--seed). progress(done, total) is called as blocks complete. Refuses absurd
    sizes (InputError) unless force=True."""
    if not force:
        reps = replications if replications is not None else scenario.replications
        _extrasim.check_run_size(scenario, reps, threads)
    return Result(_extrasim.run(scenario, replications, seed, threads, progress))


def expected(scenario):
    """Expected values by the exact Markov chain (means only)."""
    return Result(_extrasim.expected(scenario))


def compare(scenarios, replications=None, seed=None, threads=0):
    """Scenarios run with the first one's seed and replications (the same people and random
    numbers), one row per scenario, period and metric: its mean and its paired difference to
    the first (NaN for the first). The comparison's warnings are in .attrs["warnings"]."""
    columns, warnings = _extrasim.compare_columns(list(scenarios), replications, seed, threads)
    frame = pd.DataFrame(columns)
    frame.attrs["warnings"] = list(warnings)
    return frame


def tax(year, monthly_income, benefit=0.0, municipal_rate=None, regional_rate=None):
    """A person's monthly Swedish income tax (extrasim tax), as a dict of kr."""
    return _extrasim.tax(year, monthly_income, benefit, municipal_rate, regional_rate)


def bonus(units_file, pot=500e6, target_municipalities=6000, target_regions=500, counts=None,
          spread_total=None, marginal="", steps=10):
    """The performance-based grant for a units table (extrasim bonus): one row per unit.
    counts: {NAME: N}. With marginal=NAME, returns (units, marginal table)."""
    count_list = [f"{k}={_yaml_value(v)}" for k, v in (counts or {}).items()]
    units, marg = _extrasim.bonus_columns(os.fspath(units_file), pot, target_municipalities,
                                          target_regions, count_list, spread_total, marginal, steps)
    units = pd.DataFrame(units)
    if marginal:
        return units, pd.DataFrame(marg)
    return units


def _read_csv(path):
    # round_trip: the CSV carries 17 significant digits, read back to the same doubles
    return pd.read_csv(path, float_precision="round_trip")


def sweep(sweep_file, out=None, resume=False, threads=0, progress=None):
    """Runs a sweep file (docs/sweeps.md) and returns its rows as a DataFrame (point, the
    parameters, metric, mean, sd, se, p05, p50, p95): the CSV `extrasim sweep` writes, byte for
    byte. With out=FILE the CSV and FILE.manifest.json stay; each point is flushed to disk as it
    finishes, Ctrl-C stops the sweep after the points in flight, and resume=True continues it.
    progress(points written, points to run) is called on the caller's thread."""
    if out is None:
        if resume:
            raise ValueError("resume=True needs the file to resume: out=FILE")
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "sweep.csv")
            _extrasim.sweep(os.fspath(sweep_file), path, False, threads, progress)
            return _read_csv(path)
    _extrasim.sweep(os.fspath(sweep_file), os.fspath(out), resume, threads, progress)
    return _read_csv(out)


def sensitivity(results_file, resamples=1000, level=0.95, seed=1):
    """Sobol indices from a Sobol sweep's results file (extrasim sensitivity): one row per
    metric, parameter and index (first, total) with estimate, lo, hi (NaN when the output does
    not vary). A note (no manifest to check) is in .attrs["note"] and issued as a warning."""
    columns, note = _extrasim.sensitivity_columns(os.fspath(results_file), resamples, level, seed)
    frame = pd.DataFrame(columns)
    frame.attrs["note"] = note
    if note:
        _warnings.warn(note)
    return frame
