"""The ``sweep`` subcommand: run a parameter grid x seeds on Dask and write the table."""
from __future__ import annotations

import sys

from ..cli import command

EPILOG = """PATH: Region.param, Region.size, Proj.connectivity.p, Proj.weights.mean, Proj.delay.value_ms,
Proj.rules.0.tau_s, Proj.rules.0.enabled, settings.dt_ms, recording.<param>;
PATH1,PATH2=VALUES sets several parameters to the same value.
VALUES: 1,2,5 | linspace:LO:HI:N | logspace:LO:HI:N | @file (values separated by commas or spaces)."""


def _args(p):
    p.add_argument("circuit", help="circuit file")
    p.add_argument("--param", action="append", default=[], metavar="PATH=VALUES", required=True,
                   help="a swept parameter and its values (repeat for more axes; see below)")
    p.add_argument("--seeds", default="0", help="seeds to run every setting with, e.g. 0-4 or 1,3 (default 0)")
    p.add_argument("--duration", help="biological time per run, e.g. 20s (default: the file's)")
    p.add_argument("--out", default="sweep", help="folder for results.parquet, results.csv and runs/ (default sweep/)")
    p.add_argument("--zip", action="store_true", help="pair the lists element by element instead of their product")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--workers", type=int, help="worker processes of the local cluster (default: one per core)")
    g.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="use this running Dask scheduler and its workers")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.epilog = EPILOG
    import argparse

    p.formatter_class = argparse.RawDescriptionHelpFormatter


@command("sweep", "run a parameter sweep (grid x seeds) on Dask; results as Parquet, CSV and NPZ", _args)
def sweep_command(args) -> int:
    from . import sweep
    from .grid import SweepError, parse_param_args

    if args.workers is not None and args.workers < 1:
        raise SweepError("--workers", "must be at least 1")
    log = None if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    try:
        df = sweep(args.circuit, parse_param_args(args.param), seeds=args.seeds, duration=args.duration,
                   out=args.out, zipped=args.zip, workers=args.workers, scheduler=args.scheduler,
                   progress=not args.quiet, log=log)
    except KeyboardInterrupt:
        print(f"interrupted: finished runs kept in {args.out}/ (rerun the same command to resume)", file=sys.stderr)
        return 130
    failed = int((df["status"] != "ok").sum()) if len(df) else 0
    print(f"{len(df)} runs, {failed} failed: {args.out}/results.parquet, {args.out}/results.csv, "
          f"recordings in {args.out}/runs/")
    for err in df.loc[df["status"] != "ok", "error"].head(3) if failed else []:
        print(f"  failed: {err}")
    return 1 if failed else 0
