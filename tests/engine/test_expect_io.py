"""Input-output claims (io_gain, io_threshold) and relative claims (ref_target, ref_from_s / ref_to_s):
the curve summary, their validation with the JSON path, their round trip through a file, and their
evaluation after a short run."""
from __future__ import annotations

import json

import numpy as np
import pytest

import simcore
from simcore import iocurve
from simcore.engine.expect import evaluate, io_points
from simcore.engine.simulation import Simulation
from simcore.errors import CircuitError
from simcore.model import Circuit, Event, Expect, make_projection, make_region

X = np.arange(0.0, 45.0, 5.0)


def curve(gain, threshold):
    return np.c_[X, gain * np.maximum(0.0, X - threshold)]


def test_fit_recovers_gain_and_threshold_of_a_rectified_line():
    assert iocurve.fit(curve(2.0, 10.0)) == pytest.approx((2.0, 10.0))
    # subtraction moves the threshold and keeps the slope; division keeps the threshold, lowers the slope
    assert iocurve.fit(curve(2.0, 20.0)) == pytest.approx((2.0, 20.0))
    assert iocurve.fit(curve(1.0, 10.0)) == pytest.approx((1.0, 10.0))


def test_fit_needs_two_responding_points():
    assert np.isnan(iocurve.fit(curve(2.0, 38.0))[0])  # only the last step responds
    assert np.isnan(iocurve.fit(np.c_[X, np.zeros_like(X)])[1])
    assert np.isnan(iocurve.fit(np.zeros((0, 2)))[0])


def test_points_average_each_step_after_its_transient():
    t = np.arange(1, 301) * 0.01  # bins ending at 10 ms ... 3 s
    x = np.where(t <= 1.0, 5.0, np.where(t <= 2.0, 10.0, 15.0))
    y = 2.0 * x
    y[(t > 1.0) & (t <= 1.05)] = 999.0  # a transient right after the step at 1 s is left out
    edges = iocurve.step_edges([1.0, 2.0, 2.0, 5.0], 0.0, 3.0)
    assert edges == [0.0, 1.0, 2.0, 3.0]  # duplicates merged, events outside the window ignored
    pts = iocurve.points(t, x, y, edges)
    assert pts.tolist() == [[5.0, 10.0], [10.0, 20.0], [15.0, 30.0]]


def _circuit(**claim) -> dict:
    c = Circuit(name="io")
    c.settings.dt_ms = 1.0
    c.regions = [make_region("Stim", "rate", 10, bias=0.0), make_region("Out", "rate", 10, bias=-10.0, gain=2.0)]
    c.projections = [make_projection("Stim->Out", "Stim", "Out", connectivity=("all_to_all", {}),
                                     weights=("constant", {"value": 0.1}))]
    c.protocol = [Event(float(k), "set", "Stim", "bias", 5.0 * k) for k in range(1, 8)]
    c.expect = [Expect(**claim)]
    return json.loads(simcore.dumps(c))


@pytest.mark.parametrize("claim, path, words", [
    (dict(metric="io_gain", target="Out"), "$.expect[0].input", "needs the region"),
    (dict(metric="io_gain", target="Out", input="Nowhere"), "$.expect[0].input", "no region named 'Nowhere'"),
    (dict(metric="io_gain", target="Out", input="Stim->Out"), "$.expect[0].input", "no region named"),
    (dict(metric="rate_hz", target="Out", input="Stim"), "$.expect[0].input", "not an input-output metric"),
    (dict(metric="rate_hz", target="Out", ref_target="Stim->Out"), "$.expect[0].ref_target", "is not a region"),
    (dict(metric="rate_hz", target="Out", ref_target="Ghost"), "$.expect[0].ref_target", "no region or projection"),
    (dict(metric="w_max", target="Stim->Out", ref_to_s=1.0), "$.expect[0]", "drop ref_from_s/ref_to_s"),
    (dict(metric="rate_hz", target="Out", ref_from_s=2.0, ref_to_s=1.0), "$.expect[0].ref_to_s", "later than"),
])
def test_bad_claims_name_their_json_path(claim, path, words):
    with pytest.raises(CircuitError) as err:
        simcore.io.from_dict(_circuit(**claim))
    assert err.value.path == path and words in str(err.value)


def test_claim_fields_survive_a_round_trip():
    doc = _circuit(metric="io_gain", target="Out", input="Stim", from_s=0.0, to_s=8.0, ref_from_s=0.0, ref_to_s=4.0,
                   min=0.5)
    c = simcore.io.from_dict(doc)
    e = c.expect[0]
    assert (e.input, e.ref_target, e.ref_from_s, e.ref_to_s) == ("Stim", "", 0.0, 4.0)
    assert e.relative and e.reference() == ("Out", 0.0, 4.0)
    assert json.loads(simcore.dumps(c))["expect"][0] == doc["expect"][0]
    plain = simcore.io.from_dict(_circuit(metric="rate_hz", target="Out")).expect[0]
    assert not plain.relative and "ref_to_s" not in json.loads(simcore.dumps(simcore.io.from_dict(
        _circuit(metric="rate_hz", target="Out"))))["expect"][0]


def test_io_claims_and_ratios_after_a_run():
    """Out = 2 [Stim - 10]+ in steady state: gain 2, threshold 10 Hz; a ratio claim on two windows of the
    same curve is ~1, and a ratio against another region divides by its value."""
    c = simcore.io.from_dict(_circuit(metric="io_gain", target="Out", input="Stim", from_s=0.0, to_s=8.0,
                                      min=1.9, max=2.1))
    c.expect += [
        Expect("io_threshold", "Out", 9.5, 10.5, from_s=0.0, to_s=8.0, input="Stim"),
        Expect("io_gain", "Out", 0.95, 1.05, from_s=4.0, to_s=8.0, input="Stim", ref_from_s=2.0, ref_to_s=6.0),
        Expect("rate_hz", "Out", 0.0, 0.5, from_s=0.0, to_s=2.0),  # below threshold: silent
        Expect("rate_hz", "Out", 1.9, 2.1, from_s=6.5, to_s=7.0, ref_target="Stim", ref_from_s=6.5, ref_to_s=7.0,
               note="2 (30 - 10) / 30 = 1.33: fails"),
    ]
    sim = Simulation(c)
    sim.run(8.0)
    pts = io_points(sim, "Out", "Stim", 0.0, 8.0)
    assert len(pts) == 8 and np.allclose(pts[:, 0], 5.0 * np.arange(8), atol=0.05)
    results = evaluate(c, sim)
    assert [ok for ok, _ in results] == [True, True, True, True, False]
    assert "Out.rate_hz over 6.5-7 s / Stim.rate_hz over 6.5-7 s = 1.33" in results[-1][1]


@pytest.mark.parametrize("io, path, words", [
    ({"input": "Nowhere", "target": "Out"}, "$.view.io_curve.input", "no region named 'Nowhere'"),
    ({"input": "Stim", "target": "Stim->Out"}, "$.view.io_curve.target", "no region named"),
    ({"input": "Stim", "target": "Out", "phases": [{"from_s": 1.0, "to_s": 2.0}, {"from_s": 3.0, "to_s": 3.0}]},
     "$.view.io_curve.phases[1].to_s", "later than"),
    ({"input": "Stim", "target": "Out", "phases": [{"from_s": 1.0, "to_s": 2.0, "colour": "red"}]},
     "$.view.io_curve.phases[0]", "colour"),
])
def test_bad_io_curve_view_names_its_json_path(io, path, words):
    doc = _circuit(metric="rate_hz", target="Out")
    doc["view"] = {"plots": ["io_curve"], "io_curve": io}
    with pytest.raises(CircuitError) as err:
        simcore.io.from_dict(doc)
    assert err.value.path == path and words in str(err.value)
