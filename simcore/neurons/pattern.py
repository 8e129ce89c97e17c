"""Frozen spike pattern repeated within Poisson noise (Masquelier, Guyonneau & Thorpe 2008)."""
from ..params import Kind, Param, register

PARAMS = (
    Param("rate_hz", 10.0, "Hz", "Background Poisson rate of every neuron", min=0.0, max=1000.0),
    Param("pattern_ms", 50.0, "ms", "Length of the frozen pattern", min=1.0, max=10000.0, live=False),
    Param("interval_ms", 250.0, "ms", "Mean time between pattern onsets", min=1.0, max=100000.0),
    Param("fraction", 0.5, "", "Fraction of the neurons taking part in the pattern", min=0.0, max=1.0, live=False),
    Param("pattern_seed", 1, "", "Seed of the frozen pattern (same seed, same pattern)", type="int", min=0,
          live=False),
)

KIND = register(Kind(
    "neuron", "pattern", "Pattern source",
    "Poisson background in which a frozen spike pattern (drawn once at the same rate) is pasted at "
    "random times, the classic STDP pattern-detection input (Masquelier et al. 2008).",
    PARAMS,
    info={"spiking": True, "source": True, "roles": ("excitatory", "inhibitory"), "icon": "pattern"},
))
