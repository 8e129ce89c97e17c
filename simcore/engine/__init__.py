"""The simulation engine: circuit -> arrays (flat arenas + topology tables) -> one numba kernel per set of kinds.

Python runs only between chunks of many time steps (protocol events, live changes, statistics);
each chunk runs inside one ``nogil`` numba kernel, so a GUI thread keeps running beside it.
"""
__all__ = ["Simulation", "SimulationError"]


def __getattr__(name):  # keep `import simcore.engine.impl` light for the component modules
    if name in __all__:
        from . import simulation

        return getattr(simulation, name)
    raise AttributeError(name)
