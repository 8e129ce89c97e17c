"""Poisson spike source."""
from ..params import Kind, Param, register

PARAMS = (
    Param("rate_hz", 10.0, "Hz", "Firing rate of every neuron of the source", min=0.0, max=10000.0),
)

KIND = register(Kind(
    "neuron", "poisson", "Poisson source",
    "Independent Poisson spike trains at a constant rate, changeable by protocol events or live controls.",
    PARAMS,
    info={"spiking": True, "source": True, "roles": ("excitatory", "inhibitory"), "icon": "poisson"},
))
