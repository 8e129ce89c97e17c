"""The recorders are sized by simcore.derived (one derivation for the size check and the
allocation), and a claim evaluated through the Python API on a window the recorders do not keep is
refused with the claim's JSON path, as validate refuses it for a file, instead of giving NaN."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simcore import derived
from simcore.engine.expect import claim_value, evaluate, measure
from simcore.engine.simulation import Simulation
from simcore.errors import CircuitError
from simcore.model import Circuit, Expect, make_projection, make_region


def circuit() -> Circuit:
    c = Circuit(name="w", regions=[make_region("In", "poisson", 20, rate_hz=20.0), make_region("E", "lif", 5)],
                projections=[make_projection("In->E", "In", "E", connectivity=("all_to_all", {}))])
    c.settings.dt_ms = 0.5
    c.recording.history_s = 0.2      # keeps the last 0.2 s of rates and statistics
    c.recording.rate_bin_ms = 10.0
    c.recording.stats_every_ms = 20.0
    return c


def test_the_engine_sizes_its_recorders_with_the_one_derivation(monkeypatch):
    real = derived.recorder_rows

    def other(rec, dt):  # sizes no formula of the engine would produce by itself
        r = real(rec, dt)
        return dataclasses.replace(r, rates=r.rates + 7, voltage=r.voltage + 5, stats=r.stats + 3,
                                   chunk=r.chunk + 2, raster=r.raster + 11)

    monkeypatch.setattr(derived, "recorder_rows", other)
    sim = Simulation(circuit(), seed=0)
    want = other(dataclasses.asdict(sim.circuit.recording), sim.dt)
    assert len(sim.rates.data) == want.rates
    assert len(sim.voltage.data) == want.voltage
    assert len(sim.stats["In->E"].data) == len(sim.ei.data) == len(sim.tracked_w["In->E"].data) == want.stats
    assert sim.stats_steps == want.chunk
    assert len(sim.raster.data) == want.raster


@pytest.fixture(scope="module")
def ran() -> Simulation:
    sim = Simulation(circuit(), seed=0)
    sim.run(0.6)
    return sim


@pytest.mark.parametrize("claim, path", [
    (Expect("rate_hz", "E", from_s=0.0, to_s=0.1), "$.expect[0].from_s"),        # rates kept from 0.4 s
    (Expect("w_mean", "In->E", to_s=0.1), "$.expect[0].to_s"),                 # statistics sample gone
    (Expect("rate_hz", "E", from_s=0.5, to_s=0.9), "$.expect[0].to_s"),        # after the end of the run
    (Expect("rate_hz", "E", from_s=0.45, to_s=0.55, ref_from_s=0.0, ref_to_s=0.1), "$.expect[0].ref_from_s"),
])
def test_a_claim_on_history_not_kept_is_refused_with_its_path(ran, claim, path):
    ran.circuit.expect = [claim]
    try:
        with pytest.raises(CircuitError) as e:
            claim_value(ran, claim)
        assert e.value.path == path
        assert "\n" not in str(e.value) and "nan" not in str(e.value).lower()
        with pytest.raises(CircuitError):
            evaluate(ran.circuit, ran)
    finally:
        ran.circuit.expect = []


def test_a_claim_on_kept_history_still_gives_its_value(ran):
    value, _ = claim_value(ran, Expect("rate_hz", "E", from_s=0.45, to_s=0.6))
    assert np.isfinite(value)
    assert np.isfinite(measure(ran, "w_mean", "In->E", to_s=0.6))
    with pytest.raises(CircuitError) as e:
        measure(ran, "w_mean", "In->E", to_s=0.1)
    assert e.value.path == "$.to_s"
