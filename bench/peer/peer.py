#!/usr/bin/python3
"""A vectorised numpy implementation of the extrasim model, the peer for the throughput
benchmark: arrays over persons, a loop over months, no per-person Python loop.

It implements the model of docs/model.md for scenarios without capacity intake and without
`uncertainty` (the benchmark's kind): groups, initial split, duration bands, group rows,
rate-based intake with eligibility and re-entry, early exits, decisions, extensions and
max_months, timelines, the ledger, the baseline with common random numbers, discounting.
Its random numbers are numpy's (PCG64), so its means agree with extrasim's within their
standard errors, not to the bit.

usage: peer.py SCENARIO.yaml [--replications N] [--json]
"""
import argparse
import json
import math
import resource
import sys
import time

import numpy as np
import yaml

STATES = ["fs", "xj", "job", "other", "exit"]
FS, XJ, JOB, OTHER, EXIT = range(5)


def month_serial(text):
    y, m = text.split("-")
    return int(y) * 12 + int(m) - 1


def timeline(value, start, months):
    """A number or [{from, value}] as an array over the horizon."""
    if not isinstance(value, list):
        return np.full(months, float(value))
    out = np.empty(months)
    for m in range(months):
        v = value[0]["value"]
        for e in value:
            if month_serial(str(e["from"])) <= start + m:
                v = e["value"]
        out[m] = v
    return out


def bands_of(row):
    """[(until or None, probs[5])] for a plain or banded row."""
    if row is None:
        return [(None, np.zeros(5))]
    if isinstance(row, dict):
        row = [{"to": row}]
    out = []
    for b in row:
        p = np.zeros(5)
        for k, v in b["to"].items():
            p[STATES.index(k)] = v
        out.append((b.get("until"), p))
    return out


def split(size, shares):
    exact = np.array([size * shares.get(s, 0.0) for s in STATES])
    counts = np.floor(exact + 1e-9).astype(int)
    rem = exact - counts
    for i in sorted(range(5), key=lambda i: -rem[i])[: size - counts.sum()]:
        counts[i] += 1
    return counts


class Model:
    def __init__(self, sc):
        self.sc = sc
        cal = sc["calendar"]
        self.start, self.months = month_serial(str(cal["start"])), int(cal["months"])
        prog = sc.get("programme")
        if prog and prog.get("intake"):
            sys.exit("peer.py: capacity intake is not implemented in the peer")
        if sc.get("uncertainty"):
            sys.exit("peer.py: uncertainty is not implemented in the peer")
        self.prog = prog
        self.max_months = prog.get("max_months", 24) if prog else 24
        self.decision = prog.get("decision_months", 12) if prog else 12
        self.ext = prog["extension_probability"] if prog else 0.0
        self.reentry = prog.get("reentry", False) if prog else False
        exp = np.zeros(5)
        if prog:
            for k, v in prog["on_expiry"].items():
                exp[STATES.index(k)] = v
        self.expiry_cum = np.cumsum(exp)
        self.expiry_cum[np.nonzero(exp)[0].max() if exp.any() else 0:] = 1.0
        groups = sc["groups"]
        untils = [b[0] for row in self._all_rows() for b in bands_of(row) if b[0]]
        sup = (prog or {}).get("supervision_support")
        self.cap = max([1, self.max_months] + untils + ([sup["first_months"]] if sup else []))
        G, D = len(groups), self.cap + 1
        self.cum = np.zeros((G, 5, D, 5))  # cumulative thresholds per group, origin, d
        for g, grp in enumerate(groups):
            own = grp.get("transitions", {}) or {}
            for s in range(4):
                row = own.get(STATES[s], sc.get("transitions", {}).get(STATES[s]))
                bands = bands_of(row)
                for d in range(D):
                    p = next(pb for u, pb in bands if u is None or d < u).copy()
                    p[s] = 0.0
                    self.cum[g, s, d] = np.cumsum(p)
        self.sizes = [int(g["size"]) for g in groups]
        self.group_of = np.repeat(np.arange(G), self.sizes)
        self.N = sum(self.sizes)
        self._prices()

    def _all_rows(self):
        rows = list((self.sc.get("transitions") or {}).values())
        for g in self.sc["groups"]:
            rows += list((g.get("transitions") or {}).values())
        return rows

    def _prices(self):
        sc, M, st = self.sc, self.months, self.start
        acc, prog = sc.get("accounting", {}) or {}, self.prog or {}
        fee = timeline(acc.get("statutory_fee", 0.3142), st, M)
        oncost = timeline(acc.get("payroll_oncost", 0.3915), st, M)
        tax = timeline(acc.get("municipal_tax_rate", 0.0), st, M)
        sub = prog.get("subsidy", {}) or {}
        share = timeline(sub.get("share", 1.0), st, M)
        days = sub.get("days_per_month", 21.67)
        cap = timeline(sub["cap_per_day"], st, M) if "cap_per_day" in sub else None
        self.p = {}
        for key in ["fs", "topup", "W", "wagecost", "subsidy", "xjtax", "xjfee", "job", "jobtax", "jobfee", "act"]:
            self.p[key] = np.zeros((M, len(sc["groups"])))
        for g, grp in enumerate(sc["groups"]):
            wt = grp.get("working_time", 1.0)
            W = timeline(grp.get("wage", 0), st, M) * wt
            jw = timeline(grp.get("job_wage", 0), st, M)
            subsidy = share * W * (1 + fee)
            if cap is not None:
                subsidy = np.minimum(subsidy, cap * days * wt)
            for key, val in [("fs", timeline(grp.get("fs_benefit", 0), st, M)),
                             ("topup", timeline(grp.get("fs_topup_in_xj", 0), st, M)), ("W", W),
                             ("wagecost", W * (1 + oncost)), ("subsidy", subsidy if self.prog else 0 * W),
                             ("xjtax", tax * W), ("xjfee", fee * W), ("job", jw), ("jobtax", tax * jw),
                             ("jobfee", fee * jw), ("act", timeline(grp.get("activity_support", 0), st, M))]:
                self.p[key][:, g] = val
        sup = prog.get("supervision_support")
        self.first_months = sup["first_months"] if sup else 0
        self.sup_first = sup["first_per_day"] * days if sup else 0.0
        self.sup_then = sup["then_per_day"] * days if sup else 0.0
        self.sup_cost = timeline(prog.get("supervision_cost", 0), st, M)
        r = acc.get("discount_rate", 0.0)
        self.discount = (1 + r) ** (-np.arange(M) / 12.0)

    def initial(self, programme_on):
        state, d, x = [], [], []
        for grp, size in zip(self.sc["groups"], self.sizes):
            counts = split(size, grp.get("initial", {"fs": 1.0}))
            dur = min(grp.get("initial_duration", 0), self.cap)
            for s in range(5):
                s0 = FS if (s == XJ and not programme_on) else s
                state += [s0] * counts[s]
                d += [dur] * counts[s]
                x += [min(dur, self.max_months) if (s == XJ and programme_on) else 0] * counts[s]
        state = np.array(state, dtype=np.int8)
        return state, np.array(d, dtype=np.int16), np.array(x, dtype=np.int16), state == XJ

    def simulate(self, uniforms, programme_on):
        """One side of one replication; uniforms[m] = (transition, programme, expiry) arrays."""
        M, G = self.months, len(self.sizes)
        state, d, x, ever = self.initial(programme_on)
        grp = self.group_of
        counts = np.zeros((M, G, 5))
        xj_first = np.zeros((M, G))
        starts = np.zeros((M, G))
        for m in range(M):
            counts[m] = np.bincount(grp * 5 + state, minlength=G * 5).reshape(G, 5)
            inxj = state == XJ
            xj_first[m] = np.bincount(grp[inxj & (d < self.first_months)], minlength=G)
            if m + 1 == M:
                break
            u_t, u_p, u_e = uniforms[m]
            dest = (u_t[:, None] >= self.cum[grp, state, d]).sum(axis=1)  # 5 = stay
            new = state.copy()
            # everyone but xj: the row; a draw to xj starts only the eligible
            moving = (~inxj) & (state != EXIT) & (dest < 5)
            eligible = (x < self.max_months) if self.reentry else ~ever
            to_xj = moving & (dest == XJ)
            start = to_xj & eligible & programme_on
            new[moving & (dest != XJ)] = dest[moving & (dest != XJ)]
            new[start] = XJ
            ever = ever | start
            starts[m + 1] = np.bincount(grp[start], minlength=G)
            # xj: early exit, expiry, decision
            if programme_on:
                xn = np.where(inxj, np.minimum(x + 1, self.max_months), x)
                early = inxj & (dest < 5)
                new[early] = dest[early]
                rest = inxj & ~early
                expire = rest & (xn >= self.max_months)
                decide = rest & ~expire & ((d + 1) % self.decision == 0)
                leave = expire | (decide & (u_p >= self.ext))
                exp_dest = (u_e[:, None] >= self.expiry_cum[None, :]).sum(axis=1)
                new[leave] = exp_dest[leave]
                x = xn
            d = np.where(new == state, np.minimum(d + 1, self.cap), 0).astype(np.int16)
            state = new
        return counts, xj_first, starts

    def ledger(self, counts, xj_first, starts):
        p = self.p
        fs, xj, job, other = counts[..., FS], counts[..., XJ], counts[..., JOB], counts[..., OTHER]
        support = (xj_first * self.sup_first + (xj - xj_first) * self.sup_then).sum(1)
        out = {
            "municipality.fs_benefit": -(fs * p["fs"] + xj * p["topup"]).sum(1),
            "municipality.xj_wage_cost": -(xj * p["wagecost"]).sum(1),
            "municipality.xj_subsidy": (xj * p["subsidy"]).sum(1),
            "municipality.supervision_support": support,
            "municipality.supervision_cost": -xj.sum(1) * self.sup_cost,
            "municipality.tax_revenue": (xj * p["xjtax"] + job * p["jobtax"]).sum(1),
            "state.subsidy_paid": -(xj * p["subsidy"]).sum(1) - support,
            "state.employer_fees": (xj * p["xjfee"] + job * p["jobfee"]).sum(1),
            "state.activity_support": -(other * p["act"]).sum(1),
            "individual.income": (fs * p["fs"] + xj * (p["W"] + p["topup"]) + job * p["job"] + other * p["act"]).sum(1),
        }
        mun = sum(v for k, v in out.items() if k.startswith("municipality."))
        sta = sum(v for k, v in out.items() if k.startswith("state."))
        out.update({"municipality.net": mun, "state.net": sta, "public.net": mun + sta,
                    "pv.municipality.net": mun * self.discount, "pv.public.net": (mun + sta) * self.discount})
        for s in range(5):
            out["months." + STATES[s]] = counts[..., s].sum(1)
        out["starts.xj"] = starts.sum(1)
        totals = {k: float(v.sum()) for k, v in out.items()}
        for s in range(5):
            totals["end." + STATES[s]] = float(counts[-1, :, s].sum())
        return totals


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario")
    ap.add_argument("--replications", type=int)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    sc = yaml.safe_load(open(a.scenario))
    model = Model(sc)
    reps = a.replications or int(sc.get("replications", 1000))
    rng = np.random.default_rng(int(sc.get("seed", 1)))
    samples = {}
    t0 = time.perf_counter()
    for _ in range(reps):
        # common random numbers: the same uniforms for scenario and baseline
        uniforms = [rng.random((3, model.N)) for _ in range(model.months - 1)]
        s = model.ledger(*model.simulate(uniforms, True))
        b = model.ledger(*model.simulate(uniforms, False))
        for k in s:
            samples.setdefault("scenario." + k, []).append(s[k])
            samples.setdefault("baseline." + k, []).append(b[k])
            samples.setdefault("difference." + k, []).append(s[k] - b[k])
    seconds = time.perf_counter() - t0
    person_months = 2 * model.N * model.months * reps
    stats = {k: {"mean": float(np.mean(v)), "se": float(np.std(v, ddof=1) / math.sqrt(len(v))) if len(v) > 1 else 0.0}
             for k, v in samples.items()}
    result = {"replications": reps, "seconds": seconds, "person_months": person_months,
              "ns_per_person_month": seconds / person_months * 1e9,
              "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, "metrics": stats}
    if a.json:
        json.dump(result, sys.stdout)
    else:
        print(f"{reps} replications, {seconds:.2f} s, {result['ns_per_person_month']:.1f} ns per person-month")
        for k in ["difference.municipality.net", "difference.months.xj", "scenario.starts.xj"]:
            print(f"{k}: {stats[k]['mean']:.1f} (se {stats[k]['se']:.1f})")


if __name__ == "__main__":
    main()
