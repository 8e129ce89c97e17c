"""Multiplicative (weight-proportional) pair STDP: spike-for-spike reference, scale invariance, positivity."""
import math

import numpy as np
import pytest
from tests.rules.ruleutil import circuit, rel_err, spikes_by_step

from simcore.engine.simulation import Simulation
from simcore.model import make_projection, make_region


def _circuit(p, weights, seed=3, drive=None):
    """30 Poisson inputs -> 6 noisy LIF neurons through the plastic projection P; optionally the LIF
    neurons are driven by a separate static projection (so that P's weights can be negligibly small)."""
    regions = [make_region("In", "poisson", 30, rate_hz=30.0), make_region("Out", "lif", 6, noise_sd=2.0, i_bias=8.0)]
    projs = [make_projection("P", "In", "Out", connectivity=("fixed_probability", {"p": 0.6}), weights=weights,
                             rules=[("stdp_multiplicative", p)])]
    if drive:
        regions.append(make_region("Drive", "poisson", 40, rate_hz=40.0))
        projs.append(make_projection("D", "Drive", "Out", connectivity=("all_to_all", {}),
                                     weights=("constant", {"value": drive})))
    return circuit(regions, projs, seed=seed)


def _replay(W0, pre_of, post, pre_spk, post_spk, p, dt, n_pre, n_post):
    """Slow, literal multiplicative rule on recorded spikes (float32 weights like the kernel)."""
    W = W0.astype(np.float32).copy()
    x, y = np.zeros(n_pre), np.zeros(n_post)
    wmax = p.get("w_max", 0.0)
    for t in range(len(pre_spk)):
        for i in pre_spk[t]:
            x[i] += 1.0
            for q in np.flatnonzero(pre_of == i):
                W[q] = np.float32(float(W[q]) * max(0.0, 1.0 - p["alpha"] * p["lam"] * y[post[q]]))
        for j in post_spk[t]:
            y[j] += 1.0
            for q in np.flatnonzero(post == j):
                w = float(W[q]) * (1.0 + p["lam"] * x[pre_of[q]])
                if wmax > 0.0:
                    w = min(w, max(float(W[q]), wmax))
                W[q] = np.float32(w)
        x *= math.exp(-dt / p["tau_plus"])
        y *= math.exp(-dt / p["tau_minus"])
    return W


@pytest.mark.parametrize("w_max", [0.0, 2.5])
def test_kernel_matches_numpy_reference_spike_for_spike(w_max):
    p = {"lam": 0.05, "alpha": 1.1, "tau_plus": 16.8, "tau_minus": 33.7, "w_max": w_max}
    sim = Simulation(_circuit(p, ("lognormal", {"mean": 1.0, "cv": 1.0})))
    W0 = sim.weights("P").copy()
    nsteps = sim.steps_for(2.0)
    sim.step(nsteps)
    pre_spk, post_spk = spikes_by_step(sim, "In", nsteps), spikes_by_step(sim, "Out", nsteps)
    assert sum(map(len, post_spk)) > 20 and sum(map(len, pre_spk)) > 1000
    pre_of, post = sim.connectivity("P")
    ref = _replay(W0, pre_of, post, pre_spk, post_spk, p, 0.1, 30, 6)
    W = sim.weights("P")
    assert np.abs(W / W0 - 1.0).max() > 0.2  # the rule did something
    assert rel_err(W, ref) < 1e-6
    if w_max:
        assert W.max() <= w_max or np.all(W[W > w_max] <= W0[W > w_max])
    # the recorded contribution is the total weight change
    assert sim.net.rules[0].arrays.glob[0] == pytest.approx(float((W - W0).sum()), rel=1e-4, abs=1e-6)


def test_changes_are_proportional_to_the_weight():
    """Weak and strong synapses move by the same factors: the relative change w_end / w_start has the same
    distribution in the weak and the strong half (an additive rule would move the weak half far more)."""
    p = {"lam": 0.05, "alpha": 1.0}
    sim = Simulation(_circuit(p, ("lognormal", {"mean": 1.0, "cv": 1.0})))
    W0 = sim.weights("P").copy()
    sim.run(3.0)
    logr = np.log(sim.weights("P") / W0)
    weak = W0 < np.median(W0)
    assert logr.std() > 0.05
    assert abs(logr[weak].mean() - logr[~weak].mean()) < 0.5 * logr.std()


def test_scale_invariance_doubling_the_weights_doubles_the_outcome():
    """Same spikes (P's weights are negligible next to the static drive, and the rasters are checked to be
    identical), initial weights x2 -> final weights exactly x2 (the factor 2 commutes with float32 rounding)."""
    p = {"lam": 0.05, "alpha": 1.0}
    out = []
    for scale in (1.0, 2.0):
        sim = Simulation(_circuit(p, ("uniform", {"low": 1e-6, "high": 1e-5}), drive=0.6))
        sim.net.projections[0].arrays.W[:] *= np.float32(scale)
        nsteps = sim.steps_for(2.0)
        sim.step(nsteps)
        out.append((sim.weights("P").copy(), spikes_by_step(sim, "Out", nsteps), spikes_by_step(sim, "In", nsteps)))
    (w1, post1, pre1), (w2, post2, pre2) = out
    assert post1 == post2 and pre1 == pre2 and sum(map(len, post1)) > 50
    assert np.abs(np.log(w1 / 5.5e-6)).max() > 0.1  # plasticity happened
    assert np.array_equal(w2, 2.0 * w1)


def test_weights_never_cross_zero():
    """A huge depression step (alpha lam y > 1 after a post burst) floors the weight at 0, never below;
    ordinary steps only shrink it by a factor."""
    p = {"lam": 0.9, "alpha": 5.0, "tau_minus": 200.0}
    c = _circuit(p, ("lognormal", {"mean": 1.0, "cv": 1.0}))
    c.regions[1].params.update(i_bias=30.0)  # fast post firing: y grows well above 1 / (alpha lam)
    sim = Simulation(c)
    for _ in range(20):
        sim.step(sim.steps_for(0.1))
        assert sim.weights("P").min() >= 0.0
    W = sim.weights("P")
    assert (W == 0.0).any()  # the floor was reached
    assert np.isfinite(W).all()
