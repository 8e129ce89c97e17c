"""Inhibitory STDP (Vogels, Sprekeler et al. 2011) on I -> E of a small conductance-based E/I network:
the excitatory rate converges towards rho0 from above (weak initial inhibition) and from below (strong
initial inhibition), settling a little above rho0 as in the paper's network; kernel vs numpy replay."""
import math

import numpy as np
import pytest
from tests.rules.ruleutil import circuit, rel_err, spikes_by_step

from simcore.engine.simulation import Simulation
from simcore.model import make_projection, make_region

# Measured with this network (120 s runs, rates averaged over 10 s windows): the settled E rate is
# rho0 + 0.85 Hz for rho0 = 5 Hz (5.85 Hz from both sides) and rho0 + 0.7 Hz for rho0 = 3 Hz. The rule's
# fixed point is exactly rho0 only for uncorrelated pre/post spikes; each inhibitory spike makes an
# excitatory spike less likely right after it, so the E rate sits above rho0, as in the paper's network
# (~1 Hz above; Brian2 reference run in plasticity.md).
OFFSET_HZ = 0.8

LIF = dict(tau_m=20.0, e_l=-60.0, v_th=-50.0, v_reset=-60.0, t_ref=5.0, tau_e=5.0, tau_i=10.0,
           synapses="conductance", e_e=0.0, e_i=-80.0)


def ei_network(w_ie0, rho0, eta=0.05, seed=0):
    """400 E / 100 I conductance LIF (g_L = 10 nS, C = 200 pF: weights in units of g_L). Each neuron has
    its own Poisson drive (one-to-one, so no shared input); E->E and E->I p = 0.2, 0.2 nS; I->I p = 0.2,
    6 nS; I->E p = 0.2, starting at w_ie0 and plastic."""
    regs = [make_region("XE", "poisson", 400, rate_hz=800.0), make_region("XI", "poisson", 100, rate_hz=400.0),
            make_region("E", "lif", 400, **LIF), make_region("I", "lif", 100, role="inhibitory", **LIF)]

    def proj(name, s, t, w, syn="excitatory", conn=("fixed_probability", {"p": 0.2}), rules=None):
        return make_projection(name, s, t, syn, connectivity=conn, weights=("constant", {"value": w}),
                               delay=("constant", {"value_ms": 0.1}), rules=rules)

    projs = [proj("XE->E", "XE", "E", 0.06, conn=("one_to_one", {})),
             proj("XI->I", "XI", "I", 0.2, conn=("one_to_one", {})),
             proj("EE", "E", "E", 0.02), proj("EI", "E", "I", 0.02), proj("II", "I", "I", 0.6, "inhibitory"),
             proj("IE", "I", "E", w_ie0, "inhibitory",
                  rules=[("vogels_sprekeler", {"eta": eta, "rho0_hz": rho0, "w_max": 10.0})])]
    return circuit(regs, projs, seed=seed, raster=False)


@pytest.mark.parametrize("w_ie0, rho0, side", [(0.0, 5.0, "above"), (1.0, 5.0, "below"), (0.0, 3.0, "above")])
def test_excitatory_rate_converges_to_rho0(w_ie0, rho0, side):
    sim = Simulation(ei_network(w_ie0, rho0))
    sim.set("IE.rules.0.enabled", False)  # the rate with the initial inhibition, for 1 s
    start = sim.run(1.0)["regions"]["E"]["rate_hz"]
    sim.set("IE.rules.0.enabled", True)
    if side == "above":
        assert start > rho0 + 10.0
    else:
        assert start < rho0 - 2.0
    sim.run(19.0)
    final = sim.run(10.0)["regions"]["E"]["rate_hz"]  # 20-30 s
    assert abs(final - (rho0 + OFFSET_HZ)) < 1.0, final
    assert final > rho0 - 0.5
    w = sim.weights("IE")
    assert w.min() >= 0.0 and w.max() <= 10.0


def test_kernel_matches_numpy_reference_spike_for_spike():
    p = {"eta": 0.01, "rho0_hz": 5.0, "tau_ms": 20.0, "w_max": 0.5}
    regs = [make_region("I", "poisson", 20, role="inhibitory", rate_hz=30.0),
            make_region("E", "lif", 5, noise_sd=3.0, i_bias=12.0)]
    c = circuit(regs, [make_projection("P", "I", "E", "inhibitory", connectivity=("fixed_probability", {"p": 0.6}),
                                       weights=("uniform", {"low": 0.0, "high": 0.4}),
                                       rules=[("vogels_sprekeler", p)])], seed=5)
    sim = Simulation(c)
    W0 = sim.weights("P").copy()
    nsteps = sim.steps_for(2.0)
    sim.step(nsteps)
    pre_spk, post_spk = spikes_by_step(sim, "I", nsteps), spikes_by_step(sim, "E", nsteps)
    assert sum(map(len, post_spk)) > 50
    pre_of, post = sim.connectivity("P")
    W = W0.astype(np.float32)
    x, y = np.zeros(20), np.zeros(5)
    d = math.exp(-0.1 / 20.0)
    alpha = 2 * 5.0 * 20.0 / 1000.0
    for t in range(nsteps):
        for i in pre_spk[t]:
            q = pre_of == i
            W[q] = np.clip(W[q].astype(np.float64) + 0.01 * (y[post[q]] - alpha), 0.0, 0.5).astype(np.float32)
            x[i] += 1.0
        for j in post_spk[t]:
            q = post == j
            W[q] = np.clip(W[q].astype(np.float64) + 0.01 * x[pre_of[q]], 0.0, 0.5).astype(np.float32)
            y[j] += 1.0
        x *= d
        y *= d
    w = sim.weights("P")
    assert np.abs(w - W0).max() > 0.02
    assert rel_err(w, W) < 1e-6
    assert sim.net.rules[0].arrays.glob[0] == pytest.approx(float((w - W0).sum()), rel=1e-4, abs=1e-6)
