"""NEST against our engine on the same circuits (the figures of the NEST backend's claims)."""
import copy

import numpy as np
import pytest

from simcore import Rule, load
from simcore.backends.nest import NestSimulation
from simcore.engine import Simulation

from ..paths import ROOT

pytestmark = pytest.mark.peer


def _both(circuit, duration, seed, **kw):
    ours = Simulation(circuit, seed=seed).run(duration)
    theirs = NestSimulation(circuit, seed=seed, **kw).run(duration)
    return ours, theirs


def test_a_regularly_firing_lif_has_the_same_rate_in_nest_bias_and_refractoriness_convert():
    """Deterministic: i_bias (mV) -> I_e (pA) and the exact integration give the same spike count."""
    c = load(ROOT / "circuits/vogels_abbott_cuba.json")
    c.projections = []
    for r in c.regions:
        r.size = 20
        r.params.update(e_l=-60.0, i_bias=12.0, v_init_low=-60.0, v_init_high=-60.0)
    ours, theirs = _both(c, 1.0, 0)
    assert ours["regions"]["E"]["rate_hz"] > 20
    assert abs(theirs["regions"]["E"]["rate_hz"] - ours["regions"]["E"]["rate_hz"]) <= 1.0  # at most 1 spike


@pytest.mark.slow
def test_cuba_e_and_i_rates_agree_within_10_percent_over_5_seeds():
    c = load(ROOT / "circuits/vogels_abbott_cuba.json")
    rates = {"ours": [], "nest": []}
    for seed in range(5):
        ours, theirs = _both(c, 1.0, seed, threads=1)
        rates["ours"].append([ours["regions"][r]["rate_hz"] for r in ("E", "I")])
        rates["nest"].append([theirs["regions"][r]["rate_hz"] for r in ("E", "I")])
    ours, theirs = np.mean(rates["ours"], axis=0), np.mean(rates["nest"], axis=0)
    print(f"CUBA E, I rates over 5 seeds: ours {ours}, NEST {theirs}")
    assert 4.0 < ours[0] < 7.5
    assert np.all(np.abs(theirs / ours - 1) < 0.10), (ours, theirs)


@pytest.mark.slow
def test_cuba_with_pair_stdp_on_e_to_e_ends_with_the_same_weight_mean_and_spread():
    """Soft-bounded pair STDP (mu = 1, lambda 0.01, alpha 1.05, Wmax = 2 we) as stdp_synapse."""
    c = load(ROOT / "circuits/vogels_abbott_cuba.json")
    ee = c.projection("E->E")
    we = ee.weights.params["value"]
    ee.rules = [Rule("stdp_pair", {"tau_plus": 20.0, "tau_minus": 20.0, "lam": 0.01, "alpha": 1.05,
                                   "mu_plus": 1.0, "mu_minus": 1.0, "w_max": 2 * we, "pairing": "all_to_all"})]
    ours, theirs = _both(c, 2.0, 0, threads=1)
    a, b = ours["projections"]["E->E"], theirs["projections"]["E->E"]
    sd_a, sd_b = a["w_mean"] * a["w_cv"], b["w_mean"] * b["w_cv"]
    print(f"CUBA+STDP E->E: mean ours {a['w_mean']:.5f} NEST {b['w_mean']:.5f}; sd ours {sd_a:.5f} NEST {sd_b:.5f}")
    assert sd_a > 0.002 * we  # the weights did spread out
    assert abs(b["w_mean"] / a["w_mean"] - 1) < 0.01, (a["w_mean"], b["w_mean"])
    assert abs(sd_b / sd_a - 1) < 0.20, (sd_a, sd_b)


@pytest.mark.slow
def test_inhibitory_balance_e_rate_settles_within_1_hz_of_ours():
    c = load(ROOT / "circuits/demos/inhibitory_balance.json")
    c.protocol = [e for e in c.protocol if e.time_s < 10]  # iSTDP on at 2 s; no drive step
    sims = [Simulation(c, seed=1), NestSimulation(c, seed=1)]
    settled = []
    for sim in sims:
        sim.run(10.0)
        r = sim.rates.values()
        sel = r[:, 0] > 7.0
        settled.append(r[sel, 1 + sim.region_names.index("E")].mean())
    print(f"inhibitory_balance E rate 7-10 s: ours {settled[0]:.2f} Hz, NEST {settled[1]:.2f} Hz")
    assert settled[0] < 8.0  # ours settled near rho0 + ~1 Hz (from ~100 Hz)
    assert abs(settled[1] - settled[0]) < 1.0, settled


@pytest.mark.slow
def test_scaling_brings_the_rate_back_and_keeps_every_neurons_weight_ratios():
    """The scaling demo, quicker: input halved at 2 s, faster scaling (beta 0.1)."""
    c = load(ROOT / "circuits/demos/scaling_preserves_relative_weights.json")
    c.protocol[0].time_s = 2.0
    rule = c.projection("Input->Neurons").rules[0]
    rule.params.update(beta=0.1, tau_a_s=0.5)
    sim = NestSimulation(c)
    s = sim.run(10.0)
    r = sim.rates.values()
    late = r[r[:, 0] > 7.0, 2].mean()
    assert abs(late / rule.params["target_hz"] - 1) < 0.10, late
    p = s["projections"]["Input->Neurons"]
    print(f"scaling: late rate {late:.2f} Hz (target {rule.params['target_hz']}), scale factor "
          f"{p['scale_factor']:.3f}, ratio spread {p['ratio_spread']:.2e}")
    assert p["scale_factor"] > 1.3  # the weights did grow
    assert p["ratio_spread"] <= 1e-6
