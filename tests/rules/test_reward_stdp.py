"""Reward-modulated STDP (Izhikevich 2007): only pairings followed by a delayed reward are learned; a
modulator held at zero changes nothing; a top-down gate (modulator following a region) uses the same path."""
import math

import numpy as np
import pytest
from tests.rules.ruleutil import circuit, rel_err, spikes_by_step

from simcore.engine.simulation import Simulation
from simcore.model import Event, make_projection, make_region
from simcore.params import kinds

kinds("rule")  # register every rule in discovery order first (the schema's order depends on it)
from simcore.rules.reward_stdp import eligibility  # noqa: E402

TRIAL_S = 6.0


def _distal_reward(n_trials, reward=True, eta=0.5):
    """Trial of 6 s: group A (10 inputs) fires at 0.1 s and group B at 3.1 s, each 10 ms before the
    postsynaptic neuron (both pairings causal, same eligibility). A reward pulse follows A's pairing
    0.7 s later; B's pairing is followed by nothing for 3.7 s."""
    regs = [make_region("A", "spike_train", 10, rate_hz=1.0 / TRIAL_S, offset_ms=100.0),
            make_region("B", "spike_train", 10, rate_hz=1.0 / TRIAL_S, offset_ms=3100.0),
            make_region("Post", "spike_train", 1, rate_hz=2.0 / TRIAL_S, offset_ms=110.0),
            make_region("DA", "modulator", 1, role="modulatory", tau_ms=200.0)]
    rule = ("reward_stdp", {"modulator": "DA", "eta": eta, "w_max": 1.0})
    projs = [make_projection(f"P{g}", g, "Post", connectivity=("all_to_all", {}),
                             weights=("constant", {"value": 0.5}), rules=[rule]) for g in "AB"]
    c = circuit(regs, projs, raster=False)
    if reward:
        c.protocol = [Event(0.8 + TRIAL_S * k, "reward", "DA", "", 1.0) for k in range(n_trials)]
    return c


def test_only_rewarded_pairings_grow():
    sim = Simulation(_distal_reward(20))
    sim.run(20 * TRIAL_S)
    wa, wb = sim.weights("PA"), sim.weights("PB")
    assert wa.min() > 0.95          # near w_max = 1
    assert abs(wb.mean() - 0.5) < 0.05   # the unrewarded (equally paired) group stays
    assert wb.mean() < 0.5 + 0.1 * (wa.mean() - 0.5)


def test_modulator_at_zero_changes_nothing_bit_for_bit():
    sim = Simulation(_distal_reward(20, reward=False))
    w0 = {p: sim.weights(p).copy() for p in ("PA", "PB")}
    sim.run(2 * TRIAL_S + 3.3)  # 0.19 s after B's third pairing
    assert np.abs(eligibility(sim.net.rules[1].arrays)).max() > 0.1  # B's pairings did tag its synapses
    for p in ("PA", "PB"):
        assert np.array_equal(sim.weights(p), w0[p])
    assert all(rb.arrays.glob[0] == 0.0 for rb in sim.net.rules)


def test_prefrontal_gate_follows_a_region():
    """M = 0.1 / Hz x rate of a 'PFC' region. Causal pairings (A, pre 10 ms before post) and anti-causal
    ones (C, post 10 ms before pre) at 2 Hz: nothing changes while PFC is silent; once it fires at 20 Hz
    (M ~ 2) A grows and C shrinks."""
    regs = [make_region("A", "spike_train", 5, rate_hz=2.0, offset_ms=100.0),
            make_region("C", "spike_train", 5, rate_hz=2.0, offset_ms=120.0),
            make_region("Post", "spike_train", 1, rate_hz=2.0, offset_ms=110.0),
            make_region("PFC", "poisson", 50, rate_hz=0.0),
            make_region("Gate", "modulator", 1, role="modulatory", follow="PFC", follow_gain=0.1)]
    rule = ("reward_stdp", {"modulator": "Gate", "eta": 0.05})
    projs = [make_projection(f"P{g}", g, "Post", connectivity=("all_to_all", {}),
                             weights=("constant", {"value": 0.5}), rules=[rule]) for g in "AC"]
    sim = Simulation(circuit(regs, projs, raster=False))
    sim.run(5.0)
    assert np.all(sim.weights("PA") == np.float32(0.5)) and np.all(sim.weights("PC") == np.float32(0.5))
    sim.set("PFC.rate_hz", 20.0)
    sim.run(5.0)
    level = sim.summary()["regions"]["Gate"]["level"]
    assert 1.0 < level < 3.0
    assert sim.weights("PA").mean() > 0.6
    assert sim.weights("PC").mean() < 0.4


def test_kernel_matches_numpy_reference_spike_for_spike():
    """Poisson -> LIF with two reward pulses; replayed literally: c decays every step, pairings add to it,
    w += eta dt w_max c M in every step (M computed from the modulator's equations)."""
    p = {"modulator": "DA", "eta": 2.0, "w_max": 2.0, "tau_c": 300.0}
    regs = [make_region("In", "poisson", 20, rate_hz=20.0), make_region("Out", "lif", 4, noise_sd=2.0, i_bias=8.0),
            make_region("DA", "modulator", 1, role="modulatory", tau_ms=100.0)]
    c = circuit(regs, [make_projection("P", "In", "Out", connectivity=("fixed_probability", {"p": 0.7}),
                                       weights=("uniform", {"low": 0.5, "high": 1.5}),
                                       rules=[("reward_stdp", p)])], seed=4)
    rewards = {0.7: 1.0, 1.6: -0.5}
    c.protocol = [Event(t, "reward", "DA", "", a) for t, a in rewards.items()]
    sim = Simulation(c)
    W0 = sim.weights("P").copy()
    nsteps = sim.steps_for(2.5)
    sim.step(nsteps)
    pre_spk, post_spk = spikes_by_step(sim, "In", nsteps), spikes_by_step(sim, "Out", nsteps)
    assert sum(map(len, post_spk)) > 30
    pre_of, post = sim.connectivity("P")
    dt = 0.1
    W = W0.astype(np.float32)
    cc, x, y = np.zeros(len(W)), np.zeros(20), np.zeros(4)
    d20, dc, dda = math.exp(-dt / 20.0), math.exp(-dt / 300.0), math.exp(-dt / 100.0)
    pulse = 0.0
    at = {sim.steps_for(t): a for t, a in rewards.items()}
    for t in range(nsteps):
        pulse = (pulse + at.get(t, 0.0)) * dda
        for i in pre_spk[t]:
            q = pre_of == i
            cc[q] -= 1.5 * y[post[q]]
            x[i] += 1.0
        for j in post_spk[t]:
            q = post == j
            cc[q] += 1.0 * x[pre_of[q]]
            y[j] += 1.0
        if abs(pulse) > 1e-9:
            new = W.astype(np.float64) + 2.0 * dt * 1e-3 * 2.0 * pulse * cc
            W = np.where(cc != 0.0, np.clip(new, 0.0, 2.0).astype(np.float32), W)
        x *= d20
        y *= d20
        cc *= dc
    w = sim.weights("P")
    assert np.abs(w - W0).max() > 0.02
    assert rel_err(w, W) < 1e-6
    assert rel_err(eligibility(sim.net.rules[0].arrays), cc) < 1e-9


def test_eligibility_renormalisation_is_invisible():
    """tau_c = 1 ms makes the global factor cross the renormalisation threshold (1e-30) every 69 ms: the
    eligibility still equals its literal value. Pre j fires at 10 + j and 110 + j ms, post at 12, 112 ms."""
    regs = [make_region("A", "spike_train", 3, rate_hz=10.0, offset_ms=10.0, stagger_ms=1.0),
            make_region("Post", "spike_train", 1, rate_hz=10.0, offset_ms=12.0)]
    sim = Simulation(circuit(regs, [make_projection("P", "A", "Post", connectivity=("all_to_all", {}),
                                                    rules=[("reward_stdp", {"tau_c": 1.0})])], raster=False))
    sim.step(1148)  # now: 2.8 ms after the last post spike
    assert sim.net.rules[0].arrays.glob[1] > 1e-30  # renormalised once (g would be e^-114.8 ~ 1e-50)
    got = eligibility(sim.net.rules[0].arrays)
    j = np.arange(3.0)
    expect = (np.exp(-(2 - j) / 20) + np.exp(-(102 - j) / 20)) * np.exp(-2.8) \
        - 1.5 * np.exp(-(98 + j) / 20) * np.exp(-(4.8 - j))
    assert got == pytest.approx(expect, rel=1e-6)
