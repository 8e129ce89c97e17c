"""Modulatory source: a scalar signal (reward, dopamine, top-down gate)."""
import math

import numpy as np

from ..engine.impl import NeuronImpl
from ..engine.jit import njit
from ..params import Kind, Param, register

PARAMS = (
    Param("baseline", 0.0, "", "Level of the signal with no event"),
    Param("tau_ms", 200.0, "ms", "Decay time constant of delivered pulses (dopamine clearance, tau_d)",
          min=0.0, exclusive_min=True),
    Param("follow", "", "", "Read the level from this region's population rate instead (empty: none)",
          type="region", accepts=("spiking",)),
    Param("follow_gain", 0.1, "1/Hz", "Level per Hz of the followed region's rate"),
    Param("gate", True, "", "Gate open (true) or closed (false): a closed gate holds the level at 0",
          type="bool"),
)

LEVEL, PULSE, FOLLOW_RATE, FOLLOW_IN = range(4)


def prepare(p, dt):
    return np.array([p["baseline"], math.exp(-dt / p["tau_ms"]), p["follow_gain"] if p["follow"] else 0.0,
                     1.0 if p["gate"] else 0.0, dt * 1e-3])


def init(p, n, rng):
    return np.zeros((4, n))


@njit
def update(S, P, inp, slot, spk, rng, t):
    """Level = gate * (baseline + decaying pulses + gain * followed rate). ``S[FOLLOW_IN]`` holds the
    followed region's spikes per neuron in this step, written by the kernel before this call."""
    baseline, decay, fgain, gate, dt_s = P[0], P[1], P[2], P[3], P[4]
    for j in range(S.shape[1]):
        S[FOLLOW_RATE, j] = S[FOLLOW_RATE, j] * decay + (1.0 - decay) * S[FOLLOW_IN, j] / dt_s
        S[PULSE, j] *= decay
        S[LEVEL, j] = gate * (baseline + S[PULSE, j] + fgain * S[FOLLOW_RATE, j])
    return 0


KIND = register(Kind(
    "neuron", "modulator", "Modulatory signal",
    "A scalar neuromodulatory signal M(t): baseline plus exponentially decaying pulses delivered by "
    "'reward' events or the live Reward button, or read from another region's activity (a top-down "
    "'prefrontal' gate). Plasticity rules name it as their third factor.",
    PARAMS,
    info={"spiking": False, "source": True, "roles": ("modulatory",), "icon": "modulator", "provides": ("signal",)},
    impl=NeuronImpl(vars=("level", "pulse", "follow_rate", "follow_in"), prepare=prepare, init=init,
                    update=update, spiking=False, follow_row=FOLLOW_IN),
))
