"""Benchmark of sweeps: a 2-worker local cluster against the same runs one after another.

    python -m simcore.sweep.bench [--runs 16] [--duration 3s] [--rounds 3]

Prints, for a 16-run sweep of the runaway demo (kernel compiled beforehand in every process):
the wall time one after another in this process, on a LocalCluster of 2 single-threaded worker
processes, and their ratio; then the overhead per run on the cluster for very short runs
(cluster wall x workers / runs, minus the time a worker spent inside a run: scheduling, transfer
and waiting; and, for comparison, minus the time per run in this process). The two set-ups are measured
in alternation, ``--rounds`` times, so that load from other processes hits both alike; best and
median are shown, beside a peer: the same ratio for plain CPU-bound processes, which says how much
parallelism the machine offers at the moment.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from ..io import load
from .grid import expand
from .results import run_key
from .runner import Task, run_task

ROOT = Path(__file__).resolve().parents[2]
CIRCUIT = ROOT / "circuits" / "demos" / "runaway_without_homeostasis.json"


def make_tasks(n: int, duration_s: float, runs_dir: str | None) -> list[Task]:
    """``n`` runs: 4 STDP learning rates x n/4 seeds."""
    c = load(CIRCUIT)
    _, pts, circuits = expand(c, {"E->E.rules.0.lam": [0.005, 0.01, 0.02, 0.04]})
    tasks = []
    for i in range(n):
        pt, ci = pts[i % 4], circuits[i % 4]
        seed = i // 4
        tasks.append(Task(run_key(ci, pt, seed, duration_s), ci, pt, seed, duration_s, runs_dir))
    return tasks


def _burn(n: int = 4_000_000, go=None) -> None:
    if go is not None:
        go.wait()
    x = 0
    for i in range(n):
        x += i * i


def machine_parallelism(workers: int) -> float:
    """Wall time of ``workers`` CPU-bound processes at once over the same work done in one process:
    the best ratio any parallel run can reach on this machine right now (1/workers when idle)."""
    import multiprocessing as mp

    t0 = time.perf_counter()
    for _ in range(workers):
        _burn()
    one = time.perf_counter() - t0
    ctx = mp.get_context("spawn")
    go = ctx.Barrier(workers + 1)  # start-up and imports are not what is measured
    procs = [ctx.Process(target=_burn, args=(4_000_000, go)) for _ in range(workers)]
    for p in procs:
        p.start()
    go.wait()
    t0 = time.perf_counter()
    for p in procs:
        p.join()
    return (time.perf_counter() - t0) / one


def sequential(tasks: list[Task]) -> float:
    t0 = time.perf_counter()
    for t in tasks:
        row = run_task(t)
        assert row["status"] == "ok", row["error"]
    return time.perf_counter() - t0


def on_cluster(client, tasks: list[Task]) -> tuple[float, float]:
    """Wall time of the sweep and the summed time the workers spent inside the runs."""
    from .cluster import execute

    t0 = time.perf_counter()
    rows = execute(client, tasks, progress=False)
    wall = time.perf_counter() - t0
    assert all(r["status"] == "ok" for r in rows), [r["error"] for r in rows]
    return wall, sum(r["wall_s"] for r in rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m simcore.sweep.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=16)
    ap.add_argument("--duration", type=float, default=3.0, help="biological seconds per run (default 3)")
    ap.add_argument("--short", type=float, default=0.01, help="biological seconds of a short run (default 0.01)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    from distributed import Client, LocalCluster

    tmp = tempfile.TemporaryDirectory(prefix="synaptica-sweep-bench-")
    folder = lambda name: str(Path(tmp.name, name)) if Path(tmp.name, name).mkdir() is None else ""  # noqa: E731
    run_task(make_tasks(1, 0.01, None)[0])  # compile (or load) the kernel here
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           host="127.0.0.1", silence_logs=50)
    client = Client(cluster)
    try:
        client.wait_for_workers(args.workers)
        client.run(lambda: run_task(make_tasks(1, 0.01, None)[0]))  # every worker loads the kernel
        seq, par, seq_s, par_s, inside_s, peer = [], [], [], [], [], []
        for r in range(args.rounds):
            long_tasks = make_tasks(args.runs, args.duration, None)
            short_tasks = make_tasks(4 * args.runs, args.short, None)
            for t in long_tasks + short_tasks:
                t.runs_dir = folder(f"r{r}-{t.key}-{t.duration_s}")  # fresh NPZ files every time
            seq.append(sequential(long_tasks))
            par.append(on_cluster(client, long_tasks)[0])
            wall, inside = on_cluster(client, short_tasks)
            par_s.append(wall)
            inside_s.append(inside)
            seq_s.append(sequential(short_tasks))
            peer.append(machine_parallelism(args.workers))
            print(f"round {r + 1}: one after another {seq[-1]:.2f} s, cluster {par[-1]:.2f} s "
                  f"(ratio {par[-1] / seq[-1]:.2f}); short runs {seq_s[-1]:.2f} s / {par_s[-1]:.2f} s; "
                  f"CPU-bound peer ratio {peer[-1]:.2f}", flush=True)
    finally:
        client.close()
        cluster.close()
        tmp.cleanup()
    n_short = 4 * args.runs
    over = [(p * args.workers - s) / n_short for p, s in zip(par_s, inside_s)]
    over_seq = [(p * args.workers - s) / n_short for p, s in zip(par_s, seq_s)]
    print()
    print(f"{args.runs} runs of {args.duration:g} s (runaway demo), kernel compiled beforehand, {args.rounds} rounds")
    print(f"  one after another      best {min(seq):7.2f} s   median {statistics.median(seq):7.2f} s")
    print(f"  {args.workers}-worker LocalCluster  best {min(par):7.2f} s   median {statistics.median(par):7.2f} s")
    print(f"  ratio cluster / sequential: best/best {min(par) / min(seq):.2f}, "
          f"median of rounds {statistics.median(p / s for p, s in zip(par, seq)):.2f}")
    print(f"  peer: {args.workers} CPU-bound processes at once / the same work in one process: best {min(peer):.2f}, "
          f"median {statistics.median(peer):.2f} (1/{args.workers} on an idle machine: the floor for any ratio above)")
    print(f"{n_short} runs of {args.short * 1e3:g} ms: in-process {min(seq_s) / n_short * 1e3:.0f} ms per run, "
          f"cluster {min(par_s) / n_short * 1e3:.0f} ms per run with {args.workers} workers")
    print(f"  time per run inside a worker {min(inside_s) / n_short * 1e3:.0f} ms (best round)")
    print(f"  overhead per run on the cluster (wall x workers / runs - time inside the run): "
          f"best {min(over) * 1e3:.0f} ms, median {statistics.median(over) * 1e3:.0f} ms")
    print(f"  the same against the in-process time per run: "
          f"best {min(over_seq) * 1e3:.0f} ms, median {statistics.median(over_seq) * 1e3:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
