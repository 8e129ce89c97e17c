"""Weight-proportional (multiplicative) pair STDP: both potentiation and depression scale with w.

Traces as in pair STDP (one per neuron): x_i (presynaptic, tau_plus) and y_j (postsynaptic, tau_minus)
decay exponentially and jump by 1 at their neuron's spikes. All-to-all pairing:

    post spike of j:   w_ij <- w_ij (1 + lam x_i)                (then y_j += 1)
    pre spike of i:    w_ij <- w_ij max(0, 1 - alpha lam y_j)    (then x_i += 1)

optionally capped at w_max (0: no cap). Each change is proportional to the weight itself (van Rossum,
Bi & Turrigiano 2000, whose depression is multiplicative; here potentiation is too), so

    log w_ij <- log w_ij + log(1 + lam x_i)   and   log w_ij <- log w_ij + log(1 - alpha lam y_j):

the increments of log w do not depend on w. Apart from the (weak) Hebbian correlation between a synapse's
own strength and the spikes it causes, log w performs a random walk that is the same for weak and strong
synapses: a Gaussian distribution of log w stays Gaussian (its width grows slowly by diffusion), i.e. a
lognormal weight distribution keeps its shape while individual synapses move. This is the argument of
Loewenstein, Kuras & Rumpel 2011 (multiplicative spine-size dynamics yield lognormal spine sizes) and the
motivation of log-STDP (Gilson & Fukai 2011), whose weight dependence is different (log-like
potentiation, sub-multiplicative depression) and produces a stationary lognormal-like distribution.
Additive rules, by contrast, move weak synapses as much as strong ones and lift the weak tail.

Weights never cross 0: a depression factor below 0 (alpha lam y > 1) is floored at 0. Scaling all
weights by c scales every later weight by c for the same spikes (scale invariance, up to the cap).
``rs.glob[0]`` accumulates the total change of the stored weights.
"""
import math

import numpy as np

from ..engine.impl import RuleImpl
from ..engine.jit import njit
from ._traces import decay_pre_post
from ..params import WEIGHT_MAX, Kind, Param, register

PARAMS = (
    Param("tau_plus", 20.0, "ms", "Time constant of the presynaptic trace x (potentiation window)",
          min=0.0, exclusive_min=True),
    Param("tau_minus", 20.0, "ms", "Time constant of the postsynaptic trace y (depression window)",
          min=0.0, exclusive_min=True),
    Param("lam", 0.01, "", "Learning rate lambda: relative weight change per unit trace "
          "(w <- w (1 + lam x) at a post spike)", min=0.0, max=1.0),
    Param("alpha", 1.0, "", "Depression / potentiation ratio (w <- w (1 - alpha lam y) at a pre spike)", min=0.0),
    Param("w_max", 0.0, "w", "Optional hard cap on the stored weight (0: no cap, fully scale invariant)",
          min=0.0, max=WEIGHT_MAX),
)

LAM, ALPHA, WMAX, DEC_P, DEC_M = range(5)


def prepare(p, dt):
    return np.array([p["lam"], p["alpha"], p["w_max"],
                     math.exp(-dt / p["tau_plus"]), math.exp(-dt / p["tau_minus"])])


@njit
def on_pre(i, t, syn, rs):
    """Depression: every outgoing synapse of i is multiplied by max(0, 1 - alpha lam y_post)."""
    P = rs.P
    x, y, W, post = rs.pre[0], rs.post[0], syn.W, syn.post
    lam_d = P[ALPHA] * P[LAM]
    x[i] += 1.0
    total = 0.0
    for q in range(syn.indptr[i], syn.indptr[i + 1]):
        yj = y[post[q]]
        if yj == 0.0:
            continue
        f = 1.0 - lam_d * yj
        if f < 0.0:
            f = 0.0
        w = np.float64(W[q])
        W[q] = w * f
        total += np.float64(W[q]) - w
    rs.glob[0] += total


@njit
def on_post(j, t, syn, rs):
    """Potentiation: every incoming synapse of j is multiplied by 1 + lam x_pre (capped at w_max if > 0)."""
    P = rs.P
    x, y, W = rs.pre[0], rs.post[0], syn.W
    lam, wmax = P[LAM], P[WMAX]
    y[j] += 1.0
    total = 0.0
    for k in range(syn.in_indptr[j], syn.in_indptr[j + 1]):
        q = syn.in_syn[k]
        xi = x[syn.in_pre[k]]
        if xi == 0.0:
            continue
        w = np.float64(W[q])
        nw = w * (1.0 + lam * xi)
        if wmax > 0.0 and nw > wmax:
            nw = max(w, wmax)  # the cap never lowers a weight that already lies above it
        W[q] = nw
        total += np.float64(W[q]) - w
    rs.glob[0] += total


@njit
def step(t, syn, rs, pre_spk, n_pre, post_spk, n_post, pre_rate, post_rate):
    """Traces decay once per step (one value per neuron, shared by all its synapses)."""
    decay_pre_post(rs, rs.P[DEC_P], rs.P[DEC_M])


IMPL = RuleImpl(prepare=prepare, pre_vars=("x",), post_vars=("y",), on_pre=on_pre, on_post=on_post, step=step)

KIND = register(Kind(
    "rule", "stdp_multiplicative", "Multiplicative STDP",
    "Pair STDP whose potentiation and depression are both proportional to the weight: on a post spike "
    "w <- w (1 + lam x), on a pre spike w <- w max(0, 1 - alpha lam y), optional hard cap w_max. "
    "Multiplicative (weight-proportional) updates as in van Rossum, Bi & Turrigiano 2000 (there only "
    "depression is multiplicative). Because every change is proportional to w, log w takes the same random "
    "steps whatever its size, so a lognormal weight distribution keeps its shape (slowly widening) while "
    "individual synapses move: the argument of Loewenstein, Kuras & Rumpel 2011 (multiplicative spine "
    "dynamics yield lognormal spine sizes); cf. log-STDP (Gilson & Fukai 2011), a related but different "
    "weight dependence with a stationary lognormal-like distribution. Weights never cross 0, and scaling all "
    "weights by c scales the outcome by c.",
    PARAMS,
    info={"synapses": ("excitatory", "inhibitory", "shunting")},
    impl=IMPL,
    needs={"source": ("spiking",), "target": ("spiking",)},
))
