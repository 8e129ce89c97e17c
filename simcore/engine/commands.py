"""The ``run`` subcommand: simulate a circuit headless, print a summary, write results."""
from __future__ import annotations

import json
import re
import sys

import numpy as np

from ..cli import EXIT_USAGE, command
from ..errors import CircuitError

NPZ_KEYS = """Keys of the --out file (numpy .npz):
  regions                 region names, in circuit order
  rates_t, rates          bin end times (s) and population rates (Hz), one column per region
  spike_t, spike_neuron, spike_region   recorded raster (bounded by recording.raster_*)
  voltage_t, voltage      membrane potential of the recorded neurons (last 2 s)
  projections             projection names
  w/<proj>, w0/<proj>     final and initial effective weights
  pre/<proj>, post/<proj> presynaptic and postsynaptic neuron index of every synapse
  stats/<proj>            columns t, w_mean, w_cv, w_min, w_max, rank_corr, per-rule total dw
  summary                 the summary as JSON text"""


def parse_duration(text: str) -> float:
    """'10s', '500ms', '2min', '3' (seconds) -> seconds."""
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(ms|s|min|h)?\s*", str(text))
    if not m:
        raise CircuitError("--duration", f"cannot read {text!r} as a duration (e.g. 10s, 500ms, 2min)")
    value = float(m.group(1)) * {"ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0, None: 1.0}[m.group(2)]
    if value <= 0:
        raise CircuitError("--duration", "must be positive")
    return value


def _args(p):
    p.add_argument("circuit", help="circuit file")
    p.add_argument("--duration", help="biological time to simulate, e.g. 10s or 500ms (default: the file's)")
    p.add_argument("--seed", type=int, help="random seed (default: the file's)")
    p.add_argument("--out", metavar="NPZ", help="write recorded data here (keys: see --help-out)")
    p.add_argument("--summary", metavar="JSON", help="write the summary as JSON here")
    p.add_argument("--check", action="store_true", help="evaluate the circuit's 'expect' claims; exit 1 if one fails")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no table")
    p.add_argument("--help-out", action="store_true", help="describe the keys of the --out file and exit")
    p.add_argument("--backend", choices=("numba", "nest"), default="numba",
                   help="simulator: our numba engine (default) or NEST (needs the [nest] extra)")
    p.add_argument("--threads", type=int, default=1, help="NEST threads (with --backend nest)")


@command("run", "simulate a circuit headless and print a summary", _args)
def run_command(args) -> int:
    if args.help_out:
        print(NPZ_KEYS)
        return 0
    from ..io import atomic_write_text, load
    from .simulation import Simulation, SimulationError

    circuit = load(args.circuit)
    duration = parse_duration(args.duration) if args.duration else circuit.settings.duration_s
    if args.backend == "nest":
        from ..backends.nest.runner import NestSimulation

        try:
            sim = NestSimulation(circuit, seed=args.seed, threads=args.threads)
        except CircuitError as err:  # not mappable: one line naming what and why
            raise err.with_source(args.circuit) from None
    else:
        sim = Simulation(circuit, seed=args.seed)
    try:
        summary = sim.run(duration, progress=None if args.quiet else True)
    except SimulationError as err:
        print(f"error: {args.circuit}: {err}", file=sys.stderr)
        return EXIT_USAGE
    if not args.quiet:
        print(format_summary(summary))
    if args.summary:
        atomic_write_text(args.summary, json.dumps(summary, indent=2, default=_jsonable) + "\n")
    if args.out:
        write_npz(sim, args.out, summary)
    if args.check:
        from .expect import evaluate

        results = evaluate(sim.circuit, sim)
        for ok, line in results:
            print(("PASS " if ok else "FAIL ") + line)
        if not all(ok for ok, _ in results):
            return 1
    return 0


def format_summary(s: dict) -> str:
    lines = [f"simulated {s['duration_s']:.3g} s in {s['wall_s']:.3g} s wall "
             f"({s['duration_s'] / s['wall_s'] if s['wall_s'] else float('inf'):.1f}x real time; "
             f"kernel preparation {s['compile_s']:.2f} s), seed {s['seed']}", "",
             f"{'region':<24}{'neurons':>9}{'rate (Hz)':>12}"]
    for name, r in s["regions"].items():
        lines.append(f"{name:<24}{r['n']:>9}{r['rate_hz']:>12.3f}")
    if s["projections"]:
        lines += ["", f"{'projection':<24}{'synapses':>10}{'w mean':>11}{'w CV':>9}{'rank corr':>11}  rules"]
        for name, p in s["projections"].items():
            rules = ", ".join(k.split(":", 1)[1] for k in p["rules"]) or "-"
            lines.append(f"{name:<24}{p['n_synapses']:>10}{p['w_mean']:>11.4g}{p['w_cv']:>9.3f}"
                         f"{p['rank_corr']:>11.4f}  {rules}")
    return "\n".join(lines)


def write_npz(sim, path: str, summary: dict) -> None:
    import os
    import tempfile
    from pathlib import Path

    names = [r.name for r in sim.net.regions]
    rates = sim.rates.values()
    rast = sim.raster.values()
    volt = sim.voltage.values()
    data = {
        "regions": np.array(names), "rates_t": rates[:, 0], "rates": rates[:, 1:],
        "spike_t": rast[:, 0] * sim.dt * 1e-3, "spike_neuron": rast[:, 1], "spike_region": rast[:, 2],
        "voltage_t": volt[:, 0] if len(volt) else np.zeros(0), "voltage": volt[:, 1:] if len(volt) else np.zeros((0, 0)),
        "projections": np.array([p.name for p in sim.net.projections]),
        "summary": np.array(json.dumps(summary, default=_jsonable)),
    }
    for p in sim.net.projections:
        pre, post = sim.connectivity(p.name)
        data[f"w/{p.name}"] = sim.weights(p.name)
        data[f"w0/{p.name}"] = p.w0
        data[f"pre/{p.name}"] = pre
        data[f"post/{p.name}"] = post
        data[f"stats/{p.name}"] = sim.stats[p.name].values()
    target = Path(path)
    fd, tmp = tempfile.mkstemp(suffix=".npz", dir=target.parent if str(target.parent) else ".")
    os.close(fd)
    np.savez_compressed(tmp, **data)
    os.replace(tmp, target)


def _jsonable(x):
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    raise TypeError(type(x))
