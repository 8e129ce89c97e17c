"""The one declaration of every parameter and every component kind.

A :class:`Param` carries name, unit, default, bounds and help text. A :class:`Kind` groups the
parameters of one component (a neuron model, a connectivity, a weight initialisation, a delay, a
plasticity rule). File validation, the JSON schema, the GUI inspector and the docs all read these
declarations; nothing else lists parameters.

Component modules register themselves with :func:`register` at import time, so adding a neuron
model or a rule means adding one module to ``simcore/neurons`` or ``simcore/rules``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

FAMILIES = ("neuron", "connectivity", "weights", "delay", "rule", "homeostasis")


@dataclass(frozen=True)
class Param:
    """One declared parameter.

    ``type`` is ``"float"``, ``"int"``, ``"bool"``, ``"choice"`` (one of ``choices``) or
    ``"region"`` (the name of a region of the same circuit, or ``""`` for none).
    Bounds are inclusive unless ``exclusive_min`` / ``exclusive_max`` is set.
    ``live`` says whether the value may change while a simulation runs.
    """

    name: str
    default: Any
    unit: str = ""
    help: str = ""
    type: str = "float"
    min: float | None = None
    max: float | None = None
    exclusive_min: bool = False
    exclusive_max: bool = False
    choices: tuple[str, ...] = ()
    live: bool = True

    def __post_init__(self):
        problem = self.check(self.default)
        if problem:
            raise ValueError(f"bad default for parameter {self.name!r}: {problem}")

    # -- validation -------------------------------------------------------------------------
    def check(self, value: Any) -> str | None:
        """Return why ``value`` is not acceptable, or None when it is."""
        if self.type == "bool":
            return None if isinstance(value, bool) else "must be true or false"
        if self.type in ("choice",):
            if value not in self.choices:
                return f"must be one of {', '.join(map(repr, self.choices))}"
            return None
        if self.type == "region":
            return None if isinstance(value, str) else "must be a region name (text)"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "must be a number"
        if self.type == "int" and not float(value).is_integer():
            return "must be a whole number"
        if not math.isfinite(value):
            return "must be a finite number"
        if self.min is not None:
            if self.exclusive_min and value <= self.min:
                return f"must be > {_fmt(self.min)}"
            if not self.exclusive_min and value < self.min:
                return f"must be >= {_fmt(self.min)}"
        if self.max is not None:
            if self.exclusive_max and value >= self.max:
                return f"must be < {_fmt(self.max)}"
            if not self.exclusive_max and value > self.max:
                return f"must be <= {_fmt(self.max)}"
        return None

    def coerce(self, value: Any) -> Any:
        """Normalise a checked value to its canonical Python type (so files round-trip)."""
        if self.type == "float":
            return float(value)
        if self.type == "int":
            return int(value)
        return value

    # -- derived views ----------------------------------------------------------------------
    def json_schema(self) -> dict:
        """This parameter as a JSON Schema fragment."""
        s: dict[str, Any] = {"description": self.describe()}
        if self.type == "bool":
            s["type"] = "boolean"
        elif self.type == "choice":
            s["enum"] = list(self.choices)
        elif self.type == "region":
            s["type"] = "string"
        else:
            s["type"] = "integer" if self.type == "int" else "number"
            if self.min is not None:
                s["exclusiveMinimum" if self.exclusive_min else "minimum"] = self.min
            if self.max is not None:
                s["exclusiveMaximum" if self.exclusive_max else "maximum"] = self.max
        s["default"] = self.default
        return s

    def describe(self) -> str:
        """One line for tooltips and docs: help text, unit and bounds."""
        unit = f" [{self.unit}]" if self.unit else ""
        return f"{self.help}{unit}".strip() + self.bounds_text()

    def bounds_text(self) -> str:
        if self.type not in ("float", "int") or (self.min is None and self.max is None):
            return ""
        lo = "" if self.min is None else ("(" if self.exclusive_min else "[") + _fmt(self.min)
        hi = "" if self.max is None else _fmt(self.max) + (")" if self.exclusive_max else "]")
        lo = lo or "(-inf"
        hi = hi or "inf)"
        return f" range {lo}, {hi}"


def _fmt(x: float) -> str:
    return f"{x:g}"


@dataclass(frozen=True)
class Kind:
    """A component kind: its family, name, parameters and documentation.

    ``info`` holds family-specific facts that are not parameters (e.g. a neuron model's role
    constraints or a rule's synapse type); ``impl`` is the object the engine uses (kernels),
    kept apart so that listing and editing kinds needs no compilation.
    """

    family: str
    name: str
    label: str
    help: str
    params: tuple[Param, ...] = ()
    info: dict = field(default_factory=dict)
    impl: Any = None

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def param_names(self) -> list[str]:
        return [p.name for p in self.params]


_REGISTRY: dict[str, dict[str, Kind]] = {f: {} for f in FAMILIES}


def register(kind: Kind) -> Kind:
    """Add a kind to the registry (called once by the module that declares it)."""
    if kind.family not in _REGISTRY:
        raise ValueError(f"unknown family {kind.family!r}")
    names = [p.name for p in kind.params]
    if len(set(names)) != len(names):
        raise ValueError(f"{kind.family} {kind.name!r} declares a parameter twice")
    _REGISTRY[kind.family][kind.name] = kind
    return kind


def kinds(family: str) -> dict[str, Kind]:
    """All registered kinds of one family, by name (so the schema and menus never depend on the
    order in which modules happened to be imported)."""
    _load_components()
    return dict(sorted(_REGISTRY[family].items()))


def kind(family: str, name: str) -> Kind:
    return kinds(family)[name]


_loaded = False


def _load_components() -> None:
    """Import every component module once so that each registers its kinds."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib
    import pkgutil

    from . import connectivity, neurons, rules  # noqa: F401  (connectivity registers on import)

    for pkg in (neurons, rules):
        for mod in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
            if not mod.name.startswith("_"):
                importlib.import_module(f"{pkg.__name__}.{mod.name}")
