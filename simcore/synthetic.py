"""Generated circuits for scale tests and benchmarks: chains and random graphs of many regions.

They are what a user can draw but no demo contains: tens to hundreds of regions of several neuron
models and rule kinds, so that a test can check that the engine's cost does not grow with the
drawing (one compiled kernel for every structure of the same kinds).
"""
from __future__ import annotations

import random

from .model import Circuit, make_projection, make_region

RULE_CYCLE = ("stdp_pair", "scaling", "stdp_triplet", None, "vogels_sprekeler", None)


def random_circuit(n_regions: int = 80, n_projections: int = 200, size: int = 20, seed: int = 0) -> Circuit:
    """A random graph: a Poisson source for every fourth region, LIF populations (one in four
    inhibitory), projections between random pairs with a cycle of rule kinds (pair and triplet STDP,
    scaling, inhibitory STDP) and a mix of delays."""
    rng = random.Random(seed)
    c = Circuit(name=f"random_{n_regions}_{n_projections}")
    c.settings.duration_s = 0.5
    for i in range(n_regions):
        if i % 4 == 0:
            c.regions.append(make_region(f"S{i}", "poisson", size, rate_hz=20.0))
        else:
            role = "inhibitory" if i % 4 == 3 else "excitatory"
            c.regions.append(make_region(f"N{i}", "lif", size, role=role, i_bias=8.0))
    targets = [r.name for r in c.regions if r.model == "lif"]
    for j in range(n_projections):
        src = c.regions[rng.randrange(n_regions)]
        tgt = rng.choice(targets)
        syn = "inhibitory" if src.role == "inhibitory" else "excitatory"
        rule = RULE_CYCLE[j % len(RULE_CYCLE)]
        if rule == "vogels_sprekeler" and syn != "inhibitory":
            rule = None
        if rule in ("stdp_pair", "scaling", "stdp_triplet") and syn != "excitatory":
            rule = None
        delay = ("constant", {"value_ms": 0.1}) if j % 3 else ("uniform", {"low_ms": 0.5, "high_ms": 3.0})
        c.projections.append(make_projection(
            f"P{j}", src.name, tgt, syn, connectivity=("fixed_probability", {"p": 0.2}),
            weights=("uniform", {"low": 0.2, "high": 1.0}), delay=delay,
            rules=[(rule, {})] if rule else None))
    return c


def chain_circuit(n_regions: int = 400, size: int = 2) -> Circuit:
    """A feed-forward chain: a Poisson source into ``n_regions - 1`` LIF regions of ``size`` neurons,
    each driving the next one-to-one, every fourth link with pair STDP and a longer delay."""
    c = Circuit(name=f"chain_{n_regions}")
    c.settings.duration_s = 0.5
    c.regions.append(make_region("R0", "poisson", size, rate_hz=50.0))
    for i in range(1, n_regions):
        c.regions.append(make_region(f"R{i}", "lif", size, i_bias=8.0))
    for i in range(1, n_regions):
        rules = [("stdp_pair", {})] if i % 4 == 0 else None
        delay = ("constant", {"value_ms": 2.0 if i % 4 == 0 else 0.1})
        c.projections.append(make_projection(f"R{i - 1}->R{i}", f"R{i - 1}", f"R{i}", connectivity=("one_to_one", {}),
                                             weights=("constant", {"value": 40.0}), delay=delay, rules=rules))
    return c
