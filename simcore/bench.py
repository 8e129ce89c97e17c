"""Benchmark the engine against its peers on the Vogels-Abbott CUBA network (a script, not a test).

    python -m simcore.bench [--quick] [--no-peers] [--sizes 4000,16000,64000] [--duration 10] [--json]
                            [--phases ROUNDS]
    python -m simcore.bench --targets      every figure the engine is held to, against its target

Rows: static CUBA (4000 LIF, p = 0.02, dt 0.1 ms), the same with pair STDP on E->E (soft bounds
mu = 1, lambda 0.01, alpha 1.05, w_max = 2 we, w0 = we; NEST's stdp_synapse), and with STDP plus
multiplicative synaptic scaling when the 'scaling' rule exists -- in this engine, Brian2
cpp_standalone, Brian2 cython and NEST 3 (iaf_psc_exp, stdp_synapse, one thread), each when
installed. Then a size sweep (static) with the in-degree held at 80 (p = 0.02 * 4000 / N, weights
unchanged; the convention of Brian2's and Brette et al.'s scaled benchmarks), so the activity stays
the same and the cost should grow linearly with N, i.e. with the number of synaptic events.

Times: "s/bio-s" is the wall time of the simulation loop per second of biological time; build and
compile times (network construction, code generation, C++/Cython/numba compilation) are excluded
from it and printed separately. "events/s" counts delivered synaptic events (presynaptic spikes
times out-degree) per second of wall time. "x" is how many times faster this engine is than the
peer on the same row (peer time / our time). Every peer runs in its own subprocess with one thread.
``--phases ROUNDS`` then runs the size sweep again with the sizes interleaved round by round (from
the second round on, a small size runs several times a round, so that each size gets about the same
wall time to find a quiet stretch) and splits each run by the kernel's phase timer: the cost per
event, the neuron update per neuron-step and the delivery per event at each size, as ratios to the smallest size (the cost per event
should stay flat as N grows; where it does not, this says which phase grows).
Progress goes to stderr, the table to stdout.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CUBA = ROOT / "circuits" / "vogels_abbott_cuba.json"
WE, WI = 60 * 0.27 / 10, 20 * 4.5 / 10  # mV (the inhibitory weight is subtracted)
STDP = dict(tau_plus=20.0, tau_minus=20.0, lam=0.01, alpha=1.05, mu_plus=1.0, mu_minus=1.0, w_max=2 * WE,
            pairing="all_to_all")
N_REF, P_REF = 4000, 0.02
THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "NUMBA_NUM_THREADS": "1", "PYNEST_QUIET": "1"}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# -- this engine ---------------------------------------------------------------------------------
def our_circuit(n: int, plasticity: str):
    from .io import load
    from .model import Rule, complete

    c = load(CUBA)
    ne = int(round(0.8 * n))
    c.region("E").size, c.region("I").size = ne, n - ne
    for p in c.projections:
        p.connectivity.params["p"] = P_REF * N_REF / n
    if plasticity in ("stdp", "stdp+scaling"):
        c.projection("E->E").rules.append(Rule("stdp_pair", complete("rule", "stdp_pair", STDP)))
    if plasticity == "stdp+scaling":
        c.projection("E->E").rules.append(Rule("scaling", complete("rule", "scaling", {"target_hz": 5.0})))
    c.recording.raster_max_neurons = 0
    return c


def run_ours(n: int, plasticity: str, duration: float, seed: int = 0, repeat: int = 1, threads: int = 1) -> dict:
    from .engine.simulation import Simulation

    t0 = time.perf_counter()
    sim = Simulation(our_circuit(n, plasticity), seed=seed, threads=threads)
    build = time.perf_counter() - t0
    compile_s = sim.compile()
    best, summary = float("inf"), None
    for k in range(repeat):
        if k:
            sim.reset()
        summary = sim.run(duration)
        best = min(best, summary["wall_s"])  # the simulation with its recorders; not the end-of-run analysis
    # the kernel alone (one call, no recorder work between chunks): what the loop itself costs
    kernel, cpu = float("inf"), float("inf")
    for _ in range(repeat):
        sim.reset()
        t0, c0 = time.perf_counter(), time.process_time()
        sim._call(0, sim.steps_for(duration))
        kernel, cpu = min(kernel, time.perf_counter() - t0), min(cpu, time.process_time() - c0)
    regions, events = summary["regions"], 0.0
    for p in sim.net.projections:
        src = sim.net.regions[p.source]
        events += regions[src.name]["rate_hz"] * duration * len(p.arrays.W)
    return {"sim_s": best, "kernel_s": kernel, "cpu_s": cpu, "build_s": build, "compile_s": compile_s, "rate_e": regions["E"]["rate_hz"],
            "events": events, "synapses": sum(len(p.arrays.W) for p in sim.net.projections),
            "w_ee": summary["projections"]["E->E"]["w_mean"] / WE}


MAX_INNER = 16  # runs of one size in one round of the phase sweep, at most


def phase_sweep(sizes: list[int], duration: float, rounds: int, seed: int = 0) -> list[dict]:
    """The static size sweep again, the sizes interleaved round by round (a noisy machine slows them
    alike), each run split by the kernel's phase timer (simcore.engine.phases); per size the best
    of all its runs of the total and of each phase. A small network's run is short (80 ms at 4k
    against 6 s at 256k), so one burst of other work decides it: from the second round on, each size
    runs as many times in a round as it takes to last about as long as the largest (at most
    ``MAX_INNER``), so every size gets a similar chance of a quiet stretch."""
    from .engine.simulation import Simulation

    sims = {}
    for n in sizes:
        sim = Simulation(our_circuit(n, "static"), seed=seed, threads=1)
        sim.compile()
        sims[n] = sim
    best: dict[int, dict] = {n: {} for n in sizes}
    inner = {n: 1 for n in sizes}
    for r in range(rounds):
        for n, sim in sims.items():
            for _ in range(inner[n]):
                sim.reset()
                sim.phase_timer.start()
                t0 = time.perf_counter()
                sim._call(0, sim.steps_for(duration))
                wall = time.perf_counter() - t0
                sim.step_index = sim.steps_for(duration)
                spikes = sim._counts[:sim.steps_for(duration)].sum(axis=0)
                events = sum(spikes[p.source] * len(p.arrays.W) / sim.net.regions[p.source].n
                             for p in sim.net.projections)
                b = best[n]
                b["events"] = events
                b["wall"] = min(b.get("wall", float("inf")), wall)
                for k, v in sim.phase_timer.seconds().items():
                    b[k] = min(b.get(k, float("inf")), v)
            log(f"  phases round {r + 1}/{rounds} N={n}: {best[n]['wall'] / duration:.4f} s/bio-s "
                f"(best so far; {inner[n]} run(s) this round)")
        longest = max(b["wall"] for b in best.values())
        inner = {n: max(1, min(MAX_INNER, round(longest / best[n]["wall"]))) for n in sizes}
    out = []
    for n in sizes:
        b, steps = best[n], sims[n].steps_for(duration)
        out.append({"n": n, "ns_per_event": 1e9 * b["wall"] / b["events"],
                    "update_ns_per_neuron_step": 1e9 * b["update"] / (steps * n),
                    "deliver_ns_per_event": 1e9 * b["deliver"] / b["events"],
                    "phases_s_per_bio_s": {k: v / duration for k, v in b.items() if k not in ("events", "wall")}})
    return out


def fmt_phases(rows: list[dict]) -> str:
    base = rows[0]
    lines = [f"size sweep by phase (static, one thread, sizes interleaved, best of rounds; x: against N={base['n']}):"]
    for r in rows:
        lines.append(f"  N={r['n']}: {r['ns_per_event']:.1f} ns per event (x{r['ns_per_event'] / base['ns_per_event']:.2f}); "
                     f"update {r['update_ns_per_neuron_step']:.2f} ns per neuron-step "
                     f"(x{r['update_ns_per_neuron_step'] / base['update_ns_per_neuron_step']:.2f}), "
                     f"delivery {r['deliver_ns_per_event']:.2f} ns per event "
                     f"(x{r['deliver_ns_per_event'] / base['deliver_ns_per_event']:.2f}); s/bio-s "
                     + ", ".join(f"{k} {v:.4f}" for k, v in r["phases_s_per_bio_s"].items() if v >= 5e-5))
    return "\n".join(lines)


# -- peers: each runs in a subprocess (python -m simcore.bench --worker KIND --config JSON) -------
def worker_brian2(cfg: dict) -> dict:
    import numpy as np
    import brian2 as b2

    target, n, T = cfg["target"], cfg["n"], cfg["duration"]
    if target == "cpp_standalone":
        b2.set_device("cpp_standalone", directory=cfg["dir"], build_on_run=False)
        if cfg.get("threads", 1) > 1:
            b2.prefs.devices.cpp_standalone.openmp_threads = cfg["threads"]
    else:
        b2.prefs.codegen.target = target
    b2.defaultclock.dt = 0.1 * b2.ms
    b2.seed(cfg["seed"])
    ms, mV = b2.ms, b2.mV
    ns = dict(taum=20 * ms, taue=5 * ms, taui=10 * ms, Vt=-50 * mV, Vr=-60 * mV, El=-49 * mV, we=WE * mV,
              wi=-WI * mV, taupre=20 * ms, taupost=20 * ms, lam=STDP["lam"], alpha=STDP["alpha"],
              wmax=STDP["w_max"] * mV)
    eqs = """dv/dt = (ge + gi - (v - El)) / taum : volt (unless refractory)
             dge/dt = -ge / taue : volt
             dgi/dt = -gi / taui : volt"""
    t0 = time.perf_counter()
    P = b2.NeuronGroup(n, eqs, threshold="v > Vt", reset="v = Vr", refractory=5 * ms, method="exact", namespace=ns)
    P.v = "Vr + rand() * (Vt - Vr)"
    ne = int(round(0.8 * n))
    Pe, Pi = P[:ne], P[ne:]
    p = P_REF * N_REF / n
    syns = []
    if cfg["plasticity"] == "stdp":
        ee = b2.Synapses(Pe, Pe, """w : volt
                                    dx/dt = -x / taupre : 1 (event-driven)
                                    dy/dt = -y / taupost : 1 (event-driven)""",
                         on_pre="""ge += w
                                   x += 1
                                   w = clip(w - alpha * lam * w * y, 0 * volt, wmax)""",
                         on_post="""y += 1
                                    w = clip(w + lam * (wmax - w) * x, 0 * volt, wmax)""", namespace=ns)
        ee.connect(p=p)
        ee.w = "we"
        ei = b2.Synapses(Pe, Pi, on_pre="ge += we", namespace=ns)
        ei.connect(p=p)
        syns += [(ee, "E"), (ei, "E")]
    else:
        ce = b2.Synapses(Pe, P, on_pre="ge += we", namespace=ns)
        ce.connect(p=p)
        syns.append((ce, "E"))
    ci = b2.Synapses(Pi, P, on_pre="gi += wi", namespace=ns)
    ci.connect(p=p)
    syns.append((ci, "I"))
    mon = b2.SpikeMonitor(P, record=False)
    net = b2.Network(P, mon, *[s for s, _ in syns])
    out = {}
    if target == "cpp_standalone":
        net.run(T * b2.second)
        b2.device.build(directory=cfg["dir"], compile=True, run=True)
        total = time.perf_counter() - t0
        out["sim_s"] = float(b2.device._last_run_time)
        out["build_s"], out["compile_s"] = 0.0, total - out["sim_s"]
    else:
        net.run(b2.defaultclock.dt)  # generates and compiles every code object
        t1, c1 = time.perf_counter(), time.process_time()
        out["build_s"], out["compile_s"] = 0.0, t1 - t0
        net.run(T * b2.second)
        out["sim_s"], out["cpu_s"] = time.perf_counter() - t1, time.process_time() - c1
    count = np.asarray(mon.count[:], float)
    rate = {"E": count[:ne].sum() / ne / T, "I": count[ne:].sum() / (n - ne) / T}
    out["rate_e"] = float(rate["E"])
    out["events"] = float(sum(rate[src] * T * len(s) for s, src in syns))
    out["synapses"] = int(sum(len(s) for s, _ in syns))
    if cfg["plasticity"] == "stdp":
        out["w_ee"] = float(np.mean(syns[0][0].w[:] / mV) / WE)
    return out


def worker_nest(cfg: dict) -> dict:
    import numpy as np
    import nest

    try:
        nest.verbosity = nest.VerbosityLevel.WARNING
    except AttributeError:
        nest.set_verbosity("M_WARNING")
    n, T = cfg["n"], cfg["duration"]
    t0 = time.perf_counter()
    nest.ResetKernel()
    nest.local_num_threads = cfg.get("threads", 1)
    nest.resolution = 0.1
    nest.rng_seed = cfg["seed"] + 1
    c_m, tau_m = 250.0, 20.0
    je, ji = WE * c_m / tau_m, -WI * c_m / tau_m  # pA: a current jump of w mV in tau_m dv/dt units
    prm = dict(C_m=c_m, tau_m=tau_m, E_L=-49.0, V_th=-50.0, V_reset=-60.0, t_ref=5.0, tau_syn_ex=5.0,
               tau_syn_in=10.0, I_e=0.0, tau_minus=STDP["tau_minus"])
    ne = int(round(0.8 * n))
    E = nest.Create("iaf_psc_exp", ne, params=prm)
    I = nest.Create("iaf_psc_exp", n - ne, params=prm)
    (E + I).V_m = nest.random.uniform(-60.0, -50.0)
    conn = {"rule": "pairwise_bernoulli", "p": P_REF * N_REF / n, "allow_autapses": True}
    if cfg["plasticity"] == "stdp":
        nest.CopyModel("stdp_synapse", "stdp_ee", {"tau_plus": STDP["tau_plus"], "lambda": STDP["lam"],
                                                   "alpha": STDP["alpha"], "mu_plus": 1.0, "mu_minus": 1.0,
                                                   "Wmax": STDP["w_max"] * c_m / tau_m})
        nest.Connect(E, E, conn, {"synapse_model": "stdp_ee", "weight": je, "delay": 0.1})
        nest.Connect(E, I, conn, {"weight": je, "delay": 0.1})
    else:
        nest.Connect(E, E + I, conn, {"weight": je, "delay": 0.1})
    nest.Connect(I, E + I, conn, {"weight": ji, "delay": 0.1})
    sr_e, sr_i = nest.Create("spike_recorder"), nest.Create("spike_recorder")
    nest.Connect(E, sr_e)
    nest.Connect(I, sr_i)
    nest.Prepare()
    t1, c1 = time.perf_counter(), time.process_time()
    nest.Run(T * 1000.0)
    t2, c2 = time.perf_counter(), time.process_time()
    nest.Cleanup()
    rate_e, rate_i = sr_e.n_events / ne / T, sr_i.n_events / (n - ne) / T
    n_syn = nest.num_connections - n  # minus the recorders' connections
    syn_e = len(nest.GetConnections(E, E + I))
    out = {"sim_s": t2 - t1, "cpu_s": c2 - c1, "build_s": t1 - t0, "compile_s": 0.0, "rate_e": float(rate_e),
           "events": float(rate_e * T * syn_e + rate_i * T * (n_syn - syn_e)), "synapses": int(n_syn)}
    if cfg["plasticity"] == "stdp":
        w = np.asarray(nest.GetConnections(E, E).weight)
        out["w_ee"] = float(w.mean() / je)
    return out


WORKERS = {"brian2": worker_brian2, "nest": worker_nest}


def run_peer(kind: str, cfg: dict, timeout: float = 1800) -> dict | None:
    env = dict(os.environ, **THREAD_ENV)
    if cfg.get("threads", 1) > 1:
        env["OMP_NUM_THREADS"] = str(cfg["threads"])
    cmd = [sys.executable, "-m", "simcore.bench", "--worker", kind, "--config", json.dumps(cfg)]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=str(ROOT))
    except subprocess.TimeoutExpired:
        log(f"  {kind} {cfg.get('target', '')}: timed out")
        return None
    for line in reversed(res.stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    tail = (res.stderr or res.stdout).strip().splitlines()[-3:]
    log(f"  {kind} {cfg.get('target', '')} failed: " + " | ".join(tail))
    return None


def installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def cython_works() -> bool:
    """Brian2's cython target needs Cython and a C++ compiler (it compiles ~30 s on first use, cached after)."""
    from shutil import which

    return installed("Cython") and (which("g++") or which("c++")) is not None


# -- the table -----------------------------------------------------------------------------------
def fmt_table(rows: list[dict]) -> str:
    head = ["network", "N", "synapses", "engine", "s/bio-s", "kernel", "cpu", "events/s", "E rate Hz", "w_EE/we",
            "x run", "x kernel", "build+compile s"]
    lines = []
    for r in rows:
        peer = r["engine"] != "synaptica"
        x = f"{r['per_bio_s'] / r['ours_per_bio_s']:.2f}" if peer and r.get("ours_per_bio_s") else ""
        xk = f"{r['per_bio_s'] / r['ours_kernel_per_bio_s']:.2f}" if peer and r.get("ours_kernel_per_bio_s") else ""
        kern = f"{r['kernel_per_bio_s']:.4f}" if r.get("kernel_per_bio_s") else ""
        cpu = f"{r['cpu_per_bio_s']:.4f}" if r.get("cpu_per_bio_s") else ""
        lines.append([r["network"], str(r["n"]), f"{r['synapses'] / 1e6:.2f}M", r["engine"], f"{r['per_bio_s']:.4f}",
                      kern, cpu, f"{r['events_per_s'] / 1e6:.1f}M", f"{r['rate_e']:.2f}",
                      f"{r['w_ee']:.3f}" if r.get("w_ee") is not None and r["network"] != "static" else "",
                      x, xk, f"{r['build_s'] + r['compile_s']:.1f}"])
    widths = [max(len(h), *(len(line[k]) for line in lines)) if lines else len(h) for k, h in enumerate(head)]
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths)), "  ".join("-" * w for w in widths)]
    prev = None
    for line in lines:
        key = (line[0], line[1])
        if prev is not None and key != prev:
            out.append("")
        prev = key
        out.append("  ".join(c.ljust(w) if k < 4 else c.rjust(w) for k, (c, w) in enumerate(zip(line, widths))))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m simcore.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="2 s of biological time, sizes 4000,16000, no repeats")
    ap.add_argument("--no-peers", action="store_true", help="only this engine")
    ap.add_argument("--sizes", default=None, help="comma-separated network sizes of the sweep (default 4000,16000,64000)")
    ap.add_argument("--duration", type=float, default=None, help="biological seconds per run (default 10, quick 2)")
    ap.add_argument("--repeat", type=int, default=None, help="runs of this engine, best kept (default 2, quick 1)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true", help="print the results as JSON instead of the table")
    ap.add_argument("--phases", type=int, default=0, metavar="ROUNDS",
                    help="then run the size sweep again in ROUNDS interleaved rounds, split by kernel phase")
    ap.add_argument("--targets", action="store_true",
                    help="instead: every figure the engine is held to, each benchmark in its own process, one table "
                         "of measured against target (simcore.bench_targets; with --quick, short smoke runs)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--config", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.targets:
        from .bench_targets import main as targets_main

        return targets_main(quick=a.quick)
    if a.worker:
        out = WORKERS[a.worker](json.loads(a.config))
        print("RESULT " + json.dumps(out), flush=True)
        return 0

    for k, v in THREAD_ENV.items():
        os.environ.setdefault(k, v)
    duration = a.duration or (2.0 if a.quick else 10.0)
    repeat = a.repeat or (1 if a.quick else 2)
    sizes = [int(s) for s in (a.sizes or ("4000,16000" if a.quick else "4000,16000,64000")).split(",") if s]
    from .params import kinds

    plasticities = ["static", "stdp"] + (["stdp+scaling"] if "scaling" in kinds("rule") else [])
    peers = []
    if not a.no_peers:
        if installed("brian2"):
            peers.append(("brian2", "cpp_standalone", "brian2-cpp"))
            if cython_works():
                peers.append(("brian2", "cython", "brian2-cython"))
        if installed("nest"):
            peers.append(("nest", "", "nest-1thread"))
    log(f"CUBA, {duration:g} s biological per run; peers: {', '.join(p[2] for p in peers) or 'none'}")
    rows: list[dict] = []
    tmp = tempfile.mkdtemp(prefix="synaptica_bench_")

    def add(network, n, engine, res, ours):
        rows.append({"network": network, "n": n, "engine": engine, "duration_s": duration,
                     "per_bio_s": res["sim_s"] / duration, "events_per_s": res["events"] / res["sim_s"],
                     "kernel_per_bio_s": res["kernel_s"] / duration if "kernel_s" in res else None,
                     "cpu_per_bio_s": res["cpu_s"] / duration if "cpu_s" in res else None,
                     "rate_e": res["rate_e"], "synapses": res["synapses"], "w_ee": res.get("w_ee"),
                     "build_s": res["build_s"], "compile_s": res["compile_s"], "sim_s": res["sim_s"],
                     "events": res["events"], "ours_per_bio_s": ours["sim_s"] / duration,
                     "ours_kernel_per_bio_s": ours["kernel_s"] / duration})

    def one(network, n, plasticity, peer_list):
        log(f"{network} N={n}: synaptica...")
        try:
            ours = run_ours(n, plasticity, duration, a.seed, repeat)
        except Exception as err:  # e.g. a rule still being written: report it, keep the other rows
            log(f"  failed: {type(err).__name__}: {err}")
            return
        log(f"  {ours['sim_s']:.3f} s (kernel {ours['kernel_s']:.3f} s), E {ours['rate_e']:.2f} Hz")
        add(network, n, "synaptica", ours, ours)
        if plasticity == "stdp+scaling":
            return
        for kind, target, label in peer_list:
            log(f"{network} N={n}: {label}...")
            cfg = {"target": target, "n": n, "duration": duration, "plasticity": plasticity, "seed": a.seed + 1,
                   "dir": os.path.join(tmp, f"{target}_{plasticity}_{n}")}
            res = run_peer(kind, cfg)
            if res:
                log(f"  {res['sim_s']:.3f} s (+{res['build_s'] + res['compile_s']:.1f} s build), "
                    f"E {res['rate_e']:.2f} Hz")
                add(network, n, label, res, ours)

    for pl in plasticities:
        one(pl, N_REF, pl, peers)
    sweep_peers = [p for p in peers if p[1] == "cpp_standalone"]
    for n in sizes:
        if n != N_REF:
            one("static", n, "static", sweep_peers)
    phases = phase_sweep(sizes if N_REF in sizes else [N_REF, *sizes], duration, a.phases, a.seed) if a.phases else []
    if a.json:
        print(json.dumps({"duration_s": duration, "rows": rows, "phases": phases}, indent=1))
        return 0
    print(f"Vogels-Abbott CUBA, dt 0.1 ms, {duration:g} s biological, one thread; in-degree 80 at every size "
          f"(p = 0.02 * 4000 / N). s/bio-s: wall time of the run per biological second, build+compile excluded "
          f"(ours: Simulation.run with every recorder on, the end-of-run summary statistics excluded; kernel: the generated loop alone; cpu: process CPU "
          f"time of the loop, robust on a busy machine, not available for the standalone binary). "
          f"x run / x kernel: peer time / our time.")
    print(fmt_table(rows))
    ours_sweep = sorted([r for r in rows if r["engine"] == "synaptica" and r["network"] == "static"],
                        key=lambda r: r["n"])
    if len(ours_sweep) > 1:
        base = ours_sweep[0]
        per_event = [r["kernel_per_bio_s"] * r["duration_s"] / r["events"] for r in ours_sweep]
        print("size sweep (synaptica, static, kernel): wall time per synaptic event (neuron updates included) "
              + ", ".join(f"N={r['n']}: {1e9 * c:.1f} ns" for r, c in zip(ours_sweep, per_event))
              + f"; time grows x{ours_sweep[-1]['per_bio_s'] / base['per_bio_s']:.1f} for "
              f"x{ours_sweep[-1]['n'] / base['n']:.0f} neurons")
    if phases:
        print(fmt_phases(phases))
    return 0


if __name__ == "__main__":
    sys.exit(main())
