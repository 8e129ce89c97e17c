"""CLI commands of the NEST backend: ``export --to nest`` and ``compare`` (both backends side by side).

``run --backend nest`` lives with the ``run`` command. Nothing here imports NEST at import time.
"""
from __future__ import annotations

import sys

from ...cli import command
from ...errors import CircuitError


def _export_args(p):
    p.add_argument("circuit", help="circuit file")
    p.add_argument("--to", choices=("nest",), default="nest", help="target simulator (nest)")
    p.add_argument("--out", required=True, metavar="PY", help="write the script here ('-' prints it)")
    p.add_argument("--duration", help="default simulated time of the script, e.g. 10s (default: the file's)")


@command("export", "write the circuit as a standalone PyNEST script (runs with python or mpirun)", _export_args)
def _export(args) -> int:
    from ...engine.commands import parse_duration
    from ...io import atomic_write_text, load
    from .export import export_script

    circuit = load(args.circuit)
    try:
        text = export_script(circuit, source=args.circuit,
                             duration_s=parse_duration(args.duration) if args.duration else None)
    except CircuitError as err:
        raise err.with_source(args.circuit) from None
    if args.out == "-":
        sys.stdout.write(text)
    else:
        atomic_write_text(args.out, text)
        print(f"wrote {args.out}: python {args.out}  |  mpirun -np N python {args.out} (MPI build of NEST)")
    return 0


def _compare_args(p):
    p.add_argument("circuit", help="circuit file")
    p.add_argument("--duration", help="biological time, e.g. 2s (default: the file's)")
    p.add_argument("--seed", type=int, help="random seed (default: the file's)")
    p.add_argument("--threads", type=int, default=2, help="NEST threads (default 2)")


@command("compare", "run a circuit in our engine and in NEST; rates, weights, wall time, peak memory", _compare_args)
def _compare(args) -> int:
    from ...engine.commands import parse_duration
    from ...io import load
    from .bench import compare, format_comparison
    from .mapping import plan

    circuit = load(args.circuit)
    try:
        plan(circuit)  # refuse before starting anything
    except CircuitError as err:
        raise err.with_source(args.circuit) from None
    duration = parse_duration(args.duration) if args.duration else circuit.settings.duration_s
    print(format_comparison(compare(args.circuit, duration, args.seed, args.threads)))
    return 0
