"""Poisson spike source."""
import numpy as np

from ..engine.impl import NeuronImpl
from ..engine.jit import njit
from ..engine.rng import uniform_at
from ..params import Kind, Param, one_spike_per_step, register

PARAMS = (
    Param("rate_hz", 10.0, "Hz", "Firing rate of every neuron of the source", min=0.0, max=10000.0),
)


def prepare(p, dt):
    return np.array([p["rate_hz"] * dt * 1e-3])


def init(p, n, rng):
    return np.zeros((1, n))


@njit
def update_range(S, P, inp, slot, spk, rng, t, lo, hi):
    """Neurons ``lo .. hi-1``: neuron j draws the uniform number ``t * n + j + 1`` of the region's
    stream, so any split of the region between threads fires the same spikes (and one thread draws
    exactly the sequence a sequential generator would)."""
    prob = P[0]
    nspk = 0
    if prob <= 0.0:
        return 0
    base = t * S.shape[1] + 1
    for j in range(lo, hi):
        if uniform_at(rng, base + j) < prob:
            spk[lo + nspk] = j
            nspk += 1
    return nspk


@njit
def update(S, P, inp, slot, spk, rng, t):
    # np.int64(0), not 0: a literal would make numba compile update_range (and what it calls) a
    # second time, specialised for lo = 0, on top of the kernel's own call with a variable lo
    return update_range(S, P, inp, slot, spk, rng, t, np.int64(0), S.shape[1])


KIND = register(Kind(
    "neuron", "poisson", "Poisson source",
    "Independent Poisson spike trains at a constant rate, changeable by protocol events or live controls.",
    PARAMS,
    info={"spiking": True, "source": True, "roles": ("excitatory", "inhibitory"), "icon": "poisson"},
    impl=NeuronImpl(vars=("unused",), prepare=prepare, init=init, update=update, update_range=update_range),
    constraints=(one_spike_per_step("rate_hz"),),
))
