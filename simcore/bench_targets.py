"""Every figure the engine is held to, measured in one run and checked against its target (a script).

    python -m simcore.bench --targets [--quick]

Runs the engine's benchmarks one after another, each in its own process (so one's memory and
threads never weigh on the next) with ``--json``, and prints one table: figure, measured value,
target, met or not. The benchmarks, and what each compares in its own interleaved rounds:

- ``simcore.bench_structure --cold``: the generated 80 regions / 200 projections circuit and the
  400-region chain prepared and running, on a warm and on an empty kernel cache; an edit; building
  10M synapses;
- ``simcore.engine.memory``: measured / estimated peak memory on a sweep of circuits;
- ``simcore.bench_handwritten --stdp``: CUBA 4k on one thread against a hand-written numba loop of
  the same network, and pair STDP on E->E against the static network;
- ``simcore.bench_threads``: CUBA 64k on 1 and 2 threads against Brian2 cpp_standalone (OpenMP, 2
  threads) and NEST (2 threads); the cost per synaptic event at 256k against 4k neurons;
- ``simcore.bench_vs``: the Vogels & Sprekeler 2011 network against Brian2 cpp_standalone, one
  thread each.

A peer that is not installed leaves its rows out ("not measured"). Ratios are what matter: this
machine is shared, and every benchmark measures its peers in the same rounds.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass


@dataclass
class Target:
    figure: str
    value: float | None
    op: str      # "<=" or ">="
    bound: float
    unit: str = ""
    detail: str = ""  # the measurements behind a ratio

    @property
    def met(self) -> bool | None:
        if self.value is None:
            return None
        return self.value <= self.bound if self.op == "<=" else self.value >= self.bound


# the bounds, declared once (the benchmarks print them beside their own figures from here)
LIMITS = {
    "ready_s": 2.0,             # a generated 80/200 or 400-chain circuit prepared and run 0.5 s, kernels on disk
    "peak_mb": 1024,            # ... and its peak memory
    "cold_s": 60.0,             # the same on an empty kernel cache
    "edit_s": 0.5,              # an edit in the editor: the next chunk has run
    "build_10m_s": 2.0,         # building 10M synapses
    "memory_error": 0.25,       # worst |measured / estimated peak - 1|
    "ours_over_hand": 1.25,     # CUBA 4k, one thread, against a hand-written numba kernel
    "plastic_over_static": 2.0,  # pair STDP on E->E against static (Auryn: 2.2)
    "speedup": 1.7,             # 2 threads against 1 at 64k
    "peer_over_ours": 2.0,      # Brian2 / NEST on 2 threads against ours on 2; Brian2 on the V&S network
    "ns_ratio": 1.3,            # cost per synaptic event at 256k against 4k neurons
}

BENCHES = (  # (module, arguments, arguments with --quick)
    ("simcore.bench_structure", ["--cold"], ["--repeat", "1"]),
    ("simcore.engine.memory", [], []),
    ("simcore.bench_handwritten", ["--stdp"], ["--stdp", "--repeat", "2", "--duration", "2"]),
    ("simcore.bench_threads", [], ["--rounds", "1", "--duration", "1", "--n", "16000", "--large", "64000"]),
    ("simcore.bench_vs", [], ["--quick"]),
)


def run_bench(module: str, args: list[str]) -> dict | None:
    """``python -m module args --json``: its last line of output, parsed (None if it failed; why goes
    to stderr, with the benchmark's own progress)."""
    print(f"== python -m {module} {' '.join(args)}", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", module, *args, "--json"], stdout=subprocess.PIPE, text=True)
    print(f"   ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    lines = [x for x in res.stdout.splitlines() if x.strip()]
    if res.returncode != 0 or not lines:
        print(f"   {module} failed (exit code {res.returncode})", file=sys.stderr, flush=True)
        return None
    try:
        return json.loads(lines[-1])
    except json.JSONDecodeError:
        print(f"   {module}: no JSON result", file=sys.stderr, flush=True)
        return None


def targets(res: dict) -> list[Target]:
    """The engine's targets, read from the benchmarks' results (``res``: module -> JSON or None)."""
    out: list[Target] = []
    rows = (res.get("simcore.bench_structure") or {}).get("rows", {})

    def row(name, key):
        return rows[name][key] if name in rows else None

    for name, label in (("random 80/200", "80 regions / 200 projections"), ("chain 400", "400-region chain")):
        out.append(Target(f"{label}: prepared and 0.5 s run, kernels on disk", row(name, "total_s"), "<=", LIMITS["ready_s"], "s"))
        out.append(Target(f"{label}: peak memory", row(name, "peak_mb"), "<=", LIMITS["peak_mb"], "MB"))
    out.append(Target("80 regions / 200 projections on an empty kernel cache", row("random 80/200, empty cache", "total_s"),
                      "<=", LIMITS["cold_s"], "s"))
    out.append(Target("edit (+1 region, projection, rule): next chunk run", row("edit +1 region", "total_s"), "<=", LIMITS["edit_s"],
                      "s"))
    out.append(Target("building 10M synapses", row("build 10M synapses", "build_s"), "<=", LIMITS["build_10m_s"], "s"))
    mem = (res.get("simcore.engine.memory") or {}).get("rows")
    out.append(Target("memory: worst |measured / estimated peak - 1| on the sweep",
                      max(abs(r["ratio"] - 1) for r in mem) if mem else None, "<=", LIMITS["memory_error"]))
    hand = res.get("simcore.bench_handwritten") or {}
    out.append(Target("CUBA 4k, one thread: ours / hand-written numba kernel", hand.get("ours_over_hand"), "<=", LIMITS["ours_over_hand"],
                      detail=_per_bio(hand, ("ours_per_bio_s", "ours"), ("hand_per_bio_s", "hand-written"))))
    out.append(Target("CUBA 4k: pair STDP on E->E / static", hand.get("plastic_over_static"), "<=",
                      LIMITS["plastic_over_static"],
                      detail=_per_bio(hand, ("stdp_per_bio_s", "STDP"), ("ours_per_bio_s", "static"))))
    thr = res.get("simcore.bench_threads") or {}
    per = thr.get("per_bio_s", {})
    out.append(Target(f"CUBA {thr.get('n', 64000) // 1000}k: 2 threads speed-up over 1", thr.get("speedup"), ">=", LIMITS["speedup"],
                      detail=_per_bio(per, ("synaptica 1 thread", "1 thread"), ("synaptica 2 threads", "2 threads"))))
    peers = thr.get("peer_over_ours", {})
    for label, name in (("brian2-cpp openmp 2", "Brian2 cpp_standalone, OpenMP 2 threads"),
                        ("nest 2 threads", "NEST, 2 threads")):
        out.append(Target(f"CUBA {thr.get('n', 64000) // 1000}k, 2 threads: {name} / ours", peers.get(label), ">=",
                          LIMITS["peer_over_ours"],
                          detail=_per_bio(per, (label, "peer"), ("synaptica 2 threads", "ours"))))
    out.append(Target(f"ns per synaptic event, {thr.get('large', 256000) // 1000}k / {thr.get('small', 4000) // 1000}k "
                      "neurons", thr.get("ns_ratio"), "<=", LIMITS["ns_ratio"],
                      detail=", ".join(f"{int(k) // 1000}k: {v:.1f} ns" for k, v in thr.get("ns_per_event", {}).items())))
    vs = res.get("simcore.bench_vs") or {}
    out.append(Target("Vogels & Sprekeler 2011, one thread: Brian2 cpp_standalone / ours", vs.get("brian2_over_ours_kernel"),
                      ">=", LIMITS["peer_over_ours"], detail=_per_bio(vs, ("brian2_per_bio_s", "Brian2"), ("ours_kernel_per_bio_s", "ours"))))
    return out


def _per_bio(res: dict, *parts: tuple[str, str]) -> str:
    """'ours 0.052, hand-written 0.082 s/bio-s' from the fields of a result that are there."""
    got = [f"{label} {res[key]:.3g}" for key, label in parts if res.get(key) is not None]
    return ", ".join(got) + " s/bio-s" if got else ""


def fmt(ts: list[Target]) -> str:
    w = max(len(t.figure) for t in ts)
    lines = [f"{'figure':{w}s}  {'measured':>12s}  {'target':>10s}  met  from"]
    for t in ts:
        v = "not measured" if t.value is None else f"{t.value:.3g} {t.unit}".strip()
        met = "-" if t.met is None else ("yes" if t.met else "NO")
        bound = t.op + " " + f"{t.bound:g} {t.unit}".strip()
        lines.append(f"{t.figure:{w}s}  {v:>12s}  {bound:>10s}  {met:3s}  {t.detail}".rstrip())
    return "\n".join(lines)


def main(quick: bool = False) -> int:
    res = {}
    for module, args, quick_args in BENCHES:
        res[module] = run_bench(module, quick_args if quick else args)
    ts = targets(res)
    print(fmt(ts))
    missed = [t.figure for t in ts if t.met is False]
    print(f"{sum(t.met is True for t in ts)} of {len(ts)} targets met"
          + (f"; not met: {'; '.join(missed)}" if missed else ""))
    return 0
