"""Benchmark: loading and validating is linear in the size of the file (a script, not a test).

    python -m simcore.bench_validate [--repeat 3]

Rows: a circuit with N protocol events, and one with N regions (each with a projection), for a
small and a ten times larger N. "wall s" / "cpu s" are the best wall and CPU times of ``simcore.loads`` (parse, schema,
semantic checks, derived sizes, build of the description) over the repeats; "x10" is the ratio
of the large row to the small one (CPU time), about 10 for linear time (100 for quadratic). The targets are
20k events and 300k regions each validated in under 2 s.
"""
from __future__ import annotations

import argparse
import json
import time


def events_doc(n: int) -> str:
    doc = {"format": "synaptica-circuit", "version": 1, "name": "bench_events",
           "regions": [{"name": "In", "model": "poisson", "size": 10, "role": "excitatory"},
                       {"name": "E", "model": "lif", "size": 10, "role": "excitatory"}],
           "projections": [{"name": "In->E", "source": "In", "target": "E", "synapse": "excitatory",
                            "connectivity": {"kind": "one_to_one"}, "weights": {"kind": "constant"},
                            "rules": [{"kind": "stdp_pair"}]}],
           "protocol": [e for k in range(n // 2) for e in (
               {"time_s": k * 0.001, "action": "set", "target": "In", "param": "rate_hz", "value": float(k % 50)},
               {"time_s": k * 0.001, "action": "set", "target": "In->E", "param": "rules.0.lam", "value": 0.01})]}
    return json.dumps(doc)


def regions_doc(n: int) -> str:
    regions = [{"name": f"R{k}", "model": "lif", "size": 1, "role": "excitatory"} for k in range(n)]
    projections = [{"name": f"P{k}", "source": f"R{k}", "target": f"R{(k + 1) % n}", "synapse": "excitatory",
                    "connectivity": {"kind": "one_to_one"}, "weights": {"kind": "constant"}}
                   for k in range(0, n, 10)]
    return json.dumps({"format": "synaptica-circuit", "version": 1, "name": "bench_regions",
                       "recording": {"voltage_neurons": 0, "tracked_synapses": 0, "history_s": 1.0},
                       "regions": regions, "projections": projections})


def best(text: str, repeat: int) -> tuple[float, float]:
    """(best wall time, best CPU time): on a shared machine the CPU time is the honest figure."""
    from simcore.io import loads

    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        loads(text)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return min(wall), min(cpu)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    from simcore.io import loads

    loads(events_doc(2))  # import and build the schema validator once, outside the timings
    print(f"{'file':<28}{'MB':>8}{'wall s':>9}{'cpu s':>9}{'x10':>7}  target (cpu)")
    for label, make, small, large, target in (("protocol events", events_doc, 2_000, 20_000, 2.0),
                                              ("regions", regions_doc, 30_000, 300_000, 2.0)):
        rows = []
        for n in (small, large):  # interleaved with the small one, best of the repeats
            text = make(n)
            rows.append((n, len(text) / 1e6, *best(text, args.repeat)))
        ratio = rows[1][3] / rows[0][3]
        for n, mb, wall, cpu in rows:
            mark = f"< {target:g} s: {'yes' if cpu < target else 'NO'}" if n == large else ""
            x10 = f"{ratio:>7.1f}" if n == large else f"{'':>7}"
            print(f"{f'{n:,} {label}':<28}{mb:>8.1f}{wall:>9.3f}{cpu:>9.3f}{x10}  {mark}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
