"""The data that tells the fixed kernel what to run: integer tables of regions, projections, rules.

Together with the arenas of simcore.engine.layout this is the whole network as the kernel sees it;
changing a circuit's structure changes these arrays, never the compiled code.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .kernel import PROJECTION_COLUMNS, REGION_COLUMNS, RULE_COLUMNS, kernel_kinds
from .layout import Arenas, pack


@dataclass
class Plan:
    arenas: Arenas
    reg: np.ndarray     # (nreg, len(REGION_COLUMNS)) int64
    order: np.ndarray   # update order of the regions
    proj: np.ndarray    # (nproj, len(PROJECTION_COLUMNS))
    rule: np.ndarray    # (nrule, len(RULE_COLUMNS)), rules grouped by projection in circuit order
    nspk: np.ndarray    # spikes of each region in the current step (kernel scratch)
    kinds: tuple        # (neuron kinds, rule kinds) of the kernel this plan is for

    def args(self) -> tuple:
        a = self.arenas
        return (a.f64, a.f32, a.i32, a.u64, a.i64, a.RT, a.PT, a.LT, self.reg, self.order, self.proj, self.rule,
                self.nspk)

    @property
    def nbytes(self) -> int:
        return self.arenas.nbytes + sum(x.nbytes for x in (self.reg, self.order, self.proj, self.rule, self.nspk))


def make_plan(net) -> Plan:
    """Pack ``net`` (rebinding its arrays to the arenas) and describe it for the kernel."""
    arenas = pack(net)
    neurons, rules = kernel_kinds({r.kind.name for r in net.regions}, {rb.kind.name for rb in net.rules})
    nid = {k.name: i for i, k in enumerate(neurons)}
    rid = {k.name: i for i, k in enumerate(rules)}
    C = {n: i for i, n in enumerate(REGION_COLUMNS)}
    reg = np.zeros((len(net.regions), len(REGION_COLUMNS)), np.int64)
    for i, r in enumerate(net.regions):
        impl = r.kind.impl
        reg[i, C["R_KIND"]] = nid[r.kind.name]
        reg[i, C["R_N"]] = r.n
        reg[i, C["R_SPIKING"]] = 1 if impl.spiking else 0
        reg[i, C["R_FOLLOW"]] = r.follow
        reg[i, C["R_FOLLOW_ROW"]] = impl.follow_row if impl.follow_row is not None else -1
        reg[i, C["R_BLOCK_CLEARS"]] = 1 if impl.block_clears_output else 0
        reg[i, C["R_SPLIT"]] = 1 if impl.update_range is not None and impl.follow_row is None else 0
    order = np.array(sorted(range(len(net.regions)), key=lambda i: net.regions[i].follow >= 0), np.int64)
    # rules grouped by projection (they already are: build appends them projection by projection)
    assert all(a.projection <= b.projection for a, b in zip(net.rules, net.rules[1:]))
    C = {n: i for i, n in enumerate(PROJECTION_COLUMNS)}
    proj = np.zeros((len(net.projections), len(PROJECTION_COLUMNS)), np.int64)
    for k, p in enumerate(net.projections):
        mine = [m for m, rb in enumerate(net.rules) if rb.projection == k]
        proj[k, C["P_SRC"]] = p.source
        proj[k, C["P_TGT"]] = p.target
        proj[k, C["P_CHANNEL"]] = p.channel
        proj[k, C["P_DIRECT_ROW"]] = p.direct_row
        proj[k, C["P_CONST_DELAY"]] = p.const_delay
        proj[k, C["P_GAIN"]] = 1 if any(net.rules[m].kind.impl.uses_gain for m in mine) else 0
        proj[k, C["P_RULE_LO"]] = mine[0] if mine else 0
        proj[k, C["P_RULE_HI"]] = mine[-1] + 1 if mine else 0
        proj[k, C["P_PRE_HOOKS"]] = sum(1 for m in mine if net.rules[m].kind.impl.on_pre)
    C = {n: i for i, n in enumerate(RULE_COLUMNS)}
    rule = np.zeros((len(net.rules), len(RULE_COLUMNS)), np.int64)
    for m, rb in enumerate(net.rules):
        impl = rb.kind.impl
        tgt = net.regions[net.projections[rb.projection].target]
        rule[m, C["L_KIND"]] = rid[rb.kind.name]
        rule[m, C["L_PROJ"]] = rb.projection
        rule[m, C["L_PRE"]] = 1 if impl.on_pre else 0
        rule[m, C["L_POST"]] = 1 if impl.on_post and tgt.kind.impl.spiking else 0
        rule[m, C["L_STEP"]] = 1 if impl.step else 0
    return Plan(arenas, reg, order, proj, rule, np.zeros(max(1, len(net.regions)), np.int64), (neurons, rules))
