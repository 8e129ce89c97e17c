"""Undo commands: each redo/undo calls one :class:`CircuitDocument` method.

Compound edits (delete a region with its projections, change a role and fix the synapse types
Dale's law then requires, paste) are macros built from these small commands by the functions at
the bottom, so undo restores everything in reverse order.
"""
from __future__ import annotations

import copy
from dataclasses import replace

from PySide6.QtGui import QUndoCommand

import simcore
from simcore.model import ALLOWED_SYNAPSES, SYNAPSES, Projection, Region

from .document import CircuitDocument

MOVE_ID, EDIT_REGION_ID, EDIT_PROJECTION_ID, HEADER_ID = 1, 2, 3, 4


class Macro(QUndoCommand):
    """A compound edit. Children live in a Python list rather than as Qt child commands: PySide
    does not keep Python subclasses given a Qt parent alive (their redo would hit a dead object)."""

    def __init__(self, text: str):
        super().__init__(text)
        self.children: list[QUndoCommand] = []

    def redo(self):
        for c in self.children:
            c.redo()

    def undo(self):
        for c in reversed(self.children):
            c.undo()


class _Command(QUndoCommand):
    def __init__(self, doc: CircuitDocument, text: str, parent: Macro | None = None):
        super().__init__(text)
        self.doc = doc
        if parent is not None:
            parent.children.append(self)


class AddRegion(_Command):
    def __init__(self, doc, region: Region, pos, index=None, parent=None):
        super().__init__(doc, f"Add region {region.name}", parent)
        self.region, self.pos, self.index = copy.deepcopy(region), pos, index

    def redo(self):
        self.doc.insert_region(self.region, self.index, self.pos)

    def undo(self):
        self.doc.remove_region(self.region.name)


class RemoveRegion(_Command):
    def __init__(self, doc, name: str, parent=None):
        super().__init__(doc, f"Delete region {name}", parent)
        self.name, self.stash = name, None

    def redo(self):
        self.stash = self.doc.remove_region(self.name)

    def undo(self):
        region, index, pos = self.stash
        self.doc.insert_region(region, index, pos)


class AddProjection(_Command):
    def __init__(self, doc, projection: Projection, index=None, parent=None):
        super().__init__(doc, f"Add projection {projection.name}", parent)
        self.projection, self.index = copy.deepcopy(projection), index

    def redo(self):
        self.doc.insert_projection(self.projection, self.index)

    def undo(self):
        self.doc.remove_projection(self.projection.name)


class RemoveProjection(_Command):
    def __init__(self, doc, name: str, parent=None):
        super().__init__(doc, f"Delete projection {name}", parent)
        self.name, self.stash = name, None

    def redo(self):
        self.stash = self.doc.remove_projection(self.name)

    def undo(self):
        self.doc.insert_projection(*self.stash)


class MoveRegions(_Command):
    """Moves of one drag; consecutive moves of the same selection merge when ``merge`` is set."""

    def __init__(self, doc, moves: dict, text="Move", merge=False, parent=None):
        super().__init__(doc, text, parent)
        self.moves, self.merge = dict(moves), merge  # name -> (old_pos, new_pos)

    def id(self):
        return MOVE_ID if self.merge else -1

    def mergeWith(self, other):
        if not (isinstance(other, MoveRegions) and other.merge and other.moves.keys() == self.moves.keys()):
            return False
        self.moves = {k: (self.moves[k][0], other.moves[k][1]) for k in self.moves}
        return True

    def redo(self):
        for name, (_, new) in self.moves.items():
            self.doc.move_region(name, new)

    def undo(self):
        for name, (old, _) in self.moves.items():
            if old is None:
                self.doc.circuit.layout.pop(name, None)
                self.doc.region_moved.emit(name)
            else:
                self.doc.move_region(name, old)


class _Replace(_Command):
    """Replace one object by an edited copy; edits with the same ``key`` in a row merge."""

    ID = -1

    def __init__(self, doc, name, new, old, key=None, text="Edit", parent=None):
        super().__init__(doc, text, parent)
        self.name, self.new, self.old, self.key = name, copy.deepcopy(new), copy.deepcopy(old), key

    def id(self):
        return self.ID if self.key is not None else -1

    def mergeWith(self, other):
        if type(other) is not type(self) or (other.name, other.key) != (self.name, self.key):
            return False
        self.new = other.new
        return True


class EditRegion(_Replace):
    ID = EDIT_REGION_ID

    def redo(self):
        self.doc.replace_region(self.name, self.new)

    def undo(self):
        self.doc.replace_region(self.name, self.old)


class EditProjection(_Replace):
    ID = EDIT_PROJECTION_ID

    def redo(self):
        self.doc.replace_projection(self.name, self.new)

    def undo(self):
        self.doc.replace_projection(self.name, self.old)


class Rename(_Command):
    def __init__(self, doc, old: str, new: str, parent=None):
        super().__init__(doc, f"Rename {old} to {new}", parent)
        self.old, self.new = old, new

    def redo(self):
        self.doc.rename(self.old, self.new)

    def undo(self):
        self.doc.rename(self.new, self.old)


class SetProtocol(_Command):
    def __init__(self, doc, events, text="Edit protocol", parent=None):
        super().__init__(doc, text, parent)
        self.new, self.old = copy.deepcopy(events), copy.deepcopy(doc.circuit.protocol)

    def redo(self):
        self.doc.set_protocol(self.new)

    def undo(self):
        self.doc.set_protocol(self.old)


class SetExpect(_Command):
    def __init__(self, doc, expect, parent=None):
        super().__init__(doc, "Edit expectations", parent)
        self.new, self.old = copy.deepcopy(expect), copy.deepcopy(doc.circuit.expect)

    def redo(self):
        self.doc.set_expect(self.new)

    def undo(self):
        self.doc.set_expect(self.old)


class SetFork(_Command):
    """Replace the circuit's A/B fork (None: no fork)."""

    def __init__(self, doc, fork, parent=None):
        super().__init__(doc, "Edit the A/B fork", parent)
        self.new, self.old = copy.deepcopy(fork), copy.deepcopy(doc.circuit.fork)

    def redo(self):
        self.doc.set_fork(self.new)

    def undo(self):
        self.doc.set_fork(self.old)


class SetHeader(_Command):
    """Circuit name/title/description/settings/recording; edits of one field merge."""

    def __init__(self, doc, key: str, value, parent=None):
        super().__init__(doc, f"Edit {key}", parent)
        self.key, self.new, self.old = key, copy.deepcopy(value), copy.deepcopy(getattr(doc.circuit, key))

    def id(self):
        return HEADER_ID

    def mergeWith(self, other):
        if other.key != self.key:
            return False
        self.new = other.new
        return True

    def redo(self):
        self.doc.set_header(**{self.key: self.new})

    def undo(self):
        self.doc.set_header(**{self.key: self.old})


# -- macros -----------------------------------------------------------------------------------

def default_synapse(role: str) -> str:
    """Dale's law: a region's role decides the synapse type of what it sends."""
    return ALLOWED_SYNAPSES[role][0]


def conform(projection: Projection, source_role: str) -> Projection:
    """The projection with a synapse type its source may make and only rules that apply to it."""
    p = copy.deepcopy(projection)
    if p.synapse not in ALLOWED_SYNAPSES[source_role]:
        p.synapse = default_synapse(source_role)
    p.rules = [r for r in p.rules if p.synapse in simcore.kind("rule", r.kind).info.get("synapses", SYNAPSES)]
    return p


def delete_items(doc: CircuitDocument, regions, projections=()) -> QUndoCommand:
    """Delete regions with every projection touching them, and the protocol events, expectations
    and region references that would otherwise point at nothing."""
    regions = set(regions)
    gone_projections = {p.name for p in doc.circuit.projections
                        if p.name in set(projections) or p.source in regions or p.target in regions}
    gone = regions | gone_projections
    what = ", ".join(sorted(gone)) if len(gone) <= 3 else f"{len(gone)} items"
    macro = Macro(f"Delete {what}")
    for p in doc.circuit.projections:
        if p.name in gone_projections:
            RemoveProjection(doc, p.name, parent=macro)
    for p in doc.circuit.projections:
        if p.name not in gone_projections:
            cleaned = _clear_region_refs(p.rules, "rule", regions)
            if cleaned is not None:
                EditProjection(doc, p.name, replace(p, rules=cleaned), p, parent=macro)
    for r in doc.circuit.regions:
        if r.name not in regions:
            cleaned = _clear_region_refs([r], "neuron", regions)
            if cleaned is not None:
                EditRegion(doc, r.name, cleaned[0], r, parent=macro)
    events = [e for e in doc.circuit.protocol if e.target not in gone]
    if len(events) != len(doc.circuit.protocol):
        SetProtocol(doc, events, parent=macro)
    fork = doc.circuit.fork
    if fork is not None and any(ch.target in gone for ch in fork.changes):
        kept = [ch for ch in fork.changes if ch.target not in gone]
        SetFork(doc, replace(fork, changes=kept) if kept else None, parent=macro)
    expect = [e for e in doc.circuit.expect if e.target not in gone
              and (e.branch != "B" or (fork is not None and any(ch.target not in gone for ch in fork.changes)))]
    if len(expect) != len(doc.circuit.expect):
        SetExpect(doc, expect, parent=macro)
    for r in list(doc.circuit.regions):
        if r.name in regions:
            RemoveRegion(doc, r.name, parent=macro)
    return macro


def _clear_region_refs(objs, family: str, gone: set[str]):
    """Copies of ``objs`` with region-typed params naming a deleted region set to "" (None if none)."""
    out, changed = [], False
    for o in objs:
        o = copy.deepcopy(o)
        k = simcore.kind(family, o.kind if family == "rule" else o.model)
        for prm in k.params:
            if prm.type == "region" and o.params.get(prm.name) in gone:
                o.params[prm.name], changed = "", True
        out.append(o)
    return out if changed else None


def edit_region(doc: CircuitDocument, new: Region, key=None) -> QUndoCommand:
    """Edit a region; if its role changes, conform its projections to Dale's law in the same step."""
    old = doc.circuit.region(new.name)
    cmd = EditRegion(doc, new.name, new, old, key=key, text=f"Edit {new.name}")
    if new.role == old.role:
        return cmd
    macro = Macro(f"Edit {new.name}")
    cmd = EditRegion(doc, new.name, new, old, text=f"Edit {new.name}", parent=macro)
    for p in doc.circuit.projections:
        if p.target == new.name and new.role == "modulatory" and p.synapse != "modulatory":
            RemoveProjection(doc, p.name, parent=macro)  # a modulatory signal takes no synapses
        elif p.source == new.name:
            fixed = conform(p, new.role)
            if fixed != p:
                EditProjection(doc, p.name, fixed, p, parent=macro)
    return macro


def connect(doc: CircuitDocument, source: str, target: str) -> QUndoCommand | str:
    """A command adding a default projection source -> target, or the reason it is not allowed."""
    src, tgt = doc.circuit.region(source), doc.circuit.region(target)
    synapse = default_synapse(src.role)
    if tgt.role == "modulatory" and synapse != "modulatory":
        return f"{target} is a modulatory signal and takes no synapses"
    name = doc.unique_name(f"{source}->{target}")
    return AddProjection(doc, simcore.make_projection(name, source, target, synapse))


def add_fragment(doc: CircuitDocument, regions, projections, positions: dict, offset=(40.0, 40.0),
                 text="Paste") -> tuple[QUndoCommand, list[str]]:
    """Insert copies of regions (uniquely renamed) and the projections among them (paste/duplicate)."""
    macro = Macro(text)
    taken = doc.names()
    mapping = {}
    for r in regions:
        mapping[r.name] = doc.unique_name(r.name, taken)
        taken.add(mapping[r.name])
    for r in regions:
        r = copy.deepcopy(r)
        r.name = mapping[r.name]
        _remap_region_params(r.params, simcore.kind("neuron", r.model), mapping, taken)
        x, y = positions.get(next(k for k, v in mapping.items() if v == r.name), (0.0, 0.0))
        AddRegion(doc, r, (x + offset[0], y + offset[1]), parent=macro)
    for p in projections:
        if p.source not in mapping or p.target not in mapping:
            continue
        p = copy.deepcopy(p)
        p.source, p.target = mapping[p.source], mapping[p.target]
        p.name = doc.unique_name(f"{p.source}->{p.target}", taken)
        taken.add(p.name)
        for rule in p.rules:
            _remap_region_params(rule.params, simcore.kind("rule", rule.kind), mapping, taken)
        AddProjection(doc, p, parent=macro)
    return macro, list(mapping.values())


def _remap_region_params(params: dict, kind, mapping: dict, existing: set[str]) -> None:
    for prm in kind.params:
        if prm.type == "region" and params.get(prm.name):
            v = params[prm.name]
            params[prm.name] = mapping.get(v, v if v in existing else "")
