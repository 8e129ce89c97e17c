"""What a circuit's structure costs (a script, not a test): compile, prepare, edit, memory.

    python -m simcore.bench_structure [--cold]

Rows, each in a fresh process (so nothing is shared but the kernel cache on disk):
- the generated 80 regions / 200 projections circuit and the 400-region chain (simcore.synthetic):
  seconds from ``Simulation(circuit)`` to the end of 0.5 s of simulation, its parts (build and
  pack, kernel load, the run), and the process's peak memory;
- an edit: a demo circuit grown by one region, one projection and one rule of known kinds, as the
  editor does it: seconds until the new simulation has run its first chunk;
- building: 10M synapses (100k -> 100k, fixed in-degree 100) and a 2e7-neuron source wired with p = 0,
  seconds of ``Simulation(circuit)`` (wiring and packing, no kernel);
- with ``--cold``, the same first row with an empty kernel cache (the one compile on a machine).
Targets (issue figures): prepared and running in < 2 s with the kernels on disk, < 60 s cold,
peak < 1 GB; an edit restarts in < 0.5 s; building 10M synapses < 2 s.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

from .bench_targets import LIMITS as L

CHILD = r'''
import json, resource, sys, time
t0 = time.perf_counter()
from simcore import Simulation, load, make_projection, make_region
from simcore.synthetic import chain_circuit, random_circuit
what = sys.argv[1]
t_import = time.perf_counter() - t0
t0 = time.perf_counter()
import numpy as np
from simcore.engine.stats import row_pointers
row_pointers(np.zeros(1, np.int32), 1)  # numba's once-per-process start (type registries), paid by any
t_numba = time.perf_counter() - t0      # first compiled call, in the window long before any circuit
if what == "edit":
    c = load(sys.argv[2])
    Simulation(c, seed=0).run(0.05)          # the running demo before the edit (kernel in memory)
    c.regions.append(make_region("Added", "lif", 100))
    c.projections.append(make_projection("Added in", c.regions[0].name, "Added", rules=[("stdp_pair", {})]))
    t0 = time.perf_counter()
    sim = Simulation(c, seed=0)
    t_build = time.perf_counter() - t0
    sim.step(sim.stats_steps)                # the first chunk of the edited circuit
    t_total = time.perf_counter() - t0
    out = {"build_s": t_build, "compile_s": sim.compile_s, "total_s": t_total}
elif what in ("build", "empty"):
    from simcore import Circuit, Settings
    if what == "build":  # 10M synapses, drawn target by target
        regions = [make_region("In", "poisson", 100_000), make_region("T", "lif", 100_000)]
        conn = ("fixed_indegree", {"k": 100})
    else:  # a huge source wired with p = 0: nothing to draw, nothing to pay per source neuron pair
        regions = [make_region("In", "poisson", 20_000_000), make_region("T", "lif", 1000)]
        conn = ("fixed_probability", {"p": 0.0})
    c = Circuit("build", settings=Settings(0.1, 5, 1.0), regions=regions,
                projections=[make_projection("In->T", "In", "T", connectivity=conn)])
    t0, c0 = time.perf_counter(), time.process_time()
    sim = Simulation(c, seed=0)
    t_build = time.perf_counter() - t0
    out = {"build_s": t_build, "build_cpu_s": time.process_time() - c0, "compile_s": 0.0, "total_s": t_build,
           "synapses": sim.n_synapses}
else:
    c = random_circuit(80, 200) if what == "random" else chain_circuit(400)
    t0 = time.perf_counter()
    sim = Simulation(c, seed=0)
    t_build = time.perf_counter() - t0
    sim.compile()
    t_ready = time.perf_counter() - t0
    sim.run(0.5)
    out = {"build_s": t_build, "compile_s": sim.compile_s, "ready_s": t_ready,
           "total_s": time.perf_counter() - t0, "regions": len(c.regions), "projections": len(c.projections),
           "synapses": sim.n_synapses}
out["import_s"] = t_import
out["numba_init_s"] = t_numba
from simcore.engine.memory import peak_rss_bytes
out["peak_mb"] = peak_rss_bytes() / 2**20
print("RESULT " + json.dumps(out))
'''


def child(what: str, *args: str, cache: str | None = None) -> dict:
    env = dict(os.environ)
    if cache:
        env["SYNAPTICA_CACHE_DIR"] = cache
    out = subprocess.run([sys.executable, "-c", CHILD, what, *args], env=env, capture_output=True, text=True,
                         timeout=1800)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed")
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line[7:])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m simcore.bench_structure", description=__doc__.split("\n\n")[0])
    ap.add_argument("--cold", action="store_true", help="also time the first compile on an empty kernel cache")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each row, best kept")
    ap.add_argument("--json", action="store_true", help="print the rows as one JSON object instead of the table")
    a = ap.parse_args(argv)
    from pathlib import Path

    demo = str(Path(__file__).resolve().parent.parent / "circuits" / "demos" / "runaway_without_homeostasis.json")
    child("random")  # make sure the kernel exists
    rows = {}
    for _ in range(a.repeat):  # interleaved, best kept
        for name, args in (("random 80/200", ("random",)), ("chain 400", ("chain",)), ("edit +1 region", ("edit", demo)),
                           ("build 10M synapses", ("build",)), ("2e7-neuron source, p = 0", ("empty",))):
            r = child(*args)
            if name not in rows or r["total_s"] < rows[name]["total_s"]:
                rows[name] = r
    if a.cold:
        with tempfile.TemporaryDirectory() as d:
            rows["random 80/200, empty cache"] = child("random", cache=d)
    if a.json:
        print(json.dumps({"rows": rows}))
        return 0
    print(f"{'circuit':28s} {'total s':>8s} {'build s':>8s} {'kernel s':>9s} {'peak MB':>8s} {'numba init s':>13s}"
          "  target")
    for name, r in rows.items():
        target = (f"< {L['edit_s']:g} s" if name.startswith("edit") else f"< {L['cold_s']:g} s" if "empty" in name
                  else f"< {L['build_10m_s']:g} s" if name.startswith(("build", "2e7"))
                  else f"< {L['ready_s']:g} s, < {L['peak_mb'] / 1024:g} GB")
        print(f"{name:28s} {r['total_s']:8.2f} {r['build_s']:8.2f} {r['compile_s']:9.2f} {r['peak_mb']:8.0f} "
              f"{r['numba_init_s']:13.2f}  {target}")
    print("total: from Simulation(circuit) to the end of 0.5 s simulated (edit: to the end of the first chunk "
          "after the edit; build rows: Simulation(circuit) alone, wiring and packing); kernel: loading or compiling it. Not included: the interpreter's start and numba's "
          "once-per-process start (numba init, paid by the first compiled call of any program).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
