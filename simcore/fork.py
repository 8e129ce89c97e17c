"""A/B comparisons declared by a circuit (``fork``): run both branches headless and check their claims.

A circuit with a :class:`~simcore.model.Fork` is one circuit, not two copies: branch A is the circuit
as written; at ``fork.time_s`` the simulation is forked (``Simulation.fork``: the same state, history
and random streams, so B equals an independent run up to there, bit for bit) and B gets the fork's
changes. The window does the same live (gui.views.ab); this module is what ``synaptica run --check``,
the sweeps and the demo tests use, so a claim on B is measured on a real B.

>>> sims = run_branches(load("circuits/demos/runaway_without_homeostasis.json"))  # doctest: +SKIP
>>> [line for ok, line in evaluate(circuit, sims)]                                 # doctest: +SKIP
"""
from __future__ import annotations

import copy

BRANCHES = ("A", "B")


def branch_of(claim) -> str:
    """"A" or "B": the branch an ``expect`` claim is measured on."""
    return "B" if claim.branch == "B" else "A"


def changes(circuit) -> list[tuple[str, object]]:
    """(path, value) of each change branch B makes, in the form ``Simulation.set`` takes."""
    return [(f"{ch.target}.{ch.param}", ch.value) for ch in circuit.fork.changes] if circuit.fork else []


def make_b(sim_a, circuit):
    """Branch B forked from ``sim_a`` as it is now, with the circuit's changes applied."""
    b = sim_a.fork()
    for path, value in changes(circuit):
        b.set(path, value)
    return b


def run_branches(circuit, seed: int | None = None, duration_s: float | None = None, progress=None,
                 sim_a=None) -> dict:
    """{"A": sim, "B": sim} after ``duration_s`` (default: the circuit's) of simulated time, or {"A": sim}
    for a circuit without a fork. A runs to the fork time, B is forked there and both run to the end;
    the end-of-run metrics of :meth:`Simulation.summary` then describe the time since the fork (the
    windowed ones use absolute times, as always). ``sim_a``: a fresh ``Simulation`` of ``circuit`` to
    use as A (e.g. one built for another backend setting); by default one is made."""
    from .engine.simulation import Simulation

    duration = circuit.settings.duration_s if duration_s is None else duration_s
    a = sim_a if sim_a is not None else Simulation(circuit, seed=seed)
    if circuit.fork is None:
        a.run(duration, progress=progress)
        return {"A": a}
    first = min(circuit.fork.time_s, duration)
    if first > 0:
        a.run(first, progress=progress)
    b = make_b(a, circuit)
    rest = duration - first
    if rest > 0:
        a.run(rest, progress=progress)
        b.run(rest, progress=progress)
    return {"A": a, "B": b}


def claims_of(circuit, branch: str):
    """A copy of ``circuit`` that keeps only the claims measured on ``branch``."""
    c = copy.copy(circuit)
    c.expect = [e for e in circuit.expect if branch_of(e) == branch]
    return c


def evaluate(circuit, sims: dict) -> list[tuple[bool, str]]:
    """(passed, one-line report) for each claim, in the circuit's order, each measured on its branch;
    the report of a claim on B starts with the branch's label."""
    from .engine.expect import evaluate as evaluate_one

    per = {}
    for branch in BRANCHES:
        if branch in sims:
            per[branch] = iter(evaluate_one(claims_of(circuit, branch), sims[branch]))
    out = []
    for e in circuit.expect:
        branch = branch_of(e)
        if branch not in per:
            out.append((False, f"{e.target}.{e.metric}: branch {branch} was not run (no fork in the circuit, or a backend that runs only the circuit as written)"))
            continue
        ok, line = next(per[branch])
        if circuit.fork is not None:
            label = circuit.fork.label_a if branch == "A" else circuit.fork.label_b
            line = f"[{branch}: {label}] {line}"
        out.append((ok, line))
    return out


def measure(sims: dict, claim) -> float:
    """The measured value of one claim on its branch (``engine.expect.claim_value``)."""
    from .engine.expect import claim_value

    return claim_value(sims[branch_of(claim)], claim)[0]
