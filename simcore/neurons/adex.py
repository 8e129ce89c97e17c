"""Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005)."""
from ..params import Kind, Param, register

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

KIND = register(Kind(
    "neuron", "adex", "AdEx neuron",
    "Adaptive exponential integrate-and-fire (Brette & Gerstner 2005): an exponential spike onset and "
    "an adaptation current w give tonic, adapting and bursting firing. Synaptic weights are currents in pA.",
    PARAMS,
    info={"spiking": True, "roles": ("excitatory", "inhibitory"), "weight_unit": "pA", "icon": "adex"},
))
