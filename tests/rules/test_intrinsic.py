"""Intrinsic plasticity (adaptive threshold): the rate converges to the target from above and below,
weights are untouched, the kernel matches a numpy replay, and non-LIF targets are refused."""
import numpy as np
import pytest

from simcore import Circuit, CircuitError, Settings, Simulation, make_projection, make_region


def net(w_mean, target=6.0, eta=0.2, model="lif", seed=0, **extra):
    return Circuit(
        "ip", settings=Settings(0.1, seed, 1.0),
        regions=[make_region("Input", "poisson", 1000, rate_hz=10.0), make_region("E", model, 50)],
        projections=[make_projection("InE", "Input", "E", connectivity=("fixed_indegree", {"k": 200}),
                                     weights=("lognormal", {"mean": w_mean, "cv": 1.0}),
                                     rules=[("intrinsic", {"target_hz": target, "eta": eta, **extra})])])


@pytest.mark.parametrize("w_mean, start_check", [(1.2, lambda r: r > 3.0 * 6.0), (0.6, lambda r: r < 0.5 * 6.0)])
def test_rate_converges_to_target(w_mean, start_check):
    sim = Simulation(net(w_mean), seed=1)
    sim.set("InE.rules.0.enabled", False)
    start = sim.run(2.0)["regions"]["E"]["rate_hz"]
    assert start_check(start), start  # from above (~25 Hz) / from below (~1 Hz)
    w0 = sim.weights("InE")
    sim.set("InE.rules.0.enabled", True)
    sim.run(20.0)
    s = sim.run(10.0)
    rate = s["regions"]["E"]["rate_hz"]
    assert abs(rate - 6.0) < 0.1 * 6.0, (start, rate)
    theta = sim.net.regions[1].arrays.S[5]
    assert (theta > 1.0).all() if start > 6 else (theta < -1.0).all()
    assert np.array_equal(sim.weights("InE"), w0)
    assert s["projections"]["InE"]["rules"]["0:intrinsic"] == 0.0


def test_kernel_matches_numpy_replay():
    p = {"target_hz": 20.0, "eta": 0.5, "update_ms": 0.5, "theta_min": -3.0, "theta_max": 2.0}
    c = Circuit("tiny", settings=Settings(0.1, 0, 1.0),
                regions=[make_region("Input", "poisson", 40, rate_hz=15.0), make_region("E", "lif", 6)],
                projections=[make_projection("InE", "Input", "E", connectivity=("fixed_indegree", {"k": 20}),
                                             weights=("lognormal", {"mean": 9.0, "cv": 0.5}),
                                             rules=[("intrinsic", p)])])
    sim = Simulation(c, seed=4)
    nsteps = 20000
    sim.step(nsteps // 2)  # strong drive: the threshold climbs to theta_max
    sim.set("Input.rate_hz", 0.0)
    sim.step(nsteps // 2)  # silence: it slides down to theta_min
    r = sim.raster.values()
    spikes = r[r[:, 2] == 1]
    assert len(spikes) > 100
    by_step = {}
    for t, j, _ in spikes:
        by_step.setdefault(int(t), []).append(int(j))
    K = 5
    drift = p["eta"] * p["target_hz"] * K * 1e-4
    theta = np.zeros(6)
    hit_lo = hit_hi = 0
    for t in range(nsteps):
        for j in by_step.get(t, ()):
            theta[j] += p["eta"]
            if theta[j] > p["theta_max"]:
                theta[j] = p["theta_max"]
                hit_hi += 1
        if (t + 1) % K == 0:
            theta -= drift
            hit_lo += int((theta < p["theta_min"]).sum())
            theta = np.maximum(theta, p["theta_min"])
    assert hit_lo > 0 and hit_hi > 0  # both bounds were exercised
    np.testing.assert_allclose(sim.net.regions[1].arrays.S[5], theta, rtol=1e-9, atol=1e-12)


def test_needs_a_lif_target():
    with pytest.raises(CircuitError, match="needs a target region of model lif"):
        Simulation(net(1.0, model="adex"), seed=0)
