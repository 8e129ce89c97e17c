"""The circuit being edited: the ONLY place that mutates a :class:`simcore.Circuit`.

Views (canvas, inspector, protocol table) never change the circuit; they push commands
(``gui.commands``) whose redo/undo call exactly one method here, and follow the signals
emitted below (the orange-canvas-core pattern: the scene only follows the model).
"""
from __future__ import annotations

import copy
import re
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

import simcore
from simcore.model import Circuit, Event, Expect, Projection, Region

NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_ \-<>+]{0,63}$")


def name_problem(name: str) -> str | None:
    """Why ``name`` is not a valid region/projection name (the file schema's pattern), or None."""
    if not NAME_RE.match(name or ""):
        return "names use letters, digits, space, _ - < > + (at most 64 characters)"
    return None


class CircuitDocument(QObject):
    """A circuit, its file path and its undo stack; emits one signal per kind of change."""

    reset = Signal()                      # the whole circuit was replaced
    region_added = Signal(str)
    region_removed = Signal(str)
    region_changed = Signal(str)          # fields/params of a region changed
    region_renamed = Signal(str, str)     # old, new
    region_moved = Signal(str)
    projection_added = Signal(str)
    projection_removed = Signal(str)
    projection_changed = Signal(str)
    projection_renamed = Signal(str, str)
    protocol_changed = Signal()
    settings_changed = Signal()
    path_changed = Signal(str)
    modified_changed = Signal(bool)

    def __init__(self, circuit: Circuit | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.circuit = circuit or Circuit()
        self.path: str | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(lambda clean: self.modified_changed.emit(not clean))

    # -- whole-document operations (not undoable: they start a new history) ------------------
    def set_circuit(self, circuit: Circuit, path: str | None = None) -> None:
        self.circuit = circuit
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.set_path(path)
        self.reset.emit()

    def set_path(self, path: str | None) -> None:
        self.path = path
        self.path_changed.emit(path or "")

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    # -- queries ----------------------------------------------------------------------------
    def names(self) -> set[str]:
        """Region and projection names share one namespace (the file validator requires it)."""
        return {r.name for r in self.circuit.regions} | {p.name for p in self.circuit.projections}

    def unique_name(self, base: str, taken: set[str] | None = None) -> str:
        taken = self.names() if taken is None else taken
        base = (base or "R").strip()[:58]
        if base not in taken:
            return base
        i = 2
        while f"{base} {i}" in taken:
            i += 1
        return f"{base} {i}"

    def position(self, name: str) -> tuple[float, float]:
        x, y = self.circuit.layout.get(name, (0.0, 0.0))
        return float(x), float(y)

    def has_region(self, name: str) -> bool:
        return any(r.name == name for r in self.circuit.regions)

    def has_projection(self, name: str) -> bool:
        return any(p.name == name for p in self.circuit.projections)

    # -- regions ----------------------------------------------------------------------------
    def insert_region(self, region: Region, index: int | None = None, pos=None) -> None:
        regions = self.circuit.regions
        regions.insert(len(regions) if index is None else index, copy.deepcopy(region))
        if pos is not None:
            self.circuit.layout[region.name] = [float(pos[0]), float(pos[1])]
        self.region_added.emit(region.name)

    def remove_region(self, name: str) -> tuple[Region, int, list[float] | None]:
        """Remove a region (its projections must already be gone); return what undo needs."""
        regions = self.circuit.regions
        index = next(i for i, r in enumerate(regions) if r.name == name)
        region = regions.pop(index)
        pos = self.circuit.layout.pop(name, None)
        self.region_removed.emit(name)
        return region, index, pos

    def replace_region(self, name: str, region: Region) -> None:
        """Replace a region's fields and params (same name; renaming is :meth:`rename`)."""
        regions = self.circuit.regions
        index = next(i for i, r in enumerate(regions) if r.name == name)
        regions[index] = copy.deepcopy(replace(region, name=name))
        self.region_changed.emit(name)

    def move_region(self, name: str, pos) -> None:
        self.circuit.layout[name] = [float(pos[0]), float(pos[1])]
        self.region_moved.emit(name)

    # -- projections ------------------------------------------------------------------------
    def insert_projection(self, projection: Projection, index: int | None = None) -> None:
        ps = self.circuit.projections
        ps.insert(len(ps) if index is None else index, copy.deepcopy(projection))
        self.projection_added.emit(projection.name)

    def remove_projection(self, name: str) -> tuple[Projection, int]:
        ps = self.circuit.projections
        index = next(i for i, p in enumerate(ps) if p.name == name)
        proj = ps.pop(index)
        self.projection_removed.emit(name)
        return proj, index

    def replace_projection(self, name: str, projection: Projection) -> None:
        ps = self.circuit.projections
        index = next(i for i, p in enumerate(ps) if p.name == name)
        old = ps[index]
        ps[index] = copy.deepcopy(replace(projection, name=name, source=old.source, target=old.target))
        self.projection_changed.emit(name)

    # -- renaming: every reference follows (projection ends, layout, protocol, expect, params) --
    def rename(self, old: str, new: str) -> None:
        c = self.circuit
        is_region = self.has_region(old)
        # projections still named after their ends ("Poisson->LIF", "Poisson->LIF 2") follow the region
        follow = [(p.name, _auto_name(p.name, p.source, p.target, old, new)) for p in c.projections] if is_region else []
        for r in c.regions:
            if r.name == old:
                r.name = new
        for p in c.projections:
            if p.name == old:
                p.name = new
            if is_region:
                p.source = new if p.source == old else p.source
                p.target = new if p.target == old else p.target
                for rule in p.rules:
                    _rename_region_params(rule.params, simcore.kind("rule", rule.kind), old, new)
        if is_region:
            for r in c.regions:
                _rename_region_params(r.params, simcore.kind("neuron", r.model), old, new)
            if old in c.layout:
                c.layout = {(new if k == old else k): v for k, v in c.layout.items()}
        for r in c.regions:  # a homeostat lists the projections it acts on by name
            if r.homeostasis is not None:
                r.homeostasis.projections = [new if n == old else n for n in r.homeostasis.projections]
        for e in c.protocol:
            e.target = new if e.target == old else e.target
        for e in c.expect:
            e.target = new if e.target == old else e.target
        for ch in c.fork.changes if c.fork is not None else ():
            ch.target = new if ch.target == old else ch.target
        (self.region_renamed if is_region else self.projection_renamed).emit(old, new)
        taken = self.names()
        for before, after in follow:
            if after and after not in taken:
                self.rename(before, after)
                taken = self.names()

    # -- protocol, expectations, settings ---------------------------------------------------
    def set_protocol(self, events: list[Event]) -> None:
        self.circuit.protocol = copy.deepcopy(list(events))
        self.protocol_changed.emit()

    def set_fork(self, fork) -> None:
        """The circuit's A/B fork (simcore.model.Fork or None); the A/B panel arms it at the next reset."""
        self.circuit.fork = copy.deepcopy(fork)

    def set_expect(self, expect: list[Expect]) -> None:
        self.circuit.expect = copy.deepcopy(list(expect))

    def set_header(self, **fields) -> None:
        """Circuit-level fields: name, title, description, settings, recording."""
        for k, v in fields.items():
            setattr(self.circuit, k, copy.deepcopy(v))
        self.settings_changed.emit()


def _auto_name(name: str, source: str, target: str, old: str, new: str) -> str | None:
    """The new default name of a projection named after its ends when region ``old`` becomes ``new``
    (None when the name was chosen by the user or does not involve the region)."""
    base = f"{source}->{target}"
    if old not in (source, target) or not (name == base or re.fullmatch(re.escape(base) + r" \d+", name)):
        return None
    renamed = f"{new if source == old else source}->{new if target == old else target}"
    return renamed + name[len(base):]


def _rename_region_params(params: dict, kind, old: str, new: str) -> None:
    for p in kind.params:
        if p.type == "region" and params.get(p.name) == old:
            params[p.name] = new
