"""Out-of-range input in the inspector is explained next to the field and kept as typed."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QLabel

import simcore
from gui import commands


@pytest.mark.parametrize("typed,why", [("-10", ">= 0"), ("1e9", "<= 10000"), ("-5", ">= 0")])
def test_out_of_range_rate_is_explained_and_kept(window, qtbot, typed, why):
    d = window.document
    d.undo_stack.push(commands.AddRegion(d, simcore.make_region("Input", "poisson", rate_hz=10.0), (0, 0)))
    window.scene.select_names(["Input"])
    qtbot.wait(50)
    box = window.inspector.findChild(QAbstractSpinBox, "param_rate_hz")
    box.setFocus()
    box.lineEdit().selectAll()
    QTest.keyClicks(box.lineEdit(), typed)
    QTest.keyClick(box.lineEdit(), Qt.Key_Return)
    qtbot.wait(50)
    error = box.parent().findChild(QLabel, "paramError")
    assert error.isVisible() and why in error.text() and "rate_hz" in error.text()
    assert box.lineEdit().text().replace(" Hz", "").strip() in (typed, f"{float(typed):g}")
    assert d.circuit.region("Input").params["rate_hz"] == 10.0          # not applied
    box.lineEdit().selectAll()
    QTest.keyClicks(box.lineEdit(), "20")
    QTest.keyClick(box.lineEdit(), Qt.Key_Return)
    qtbot.waitUntil(lambda: d.circuit.region("Input").params["rate_hz"] == 20.0, timeout=2000)


def test_add_rule_keeps_the_inspector_where_the_user_was(window, qtbot):
    from PySide6.QtWidgets import QPushButton
    window.resize(1366, 768)
    d = window.document
    d.undo_stack.push(commands.AddRegion(d, simcore.make_region("In", "poisson"), (0, 0)))
    d.undo_stack.push(commands.AddRegion(d, simcore.make_region("E", "lif"), (300, 0)))
    d.undo_stack.push(commands.connect(d, "In", "E"))
    window.scene.select_names(["In->E"])
    qtbot.wait(50)
    insp = window.inspector
    insp.resize(insp.width(), 300)                       # short enough to scroll
    button = insp.findChild(QPushButton, "addRuleButton")
    insp.ensureWidgetVisible(button)
    qtbot.wait(20)
    assert insp.verticalScrollBar().value() > 0
    button.click()
    qtbot.wait(50)
    assert len(d.circuit.projection("In->E").rules) == 1
    bar = insp.verticalScrollBar()
    assert bar.value() > 0                                # not back at the top
    new_button = insp.findChild(QPushButton, "addRuleButton")
    top = new_button.mapTo(insp.viewport(), new_button.rect().topLeft()).y()
    assert 0 <= top <= insp.viewport().height()           # the Add row (below the new rule) is in view
