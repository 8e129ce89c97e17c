"""BCM with a sliding threshold (Bienenstock, Cooper & Munro 1982): a rate unit seeing two alternating
input patterns becomes selective to one of them, and theta tracks <y^2>. Also on spiking regions."""
import math

import numpy as np
import pytest
from tests.rules.ruleutil import circuit, rel_err, spikes_by_step

from simcore.engine.simulation import Simulation
from simcore.model import make_projection, make_region

RU = 10.0


def _two_patterns(seed, eta=0.3, tau_theta=200.0):
    regs = [make_region("A", "rate", 5, tau=0.1), make_region("B", "rate", 5, tau=0.1),
            make_region("Y", "rate", 1, tau=0.1, max_rate=1e6)]
    projs = [make_projection(f"P{s}", s, "Y", connectivity=("all_to_all", {}),
                             weights=("uniform", {"low": 0.1, "high": 0.3}),
                             rules=[("bcm", {"eta": eta, "tau_theta_ms": tau_theta, "theta_init": 1.0,
                                             "rate_unit_hz": RU})]) for s in "AB"]
    return Simulation(circuit(regs, projs, dt_ms=1.0, seed=seed, raster=False))


@pytest.mark.parametrize("seed", [0, 3])
def test_becomes_selective_and_theta_tracks_mean_squared_rate(seed):
    """Patterns A (inputs 0-4 at 10 Hz) and B (inputs 5-9) alternate at random every 20 ms. BCM theory
    for two orthogonal patterns shown with p = 1/2: the selective state answers the preferred pattern with
    y = 1/p = 2 rate units and the other with 0; theta = <y^2> = 2."""
    sim = _two_patterns(seed)
    rng = np.random.default_rng(100 + seed)
    ys, th, shown = [], [], []
    n = 2000  # 40 s
    for k in range(n):
        a = rng.random() < 0.5
        sim.set("A.bias", RU if a else 0.0)
        sim.set("B.bias", 0.0 if a else RU)
        for _ in range(4):
            sim.step(5)
            if k >= n - 500:  # the last 10 s
                ys.append(sim.net.regions[2].arrays.S[0, 0] / RU)
                shown.append(a)
                th.append(sim.net.rules[0].arrays.post[1, 0])
    ys, shown = np.array(ys), np.array(shown)
    resp = sorted([ys[shown].mean(), ys[~shown].mean()])  # mean responses (rate units) to A and to B
    assert resp[0] < 0.02 * resp[1]            # selective
    assert resp[1] == pytest.approx(2.0, rel=0.25)
    y2, theta = np.mean(np.square(ys)), np.mean(th)
    assert theta == pytest.approx(y2, rel=0.10)
    assert theta == pytest.approx(2.0, rel=0.3)
    # both projections see the same postsynaptic neuron: their thresholds are the same
    assert sim.net.rules[1].arrays.post[1, 0] == sim.net.rules[0].arrays.post[1, 0]


def test_frozen_threshold_silences_instead_of_selecting():
    """Control: the same run with theta frozen (tau_theta 1000 s) at 4, above the initial responses:
    both patterns depress until the neuron is silent; the sliding threshold is what rescues it."""
    sim = _two_patterns(0, tau_theta=1e6)
    rng = np.random.default_rng(100)
    for rs in (sim.net.rules[0].arrays, sim.net.rules[1].arrays):
        rs.post[1, :] = 4.0
    for k in range(500):
        a = rng.random() < 0.5
        sim.set("A.bias", RU if a else 0.0)
        sim.set("B.bias", 0.0 if a else RU)
        sim.step(20)
    assert sim.weights("PA").sum() < 0.05 and sim.weights("PB").sum() < 0.05


def test_spiking_regions_use_filtered_spikes_and_match_reference():
    """Poisson -> LIF: rates are spike traces filtered with filter_tau_ms (trace += 1/tau at each spike,
    decays each step). Replayed in numpy from the recorded spikes."""
    p = {"eta": 2.0, "tau_theta_ms": 300.0, "theta_init": 4.0, "rate_unit_hz": 10.0, "filter_tau_ms": 50.0}
    c = circuit([make_region("In", "poisson", 20, rate_hz=25.0), make_region("Out", "lif", 4, noise_sd=2.0,
                                                                               i_bias=8.0)],
                [make_projection("P", "In", "Out", connectivity=("all_to_all", {}),
                                 weights=("uniform", {"low": 0.5, "high": 1.0}), rules=[("bcm", p)])], seed=2)
    sim = Simulation(c)
    W0 = sim.weights("P").copy()
    nsteps = sim.steps_for(3.0)
    sim.step(nsteps)
    pre_spk, post_spk = spikes_by_step(sim, "In", nsteps), spikes_by_step(sim, "Out", nsteps)
    n_post = sum(map(len, post_spk))
    assert n_post > 50
    pre_of, post = sim.connectivity("P")
    dt = 0.1
    W = W0.astype(np.float32)
    x, y, theta = np.zeros(20), np.zeros(4), np.full(4, 4.0)
    dec, jump, k, kt = math.exp(-dt / 50.0), 1000.0 / 50.0, 2.0 * dt * 1e-3, 1.0 - math.exp(-dt / 300.0)
    for t in range(nsteps):
        x[pre_spk[t]] += jump
        y[post_spk[t]] += jump
        xh, yh = x / 10.0, y / 10.0
        xq, yq = xh[pre_of], yh[post]
        new = np.maximum(0.0, W.astype(np.float64) + k * xq * yq * (yq - theta[post])).astype(np.float32)
        W = np.where(xq != 0.0, new, W)
        theta += kt * (yh * yh - theta)
        x *= dec
        y *= dec
    w = sim.weights("P")
    assert np.abs(w - W0).max() > 0.05
    assert rel_err(w, W) < 1e-6
    rs = sim.net.rules[0].arrays
    assert rel_err(rs.post[1], theta) < 1e-9
    # the filtered trace estimates the rate: mean over neurons ~ 25 Hz
    assert rs.pre[0].mean() == pytest.approx(25.0, rel=0.35)
