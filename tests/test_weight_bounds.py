"""Weights stay far inside float32: every weight parameter declares WEIGHT_MAX as its bound (a legal
3e38 used to saturate float32 sums silently), and a run whose weights still grow beyond it stops
with one line naming the projection."""
from __future__ import annotations

import json

import pytest

import simcore
from simcore import io
from simcore.engine.health import NumericalError
from simcore.engine.simulation import Simulation
from simcore.model import Circuit, Event, Homeostasis, make_projection, make_region
from simcore.params import WEIGHT_MAX, kinds


def test_every_weight_parameter_declares_the_bound():
    for family in ("connectivity", "weights", "delay", "rule", "homeostasis", "neuron"):
        for name, k in kinds(family).items():
            for p in k.params:
                if p.unit == "w":
                    assert p.max is not None and p.max <= WEIGHT_MAX, f"{family} {name}.{p.name}"


def circuit(weight: float, rules=None) -> Circuit:
    return Circuit(name="w", regions=[make_region("In", "poisson", 50, rate_hz=100.0), make_region("E", "lif", 5)],
                   projections=[make_projection("In->E", "In", "E", connectivity=("all_to_all", {}),
                                                weights=("constant", {"value": weight}), rules=rules)])


def test_a_weight_near_the_float32_limit_is_refused_with_its_path():
    with pytest.raises(simcore.CircuitError) as e:
        io.loads(json.dumps(io.to_dict(circuit(3e38))))
    assert e.value.path == "$.projections[0].weights.params.value"
    assert "1e+09" in e.value.reason


def test_a_protocol_event_cannot_set_a_weight_bound_beyond_it():
    c = circuit(1.0, rules=[("stdp_pair", {})])
    c.protocol = [Event(0.1, "set", "In->E", "rules.0.w_max", 3e38)]
    with pytest.raises(simcore.CircuitError) as e:
        io.loads(json.dumps(io.to_dict(c)))
    assert e.value.path == "$.protocol[0].value"


def test_weights_growing_beyond_the_bound_stop_the_run_naming_the_projection():
    # uncapped multiplicative STDP, potentiation only: each post spike multiplies the weights by up to 2
    sim = Simulation(circuit(1e8, rules=[("stdp_multiplicative", {"lam": 1.0, "alpha": 0.0})]), seed=0)
    with pytest.raises(NumericalError) as e:
        sim.run(1.0)
    assert e.value.name == "In->E"
    assert "beyond 1e+09" in str(e.value) and "\n" not in str(e.value)


def scaled(gain_max: float, weight: float = 0.01) -> Circuit:
    """Modest stored weights onto a silent neuron whose scaling gain is driven up as fast as it goes
    (set point far above its rate, huge proportional rate): the weights the kernel uses are weight x gain."""
    c = circuit(weight, rules=[("scaling", {"target_hz": 100.0, "beta": 1e3, "update_ms": 1.0, "gain_max": gain_max})])
    c.region("In").params["rate_hz"] = 0.0
    return c


def test_a_huge_scaling_gain_stops_the_run_though_the_stored_weights_are_modest():
    sim = Simulation(scaled(1e20), seed=0)
    with pytest.raises(NumericalError) as e:
        sim.run(0.5)
    assert e.value.what == "projection" and e.value.name == "In->E" and 0 < e.value.t <= 0.5
    assert "effective weights" in str(e.value) and "at t = " in str(e.value) and "\n" not in str(e.value)
    assert float(abs(sim.net.projections[0].arrays.W).max()) <= 0.011  # the stored weights never grew
    assert float(sim.weights("In->E").max()) > WEIGHT_MAX  # the ones the kernel uses did


def test_a_gain_within_bounds_runs_on():
    sim = Simulation(scaled(1e3), seed=0)  # 0.01 x 1e3 = 10: far inside the bound
    sim.run(0.2)
    assert sim.t >= 0.2 - 1e-9


def test_a_gain_bound_that_takes_the_weights_beyond_float32_is_refused_with_its_path():
    with pytest.raises(simcore.CircuitError) as e:
        io.loads(json.dumps(io.to_dict(scaled(1e38, weight=10.0))))
    assert e.value.path == "$.projections[0].rules[0].params.gain_max"
    assert "float32" in e.value.reason and "\n" not in e.value.reason


def test_a_homeostat_gain_bound_beyond_float32_is_refused_with_its_path():
    c = circuit(10.0)
    c.region("E").homeostasis = Homeostasis("scaling", {"gain_max": 1e38})
    doc = io.to_dict(c)
    with pytest.raises(simcore.CircuitError) as e:
        io.loads(json.dumps(doc))
    assert e.value.path == "$.regions[1].homeostasis.params.gain_max"
    assert "'In->E'" in e.value.reason


def test_a_protocol_event_cannot_raise_the_gain_bound_beyond_float32():
    c = scaled(1e3, weight=10.0)
    c.protocol = [Event(0.1, "set", "In->E", "rules.0.gain_max", 1e38)]
    with pytest.raises(simcore.CircuitError) as e:
        io.loads(json.dumps(io.to_dict(c)))
    assert e.value.path == "$.protocol[0].value" and "float32" in e.value.reason
