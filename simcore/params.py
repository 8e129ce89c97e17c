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
from typing import Any, Callable

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
    accepts: tuple[str, ...] = ()  # type "region": capabilities the named region must have (see capabilities)

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
class Context:
    """What a constraint may look at besides the kind's own parameters (the circuit's settings)."""

    dt_ms: float = 0.1


@dataclass(frozen=True)
class Ordered:
    """Constraint between two parameters of one kind: ``lo < hi`` (``lo <= hi`` unless ``strict``).

    E.g. a LIF neuron's reset below its threshold: ``Ordered("v_reset", "v_th")``.
    """

    lo: str
    hi: str
    strict: bool = True
    why: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.lo, self.hi)

    def check(self, p: dict, ctx: Context) -> tuple[str, str] | None:
        a, b = p[self.lo], p[self.hi]
        if a < b or (a == b and not self.strict):
            return None
        rel = "below" if self.strict else "at most"
        why = f" ({self.why})" if self.why else ""
        return self.lo, f"{self.lo} ({_fmt(a)}) must be {rel} {self.hi} ({_fmt(b)}){why}"

    def describe(self) -> str:
        return f"{self.lo} {'<' if self.strict else '<='} {self.hi}" + (f" ({self.why})" if self.why else "")


@dataclass(frozen=True)
class Check:
    """Any other constraint on a kind's parameters and the time step.

    ``fn(params, ctx)`` returns ``(parameter it blames, reason)`` or None; ``names`` lists the
    parameters it reads (a protocol event that sets one of them is checked again).
    """

    names: tuple[str, ...]
    fn: Callable[[dict, Context], tuple[str, str] | None]
    text: str

    def check(self, p: dict, ctx: Context) -> tuple[str, str] | None:
        return self.fn(p, ctx)

    def describe(self) -> str:
        return self.text


MAX_STEPS = 2**53  # step counts beyond this are not exact in float64 (and no run gets there)


def steps_of(ms: float, dt_ms: float) -> float:
    """A duration in time steps, as a float (inf when it does not fit)."""
    try:
        return ms / dt_ms
    except (OverflowError, ZeroDivisionError):
        return math.inf


def fits_in_steps(name: str) -> Check:
    """Constraint: parameter ``name`` (in ms) divided by the time step is a representable step count."""
    def fn(p, ctx):
        n = steps_of(p[name], ctx.dt_ms)
        if not n <= MAX_STEPS:
            return name, (f"{name} = {_fmt(p[name])} ms is {_fmt(n)} time steps of {_fmt(ctx.dt_ms)} ms, "
                          f"more than a run can count ({MAX_STEPS:.3g})")
        return None
    return Check((name,), fn, f"{name} / dt_ms <= {MAX_STEPS:.3g} steps")


def one_spike_per_step(name: str) -> Check:
    """Constraint for sources that emit at most one spike per neuron and time step: ``name`` (Hz)
    must not ask for more than 1 / dt (it would silently deliver exactly 1 / dt)."""
    def fn(p, ctx):
        per_step = p[name] * ctx.dt_ms * 1e-3
        if per_step > 1.0:
            return name, (f"{name} = {_fmt(p[name])} Hz asks for {per_step:.3g} spikes per time step; a neuron "
                          f"emits at most one per step, i.e. at most {_fmt(1000.0 / ctx.dt_ms)} Hz at dt_ms "
                          f"{_fmt(ctx.dt_ms)} (lower the rate or dt_ms)")
        return None
    return Check((name,), fn, f"{name} <= 1000 / dt_ms (one spike per step at most)")


FLOAT32_MAX = 3.4028234663852886e38  # weights are stored in float32
# Largest value a weight parameter may declare (every parameter of unit "w" has it as its max). Far
# beyond any physical weight (mV, pA, units of the leak conductance), and small enough that a whole
# run's input stays finite in float32 and float64: even 10^10 synapses onto one neuron of this weight,
# summed over the steps of a synaptic time constant, stay below 1e25, while weights near the float32
# limit (3e38) saturated to inf or to huge finite conductances without any error.
WEIGHT_MAX = 1e9


def weight_fits_float32(*names: str) -> Check:
    """Constraint: weight parameters stay inside float32 (a larger one would be stored as inf)."""
    def fn(p, ctx):
        for n in names:
            if abs(p[n]) > FLOAT32_MAX:
                return n, f"{n} = {_fmt(p[n])} is beyond the float32 range of stored weights ({FLOAT32_MAX:.4g})"
        return None
    return Check(tuple(names), fn, "weights fit in float32 (<= 3.4e38)")


@dataclass(frozen=True)
class Kind:
    """A component kind: its family, name, parameters and documentation.

    ``info`` holds family-specific facts that are not parameters (e.g. a neuron model's role
    constraints or a rule's synapse type); ``impl`` is the object the engine uses (kernels),
    kept apart so that listing and editing kinds needs no compilation.

    ``constraints`` relate parameters to each other or to the time step (:class:`Ordered`,
    :class:`Check`); ``needs`` (rules) maps ``"source"`` / ``"target"`` to the capabilities the
    regions at either end must have (:func:`capabilities`). Validation enforces both generically.
    """

    family: str
    name: str
    label: str
    help: str
    params: tuple[Param, ...] = ()
    info: dict = field(default_factory=dict)
    impl: Any = None
    constraints: tuple = ()
    needs: dict = field(default_factory=dict)

    def __reduce__(self):
        """Pickled by reference to the registry (kinds hold functions; a process that unpickles a
        simulation has registered the same kinds)."""
        return kind, (self.family, self.name)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def defaults(self) -> dict[str, Any]:
        """A new dict of the declared defaults (validation calls this per region: built once)."""
        d = _DEFAULTS.get(id(self))
        if d is None:
            d = _DEFAULTS[id(self)] = {p.name: p.default for p in self.params}
        return dict(d)

    def param_names(self) -> list[str]:
        return [p.name for p in self.params]

    def violation(self, params: dict, ctx: Context, touched: str | None = None) -> tuple[str, str] | None:
        """The first broken constraint as (parameter, reason), or None; ``touched``: only the
        constraints that read that parameter."""
        for c in self.constraints:
            if touched is None or touched in c.names:
                v = c.check(params, ctx)
                if v:
                    return v
        return None


_DEFAULTS: dict[int, dict] = {}

CAPABILITIES = {
    "spiking": "emits spikes",
    "rate": "carries a rate (rate units)",
    "signal": "is a modulatory signal (a scalar level rules read as their third factor)",
    "source": "is a source (generates its own activity)",
}


def capabilities(k: Kind) -> frozenset[str]:
    """What a neuron kind offers to rules and to region parameters that name it, from its declaration."""
    got = _CAPS.get(id(k))
    if got is None:
        got = _CAPS[id(k)] = _capabilities(k)
    return got


_CAPS: dict[int, frozenset] = {}


def _capabilities(k: Kind) -> frozenset[str]:
    caps = set(k.info.get("provides", ()))
    if k.info.get("spiking"):
        caps.add("spiking")
    elif not k.info.get("source"):
        caps.add("rate")
    if k.info.get("source"):
        caps.add("source")
    return frozenset(caps)


_REGISTRY: dict[str, dict[str, Kind]] = {f: {} for f in FAMILIES}


def register(kind: Kind) -> Kind:
    """Add a kind to the registry (called once by the module that declares it)."""
    if kind.family not in _REGISTRY:
        raise ValueError(f"unknown family {kind.family!r}")
    names = [p.name for p in kind.params]
    if len(set(names)) != len(names):
        raise ValueError(f"{kind.family} {kind.name!r} declares a parameter twice")
    for c in kind.constraints:
        for n in c.names:
            if n not in names:
                raise ValueError(f"{kind.family} {kind.name!r}: constraint on undeclared parameter {n!r}")
    for end, caps in kind.needs.items():
        if end not in ("source", "target") or not set(caps) <= set(CAPABILITIES):
            raise ValueError(f"{kind.family} {kind.name!r}: bad needs {end!r}: {caps!r}")
    _REGISTRY[kind.family][kind.name] = kind
    return kind


def kinds(family: str) -> dict[str, Kind]:
    """All registered kinds of one family, by name (so the schema and menus never depend on the
    order in which modules happened to be imported)."""
    _load_components()
    return dict(sorted(_REGISTRY[family].items()))


def kind(family: str, name: str) -> Kind:
    _load_components()
    return _REGISTRY[family][name]  # a plain lookup: validation calls this per region


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
