"""What a run will allocate, known before anything is: the size check that refuses a circuit.

Every array the engine makes is counted from the circuit description alone, by the same rules
build.py and simulation.py follow: the synapse store (weights, targets, sources, delays, the
reverse index, the per-target gain), the build-time and reference copies of the weights, the rules'
per-synapse and per-neuron state, each region's state and delay ring buffer, and the recorders.
Wiring makes temporaries on top of what stays (64-bit indices before they are narrowed, random
gaps): the estimate is the larger of that build peak and the steady state, plus the interpreter
with numpy and numba loaded. ``python -m simcore.engine.memory`` compares it with the measured
peak on a sweep of circuits.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..connectivity import expected_synapses
from ..params import kind

BASELINE = 150 * 2**20  # resident size of the interpreter with numpy, numba and the kernel loaded
# bytes per synapse that stay for the whole run: the arena (weight f32, target, source, delay and
# reverse index i32), the build-time weights (w0, f64), the reference and run-start weights (f64)
STEADY_PER_SYNAPSE = 5 * 4 + 3 * 8
# while projections are wired, each keeps 16 B/synapse (pre, post, weight, delay) until the arena
# takes it, and the one being wired has 64-bit indices, random gaps and float64 weights and delays
# before they are narrowed
KEPT_PER_SYNAPSE = 16
WIRING_PER_SYNAPSE = 40
RASTER_SCRATCH = 500_000  # spikes the kernel writes per chunk before they reach the raster ring
VOLTAGE_HISTORY_S = 2.0


@dataclass
class Estimate:
    parts: dict[str, float] = field(default_factory=dict)  # what -> bytes (steady state)
    build_peak: float = 0.0  # extra bytes while the largest projection is wired
    largest: tuple[str, float] = ("", 0.0)  # (JSON path, bytes) of the largest single item

    @property
    def steady(self) -> float:
        return sum(self.parts.values())

    @property
    def total(self) -> float:
        """Peak resident memory of a headless run, in bytes."""
        synapse_parts = self.parts.get("synapses", 0.0) + self.parts.get("reference weights", 0.0)
        return BASELINE + max(self.steady, self.steady - synapse_parts + self.build_peak)

    def add(self, what: str, nbytes: float, path: str) -> None:
        self.parts[what] = self.parts.get(what, 0.0) + nbytes
        if nbytes > self.largest[1]:
            self.largest = (path, nbytes)


def _state_rows(model: str, params: dict, dt: float) -> int:
    impl = kind("neuron", model).impl
    if impl.extra_rows is None:
        return len(impl.vars)
    import numpy as np

    return int(impl.extra_rows(params, 1, dt, np.random.default_rng(0)).shape[0])


def _max_delay_ms(delay) -> float:
    return max(float(v) for k, v in delay.params.items() if k.endswith("ms")) if delay.params else 0.0


def estimate(circuit) -> Estimate:
    """Bytes a run of ``circuit`` allocates (see the module docstring); never allocates any of it."""
    e = Estimate()
    dt = circuit.settings.dt_ms
    rec = circuit.recording
    size = {r.name: r.size for r in circuit.regions}
    slots = {r.name: 1 for r in circuit.regions}
    channels = {r.name: 2 for r in circuit.regions}
    biggest = total_synapses = 0.0
    for k, p in enumerate(circuit.projections):
        path = f"$.projections[{k}]"
        n = expected_synapses(p.connectivity.kind, size[p.source], size[p.target], p.connectivity.params)
        # fixed probability: allow a few standard deviations above the mean
        n += 6.0 * math.sqrt(n)
        e.add("synapses", n * STEADY_PER_SYNAPSE - n * 8, path)
        e.add("reference weights", n * 8, path)
        e.add("synapse index", 4.0 * (size[p.source] + size[p.target] + 2) + 8.0 * size[p.target], path)
        biggest = max(biggest, n)
        total_synapses += n
        if p.synapse == "shunting":
            channels[p.target] = 3
        if p.synapse in ("excitatory", "inhibitory", "shunting"):
            steps = max(1, round(_max_delay_ms(p.delay) / dt))
            slots[p.target] = max(slots[p.target], steps + 1)
        for j, rule in enumerate(p.rules):
            impl = kind("rule", rule.kind).impl
            if impl is None:
                continue
            e.add("rule state", 8.0 * (len(impl.syn_vars) * n + len(impl.pre_vars) * size[p.source]
                                       + len(impl.post_vars) * size[p.target] + 8), f"{path}.rules[{j}]")
    e.build_peak = KEPT_PER_SYNAPSE * total_synapses + WIRING_PER_SYNAPSE * biggest
    for i, r in enumerate(circuit.regions):
        path = f"$.regions[{i}]"
        e.add("neuron state", 8.0 * _state_rows(r.model, r.params, dt) * r.size + 4.0 * r.size, path)
        e.add("delay buffers", 8.0 * channels[r.name] * slots[r.name] * r.size, path)
    nreg = len(circuit.regions)
    n_stats = max(2, int(rec.history_s * 1000 / rec.stats_every_ms))
    e.add("recorders", 8.0 * int(rec.history_s * 1000 / rec.rate_bin_ms) * (nreg + 1), "$.recording.history_s")
    e.add("recorders", 24.0 * max(1, rec.raster_max_spikes), "$.recording.raster_max_spikes")
    e.add("recorders", 24.0 * max(1, min(rec.raster_max_spikes, RASTER_SCRATCH)), "$.recording.raster_max_spikes")
    nv = sum(min(rec.voltage_neurons, r.size) for r in circuit.regions)
    e.add("recorders", 8.0 * int(VOLTAGE_HISTORY_S * 1000 / dt) * (1 + nv), "$.recording.voltage_neurons")
    per_proj = sum(6 + len(p.rules) + 1 + rec.tracked_synapses for p in circuit.projections)
    e.add("recorders", 8.0 * n_stats * (per_proj + 1 + 2 * nreg), "$.recording.stats_every_ms")
    return e


def check(circuit, limit: float) -> None:
    """Raise :class:`CircuitError` in one line when the run would need more than ``limit`` bytes."""
    from ..errors import CircuitError

    e = estimate(circuit)
    if e.total > limit:
        what = max(e.parts, key=e.parts.get)
        raise CircuitError(e.largest[0], f"circuit too large: the run would need ~{e.total / 2**30:.1f} GiB "
                                         f"(most of it {what}: {e.parts[what] / 2**30:.1f} GiB), above the limit "
                                         f"of {limit / 2**30:.1f} GiB (set SYNAPTICA_MAX_MEMORY_GB to change it)")


def _measure(circuit) -> float:
    """Peak RSS (bytes) of a fresh process that builds ``circuit`` and runs it for 10 steps."""
    import json
    import subprocess
    import sys

    from ..io import to_dict

    code = ("import json, resource, sys\nfrom simcore.io import from_dict\nfrom simcore import Simulation\n"
            "c = from_dict(json.loads(sys.stdin.read()))\nsim = Simulation(c, seed=0)\nsim.step(10)\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)\n")
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps(to_dict(circuit)), capture_output=True,
                         text=True, check=True)
    return float(out.stdout.split()[-1])


def _sweep():
    from ..model import Circuit, make_projection, make_region

    def cuba(n, p, delay_ms=0.1, raster=200000):
        c = Circuit(name=f"cuba_{n}_{p}_{delay_ms}")
        c.regions = [make_region("E", "lif", int(0.8 * n)), make_region("I", "lif", n - int(0.8 * n),
                                                                         role="inhibitory")]
        conn = ("fixed_probability", {"p": p})
        d = ("constant", {"value_ms": delay_ms})
        c.projections = [make_projection("E->E", "E", "E", connectivity=conn, delay=d, rules=[("stdp_pair", {})]),
                         make_projection("E->I", "E", "I", connectivity=conn, delay=d),
                         make_projection("I->E", "I", "E", "inhibitory", connectivity=conn, delay=d),
                         make_projection("I->I", "I", "I", "inhibitory", connectivity=conn, delay=d)]
        c.recording.raster_max_spikes = raster
        return c

    def ff(n_src, n_tgt, k, delay_ms):
        c = Circuit(name=f"ff_{n_src}_{n_tgt}_{k}_{delay_ms}")
        c.regions = [make_region("In", "poisson", n_src), make_region("Out", "lif", n_tgt)]
        c.projections = [make_projection("In->Out", "In", "Out", connectivity=("fixed_indegree", {"k": k}),
                                         delay=("constant", {"value_ms": delay_ms}))]
        return c

    return [cuba(4000, 0.02), cuba(20000, 0.02), cuba(40000, 0.02), cuba(10000, 0.1), ff(1000, 100_000, 100, 100.0),
            ff(100_000, 100_000, 200, 1.0), ff(10, 20_000, 10, 1000.0)]


def main() -> int:
    print(f"{'circuit':32s} {'estimate MB':>12s} {'measured MB':>12s} {'measured/estimate':>18s}")
    for c in _sweep():
        est, got = estimate(c).total, _measure(c)
        print(f"{c.name:32s} {est / 2**20:12.0f} {got / 2**20:12.0f} {got / est:18.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
