"""Poisson spike source."""
import numpy as np

from ..engine.impl import NeuronImpl
from ..engine.jit import njit
from ..engine.rng import uniform
from ..params import Kind, Param, one_spike_per_step, register

PARAMS = (
    Param("rate_hz", 10.0, "Hz", "Firing rate of every neuron of the source", min=0.0, max=10000.0),
)


def prepare(p, dt):
    return np.array([p["rate_hz"] * dt * 1e-3])


def init(p, n, rng):
    return np.zeros((1, n))


@njit
def update(S, P, inp, slot, spk, rng, t):
    prob = P[0]
    nspk = 0
    if prob <= 0.0:
        return 0
    for j in range(S.shape[1]):
        if uniform(rng) < prob:
            spk[nspk] = j
            nspk += 1
    return nspk


KIND = register(Kind(
    "neuron", "poisson", "Poisson source",
    "Independent Poisson spike trains at a constant rate, changeable by protocol events or live controls.",
    PARAMS,
    info={"spiking": True, "source": True, "roles": ("excitatory", "inhibitory"), "icon": "poisson"},
    impl=NeuronImpl(vars=("unused",), prepare=prepare, init=init, update=update),
    constraints=(one_spike_per_step("rate_hz"),),
))
