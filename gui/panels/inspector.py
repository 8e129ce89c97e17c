"""The inspector: a form GENERATED from the Param declarations of the selected object.

Region: name, model, size, role, model parameters. Projection: name, synapse type, connectivity,
weights and delay (kind + parameters), the ordered rule list. Nothing selected: the circuit's
header and settings. Every change is one undo command; the form follows the document.
"""
from __future__ import annotations

import copy

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QScrollArea, QSpinBox, QToolButton, QVBoxLayout, QWidget)

import simcore
from simcore.model import ALLOWED_SYNAPSES, SYNAPSES, Component, Rule, complete

from .. import commands, style
from ..document import CircuitDocument, name_problem
from ..sweep import menu as sweep_menu
from .param_widgets import ParamEditor, param_label

COMPONENTS = (("connectivity", "Connectivity"), ("weights", "Weights"), ("delay", "Delay"))


def gain_hint(p) -> str:
    """How stored weight, gain and effective weight relate when a rule of ``p`` acts through the
    per-neuron gain (synaptic scaling, normalization): bounds like ``w_max`` hold for the stored W,
    the plots show the effective w = W·g, which can go beyond them."""
    kinds = [simcore.kind("rule", r.kind) for r in p.rules if r.enabled]
    gain = [k.label for k in kinds if getattr(k.impl, "uses_gain", False)]
    if not gain:
        return ""
    bounded = [k.label for k in kinds if "w_max" in k.param_names()]
    text = (f"{' and '.join(gain)} multiplies each neuron's stored weights W by a gain g: the plots show the "
            f"effective weight w = W·g.")
    if bounded:
        text += f" w_max of {', '.join(bounded)} bounds the stored W, so w can exceed it."
    return text


class Inspector(QScrollArea):
    """Shows and edits one region, one projection, or the circuit."""

    def __init__(self, doc: CircuitDocument, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.setWidgetResizable(True)
        self.setMinimumWidth(300)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.target: tuple[str, str] = ("", "")
        self.editors: dict[str, ParamEditor] = {}
        self._structure = None
        doc.reset.connect(lambda: self.show_target("", ""))
        for sig in (doc.region_changed, doc.projection_changed):
            sig.connect(lambda name: self._changed(name))
        for sig in (doc.region_renamed, doc.projection_renamed):
            sig.connect(self._renamed)
        for sig in (doc.region_removed, doc.projection_removed):
            sig.connect(lambda name: self._removed(name))
        for sig in (doc.region_added, doc.settings_changed):
            sig.connect(lambda *_: self.refresh())
        self.show_target("", "")

    # -- following the document ---------------------------------------------------------------
    def show_target(self, kind: str, name: str) -> None:
        self.target = (kind, name)
        self._structure = None
        self.refresh()

    def _changed(self, name: str) -> None:
        if self.target[1] == name:
            self.refresh()

    def _renamed(self, old: str, new: str) -> None:
        if self.target[1] == old:
            self.target = (self.target[0], new)
        self._structure = None
        self.refresh()

    def _removed(self, name: str) -> None:
        if self.target[1] == name:
            self.show_target("", "")
        else:
            self.refresh()

    def refresh(self) -> None:
        """Update values in place when the form's structure is unchanged (keeps focus), else rebuild."""
        kind, name = self.target
        structure = self._structure_key()
        if structure == self._structure:
            for path, editor in self.editors.items():
                editor.set_value(self._value_at(path))
            self._update_fixed_fields()
            return
        self._structure = structure
        # the same target rebuilt (a rule added or removed): stay where the user was, not at the top
        keep = self.verticalScrollBar().value() if getattr(self, "_built_for", None) == self.target else 0
        self._built_for = self.target
        self.editors = {}
        self._fixed = {}
        body = QWidget()
        body.setObjectName("inspectorBody")
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(8, 8, 8, 8)
        self._layout.setSpacing(8)
        if kind == "region":
            self._build_region(self.doc.circuit.region(name))
        elif kind == "projection":
            self._build_projection(self.doc.circuit.projection(name))
        else:
            self._build_circuit()
        self._layout.addStretch(1)
        old = self.takeWidget()
        if old is not None:  # we may be inside a signal of one of its editors: delete it later
            old.hide()
            old.deleteLater()
        self.setWidget(body)
        body.adjustSize()
        self.verticalScrollBar().setValue(keep)
        if getattr(self, "_show_added_rule", False):  # "Add rule": the new rule and the button in view
            self._show_added_rule = False
            button = body.findChild(QPushButton, "addRuleButton")
            if button is not None:
                self.ensureWidgetVisible(button, 0, 60)

    def _structure_key(self):
        kind, name = self.target
        regions = tuple(r.name for r in self.doc.circuit.regions)
        if kind == "region":
            r = self.doc.circuit.region(name)
            h = r.homeostasis
            return kind, name, r.model, r.role, regions, h and (h.kind, h.enabled, self._acts_on(r))
        if kind == "projection":
            p = self.doc.circuit.projection(name)
            return (kind, name, p.synapse, p.connectivity.kind, p.weights.kind, p.delay.kind,
                    tuple((r.kind, r.enabled) for r in p.rules), regions)
        return "circuit", regions

    def _value_at(self, path: str):
        kind, name = self.target
        parts = path.split(".")
        if kind == "region":
            r = self.doc.circuit.region(name)
            return (r.homeostasis.params if parts[0] == "homeostasis" else r.params)[parts[1]]
        if kind == "projection":
            p = self.doc.circuit.projection(name)
            if parts[0] == "rules":
                return p.rules[int(parts[1])].params[parts[2]]
            return getattr(p, parts[0]).params[parts[1]]
        return getattr(getattr(self.doc.circuit, parts[0]), parts[1])

    def _update_fixed_fields(self) -> None:
        kind, name = self.target
        obj = self.doc.circuit.region(name) if kind == "region" else \
            self.doc.circuit.projection(name) if kind == "projection" else self.doc.circuit
        for attr, widget in self._fixed.items():
            value = getattr(obj, attr)
            widget.blockSignals(True)
            if isinstance(widget, QSpinBox):
                widget.setValue(value)
            else:
                widget.setText(str(value))
            widget.blockSignals(False)

    # -- building blocks --------------------------------------------------------------------------
    def _header(self, title: str, subtitle: str, colour) -> None:
        label = QLabel(f"<span style='font-size:13pt; font-weight:600'>{title}</span>"
                       f"<br><span style='color:#5c6570'>{subtitle}</span>")
        label.setTextFormat(Qt.RichText)
        label.setWordWrap(True)
        label.setStyleSheet(f"border-left: 4px solid {colour.name()}; padding-left: 8px;")
        self._layout.addWidget(label)

    def _group(self, title: str) -> QFormLayout:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self._layout.addWidget(box)
        return form

    def _param_rows(self, form: QFormLayout, kind, values: dict, prefix: str, commit) -> None:
        regions = [r.name for r in self.doc.circuit.regions]
        for p in kind.params:
            editor = ParamEditor(p, values[p.name], lambda v, n=p.name: commit(n, v), regions)
            self.editors[f"{prefix}.{p.name}"] = editor
            label = param_label(p)
            form.addRow(label, editor)
            sweep_menu.attach(self, label, editor, f"{prefix}.{p.name}")  # right-click: "Sweep this parameter..."
        if not kind.params:
            form.addRow(QLabel("<i>no parameters</i>"))

    def _name_field(self, form: QFormLayout, name: str) -> None:
        edit = QLineEdit(name)
        edit.setObjectName("nameEdit")
        edit.editingFinished.connect(lambda: self._rename(edit))
        self._fixed["name"] = edit
        form.addRow("name", edit)

    def _rename(self, edit: QLineEdit) -> None:
        old, new = self.target[1], edit.text().strip()
        if new == old:
            return
        problem = name_problem(new) or (f"{new!r} is already used" if new in self.doc.names() else None)
        if problem:
            edit.setText(old)
            edit.setToolTip(f"Not renamed: {problem}")
            return
        self.doc.undo_stack.push(commands.Rename(self.doc, old, new))

    @staticmethod
    def _combo(items, current, on_change, labels=None, name="") -> QComboBox:
        box = QComboBox()
        box.setObjectName(name)
        for i, item in enumerate(items):
            box.addItem(labels[i] if labels else item, item)
        box.setCurrentIndex(max(0, list(items).index(current) if current in items else 0))
        box.currentIndexChanged.connect(lambda i: on_change(box.itemData(i)))
        return box

    # -- region -----------------------------------------------------------------------------------
    def _build_region(self, r) -> None:
        k = simcore.kind("neuron", r.model)
        self._header(r.name, f"{k.label} · {r.role}", style.ROLE_EDGE[r.role])
        form = self._group("Region")
        self._name_field(form, r.name)
        models = list(simcore.kinds("neuron"))
        labels = [simcore.kind("neuron", m).label for m in models]
        form.addRow("model", self._combo(models, r.model, self._set_model, labels, "modelCombo"))
        size = QSpinBox()
        size.setObjectName("sizeSpin")
        size.setRange(1, 2**31 - 1)
        size.setGroupSeparatorShown(True)
        size.setKeyboardTracking(False)
        size.setValue(r.size)
        size.setToolTip("Number of neurons (or units) in the region")
        size.valueChanged.connect(lambda v: self._edit_region(lambda x: setattr(x, "size", v), key="size"))
        self._fixed["size"] = size
        form.addRow("size", size)
        form.addRow("role", self._combo(list(k.info["roles"]), r.role, self._set_role, name="roleCombo"))
        form = self._group(f"{k.label} parameters")
        self._param_rows(form, k, r.params, "params", self._set_region_param)
        help_label = QLabel(k.help)
        help_label.setWordWrap(True)
        help_label.setStyleSheet("color: #5c6570;")
        self._layout.addWidget(help_label)
        if k.impl is not None and k.impl.spiking and simcore.kinds("homeostasis"):
            self._build_homeostasis(r)

    def _build_homeostasis(self, r) -> None:
        """The region's homeostat (one sensor and factor per neuron across its inputs), if any."""
        h = r.homeostasis
        names = list(simcore.kinds("homeostasis"))
        form = self._group("Homeostasis of the neurons")
        form.parentWidget().setObjectName("homeostasisBox")
        labels = ["none"] + [simcore.kind("homeostasis", n).label for n in names]
        form.addRow("kind", self._combo([""] + names, h.kind if h else "", self._set_homeostasis_kind, labels,
                                        "homeostasisCombo"))
        if h is None:
            return
        hk = simcore.kind("homeostasis", h.kind)
        on = QCheckBox("enabled")
        on.setObjectName("homeostasisEnabled")
        on.setChecked(h.enabled)
        on.toggled.connect(lambda v: self._edit_region(lambda x: setattr(x.homeostasis, "enabled", v)))
        form.addRow("", on)
        listed = QLineEdit(", ".join(h.projections))
        listed.setObjectName("homeostasisProjections")
        listed.setPlaceholderText("every one it applies to")
        listed.setToolTip("Incoming projections it acts on, separated by commas (empty: all it applies to)")
        listed.editingFinished.connect(lambda: self._edit_region(lambda x: setattr(
            x.homeostasis, "projections", [n.strip() for n in listed.text().split(",") if n.strip()])))
        form.addRow("projections", listed)
        acts_label = QLabel(self._acts_on(r))
        acts_label.setObjectName("homeostasisActsOn")
        acts_label.setWordWrap(True)
        form.addRow("acts on", acts_label)
        self._param_rows(form, hk, h.params, "homeostasis",
                         lambda n, v: self._edit_region(lambda x: x.homeostasis.params.__setitem__(n, v),
                                                        key=("homeostasis", n)))
        help_label = QLabel(hk.help)
        help_label.setWordWrap(True)
        help_label.setStyleSheet("color: #5c6570;")
        self._layout.addWidget(help_label)

    def _acts_on(self, r) -> str:
        """Which incoming projections the region's homeostat acts on, and how (g^e), or why none."""
        from simcore.validate import homeostat_members

        h = r.homeostasis
        incoming = [(p.name, p.synapse) for p in self.doc.circuit.projections if p.target == r.name]
        try:
            members = homeostat_members(h.kind, h.params, h.projections, incoming)
        except ValueError as err:
            return str(err)
        return ", ".join(f"{n} (g^{e:g})" if e != 1.0 else n for n, e in members) or "no projection"

    def _set_homeostasis_kind(self, name: str) -> None:
        from simcore.model import make_homeostasis

        self._edit_region(lambda r: setattr(r, "homeostasis", make_homeostasis(name) if name else None))

    def _edit_region(self, mutate, key=None) -> None:
        new = copy.deepcopy(self.doc.circuit.region(self.target[1]))
        mutate(new)
        self.doc.undo_stack.push(commands.edit_region(self.doc, new, key=key))

    def _set_region_param(self, pname, value):
        self._edit_region(lambda r: r.params.__setitem__(pname, value), key=("param", pname))

    def _set_model(self, model: str) -> None:
        def mutate(r):
            roles = simcore.kind("neuron", model).info["roles"]
            r.model, r.params = model, complete("neuron", model)
            r.role = r.role if r.role in roles else roles[0]
        self._edit_region(mutate)

    def _set_role(self, role: str) -> None:
        self._edit_region(lambda r: setattr(r, "role", role))

    # -- projection -------------------------------------------------------------------------------
    def _build_projection(self, p) -> None:
        role = self.doc.circuit.region(p.source).role
        self._header(p.name, f"{p.source} → {p.target}", style.SYNAPSE_COLOR[p.synapse])
        form = self._group("Projection")
        self._name_field(form, p.name)
        form.addRow("synapse", self._combo(list(ALLOWED_SYNAPSES[role]), p.synapse, self._set_synapse,
                                           name="synapseCombo"))
        for attr, title in COMPONENTS:
            comp = getattr(p, attr)
            form = self._group(title)
            names = list(simcore.kinds(attr))
            labels = [simcore.kind(attr, n).label for n in names]
            form.addRow("kind", self._combo(names, comp.kind, lambda k, a=attr: self._set_component(a, k),
                                            labels, f"{attr}Combo"))
            self._param_rows(form, simcore.kind(attr, comp.kind), comp.params, attr,
                             lambda n, v, a=attr: self._edit_projection(
                                 lambda x: getattr(x, a).params.__setitem__(n, v), key=(a, n)))
        self._build_rules(p)

    def _build_rules(self, p) -> None:
        box = QGroupBox(f"Rules ({len(p.rules)})")
        lay = QVBoxLayout(box)
        hint = gain_hint(p)
        if hint:
            note = QLabel(hint, objectName="gainHint")
            note.setWordWrap(True)
            note.setStyleSheet("color: #5c6570;")
            lay.addWidget(note)
        for i, rule in enumerate(p.rules):
            lay.addWidget(self._rule_box(p, i, rule))
        applicable = [n for n, k in simcore.kinds("rule").items() if p.synapse in k.info.get("synapses", SYNAPSES)]
        row = QHBoxLayout()
        combo = QComboBox()
        combo.setObjectName("ruleKindCombo")
        for n in applicable:
            combo.addItem(simcore.kind("rule", n).label, n)
            combo.setItemData(combo.count() - 1, simcore.kind("rule", n).help, Qt.ToolTipRole)
        add = QPushButton("Add rule")
        add.setObjectName("addRuleButton")
        add.setEnabled(bool(applicable))
        add.clicked.connect(lambda: self.add_rule(combo.currentData()))
        row.addWidget(combo, 1)
        row.addWidget(add)
        lay.addLayout(row)
        if not applicable:
            lay.addWidget(QLabel(f"<i>no rule applies to {p.synapse} synapses</i>"))
        self._layout.addWidget(box)

    def _rule_box(self, p, i: int, rule: Rule) -> QWidget:
        k = simcore.kind("rule", rule.kind)
        box = QGroupBox(f"{i + 1}. {k.label}")
        box.setCheckable(True)
        box.setChecked(rule.enabled)
        box.setToolTip(k.help)
        box.toggled.connect(lambda on: self._edit_projection(lambda x: setattr(x.rules[i], "enabled", on)))
        form = QFormLayout(box)
        buttons = QHBoxLayout()
        for text, tip, fn in (("▲", "Move up", lambda: self.move_rule(i, -1)),
                              ("▼", "Move down", lambda: self.move_rule(i, 1)),
                              ("✕", "Remove rule", lambda: self.remove_rule(i))):
            b = QToolButton()
            b.setText(text)
            b.setToolTip(tip)
            b.clicked.connect(fn)
            buttons.addWidget(b)
        buttons.addStretch(1)
        form.addRow(buttons)
        self._param_rows(form, k, rule.params, f"rules.{i}",
                         lambda n, v: self._edit_projection(lambda x: x.rules[i].params.__setitem__(n, v),
                                                            key=("rules", i, n)))
        return box

    def _edit_projection(self, mutate, key=None, text="Edit") -> None:
        name = self.target[1]
        old = self.doc.circuit.projection(name)
        new = copy.deepcopy(old)
        mutate(new)
        self.doc.undo_stack.push(commands.EditProjection(self.doc, name, new, old, key=key,
                                                         text=f"{text} {name}"))

    def _set_synapse(self, synapse: str) -> None:
        def mutate(p):
            p.synapse = synapse
            p.rules = commands.conform(p, self.doc.circuit.region(p.source).role).rules
        self._edit_projection(mutate, text="Change synapse of")

    def _set_component(self, attr: str, kind_name: str) -> None:
        self._edit_projection(lambda p: setattr(p, attr, Component(kind_name, complete(attr, kind_name))),
                              text=f"Change {attr} of")

    def add_rule(self, kind_name: str) -> None:
        if kind_name:
            self._show_added_rule = True
            self._edit_projection(lambda p: p.rules.append(Rule(kind_name, complete("rule", kind_name))),
                                  text="Add rule to")

    def remove_rule(self, i: int) -> None:
        self._edit_projection(lambda p: p.rules.pop(i), text="Remove rule from")

    def move_rule(self, i: int, delta: int) -> None:
        j = i + delta
        if 0 <= j < len(self.doc.circuit.projection(self.target[1]).rules):
            def mutate(p):
                p.rules[i], p.rules[j] = p.rules[j], p.rules[i]
            self._edit_projection(mutate, text="Reorder rules of")

    # -- circuit ------------------------------------------------------------------------------------
    def _build_circuit(self) -> None:
        c = self.doc.circuit
        self._header(c.title or c.name, f"{len(c.regions)} regions · {len(c.projections)} projections",
                     style.TEXT_MUTED)
        form = self._group("Circuit")
        for attr in ("name", "title"):
            edit = QLineEdit(getattr(c, attr))
            edit.setObjectName(f"{attr}Edit")
            edit.editingFinished.connect(lambda a=attr, e=edit: self._set_header_text(a, e))
            self._fixed[attr] = edit
            form.addRow(attr, edit)
        for section, title in (("settings", "Simulation settings"), ("recording", "Recording")):
            form = self._group(title)
            obj = getattr(c, section)
            fake_kind = type("K", (), {"params": obj.PARAMS})
            values = {p.name: getattr(obj, p.name) for p in obj.PARAMS}
            self._param_rows(form, fake_kind, values, section,
                             lambda n, v, s=section: self._set_section(s, n, v))
        hint = QLabel("Select a region or projection to edit it. Drag a region kind from the palette "
                      "onto the canvas; drag from a region's edge (or Shift+drag) to connect.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5c6570;")
        self._layout.addWidget(hint)

    def _set_header_text(self, attr: str, edit: QLineEdit) -> None:
        value = edit.text().strip()
        if value == getattr(self.doc.circuit, attr):
            return
        if attr == "name" and not 1 <= len(value) <= 200:
            edit.setText(self.doc.circuit.name)
            return
        self.doc.undo_stack.push(commands.SetHeader(self.doc, attr, value))

    def _set_section(self, section: str, pname: str, value) -> None:
        obj = copy.deepcopy(getattr(self.doc.circuit, section))
        setattr(obj, pname, value)
        self.doc.undo_stack.push(commands.SetHeader(self.doc, section, obj))
