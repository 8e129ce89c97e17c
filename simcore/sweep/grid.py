"""Sweep grids: parse ``PATH=VALUES``, expand the product (or zip) and apply a point to a circuit.

A PATH extends the paths of :meth:`Simulation.set` to every declared parameter, live or not:

=======================================  =================================================
``Input.rate_hz``                         a neuron-model parameter of region ``Input``
``Input.size``                            the number of neurons of region ``Input``
``A->B.connectivity.p``                   a connectivity / ``weights.`` / ``delay.`` parameter
``A->B.rules.0.lam``, ``A->B.rules.0.enabled``   a parameter of the projection's first rule
``settings.dt_ms``, ``recording.stats_every_ms`` a simulation or recording setting
``A->B.rules.0.tau_a_s,B->B.rules.1.tau_a_s``   several parameters that take the same value
=======================================  =================================================

A point of the grid is applied to the circuit's *document* (``to_dict``) and the result goes through
``from_dict``: every run is a freshly loaded circuit, checked exactly as a file would be, so
whatever a file could not contain a sweep cannot produce either.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import CircuitError
from ..io import from_dict, to_dict
from ..model import Circuit
from ..params import Param, kind

COMPONENTS = ("connectivity", "weights", "delay")
SECTIONS = ("settings", "recording")
SIZE = Param("size", 100, "neurons", "Number of neurons of the region", type="int", min=1, live=False)
ENABLED = Param("enabled", True, type="bool")


class SweepError(CircuitError):
    """A sweep that cannot start: one line naming the ``--param`` (or option) and the reason."""

    def __init__(self, where: str, reason: str):
        super().__init__(where, reason)

    def message(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class Axis:
    """One swept parameter: its path, its declaration and the values it takes."""

    path: str
    param: Param
    values: tuple


# -- values ------------------------------------------------------------------------------------

def parse_values(text: str, where: str = "--param") -> list:
    """``1,2,5`` | ``linspace:LO:HI:N`` | ``logspace:LO:HI:N`` (N values evenly spaced on a log scale
    from LO to HI, both included) | ``@FILE`` (values separated by commas, spaces or new lines)."""
    text = text.strip()
    head, _, rest = text.partition(":")
    if head in ("linspace", "logspace"):
        parts = rest.split(":")
        try:
            lo, hi, n = float(parts[0]), float(parts[1]), int(parts[2])
            if len(parts) != 3:
                raise ValueError
        except (ValueError, IndexError):
            raise SweepError(where, f"cannot read {text!r}: write {head}:LO:HI:N (e.g. {head}:0.1:1:10)") from None
        if n < 1:
            raise SweepError(where, f"{text!r}: N must be at least 1")
        if head == "logspace":
            if lo <= 0 or hi <= 0:
                raise SweepError(where, f"{text!r}: logspace needs positive LO and HI")
            return [float(x) for x in np.geomspace(lo, hi, n)]
        return [float(x) for x in np.linspace(lo, hi, n)]
    if text.startswith("@"):
        try:
            body = Path(text[1:]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise SweepError(where, f"cannot read the values file {text[1:]!r}: {getattr(err, 'strerror', None) or err}") from None
        items = body.replace(",", " ").split()
    else:
        items = [s.strip() for s in text.split(",")]
    if not items or any(s == "" for s in items):
        raise SweepError(where, f"no values in {text!r} (write e.g. 1,2,5)")
    return [_scalar(s) for s in items]


def _scalar(s: str) -> Any:
    low = s.lower()
    if low in ("true", "false"):
        return low == "true"
    for conv in (int, float):
        try:
            return conv(s)
        except ValueError:
            pass
    return s


def parse_seeds(text: str) -> list[int]:
    """``0-4`` (inclusive), ``1,2,7`` or a mix ``0-2,9``."""
    out: list[int] = []
    for part in str(text).split(","):
        part = part.strip()
        lo, dash, hi = part.partition("-")
        try:
            if dash:
                a, b = int(lo), int(hi)
                if b < a:
                    raise ValueError
                out += list(range(a, b + 1))
            else:
                out.append(int(part))
        except ValueError:
            raise SweepError("--seeds", f"cannot read {text!r} (write e.g. 0-4 or 1,2,7)") from None
    if any(s < 0 or s > 2**32 - 1 for s in out):
        raise SweepError("--seeds", "seeds are between 0 and 2^32 - 1")
    return list(dict.fromkeys(out))


# -- paths --------------------------------------------------------------------------------------

def locate(circuit: Circuit, path: str) -> tuple[Param, tuple]:
    """The declaration a sweep path points at and where it lives in the document
    (a tuple of keys); raises :class:`SweepError` naming the path."""
    target, _, rest = path.partition(".")
    parts = rest.split(".") if rest else []
    regions = [r.name for r in circuit.regions]
    projections = [p.name for p in circuit.projections]
    if target in regions:
        i = regions.index(target)
        r = circuit.regions[i]
        k = kind("neuron", r.model)
        if parts == ["size"]:
            return SIZE, ("regions", i, "size")
        name = parts[1] if len(parts) == 2 and parts[0] == "params" else parts[0] if len(parts) == 1 else None
        if name in k.param_names():
            return k.param(name), ("regions", i, "params", name)
        raise SweepError(path, f"not a parameter of the {k.label} region {target!r} "
                               f"(size, {', '.join(k.param_names())})")
    if target in projections:
        i = projections.index(target)
        p = circuit.projections[i]
        if len(parts) == 2 and parts[0] in COMPONENTS:
            comp = getattr(p, parts[0])
            k = kind(parts[0], comp.kind)
            if parts[1] in k.param_names():
                return k.param(parts[1]), ("projections", i, parts[0], "params", parts[1])
            raise SweepError(path, f"not a parameter of the {parts[0]} {k.label!r} "
                                   f"({', '.join(k.param_names()) or 'it has none'})")
        if len(parts) == 3 and parts[0] == "rules" and parts[1].isascii() and parts[1].isdigit():
            j = int(parts[1])
            if j >= len(p.rules):
                raise SweepError(path, f"projection {target!r} has {len(p.rules)} rule(s), no rule {j}")
            if parts[2] == "enabled":
                return ENABLED, ("projections", i, "rules", j, "enabled")
            k = kind("rule", p.rules[j].kind)
            if parts[2] in k.param_names():
                return k.param(parts[2]), ("projections", i, "rules", j, "params", parts[2])
            raise SweepError(path, f"not a parameter of {k.label} ({', '.join(k.param_names())}, enabled)")
        raise SweepError(path, "a projection path is connectivity.<p>, weights.<p>, delay.<p>, "
                               "rules.<i>.<p> or rules.<i>.enabled")
    if target in SECTIONS and len(parts) == 1:
        section = getattr(circuit, target)
        for prm in section.PARAMS:
            if prm.name == parts[0]:
                return prm, (target, prm.name)
        raise SweepError(path, f"not a {target[:-1] if target == 'settings' else target} parameter "
                               f"({', '.join(p.name for p in section.PARAMS)})")
    raise SweepError(path, f"no region or projection named {target!r} (nor settings./recording.)")


def make_axes(circuit: Circuit, grid: dict[str, Any]) -> list[Axis]:
    """Axes from ``{path: values}``; values are a list or a VALUES text. Each value is checked
    against its declaration and coerced to its type."""
    axes = []
    for path, values in grid.items():
        where = f"--param {path}"
        params = [locate(circuit, p)[0] for p in path.split(",")]
        prm = params[0]
        if isinstance(values, str):
            values = parse_values(values, where)
        values = list(np.atleast_1d(values).tolist()) if not isinstance(values, (list, tuple)) else list(values)
        if not values:
            raise SweepError(where, "no values")
        out = []
        for v in values:
            if prm.type == "int" and isinstance(v, float) and v.is_integer():
                v = int(v)
            for q in params:
                problem = q.check(v)
                if problem:
                    raise SweepError(f"{where}={_show(v)}", f"{q.name} {problem}")
            out.append(prm.coerce(v))
        axes.append(Axis(path, prm, tuple(out)))
    return axes


def _show(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def points(axes: list[Axis], zipped: bool = False) -> list[dict[str, Any]]:
    """The settings of the grid: the cartesian product of the axes, or (``zipped``) their pairs."""
    if zipped:
        lengths = {len(a.values) for a in axes}
        if len(lengths) > 1:
            raise SweepError("--zip", "needs lists of equal length (" +
                             ", ".join(f"{a.path}: {len(a.values)}" for a in axes) + ")")
        combos = zip(*(a.values for a in axes))
    else:
        combos = itertools.product(*(a.values for a in axes))
    return [dict(zip((a.path for a in axes), c)) for c in combos]


def apply(circuit: Circuit, point: dict[str, Any], doc: dict | None = None) -> Circuit:
    """A new circuit with the point's values, validated as a loaded file is; raises
    :class:`SweepError` naming the path and value that make it invalid."""
    import copy

    doc = copy.deepcopy(doc if doc is not None else to_dict(circuit))
    for paths, value in point.items():
        for path in paths.split(","):
            _, where = locate(circuit, path)
            node = doc
            for key in where[:-1]:
                node = node[key]
            node[where[-1]] = value
    try:
        return from_dict(doc)
    except CircuitError as err:
        settings = ", ".join(f"{p}={_show(v)}" for p, v in point.items())
        raise SweepError(f"--param {settings}", f"{err.path}: {err.reason}") from None


def expand(circuit: Circuit, grid: dict[str, Any], zipped: bool = False) -> tuple[list[Axis], list[dict], list[Circuit]]:
    """Axes, points and one validated circuit per point: the whole grid is checked before anything
    runs, so an invalid point is refused up front rather than discovered halfway."""
    if not grid:
        raise SweepError("--param", "give at least one PATH=VALUES")
    axes = make_axes(circuit, grid)
    pts = points(axes, zipped)
    doc = to_dict(circuit)
    return axes, pts, [apply(circuit, pt, doc) for pt in pts]


def parse_param_args(items: list[str]) -> dict[str, str]:
    """``["Input.rate_hz=1,2", ...]`` -> ``{"Input.rate_hz": "1,2"}``."""
    grid: dict[str, str] = {}
    for item in items:
        path, eq, values = item.partition("=")
        path = ",".join(p.strip() for p in path.split(","))
        if not eq or not path:
            raise SweepError(f"--param {item}", "write PATH=VALUES, e.g. Input.rate_hz=5,10,20")
        if path in grid:
            raise SweepError(f"--param {path}", "given twice")
        grid[path] = values
    return grid

