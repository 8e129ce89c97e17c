"""Our kernel against a hand-written numba kernel of the same CUBA network (a script, not a test).

    python -m simcore.bench_handwritten [--n 4000] [--duration 5] [--repeat 5] [--stdp]

The hand-written loop is what one would write for exactly this network and nothing else: two LIF
populations, exact integration, one-step delays delivered straight into the synaptic currents,
CSR arrays, everything known at compile time. It reads the very arrays our build made (same wiring,
weights and initial state) and must produce the same spikes, so the ratio is the price of our
generality (any circuit of the registered kinds, one compiled kernel). Runs are interleaved and the
best of each is kept (the machine is noisy). ``--stdp`` also reports plastic (pair STDP on E->E) over
static for our engine, the figure Auryn quotes as 2.2.
"""
from __future__ import annotations

import argparse
import json
import math
import time

import numba
import numpy as np

from .bench import STDP, our_circuit
from .bench_targets import LIMITS


@numba.njit(nogil=True, error_model="numpy", inline="always")
def _lif(v, ge, gi, ref, spk, P):
    """One step of one LIF population, the plain way: integrate, decay, threshold, reset."""
    p22, el, vth, vreset, ref_steps = P[0], P[1], P[2], P[3], P[4]
    de, di, p21e, p21i = P[5], P[6], P[7], P[8]
    n = 0
    for j in range(v.shape[0]):
        r = ref[j]
        vn = el + (v[j] - el) * p22 + ge[j] * p21e - gi[j] * p21i
        if r > 0.0:
            vn = v[j]
            ref[j] = r - 1.0
        ge[j] *= de
        gi[j] *= di
        if vn > vth:
            vn = vreset
            ref[j] = ref_steps
            spk[n] = j
            n += 1
        v[j] = vn
    return n


@numba.njit(nogil=True, error_model="numpy")
def _cuba(nsteps, vE, geE, giE, refE, vI, geI, giI, refI, P, W, post, indptr, srcs, tgts, counts):
    """State of E and I, parameters P (LIF prepare vector, shared), 4 projections in CSR:
    W[k], post[k], indptr[k], srcs[k] (0 = E, 1 = I), tgts[k] with the channel (0 = exc, 1 = inh)."""
    spkE = np.empty(vE.shape[0], np.int32)
    spkI = np.empty(vI.shape[0], np.int32)
    total = 0
    for s in range(nsteps):
        nE = _lif(vE, geE, giE, refE, spkE, P)
        nI = _lif(vI, geI, giI, refI, spkI, P)
        for k in range(4):
            spk, ns = (spkE, nE) if srcs[k] == 0 else (spkI, nI)
            if tgts[k] == 0:
                buf = geE
            elif tgts[k] == 1:
                buf = giE
            elif tgts[k] == 2:
                buf = geI
            else:
                buf = giI
            w, po, ip = W[k], post[k], indptr[k]
            for q in range(ns):
                i = spk[q]
                for x in range(ip[i], ip[i + 1]):
                    buf[po[x]] += w[x]
        counts[s, 0] = nE
        counts[s, 1] = nI
        total += nE + nI
    return total


def _hand_args(sim):
    net = sim.net
    E, I = net.regions[net.region_index("E")], net.regions[net.region_index("I")]
    srcs, tgts, W, post, indptr = [], [], [], [], []
    for p in net.projections:
        srcs.append(0 if net.regions[p.source].name == "E" else 1)
        t_e = net.regions[p.target].name == "E"
        tgts.append((0 if t_e else 2) + (1 if p.channel == 1 else 0))
        W.append(p.arrays.W.copy())
        post.append(p.arrays.post.copy())
        indptr.append(p.arrays.indptr.copy())
    state = [E.arrays.S[r].copy() for r in (0, 1, 2, 4)] + [I.arrays.S[r].copy() for r in (0, 1, 2, 4)]
    return state, E.arrays.P.copy(), tuple(W), tuple(post), tuple(indptr), np.array(srcs), np.array(tgts)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m simcore.bench_handwritten", description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--duration", type=float, default=5.0)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--stdp", action="store_true", help="also plastic / static for our engine")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object instead of the table")
    a = ap.parse_args(argv)
    from .engine.simulation import Simulation

    sims = {"static": Simulation(our_circuit(a.n, "static"), seed=0)}
    if a.stdp:
        sims["stdp"] = Simulation(our_circuit(a.n, "stdp"), seed=0)
    for s in sims.values():
        s.compile()
    steps = sims["static"].steps_for(a.duration)
    state, P, W, post, indptr, srcs, tgts = _hand_args(sims["static"])
    counts = np.zeros((steps, 2), np.int64)
    _cuba(1, *[x.copy() for x in state], P, W, post, indptr, srcs, tgts, counts)  # compile
    best = {k: math.inf for k in ("hand", *sims)}
    spikes = {}
    for _ in range(a.repeat):
        st = [x.copy() for x in state]
        t0 = time.perf_counter()
        spikes["hand"] = _cuba(steps, *st, P, W, post, indptr, srcs, tgts, counts)
        best["hand"] = min(best["hand"], time.perf_counter() - t0)
        for name, sim in sims.items():
            sim.reset()
            t0 = time.perf_counter()
            sim._call(0, steps)  # the kernel alone, as the hand-written loop (no recorders between chunks)
            best[name] = min(best[name], time.perf_counter() - t0)
            spikes[name] = int(sim._counts[:steps].sum())
    if a.json:
        out = {"n": a.n, "hand_per_bio_s": best["hand"] / a.duration, "ours_per_bio_s": best["static"] / a.duration,
               "ours_over_hand": best["static"] / best["hand"], "same_spikes": spikes["hand"] == spikes["static"]}
        if a.stdp:
            out.update(stdp_per_bio_s=best["stdp"] / a.duration, plastic_over_static=best["stdp"] / best["static"])
        print(json.dumps(out))
        return 0
    print(f"CUBA N={a.n}, {a.duration:g} s biological, one thread, best of {a.repeat} interleaved runs")
    print(f"  hand-written kernel : {best['hand'] / a.duration:.4f} s/bio-s  ({spikes['hand']} spikes)")
    print(f"  synaptica kernel    : {best['static'] / a.duration:.4f} s/bio-s  ({spikes['static']} spikes)  "
          f"ratio synaptica / hand-written = {best['static'] / best['hand']:.2f} "
          f"(target <= {LIMITS['ours_over_hand']:g})")
    if a.stdp:
        print(f"  synaptica, pair STDP on E->E: {best['stdp'] / a.duration:.4f} s/bio-s  "
              f"plastic / static = {best['stdp'] / best['static']:.2f} (target <= {LIMITS['plastic_over_static']:g}; Auryn 2.2)")
    if spikes["hand"] != spikes["static"]:
        print("  note: spike counts differ: the hand-written loop is not the same network")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
