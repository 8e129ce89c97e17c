"""The inspector shows and edits a region's homeostasis (per-neuron scaling) from its declaration."""
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit

import simcore
from tests.gui.conftest import small_circuit


def circuit():
    c = small_circuit()
    c.regions.insert(0, simcore.make_region("In", "poisson", 50))
    c.projections.append(simcore.make_projection("In->E", "In", "E"))
    c.projections.append(simcore.make_projection("E->E", "E", "E"))
    c.layout["In"] = [-300.0, 0.0]
    return c


def test_homeostasis_is_added_edited_renamed_and_removed_through_undoable_edits(window):
    window.set_circuit(circuit(), None)
    window.scene.select_names(["E"])
    insp = window.inspector
    combo = insp.findChild(QComboBox, "homeostasisCombo")
    assert combo.currentData() == "" and window.document.circuit.region("E").homeostasis is None
    combo.setCurrentIndex(combo.findData("scaling"))
    h = window.document.circuit.region("E").homeostasis
    assert h is not None and h.params == simcore.model.complete("homeostasis", "scaling")
    acts = insp.findChild(QLabel, "homeostasisActsOn")
    assert acts.text() == "In->E, E->E"  # every excitatory projection onto E, not the inhibitory one
    spin = insp.editors["homeostasis.inhibitory_exponent"].editor
    spin.setValue(1.0)
    assert window.document.circuit.region("E").homeostasis.params["inhibitory_exponent"] == 1.0
    acts = insp.findChild(QLabel, "homeostasisActsOn")
    assert "I->E (g^-1)" in acts.text()
    listed = insp.findChild(QLineEdit, "homeostasisProjections")
    listed.setText("In->E")
    listed.editingFinished.emit()
    assert window.document.circuit.region("E").homeostasis.projections == ["In->E"]
    assert window.validate() is None
    window.document.undo_stack.push(__import__("gui.commands", fromlist=["Rename"]).Rename(window.document, "In->E", "FF"))
    assert window.document.circuit.region("E").homeostasis.projections == ["FF"]  # the reference follows
    window.scene.select_names(["E"])
    insp.findChild(QCheckBox, "homeostasisEnabled").setChecked(False)
    assert window.document.circuit.region("E").homeostasis.enabled is False
    saved = simcore.from_dict(simcore.to_dict(window.document.circuit))
    assert saved.region("E").homeostasis == window.document.circuit.region("E").homeostasis
    combo = insp.findChild(QComboBox, "homeostasisCombo")
    combo.setCurrentIndex(combo.findData(""))
    assert window.document.circuit.region("E").homeostasis is None
    window.document.undo_stack.undo()
    assert window.document.circuit.region("E").homeostasis.projections == ["FF"]


def test_protocol_events_can_switch_or_tune_a_homeostat():
    from gui.panels.protocol import settable_paths

    c = circuit()
    assert not any(p.startswith("homeostasis.") for p in settable_paths(c, "E"))
    c.region("E").homeostasis = simcore.make_homeostasis()
    paths = settable_paths(c, "E")
    assert "homeostasis.enabled" in paths and "homeostasis.target_hz" in paths
    c.protocol = [simcore.Event(1.0, "set", "E", "homeostasis.enabled", False)]
    assert simcore.from_dict(simcore.to_dict(c)).protocol[0].value is False  # validated and typed
