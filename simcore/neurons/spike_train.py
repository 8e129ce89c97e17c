"""Deterministic spike trains: regular trains, or exact spike times given from Python."""
import numpy as np

from ..engine.impl import NeuronImpl
from ..engine.jit import njit
from ..params import Kind, Param, fits_in_steps, one_spike_per_step, register

PARAMS = (
    Param("rate_hz", 10.0, "Hz", "Rate of the regular train (0: silent); the pairing frequency in pairing "
          "protocols", min=0.0, max=10000.0),
    Param("offset_ms", 0.0, "ms", "Time of the first spike of neuron 0", min=0.0),
    Param("stagger_ms", 0.0, "ms", "Neuron i fires stagger_ms * i later than neuron 0", min=0.0),
    Param("count", 0, "spikes", "Spikes per neuron (0: unlimited)", type="int", min=0),
)

# state rows: 0 first spike step of the regular train (-1: no regular train), 1 regular spikes emitted,
# 2 position in the exact schedule; rows 3.. the exact schedule (spike steps, ascending, -1 padded)
FIRST, DONE, POS = range(3)


def prepare(p, dt):
    period = 1000.0 / p["rate_hz"] / dt if p["rate_hz"] > 0 else -1.0
    return np.array([period, p["count"]])


def init(p, n, rng, dt=None):
    S = np.zeros((3, n))
    return S


def extra_rows(p, n, dt, rng):
    S = np.zeros((3, n))
    S[FIRST] = (p["offset_ms"] + p["stagger_ms"] * np.arange(n)) / dt
    return S


def with_schedule(S: np.ndarray, neurons, steps) -> np.ndarray:
    """A copy of state ``S`` that fires ``neurons[k]`` at ``steps[k]`` (the regular train is turned off)."""
    neurons = np.asarray(neurons, int)
    steps = np.asarray(steps, float)
    n = S.shape[1]
    per = np.bincount(neurons, minlength=n) if len(neurons) else np.zeros(n, int)
    rows = max(1, int(per.max()) if len(per) else 1)
    out = np.full((3 + rows, n), -1.0)  # FIRST = -1: the regular train is off
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
    for c in range(inp.shape[0]):  # imposed spikes: synaptic input is accepted and ignored
        for j in range(inp.shape[2]):
            inp[c, slot, j] = 0.0
    nspk = 0
    rows = S.shape[0]
    for j in range(S.shape[1]):
        fire = False
        k = S[DONE, j]
        # the k-th regular spike falls on the step nearest to first + k period (no accumulated rounding;
        # a live change of the rate takes effect from the next spike)
        if period > 0.0 and S[FIRST, j] >= 0.0 and (count == 0.0 or k < count) \
                and t >= int(np.floor(S[FIRST, j] + k * period + 0.5)):
            fire = True
            S[DONE, j] = k + 1.0
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
    "spike times set from Python with Simulation.set_spike_times (pairing protocols, cross-checks). As a "
    "target it imposes its spikes and ignores its input (postsynaptic spikes in pairing protocols).",
    PARAMS,
    info={"spiking": True, "source": True, "accepts_input": True, "roles": ("excitatory", "inhibitory"),
          "icon": "spike_train"},
    impl=NeuronImpl(vars=("first", "emitted", "position"), prepare=prepare, init=init, update=update,
                    extra_rows=extra_rows),
    constraints=(one_spike_per_step("rate_hz"), fits_in_steps("offset_ms"), fits_in_steps("stagger_ms")),
))
