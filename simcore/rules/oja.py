"""Oja's rule dw/dt = eta (x y - alpha y^2 w) (Oja 1982): Hebbian learning of the principal component."""
import math

import numpy as np

from ..engine.impl import RuleImpl
from ..engine.jit import njit
from ._traces import activities, decay_filtered_rates
from ..params import Kind, Param, register

PARAMS = (
    Param("eta", 0.01, "1/s", "Learning rate: dw/dt = eta (x y - alpha y^2 w), rates in units of rate_unit_hz "
          "(Oja 1982)", min=0.0),
    Param("alpha", 1.0, "1/w^2", "Strength of the decay term: the weight vector's squared length settles at "
          "1 / alpha (Oja 1982)", min=0.0),
    Param("rate_unit_hz", 10.0, "Hz", "Rates are measured in this unit (x = pre rate / rate_unit_hz)",
          min=0.0, exclusive_min=True),
    Param("filter_tau_ms", 100.0, "ms", "Spiking regions only: their rate is estimated by filtering spikes "
          "with this time constant (trace += 1/tau per spike); rate regions use their rate directly",
          min=0.0, exclusive_min=True),
)

ETA_DT, ALPHA, RU, DEC, JUMP = range(5)


def prepare(p, dt):
    return np.array([p["eta"] * dt * 1e-3, p["alpha"], p["rate_unit_hz"], math.exp(-dt / p["filter_tau_ms"]),
                     1000.0 / p["filter_tau_ms"]])


@njit
def on_pre(i, t, syn, rs):
    """A presynaptic spike (spiking sources only) raises the filtered rate estimate."""
    rs.pre[0, i] += rs.P[JUMP]


@njit
def on_post(j, t, syn, rs):
    rs.post[0, j] += rs.P[JUMP]


@njit
def step(t, syn, rs, pre_spk, n_pre, post_spk, n_post, pre_rate, post_rate):
    """Every synapse moves by eta dt (x y - alpha y^2 w) (O(synapses) per step: a rate rule is continuous);
    w stays >= 0. x, y are rates, or the filtered spike traces of spiking regions (then decayed)."""
    P = rs.P
    xs, ys = activities(rs, pre_rate, post_rate)
    k, alpha, inv = P[ETA_DT], P[ALPHA], 1.0 / P[RU]
    W, post = syn.W, syn.post
    total = 0.0
    for i in range(xs.shape[0]):
        xi = xs[i] * inv
        for q in range(syn.indptr[i], syn.indptr[i + 1]):
            yj = ys[post[q]] * inv
            if yj == 0.0:
                continue
            w = W[q]
            nw = w + k * yj * (xi - alpha * yj * w)
            if nw < 0.0:
                nw = 0.0
            W[q] = nw
            total += W[q] - w
    rs.glob[0] += total
    decay_filtered_rates(rs, P[DEC])


IMPL = RuleImpl(prepare=prepare, pre_vars=("rate",), post_vars=("rate",), on_pre=on_pre, on_post=on_post, step=step)

KIND = register(Kind(
    "rule", "oja", "Oja (rate)",
    "Oja's rule dw/dt = eta (x y - alpha y^2 w) (Oja 1982; ANNarchy's eta = 0.01, alpha = 1): Hebbian growth "
    "with a decay that keeps |w|^2 at 1 / alpha, so a linear unit's weight vector turns to the principal "
    "eigenvector of its input correlation matrix (principal component analysis). Works on rate regions "
    "(their rate) and on spiking regions (spikes filtered with filter_tau_ms); weights stay >= 0.",
    PARAMS,
    info={"synapses": ("excitatory", "inhibitory", "shunting")},
    impl=IMPL,
))
