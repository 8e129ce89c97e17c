"""Pair-based STDP (Song, Miller & Abbott 2000; Guetig et al. 2003; NEST stdp_synapse)."""
import math

import numpy as np

from ..engine.impl import RuleImpl
from ..engine.jit import njit
from ._traces import decay_pre_post
from ..params import WEIGHT_MAX, Kind, Param, register

PARAMS = (
    Param("tau_plus", 20.0, "ms", "Time constant of the presynaptic trace (potentiation window)",
          min=0.0, exclusive_min=True),
    Param("tau_minus", 20.0, "ms", "Time constant of the postsynaptic trace (depression window)",
          min=0.0, exclusive_min=True),
    Param("lam", 0.01, "", "Learning rate lambda (step relative to w_max)", min=0.0, max=1.0),
    Param("alpha", 1.05, "", "Depression / potentiation ratio", min=0.0),
    Param("mu_plus", 0.0, "", "Weight dependence of potentiation: 0 additive, 1 multiplicative", min=0.0, max=1.0),
    Param("mu_minus", 0.0, "", "Weight dependence of depression: 0 additive, 1 multiplicative", min=0.0, max=1.0),
    Param("w_max", 1.0, "w", "Upper weight bound (hard bound of the rule)", min=0.0, exclusive_min=True,
          max=WEIGHT_MAX),
    Param("pairing", "all_to_all", "", "Which spike pairs count: all pairs, or only nearest neighbours",
          type="choice", choices=("all_to_all", "nearest")),
)

LAM, ALPHA, MU_P, MU_M, WMAX, DEC_P, DEC_M, NEAREST = range(8)


def prepare(p, dt):
    return np.array([p["lam"], p["alpha"], p["mu_plus"], p["mu_minus"], p["w_max"],
                     math.exp(-dt / p["tau_plus"]), math.exp(-dt / p["tau_minus"]),
                     1.0 if p["pairing"] == "nearest" else 0.0])


@njit
def on_pre(i, t, syn, rs):
    """Depression: every outgoing synapse of i moves down by alpha lam w^^mu_minus y_post."""
    P = rs.P
    x, y, W, post = rs.pre[0], rs.post[0], syn.W, syn.post
    lam_d, mu, wmax = P[ALPHA] * P[LAM], P[MU_M], P[WMAX]
    if P[NEAREST] > 0.5:
        x[i] = 1.0
    else:
        x[i] += 1.0
    total = 0.0
    for q in range(syn.indptr[i], syn.indptr[i + 1]):
        yj = y[post[q]]
        if yj == 0.0:
            continue
        w = W[q] / wmax
        if mu == 0.0:
            nw = w - lam_d * yj
        elif mu == 1.0:
            nw = w - lam_d * w * yj
        else:
            nw = w - lam_d * w ** mu * yj
        if nw < 0.0:
            nw = 0.0
        W[q] = nw * wmax
        total += (nw - w) * wmax
    rs.glob[0] += total


@njit
def on_post(j, t, syn, rs):
    """Potentiation: every incoming synapse of j moves up by lam (1 - w^)^mu_plus x_pre."""
    P = rs.P
    x, y, W = rs.pre[0], rs.post[0], syn.W
    lam, mu, wmax = P[LAM], P[MU_P], P[WMAX]
    if P[NEAREST] > 0.5:
        y[j] = 1.0
    else:
        y[j] += 1.0
    total = 0.0
    for k in range(syn.in_indptr[j], syn.in_indptr[j + 1]):
        q = syn.in_syn[k]
        xi = x[syn.in_pre[k]]
        if xi == 0.0:
            continue
        w = W[q] / wmax
        if mu == 0.0:
            nw = w + lam * xi
        elif mu == 1.0:
            nw = w + lam * (1.0 - w) * xi
        else:
            nw = w + lam * (1.0 - w) ** mu * xi
        if nw > 1.0:
            nw = 1.0
        W[q] = nw * wmax
        total += (nw - w) * wmax
    rs.glob[0] += total


@njit
def step(t, syn, rs, pre_spk, n_pre, post_spk, n_post, pre_rate, post_rate):
    """Traces decay once per step (one value per neuron, shared by all its synapses)."""
    decay_pre_post(rs, rs.P[DEC_P], rs.P[DEC_M])


IMPL = RuleImpl(prepare=prepare, pre_vars=("x",), post_vars=("y",), on_pre=on_pre, on_post=on_post, step=step)

KIND = register(Kind(
    "rule", "stdp_pair", "Pair STDP",
    "Spike-timing-dependent plasticity from pre/post spike pairs. On a post spike "
    "w <- w_max min(1, w^ + lam (1 - w^)^mu_plus x); on a pre spike w <- w_max max(0, w^ - alpha lam "
    "w^^mu_minus y), w^ = w / w_max (Song et al. 2000; Guetig et al. 2003). mu = 0 (additive, hard bounds) "
    "gives a bimodal weight distribution, mu = 1 (multiplicative) a unimodal one.",
    PARAMS,
    info={"synapses": ("excitatory", "inhibitory", "shunting")},
    impl=IMPL,
    needs={"source": ("spiking",), "target": ("spiking",)},
))
