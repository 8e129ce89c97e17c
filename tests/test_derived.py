"""simcore.derived computes in one place the sizes a run allocates; they must be the engine's."""
from __future__ import annotations

import pytest

from simcore import Simulation, derived, io, model
from simcore.errors import CircuitError
from simcore.model import make_projection, make_region


def circuit() -> model.Circuit:
    c = model.Circuit(name="d", regions=[make_region("In", "poisson", 200), make_region("E", "lif", 5),
                                         make_region("R", "rate", 3), make_region("DA", "modulator", 1)],
                      projections=[make_projection("In->E", "In", "E", connectivity=("all_to_all", {}),
                                                   delay=("uniform", {"low_ms": 1.0, "high_ms": 3.2})),
                                   make_projection("In->R", "In", "R", connectivity=("all_to_all", {}))])
    c.settings.dt_ms = 0.2
    c.recording.history_s = 3.0
    c.recording.rate_bin_ms = 7.0
    c.recording.stats_every_ms = 40.0
    return c


def test_derived_sizes_are_what_the_engine_allocates():
    c = circuit()
    d = derived.derive(io.to_dict(c), duration_s=0.5)
    sim = Simulation(c, seed=0)
    slots = [r.arrays.inp.shape[1] for r in sim.net.regions]
    assert all(a <= b for a, b in zip(slots, d.slots))  # uniform delays: an upper bound (high_ms / dt)
    assert slots[0] == d.slots[0] and slots[2:] == d.slots[2:] and d.slots[1] - slots[1] <= 1
    assert len(sim.rates.data) == d.rows.rates
    assert len(sim.voltage.data) == d.rows.voltage
    assert len(sim.stats["In->E"].data) == d.rows.stats
    assert sim.stats_steps == d.rows.chunk
    assert d.run_steps == pytest.approx(sim.steps_for(0.5))


@pytest.mark.parametrize("change, path", [
    (lambda c: setattr(c.settings, "dt_ms", 1e-6), "$.settings.dt_ms"),
    (lambda c: (setattr(c.recording, "history_s", 1e5), setattr(c.recording, "rate_bin_ms", 0.1)), "$.recording.history_s"),
    (lambda c: c.protocol.append(model.Event(1e306, "block", "E")), "$.protocol[0].time_s"),
    (lambda c: setattr(c.settings, "duration_s", 1e300), "$.settings.duration_s"),
])
def test_impossible_allocations_are_refused_with_the_path(change, path):
    c = circuit()
    change(c)
    with pytest.raises(CircuitError) as e:
        io.from_dict(io.to_dict(c))
    assert e.value.path == path


def test_a_simulation_of_a_python_built_circuit_is_held_to_the_same_limits():
    c = circuit()
    c.regions[1].params["t_ref"] = 1e308  # OverflowError in lif.prepare before
    with pytest.raises(CircuitError) as e:
        Simulation(c, seed=0)
    assert e.value.path == "$.regions[1].params.t_ref"
