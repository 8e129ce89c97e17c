"""Create the NEST network of a :class:`~.mapping.Plan`: nodes, recorders, synapse models, connections.

The same steps, as text, are what ``export`` writes into a script; keep the two in step.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from .mapping import ConnSpec, Plan


def import_nest():
    """Import NEST quietly (no banner); only this backend ever imports it."""
    os.environ.setdefault("PYNEST_QUIET", "1")
    import nest  # noqa: PLC0415

    try:
        nest.verbosity = nest.VerbosityLevel.ERROR
    except AttributeError:  # older PyNEST
        nest.set_verbosity("M_ERROR")
    return nest


def synapse_name(k: int, cs: ConnSpec) -> str:
    """One synapse model copy per projection, so GetConnections finds exactly its synapses."""
    return f"p{k}_{re.sub(r'[^A-Za-z0-9]+', '_', cs.projection).strip('_')}_{cs.synapse_model}"


def distribution(nest, d):
    """A plan's distribution tuple as a NEST value or parameter object."""
    kind = d[0]
    if kind == "constant":
        return float(d[1])
    if kind == "uniform":
        lo, hi = sorted((float(d[1]), float(d[2])))
        return lo if lo == hi else nest.random.uniform(lo, hi)
    if kind == "clipped_normal":
        _, mean, sd, lo, hi = d
        if sd == 0:
            return float(min(max(mean, lo), hi))
        return nest.math.max(nest.math.min(nest.random.normal(float(mean), float(sd)), float(hi)), float(lo))
    if kind == "lognormal":
        _, mu, sigma, scale = d
        return nest.random.lognormal(float(mu), float(sigma)) * float(scale)
    if kind == "min_dt":
        inner = distribution(nest, d[1])
        return max(inner, d[2]) if isinstance(inner, float) else nest.math.max(inner, float(d[2]))
    raise ValueError(kind)


@dataclass
class Built:
    pops: dict = field(default_factory=dict)  # region -> NodeCollection (neurons or parrots or vt)
    generators: dict = field(default_factory=dict)  # region -> generator NodeCollection
    recorders: dict = field(default_factory=dict)  # region -> spike_recorder
    reward_gens: dict = field(default_factory=dict)  # modulator region -> spike_generator
    follow_conns: dict = field(default_factory=dict)  # modulator region -> SynapseCollection or None
    conns: dict = field(default_factory=dict)  # projection -> SynapseCollection
    models: dict = field(default_factory=dict)  # projection -> synapse model copy name


def build(nest, plan: Plan, threads: int = 1) -> Built:
    """A fresh kernel holding the plan's network (``nest.ResetKernel`` first: one network per process)."""
    nest.ResetKernel()
    nest.set(resolution=plan.dt, rng_seed=plan.seed + 1, local_num_threads=int(threads), print_time=False)
    b = Built()
    for node in plan.nodes:
        if node.model == "volume_transmitter":
            vt = nest.Create("volume_transmitter")
            gen = nest.Create("spike_generator")
            parrot = nest.Create("parrot_neuron")
            nest.Connect(gen, parrot)
            nest.Connect(parrot, vt)
            b.pops[node.region], b.reward_gens[node.region] = vt, gen
            continue
        pop = nest.Create(node.model, node.n, params=node.params or None)
        for key, d in node.init.items():
            pop.set({key: distribution(nest, d)})
        if node.source == "poisson_generator":
            gen = nest.Create("poisson_generator", params=node.source_params)
            nest.Connect(gen, pop)  # all_to_all: every parrot gets its own independent train
            b.generators[node.region] = gen
        elif node.source == "spike_generator":
            gen = nest.Create("spike_generator", node.n)
            nest.Connect(gen, pop, "one_to_one")
            b.generators[node.region] = gen
        rec = nest.Create("spike_recorder")
        nest.Connect(pop, rec)
        b.pops[node.region], b.recorders[node.region] = pop, rec
    for k, cs in enumerate(plan.conns):
        name = synapse_name(k, cs)
        common = {}
        if cs.synapse_model == "stdp_dopamine_synapse":
            common = {**cs.syn_params, "volume_transmitter": b.pops[cs.volume_transmitter]}
            if not cs.rule_enabled:
                common.update(A_plus=0.0, A_minus=0.0)
        nest.CopyModel(cs.synapse_model, name, common)
        b.models[cs.projection] = name
        pre, post = b.pops[cs.source], b.pops[cs.target]
        if cs.conn["rule"] == "one_to_one":
            n = min(len(pre), len(post))
            pre, post = pre[:n], post[:n]
        syn = {"synapse_model": name, "weight": distribution(nest, cs.weight), "delay": distribution(nest, cs.delay)}
        if not common:
            syn.update(cs.syn_params)
            if cs.rule and not cs.rule_enabled:
                syn.update(cs.off)
        nest.Connect(pre, post, dict(cs.conn), syn)
        b.conns[cs.projection] = nest.GetConnections(synapse_model=name)
    for region, m in plan.modulators.items():
        b.follow_conns[region] = None
        if m["follow"] and m["gate"]:
            b.follow_conns[region] = connect_follow(nest, b, region, m["follow"])
    return b


def connect_follow(nest, b: Built, modulator: str, follow: str):
    """The followed region's spikes become dopamine spikes of the modulator's volume transmitter."""
    name = f"follow_{re.sub(r'[^A-Za-z0-9]+', '_', modulator)}"
    if name not in nest.synapse_models:
        nest.CopyModel("static_synapse", name)
    nest.Connect(b.pops[follow], b.pops[modulator], "all_to_all", {"synapse_model": name})
    return nest.GetConnections(synapse_model=name)
