"""Property: every circuit that validates runs, or stops with one clear SimulationError naming where.

Circuits come from the round-trip strategy (every kind, every parameter over its whole declared
range, repaired only where validation refuses), so they include extreme but legal values: dt of
10 ms or 1e-3 ms, weights near the float32 limit, rates at 1 / dt, huge time constants. Each runs
a few steps: never a traceback, never a non-finite output left unreported.
"""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, event, given, settings

from simcore import Simulation
from simcore.engine.health import nonfinite_outputs
from simcore.engine.simulation import SimulationError
from simcore.outputs import summary_json

try:
    from tests.test_io_roundtrip import valid_circuits
except ImportError:  # run from inside tests/
    from test_io_roundtrip import valid_circuits


@pytest.mark.slow
@settings(max_examples=6, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(valid_circuits(max_regions=3, max_projections=3))
def test_valid_circuits_run_or_stop_with_one_clear_error(c):
    names = {r.name for r in c.regions} | {p.name for p in c.projections}
    try:
        sim = Simulation(c, seed=0)
        sim.step(5)
        summary = sim.run(3 * sim.dt * 1e-3)
    except SimulationError as err:
        msg = str(err)
        assert "\n" not in msg and any(f"{n!r}" in msg for n in names), msg
        event(f"stopped: {type(err).__name__}")
        return
    event("ran")
    assert nonfinite_outputs(sim) is None
    json.loads(summary_json(summary), parse_constant=lambda x: pytest.fail(f"{x} in the summary"))
    sim.snapshot()
