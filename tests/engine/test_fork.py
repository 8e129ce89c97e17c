"""Simulation.fork(): both branches continue exactly (bit for bit) as independent runs from the fork
point would, with or without a change applied to one of them, and neither disturbs the other."""
import numpy as np

from simcore import Circuit, Settings, Simulation, make_projection, make_region
from simcore.model import make_homeostasis


def circuit():
    E = make_region("E", "lif", 60)
    E.homeostasis = make_homeostasis(target_hz=5.0, beta=0.05, tau_a_s=0.5)
    return Circuit(
        "fork", settings=Settings(0.1, 3, 1.0),
        regions=[make_region("Input", "poisson", 300, rate_hz=15.0), E,
                 make_region("I", "lif", 20, role="inhibitory", noise_sd=2.0)],
        projections=[
            make_projection("FF", "Input", "E", connectivity=("fixed_indegree", {"k": 60}),
                            weights=("lognormal", {"mean": 1.0, "cv": 0.8}), rules=[("stdp_pair", {})]),
            make_projection("EI", "E", "I", connectivity=("fixed_probability", {"p": 0.3}),
                            weights=("constant", {"value": 3.0})),
            make_projection("IE", "I", "E", "inhibitory", connectivity=("fixed_probability", {"p": 0.3}),
                            weights=("constant", {"value": 0.5}), rules=[("vogels_sprekeler", {})])])


def state(sim):
    """Everything that must match: weights, gains, region states, recorded rates and raster."""
    out = {f"w:{p}": sim.weights(p) for p in sim.projection_names}
    out.update({f"S:{r.name}": r.arrays.S.copy() for r in sim.net.regions})
    out.update({f"post:{m}": rb.arrays.post.copy() for m, rb in enumerate(sim.net.rules)})
    out["rates"] = sim.rates.values()
    out["raster"] = sim.raster.values()
    return out


def same(a, b):
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def change(sim):
    sim.set("E.homeostasis.enabled", False)
    sim.set("FF.rules.0.enabled", False)


def test_both_branches_equal_independent_runs_from_the_fork_point():
    a = Simulation(circuit())
    a.run(0.6)
    b = a.fork()
    change(b)
    a.run(0.7)
    b.run(0.7)
    ref_a, ref_b = Simulation(circuit()), Simulation(circuit())
    ref_a.run(0.6)
    ref_b.run(0.6)
    change(ref_b)
    ref_a.run(0.7)
    ref_b.run(0.7)
    assert same(state(a), state(ref_a))
    assert same(state(b), state(ref_b))
    assert not np.array_equal(a.weights("FF"), b.weights("FF"))  # the change made a difference
    assert b.t == a.t == ref_a.t


def test_an_unchanged_fork_is_a_twin_and_owns_its_memory():
    a = Simulation(circuit())
    a.run(0.3)
    b = a.fork()
    assert b._plan.arenas.f64 is not a._plan.arenas.f64
    assert not np.shares_memory(b.net.projections[0].arrays.W, a.net.projections[0].arrays.W)
    b.run(0.4)
    a.run(0.4)
    assert same(state(a), state(b))
    b.set("Input.rate_hz", 40.0)  # a change to one leaves the other alone
    b.run(0.2)
    assert a.circuit.region("Input").params["rate_hz"] == 15.0 and a.step_index == 7000
