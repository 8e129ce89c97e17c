"""Inhibitory STDP (Vogels, Sprekeler, Zenke, Clopath & Gerstner 2011; NEST vogels_sprekeler_synapse)."""
import math

import numpy as np

from ..engine.impl import RuleImpl
from ..engine.jit import njit
from ._traces import decay_pre_post
from ..params import WEIGHT_MAX, Kind, Param, register

_V = " (Vogels et al. 2011)"
PARAMS = (
    Param("eta", 1e-3, "w", "Learning rate: weight step per unit of trace" + _V, min=0.0, max=WEIGHT_MAX),
    Param("rho0_hz", 3.0, "Hz", "Target rate of the postsynaptic neuron; sets the depression per inhibitory "
          "spike alpha = 2 rho0 tau" + _V, min=0.0),
    Param("tau_ms", 20.0, "ms", "Time constant of the symmetric pre and post traces" + _V, min=0.0,
          exclusive_min=True),
    Param("w_max", 10.0, "w", "Upper weight bound (weights stay in [0, w_max]: Dale's law)", min=0.0,
          exclusive_min=True, max=WEIGHT_MAX),
)

ETA, ALPHA, DEC, WMAX = range(4)


def prepare(p, dt):
    return np.array([p["eta"], 2.0 * p["rho0_hz"] * 1e-3 * p["tau_ms"], math.exp(-dt / p["tau_ms"]), p["w_max"]])


@njit
def on_pre(i, t, syn, rs):
    """Inhibitory spike: w += eta (y_post - alpha) on every outgoing synapse (net depression when the
    target fired less than rho0 recently); then x_i += 1."""
    P = rs.P
    eta, alpha, wmax = P[ETA], P[ALPHA], P[WMAX]
    y, W, post = rs.post[0], syn.W, syn.post
    total = 0.0
    for q in range(syn.indptr[i], syn.indptr[i + 1]):
        w = W[q]
        nw = w + eta * (y[post[q]] - alpha)
        if nw < 0.0:
            nw = 0.0
        elif nw > wmax:
            nw = wmax
        W[q] = nw
        total += W[q] - w
    rs.pre[0, i] += 1.0
    rs.glob[0] += total


@njit
def on_post(j, t, syn, rs):
    """Postsynaptic spike: w += eta x_pre on every incoming synapse; then y_j += 1."""
    P = rs.P
    eta, wmax = P[ETA], P[WMAX]
    x, W = rs.pre[0], syn.W
    total = 0.0
    for k in range(syn.in_indptr[j], syn.in_indptr[j + 1]):
        q = syn.in_syn[k]
        xi = x[syn.in_pre[k]]
        if xi == 0.0:
            continue
        w = W[q]
        nw = w + eta * xi
        if nw > wmax:
            nw = wmax
        W[q] = nw
        total += W[q] - w
    rs.post[0, j] += 1.0
    rs.glob[0] += total


@njit
def step(t, syn, rs, pre_spk, n_pre, post_spk, n_post, pre_rate, post_rate):
    decay_pre_post(rs, rs.P[DEC], rs.P[DEC])


IMPL = RuleImpl(prepare=prepare, pre_vars=("x",), post_vars=("y",), on_pre=on_pre, on_post=on_post, step=step)

KIND = register(Kind(
    "rule", "vogels_sprekeler", "Inhibitory STDP (Vogels-Sprekeler)",
    "Homeostatic plasticity of inhibitory synapses (Vogels, Sprekeler et al. 2011): symmetric traces "
    "(tau 20 ms); at an inhibitory spike w += eta (y - alpha), at a postsynaptic spike w += eta x, with "
    "alpha = 2 rho0 tau. Near-coincident spikes strengthen inhibition, lone inhibitory spikes weaken it, so "
    "inhibition grows while the target fires above rho0 and shrinks below it: excitatory rates settle "
    "near rho0 (about 1 Hz above it in the paper's network) with balanced, co-tuned E and I input.",
    PARAMS,
    info={"synapses": ("inhibitory", "shunting")},
    impl=IMPL,
    needs={"source": ("spiking",), "target": ("spiking",)},
))
