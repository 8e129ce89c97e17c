"""Rate unit with first-order dynamics, for fast classroom demonstrations."""
import math

import numpy as np

from ..engine.impl import NeuronImpl
from ..engine.jit import njit
from ..params import Kind, Param, register

PARAMS = (
    Param("tau", 10.0, "ms", "Time constant of the rate dynamics", min=0.0, exclusive_min=True),
    Param("transfer", "threshold_linear", "", "Transfer function f(input)",
          type="choice", choices=("threshold_linear", "sigmoid")),
    Param("gain", 1.0, "Hz", "Rate per unit of input above threshold (slope)", min=0.0),
    Param("threshold", 0.0, "", "Input at which the unit starts to respond (sigmoid midpoint)"),
    Param("max_rate", 100.0, "Hz", "Saturation rate", min=0.0, exclusive_min=True),
    Param("bias", 0.0, "", "Constant input"),
)


def prepare(p, dt):
    return np.array([1.0 - math.exp(-dt / p["tau"]), 1.0 if p["transfer"] == "sigmoid" else 0.0, p["gain"],
                     p["threshold"], p["max_rate"], p["bias"], dt * 1e-3])


def init(p, n, rng):
    return np.zeros((2, n))  # rows: rate (Hz), last input


@njit
def update(S, P, inp, slot, spk, rng, t):
    k, sigmoid, gain, thr, rmax, bias, dt_s = P[0], P[1] > 0.5, P[2], P[3], P[4], P[5], P[6]
    r, x = S[0], S[1]
    xe, xi = inp[0, slot], inp[1, slot]
    shunt = inp.shape[0] > 2
    for j in range(S.shape[1]):
        # inputs arrive as expected spike counts in this step: divide by dt for rates
        drive = bias + (xe[j] - xi[j]) / dt_s
        xe[j] = 0.0
        xi[j] = 0.0
        if shunt:
            drive /= 1.0 + inp[2, slot, j] / dt_s
            inp[2, slot, j] = 0.0
        x[j] = drive
        if sigmoid:
            f = rmax / (1.0 + math.exp(-4.0 * gain * (drive - thr) / rmax))
        else:
            f = min(rmax, gain * max(0.0, drive - thr))
        r[j] += k * (f - r[j])
    return 0


KIND = register(Kind(
    "neuron", "rate", "Rate unit",
    "A population of rate units: tau dr/dt = -r + f(bias + sum_j w_j r_j), with a threshold-linear or "
    "sigmoid f. Inputs are presynaptic rates (Hz) times weights; fast enough for live classroom demos.",
    PARAMS,
    info={"spiking": False, "roles": ("excitatory", "inhibitory"), "weight_unit": "1/Hz", "icon": "rate"},
    impl=NeuronImpl(vars=("rate", "input"), prepare=prepare, init=init, update=update, spiking=False,
                    block_clears_output=True),
))
