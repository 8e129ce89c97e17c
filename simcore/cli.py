"""Headless command line: ``validate``, ``schema`` and ``run`` subcommands.

Every user error ends as one line on stderr and exit code 2, never a traceback.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from .errors import CircuitError

EXIT_USAGE = 2

# name -> (help, add_arguments, handler); commands register themselves with `command`.
COMMANDS: dict[str, tuple[str, Callable, Callable]] = {}


def command(name: str, help: str, add_arguments: Callable[[argparse.ArgumentParser], None]):
    def deco(handler):
        COMMANDS[name] = (help, add_arguments, handler)
        return handler
    return deco


# -- validate ----------------------------------------------------------------------------------

def _validate_args(p):
    p.add_argument("files", nargs="+", metavar="FILE", help="circuit files to check")


@command("validate", "check circuit files; one line per file, exit code 2 if any is invalid", _validate_args)
def _validate(args) -> int:
    from .io import load

    bad = 0
    for f in args.files:
        try:
            c = load(f)
        except CircuitError as err:
            bad += 1
            print(f"INVALID {err}")
        else:
            from .outputs import printable

            n_syn = _synapse_estimate(c)
            print(f"ok      {printable(f)}: {len(c.regions)} regions, {len(c.projections)} projections, "
                  f"~{n_syn:,.0f} synapses")
    return EXIT_USAGE if bad else 0


def _synapse_estimate(c) -> float:
    from .connectivity import expected_synapses

    sizes = {r.name: r.size for r in c.regions}
    return sum(expected_synapses(p.connectivity.kind, sizes[p.source], sizes[p.target], p.connectivity.params)
               for p in c.projections)


# -- schema ------------------------------------------------------------------------------------

def _schema_args(p):
    p.add_argument("--out", help="write the schema here instead of resources/circuit.schema.json; '-' prints it")


@command("schema", "write the circuit file JSON Schema generated from the parameter declarations", _schema_args)
def _schema(args) -> int:
    from .schema import schema_text, write_schema

    if args.out == "-":
        sys.stdout.write(schema_text())
    else:
        path = write_schema(args.out) if args.out else write_schema()
        print(f"wrote {path}")
    return 0


# -- docs --------------------------------------------------------------------------------------

def _docs_args(p):
    p.add_argument("--out", help="write here instead of resources/parameters.md; '-' prints it")


@command("docs", "write the parameter reference (Markdown) generated from the declarations", _docs_args)
def _docs(args) -> int:
    from .docs import docs_text, write_docs

    if args.out == "-":
        sys.stdout.write(docs_text())
    else:
        print(f"wrote {write_docs(args.out) if args.out else write_docs()}")
    return 0


# -- dispatch ------------------------------------------------------------------------------------

def build_parser(prog: str = "synaptica") -> argparse.ArgumentParser:
    _load_command_modules()
    parser = argparse.ArgumentParser(prog=prog, description="Synaptica headless commands.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_, add_args, _) in COMMANDS.items():
        add_args(sub.add_parser(name, help=help_, description=help_))
    return parser


def _load_command_modules() -> None:
    # the engine's commands live beside it; import lazily so `validate` stays light
    try:
        from .engine import commands  # noqa: F401
    except ImportError:
        pass
    try:
        from .sweep import command  # noqa: F401,F811
    except ImportError:
        pass
    from .backends.nest import commands as _nest_commands  # noqa: F401  (export, compare; NEST loads lazily)



def _safe_streams() -> None:
    """Never die on printing: a file name or message the terminal cannot encode is escaped."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream.errors == "strict":
                stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):  # not a TextIOWrapper (e.g. captured by pytest)
            pass


def main(argv: list[str] | None = None, prog: str = "synaptica") -> int:
    _safe_streams()
    parser = build_parser(prog)
    args = parser.parse_args(argv)
    handler = COMMANDS[args.command][2]
    try:
        try:
            return handler(args)
        finally:
            sys.stdout.flush()  # a closed pipe shows here, inside the handler below
    except CircuitError as err:
        from .outputs import printable

        print(f"error: {printable(err)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `synaptica validate *.json | head`: the reader has gone, stop quietly
        _silence_stdout()
        return 141  # the shell's code for a command ended by SIGPIPE


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def subcommands() -> list[str]:
    _load_command_modules()
    return list(COMMANDS)
