"""Synaptic scaling per neuron across all its inputs (a region's ``homeostasis``): one sensor and one
factor per neuron shared by its feedforward and recurrent excitatory projections (Turrigiano 2008),
and, optionally, inhibitory synapses scaled the opposite way (Kilman, van Rossum & Turrigiano 2002)."""
import numpy as np
import pytest

from simcore import Circuit, CircuitError, Settings, Simulation, make_projection, make_region
from simcore.io import from_dict, to_dict
from simcore.model import make_homeostasis

TARGET = 8.0


def two_pathways(rate=10.0, homeostasis=True, inhibitory_exponent=0.0, seed=0, projections=()):
    """Input -> E (feedforward) and E -> E (recurrent), both excitatory, plus I -> E; ~20 Hz unscaled."""
    E = make_region("E", "lif", 60)
    if homeostasis:
        E.homeostasis = make_homeostasis("scaling", list(projections), target_hz=TARGET, beta=0.02,
                                         inhibitory_exponent=inhibitory_exponent)
    return Circuit(
        "two_pathways", settings=Settings(0.1, seed, 1.0),
        regions=[make_region("Input", "poisson", 800, rate_hz=rate), E,
                 make_region("IIn", "poisson", 200, role="inhibitory", rate_hz=10.0)],
        projections=[
            make_projection("FF", "Input", "E", connectivity=("fixed_indegree", {"k": 200}),
                            weights=("lognormal", {"mean": 1.2, "cv": 0.8})),
            make_projection("Rec", "E", "E", connectivity=("fixed_probability", {"p": 0.2}),
                            weights=("lognormal", {"mean": 0.3, "cv": 0.8})),
            make_projection("IE", "IIn", "E", "inhibitory", connectivity=("fixed_indegree", {"k": 20}),
                            weights=("constant", {"value": 0.5}))])


def factors(sim, name, w0):
    """w(t) / w(0) of every synapse of a projection, and the target neuron of each."""
    _, post = sim.connectivity(name)
    return sim.weights(name) / w0, post


def test_one_factor_per_neuron_across_feedforward_and_recurrent_inputs_and_rate_returns_to_target():
    sim = Simulation(two_pathways(), seed=1)
    w0 = {n: sim.weights(n) for n in ("FF", "Rec", "IE")}
    before = sim.run(2.0)["regions"]["E"]["rate_hz"]
    assert before > 1.4 * TARGET  # unscaled, the neurons fire well above the set point
    sim.run(25.0)
    late = sim.run(10.0)["regions"]["E"]["rate_hz"]
    assert abs(late - TARGET) < 0.1 * TARGET, (before, late)
    ff, post_ff = factors(sim, "FF", w0["FF"])
    rec, post_rec = factors(sim, "Rec", w0["Rec"])
    assert ff.mean() < 0.9  # scaled down on the whole, really
    spread = 0.0
    for j in range(60):
        r = np.r_[ff[post_ff == j], rec[post_rec == j]]
        assert len(r) and (post_rec == j).any()
        spread = max(spread, r.max() - r.min())
    assert spread <= 1e-9
    # different neurons keep different factors (one homeostat per neuron, not one per region)
    per_neuron = np.array([ff[post_ff == j][0] for j in range(60)])
    assert per_neuron.std() > 1e-3
    # inhibitory synapses are left alone by default
    assert np.array_equal(sim.weights("IE"), w0["IE"])


def test_inhibitory_scaling_moves_opposite_to_excitatory():
    sim = Simulation(two_pathways(inhibitory_exponent=1.0), seed=1)
    w0 = {n: sim.weights(n) for n in ("FF", "IE")}
    sim.run(10.0)
    ff, post_ff = factors(sim, "FF", w0["FF"])
    ie, post_ie = factors(sim, "IE", w0["IE"])
    g_e = np.array([ff[post_ff == j][0] for j in range(60)])
    assert g_e.mean() < 0.9  # too active on the whole: excitation down ...
    for j in range(60):
        g_i = ie[post_ie == j]
        assert np.allclose(g_i, 1.0 / g_e[j], rtol=1e-9)  # ... and each neuron's inhibition by g^-k, k = 1
        if abs(g_e[j] - 1.0) > 1e-3:
            assert (np.sign(g_i - 1.0) == -np.sign(g_e[j] - 1.0)).all()
    # the contributions the engine records for the two projections have opposite signs
    snap = sim.snapshot()["projections"]
    assert snap["FF"]["contrib"][-1, -1] < 0 < snap["IE"]["contrib"][-1, -1]


def test_listed_projections_only_and_live_switch_off():
    sim = Simulation(two_pathways(projections=["FF"]), seed=1)
    w_rec = sim.weights("Rec")
    sim.run(3.0)
    assert np.array_equal(sim.weights("Rec"), w_rec)  # not a member: untouched
    g = sim.net.projections[0].arrays.gain.copy()
    assert (g < 1).any()
    sim.set("E.homeostasis.enabled", False)
    sim.run(1.0)
    assert np.array_equal(sim.net.projections[0].arrays.gain, g)
    sim.set("E.homeostasis.beta", 0.05)
    assert sim.circuit.region("E").homeostasis.params["beta"] == 0.05


def test_file_round_trip_and_validation_messages():
    doc = to_dict(two_pathways(inhibitory_exponent=0.5, projections=["FF", "IE"]))
    assert to_dict(from_dict(doc)) == doc
    bad = to_dict(two_pathways(projections=["Nope"]))
    with pytest.raises(CircuitError, match=r"regions\[1\]\.homeostasis\.projections\[0\].*no projection named 'Nope'"):
        from_dict(bad)
    bad = to_dict(two_pathways(projections=["IE"]))  # inhibitory, but inhibitory_exponent is 0
    with pytest.raises(CircuitError, match=r"homeostasis\.projections.*does not act on inhibitory"):
        from_dict(bad)
    both = two_pathways()
    both.projections[0].rules = make_projection("x", "Input", "E", rules=[("scaling", {})]).rules
    with pytest.raises(CircuitError, match="one scaling factor"):
        from_dict(to_dict(both))


def test_converting_per_projection_scaling_to_per_neuron_gives_the_same_run():
    """simcore.migrate.per_neuron_scaling: same parameters on every excitatory input = the same model."""
    from simcore.migrate import per_neuron_scaling

    c = two_pathways(homeostasis=False)
    rule = [("scaling", {"target_hz": TARGET, "beta": 0.02})]
    for i in (0, 1):
        p = c.projections[i]
        c.projections[i] = make_projection(p.name, p.source, p.target, connectivity=(p.connectivity.kind,
                                           p.connectivity.params), weights=(p.weights.kind, p.weights.params),
                                           rules=rule)
    doc = to_dict(c)
    new = from_dict(per_neuron_scaling(doc))
    assert new.region("E").homeostasis is not None and not any(p.rules for p in new.projections)
    a, b = Simulation(c, seed=1), Simulation(new, seed=1)
    a.run(3.0)
    b.run(3.0)
    for name in ("FF", "Rec", "IE"):
        assert np.array_equal(a.weights(name), b.weights(name)), name
    # rules that disagree are pathway-specific homeostats: left as they are
    doc["projections"][1]["rules"][0]["params"]["target_hz"] = 3.0
    assert per_neuron_scaling(doc) == doc
