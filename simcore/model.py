"""The circuit description: plain dataclasses, no behaviour beyond small lookups.

A circuit is only a description (as in Nengo and Brian2); ``simcore.engine`` builds arrays from it and
never mutates it. Parameters are stored complete (every declared parameter present), so a circuit
saved and loaded again compares equal.
"""
from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass
from typing import Any

from .params import Param, kind

ROLES = ("excitatory", "inhibitory", "modulatory")
SYNAPSES = ("excitatory", "inhibitory", "shunting", "modulatory")
# Dale's law: which synapse types a region of each role may make.
ALLOWED_SYNAPSES = {
    "excitatory": ("excitatory",),
    "inhibitory": ("inhibitory", "shunting"),
    "modulatory": ("modulatory",),
}
ACTIONS = ("set", "reward", "block", "unblock")


def complete(family: str, name: str, params: dict | None = None) -> dict[str, Any]:
    """Declared defaults of a kind, overridden by ``params``."""
    out = kind(family, name).defaults()
    out.update(params or {})
    return out


@dataclass
class Component:
    """A connectivity, weight initialisation or delay: a kind name and its parameters."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Rule:
    """A plasticity rule attached to a projection."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True


@dataclass
class Homeostasis:
    """A homeostat of a region's neurons (kind of family ``homeostasis``, e.g. per-neuron synaptic
    scaling): one sensor and one factor per neuron acting on several incoming projections at once.
    ``projections`` names them; empty means every projection onto the region the kind applies to."""

    kind: str = "scaling"
    params: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True
    projections: list[str] = field(default_factory=list)


@dataclass
class Region:
    """A population of neurons of one model (or a source)."""

    name: str
    model: str = "lif"
    size: int = 100
    role: str = "excitatory"
    params: dict[str, Any] = field(default_factory=dict)
    homeostasis: Homeostasis | None = None


@dataclass
class Projection:
    """Synapses from one region onto another, with their wiring and plasticity."""

    name: str
    source: str
    target: str
    synapse: str = "excitatory"
    connectivity: Component = field(default_factory=lambda: Component("fixed_probability", complete("connectivity", "fixed_probability")))
    weights: Component = field(default_factory=lambda: Component("constant", complete("weights", "constant")))
    delay: Component = field(default_factory=lambda: Component("constant", complete("delay", "constant")))
    rules: list[Rule] = field(default_factory=list)


@dataclass
class Event:
    """A timed protocol event, e.g. "at 20 s set Input.rate_hz to 0" or "at 30 s reward DA 1.0".

    ``target`` names a region or projection; ``param`` is a path inside it for "set"
    (``rate_hz``, ``rules.0.eta``, ``rules.1.enabled``) and empty otherwise.
    """

    time_s: float
    action: str
    target: str
    param: str = ""
    value: Any = 0.0


SETTINGS_PARAMS = (
    Param("dt_ms", 0.1, "ms", "Integration time step", min=0.0, max=10.0, exclusive_min=True, live=False),
    Param("seed", 0, "", "Seed of every random draw (wiring, weights, noise, sources)", type="int", min=0,
          max=2**32 - 1, live=False),
    Param("duration_s", 10.0, "s", "Default duration of a headless run", min=0.0, exclusive_min=True),
)

RECORDING_PARAMS = (
    Param("rate_bin_ms", 10.0, "ms", "Bin width of the population rate traces", min=0.1, max=10000.0, live=False),
    Param("history_s", 60.0, "s", "How much rate and statistics history is kept (ring buffers)", min=0.1,
          max=1e5, live=False),
    Param("raster_max_neurons", 200, "neurons", "Neurons per region shown in the raster", type="int", min=0,
          max=100000, live=False),
    Param("raster_max_spikes", 200000, "spikes", "Spikes kept in the raster ring buffer", type="int", min=0,
          max=10**8, live=False),
    Param("voltage_neurons", 3, "neurons", "Neurons per spiking region whose membrane potential is recorded",
          type="int", min=0, max=100, live=False),
    Param("tracked_synapses", 10, "synapses", "Individual synapses tracked per projection", type="int", min=0,
          max=1000, live=False),
    Param("weight_bins", 50, "bins", "Bins of the weight histograms", type="int", min=2, max=1000, live=False),
    Param("stats_every_ms", 100.0, "ms", "Interval between weight statistics samples", min=1.0, max=1e6,
          live=False),
)


def _params_dataclass(name: str, params: tuple[Param, ...], doc: str):
    cls = make_dataclass(name, [(p.name, type(p.default), field(default=p.default)) for p in params])
    cls.__module__ = __name__  # picklable: found as simcore.model.<name>
    cls.__doc__ = doc
    cls.PARAMS = params
    return cls


Settings = _params_dataclass("Settings", SETTINGS_PARAMS, "Simulation settings (time step, seed, duration).")
Recording = _params_dataclass("Recording", RECORDING_PARAMS, "Sizes of the bounded recorders.")


@dataclass
class Expect:
    """A claim a demonstration makes, checked after a headless run.

    ``metric`` names a quantity declared in :mod:`simcore.metrics` (``rate_hz`` of a region;
    ``w_mean``, ``rank_corr`` ... of a projection); the claim holds when ``min <= value <= max``.
    Windowed metrics are measured over ``[from_s, to_s]`` when given (e.g. one protocol phase).
    Input-output metrics (``io_gain``, ``io_threshold``) plot the target's rate against the rate of the
    ``input`` region. With ``ref_target`` and/or ``ref_from_s`` / ``ref_to_s`` the claim is on a ratio:
    the value divided by the same metric of ``ref_target`` (default ``target``) over the reference window
    (default: the claim's own window), e.g. "the gain with inhibition is at most 2/3 of the gain without".
    ``branch`` "B" measures the claim on the second branch of the circuit's :class:`Fork` (default: A,
    the circuit as written).
    """

    metric: str
    target: str
    min: float | None = None
    max: float | None = None
    note: str = ""
    from_s: float | None = None
    to_s: float | None = None
    input: str = ""
    ref_target: str = ""
    ref_from_s: float | None = None
    ref_to_s: float | None = None
    branch: str = ""

    @property
    def relative(self) -> bool:
        return bool(self.ref_target) or self.ref_from_s is not None or self.ref_to_s is not None

    def reference(self) -> tuple[str, float | None, float | None]:
        """(target, from_s, to_s) of the denominator of a relative claim."""
        if self.ref_from_s is None and self.ref_to_s is None:
            return self.ref_target or self.target, self.from_s, self.to_s
        return self.ref_target or self.target, self.ref_from_s, self.ref_to_s


@dataclass
class Change:
    """One parameter the B branch of a :class:`Fork` sets: the path ``target.param`` of
    ``Simulation.set`` (``E.homeostasis.enabled``, ``Input.rate_hz``, ``EE.rules.0.enabled``)."""

    target: str
    param: str
    value: Any = 0.0


@dataclass
class Fork:
    """An A/B comparison inside one circuit: at ``time_s`` the simulation forks (``Simulation.fork``:
    the same state, history and random streams), branch B gets ``changes`` and both run on. A is the
    circuit as written; ``label_a`` / ``label_b`` say in words what each branch is. Claims with
    ``branch = "B"`` are measured on B (:mod:`simcore.fork`)."""

    time_s: float = 0.0
    changes: list[Change] = field(default_factory=list)
    label_a: str = "A"
    label_b: str = "B"


@dataclass
class Circuit:
    """A whole circuit: its regions and projections, the protocol, the claims it makes (``expect``),
    an optional A/B comparison (``fork``) and how the app shows it (``layout``, ``view``). What a
    circuit file holds, as plain data."""

    name: str = "untitled"
    title: str = ""
    description: str = ""
    settings: Settings = field(default_factory=Settings)
    recording: Recording = field(default_factory=Recording)
    regions: list[Region] = field(default_factory=list)
    projections: list[Projection] = field(default_factory=list)
    protocol: list[Event] = field(default_factory=list)
    expect: list[Expect] = field(default_factory=list)
    layout: dict[str, list[float]] = field(default_factory=dict)
    view: dict[str, Any] = field(default_factory=dict)
    fork: Fork | None = None

    # -- lookups --------------------------------------------------------------------------
    def region(self, name: str) -> Region:
        for r in self.regions:
            if r.name == name:
                return r
        raise KeyError(name)

    def projection(self, name: str) -> Projection:
        for p in self.projections:
            if p.name == name:
                return p
        raise KeyError(name)

    def incoming(self, region: str) -> list[Projection]:
        return [p for p in self.projections if p.target == region]

    def outgoing(self, region: str) -> list[Projection]:
        return [p for p in self.projections if p.source == region]


def make_region(name: str, model: str = "lif", size: int = 100, role: str | None = None, **params) -> Region:
    """A region with every declared parameter filled in (defaults overridden by ``params``)."""
    roles = kind("neuron", model).info["roles"]
    return Region(name, model, size, role or roles[0], complete("neuron", model, params))


def make_homeostasis(kind_name: str = "scaling", projections: list[str] | None = None, enabled: bool = True,
                     **params) -> Homeostasis:
    """A homeostat with every declared parameter filled in (attach it as ``region.homeostasis``)."""
    return Homeostasis(kind_name, complete("homeostasis", kind_name, params), enabled, list(projections or []))


def make_projection(name: str, source: str, target: str, synapse: str = "excitatory", *,
                    connectivity: tuple[str, dict] = ("fixed_probability", {}),
                    weights: tuple[str, dict] = ("constant", {}),
                    delay: tuple[str, dict] = ("constant", {}),
                    rules: list[tuple[str, dict]] | None = None) -> Projection:
    """A projection with every declared parameter filled in."""
    comp = lambda fam, kv: Component(kv[0], complete(fam, kv[0], kv[1]))  # noqa: E731
    return Projection(name, source, target, synapse, comp("connectivity", connectivity),
                      comp("weights", weights), comp("delay", delay),
                      [Rule(k, complete("rule", k, p)) for k, p in (rules or [])])
