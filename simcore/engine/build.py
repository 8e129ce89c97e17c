"""Circuit -> arrays. Never mutates the circuit; the same seed gives the same arrays."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import CircuitError
from ..model import Circuit
from ..params import Kind, kind
from ..validate import check_document, homeostat_members
from .impl import RegionArrays, RuleArrays, SynArrays
from .stats import counting_order, row_pointers, sort_by_source

STATE_DTYPE = np.float64
CHANNEL = {"excitatory": 0, "inhibitory": 1, "shunting": 2}


@dataclass
class RegionBuild:
    name: str
    kind: Kind
    n: int
    arrays: RegionArrays
    follow: int = -1  # index of the region a modulator follows


@dataclass
class ProjectionBuild:
    name: str
    source: int
    target: int
    channel: int  # -1: modulatory (drawn, not propagated)
    arrays: SynArrays
    const_delay: int  # delay in steps when every synapse has the same one, else -1
    direct_row: int = -1  # >= 0: deliver straight into this state row of the target (one-step delays)
    w0: np.ndarray = field(repr=False, default=None)  # effective weights at build time


@dataclass
class RuleBuild:
    projection: int
    index: int  # position in the projection's rule list
    kind: Kind
    arrays: RuleArrays
    modulator: int = -1
    follows: int = -1  # index (in Network.rules) of the rule instance whose post state this one reads as M


@dataclass
class Network:
    dt: float
    regions: list[RegionBuild]
    projections: list[ProjectionBuild]
    rules: list[RuleBuild]

    def region_index(self, name: str) -> int:
        return next(i for i, r in enumerate(self.regions) if r.name == name)


def _csr_order(pre: np.ndarray, post: np.ndarray, n_pre: int, n_post: int):
    """Synapses sorted by (pre, post), and the target-major view of them: ``(pre, post, in_syn,
    in_pre)``, ``in_syn`` the synapses in (post, pre) order, ``in_pre`` their sources.

    Linear in the synapses: kept as they are when the builder made them so, else stable counting
    sorts. Synapses drawn target by target (fixed in-degree) come in (post, pre) order already: one
    sort by source, and the target-major view is that sort's inverse, with the sources as drawn."""
    n = len(pre)
    if n >= 2:
        dpost = np.diff(post)
        if (dpost >= 0).all() and (np.diff(pre)[dpost == 0] >= 0).all():  # (post, pre) order
            pre_s, post_s, in_syn = sort_by_source(pre, post, n_pre)
            return pre_s, post_s, in_syn, pre
        d = np.diff(pre)
        if not ((d >= 0).all() and (np.diff(post)[d == 0] > 0).all()):
            o, _ = counting_order(post, n_post)
            pre, post = pre[o], post[o]
            o, _ = counting_order(pre, n_pre)
            pre, post = pre[o], post[o]
    in_syn, _ = counting_order(post, n_post)
    return pre, post, in_syn, pre[in_syn]


def _rng(seed: int, *key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def build(circuit: Circuit, seed: int | None = None) -> Network:
    """Allocate and initialise every array of a circuit (checked again, so a circuit built in
    Python is held to the same rules as a file)."""
    from ..io import to_dict

    check_document(to_dict(circuit))
    seed = circuit.settings.seed if seed is None else seed
    dt = circuit.settings.dt_ms
    index = {r.name: i for i, r in enumerate(circuit.regions)}

    # delays first: each target's input ring buffer must hold the longest incoming delay
    wiring = []
    max_delay = [1] * len(circuit.regions)
    channels = [2] * len(circuit.regions)
    for k, p in enumerate(circuit.projections):
        src, tgt = circuit.region(p.source), circuit.region(p.target)
        rng = _rng(seed, 1, k)
        conn = kind("connectivity", p.connectivity.kind)
        pre, post = conn.info["build"](src.size, tgt.size, p.connectivity.params, rng, p.source == p.target)
        pre, post, in_syn, in_pre = _csr_order(pre.astype(np.int32), post.astype(np.int32), src.size, tgt.size)
        n = len(pre)
        w = kind("weights", p.weights.kind).info["build"](n, p.weights.params, rng).astype(np.float32)
        d = kind("delay", p.delay.kind).info["build"](n, p.delay.params, rng)
        d = np.maximum(1, np.rint(d / dt)).astype(np.int32)  # a delay shorter than dt acts as one step
        if n:
            max_delay[index[p.target]] = max(max_delay[index[p.target]], int(d.max()))
        if p.synapse == "shunting":
            channels[index[p.target]] = 3
        wiring.append((pre, post, w, d, in_syn, in_pre))

    # a target whose inputs all take one step can take them straight into its state (no ring buffer)
    # (so does a region that nothing projects onto: a one-slot buffer that stays empty)
    fed = {index[p.target] for p in circuit.projections if CHANNEL.get(p.synapse, -1) >= 0}
    direct = [(kind("neuron", r.model).impl.direct_rows is not None and max_delay[k] == 1) or k not in fed
              for k, r in enumerate(circuit.regions)]
    written = written_rows(circuit)
    regions = []
    for k, r in enumerate(circuit.regions):
        kd = kind("neuron", r.model)
        impl = kd.impl
        rng = _rng(seed, 0, k)
        S = impl.extra_rows(r.params, r.size, dt, rng) if impl.extra_rows else impl.init(r.params, r.size, rng)
        slots = 1 if direct[k] else max_delay[k] + 1
        arrays = RegionArrays(
            S=np.ascontiguousarray(S, dtype=STATE_DTYPE), P=region_params(impl, r.params, dt, written[r.name]),
            inp=np.zeros((channels[k], slots, r.size)), spk=np.zeros(2 * r.size, np.int32),  # see kernel.run_chunk, step 1
            rng=np.random.SeedSequence(seed, spawn_key=(2, k)).generate_state(1, dtype=np.uint64),
            flags=np.zeros(4, np.int64))
        follow = r.params.get("follow", "")
        regions.append(RegionBuild(r.name, kd, r.size, arrays, index[follow] if follow else -1))

    # region homeostats: projection index -> (homeostasis, exponent); the first member leads
    members: dict[int, tuple] = {}
    for r in circuit.regions:
        h = r.homeostasis
        if h is not None:
            incoming = [(p.name, p.synapse) for p in circuit.projections if p.target == r.name]
            pindex = {p.name: k for k, p in enumerate(circuit.projections)}
            for name, e in homeostat_members(h.kind, h.params, h.projections, incoming):
                members[pindex[name]] = (h, e)
    leader_of: dict[int, int] = {}  # id(homeostasis) -> index of its leading rule instance

    projections, rules = [], []
    for k, (p, (pre, post, w, d, in_syn, in_pre)) in enumerate(zip(circuit.projections, wiring)):
        s, t = index[p.source], index[p.target]
        n_src, n_tgt = regions[s].n, regions[t].n
        indptr = row_pointers(pre, n_src)
        in_indptr = np.zeros(n_tgt + 1, np.int32)
        np.cumsum(np.bincount(post, minlength=n_tgt), out=in_indptr[1:])
        # in_pre: the source of each synapse in target-major (in_syn) order, so that postsynaptic
        # hooks read it in sequence instead of through in_syn
        arrays = SynArrays(W=w, post=post, indptr=indptr, in_indptr=in_indptr, in_syn=in_syn, in_pre=in_pre,
                           delay=d, gain=np.ones(n_tgt))
        const = int(d[0]) if len(d) and (d == d[0]).all() else (1 if not len(d) else -1)
        ch = CHANNEL.get(p.synapse, -1)
        row = regions[t].kind.impl.direct_rows[ch] if direct[t] and ch >= 0 else -1
        projections.append(ProjectionBuild(p.name, s, t, ch, arrays, const, row, w0=w.astype(np.float64)))
        for j, rule in enumerate(p.rules):
            rk = kind("rule", rule.kind)
            impl = rk.impl
            if impl is None:
                raise CircuitError(f"$.projections[{k}].rules[{j}].kind", f"{rk.label} has no engine implementation")
            mod = -1
            if impl.modulator_param and rule.params.get(impl.modulator_param):
                mod = index[rule.params[impl.modulator_param]]
            ra = RuleArrays(
                P=impl.prepare(rule.params, dt),
                pre=np.zeros((len(impl.pre_vars), n_src)), post=np.zeros((len(impl.post_vars), n_tgt)),
                syn=np.zeros((len(impl.syn_vars), len(w))), glob=np.zeros(8),
                M=regions[mod].arrays.S if mod >= 0 else np.zeros((1, 1)),
                flags=np.array([1 if rule.enabled else 0, int(regions[s].kind.impl.spiking),
                               int(regions[t].kind.impl.spiking), 0], np.int64),
                src=regions[s].arrays.S, tgt=regions[t].arrays.S)
            if impl.init:
                impl.init(ra, arrays, rule.params, dt)
            rules.append(RuleBuild(k, j, rk, ra, mod))
        if k in members:
            rules.append(_homeostat_instance(k, members[k], leader_of, len(rules), arrays, regions[s], regions[t], dt))
    return Network(dt, regions, projections, rules)


def written_rows(circuit) -> dict[str, set[str]]:
    """Per region, the state variables that rules onto it (on its projections or its homeostat,
    enabled or not: they can be enabled live) declare they write (RuleImpl.writes_target)."""
    out: dict[str, set[str]] = {r.name: set() for r in circuit.regions}
    for p in circuit.projections:
        for rule in p.rules:
            impl = kind("rule", rule.kind).impl
            if impl is not None:
                out[p.target].update(impl.writes_target)
    for r in circuit.regions:
        if r.homeostasis is not None:
            impl = kind("homeostasis", r.homeostasis.kind).impl
            if impl is not None:
                out[r.name].update(impl.writes_target)
    return out


def region_params(impl, params: dict, dt: float, written: set[str]) -> np.ndarray:
    """A region's parameter vector: what the model's ``prepare`` makes, then 1.0 or 0.0 for each of
    its optional state rows (NeuronImpl.optional_rows) that some rule writes or none does."""
    P = impl.prepare(params, dt)
    if not impl.optional_rows:
        return P
    flags = [1.0 if impl.vars[row] in written else 0.0 for row in impl.optional_rows]
    return np.concatenate([P, np.array(flags)])


def _homeostat_instance(k, member, leader_of, m, syn, src, tgt, dt) -> RuleBuild:
    """The part of a region's homeostat that acts on projection k: the leader (the first member)
    keeps the neurons' sensors and factors, the others read them (``follows``)."""
    h, e = member
    hk = kind("homeostasis", h.kind)
    impl = hk.impl
    lead = leader_of.setdefault(id(h), m)
    P = impl.prepare(h.params, dt)
    P[impl.extra["exponent_index"]] = e
    ra = RuleArrays(
        P=P, pre=np.zeros((len(impl.pre_vars), src.n)), post=np.zeros((len(impl.post_vars), tgt.n)),
        syn=np.zeros((len(impl.syn_vars), len(syn.W))), glob=np.zeros(8), M=np.zeros((1, 1)),
        flags=np.array([1 if h.enabled else 0, int(src.kind.impl.spiking), int(tgt.kind.impl.spiking),
                        impl.extra["leader"] if lead == m else impl.extra["follower"]], np.int64),
        src=src.arrays.S, tgt=tgt.arrays.S)
    if impl.init:
        impl.init(ra, syn, h.params, dt)
    return RuleBuild(k, -1, hk, ra, -1, -1 if lead == m else lead)
