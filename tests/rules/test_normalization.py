"""Synaptic normalization: each neuron's incoming effective weights sum to W_tot after every interval,
ratios onto a neuron are kept, and the gain equals W_tot / sum(W) computed independently in numpy."""
import numpy as np

from simcore import Circuit, Settings, Simulation, make_projection, make_region
from simcore.engine.stats import spearman

WTOT = 150.0


def net(stdp=False, interval_ms=100.0, seed=0):
    rules = [("stdp_pair", {"lam": 0.02, "alpha": 0.9, "w_max": 3.0})] if stdp else []
    rules.append(("normalization", {"w_total": WTOT, "interval_ms": interval_ms}))
    return Circuit(
        "norm", settings=Settings(0.1, seed, 1.0),
        regions=[make_region("Input", "poisson", 400, rate_hz=10.0), make_region("E", "lif", 30)],
        projections=[make_projection("InE", "Input", "E", connectivity=("fixed_indegree", {"k": 100}),
                                     weights=("lognormal", {"mean": 1.0, "cv": 1.0}), rules=rules)])


def incoming_sums(sim):
    _, post = sim.connectivity("InE")
    return np.bincount(post, weights=sim.weights("InE"), minlength=30)


def test_sums_equal_w_total_and_ratios_are_kept():
    c = net()
    from simcore.engine.build import build

    w_raw = build(c, 1).projections[0].arrays.W.astype(np.float64)  # the weights before normalization
    sim = Simulation(c, seed=1)
    _, post = sim.connectivity("InE")
    assert abs(np.bincount(post, weights=w_raw).mean() - WTOT) > 0.2 * WTOT  # far from W_tot at first
    np.testing.assert_allclose(incoming_sums(sim), WTOT, rtol=1e-6)  # applied at build time
    sim.set("InE.rules.0.w_total", 60.0)
    sim.run(0.1)  # one interval
    np.testing.assert_allclose(incoming_sums(sim), 60.0, rtol=1e-6)
    w = sim.weights("InE")
    for j in range(30):
        r = w[post == j] / w_raw[post == j]
        assert r.std() / r.mean() < 1e-12
        assert spearman(w_raw[post == j], w[post == j]) == 1.0
    assert sim.summary()["regions"]["E"]["rate_hz"] > 0


def test_sums_hold_while_stdp_changes_the_weights():
    sim = Simulation(net(stdp=True), seed=2)
    w_prev = sim.weights("InE")
    for _ in range(5):
        sim.run(1.0)  # ends on an interval boundary
        np.testing.assert_allclose(incoming_sums(sim), WTOT, rtol=1e-6)
    w = sim.weights("InE")
    assert spearman(w_prev, w) < 0.99  # STDP did reorder the weights: the constraint is not trivial
    # in the middle of an interval the sum has drifted, then the next boundary restores it
    sim.step(500)
    mid = incoming_sums(sim)
    assert np.abs(mid / WTOT - 1).max() > 1e-4
    sim.step(500)
    np.testing.assert_allclose(incoming_sums(sim), WTOT, rtol=1e-6)


def test_gain_matches_numpy_and_only_changes_at_interval_ends():
    sim = Simulation(net(stdp=True, interval_ms=5.0), seed=3)
    a = sim.net.projections[0].arrays
    for _ in range(20):
        sim.step(49)
        g_before = a.gain.copy()
        if _ > 0:  # between interval ends the gain has not moved
            assert np.array_equal(g_before, g_prev)
        sim.step(1)  # last step of the interval: STDP, then normalization with the weights of that step
        ref = WTOT / np.bincount(a.post, weights=a.W.astype(np.float64), minlength=30)
        np.testing.assert_allclose(a.gain, ref, rtol=1e-9)
        g_prev = a.gain.copy()
    # the recorded contribution: the change of each neuron's summed effective weight at each interval end
    sim2 = Simulation(net(stdp=True, interval_ms=5.0), seed=3)
    a2 = sim2.net.projections[0].arrays
    expected = 0.0
    for _ in range(20):
        sim2.step(49)
        pre = a2.gain.copy()
        sim2.step(1)
        s = np.bincount(a2.post, weights=a2.W.astype(np.float64), minlength=30)
        expected += float(np.sum(WTOT - pre * s))
    assert np.isclose(sim2.net.rules[-1].arrays.glob[0], expected, rtol=1e-9, atol=1e-9)
