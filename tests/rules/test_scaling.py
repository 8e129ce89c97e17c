"""Synaptic scaling (Turrigiano et al. 1998; van Rossum, Bi & Turrigiano 2000): the rate returns to the
target after the input changes, every synapse onto a neuron is multiplied by the same factor (ratios
preserved), scaling tames STDP runaway, and the kernel matches a plain numpy replay of the equations."""
import math

import numpy as np
import pytest

from simcore import Circuit, Settings, Simulation, make_projection, make_region
from simcore.engine.stats import spearman

TARGET = 8.0


def feedforward(rate=10.0, scaling=True, seed=0, **rule):
    """50 LIF neurons, 200 Poisson inputs each (of 1000), lognormal weights; ~13 Hz without scaling."""
    rules = [("scaling", {"target_hz": TARGET, **rule})] if scaling else []
    return Circuit(
        "scaling_ff", settings=Settings(0.1, seed, 1.0),
        regions=[make_region("Input", "poisson", 1000, rate_hz=rate), make_region("E", "lif", 50)],
        projections=[make_projection("InE", "Input", "E", connectivity=("fixed_indegree", {"k": 200}),
                                     weights=("lognormal", {"mean": 1.0, "cv": 1.0}), rules=rules)])


def mean_rate(sim, seconds):
    return sim.run(seconds)["regions"]["E"]["rate_hz"]


def ratio_checks(sim, w0):
    """Worst rank correlation with the initial weights and worst spread of w(t)/w(0), over the neurons
    (each neuron's inputs share one factor; different neurons have different factors)."""
    w = sim.weights("InE")
    _, post = sim.connectivity("InE")
    spread, rho = 0.0, 1.0
    for j in np.unique(post):
        r = w[post == j] / w0[post == j]
        spread = max(spread, r.std() / r.mean(), r.max() / r.min() - 1.0)
        rho = min(rho, spearman(w0[post == j], w[post == j]))
    return rho, spread


@pytest.mark.parametrize("factor", [0.5, 2.0])
def test_rate_returns_to_target_after_input_change_and_ratios_are_kept(factor):
    sim = Simulation(feedforward(), seed=1)
    w0 = sim.weights("InE")
    sim.run(20.0)  # from ~13 Hz down to the target
    assert abs(mean_rate(sim, 10.0) - TARGET) < 0.1 * TARGET
    sim.set("Input.rate_hz", 10.0 * factor)
    early = mean_rate(sim, 1.0)
    assert abs(early - TARGET) > 0.4 * TARGET  # the perturbation is real
    sim.run(24.0)
    late = mean_rate(sim, 10.0)
    assert abs(late - TARGET) < 0.1 * TARGET, (early, late)
    g = sim.net.projections[0].arrays.gain
    assert (g > 1.3).all() if factor < 1 else (g < 0.7).all()  # scaled up / down
    rho, spread = ratio_checks(sim, w0)
    assert rho >= 0.999
    assert spread < 1e-4


def test_without_scaling_the_rate_stays_off_target():
    sim = Simulation(feedforward(scaling=False), seed=1)
    before = mean_rate(sim, 5.0)
    assert before > 1.3 * TARGET
    sim.set("Input.rate_hz", 5.0)
    sim.run(10.0)
    assert mean_rate(sim, 10.0) < 0.2 * TARGET
    # a disabled rule does nothing either
    sim = Simulation(feedforward(), seed=1)
    sim.set("InE.rules.0.enabled", False)
    sim.run(5.0)
    assert np.array_equal(sim.net.projections[0].arrays.gain, np.ones(50))


def test_gain_stays_within_its_bounds():
    sim = Simulation(feedforward(rate=5.0, gain_max=1.2), seed=1)
    sim.run(20.0)
    g = sim.net.projections[0].arrays.gain
    assert np.isfinite(g).all() and g.max() <= 1.2 and g.max() == pytest.approx(1.2)
    assert mean_rate(sim, 5.0) < 0.5 * TARGET  # the bound keeps it from reaching the target


def test_drifting_set_point_accepts_a_lasting_change():
    """With set_point_tau_s > 0 the set point follows the long-run activity: after the input is halved the
    rate only partly recovers (metaplasticity), unlike the fixed set point."""
    sim = Simulation(feedforward(set_point_tau_s=3.0), seed=1)
    sim.run(20.0)
    sim.set("Input.rate_hz", 5.0)
    sim.run(24.0)
    late = mean_rate(sim, 10.0)
    assert late < 0.7 * TARGET
    drift = sim.net.rules[0].arrays.post[3]
    assert drift.mean() < -0.3 * TARGET


# -- runaway control --------------------------------------------------------------------------------

def recurrent(scaling):
    rules = [("stdp_pair", {"lam": 0.05, "alpha": 0.5, "w_max": 4.0})]
    if scaling:
        rules.append(("scaling", {"target_hz": 6.0}))
    return Circuit(
        "runaway", settings=Settings(0.1, 0, 1.0),
        regions=[make_region("Input", "poisson", 200, rate_hz=10.0), make_region("E", "lif", 100)],
        projections=[
            make_projection("InE", "Input", "E", connectivity=("fixed_indegree", {"k": 50}),
                            weights=("lognormal", {"mean": 3.0, "cv": 0.5})),
            make_projection("EE", "E", "E", connectivity=("fixed_probability", {"p": 0.2}),
                            weights=("uniform", {"low": 0.0, "high": 1.0}), delay=("constant", {"value_ms": 1.0}),
                            rules=rules)])


def test_scaling_stops_stdp_runaway():
    free = Simulation(recurrent(False), seed=1)
    start = mean_rate(free, 2.0)
    free.run(18.0)
    end_free = mean_rate(free, 10.0)
    w = free.net.projections[1].arrays.W
    assert w.mean() > 0.9 * 4.0  # additive STDP drove the weights to the bound
    assert end_free > 10 * start

    held = Simulation(recurrent(True), seed=1)
    held.run(12.0)  # the initial surge is caught
    windows = [mean_rate(held, 2.0) for _ in range(9)]
    assert max(windows) < 2.0 * 6.0, windows
    assert abs(np.mean(windows) - 6.0) < 0.25 * 6.0, windows
    assert held.net.projections[1].arrays.W.mean() > 0.9 * 4.0  # STDP still saturates the stored W


# -- the kernel against a plain numpy replay ---------------------------------------------------------

def test_kernel_matches_numpy_replay():
    """Replay sensor, integral, drift and gain step by step from the recorded postsynaptic spikes."""
    p = {"target_hz": 6.0, "tau_a_s": 0.3, "beta": 0.05, "gamma": 0.02, "update_ms": 1.0,
         "set_point_tau_s": 2.0, "gain_min": 0.8, "gain_max": 1.3}
    c = Circuit("tiny", settings=Settings(0.1, 0, 1.0),
                regions=[make_region("Input", "poisson", 40, rate_hz=15.0), make_region("E", "lif", 6)],
                projections=[make_projection("InE", "Input", "E", connectivity=("fixed_indegree", {"k": 20}),
                                             weights=("lognormal", {"mean": 6.0, "cv": 0.5}),
                                             rules=[("scaling", p)])])
    sim = Simulation(c, seed=5)
    nsteps = 30000
    sim.step(nsteps)
    r = sim.raster.values()
    post_spikes = r[r[:, 2] == 1]
    assert len(post_spikes) > 100

    dt_s = 1e-4
    K = 10
    T = K * dt_s
    decay = math.exp(-dt_s / p["tau_a_s"])
    sp = 1.0 - math.exp(-T / p["set_point_tau_s"])
    n = 6
    a = np.full(n, p["target_hz"])
    integ = np.zeros(n)
    drift = np.zeros(n)
    g = np.ones(n)
    spikes_at = {}
    for t, j, _ in post_spikes:
        spikes_at.setdefault(int(t), []).append(int(j))
    clamped = 0
    for t in range(nsteps):
        if t > 0:
            a *= decay
        for j in spikes_at.get(t, ()):
            a[j] += 1.0 / p["tau_a_s"]
        if (t + 1) % K:
            continue
        for j in range(n):
            err = p["target_hz"] + drift[j] - a[j]
            new_int = integ[j] + err * T
            ng = g[j] * math.exp(T * (p["beta"] * err + p["gamma"] * new_int))
            if p["gain_min"] <= ng <= p["gain_max"]:
                integ[j] = new_int
            else:
                clamped += 1
            g[j] = min(max(ng, p["gain_min"]), p["gain_max"])
            drift[j] += ((a[j] - p["target_hz"]) - drift[j]) * sp
    rs = sim.net.rules[0].arrays
    assert np.abs(g - 1).max() > 0.1 and clamped > 0  # the gain moved and hit a bound
    np.testing.assert_allclose(sim.net.projections[0].arrays.gain, g, rtol=1e-9)
    np.testing.assert_allclose(rs.post[0], a, rtol=1e-9)
    np.testing.assert_allclose(rs.post[2], integ, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(rs.post[3], drift, rtol=1e-9, atol=1e-12)
