"""Modulatory source: a scalar signal (reward, dopamine, top-down gate)."""
from ..params import Kind, Param, register

PARAMS = (
    Param("baseline", 0.0, "", "Level of the signal with no event"),
    Param("tau_ms", 200.0, "ms", "Decay time constant of delivered pulses (dopamine clearance, tau_d)",
          min=0.0, exclusive_min=True),
    Param("follow", "", "", "Read the level from this region's population rate instead (empty: none)",
          type="region"),
    Param("follow_gain", 0.1, "1/Hz", "Level per Hz of the followed region's rate"),
    Param("gate", True, "", "Gate open (true) or closed (false): a closed gate holds the level at 0",
          type="bool"),
)

KIND = register(Kind(
    "neuron", "modulator", "Modulatory signal",
    "A scalar neuromodulatory signal M(t): baseline plus exponentially decaying pulses delivered by "
    "'reward' events or the live Reward button, or read from another region's activity (a top-down "
    "'prefrontal' gate). Plasticity rules name it as their third factor.",
    PARAMS,
    info={"spiking": False, "source": True, "roles": ("modulatory",), "icon": "modulator"},
))
