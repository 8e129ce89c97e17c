"""Running a sweep's tasks on Dask distributed: the cluster, submission, progress, resume, Ctrl+C.

Dask does the scheduling; this module only decides what to submit (runs not already finished),
shows progress (tqdm: runs done / total, failures, ETA) and makes sure that an interrupted sweep
cancels its runs and, when it started the cluster itself, shuts every worker process down.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from .grid import SweepError
from .runner import Task, one_line, run_task, save_row

POLL_S = 0.2  # how often a wait for results looks at the stop flag


def default_workers() -> int:
    """One worker process per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@contextlib.contextmanager
def client_for(workers: int | None = None, scheduler: str | None = None, client=None,
               log: Callable[[str], None] | None = None) -> Iterator:
    """A Dask client: the one given, one connected to ``scheduler``, or a new LocalCluster with
    ``workers`` single-threaded worker processes (closed, with its workers, on exit)."""
    if client is not None:
        yield client
        return
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            c = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as err:
            raise SweepError("--scheduler", f"cannot reach {scheduler}: {one_line(err)}") from None
        try:
            _say(log, f"scheduler {scheduler}, {len(c.scheduler_info()['workers'])} workers; "
                      f"dashboard {c.dashboard_link}")
            yield c
        finally:
            c.close()
        return
    n = workers or default_workers()
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
                           scheduler_port=0, host="127.0.0.1", silence_logs=50)
    try:
        c = Client(cluster)
        try:
            _say(log, f"local cluster: {n} worker process{'es' if n != 1 else ''}; dashboard {c.dashboard_link}")
            yield c
        finally:
            c.close()
    finally:
        cluster.close()


def _say(log, text: str) -> None:
    if log:
        log(text)


def execute(client, tasks: list[Task], progress: bool | Callable[[int, int, int], None] = True,
            on_row: Callable[[dict], None] | None = None, stop=None) -> list[dict]:
    """Submit ``tasks`` and collect one row per task, in task order.

    A task whose worker died (Dask gives up after its retries) becomes a failed row. On Ctrl+C, or
    when ``stop`` (a ``threading.Event``) is set, the runs still queued or running are cancelled and
    KeyboardInterrupt propagates; rows already finished are on disk (``runs/``) by then."""
    from distributed import wait

    rows: dict[str, dict] = {}
    if not tasks:
        return []
    bar = _bar(len(tasks)) if progress is True else None
    failures = 0
    futures = {}
    try:
        for t in tasks:
            # a fresh key per submission: Dask must not hand back a result it still holds from an
            # earlier sweep (the run's files may have gone to another folder)
            futures[client.submit(run_task, t, key=f"synaptica-run-{t.key}-{secrets.token_hex(4)}")] = t
        pending = set(futures)
        while pending:
            if stop is not None and stop.is_set():
                raise KeyboardInterrupt
            try:
                done, pending = wait(pending, timeout=POLL_S, return_when="FIRST_COMPLETED")
            except TimeoutError:
                continue
            for fut in done:
                t = futures[fut]
                try:
                    row = fut.result()
                except Exception as err:  # noqa: BLE001 - the worker died or the task could not run
                    row = {"key": t.key, "seed": t.seed, "duration_s": t.duration_s, **t.point,
                           "status": "failed", "error": f"worker lost: {one_line(err)}"}
                    if t.runs_dir:
                        save_row(row, Path(t.runs_dir))
                rows[t.key] = row
                failures += row["status"] != "ok"
                if on_row:
                    on_row(row)
                if bar is not None:
                    bar.set_postfix_str(f"{failures} failed", refresh=False)
                    bar.update(1)
                elif callable(progress):
                    progress(len(rows), len(tasks), failures)
    except BaseException:
        client.cancel(list(futures), force=True)
        raise
    finally:
        if bar is not None:
            bar.close()
    return [rows[t.key] for t in tasks]


def _bar(total: int):
    from tqdm import tqdm

    return tqdm(total=total, unit="run", desc="sweep", file=sys.stderr, dynamic_ncols=True,
                bar_format="{desc} {bar} {n}/{total} runs{postfix} [{elapsed}<{remaining}]",
                postfix="0 failed")

