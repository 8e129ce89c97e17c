"""Deterministic spike trains: regular trains, or exact spike times given from Python."""
import numpy as np

from ..engine.impl import NeuronImpl
from ..engine.jit import njit
from ..params import Kind, Param, register

PARAMS = (
    Param("rate_hz", 10.0, "Hz", "Rate of the regular train (0: silent)", min=0.0, max=10000.0),
    Param("offset_ms", 0.0, "ms", "Time of the first spike of neuron 0", min=0.0),
    Param("stagger_ms", 0.0, "ms", "Neuron i fires stagger_ms * i later than neuron 0", min=0.0),
    Param("count", 0, "spikes", "Spikes per neuron (0: unlimited)", type="int", min=0),
)

# state rows: 0 next spike step of the regular train (-1: done), 1 spikes emitted,
# 2 position in the exact schedule; rows 3.. the exact schedule (spike steps, ascending, -1 padded)
NEXT, DONE, POS = range(3)


def prepare(p, dt):
    period = 1000.0 / p["rate_hz"] / dt if p["rate_hz"] > 0 else -1.0
    return np.array([period, p["count"]])


def init(p, n, rng, dt=None):
    S = np.zeros((3, n))
    return S


def extra_rows(p, n, dt, rng):
    S = np.zeros((3, n))
    if p["rate_hz"] > 0:
        S[NEXT] = np.rint((p["offset_ms"] + p["stagger_ms"] * np.arange(n)) / dt)
    else:
        S[NEXT] = -1.0
    return S


def with_schedule(S: np.ndarray, neurons, steps) -> np.ndarray:
    """A copy of state ``S`` that fires ``neurons[k]`` at ``steps[k]`` (the regular train is turned off)."""
    neurons = np.asarray(neurons, int)
    steps = np.asarray(steps, float)
    n = S.shape[1]
    per = np.bincount(neurons, minlength=n) if len(neurons) else np.zeros(n, int)
    rows = max(1, int(per.max()) if len(per) else 1)
    out = np.full((3 + rows, n), -1.0)
    out[DONE] = 0.0
    out[POS] = 0.0
    order = np.lexsort((steps, neurons))
    fill = np.zeros(n, int)
    for k in order:
        j = neurons[k]
        out[3 + fill[j], j] = steps[k]
        fill[j] += 1
    return out


@njit
def update(S, P, inp, slot, spk, rng, t):
    period, count = P[0], P[1]
    nspk = 0
    rows = S.shape[0]
    for j in range(S.shape[1]):
        fire = False
        if S[NEXT, j] >= 0.0 and t >= S[NEXT, j]:
            fire = True
            S[DONE, j] += 1.0
            if period > 0.0 and (count == 0.0 or S[DONE, j] < count):
                S[NEXT, j] += period
            else:
                S[NEXT, j] = -1.0
        pos = int(S[POS, j])
        if 3 + pos < rows and S[3 + pos, j] >= 0.0 and S[3 + pos, j] <= t:
            fire = True
            while 3 + pos < rows and S[3 + pos, j] >= 0.0 and S[3 + pos, j] <= t:
                pos += 1
            S[POS, j] = pos
        if fire:
            spk[nspk] = j
            nspk += 1
    return nspk


KIND = register(Kind(
    "neuron", "spike_train", "Spike train",
    "Deterministic spikes: a regular train (rate, first-spike offset, per-neuron stagger, count), or exact "
    "spike times set from Python with Simulation.set_spike_times (pairing protocols, cross-checks).",
    PARAMS,
    info={"spiking": True, "source": True, "roles": ("excitatory", "inhibitory"), "icon": "spike_train"},
    impl=NeuronImpl(vars=("next", "emitted", "position"), prepare=prepare, init=init, update=update,
                    extra_rows=extra_rows),
))
