"""Benchmark the Vogels & Sprekeler 2011 network against Brian2 cpp_standalone (a script, not a test).

    python -m simcore.bench_vs [--duration 2] [--rounds 3] [--quick] [--no-peers] [--scale 1.0]
                               [--profile [--profile-w-ie 0.245]]

The network of Vogels, Sprekeler, Zenke, Clopath & Gerstner (Science 2011), as in Brian2's example
``frompapers/Vogels_et_al_2011.py``: 8000 excitatory and 2000 inhibitory conductance-based LIF neurons,
connection probability 0.02 for every pair of populations (2 M synapses), a constant background current,
no delays, inhibitory STDP on I->E from the first step. Built here from the public model API
(``make_region`` / ``make_projection``) and, in a subprocess with one thread, in Brian2 cpp_standalone;
rounds are interleaved and the best time of each is kept (the machine may be shared).

Mapping of the paper's parameters (SI units) onto this engine's LIF (conductances in units of the
leak conductance gL, currents as the depolarisation they cause at rest):

    paper / Brian2                         here
    gL = 10 nS, C = 200 pF                 tau_m = C / gL = 20 ms
    El = -60 mV, Vt = -50 mV, reset El     e_l = -60, v_th = -50, v_reset = -60 mV
    refractory 5 ms                        t_ref = 5 ms
    E_ampa = 0 mV, E_gaba = -80 mV         e_e = 0, e_i = -80 mV
    tau_ampa 5 ms, tau_gaba 10 ms          tau_e = 5, tau_i = 10 ms
    I_bg = 200 pA                          i_bias = I_bg / gL = 20 mV
    E->E, E->I: g_ampa += 0.3 nS           weight 0.3 / 10 = 0.03 (gL)
    I->I: g_gaba += 3 nS                   weight 3 / 10 = 0.3 (gL)
    I->E: w0 = 1e-10 nS ("near zero")      weight 1e-11 (gL)
    iSTDP w in nS, eta = 1e-2 (nS)         rule vogels_sprekeler, eta = 1e-2 / 10 = 1e-3 (gL)
    gmax = 100 (nS)                        w_max = 10 (gL)
    tau_stdp 20 ms, alpha = 2 rho0 tau     tau_ms = 20, rho0_hz = 3 (the rule computes alpha)
    no synaptic delay                      delay 0.1 ms = one step (the shortest delay here;
                                           Brian2's spike reaches g in the same step, so its
                                           effect on v is also one step later)
    v0: not set in the example             v uniform in [-60, -50] mV, in both engines
    self-connections allowed (p = 0.02)    allow_self = True
    dt 0.1 ms, Euler                       dt 0.1 ms; this engine integrates each step exactly
                                           for frozen conductances (rates agree to a few %)

Printed: s per biological second of this engine's kernel loop alone (``sim._call`` after
``sim.compile()``, as simcore.bench's run_ours) and of ``Simulation.run`` with its recorders, Brian2's
``device._last_run_time`` per biological second (build and compile excluded everywhere), the E rate
of both, and the ratio Brian2 / ours. The kernel's process CPU time is printed too: on a busy machine it
is the steadier figure (there is no such figure for the standalone binary's loop). ``--profile`` then
breaks this engine's kernel time down by ablation (see :func:`profile`) and prints Brian2's
per-code-object profile. Progress on stderr, the table on stdout.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from .bench import ROOT, THREAD_ENV, installed, log

NE, NI, P_CONN = 8000, 2000, 0.02
G_E, G_II, W_IE0 = 0.03, 0.3, 1e-11  # gL units (0.3 nS, 3 nS, 1e-10 nS over gL = 10 nS)
ETA, RHO0, TAU_STDP, W_MAX = 1e-3, 3.0, 20.0, 10.0  # eta and w_max in gL units
LIF = dict(tau_m=20.0, e_l=-60.0, v_th=-50.0, v_reset=-60.0, t_ref=5.0, tau_e=5.0, tau_i=10.0, i_bias=20.0,
           synapses="conductance", e_e=0.0, e_i=-80.0, noise_sd=0.0, v_init_low=-60.0, v_init_high=-50.0)


def sizes(scale: float) -> tuple[int, int]:
    """Population sizes at ``scale`` times the paper's; p is kept (a smaller, sparser-driven network)."""
    return max(1, int(round(NE * scale))), max(1, int(round(NI * scale)))


# -- this engine ---------------------------------------------------------------------------------
def vs_circuit(scale: float = 1.0, seed: int = 0, w_ie: float = W_IE0, rule: bool = True, eta: float = ETA,
               wired: bool = True, synapses: str = "conductance"):
    """The Vogels-Sprekeler network as a Circuit (see the module docstring for the parameter mapping).
    The keywords make the variants of ``--profile``: a fixed I->E weight, no rule, eta = 0 (the hooks
    run but change nothing), no synapses at all, current-based neurons."""
    from .model import Circuit, Recording, Settings, make_projection, make_region

    ne, ni = sizes(scale)
    lif = dict(LIF, synapses=synapses)
    conn = ("fixed_probability", {"p": P_CONN, "allow_self": True})
    delay = ("constant", {"value_ms": 0.1})

    def proj(name, src, tgt, syn, w, rules=None):
        return make_projection(name, src, tgt, syn, connectivity=conn, weights=("constant", {"value": w}),
                               delay=delay, rules=rules)

    istdp = ("vogels_sprekeler", {"eta": eta, "rho0_hz": RHO0, "tau_ms": TAU_STDP, "w_max": W_MAX})
    return Circuit(
        name="vogels_sprekeler_2011", settings=Settings(dt_ms=0.1, seed=seed),
        recording=Recording(raster_max_neurons=0),
        regions=[make_region("E", "lif", ne, "excitatory", **lif), make_region("I", "lif", ni, "inhibitory", **lif)],
        projections=[proj("E->E", "E", "E", "excitatory", G_E), proj("E->I", "E", "I", "excitatory", G_E),
                     proj("I->I", "I", "I", "inhibitory", G_II),
                     proj("I->E", "I", "E", "inhibitory", w_ie, rules=[istdp] if rule else None)] if wired else [])


def run_ours(duration: float, scale: float = 1.0, seed: int = 0, **variant) -> dict:
    """One fresh simulation, one thread: Simulation.run with recorders, then the kernel loop alone."""
    from .engine.simulation import Simulation

    t0 = time.perf_counter()
    sim = Simulation(vs_circuit(scale, seed, **variant), seed=seed, threads=1)
    build = time.perf_counter() - t0
    compile_s = sim.compile()
    summary = sim.run(duration)
    sim.reset()
    t0, c0 = time.perf_counter(), time.process_time()
    sim._call(0, sim.steps_for(duration))
    kernel, cpu = time.perf_counter() - t0, time.process_time() - c0
    regions, projs = summary["regions"], summary["projections"]
    events = sum(regions[sim.net.regions[p.source].name]["rate_hz"] * duration * len(p.arrays.W)
                 for p in sim.net.projections)
    return {"run_s": summary["wall_s"], "kernel_s": kernel, "cpu_s": cpu, "build_s": build, "compile_s": compile_s,
            "rate_e": regions["E"]["rate_hz"], "rate_i": regions["I"]["rate_hz"], "events": events,
            "w_ie_ns": projs["I->E"]["w_mean"] * 10.0 if "I->E" in projs else 0.0,
            "synapses": sum(len(p.arrays.W) for p in sim.net.projections)}


def profile(T: float, rounds: int, scale: float, seed: int, w_ie: float) -> None:
    """Where this engine's time goes, by ablation at the same activity: I->E fixed at ``w_ie`` (gL),
    (a) static, (b) the same with the rule at eta = 0 (its hooks run on every spike and every step,
    the weights and so the spikes stay those of (a)), (c) no synapses (the neuron update alone; the
    neurons then fire regularly from the bias), (d) as (c) with current-based neurons."""
    variants = {"static": dict(rule=False), "istdp eta=0": dict(eta=0.0), "neurons only": dict(wired=False),
                "neurons only, current": dict(wired=False, synapses="current")}
    best: dict[str, dict] = {}
    for r in range(rounds):
        for label, v in variants.items():
            res = run_ours(T, scale, seed, w_ie=w_ie, **v)
            log(f"  profile {r + 1}/{rounds} {label}: kernel {res['kernel_s'] / T:.4f} s/bio-s, E {res['rate_e']:.2f} Hz")
            if label not in best or res["kernel_s"] < best[label]["kernel_s"]:
                best[label] = res
    st, ru, nu, cu = (best[k] for k in variants)
    print(f"profile (kernel loop, best of {rounds}, {T:g} s, I->E fixed at {w_ie * 10:g} nS):")
    for label, res in best.items():
        print(f"  {label:24s} {res['kernel_s'] / T:8.4f} s/bio-s   E {res['rate_e']:6.2f} Hz   I {res['rate_i']:6.2f} Hz")
    print(f"  neuron update (conductance)         {nu['kernel_s'] / T:8.4f} s/bio-s "
          f"({1e9 * nu['kernel_s'] / (T * 1e4 * sum(sizes(scale))):.2f} ns per neuron-step; current-based "
          f"{1e9 * cu['kernel_s'] / (T * 1e4 * sum(sizes(scale))):.2f})")
    print(f"  delivery (static - neurons only)    {(st['kernel_s'] - nu['kernel_s']) / T:8.4f} s/bio-s "
          f"({1e9 * (st['kernel_s'] - nu['kernel_s']) / st['events']:.2f} ns per delivered event, "
          f"{st['events'] / T / 1e6:.1f}M events per bio-s)")
    print(f"  iSTDP hooks (eta=0 - static)        {(ru['kernel_s'] - st['kernel_s']) / T:8.4f} s/bio-s")


def profile_brian2(T: float, scale: float, seed: int, tmp: str) -> None:
    """Brian2's own per-code-object times (``profile=True``) on the benchmark network, for comparison."""
    res = run_brian2({"duration": T, "scale": scale, "seed": seed, "dir": os.path.join(tmp, "b2_prof"), "profile": True})
    if not res:
        return
    print(f"brian2 cpp_standalone profile ({T:g} s, plastic; total {res['sim_s'] / T:.4f} s/bio-s):")
    for name, t in sorted(res["profile"].items(), key=lambda kv: -kv[1]):
        if t / T >= 0.001:
            print(f"  {name:40s} {t / T:8.4f} s/bio-s")


# -- Brian2 cpp_standalone, in a subprocess (python -m simcore.bench_vs --worker brian2 --config JSON) ---
def worker_brian2(cfg: dict) -> dict:
    """The network of Brian2's example frompapers/Vogels_et_al_2011.py, eta on from the start."""
    import numpy as np
    import brian2 as b2

    b2.set_device("cpp_standalone", directory=cfg["dir"], build_on_run=False)
    b2.defaultclock.dt = 0.1 * b2.ms
    b2.seed(cfg["seed"])
    ms, mV, nS, pA, pF = b2.ms, b2.mV, b2.nS, b2.pA, b2.pF
    ne, ni = sizes(cfg["scale"])
    T = cfg["duration"]
    ns = dict(gl=10 * nS, el=-60 * mV, er=-80 * mV, vt=-50 * mV, memc=200 * pF, bgcurrent=200 * pA,
              tau_ampa=5 * ms, tau_gaba=10 * ms, tau_stdp=TAU_STDP * ms, eta=ETA * 10,
              alpha=2 * RHO0 * TAU_STDP * 1e-3, gmax=W_MAX * 10)
    eqs = """dv/dt = (-gl * (v - el) - (g_ampa * v + g_gaba * (v - er)) + bgcurrent) / memc : volt (unless refractory)
             dg_ampa/dt = -g_ampa / tau_ampa : siemens
             dg_gaba/dt = -g_gaba / tau_gaba : siemens"""
    t0 = time.perf_counter()
    P = b2.NeuronGroup(ne + ni, eqs, threshold="v > vt", reset="v = el", refractory=5 * ms, method="euler",
                       namespace=ns)
    P.v = "el + rand() * (vt - el)"
    Pe, Pi = P[:ne], P[ne:]
    con_e = b2.Synapses(Pe, P, on_pre="g_ampa += 0.3 * nS", namespace=ns)
    con_e.connect(p=P_CONN)
    con_ii = b2.Synapses(Pi, Pi, on_pre="g_gaba += 3 * nS", namespace=ns)
    con_ii.connect(p=P_CONN)
    con_ie = b2.Synapses(Pi, Pe, """w : 1
                                    dApre/dt = -Apre / tau_stdp : 1 (event-driven)
                                    dApost/dt = -Apost / tau_stdp : 1 (event-driven)""",
                         on_pre="""Apre += 1.
                                   w = clip(w + (Apost - alpha) * eta, 0, gmax)
                                   g_gaba += w * nS""",
                         on_post="""Apost += 1.
                                    w = clip(w + Apre * eta, 0, gmax)""", namespace=ns)
    con_ie.connect(p=P_CONN)
    con_ie.w = 1e-10
    mon = b2.SpikeMonitor(P, record=False)
    net = b2.Network(P, con_e, con_ii, con_ie, mon)
    net.run(T * b2.second, profile=bool(cfg.get("profile")))
    b2.device.build(directory=cfg["dir"], compile=True, run=True)
    total = time.perf_counter() - t0
    count = np.asarray(mon.count[:], float)
    sim_s = float(b2.device._last_run_time)
    prof = {name: float(t) for name, t in net.profiling_info} if cfg.get("profile") else {}
    return {"profile": prof, "sim_s": sim_s, "compile_s": total - sim_s, "rate_e": float(count[:ne].sum() / ne / T),
            "rate_i": float(count[ne:].sum() / ni / T), "w_ie_ns": float(np.mean(con_ie.w[:])),
            "synapses": int(len(con_e) + len(con_ii) + len(con_ie))}


def run_brian2(cfg: dict, timeout: float = 1800) -> dict | None:
    env = dict(os.environ, **THREAD_ENV)
    cmd = [sys.executable, "-m", "simcore.bench_vs", "--worker", "brian2", "--config", json.dumps(cfg)]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=str(ROOT))
    except subprocess.TimeoutExpired:
        log("  brian2: timed out")
        return None
    for line in reversed(res.stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    log("  brian2 failed: " + " | ".join((res.stderr or res.stdout).strip().splitlines()[-3:]))
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m simcore.bench_vs", description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=None, help="biological seconds per run (default 2, quick 0.5)")
    ap.add_argument("--rounds", type=int, default=None, help="interleaved rounds, best kept (default 3, quick 1)")
    ap.add_argument("--quick", action="store_true", help="0.5 s, one round")
    ap.add_argument("--no-peers", action="store_true", help="only this engine")
    ap.add_argument("--scale", type=float, default=1.0, help="population sizes times this (p kept); for smoke runs")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", action="store_true", help="then break our kernel time down by ablation")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object instead of the table")
    ap.add_argument("--profile-w-ie", type=float, default=0.245, help="fixed I->E weight (gL) of the profile runs (0.245: E ~36 Hz, near the 2 s run's 46 Hz; 0.3: ~8 Hz)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--config", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        print("RESULT " + json.dumps({"brian2": worker_brian2}[a.worker](json.loads(a.config))), flush=True)
        return 0
    for k, v in THREAD_ENV.items():
        os.environ.setdefault(k, v)
    T = a.duration or (0.5 if a.quick else 2.0)
    rounds = a.rounds or (1 if a.quick else 3)
    peer = not a.no_peers and installed("brian2")
    tmp = tempfile.mkdtemp(prefix="synaptica_bench_vs_")
    best: dict[str, dict] = {}

    def keep(label, res, key):
        if res and (label not in best or res[key] < best[label][key]):
            best[label] = res

    for r in range(rounds):
        log(f"round {r + 1}/{rounds}: synaptica...")
        ours = run_ours(T, a.scale, a.seed)
        log(f"  run {ours['run_s'] / T:.4f} s/bio-s, kernel {ours['kernel_s'] / T:.4f}, E {ours['rate_e']:.2f} Hz")
        keep("kernel", ours, "kernel_s")
        keep("cpu", ours, "cpu_s")
        keep("run", ours, "run_s")
        if peer:
            log(f"round {r + 1}/{rounds}: brian2 cpp_standalone...")
            res = run_brian2({"duration": T, "scale": a.scale, "seed": a.seed + 1, "dir": os.path.join(tmp, f"b2_{r}")})
            if res:
                log(f"  {res['sim_s'] / T:.4f} s/bio-s (+{res['compile_s']:.1f} s build), E {res['rate_e']:.2f} Hz")
            keep("brian2", res, "sim_s")
    ne, ni = sizes(a.scale)
    k, run = best["kernel"], best["run"]
    if a.json:
        out = {"rounds": rounds, "duration_s": T, "ours_kernel_per_bio_s": k["kernel_s"] / T,
               "ours_run_per_bio_s": run["run_s"] / T, "rate_e": k["rate_e"]}
        if "brian2" in best:
            b = best["brian2"]
            out.update(brian2_per_bio_s=b["sim_s"] / T, brian2_rate_e=b["rate_e"],
                       brian2_over_ours_kernel=b["sim_s"] / k["kernel_s"], brian2_over_ours_run=b["sim_s"] / run["run_s"])
        print(json.dumps(out))
        return 0
    print(f"Vogels & Sprekeler 2011: {ne} E / {ni} I conductance LIF, p = {P_CONN}, {k['synapses'] / 1e6:.2f}M synapses, "
          f"iSTDP on I->E from t = 0 (eta 1e-2 nS, rho0 {RHO0:g} Hz), dt 0.1 ms, {T:g} s biological, one thread, "
          f"best of {rounds} interleaved round(s); s/bio-s = wall time per biological second, build/compile excluded")
    rows = [("synaptica kernel (sim._call)", k["kernel_s"], k), ("synaptica Simulation.run", run["run_s"], run),
            ("synaptica kernel, CPU time", best["cpu"]["cpu_s"], best["cpu"])]
    if "brian2" in best:
        rows.append(("brian2 cpp_standalone", best["brian2"]["sim_s"], best["brian2"]))
    for label, t, res in rows:
        print(f"  {label:30s} {t / T:8.4f} s/bio-s   E {res['rate_e']:6.2f} Hz   I {res['rate_i']:6.2f} Hz   "
              f"mean w_IE {res['w_ie_ns']:.3f} nS")
    if "brian2" in best:
        b = best["brian2"]
        print(f"  brian2 / ours: x{b['sim_s'] / k['kernel_s']:.2f} (kernel), x{b['sim_s'] / run['run_s']:.2f} (run)   "
              f"E rate ours / brian2: {k['rate_e'] / b['rate_e']:.3f}")
    if a.profile:
        profile(T, rounds, a.scale, a.seed, a.profile_w_ie)
        if peer:
            profile_brian2(T, a.scale, a.seed + 1, tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
