"""The generated inspector and the protocol table edit through undoable commands."""
from PySide6.QtWidgets import QComboBox, QPushButton, QSpinBox

import simcore
from gui.panels.param_widgets import ParamEditor, ParamSpinBox
from tests.gui.conftest import small_circuit


def _editor(win, path) -> ParamEditor:
    return win.inspector.editors[path]


def test_region_param_edit_undo_redo_and_refusal(window):
    window.set_circuit(small_circuit(), None)
    window.scene.select_names(["E"])
    assert window.inspector.target == ("region", "E")
    ed = _editor(window, "params.tau_m")
    spin = ed.editor
    assert isinstance(spin, ParamSpinBox) and spin.suffix() == " ms"
    assert "range" in spin.toolTip()  # the bounds are explained, not clamped (test_inspector_input.py)
    spin.setValue(15.0)
    assert window.document.circuit.region("E").params["tau_m"] == 15.0
    spin.setValue(12.5)  # consecutive edits of one parameter merge into one undo step
    assert window.document.undo_stack.count() == 1
    window.document.undo_stack.undo()
    assert window.document.circuit.region("E").params["tau_m"] == 20.0 and spin.value() == 20.0
    window.document.undo_stack.redo()
    assert window.document.circuit.region("E").params["tau_m"] == 12.5
    spin.setValue(0.0)  # tau_m must be > 0: refused, reason shown
    assert window.document.circuit.region("E").params["tau_m"] == 12.5
    assert not ed.error.isHidden() and "must be > 0" in ed.error.text()


def test_region_size_model_and_role(window):
    window.set_circuit(small_circuit(), None)
    window.scene.select_names(["E"])
    size = window.inspector.findChild(QSpinBox, "sizeSpin")
    size.setValue(1234)
    assert window.document.circuit.region("E").size == 1234
    role = window.inspector.findChild(QComboBox, "roleCombo")
    role.setCurrentText("inhibitory")  # Dale's law: E's outgoing projection becomes inhibitory
    c = window.document.circuit
    assert c.region("E").role == "inhibitory" and c.projection("E->I").synapse == "inhibitory"
    assert window.validate() is None
    window.document.undo_stack.undo()
    assert c.projection("E->I").synapse == "excitatory" and c.region("E").role == "excitatory"
    model = window.inspector.findChild(QComboBox, "modelCombo")
    model.setCurrentIndex(model.findData("adex"))
    assert c.region("E").model == "adex"
    assert c.region("E").params == simcore.model.complete("neuron", "adex")


def test_projection_components_and_rules(window):
    window.set_circuit(small_circuit(), None)
    window.scene.select_names(["E->I"])
    insp = window.inspector
    assert insp.target == ("projection", "E->I")
    insp.editors["connectivity.p"].editor.setValue(0.1)
    p = window.document.circuit.projection("E->I")
    assert p.connectivity.params["p"] == 0.1
    combo = insp.findChild(QComboBox, "weightsCombo")
    combo.setCurrentIndex(combo.findData("lognormal"))
    p = window.document.circuit.projection("E->I")
    assert p.weights.kind == "lognormal" and p.weights.params == simcore.model.complete("weights", "lognormal")
    rule_kinds = [k for k, v in simcore.kinds("rule").items() if "excitatory" in v.info.get("synapses", ("excitatory",))]
    assert rule_kinds
    insp.findChild(QComboBox, "ruleKindCombo").setCurrentIndex(0)
    insp.findChild(QPushButton, "addRuleButton").click()
    insp.findChild(QPushButton, "addRuleButton").click()
    p = window.document.circuit.projection("E->I")
    assert len(p.rules) == 2 and window.scene.projections["E->I"].badge
    first = next(path for path in insp.editors if path.startswith("rules.1."))
    ed = insp.editors[first]
    if isinstance(ed.editor, (ParamSpinBox, QSpinBox)):
        ed.editor.setValue(ed.editor.value() * 0.5 + 0.001 if ed.editor.maximum() > 1 else 0.5)
    insp.move_rule(1, -1)
    insp.remove_rule(1)
    assert len(window.document.circuit.projection("E->I").rules) == 1
    stack = window.document.undo_stack
    while stack.canUndo():
        stack.undo()
    assert window.document.circuit == small_circuit()


def test_protocol_rows_add_edit_remove_undo(window):
    window.set_circuit(small_circuit(), None)
    panel = window.protocol
    panel.add_event()
    c = window.document.circuit
    assert len(c.protocol) == 1 and c.protocol[0].action == "set" and c.protocol[0].target == "E"
    assert panel.table.rowCount() == 1 and panel.status.text() == ""
    panel.table.item(0, 0).setText("2.5")
    assert c.protocol[0].time_s == 2.5
    panel.table.item(0, 4).setText("-5")  # tau_m = -5 is refused when loading: the row is flagged
    assert "must be" in panel.status.text()
    panel.table.item(0, 4).setText("15")
    assert panel.status.text() == "" and window.document.circuit.protocol[0].value == 15.0
    panel.table.item(0, 0).setText("soon")  # not a number: refused, table restored
    assert window.document.circuit.protocol[0].time_s == 2.5 and panel.table.item(0, 0).text() == "2.5"
    panel.table.selectRow(0)
    panel.remove_selected()
    assert window.document.circuit.protocol == []
    window.document.undo_stack.undo()
    assert len(window.document.circuit.protocol) == 1
    assert window.validate() is None
