"""Rate unit with first-order dynamics, for fast classroom demonstrations."""
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

KIND = register(Kind(
    "neuron", "rate", "Rate unit",
    "A population of rate units: tau dr/dt = -r + f(bias + sum_j w_j r_j), with a threshold-linear or "
    "sigmoid f. Inputs are presynaptic rates (Hz) times weights; fast enough for live classroom demos.",
    PARAMS,
    info={"spiking": False, "roles": ("excitatory", "inhibitory"), "weight_unit": "1/Hz", "icon": "rate"},
))
