"""Reset is a fresh start: for every shipped demonstration, reset-then-run equals a fresh run bit for bit.

Protocol ``set`` events change parameters during a run (a gate opens, a rate halves, a rule switches
on); a reset must not keep those changes. The demos' protocols are compressed into the first part of a
short run so that every event fires in the run before the reset and again in the replay.
"""
import copy

import numpy as np
import pytest

from simcore import Simulation, load

from ..paths import ROOT

DEMOS = sorted((ROOT / "circuits" / "demos").glob("*.json"))
RUN_S = 0.3


def compressed(circuit):
    """The circuit with its protocol squeezed into [0.05, 0.2] s, in order (several events per chunk)."""
    c = copy.deepcopy(circuit)
    times = sorted({e.time_s for e in c.protocol})
    if times:
        lo, hi = times[0], times[-1]
        for e in c.protocol:
            e.time_s = 0.05 + (0.15 * (e.time_s - lo) / (hi - lo) if hi > lo else 0.0)
    return c


def state_of(sim):
    r = sim.raster.values()
    return {"spikes": r[np.lexsort((r[:, 1], r[:, 2], r[:, 0]))],
            "weights": {p: sim.weights(p) for p in sim.projection_names},
            "levels": sim.modulator_levels(), "blocked": sim.blocked(),
            "rates": sim.summary()["regions"]}


@pytest.mark.slow
@pytest.mark.parametrize("path", DEMOS, ids=[p.stem for p in DEMOS])
def test_reset_then_run_equals_a_fresh_run(path):
    circuit = compressed(load(path))
    assert circuit.protocol, "every demo has a protocol"
    fresh = Simulation(circuit, seed=0)
    fresh.run(RUN_S)
    expected = state_of(fresh)
    assert len(fresh.fired) == len(circuit.protocol)  # every event fired in the first run

    sim = Simulation(circuit, seed=0)
    sim.run(RUN_S)
    sim.set_reference()
    sim.reset()
    assert sim.t == 0.0 and sim.fired == []
    sim.run(RUN_S)
    got = state_of(sim)
    assert np.array_equal(got["spikes"], expected["spikes"])
    for p, w in expected["weights"].items():
        assert np.array_equal(got["weights"][p], w), p
    assert got["levels"] == expected["levels"]
    assert got["blocked"] == expected["blocked"]
    assert got["rates"] == expected["rates"]


def test_reset_undoes_protocol_changes_before_the_replay():
    """topdown_gating: the gate opens at 10 s; after a reset it is closed again at t = 0."""
    circuit = compressed(load(ROOT / "circuits" / "demos" / "topdown_gating.json"))
    sim = Simulation(circuit, seed=0)
    sim.run(RUN_S)
    gate = circuit.protocol[0].target
    opened = sim.circuit.region(gate).params["gate"]
    sim.reset()
    assert sim.circuit.region(gate).params["gate"] == circuit.region(gate).params["gate"] != opened
