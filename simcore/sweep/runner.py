"""One run of a sweep, as a worker executes it: fresh Simulation, run, summary row, recordings.

It is a plain function of picklable arguments, so Dask can ship it to any worker process, and it
never raises for a run that goes wrong: the error becomes the row's ``error`` text, so one bad
point of the grid never stops the others.
"""
from __future__ import annotations

import contextlib
import json
import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LOCK_NAME = "compile.lock"


@dataclass
class Task:
    """Everything a worker needs for one run (the circuit already has the point applied)."""

    key: str
    circuit: Any
    point: dict[str, Any]
    seed: int
    duration_s: float
    runs_dir: str | None = None
    meta: dict = field(default_factory=dict)


def kernel_cache_dir() -> Path:
    """Where the engine caches its compiled kernels (the lock file lives beside them)."""
    from ..engine.kernel import cache_dir

    return Path(cache_dir())


@contextlib.contextmanager
def compile_lock():
    """Hold an exclusive lock on the kernel cache while a worker builds its first simulation.

    The kernel itself is compiled under the engine's own lock (simcore.engine.kernel.kernel_lock,
    another file, so the two nest); this one also covers the engine's cached helpers that the first
    build compiles, so workers that start together compile them once. Released by the OS if the
    process dies."""
    folder = kernel_cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: numba's own atomic writes are all we have
        yield
        return
    with open(folder / LOCK_NAME, "a+b") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def simulate(task: Task):
    """Build and run the simulation of a task; returns it and its summary."""
    from ..engine.simulation import Simulation

    global _first
    if _first:  # building the first Simulation compiles the engine's own cached helpers, too
        with compile_lock():
            sim = Simulation(task.circuit, seed=task.seed, threads=1)  # runs share the cores: one each
            sim.compile()
        _first = False
    else:
        sim = Simulation(task.circuit, seed=task.seed, threads=1)  # runs share the cores: one each
        if not sim.compiled:
            with compile_lock():
                sim.compile()
    summary = sim.run(task.duration_s)
    return sim, summary


_first = True  # per process: nothing compiled or loaded from the cache yet


def run_task(task: Task) -> dict:
    """Run one point of the grid; always returns a result row (see :func:`row_from`)."""
    t0 = time.perf_counter()
    row = {"key": task.key, "seed": task.seed, "duration_s": task.duration_s, **task.point}
    try:
        sim, summary = simulate(task)
        row.update(summary_columns(summary))
        row.update(expect_columns(task.circuit, _SummaryOnce(sim, summary)))
        if task.runs_dir:
            from ..engine.commands import write_npz

            npz = Path(task.runs_dir) / f"{task.key}.npz"
            write_npz(sim, str(npz), summary)
            row["recordings"] = str(npz)
        row["status"] = "ok"
        row["error"] = ""
        row["sim_wall_s"] = summary["wall_s"]
    except Exception as err:  # noqa: BLE001 - every failure of a run is data, not a crash
        row["status"] = "failed"
        row["error"] = one_line(err)
    row["wall_s"] = time.perf_counter() - t0
    row["worker_pid"] = os.getpid()
    if task.runs_dir:
        save_row(row, Path(task.runs_dir))
    return row


class _SummaryOnce:
    """The simulation as the claim evaluation sees it, with the end-of-run summary computed once
    (each claim asks for it; computing it means rank-correlating every projection again)."""

    def __init__(self, sim, summary: dict):
        self._sim, self._summary = sim, summary

    def summary(self) -> dict:
        return self._summary

    def __getattr__(self, name):
        return getattr(self._sim, name)


def summary_columns(s: dict) -> dict:
    """Flatten a summary: ``rate_hz[Region]`` and ``<stat>[Projection]`` for every number in it."""
    out = {}
    for name, r in s["regions"].items():
        for k, v in r.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool) and k != "n":
                out[f"{k}[{name}]"] = float(v)
    for name, p in s["projections"].items():
        for k, v in p.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out[f"{k}[{name}]"] = float(v)
    return out


def expect_columns(circuit, sim) -> dict:
    """Each ``expect`` claim's measured value and whether it holds. A sweep runs the circuit as written
    (branch A of a fork): a claim on branch B reads NaN and None."""
    if not circuit.expect:
        return {}
    from ..engine.expect import evaluate, measure
    from ..fork import branch_of, claims_of

    from ..errors import CircuitError

    out = {}
    try:
        verdicts = iter([bool(ok) for ok, _ in evaluate(claims_of(circuit, "A"), sim)])
    except CircuitError:  # a claim's window lies beyond what this run recorded: judged claim by claim below
        verdicts = None
    for i, e in enumerate(circuit.expect):
        on_a = branch_of(e) == "A"
        value, verdict = float("nan"), None
        if on_a:
            try:  # a run too short for a claim's window keeps its row: NaN and None for that claim
                value = measure(sim, e.metric, e.target, e.from_s, e.to_s)
            except CircuitError:
                value = float("nan")
            verdict = next(verdicts) if verdicts is not None else None
        out[f"expect[{i}] {e.target}.{e.metric}"] = value
        out[f"pass[{i}]"] = verdict
    return out


def one_line(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    name = type(err).__name__
    return text if name in ("SimulationError", "CircuitError") else f"{name}: {text}"


def save_row(row: dict, runs_dir: Path) -> Path:
    """Write a finished run's row beside its recordings (what resume reads back)."""
    from ..io import atomic_write_text

    clean = {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in row.items()}
    return atomic_write_text(runs_dir / f"{row['key']}.json", json.dumps(clean, default=_plain) + "\n")


def _plain(x):
    import numpy as np

    if isinstance(x, np.generic):
        return x.item()
    raise TypeError(type(x).__name__)
