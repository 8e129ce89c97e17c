"""What a run will allocate, known before anything is: the estimate behind the size check.

The sizes themselves are computed in one place, from the file (:func:`simcore.derived.derive`:
the synapse store with its reverse index and weight copies, the rules' state, each region's
state and delay ring buffer, the recorders, the temporaries of wiring and the interpreter); this
module reads them for a :class:`~simcore.model.Circuit` and checks them against what a fresh
process really reaches: ``python -m simcore.engine.memory`` prints measured / estimated peak
memory for a sweep of circuits (synapse-heavy, delay-heavy, plastic).
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import derived


@dataclass
class Estimate:
    items: list  # derived.Item: (JSON path, what, bytes)

    @property
    def total(self) -> float:
        """Peak resident memory of a headless run, in bytes."""
        return sum(i.bytes for i in self.items)

    @property
    def parts(self) -> dict[str, float]:
        """Bytes by kind of allocation (synapses, neuron state, input ring buffers, ...)."""
        out: dict[str, float] = {}
        for i in self.items:
            key = "synapses" if " synapses of " in i.what else i.what.split(" (")[0]
            out[key] = out.get(key, 0.0) + i.bytes
        return out


def estimate(circuit) -> Estimate:
    """Bytes a run of ``circuit`` allocates; never allocates any of it."""
    from ..io import to_dict

    return Estimate(derived.derive(to_dict(circuit)).items)


def peak_rss_bytes() -> float:
    """Peak resident memory of this process image, in bytes.

    Linux's ``VmHWM`` (the high-water mark of this address space), not ``getrusage``'s ru_maxrss:
    a process started by fork/vfork + exec inherits its parent's resident size into ru_maxrss, so
    a small run started from a large parent (a test runner that has run hundreds of tests) would
    report the parent's size."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


def _measure(circuit) -> float:
    """Peak RSS (bytes) of a fresh process that builds ``circuit`` and runs it for 10 steps, with the
    kernel already on disk (a first compile on a machine takes a few hundred MB of its own, once)."""
    import json
    import subprocess
    import sys

    from ..io import to_dict

    warm = ("from simcore import Simulation, make_projection, make_region\nfrom simcore.model import Circuit\n"
            "c = Circuit(name='warm'); c.regions = [make_region('A', 'lif', 2), make_region('B', 'lif', 2)]\n"
            "c.projections = [make_projection('A->B', 'A', 'B', rules=[('stdp_pair', {})])]\n"
            "Simulation(c).step(20)\n")  # the kernel and the cached helpers of build and health checks
    subprocess.run([sys.executable, "-c", warm], capture_output=True, text=True, check=True)

    code = ("import json, sys\nfrom simcore.io import from_dict\nfrom simcore import Simulation\n"
            "from simcore.engine.memory import peak_rss_bytes\n"
            "c = from_dict(json.loads(sys.stdin.read()))\nsim = Simulation(c, seed=0)\nsim.step(10)\n"
            "print(peak_rss_bytes())\n")
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps(to_dict(circuit)), capture_output=True,
                         text=True, check=True)
    return float(out.stdout.split()[-1])


def _sweep():
    from ..model import Circuit, make_projection, make_region

    def cuba(n, p, delay_ms=0.1):
        c = Circuit(name=f"cuba_{n}_{p}_{delay_ms}")
        c.regions = [make_region("E", "lif", int(0.8 * n)), make_region("I", "lif", n - int(0.8 * n),
                                                                         role="inhibitory")]
        conn = ("fixed_probability", {"p": p})
        d = ("constant", {"value_ms": delay_ms})
        c.projections = [make_projection("E->E", "E", "E", connectivity=conn, delay=d, rules=[("stdp_pair", {})]),
                         make_projection("E->I", "E", "I", connectivity=conn, delay=d),
                         make_projection("I->E", "I", "E", "inhibitory", connectivity=conn, delay=d),
                         make_projection("I->I", "I", "I", "inhibitory", connectivity=conn, delay=d)]
        return c

    def ff(n_src, n_tgt, k, delay_ms):
        c = Circuit(name=f"ff_{n_src}_{n_tgt}_{k}_{delay_ms}")
        c.regions = [make_region("In", "poisson", n_src), make_region("Out", "lif", n_tgt)]
        c.projections = [make_projection("In->Out", "In", "Out", connectivity=("fixed_indegree", {"k": k}),
                                         delay=("constant", {"value_ms": delay_ms}))]
        return c

    return [cuba(4000, 0.02), cuba(20000, 0.02), cuba(40000, 0.02), cuba(10000, 0.1), ff(1000, 100_000, 100, 100.0),
            ff(100_000, 100_000, 200, 1.0), ff(10, 20_000, 10, 1000.0)]


def main(argv=None) -> int:
    import argparse
    import json

    ap = argparse.ArgumentParser(prog="python -m simcore.engine.memory",
                                 description="Measured against estimated peak memory of a sweep of circuits.")
    ap.add_argument("--json", action="store_true", help="print the rows as one JSON object instead of the table")
    a = ap.parse_args(argv)
    rows = []
    if not a.json:
        print(f"{'circuit':32s} {'estimate MB':>12s} {'measured MB':>12s} {'measured/estimate':>18s}")
    for c in _sweep():
        est, got = estimate(c).total, _measure(c)
        rows.append({"circuit": c.name, "estimate_mb": est / 2**20, "measured_mb": got / 2**20, "ratio": got / est})
        if not a.json:
            print(f"{c.name:32s} {est / 2**20:12.0f} {got / 2**20:12.0f} {got / est:18.2f}", flush=True)
    if a.json:
        print(json.dumps({"rows": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
