"""Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005)."""
import math

import numpy as np

from ..engine.impl import NeuronImpl
from ..engine.inputs import add_inputs
from ..engine.jit import njit
from ..params import Kind, Ordered, Param, fits_in_steps, register

PARAMS = (
    Param("c_m", 281.0, "pF", "Membrane capacitance", min=0.0, exclusive_min=True),
    Param("g_l", 30.0, "nS", "Leak conductance", min=0.0, exclusive_min=True),
    Param("e_l", -70.6, "mV", "Leak reversal potential"),
    Param("v_t", -50.4, "mV", "Threshold slope factor's midpoint (rheobase threshold)"),
    Param("delta_t", 2.0, "mV", "Slope factor of the exponential spike onset", min=0.0, exclusive_min=True),
    Param("v_peak", 0.0, "mV", "Spike detection (cut-off) potential"),
    Param("v_reset", -70.6, "mV", "Reset potential"),
    Param("t_ref", 0.0, "ms", "Absolute refractory period", min=0.0),
    Param("a", 4.0, "nS", "Subthreshold adaptation coupling"),
    Param("b", 80.5, "pA", "Spike-triggered adaptation increment"),
    Param("tau_w", 144.0, "ms", "Adaptation time constant", min=0.0, exclusive_min=True),
    Param("tau_e", 5.0, "ms", "Decay of excitatory synaptic current", min=0.0, exclusive_min=True),
    Param("tau_i", 10.0, "ms", "Decay of inhibitory synaptic current", min=0.0, exclusive_min=True),
    Param("i_bias", 0.0, "pA", "Constant injected current"),
)

V, W, IE, II, ISH, REF = range(6)


def prepare(p, dt):
    return np.array([p["c_m"], p["g_l"], p["e_l"], p["v_t"], p["delta_t"], p["v_peak"], p["v_reset"],
                     round(p["t_ref"] / dt), p["a"], p["b"], p["tau_w"], math.exp(-dt / p["tau_e"]),
                     math.exp(-dt / p["tau_i"]), p["i_bias"], dt])


def init(p, n, rng):
    S = np.zeros((6, n))
    S[V] = p["e_l"]
    return S


@njit
def update(S, P, inp, slot, spk, rng, t):
    c, gl, el, vt, dT, vpeak, vreset, ref_steps = P[0], P[1], P[2], P[3], P[4], P[5], P[6], P[7]
    a, b, tau_w, de, di, ibias, dt = P[8], P[9], P[10], P[11], P[12], P[13], P[14]
    v, w, ie, ii, ish, ref = S[V], S[W], S[IE], S[II], S[ISH], S[REF]
    add_inputs(S, IE, inp, slot)  # i_sh is a shunting conductance in nS, reversal at e_l
    nspk = 0
    for j in range(S.shape[1]):
        # forward Euler: w steps from the potential at the start of the step, as v does; never from the
        # overshoot past v_peak of the step that spikes (the model's V stops at v_peak)
        v0 = v[j]
        if ref[j] > 0.0:
            ref[j] -= 1.0
            v[j] = vreset
        else:
            ex = min((v[j] - vt) / dT, 20.0)
            dv = (-gl * (v[j] - el) + gl * dT * math.exp(ex) - w[j] + ie[j] - ii[j] + ibias
                  - ish[j] * (v[j] - el)) / c
            v[j] += dt * dv
        w[j] += dt * (a * (v0 - el) - w[j]) / tau_w
        ie[j] *= de
        ii[j] *= di
        ish[j] *= di
        if v[j] > vpeak:
            v[j] = vreset
            w[j] += b
            ref[j] = ref_steps
            spk[nspk] = j
            nspk += 1
    return nspk


KIND = register(Kind(
    "neuron", "adex", "AdEx neuron",
    "Adaptive exponential integrate-and-fire (Brette & Gerstner 2005): an exponential spike onset and "
    "an adaptation current w give tonic, adapting and bursting firing. Synaptic weights are currents in pA.",
    PARAMS,
    info={"spiking": True, "roles": ("excitatory", "inhibitory"), "weight_unit": "pA", "icon": "adex"},
    impl=NeuronImpl(vars=("v", "w", "i_e", "i_i", "i_sh", "ref"), prepare=prepare, init=init, update=update,
                    input_rows=(IE, II), direct_rows=(IE, II, ISH)),
    constraints=(Ordered("v_reset", "v_peak", why="a reset at or above the cut-off fires at every step"),
                 fits_in_steps("t_ref")),
))
