"""Triplet STDP (Pfister & Gerstner 2006): pairing-frequency dependence and a spike-for-spike reference."""
import math

import numpy as np
import pytest
from tests.rules.ruleutil import circuit, pairing_circuit, rel_err, spikes_by_step

from simcore.engine.simulation import Simulation
from simcore.model import make_projection, make_region
from simcore.params import kind


def _pairing(freq, delta, n=60):
    sim = Simulation(pairing_circuit(freq, delta, n, "stdp_triplet", {"w_max": 1.0}, w0=0.5))
    sim.run(n / freq + 0.5)
    return float(sim.weights("P")[0]) - 0.5


def test_defaults_are_the_visual_cortex_all_to_all_fit():
    d = kind("rule", "stdp_triplet").defaults()
    assert (d["tau_plus"], d["tau_x"], d["tau_minus"], d["tau_y"]) == (16.8, 101.0, 33.7, 125.0)
    assert (d["a2_plus"], d["a3_plus"], d["a2_minus"], d["a3_minus"]) == (5e-10, 6.2e-3, 7e-3, 2.3e-4)


def test_pairing_frequency_dependence_sjostrom():
    """60 pairings (Sjoestroem et al. 2001, Pfister & Gerstner 2006 fig. 6): at 1 Hz pre-before-post
    (+10 ms) does (almost) nothing and post-before-pre (-10 ms) depresses; at 40-50 Hz both potentiate."""
    low_plus, low_minus = _pairing(1.0, +10.0), _pairing(1.0, -10.0)
    high_plus, high_minus = _pairing(40.0, +10.0), _pairing(50.0, -10.0)
    # -10 ms at 1 Hz: 60 pair-depressions of A2- exp(-10/33.7) (plus a negligible triplet part)
    expect = -60 * 7e-3 * math.exp(-10 / 33.7)
    assert low_minus == pytest.approx(expect, rel=0.02)
    assert abs(low_plus) < 0.01 * abs(low_minus)
    assert high_plus > 0.3  # saturates towards w_max = 1 from 0.5
    assert high_minus > 0.1
    # intermediate frequency: +10 ms potentiation grows with frequency
    assert 0.0 < _pairing(10.0, +10.0) < _pairing(20.0, +10.0) < high_plus


def _replay(W0, pre_of, post, pre_spk, post_spk, p, dt, n_pre, n_post):
    """Slow, literal Pfister-Gerstner all-to-all triplet rule on recorded spikes."""
    W = W0.astype(np.float32).copy()
    r1, r2, o1, o2 = np.zeros(n_pre), np.zeros(n_pre), np.zeros(n_post), np.zeros(n_post)
    wmax = p["w_max"]
    for t in range(len(pre_spk)):
        for i in pre_spk[t]:
            for q in np.flatnonzero(pre_of == i):
                w = float(W[q]) - wmax * o1[post[q]] * (p["a2_minus"] + p["a3_minus"] * r2[i])
                W[q] = np.float32(min(wmax, max(0.0, w)))
            r1[i] += 1.0
            r2[i] += 1.0
        for j in post_spk[t]:
            for q in np.flatnonzero(post == j):
                w = float(W[q]) + wmax * r1[pre_of[q]] * (p["a2_plus"] + p["a3_plus"] * o2[j])
                W[q] = np.float32(min(wmax, max(0.0, w)))
            o1[j] += 1.0
            o2[j] += 1.0
        r1 *= math.exp(-dt / p["tau_plus"])
        r2 *= math.exp(-dt / p["tau_x"])
        o1 *= math.exp(-dt / p["tau_minus"])
        o2 *= math.exp(-dt / p["tau_y"])
    return W


def test_kernel_matches_numpy_reference_spike_for_spike():
    p = dict(kind("rule", "stdp_triplet").defaults(), a2_plus=5e-3, a3_plus=6.2e-3, w_max=2.0)
    c = circuit([make_region("In", "poisson", 30, rate_hz=30.0), make_region("Out", "lif", 6, noise_sd=2.0, i_bias=8.0)],
                [make_projection("P", "In", "Out", connectivity=("fixed_probability", {"p": 0.6}),
                                 weights=("uniform", {"low": 0.5, "high": 1.5}), rules=[("stdp_triplet", p)])],
                seed=3)
    sim = Simulation(c)
    W0 = sim.weights("P").copy()
    nsteps = sim.steps_for(2.0)
    sim.step(nsteps)
    pre_spk, post_spk = spikes_by_step(sim, "In", nsteps), spikes_by_step(sim, "Out", nsteps)
    assert sum(map(len, post_spk)) > 20 and sum(map(len, pre_spk)) > 1000
    pre_of, post = sim.connectivity("P")
    ref = _replay(W0, pre_of, post, pre_spk, post_spk, p, 0.1, 30, 6)
    W = sim.weights("P")
    assert np.abs(W - W0).max() > 0.05  # the rule did something
    assert rel_err(W, ref) < 1e-6
    # the recorded contribution is the total weight change
    assert sim.net.rules[0].arrays.glob[0] == pytest.approx(float((W - W0).sum()), rel=1e-4, abs=1e-6)
