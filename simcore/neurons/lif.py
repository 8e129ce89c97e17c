"""Leaky integrate-and-fire neuron with exponential synaptic currents or conductances."""
from ..params import Kind, Param, register

PARAMS = (
    Param("tau_m", 20.0, "ms", "Membrane time constant", min=0.0, exclusive_min=True),
    Param("e_l", -60.0, "mV", "Resting (leak reversal) potential"),
    Param("v_th", -50.0, "mV", "Spike threshold"),
    Param("v_reset", -60.0, "mV", "Reset potential after a spike"),
    Param("t_ref", 5.0, "ms", "Absolute refractory period", min=0.0),
    Param("tau_e", 5.0, "ms", "Decay time constant of excitatory synaptic input", min=0.0, exclusive_min=True),
    Param("tau_i", 10.0, "ms", "Decay time constant of inhibitory synaptic input", min=0.0, exclusive_min=True),
    Param("i_bias", 0.0, "mV", "Constant drive, expressed as the depolarisation it causes at rest"),
    Param("synapses", "current", "", "Current-based synapses (weights in mV) or conductance-based "
          "(weights in units of the leak conductance, driving force towards e_e / e_i)",
          type="choice", choices=("current", "conductance"), live=False),
    Param("e_e", 0.0, "mV", "Excitatory reversal potential (conductance synapses)"),
    Param("e_i", -80.0, "mV", "Inhibitory reversal potential (conductance synapses)"),
    Param("noise_sd", 0.0, "mV", "Standard deviation of membrane noise (white noise, per sqrt(tau_m))", min=0.0),
    Param("v_init_low", -60.0, "mV", "Initial potentials are drawn uniformly from [v_init_low, v_init_high]"),
    Param("v_init_high", -50.0, "mV", "Upper end of the initial potential range"),
)

KIND = register(Kind(
    "neuron", "lif", "LIF neuron",
    "Leaky integrate-and-fire neuron: tau_m dv/dt = e_l - v + i_bias + I_e - I_i, synaptic inputs decay "
    "exponentially (integrated exactly, as Brian2's 'exact' method and NEST's iaf_psc_exp). "
    "Shunting inhibition divides the drive instead of subtracting from it.",
    PARAMS,
    info={"spiking": True, "roles": ("excitatory", "inhibitory"), "weight_unit": "mV", "icon": "lif"},
))
