"""BCM rule with a sliding threshold (Bienenstock, Cooper & Munro 1982; Intrator & Cooper 1992 form)."""
import math

import numpy as np

from ..engine.impl import RuleImpl
from ..engine.jit import njit
from ._traces import activities, decay_filtered_rates
from ..params import Kind, Param, register

PARAMS = (
    Param("eta", 0.01, "1/s", "Learning rate: dw/dt = eta x y (y - theta), rates in units of rate_unit_hz "
          "(Bienenstock, Cooper & Munro 1982)", min=0.0),
    Param("tau_theta_ms", 1000.0, "ms", "Time constant of the sliding threshold: tau dtheta/dt = y^2 - theta, "
          "so theta tracks <y^2> (metaplasticity; must be faster than learning for stability)",
          min=0.0, exclusive_min=True),
    Param("theta_init", 0.0, "rate_unit^2", "Threshold of every postsynaptic neuron at the start", min=0.0,
          live=False),
    Param("rate_unit_hz", 10.0, "Hz", "Rates are measured in this unit (x = pre rate / rate_unit_hz)",
          min=0.0, exclusive_min=True),
    Param("filter_tau_ms", 100.0, "ms", "Spiking regions only: their rate is estimated by filtering spikes "
          "with this time constant (trace += 1/tau per spike); rate regions use their rate directly",
          min=0.0, exclusive_min=True),
)

ETA_DT, TH_K, RU, DEC, JUMP = range(5)


def prepare(p, dt):
    return np.array([p["eta"] * dt * 1e-3, 1.0 - math.exp(-dt / p["tau_theta_ms"]), p["rate_unit_hz"],
                     math.exp(-dt / p["filter_tau_ms"]), 1000.0 / p["filter_tau_ms"]])


def init(rs, syn, params, dt):
    rs.post[1, :] = params["theta_init"]


@njit
def on_pre(i, t, syn, rs):
    """A presynaptic spike (spiking sources only) raises the filtered rate estimate."""
    rs.pre[0, i] += rs.P[JUMP]


@njit
def on_post(j, t, syn, rs):
    rs.post[0, j] += rs.P[JUMP]


@njit
def step(t, syn, rs, pre_spk, n_pre, post_spk, n_post, pre_rate, post_rate):
    """Every synapse moves by eta dt x y (y - theta) (O(synapses) per step: a rate rule is continuous), w >= 0;
    then each postsynaptic threshold relaxes towards y^2. x, y are rates, or filtered spike traces."""
    P = rs.P
    xs, ys = activities(rs, pre_rate, post_rate)
    theta = rs.post[1]
    k, inv = P[ETA_DT], 1.0 / P[RU]
    W, post = syn.W, syn.post
    total = 0.0
    for i in range(xs.shape[0]):
        xi = xs[i] * inv
        if xi == 0.0:
            continue
        for q in range(syn.indptr[i], syn.indptr[i + 1]):
            j = post[q]
            yj = ys[j] * inv
            w = W[q]
            nw = w + k * xi * yj * (yj - theta[j])
            if nw < 0.0:
                nw = 0.0
            W[q] = nw
            total += W[q] - w
    rs.glob[0] += total
    kt = P[TH_K]
    for j in range(theta.shape[0]):
        yj = ys[j] * inv
        theta[j] += kt * (yj * yj - theta[j])
    decay_filtered_rates(rs, P[DEC])


IMPL = RuleImpl(prepare=prepare, pre_vars=("rate",), post_vars=("rate", "theta"), on_pre=on_pre,
                on_post=on_post, step=step, init=init)

KIND = register(Kind(
    "rule", "bcm", "BCM (sliding threshold)",
    "BCM rule dw/dt = eta x y (y - theta) with a sliding modification threshold tau_theta dtheta/dt = y^2 - "
    "theta (Bienenstock, Cooper & Munro 1982; Intrator & Cooper 1992; ANNarchy's eta = 0.01): activity above "
    "theta potentiates, below it depresses, and theta follows <y^2>, a metaplastic set point that makes the "
    "neuron selective to one of its input patterns. Works on rate regions (their rate) and on spiking "
    "regions (spikes filtered with filter_tau_ms); weights stay >= 0; theta is in units of rate_unit_hz^2.",
    PARAMS,
    info={"synapses": ("excitatory", "inhibitory", "shunting")},
    impl=IMPL,
))
