"""Triplet STDP (Pfister & Gerstner 2006; NEST stdp_triplet_synapse; Auryn TripletConnection)."""
import math

import numpy as np

from ..engine.impl import RuleImpl
from ..engine.jit import njit
from ..params import WEIGHT_MAX, Kind, Param, register

_REF = " (Pfister & Gerstner 2006, visual cortex all-to-all fit)"
PARAMS = (
    Param("tau_plus", 16.8, "ms", "Time constant of the fast presynaptic trace r1 (pair LTP window)" + _REF,
          min=0.0, exclusive_min=True),
    Param("tau_x", 101.0, "ms", "Time constant of the slow presynaptic trace r2 (triplet LTD term)" + _REF,
          min=0.0, exclusive_min=True),
    Param("tau_minus", 33.7, "ms", "Time constant of the fast postsynaptic trace o1 (pair LTD window)" + _REF,
          min=0.0, exclusive_min=True),
    Param("tau_y", 125.0, "ms", "Time constant of the slow postsynaptic trace o2 (triplet LTP term)" + _REF,
          min=0.0, exclusive_min=True),
    Param("a2_plus", 5e-10, "w_max", "Pair potentiation amplitude A2+ (relative to w_max)" + _REF, min=0.0),
    Param("a3_plus", 6.2e-3, "w_max", "Triplet potentiation amplitude A3+ (post-pre-post)" + _REF, min=0.0),
    Param("a2_minus", 7e-3, "w_max", "Pair depression amplitude A2- (relative to w_max)" + _REF, min=0.0),
    Param("a3_minus", 2.3e-4, "w_max", "Triplet depression amplitude A3- (pre-post-pre)" + _REF, min=0.0),
    Param("w_max", 1.0, "w", "Upper weight bound (hard bounds [0, w_max])", min=0.0, exclusive_min=True,
          max=WEIGHT_MAX),
)

A2P, A3P, A2M, A3M, WMAX, D_R1, D_R2, D_O1, D_O2 = range(9)


def prepare(p, dt):
    return np.array([p["a2_plus"], p["a3_plus"], p["a2_minus"], p["a3_minus"], p["w_max"],
                     math.exp(-dt / p["tau_plus"]), math.exp(-dt / p["tau_x"]),
                     math.exp(-dt / p["tau_minus"]), math.exp(-dt / p["tau_y"])])


@njit
def on_pre(i, t, syn, rs):
    """Depression: w -= w_max o1 (A2- + A3- r2), r2 taken before this spike; then r1, r2 += 1."""
    P = rs.P
    r2i = rs.pre[1, i]
    o1 = rs.post[0]
    W, post = syn.W, syn.post
    wmax = P[WMAX]
    amp = wmax * (P[A2M] + P[A3M] * r2i)
    total = 0.0
    for q in range(syn.indptr[i], syn.indptr[i + 1]):
        oj = o1[post[q]]
        if oj == 0.0:
            continue
        w = W[q]
        nw = w - amp * oj
        if nw < 0.0:
            nw = 0.0
        W[q] = nw
        total += W[q] - w
    rs.pre[0, i] += 1.0
    rs.pre[1, i] = r2i + 1.0
    rs.glob[0] += total


@njit
def on_post(j, t, syn, rs):
    """Potentiation: w += w_max r1 (A2+ + A3+ o2), o2 taken before this spike; then o1, o2 += 1."""
    P = rs.P
    o2j = rs.post[1, j]
    r1 = rs.pre[0]
    W = syn.W
    wmax = P[WMAX]
    amp = wmax * (P[A2P] + P[A3P] * o2j)
    total = 0.0
    for k in range(syn.in_indptr[j], syn.in_indptr[j + 1]):
        q = syn.in_syn[k]
        ri = r1[syn.in_pre[k]]
        if ri == 0.0:
            continue
        w = W[q]
        nw = w + amp * ri
        if nw > wmax:
            nw = wmax
        W[q] = nw
        total += W[q] - w
    rs.post[0, j] += 1.0
    rs.post[1, j] = o2j + 1.0
    rs.glob[0] += total


@njit
def step(t, syn, rs, pre_spk, n_pre, post_spk, n_post, pre_rate, post_rate):
    """The four traces (one value per neuron each) decay once per step."""
    P = rs.P
    d1, d2, e1, e2 = P[D_R1], P[D_R2], P[D_O1], P[D_O2]
    r1, r2, o1, o2 = rs.pre[0], rs.pre[1], rs.post[0], rs.post[1]
    for i in range(r1.shape[0]):
        r1[i] *= d1
        r2[i] *= d2
    for j in range(o1.shape[0]):
        o1[j] *= e1
        o2[j] *= e2


IMPL = RuleImpl(prepare=prepare, pre_vars=("r1", "r2"), post_vars=("o1", "o2"), on_pre=on_pre, on_post=on_post,
                step=step)

KIND = register(Kind(
    "rule", "stdp_triplet", "Triplet STDP",
    "Spike-timing-dependent plasticity from spike triplets (Pfister & Gerstner 2006, all-to-all). Two traces "
    "per neuron: pre r1 (tau_plus), r2 (tau_x); post o1 (tau_minus), o2 (tau_y). On a pre spike "
    "w -= w_max o1 (A2- + A3- r2); on a post spike w += w_max r1 (A2+ + A3+ o2); hard bounds [0, w_max]. "
    "Defaults are the visual-cortex fit, which reproduces the pairing-frequency dependence of Sjoestroem et "
    "al. (2001): pre-post pairings at 10 ms depress or do nothing at low frequency and potentiate at "
    "40-50 Hz; with Poisson firing the rule acts like BCM with a threshold set by the postsynaptic rate.",
    PARAMS,
    info={"synapses": ("excitatory", "inhibitory", "shunting")},
    impl=IMPL,
    needs={"source": ("spiking",), "target": ("spiking",)},
))
