"""The ``run`` subcommand: simulate a circuit headless, print a summary, write results."""
from __future__ import annotations

import json
import math
import re
import sys

import numpy as np

from ..cli import EXIT_USAGE, command
from ..errors import CircuitError
from ..outputs import check_output_path, output_error, printable, summary_json

NPZ_KEYS = """Keys of the --out file (numpy .npz; a name ending in .nwb writes Neurodata Without Borders instead):
  regions                 region names, in circuit order
  rates_t, rates          bin end times (s) and population rates (Hz), one column per region
  spike_t, spike_neuron, spike_region   recorded raster (bounded by recording.raster_*)
  voltage_t, voltage      membrane potential of the recorded neurons (last 2 s)
  projections             projection names
  w/<proj>, w0/<proj>     final and initial effective weights
  pre/<proj>, post/<proj> presynaptic and postsynaptic neuron index of every synapse
  stats/<proj>            columns t, w_mean, w_cv, w_min, w_max, rank_corr, per-rule total dw
  tracked/<proj>          columns t, then the weight of each tracked synapse (tracked_index/<proj>)
  events_t, events        protocol events and live actions: time (s) and what happened
  summary                 the summary as JSON text"""


def parse_duration(text: str) -> float:
    """'10s', '500ms', '2min', '3' (seconds) -> seconds."""
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(ms|s|min|h)?\s*", str(text))
    if not m:
        raise CircuitError("--duration", f"cannot read {text!r} as a duration (e.g. 10s, 500ms, 2min)")
    value = float(m.group(1)) * {"ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0, None: 1.0}[m.group(2)]
    if not math.isfinite(value):
        raise CircuitError("--duration", f"{printable(text)} is too large")
    if value <= 0:
        raise CircuitError("--duration", "must be positive")
    return value


def _args(p):
    p.add_argument("circuit", nargs="?", help="circuit file")
    p.add_argument("--from", dest="from_nwb", metavar="NWB",
                   help="run again what a .nwb recording holds (its circuit, seed and duration)")
    p.add_argument("--duration", help="biological time to simulate, e.g. 10s or 500ms (default: the file's)")
    p.add_argument("--seed", type=int, help="random seed (default: the file's)")
    p.add_argument("--out", metavar="NPZ|NWB", help="write recorded data here: .npz (keys: see --help-out) or .nwb")
    p.add_argument("--summary", metavar="JSON", help="write the summary as JSON here")
    p.add_argument("--check", action="store_true", help="evaluate the circuit's 'expect' claims; exit 1 if one fails")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no table")
    p.add_argument("--help-out", action="store_true", help="describe the keys of the --out file and exit")
    p.add_argument("--backend", choices=("numba", "nest"), default="numba",
                   help="simulator: our numba engine (default) or NEST (needs the [nest] extra)")
    p.add_argument("--threads", type=int, default=None,
                   help="threads that step the network; results are the same for any number "
                        "(default: every core for a large network, one for a small one; NEST: 1)")


@command("run", "simulate a circuit headless and print a summary", _args)
def run_command(args) -> int:
    if args.help_out:
        print(NPZ_KEYS)
        return 0
    from ..io import atomic_write_text, load
    from .simulation import Simulation, SimulationError

    # everything that can fail is checked before the run: results are never lost to a bad option
    outputs = [(opt, path) for opt, path in (("--summary", args.summary), ("--out", args.out)) if path is not None]
    for opt, path in outputs:
        check_output_path(path, opt)
    if args.summary is not None and args.out is not None and _same_file(args.summary, args.out):
        raise CircuitError("--out", "--out and --summary name the same file")
    circuit, text, duration, seed = _source(args, load)
    name = printable(args.circuit or args.from_nwb)
    duration = parse_duration(args.duration) if args.duration else duration
    if args.seed is not None:
        from ..model import SETTINGS_PARAMS

        problem = next(p for p in SETTINGS_PARAMS if p.name == "seed").check(args.seed)
        if problem:
            raise CircuitError("--seed", f"{args.seed} {problem}")
        seed = args.seed
    _check_run(circuit, duration, bool(args.duration), args.check, name)
    if args.threads is not None and args.threads < 1:
        raise CircuitError("--threads", f"{args.threads} is not a whole number >= 1")
    if args.backend == "nest":
        from ..backends.nest.runner import NestSimulation

        try:
            sim = NestSimulation(circuit, seed=seed, threads=args.threads or 1)
        except CircuitError as err:  # not mappable: one line naming what and why
            raise err.with_source(args.circuit or args.from_nwb) from None
    else:
        sim = Simulation(circuit, seed=seed, threads=args.threads)
    from ..fork import evaluate, run_branches

    try:  # a circuit with a fork runs both branches (the table of each describes the time since the fork)
        sims = run_branches(circuit, duration_s=duration, progress=None if args.quiet else True, sim_a=sim) \
            if circuit.fork is not None and args.backend != "nest" else {"A": sim}
        summary = sim.summary() if "B" in sims else sim.run(duration, progress=None if args.quiet else True)
    except SimulationError as err:
        print(f"error: {name}: {printable(err)}", file=sys.stderr)
        return EXIT_USAGE
    if not args.quiet:
        if "B" in sims:
            print(f"branch A ({circuit.fork.label_a}):")
        print(format_summary(summary))
        if "B" in sims:
            print(f"\nbranch B ({circuit.fork.label_b}), forked at {circuit.fork.time_s:g} s:")
            print(format_summary(sims["B"].summary()))
    if args.summary:
        try:
            atomic_write_text(args.summary, summary_json(summary))
        except OSError as err:
            raise output_error("--summary", args.summary, err) from None
    if args.out:
        write_out(sim, args.out, summary, text)
    if args.check:
        results = evaluate(sim.circuit, sims)
        for ok, line in results:
            print(("PASS " if ok else "FAIL ") + line)
        if not all(ok for ok, _ in results):
            return 1
    return 0


def _source(args, load):
    """(circuit, its file text, default duration, default seed) from CIRCUIT or from --from NWB."""
    from pathlib import Path

    if args.from_nwb:
        if args.circuit:
            raise CircuitError("--from", "give a circuit file or --from NWB, not both")
        from ..nwb import read_run

        run = read_run(args.from_nwb)
        if run.get("live_actions"):
            n = run["live_actions"]
            print(f"note: {args.from_nwb} records {n} live action{'s' * (n != 1)} from the window; not replayed",
                  file=sys.stderr)
        return run["circuit"], run["circuit_text"], run["duration_s"], run["seed"]
    if not args.circuit:
        raise CircuitError("run", "give a circuit file (or --from a .nwb recording)")
    circuit = load(args.circuit)
    return circuit, Path(args.circuit).read_text(encoding="utf-8"), circuit.settings.duration_s, None


def _same_file(a: str, b: str) -> bool:
    from pathlib import Path

    try:
        return Path(a).resolve() == Path(b).resolve()
    except (OSError, ValueError):
        return False


def _check_run(circuit, duration: float, overridden: bool, check: bool, name: str) -> None:
    """What the file alone could not decide: the run's length against dt, and (with --check) that
    the recorders keep every window the claims read."""
    from .. import derived
    from ..io import to_dict
    from ..validate import claim_window_problem

    dt = circuit.settings.dt_ms
    n = derived.steps(duration, dt)
    if n < 0.5:
        raise CircuitError("--duration", f"{duration:g} s is shorter than one time step ({dt:g} ms)")
    doc = to_dict(circuit)
    if overridden:
        err = None
        try:
            derived.check(doc, duration, "--duration")
        except CircuitError as e:
            err = e
        if err is not None:
            raise CircuitError(err.path, err.reason, name)
    if check:
        for i, e in enumerate(doc.get("expect", [])):
            problem = claim_window_problem(e, doc["recording"], dt, duration)
            if problem:
                raise CircuitError(f"$.expect[{i}].{problem[0]}", f"{problem[1]} (with --duration {duration:g} s)",
                                   name)


def format_summary(s: dict) -> str:
    lines = [f"simulated {s['duration_s']:.4g} s in {s['wall_s']:.3g} s wall "
             f"({s['duration_s'] / s['wall_s'] if s['wall_s'] else float('inf'):.1f}x real time; "
             f"kernel preparation {s['compile_s']:.2f} s), seed {s['seed']}", "",
             f"{'region':<24}{'neurons':>9}{'rate (Hz)':>12}"]
    for name, r in s["regions"].items():
        lines.append(f"{name:<24}{r['n']:>9}{_num(r['rate_hz'], 12, '.3f')}")
    if s["projections"]:
        lines += ["", f"{'projection':<24}{'synapses':>10}{'w mean':>11}{'w CV':>9}{'rank corr':>11}  rules"]
        for name, p in s["projections"].items():
            rules = ", ".join(k.split(":", 1)[1] for k in p["rules"]) or "-"
            lines.append(f"{name:<24}{p['n_synapses']:>10}{_num(p['w_mean'], 11, '.4g')}{_num(p['w_cv'], 9, '.3f')}"
                         f"{_num(p['rank_corr'], 11, '.4f')}  {rules}")
    return "\n".join(lines)


def _num(x, width: int, fmt: str) -> str:
    """A table cell; an undefined statistic (NaN) shows as '-'."""
    return f"{x:>{width}{fmt}}" if isinstance(x, (int, float)) and math.isfinite(x) else f"{'-':>{width}}"


def recorded(sim, summary: dict) -> dict:
    """Everything a run recorded, as plain arrays under the keys of ``NPZ_KEYS``: the one source of
    both the NPZ and the NWB file (simcore.nwb), so the two always hold the same data."""
    names = [r.name for r in sim.net.regions]
    rates = sim.rates.values()
    rast = sim.raster.values()
    volt = sim.voltage.values()
    data = {
        "regions": np.array(names), "rates_t": rates[:, 0], "rates": rates[:, 1:],
        "spike_t": rast[:, 0] * sim.dt * 1e-3, "spike_neuron": rast[:, 1], "spike_region": rast[:, 2],
        "voltage_t": volt[:, 0] if len(volt) else np.zeros(0), "voltage": volt[:, 1:] if len(volt) else np.zeros((0, 0)),
        "projections": np.array([p.name for p in sim.net.projections]),
        "events_t": np.array([t for t, _ in sim.fired], float), "events": np.array([e for _, e in sim.fired], str),
        "summary": np.array(summary_json(summary)),
    }
    for p in sim.net.projections:
        pre, post = sim.connectivity(p.name)
        data[f"w/{p.name}"] = sim.weights(p.name)
        data[f"w0/{p.name}"] = p.w0
        data[f"pre/{p.name}"] = pre
        data[f"post/{p.name}"] = post
        data[f"stats/{p.name}"] = sim.stats[p.name].values()
        data[f"tracked/{p.name}"] = sim.tracked_w[p.name].values()
        data[f"tracked_index/{p.name}"] = np.asarray(sim.tracked[p.name])
    return data


def write_npz(sim, path: str, summary: dict) -> None:
    from ..io import atomic_write

    data = recorded(sim, summary)
    # a temp file beside the target, removed on any failure (and by the next save if we are killed)
    atomic_write(path, lambda f: np.savez_compressed(f, **data))


def write_out(sim, path: str, summary: dict, circuit_text: str | None = None) -> None:
    """``--out``: NWB when the name ends in .nwb (simcore.nwb), NPZ otherwise."""
    try:
        if str(path).lower().endswith(".nwb"):
            from ..nwb import write_nwb

            write_nwb(sim, path, summary, circuit_text)
        else:
            write_npz(sim, path, summary)
    except OSError as err:
        raise output_error("--out", path, err) from None


def _jsonable(x):
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    raise TypeError(type(x))
