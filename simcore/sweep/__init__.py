"""Parameter sweeps on Dask distributed: every point of a grid x every seed, one engine run each.

>>> import simcore
>>> df = simcore.sweep("circuits/demos/runaway_without_homeostasis.json",     # doctest: +SKIP
...                    {"B->B.rules.0.lam": [0.01, 0.02], "B->B.rules.1.tau_a_s": "logspace:0.1:1:3"},
...                    seeds=range(3), duration=5.0, out="sweep/")

The module itself is callable (``simcore.sweep(...)`` is :func:`sweep`), so the package and the
function it exists for share one name.
"""
from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .grid import SweepError, expand, parse_seeds, parse_values

__all__ = ["sweep", "plan", "SweepError", "parse_values", "parse_seeds"]


def plan(circuit, grid: dict[str, Any], seeds: Iterable[int] | str = (0,), duration: float | str | None = None,
         out: str | Path | None = None, zipped: bool = False):
    """Validate the whole grid and list its runs without running anything.

    Returns ``(axes, tasks, done)``: the swept axes, the runs still to do and the rows of the runs
    already finished in ``out`` (resume). Raises :class:`SweepError` (one line naming the path and
    value) when any point of the grid would be an invalid circuit."""
    from ..io import load
    from .results import finished, run_key
    from .runner import Task

    if isinstance(circuit, (str, Path)):
        circuit = load(circuit)
    seeds = parse_seeds(seeds) if isinstance(seeds, str) else [int(s) for s in seeds]
    if not seeds:
        raise SweepError("--seeds", "no seeds")
    dur = _duration(duration, circuit)
    axes, points, circuits = expand(circuit, grid, zipped)
    runs_dir = None
    if out is not None:
        runs_dir = Path(out) / "runs"
        runs_dir.mkdir(parents=True, exist_ok=True)
    tasks, done, seen = [], [], set()
    for pt, c in zip(points, circuits):
        for seed in seeds:
            key = run_key(c, pt, seed, dur)
            if key in seen:
                continue
            seen.add(key)
            row = finished(runs_dir, key) if runs_dir else None
            if row is not None:
                done.append(row)
            else:
                tasks.append(Task(key, c, pt, seed, dur, str(runs_dir) if runs_dir else None))
    return axes, tasks, done


def sweep(circuit, grid: dict[str, Any], seeds: Iterable[int] | str = (0,), duration: float | str | None = None,
          client=None, *, out: str | Path | None = None, zipped: bool = False, workers: int | None = None,
          scheduler: str | None = None, progress: bool | Callable[[int, int, int], None] = False,
          log: Callable[[str], None] | None = None, on_row: Callable[[dict], None] | None = None, stop=None):
    """Run ``grid`` (``{path: values}``, values a list or a VALUES text such as ``"linspace:1:5:5"``)
    for every seed and return one row per run as a :class:`pandas.DataFrame`.

    ``client``: a ``distributed.Client`` to use as it is; else ``scheduler`` (an address) or a new
    LocalCluster of ``workers`` single-threaded processes (default: one per core), closed at the end.
    ``out``: folder for ``results.parquet``, ``results.csv`` and ``runs/<key>.npz|json``; runs
    already finished there are not run again. Without ``out`` nothing is written (no recordings).
    Failed runs are rows with ``status == "failed"`` and the ``error`` text. ``progress``: True for a
    progress bar, or a callable (done, total, failed); ``on_row`` gets each row as its run ends;
    setting ``stop`` (a ``threading.Event``) cancels the sweep like Ctrl+C (KeyboardInterrupt)."""
    from .cluster import client_for, execute
    from .results import table, write

    axes, tasks, done = plan(circuit, grid, seeds, duration, out, zipped)
    params = [a.path for a in axes]
    if log and done:
        log(f"{len(done)} of {len(done) + len(tasks)} runs already done in {out}; running the other {len(tasks)}")
    rows = list(done)
    for row in done if on_row else ():
        on_row(row)
    try:
        if tasks:
            with client_for(workers, scheduler, client, log) as c:
                rows += execute(c, tasks, progress, on_row, stop)
    except KeyboardInterrupt:
        if out is not None:  # keep what finished: the rows are on disk already
            from .results import finished

            rows = list(done) + [r for t in tasks if (r := finished(Path(out) / "runs", t.key))]
            write(table(_ordered(rows, params), params), Path(out))
        raise
    df = table(_ordered(rows, params), params)
    if out is not None:
        write(df, Path(out))
    return df


def _ordered(rows: list[dict], params: list[str]) -> list[dict]:
    return sorted(rows, key=lambda r: (tuple(_sortable(r.get(p)) for p in params), r.get("seed", 0)))


def _sortable(v):
    return (0, v) if isinstance(v, (int, float)) else (1, str(v))


def _duration(duration, circuit) -> float:
    if duration is None:
        return float(circuit.settings.duration_s)
    if isinstance(duration, str):
        from ..engine.commands import parse_duration

        return parse_duration(duration)
    if not duration > 0:
        raise SweepError("--duration", "must be positive")
    return float(duration)


class _CallableModule(types.ModuleType):
    """``simcore.sweep`` is this package; calling it runs :func:`sweep`."""

    def __call__(self, *args, **kwargs):
        return sweep(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
