"""Many groups (see groups.sh): the benchmark cohort split into 1 000 groups, against its 3.

Writes two variants of SCENARIO next to a temporary folder and times all three in turn, round
after round, 1 thread, printing medians of ns per person-month, the paired ratios to the 3-group
original and peak memory at two replication counts:
  * "1 000 groups, 3 kinds": 333 municipalities x the 3 groups (one more long-term group),
    interleaved municipality by municipality, each kind with the same rules and prices, so
    they form 3 counting units (simulate/dynamics.hpp);
  * "1 000 groups, all priced apart": the same with each municipality's fs_benefit 1 kr apart,
    so no two groups are alike (1 000 units): the cost per group-month laid bare.
"""
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENGINE = "build/release/tools/extrasim"


def parts(scenario):
    """(text, the part before the groups, the groups, the part after, each group's size)."""
    text = Path(scenario).read_text()
    head, rest = text.split("groups:\n", 1)
    groups_text, tail = rest.split("\ntransitions:", 1)
    kinds = re.split(r"\n(?=  - name:)", groups_text.strip("\n"))
    sizes = [int(re.search(r"size: (\d+)", k).group(1)) for k in kinds]
    return text, head, kinds, tail, sizes


def split(scenario, distinct_prices):
    """The scenario with each kind split into municipalities, interleaved."""
    _, head, kinds, tail, sizes = parts(scenario)
    counts = [334, 333, 333]
    out = []
    for i in range(max(counts)):
        for kind, size, count in zip(kinds, sizes, counts):
            if i >= count:
                continue
            share = size // count + (1 if i < size % count else 0)
            g = re.sub(r"name: (\w+)", lambda m: f"name: {m.group(1)}_{i}", kind, count=1)
            g = re.sub(r"size: \d+", f"size: {share}", g, count=1)
            if distinct_prices:
                g = re.sub(r"fs_benefit: \[\{from: 2017-01, value: 7700\}", f"fs_benefit: [{{from: 2017-01, value: {7700 + i}}}", g)
                g = re.sub(r"fs_benefit: 7700\b", f"fs_benefit: {7700 + i}", g)
            out.append(g)
    return head + "groups:\n" + "\n".join(out) + "\ntransitions:" + tail


def timed(path, replications):
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", ENGINE, "run", str(path), "--threads", "1",
                        "--replications", str(replications), "--format", "json", "--out", "-"],
                       capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    user, system, peak_kb = p.stderr.strip().splitlines()[-1].split()
    return wall, float(user) + float(system), int(peak_kb) / 1024.0


def write_variants(scenario, folder):
    """The two 1 000-group files in `folder`: {name: path}, the 3-group original first."""
    variants = {"3 groups (the cohort)": Path(scenario)}
    for name, distinct in (("1 000 groups, 3 kinds", False), ("1 000 groups, all priced apart", True)):
        path = Path(folder) / f"groups-1000-{'apart' if distinct else 'kinds'}.yaml"
        path.write_text(split(scenario, distinct))
        variants[name] = path
    return variants


def main(scenario, rounds, reps):
    with tempfile.TemporaryDirectory() as work:
        variants = write_variants(scenario, work)
        text, _, _, _, sizes = parts(scenario)
        persons, months = sum(sizes), int(re.search(r"months:\s*(\d+)", text).group(1))
        work_pm = 2 * persons * months * reps
        runs = {name: [] for name in variants}
        for _ in range(rounds):
            for name, path in variants.items():
                runs[name].append(timed(path, reps))
        base = runs["3 groups (the cohort)"]
        print(f"{scenario}: {persons} persons x {months} months x 2 sides, {reps} replications, 1 thread; "
              f"medians of {rounds} paired rounds\n")
        print(f"{'':34}{'ns/pm':>8}{'cpu ns/pm':>11}{'vs 3 groups':>13}{'peak MB':>9}")
        for name, r in runs.items():
            ns = statistics.median(w / work_pm * 1e9 for w, _, _ in r)
            cpu = statistics.median(c / work_pm * 1e9 for _, c, _ in r)
            ratio = statistics.median(w / b[0] for (w, _, _), b in zip(r, base))
            mb = statistics.median(m for _, _, m in r)
            print(f"{name:34}{ns:8.2f}{cpu:11.2f}{ratio:12.2f}x{mb:9.1f}")
        flat = {name: timed(path, 10 * reps)[2] for name, path in variants.items()}
        print(f"\npeak MB at {10 * reps} replications: " + ", ".join(f"{n}: {m:.1f}" for n, m in flat.items()))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
