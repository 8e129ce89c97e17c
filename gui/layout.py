"""Automatic placement of regions with networkx (spring, Kamada-Kawai, layered by role).

networkx returns positions in a unit box; we scale them so the closest two nodes are a node's
width plus room for an arrow and a badge apart, then snap to the grid.
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

import simcore

from . import style

MIN_DISTANCE = 280.0
METHODS = {"spring": "Spring", "kamada_kawai": "Kamada–Kawai", "layered": "Layered (by role)"}


def graph(circuit: simcore.Circuit, with_positions: bool = False) -> nx.MultiDiGraph:
    """The circuit as a networkx multigraph (regions = nodes, projections = edges)."""
    g = nx.MultiDiGraph(name=circuit.name)
    for r in circuit.regions:
        attrs = {"model": r.model, "size": r.size, "role": r.role}
        if with_positions and r.name in circuit.layout:
            attrs["x"], attrs["y"] = (float(v) for v in circuit.layout[r.name])
        g.add_node(r.name, **attrs)
    for p in circuit.projections:
        g.add_edge(p.source, p.target, key=p.name, name=p.name, synapse=p.synapse,
                   connectivity=p.connectivity.kind, weights=p.weights.kind,
                   rules=",".join(r.kind for r in p.rules))
    return g


def _layers(circuit) -> dict[str, int]:
    """Columns by distance from the sources (regions nothing projects to come first)."""
    g = nx.DiGraph()
    g.add_nodes_from(r.name for r in circuit.regions)
    g.add_edges_from((p.source, p.target) for p in circuit.projections if p.source != p.target)
    roots = [n for n in g.nodes if g.in_degree(n) == 0] or [circuit.regions[0].name]
    depth = nx.multi_source_dijkstra_path_length(g, roots)
    last = max(depth.values(), default=0)
    return {n: depth.get(n, last + 1) for n in g.nodes}


def _gather(xy: np.ndarray, reach: float, rounds: int = 10) -> np.ndarray:
    """Pull a node that drifted away (spring layouts push unconnected parts apart without limit)
    to ``reach`` of its nearest neighbour."""
    xy = xy.copy()
    for _ in range(rounds):
        d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
        np.fill_diagonal(d, np.inf)
        far = np.flatnonzero(d.min(axis=1) > reach * 1.01)
        if not len(far):
            break
        i = far[np.argmax(d.min(axis=1)[far])]
        j = int(np.argmin(d[i]))
        xy[i] = xy[j] + (xy[i] - xy[j]) * (reach / d[i, j])
    return xy


def _separate(xy: np.ndarray, gap: float, rounds: int = 60) -> np.ndarray:
    """Push pairs closer than ``gap`` apart along the line joining them (a few relaxation rounds)."""
    xy = xy.copy()
    rng = np.random.default_rng(0)
    for _ in range(rounds):
        moved = False
        for i in range(len(xy)):
            for j in range(i + 1, len(xy)):
                v = xy[j] - xy[i]
                dist = float(np.hypot(*v))
                if dist < gap:
                    v = v / dist if dist > 1e-9 else rng.normal(size=2)
                    push = (gap - dist) / 2 + 1.0
                    xy[i] -= v * push
                    xy[j] += v * push
                    moved = True
        if not moved:
            break
    return xy


def auto_layout(circuit: simcore.Circuit, method: str = "spring") -> tuple[dict[str, list[float]], str]:
    """Positions for every region and the method actually used (Kamada-Kawai needs scipy)."""
    names = [r.name for r in circuit.regions]
    if not names:
        return {}, method
    if len(names) == 1:
        return {names[0]: [0.0, 0.0]}, method
    g = nx.Graph(graph(circuit))
    # parameters that name a region (a modulator a rule reads, the rate a modulator follows) tie
    # those regions together too: unconnected parts of a spring layout drift apart without limit
    names_set = set(names)
    for r in circuit.regions:
        for prm in simcore.kind("neuron", r.model).params:
            if prm.type == "region" and r.params.get(prm.name) in names_set:
                g.add_edge(r.name, r.params[prm.name])
    for p in circuit.projections:
        for rule in p.rules:
            for prm in simcore.kind("rule", rule.kind).params:
                if prm.type == "region" and rule.params.get(prm.name) in names_set:
                    g.add_edge(p.target, rule.params[prm.name])
    g.remove_edges_from(nx.selfloop_edges(g))
    if method == "kamada_kawai":
        try:
            pos = nx.kamada_kawai_layout(g)
        except ImportError:
            method = "spring"
    if method == "layered":
        for n, layer in _layers(circuit).items():
            g.nodes[n]["layer"] = layer
        pos = nx.multipartite_layout(g, subset_key="layer", align="vertical")
        pos = {n: (x * 1.2, y) for n, (x, y) in pos.items()}  # room for arrows between columns
    if method == "spring":
        pos = nx.spring_layout(g, seed=1, k=2.0 / math.sqrt(len(names)), iterations=200)
    xy = np.array([pos[n] for n in names], dtype=float)
    xy -= xy.mean(axis=0)
    # scale by the typical nearest-neighbour distance, not the smallest one: one pair that the layout
    # put almost on top of each other used to blow the whole drawing up 20x (unreadable once fitted)
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    d[d == 0] = np.inf
    nearest = d.min(axis=1)
    typical = float(np.median(nearest[np.isfinite(nearest)])) if np.isfinite(nearest).any() else 1.0
    xy *= MIN_DISTANCE / max(typical, 1e-6)
    xy = _gather(xy, MIN_DISTANCE * 1.4)
    xy = _separate(xy, MIN_DISTANCE * 0.9)
    xy[:, 0] *= 1.15  # nodes are wider than tall
    return {n: [style.snap(x), style.snap(y)] for n, (x, y) in zip(names, xy)}, method
