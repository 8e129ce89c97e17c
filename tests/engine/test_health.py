"""Blow-ups of valid circuits stop the run with the region or projection and the time, in the API
(NumericalError, a SimulationError), the CLI (one line) and --check (never passes on non-finite)."""
from __future__ import annotations

import numpy as np
import pytest

import simcore
from simcore import Simulation, cli, model
from simcore.engine.expect import evaluate
from simcore.engine.health import NumericalError
from simcore.engine.simulation import SimulationError
from simcore.model import make_projection, make_region


def runaway_rates() -> model.Circuit:
    """Rate units with a huge max_rate exciting each other: valid, and diverging to 1e308."""
    return model.Circuit(name="runaway", regions=[make_region("R", "rate", 10, max_rate=1e308, gain=10.0, bias=1.0)],
                         projections=[make_projection("R->R", "R", "R", connectivity=("all_to_all", {"allow_self": True}),
                                                      weights=("constant", {"value": 10.0}))])


def test_runaway_rate_units_stop_with_region_and_time():
    sim = Simulation(runaway_rates(), seed=0)
    with pytest.raises(NumericalError) as info:
        sim.run(2.0)
    err = info.value
    assert isinstance(err, SimulationError)
    assert err.what == "region" and err.name == "R" and 0 < err.t <= 2.0
    assert "region 'R'" in str(err) and "at t = " in str(err)


def test_runaway_learning_stops_naming_where():
    c = model.Circuit(name="hebb", regions=[make_region("A", "rate", 5, max_rate=1e308, bias=1.0),
                                            make_region("B", "rate", 5, max_rate=1e308)],
                      projections=[make_projection("A->B", "A", "B", connectivity=("all_to_all", {}),
                                                   rules=[("hebb", {"eta": 1e30})])])
    with pytest.raises(NumericalError) as info:
        Simulation(c, seed=0).run(1.0)
    assert info.value.name in ("A->B", "B")


def test_cli_reports_a_blow_up_in_one_line(tmp_path, capsys):
    simcore.save(runaway_rates(), tmp_path / "r.json")
    rc = cli.main(["run", str(tmp_path / "r.json"), "--quiet", "--duration", "2s"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "region 'R'" in err[0] and "at t = " in err[0], err


def test_check_never_passes_on_a_run_with_non_finite_values():
    c = model.Circuit(name="c", regions=[make_region("In", "poisson", 20, rate_hz=20.0), make_region("E", "lif", 10)],
                      projections=[make_projection("In->E", "In", "E", weights=("constant", {"value": 1.0}))],
                      expect=[model.Expect("rate_hz", "In", 0.0, 1000.0)])
    sim = Simulation(c, seed=0)
    sim.run(0.05)
    assert all(ok for ok, _ in evaluate(c, sim))
    sim.net.projections[0].arrays.W[0] = np.inf   # as a weight of 1e39 used to end up
    results = evaluate(c, sim)
    assert not any(ok for ok, _ in results) and "non-finite" in results[0][1]


def test_live_changes_are_held_to_the_kinds_constraints():
    c = model.Circuit(name="c", regions=[make_region("In", "poisson", 5), make_region("E", "lif", 5)],
                      projections=[make_projection("In->E", "In", "E")])
    c.settings.dt_ms = 1.0
    sim = Simulation(c, seed=0)
    with pytest.raises(simcore.CircuitError, match="v_reset .* must be below v_th"):
        sim.set("E.v_reset", -40.0)
    with pytest.raises(simcore.CircuitError, match="at most one per step"):
        sim.set("In.rate_hz", 5000.0)
    sim.set("In.rate_hz", 500.0)
    assert sim.circuit.region("In").params["rate_hz"] == 500.0


@pytest.mark.parametrize("duration", [float("inf"), float("nan"), -1.0, 1e300])
def test_run_refuses_durations_it_cannot_count(duration):
    sim = Simulation(model.Circuit(name="c", regions=[make_region("E", "lif", 2)]), seed=0)
    with pytest.raises(ValueError, match="duration must be"):
        sim.run(duration)


def test_one_spike_in_a_one_step_chunk_is_not_a_runaway():
    """A single neuron that fires once in a step of 0.1 ms is at 10 kHz for that step only: stepping
    one step at a time must not stop it, while a neuron that fires at every step still is stopped."""
    one = model.Circuit(name="one", regions=[make_region("N", "lif", 1, i_bias=30.0, t_ref=2.0, v_init_low=-50.5,
                                                          v_init_high=-50.5)])
    sim = Simulation(one, seed=0)
    for _ in range(600):
        sim.step(1)
    assert 5 < len(sim.raster.values()) < 40  # about one spike per refractory period and climb
    every_step = model.Circuit(name="every", regions=[make_region("N", "lif", 1, i_bias=1000.0, t_ref=0.0)])
    sim = Simulation(every_step, seed=0)
    with pytest.raises(SimulationError, match="runaway excitation"):
        for _ in range(600):
            sim.step(1)


def test_weight_scan_finds_the_largest_weight_and_every_non_finite_one():
    """The per-chunk weight check reads float32 bits as integers: it must still see NaN, both
    infinities and the exact largest magnitude, negative ones included."""
    from simcore.engine.health import _abs_max

    W = np.random.default_rng(0).uniform(-1, 1, 100_003).astype(np.float32)
    assert _abs_max(W) == float(np.abs(W).max())
    for bad in (np.nan, np.inf, -np.inf):
        V = W.copy()
        V[77_777] = bad
        assert _abs_max(V) == float("inf")
    V = W.copy()
    V[5] = -3.0e9
    assert _abs_max(V) == -float(np.float32(-3.0e9))
    assert _abs_max(np.zeros(0, np.float32)) == 0.0
