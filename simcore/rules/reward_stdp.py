"""Reward-modulated (three-factor) STDP with eligibility traces (Izhikevich 2007; NEST stdp_dopamine_synapse;
Fremaux & Gerstner 2016).

Cost. STDP pairings only touch the synapses of the neuron that spiked (one trace per neuron). The
eligibility of every synapse decays with tau_c, but it is stored as c = c_stored * g with one global
factor g that decays each step (increments add inc / g; when g gets small every c_stored is multiplied
by g and g reset to 1, a rare O(synapses) pass, about once every 69 tau_c). The weight update
dw/dt = eta w_max c (M - baseline) does loop over the synapses, but only in steps where
|M - baseline| > m_min, i.e. during reward episodes or while a gate is open; with the modulator at its
baseline the rule costs O(spikes) per step and leaves the weights bit for bit unchanged.
"""
import math

import numpy as np

from ..engine.impl import RuleImpl
from ..engine.jit import njit
from ._traces import decay_pre_post
from ..params import WEIGHT_MAX, Kind, Param, register

_I = " (Izhikevich 2007)"
PARAMS = (
    Param("modulator", "", "", "Modulatory region whose level M is the third factor (reward, dopamine or a "
          "top-down gate); with none, nothing is learned", type="region", accepts=("signal",)),
    Param("eta", 1.0, "1/s", "Learning rate: dw/dt = eta w_max c (M - baseline)" + _I, min=0.0),
    Param("baseline", 0.0, "", "Modulator level that means 'no news' (M - baseline is the reward "
          "prediction error; Fremaux & Gerstner 2016)"),
    Param("tau_c", 1000.0, "ms", "Decay time constant of the eligibility trace c: how long a pairing waits "
          "for its reward" + _I, min=0.0, exclusive_min=True),
    Param("a_plus", 1.0, "", "Eligibility added by a pre-before-post pairing, times the presynaptic trace" + _I,
          min=0.0),
    Param("a_minus", 1.5, "", "Eligibility removed by a post-before-pre pairing, times the postsynaptic trace"
          + _I, min=0.0),
    Param("tau_plus", 20.0, "ms", "Time constant of the presynaptic STDP trace" + _I, min=0.0, exclusive_min=True),
    Param("tau_minus", 20.0, "ms", "Time constant of the postsynaptic STDP trace" + _I, min=0.0,
          exclusive_min=True),
    Param("w_max", 1.0, "w", "Upper weight bound (hard bounds [0, w_max])", min=0.0, exclusive_min=True,
          max=WEIGHT_MAX),
    Param("m_min", 1e-9, "", "Steps with |M - baseline| at or below this skip the weight update (saves the "
          "pass over all synapses when no reward is around)", min=0.0),
)

ETA_DT, BASE, DEC_C, A_P, A_M, DEC_P, DEC_M, WMAX, M_MIN = range(9)
G = 1  # rs.glob[1]: global factor of the eligibility traces
RENORM = 1e-30


def prepare(p, dt):
    return np.array([p["eta"] * dt * 1e-3, p["baseline"], math.exp(-dt / p["tau_c"]), p["a_plus"], p["a_minus"],
                     math.exp(-dt / p["tau_plus"]), math.exp(-dt / p["tau_minus"]), p["w_max"], p["m_min"]])


def init(rs, syn, params, dt):
    rs.glob[G] = 1.0


def eligibility(rs) -> np.ndarray:
    """The eligibility trace c of every synapse (numpy side, for display and tests)."""
    return rs.syn[0] * rs.glob[G]


@njit
def on_pre(i, t, syn, rs):
    """Post-before-pre pairing: c -= a_minus y_post on every outgoing synapse of i."""
    y, c, post = rs.post[0], rs.syn[0], syn.post
    amp = rs.P[A_M] / rs.glob[G]
    for q in range(syn.indptr[i], syn.indptr[i + 1]):
        yj = y[post[q]]
        if yj != 0.0:
            c[q] -= amp * yj
    rs.pre[0, i] += 1.0


@njit
def on_post(j, t, syn, rs):
    """Pre-before-post pairing: c += a_plus x_pre on every incoming synapse of j."""
    x, c = rs.pre[0], rs.syn[0]
    amp = rs.P[A_P] / rs.glob[G]
    for k in range(syn.in_indptr[j], syn.in_indptr[j + 1]):
        q = syn.in_syn[k]
        xi = x[syn.in_pre[k]]
        if xi != 0.0:
            c[q] += amp * xi
    rs.post[0, j] += 1.0


@njit
def step(t, syn, rs, pre_spk, n_pre, post_spk, n_post, pre_rate, post_rate):
    """w += eta dt w_max c (M - baseline) when the modulator deviates from baseline; traces decay."""
    P = rs.P
    g = rs.glob[G]
    m = rs.M[0, 0] - P[BASE]
    if abs(m) > P[M_MIN]:
        wmax = P[WMAX]
        k = P[ETA_DT] * wmax * m * g
        c, W = rs.syn[0], syn.W
        total = 0.0
        for q in range(W.shape[0]):
            cq = c[q]
            if cq == 0.0:
                continue
            w = W[q]
            nw = w + k * cq
            if nw < 0.0:
                nw = 0.0
            elif nw > wmax:
                nw = wmax
            W[q] = nw
            total += W[q] - w
        rs.glob[0] += total
    decay_pre_post(rs, P[DEC_P], P[DEC_M])
    g *= P[DEC_C]
    if g < RENORM:
        c = rs.syn[0]
        for q in range(c.shape[0]):
            c[q] *= g
        g = 1.0
    rs.glob[G] = g


IMPL = RuleImpl(prepare=prepare, pre_vars=("x",), post_vars=("y",), syn_vars=("c_scaled",), on_pre=on_pre,
                on_post=on_post, step=step, init=init, modulator_param="modulator")

KIND = register(Kind(
    "rule", "reward_stdp", "Reward-modulated STDP",
    "Three-factor learning (Izhikevich 2007; Fremaux & Gerstner 2016; NEST stdp_dopamine_synapse): STDP "
    "pairings do not change the weight but tag the synapse with an eligibility trace c (pre-before-post "
    "+a_plus x, post-before-pre -a_minus y) that decays with tau_c; the weight changes only when the "
    "modulatory region's level M departs from baseline: dw/dt = eta w_max c (M - baseline). A reward up "
    "to about a second after a pairing strengthens exactly the synapses that caused it (distal reward "
    "problem). A modulator that follows another region's rate makes a top-down 'prefrontal' gate.",
    PARAMS,
    info={"synapses": ("excitatory", "inhibitory", "shunting")},
    impl=IMPL,
    needs={"source": ("spiking",), "target": ("spiking",)},
))
