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


def auto_layout(circuit: simcore.Circuit, method: str = "spring") -> tuple[dict[str, list[float]], str]:
    """Positions for every region and the method actually used (Kamada-Kawai needs scipy)."""
    names = [r.name for r in circuit.regions]
    if not names:
        return {}, method
    if len(names) == 1:
        return {names[0]: [0.0, 0.0]}, method
    g = nx.Graph(graph(circuit))
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
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    d[d == 0] = np.inf
    closest = d.min() if np.isfinite(d.min()) else 1.0
    xy *= MIN_DISTANCE / max(closest, 1e-6)
    xy[:, 0] *= 1.15  # nodes are wider than tall
    return {n: [style.snap(x), style.snap(y)] for n, (x, y) in zip(names, xy)}, method
