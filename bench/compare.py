"""Runs extrasim and the numpy peer on one scenario and prints the comparison (see compare.sh)."""
import json
import math
import re
import statistics
import subprocess
import sys
import time

ENGINE = "build/release/tools/extrasim"
scenario, peer_reps, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
engine_reps = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else None


def timed(cmd):
    """Runs cmd under /usr/bin/time; returns (stdout, wall seconds, cpu seconds, peak MB)."""
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%U %S %M"] + cmd, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    user, system, peak_kb = p.stderr.strip().splitlines()[-1].split()
    return p.stdout, seconds, float(user) + float(system), int(peak_kb) / 1024.0


def scenario_size():
    text = open(scenario).read()
    persons = sum(int(s) for s in re.findall(r"^\s+size:\s*(\d+)", text, re.M))
    months = int(re.search(r"months:\s*(\d+)", text).group(1))
    reps = int(re.search(r"^replications:\s*(\d+)", text, re.M).group(1))
    return persons, months, reps


persons, months, reps = scenario_size()
reps = engine_reps or reps
work = lambda r: 2 * persons * months * r  # person-months, scenario and baseline

# This machine is shared (2 cores, other work running): single timings vary by 5-50 %. So the
# three configurations run in turn, round after round (peer, 1 thread, 2 threads, ...), every
# figure is the median over the rounds, and each ratio is the median of the ratios within a
# round (paired), which holds when the machine's speed drifts between rounds. CPU seconds
# (user + system) are printed too: under contention they move less than wall time.
engine, configs = {}, {}
for _ in range(rounds):
    out, wall, cpu, mb = timed(["/usr/bin/python3", "bench/peer/peer.py", scenario, "--replications", str(peer_reps), "--json"])
    peer = json.loads(out)
    configs.setdefault("numpy peer (1 core)", []).append((wall / work(peer_reps) * 1e9, cpu / work(peer_reps) * 1e9, mb))
    for threads in (1, 2):
        out, wall, cpu, mb = timed([ENGINE, "run", scenario, "--threads", str(threads), "--replications", str(reps), "--format", "json"])
        engine[threads] = json.loads(out)
        name = f"extrasim, {threads} thread{'s' if threads > 1 else ''}"
        configs.setdefault(name, []).append((wall / work(reps) * 1e9, cpu / work(reps) * 1e9, mb))

print(f"scenario {scenario}: {persons} persons x {months} months x 2 sides; engine {reps} replications, "
      f"peer {peer_reps}; medians of {rounds} paired rounds\n")
print(f"{'':24}{'ns/person-month':>16}{'cpu ns/pm':>11}{'person-months/s':>18}{'peak MB':>10}{'vs peer':>10}")
peer_runs = configs["numpy peer (1 core)"]
for name, runs in configs.items():
    ns = statistics.median(r[0] for r in runs)
    cpu_ns = statistics.median(r[1] for r in runs)
    mb = statistics.median(r[2] for r in runs)
    vs = statistics.median(p[0] / r[0] for p, r in zip(peer_runs, runs))
    print(f"{name:24}{ns:16.2f}{cpu_ns:11.2f}{1e9 / ns:18.3e}{mb:10.1f}{vs:9.1f}x")
one, two = configs["extrasim, 1 thread"], configs["extrasim, 2 threads"]
print(f"\n2 threads vs 1 (median of paired ratios, wall): {statistics.median(a[0] / b[0] for a, b in zip(one, two)):.2f}x")

_, _, _, mb_10k = timed([ENGINE, "run", scenario, "--threads", "2", "--replications", "10000", "--format", "csv"])
print(f"peak memory, 2 threads: {statistics.median(r[2] for r in two):.1f} MB at {reps} replications, {mb_10k:.1f} MB at 10 000")
_, exp_seconds, _, _ = timed([ENGINE, "expected", scenario, "--format", "csv"])
print(f"extrasim expected: {exp_seconds:.3f} s")

# Equal work: the peer's means must agree with the engine's within their standard errors.
worst = 0.0
checked = 0
for key, p in peer["metrics"].items():
    side, metric = key.split(".", 1)
    e = engine[1]["metrics"][side].get(metric)
    if e is None:
        continue
    se = math.sqrt(e["se"] ** 2 + p["se"] ** 2)
    z = abs(e["mean"] - p["mean"]) / se if se > 0 else (0.0 if abs(e["mean"] - p["mean"]) < 1e-6 * max(1, abs(e["mean"])) else math.inf)
    worst = max(worst, z)
    checked += 1
print(f"peer vs engine means: {checked} metrics, largest gap {worst:.2f} combined standard errors"
      f" ({'agree' if worst <= 4 else 'DISAGREE'} at 4)")
sys.exit(0 if worst <= 4 else 1)
