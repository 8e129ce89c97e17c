"""Each mapped kind as NEST builds it: neuron models, rules' parameters in NEST units, connectivity,
weight and delay distributions (small networks, short runs)."""
import math

import numpy as np
import pytest

from simcore import Circuit, make_projection, make_region
from simcore.backends.nest import NestSimulation

pytestmark = pytest.mark.peer


def _adex_reference_spikes(p: dict, i_e: float, t_ms: float = 1000.0, dt: float = 0.1) -> int:
    """Brette & Gerstner (2005) AdEx, forward Euler; the adaptation current sees v up to v_peak (the
    model's spike cut-off), not the overshoot of the step that crosses it."""
    v, w, n = p["e_l"], 0.0, 0
    for _ in range(int(t_ms / dt)):
        ex = min((v - p["v_t"]) / p["delta_t"], 20.0)
        v += dt * (-p["g_l"] * (v - p["e_l"]) + p["g_l"] * p["delta_t"] * math.exp(ex) - w + i_e) / p["c_m"]
        w += dt * (p["a"] * (min(v, p["v_peak"]) - p["e_l"]) - w) / p["tau_w"]
        if v > p["v_peak"]:
            v, w, n = p["v_reset"], w + p["b"], n + 1
    return n


def test_adex_driven_by_a_bias_current_fires_as_the_adex_model():
    c = Circuit("adex", regions=[make_region("A", "adex", 10, i_bias=800.0)])
    sim = NestSimulation(c, seed=0)
    theirs = sim.run(1.0)["regions"]["A"]["rate_hz"]
    assert sim.plan.node("A").model == "aeif_psc_exp"
    ref = _adex_reference_spikes(c.regions[0].params, 800.0)
    assert ref > 10 and abs(theirs - ref) <= 1.0, (ref, theirs)


def _wired():
    regions = [make_region("In", "poisson", 200, rate_hz=5.0), make_region("T", "spike_train", 30, rate_hz=2.0),
               make_region("E", "lif", 60)]
    projections = [
        make_projection("In->E", "In", "E", connectivity=("fixed_indegree", {"k": 40}),
                        weights=("clipped_normal", {"mean": 1.0, "sd": 0.5, "low": 0.2, "high": 1.5}),
                        delay=("uniform", {"low_ms": 0.5, "high_ms": 3.0}),
                        rules=[("stdp_triplet", {"w_max": 2.0}), ("scaling", {"target_hz": 5.0})]),
        make_projection("T->E", "T", "E", connectivity=("one_to_one", {}),
                        weights=("uniform", {"low": 0.5, "high": 1.0}),
                        rules=[("stdp_pair", {"pairing": "nearest", "w_max": 3.0, "tau_minus": 33.7})]),  # one tau_minus per neuron
        make_projection("E->E", "E", "E", connectivity=("all_to_all", {"allow_self": False}),
                        weights=("lognormal", {"mean": 0.1, "cv": 1.0})),
    ]
    return Circuit("wired", regions=regions, projections=projections)


def test_connectivity_weights_delays_and_rule_parameters_arrive_in_nest_units():
    sim = NestSimulation(_wired(), seed=3)
    f = 250.0 / 20.0  # pA per mV for the default LIF
    ine = sim.b.conns["In->E"]
    got = ine.get(["synapse_model", "weight", "delay", "Aplus_triplet", "Wmax", "target"])
    assert set(got["synapse_model"]) == {"p0_In_E_stdp_triplet_synapse"}
    assert np.bincount(np.asarray(got["target"]) - min(got["target"])).tolist() == [40] * 60
    w = np.asarray(got["weight"]) / f
    assert w.min() >= 0.2 - 1e-9 and w.max() <= 1.5 + 1e-9 and abs(w.mean() - 1.0) < 0.05
    d = np.asarray(got["delay"])
    assert d.min() >= 0.5 and d.max() <= 3.0 and abs(d.mean() - 1.75) < 0.1
    assert np.allclose(got["Aplus_triplet"], 6.2e-3 * 2.0 * f) and np.allclose(got["Wmax"], 2.0 * f)
    assert sim.b.pops["E"].get("tau_minus_triplet")[0] == 125.0
    te = sim.b.conns["T->E"].get(["synapse_model", "source", "target", "weight", "Wmax"])
    assert set(te["synapse_model"]) == {"p1_T_E_stdp_nn_symm_synapse"} and len(te["weight"]) == 30
    first_t, first_e = sim.b.pops["T"][0].global_id, sim.b.pops["E"][0].global_id
    assert (np.asarray(te["source"]) - first_t).tolist() == (np.asarray(te["target"]) - first_e).tolist()
    w = np.asarray(te["weight"]) / f
    assert w.min() >= 0.5 and w.max() <= 1.0 and np.allclose(te["Wmax"], 3.0 * f)
    ee = sim.weights("E->E")
    pre, post = sim.connectivity("E->E")
    assert len(ee) == 60 * 59 and not np.any(pre == post)  # all to all without autapses
    assert abs(ee.mean() - 0.1) < 0.02 and 0.7 < ee.std() / ee.mean() < 1.3
    s = sim.run(0.5)
    assert abs(s["regions"]["T"]["rate_hz"] - 2.0) < 0.01  # regular trains: exactly 1 spike in 0.5 s
    assert s["regions"]["In"]["rate_hz"] == pytest.approx(5.0, rel=0.3)
