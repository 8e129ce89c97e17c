"""Both backends side by side: ``synaptica compare CIRCUIT`` and ``python -m simcore.backends.nest.bench``.

Each backend runs in its own process (one NEST kernel per process; peak memory = that process's
maximum resident set size). ``python -m simcore.backends.nest.bench`` without arguments runs the
benchmark: a 100,000-neuron variant of the Vogels-Abbott CUBA network (same in-degree of 80 inputs
per neuron as the 4000-neuron original, hence p = 0.0008), NEST with 2 threads against our engine.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _one(backend: str, path: str, duration: float, seed, threads: int) -> dict:
    """Runs in the child process: build, run, summarise; report wall times and peak memory."""
    from ...engine.memory import peak_rss_bytes
    import time

    from ...io import load

    circuit = load(path)
    t0 = time.perf_counter()
    if backend == "nest":
        from .runner import NestSimulation

        sim = NestSimulation(circuit, seed=seed, threads=threads)
    else:
        from ...engine import Simulation

        sim = Simulation(circuit, seed=seed, threads=threads)
        sim.compile()
    build_s = time.perf_counter() - t0
    s = sim.run(duration)
    return {"backend": backend, "threads": threads, "build_s": build_s,
            "run_s": s["wall_s"], "duration_s": s["duration_s"],
            "peak_mb": peak_rss_bytes() / 2**20,
            "rates": {k: v["rate_hz"] for k, v in s["regions"].items()},
            "weights": {k: (v.get("w_mean"), v.get("w_cv"), v["n_synapses"]) for k, v in s["projections"].items()}}


def _child(backend, path, duration, seed, threads) -> dict:
    cmd = [sys.executable, "-m", "simcore.backends.nest.bench", "--one", backend, path, str(duration),
           "-1" if seed is None else str(seed), str(threads)]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    if r.returncode != 0:
        raise RuntimeError(f"{backend} run failed: {r.stderr.strip().splitlines()[-1:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def compare(path: str, duration: float, seed=None, threads: int = 2) -> list[dict]:
    """Our engine and NEST on the same circuit, each in a fresh process."""
    return [_child("numba", path, duration, seed, 1), _child("nest", path, duration, seed, threads)]


def format_comparison(rows: list[dict]) -> str:
    a, b = rows
    nest_label = f"NEST ({b['threads']} threads)"
    out = [f"{'':<26}{'ours (numba, 1 thread)':>24}{nest_label:>22}{'NEST/ours':>11}"]

    def line(label, x, y, fmt="{:.3f}"):
        ratio = f"{y / x:.2f}" if isinstance(x, (int, float)) and x else "-"
        out.append(f"{label:<26}{fmt.format(x):>24}{fmt.format(y):>22}{ratio:>11}")

    line("simulated (s)", a["duration_s"], b["duration_s"], "{:.3g}")
    line("build / compile (s)", a["build_s"], b["build_s"])
    line("run wall (s)", a["run_s"], b["run_s"])
    line("peak memory (MB)", a["peak_mb"], b["peak_mb"], "{:.0f}")
    for r in a["rates"]:
        line(f"rate {r} (Hz)", a["rates"][r], b["rates"].get(r, float("nan")))
    for p in a["weights"]:
        (m1, cv1, n1), (m2, cv2, n2) = a["weights"][p], b["weights"][p]
        line(f"w mean {p}", m1, m2, "{:.4g}")
        line(f"w CV {p}", cv1, cv2, "{:.3f}")
        line(f"synapses {p}", n1, n2, "{:.0f}")
    return "\n".join(out)


def cuba_variant(n: int) -> dict:
    """The CUBA circuit scaled to ``n`` neurons at the original in-degree (80 inputs per neuron)."""
    data = json.loads((ROOT / "circuits" / "vogels_abbott_cuba.json").read_text(encoding="utf-8"))
    data["name"] = f"cuba_{n}"
    data["regions"][0]["size"] = int(0.8 * n)
    data["regions"][1]["size"] = n - int(0.8 * n)
    for p in data["projections"]:
        p["connectivity"]["params"]["p"] = 0.02 * 4000 / n
    data["expect"] = []
    return data


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--one", nargs=5, metavar=("BACKEND", "CIRCUIT", "DURATION", "SEED", "THREADS"),
                    help=argparse.SUPPRESS)
    ap.add_argument("--neurons", type=int, default=100_000, help="size of the CUBA variant (default 100000)")
    ap.add_argument("--duration", type=float, default=1.0, help="biological seconds (default 1)")
    ap.add_argument("--threads", type=int, default=2, help="NEST threads (default 2)")
    args = ap.parse_args(argv)
    if args.one:
        backend, path, duration, seed, threads = args.one
        print(json.dumps(_one(backend, path, float(duration), None if seed == "-1" else int(seed), int(threads))))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"cuba_{args.neurons}.json"
        path.write_text(json.dumps(cuba_variant(args.neurons)), encoding="utf-8")
        print(f"CUBA variant: {args.neurons} LIF neurons, 80 inputs each, {args.duration:g} s biological")
        print(format_comparison(compare(str(path), args.duration, 0, args.threads)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
