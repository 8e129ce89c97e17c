"""Work done inside the engine on the window's request (:meth:`SimController.call`). Qt-free.

The engine may live in another process, so what the window asks it to do must be picklable: plain
module-level functions of ``(sim, *args)``, found here by name.
"""
from __future__ import annotations

import numpy as np


def write_npz(sim, path: str) -> str:
    """The recorded data and the summary table as one NumPy archive (``synaptica run --out`` writes the same)."""
    from simcore.engine.commands import write_npz as write

    write(sim, path, sim.summary())
    return path


def write_nwb(sim, path: str, circuit_text: str | None) -> str | None:
    """The recording as NWB, with the circuit it was built from; returns an error line or None."""
    from simcore.nwb import write_nwb as write

    try:
        write(sim, path, sim.summary(), circuit_text)
    except OSError as err:
        return f"{path}: {err.strerror or err}"
    return None


def write_rates_csv(sim, path: str) -> str:
    """Population rates over time, one column per region."""
    rates = sim.rates.values()
    header = "t_s," + ",".join(f"{name}_hz" for name in sim.region_names)
    np.savetxt(path, rates, delimiter=",", header=header, comments="", fmt="%.6g")
    return path


def region_params(sim, region: str) -> dict:
    """The parameters the engine runs a region with now (live edits included)."""
    return dict(sim.circuit.region(region).params)


def projection_rules(sim, projection: str) -> list[tuple[str, bool, dict]]:
    """(kind, enabled, params) of each rule of a projection, as the engine runs them now."""
    return [(r.kind, r.enabled, dict(r.params)) for r in sim.circuit.projection(projection).rules]


def sim_time(sim) -> float:
    return sim.t


def fork(sim, change: tuple | None):
    """An independent copy of the simulation as it is now (bit for bit the same future), with
    ``change`` = (path, value) applied to the copy; it travels to the window pickled."""
    twin = sim.fork()
    if change is not None:
        twin.set(*change)
    return twin


def fork_many(sim, changes: list):
    """:func:`fork` with several (path, value) changes, applied in order (a declared fork's)."""
    twin = sim.fork()
    for path, value in changes:
        twin.set(path, value)
    return twin


def homeostasis_enabled(sim, region: str) -> bool | None:
    """Whether a region's homeostat is on as the engine runs it now (None: the region has none)."""
    h = sim.circuit.region(region).homeostasis
    return None if h is None else bool(h.enabled)


def set_threads(sim, n: int) -> int:
    """Step this simulation, and those the engine builds after it, on ``n`` threads (0: automatic);
    returns the threads the simulation now uses. Results do not depend on it (only the speed)."""
    import os

    from simcore.engine.threads import cores, default_threads

    if n > 0:
        os.environ["SYNAPTICA_ENGINE_THREADS"] = str(n)
        sim.threads = n
    else:
        os.environ.pop("SYNAPTICA_ENGINE_THREADS", None)
        split = sum(r.n for r in sim.net.regions if r.kind.impl.update_range is not None)
        sim.threads = min(default_threads(split), max(1, cores() - 1))
    return sim.threads


def threads(sim) -> int:
    return sim.threads


def weights(sim, projection: str):
    """The effective weights of a projection now (float64 copy)."""
    return sim.weights(projection)


def reference_weights(sim, projection: str):
    """The reference weights of a projection (those at the start, or when last set)."""
    return sim.reference_weights(projection)
