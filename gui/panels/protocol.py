"""The protocol table: timed events (time, action, target, param, value), validated per row.

Targets and settable parameter paths are offered as combo boxes so most mistakes cannot be typed;
what remains (a value out of range, a reward to a non-modulatory region) marks the row red with
the reason, exactly as loading the file would report it.
"""
from __future__ import annotations

import copy
from dataclasses import asdict

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

import simcore
from simcore.model import ACTIONS, Event
from simcore.validate import _check_protocol

from .. import commands
from ..document import CircuitDocument

COLUMNS = ("time (s)", "action", "target", "param", "value")
BAD = QColor("#fbe3e1")


def settable_paths(circuit, target: str) -> list[str]:
    """Parameter paths a "set" event may change on ``target``."""
    try:
        r = circuit.region(target)
        h = r.homeostasis
        extra = [f"homeostasis.{n}" for n in simcore.kind("homeostasis", h.kind).param_names()] + \
            ["homeostasis.enabled"] if h is not None else []
        return simcore.kind("neuron", r.model).param_names() + extra
    except KeyError:
        pass
    try:
        p = circuit.projection(target)
    except KeyError:
        return []
    out = []
    for i, rule in enumerate(p.rules):
        out += [f"rules.{i}.{n}" for n in simcore.kind("rule", rule.kind).param_names()] + [f"rules.{i}.enabled"]
    return out


def event_problem(circuit, event: Event) -> str | None:
    """Why an event would be refused when the file is loaded (None if it is fine)."""
    if not isinstance(event.time_s, float) or event.time_s < 0:
        return "time must be a number >= 0"
    doc = simcore.to_dict(circuit)
    doc["protocol"] = [asdict(event)]
    names = {n: "" for n in {r.name for r in circuit.regions} | {p.name for p in circuit.projections}}
    try:
        _check_protocol(doc, names)
    except simcore.CircuitError as err:
        return err.reason
    return None


def parse_value(text: str):
    t = text.strip()
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    try:
        return float(t)
    except ValueError:
        return t


def format_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return f"{v:g}" if isinstance(v, float) else str(v)


class ProtocolPanel(QWidget):
    """Edits ``circuit.protocol``; each change is one undoable command."""

    def __init__(self, doc: CircuitDocument, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.itemChanged.connect(lambda *_: self._commit())
        self.status = QLabel()
        self.status.setStyleSheet("color: #c0392b;")
        add, remove = QPushButton("Add event"), QPushButton("Remove")
        add.setObjectName("addEventButton")
        remove.setObjectName("removeEventButton")
        add.clicked.connect(self.add_event)
        remove.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addWidget(self.status, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.table)
        lay.addLayout(buttons)
        for sig in (doc.reset, doc.protocol_changed, doc.region_renamed, doc.projection_renamed,
                    doc.region_added, doc.region_removed, doc.projection_added, doc.projection_removed,
                    doc.projection_changed):
            sig.connect(lambda *_: self.refresh())
        self.refresh()

    # -- table <-> events --------------------------------------------------------------------------
    def refresh(self) -> None:
        c = self.doc.circuit
        targets = [r.name for r in c.regions] + [p.name for p in c.projections]
        self.table.blockSignals(True)
        self.table.setRowCount(len(c.protocol))
        problems = []
        for row, e in enumerate(c.protocol):
            self._set_text(row, 0, f"{e.time_s:g}")
            self.table.setCellWidget(row, 1, self._combo(ACTIONS, e.action))
            self.table.setCellWidget(row, 2, self._combo(targets, e.target))
            paths = settable_paths(c, e.target) if e.action == "set" else []
            param = self._combo(paths, e.param)
            param.setEnabled(e.action == "set")
            self.table.setCellWidget(row, 3, param)
            self._set_text(row, 4, format_value(e.value))
            problem = event_problem(c, e)
            for col in (0, 4):
                item = self.table.item(row, col)
                item.setBackground(BAD if problem else QColor(Qt.transparent))
                item.setToolTip(problem or "")
            if problem:
                problems.append(f"row {row + 1}: {problem}")
        self.table.blockSignals(False)
        self.status.setText("; ".join(problems[:2]) + (" …" if len(problems) > 2 else ""))

    def _set_text(self, row: int, col: int, text: str) -> None:
        item = self.table.item(row, col)  # reused, never replaced: we may be inside its itemChanged
        if item is None:
            self.table.setItem(row, col, QTableWidgetItem(text))
        elif item.text() != text:
            item.setText(text)

    def _combo(self, items, current) -> QComboBox:
        box = QComboBox()
        box.addItems(list(items))
        if current and current not in items:
            box.addItem(current)
        box.setCurrentText(current)
        box.currentTextChanged.connect(lambda *_: self._commit())
        return box

    def events_from_table(self) -> list[Event] | None:
        events = []
        old = self.doc.circuit.protocol
        for row in range(self.table.rowCount()):
            try:
                t = float(self.table.item(row, 0).text())
            except (ValueError, AttributeError):
                self.status.setText(f"row {row + 1}: the time must be a number of seconds")
                return None
            action = self.table.cellWidget(row, 1).currentText()
            target = self.table.cellWidget(row, 2).currentText()
            param = self.table.cellWidget(row, 3).currentText() if action == "set" else ""
            value = parse_value(self.table.item(row, 4).text())
            if action == "set" and row < len(old) and (old[row].target != target or old[row].action != action):
                paths = settable_paths(self.doc.circuit, target)  # new target: offer its first parameter
                param = param if param in paths else (paths[0] if paths else "")
            events.append(Event(t, action, target, param, value))
        return events

    def _commit(self) -> None:
        events = self.events_from_table()
        if events is None:
            self.refresh()
            return
        if events != self.doc.circuit.protocol:
            self.doc.undo_stack.push(commands.SetProtocol(self.doc, events))

    # -- buttons ------------------------------------------------------------------------------------
    def add_event(self) -> None:
        c = self.doc.circuit
        if not c.regions:
            self.status.setText("add a region first")
            return
        last = max((e.time_s for e in c.protocol), default=0.0)
        target = c.regions[0].name
        paths = settable_paths(c, target)
        value = c.regions[0].params.get(paths[0], 0.0) if paths else 0.0
        events = copy.deepcopy(c.protocol) + [Event(float(last + 1.0 if c.protocol else 1.0), "set", target,
                                                    paths[0] if paths else "", value)]
        self.doc.undo_stack.push(commands.SetProtocol(self.doc, events, "Add protocol event"))

    def remove_selected(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()} or ({self.table.currentRow()} - {-1})
        if not rows:
            return
        events = [e for i, e in enumerate(self.doc.circuit.protocol) if i not in rows]
        self.doc.undo_stack.push(commands.SetProtocol(self.doc, events, "Remove protocol event"))
