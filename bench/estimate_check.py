"""The run-size guard's time estimate (`extrasim run --dry-run`) against real runs of the shipped
scenarios, the benchmark scenario and it split into 1 000 groups (bench/groups.py) on 1 thread:
within 25 %?

The estimate is of one thread's time on an unloaded machine. This machine is shared, so each
scenario is run ROUNDS times and the median CPU time (user + system, which contention inflates
less than wall time) is compared; the wall time is printed too. The constants were fitted on
these same runs (runner.cpp), so this checks the model's shape and that it has not drifted
from the engine, not its accuracy on unseen scenarios.
    python3 bench/estimate_check.py [ROUNDS]
Exit status 1 when a scenario is off by more than 25 %.
"""
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from groups import write_variants  # noqa: E402  (the benchmark cohort split into 1 000 groups)

ENGINE = "build/release/tools/extrasim"
SCENARIOS = [f"scenarios/{name}.yaml" for name in ("motala", "lund", "timra", "norrkoping-2017", "uppsala-700",
                                                   "national-2017", "national-2018", "bench/national")]
work = tempfile.TemporaryDirectory()
SCENARIOS += [str(p) for p in list(write_variants("scenarios/bench/national.yaml", work.name).values())[1:]]
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3


def estimate(path):
    out = subprocess.run([ENGINE, "run", path, "--threads", "1", "--dry-run"], capture_output=True, text=True,
                         check=True).stdout
    return float(re.search(r"and ([0-9.e+-]+) s on", out).group(1))


def measure(path):
    p = subprocess.run(["/usr/bin/time", "-f", "%e %U %S", ENGINE, "run", path, "--threads", "1", "--format", "json"],
                       capture_output=True, text=True, check=True)
    wall, user, system = map(float, p.stderr.strip().splitlines()[-1].split())
    return wall, user + system


failed = 0
print(f"{'scenario':18}{'estimate s':>12}{'cpu s':>10}{'wall s':>10}{'estimate/cpu':>14}")
for path in SCENARIOS:
    name = Path(path).stem
    runs = [measure(path) for _ in range(rounds)]
    cpu = statistics.median(r[1] for r in runs)
    wall = statistics.median(r[0] for r in runs)
    e = estimate(path)
    ratio = e / cpu if cpu > 0 else float("inf")
    ok = 0.75 <= ratio <= 1.25
    failed += not ok
    print(f"{name:18}{e:12.3g}{cpu:10.2f}{wall:10.2f}{ratio:13.2f}{'' if ok else '  OFF'}")
print(f"{len(SCENARIOS) - failed} within 25 %, {failed} not")
sys.exit(1 if failed else 0)
