"""Synaptica's engine and circuit model. Never imports Qt: usable as a library and from the CLI.

>>> from simcore import load, Simulation          # doctest: +SKIP
>>> sim = Simulation(load("circuits/vogels_abbott_cuba.json"), seed=0)
>>> sim.run(1.0); sim.summary()["regions"]["E"]["rate_hz"]
"""
from .errors import CircuitError
from .io import dumps, from_dict, load, loads, save, to_dict
from .model import (complete, Change, Circuit, Component, Event, Expect, Fork, Homeostasis, Projection, Recording,
                    Region, Rule, Settings, make_homeostasis, make_projection, make_region)
from .params import Kind, Param, kind, kinds

__all__ = ["CircuitError", "load", "loads", "save", "dumps", "to_dict", "from_dict", "Circuit", "Component",
           "Event", "Expect", "Projection", "Recording", "Region", "Rule", "Settings", "make_projection",
           "make_region", "make_homeostasis", "Homeostasis", "Fork", "Change", "complete", "Kind", "Param", "kind", "kinds",
           "Simulation", "sweep"]


def __getattr__(name):  # the engine imports numba: load it only when asked for
    if name == "Simulation":
        from .engine import Simulation

        return Simulation
    if name == "sweep":  # a callable module: simcore.sweep(circuit, grid, ...) -> pandas.DataFrame
        import importlib

        return importlib.import_module(".sweep", __name__)
    raise AttributeError(name)
