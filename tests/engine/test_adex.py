"""The AdEx neuron's adaptation current step by step: the jump at a spike is b, never the overshoot.

The step that crosses v_peak ends far above it (the exponential term diverges). The model's V stops
at v_peak, so w must step from the potential at the start of the step (forward Euler, like v) and then
jump by b. Taking in the overshoot made w jump by up to 29,000 pA at the spikes whose crossing step
started high on the upswing (5 instead of 16 Hz over 2 s at 800 pA); the f-I curve against Brian2 and NEST is in tests/test_adex_fi_brian2.py and
tests/nest/test_adex_fi.py.
"""
import numpy as np
import pytest

from simcore import Circuit, complete, kind, make_region
from simcore.engine import Simulation

ROWS = kind("neuron", "adex").impl.vars
V, W = ROWS.index("v"), ROWS.index("w")


@pytest.fixture
def one_step_chunks(monkeypatch):
    """One neuron stepped one step at a time: a chunk of one step with its spike reads as 10 kHz, which the
    blow-up check would take for runaway excitation."""
    import simcore.engine.health as health

    monkeypatch.setattr(health, "RATE_CEILING_HZ", float("inf"))


def _trace(t_ref: float, steps: int):
    """(v, w) before and after every step of one neuron at 800 pA, and whether the step spiked."""
    c = Circuit("a", regions=[make_region("N", "adex", 1, i_bias=800.0, t_ref=t_ref)])
    sim = Simulation(c, seed=0)
    S = sim.net.regions[0].arrays.S
    rows = []
    for _ in range(steps):
        v0, w0, n0 = S[V, 0], S[W, 0], len(sim.raster.values())
        sim.step(1)
        rows.append((v0, w0, S[V, 0], S[W, 0], len(sim.raster.values()) > n0))
    return np.array(rows), complete("neuron", "adex", {"t_ref": t_ref}), sim.dt


@pytest.mark.parametrize("t_ref", [0.0, 2.0])
def test_w_jumps_by_b_at_each_spike_and_follows_the_start_of_step_potential(t_ref, one_step_chunks):
    tr, p, dt = _trace(t_ref, 2500)  # 250 ms: 6 spikes, the first ones before adaptation builds up
    v0, w0, v1, w1, spiked = tr.T
    spiked = spiked.astype(bool)
    euler = w0 + dt * (p["a"] * (v0 - p["e_l"]) - w0) / p["tau_w"]  # the continuous part of one step
    assert spiked.sum() >= 5
    assert np.all(v0 <= p["v_peak"])  # every step starts at or below the cut-off
    jump = w1[spiked] - w0[spiked]
    # w just after a spike = w before + b, up to the one-step drift of w (|a (v - e_l) - w| dt / tau_w < 0.3 pA)
    np.testing.assert_allclose(jump, p["b"], atol=0.3)
    np.testing.assert_allclose(w1[spiked], euler[spiked] + p["b"], rtol=1e-12)
    np.testing.assert_allclose(w1[~spiked], euler[~spiked], rtol=1e-12)
    assert np.all(v1[spiked] == p["v_reset"])
    assert np.all(np.diff(w1[spiked]) > 0)  # adaptation builds up over the first spikes


def test_w_during_refractoriness_relaxes_with_v_held_at_reset(one_step_chunks):
    tr, p, dt = _trace(2.0, 400)
    v0, w0, v1, w1, spiked = tr.T
    first = int(np.flatnonzero(spiked)[0])
    held = slice(first + 1, first + 1 + round(2.0 / dt))
    assert np.all(v1[held] == p["v_reset"]) and np.all(v0[held] == p["v_reset"])
    np.testing.assert_allclose(w1[held], w0[held] + dt * (p["a"] * (p["v_reset"] - p["e_l"]) - w0[held]) / p["tau_w"],
                               rtol=1e-12)
