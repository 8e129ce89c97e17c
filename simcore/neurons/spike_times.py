"""Deterministic periodic spike trains, for plasticity protocols (pairing experiments)."""
import numpy as np

from ..engine.impl import NeuronImpl
from ..engine.jit import njit
from ..params import Kind, Param, register

PARAMS = (
    Param("period_ms", 1000.0, "ms", "Interval between the spikes of a neuron (1000 / pairing frequency in Hz)",
          min=0.0, exclusive_min=True),
    Param("offset_ms", 0.0, "ms", "Time of the first spike of neuron 0", min=0.0),
    Param("stagger_ms", 0.0, "ms", "Extra delay of neuron j's train: j * stagger_ms", min=0.0),
    Param("count", 0, "spikes", "Spikes per neuron (0: keep firing for ever)", type="int", min=0),
)


def prepare(p, dt):
    # times in steps (float): neuron j fires at step round((offset + j stagger + k period) / dt)
    return np.array([p["period_ms"] / dt, p["offset_ms"] / dt, p["stagger_ms"] / dt, float(p["count"])])


def init(p, n, rng):
    return np.zeros((1, n))  # row 0: spikes fired so far by each neuron


@njit
def update(S, P, inp, slot, spk, rng, t):
    """Neuron j fires its k-th spike (k = 0, 1, ...) at the step nearest to offset + j stagger + k period
    (at most one spike per step; a live change of the period catches up). Inputs are ignored (and cleared)."""
    period, offset, stagger, count = P[0], P[1], P[2], P[3]
    for c in range(inp.shape[0]):
        for j in range(inp.shape[2]):
            inp[c, slot, j] = 0.0
    nspk = 0
    for j in range(S.shape[1]):
        k = S[0, j]
        if count > 0.0 and k >= count:
            continue
        if t >= int(np.floor(offset + j * stagger + k * period + 0.5)):
            spk[nspk] = j
            nspk += 1
            S[0, j] = k + 1.0
    return nspk


KIND = register(Kind(
    "neuron", "spike_times", "Periodic spike train",
    "Deterministic spike trains: neuron j fires at offset + j * stagger + k * period (k = 0 .. count - 1), "
    "for pairing protocols such as Sjoestroem et al. (2001): two trains with the same period and offsets "
    "10 ms apart make 60 pre-post pairings at a chosen frequency. Ignores its inputs.",
    PARAMS,
    info={"spiking": True, "source": True, "roles": ("excitatory", "inhibitory"), "icon": "poisson"},
    impl=NeuronImpl(vars=("fired",), prepare=prepare, init=init, update=update),
))
