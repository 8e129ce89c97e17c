"""Editing on the canvas with real mouse events where feasible; every edit undoes and redoes."""
import copy

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui import clipboard
from gui.canvas.interaction import KIND_MIME
from tests.gui.conftest import small_circuit


def _view_point(win, scene_pt) -> QPoint:
    return win.view.mapFromScene(scene_pt)


def _drag(qtbot, viewport, start: QPoint, end: QPoint, modifier=Qt.NoModifier):
    QTest.mousePress(viewport, Qt.LeftButton, modifier, start)
    for i in range(1, 6):
        QTest.mouseMove(viewport, start + (end - start) * (i / 5))
    QTest.mouseRelease(viewport, Qt.LeftButton, modifier, end)


def _drop(view, model: str, pos: QPointF) -> bool:
    """What a drag from the palette delivers: enter, move, drop with the kind's mime data."""
    data = QMimeData()
    data.setData(KIND_MIME, model.encode())
    vp = view.viewport()
    QApplication.sendEvent(vp, QDragEnterEvent(pos.toPoint(), Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier))
    QApplication.sendEvent(vp, QDragMoveEvent(pos.toPoint(), Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier))
    drop = QDropEvent(pos, Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(vp, drop)
    return drop.isAccepted()


def test_drop_from_palette_creates_region_and_undo(window, qtbot):
    view = window.view
    pos = QPointF(view.viewport().rect().center())
    assert _drop(view, "poisson", pos)
    c = window.document.circuit
    assert [r.model for r in c.regions] == ["poisson"]
    name = c.regions[0].name
    assert name in window.scene.regions and window.document.modified
    assert set(c.regions[0].params) == {"rate_hz"}
    # a second drop gets a unique name
    assert _drop(view, "poisson", pos + QPointF(200, 0))
    assert len({r.name for r in c.regions}) == 2
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert c.regions == [] and window.scene.regions == {}
    assert not window.document.modified
    window.document.undo_stack.redo()
    assert [r.name for r in window.document.circuit.regions] == [name]


def test_every_palette_kind_can_be_added(window):
    for model in window.palette.model_names():
        window.view.add_region(model, QPointF(0, 0))
    assert len(window.document.circuit.regions) == window.palette.count() == len(__import__("simcore").kinds("neuron"))
    assert window.validate() is None


def test_drag_from_edge_draws_projection(window, qtbot):
    c = small_circuit()
    c.projections = []
    window.set_circuit(c, None)
    window.view.fit()
    vp = window.view.viewport()
    e, i = window.scene.regions["E"], window.scene.regions["I"]
    start = _view_point(window, e.mapToScene(e.handle_pos()))
    _drag(qtbot, vp, start, _view_point(window, i.scenePos()))
    ps = window.document.circuit.projections
    assert [(p.source, p.target, p.synapse) for p in ps] == [("E", "I", "excitatory")]
    # Dale's law: from the inhibitory region the default is inhibitory; Shift+drag works from anywhere
    _drag(qtbot, vp, _view_point(window, i.scenePos()), _view_point(window, e.scenePos()), Qt.ShiftModifier)
    assert [(p.source, p.synapse) for p in ps] == [("E", "excitatory"), ("I", "inhibitory")]
    assert len(window.scene.projections) == 2
    window.document.undo_stack.undo()
    assert len(window.document.circuit.projections) == 1 and len(window.scene.projections) == 1
    window.document.undo_stack.redo()
    assert window.validate() is None


def test_self_loop_and_parallel_projections_are_drawn_apart(window):
    c = small_circuit()
    window.set_circuit(c, None)
    window.view.connect_regions("E", "E")
    window.view.connect_regions("E", "I")  # a second E->I
    items = window.scene.projections
    assert items["E->I"].offset != items["E->I 2"].offset
    assert items["E->I"].boundingRect() != items["E->I 2"].boundingRect()
    assert items["E->E"].source is items["E->E"].target


def test_move_with_mouse_snaps_and_undoes(window, qtbot):
    window.set_circuit(small_circuit(), None)
    window.view.fit()
    e = window.scene.regions["E"]
    start = _view_point(window, e.scenePos() + QPointF(-20, 10))  # inside, away from the edge
    end = start + QPoint(90, 70)
    _drag(qtbot, window.view.viewport(), start, end)
    x, y = window.document.position("E")
    assert (x, y) != (0.0, 0.0) and x % 20 == 0 and y % 20 == 0
    assert e.pos() == QPointF(x, y)
    window.document.undo_stack.undo()
    assert window.document.position("E") == (0.0, 0.0) and e.pos() == QPointF(0, 0)


def test_rubber_band_selects_both(window, qtbot):
    window.set_circuit(small_circuit(), None)
    window.view.fit()
    rect = window.scene.itemsBoundingRect().adjusted(-30, -30, 30, 30)
    vp = window.view.viewport()
    _drag(qtbot, vp, _view_point(window, rect.topLeft()), _view_point(window, rect.bottomRight()))
    assert set(window.scene.selected_region_names()) == {"E", "I"}
    assert window.document.circuit.layout == small_circuit().layout  # a rubber band moves nothing


def test_delete_region_removes_its_projections_and_undo_restores(window):
    c = small_circuit()
    c.protocol = [__import__("simcore").Event(1.0, "set", "E", "tau_m", 10.0)]
    window.set_circuit(copy.deepcopy(c), None)
    window.scene.select_names(["E"])
    window.delete_selection()
    doc = window.document.circuit
    assert [r.name for r in doc.regions] == ["I"] and doc.projections == [] and doc.protocol == []
    assert set(window.scene.projections) == set()
    assert window.validate() is None
    window.document.undo_stack.undo()
    assert window.document.circuit == c
    assert set(window.scene.projections) == {"E->I", "I->E"}


def test_copy_paste_and_duplicate(window):
    window.set_circuit(small_circuit(), None)
    window.scene.select_names(["E", "I"])
    assert clipboard.copy_selection(window)
    new = clipboard.paste(window)
    c = window.document.circuit
    assert new == ["E 2", "I 2"]
    assert {(p.source, p.target) for p in c.projections} >= {("E 2", "I 2"), ("I 2", "E 2")}
    assert window.document.position("E 2") == (40.0, 40.0)
    assert window.validate() is None
    window.scene.select_names(["E"])
    assert clipboard.duplicate(window) == ["E 3"]
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert window.document.circuit == small_circuit()


def test_rename_in_place_with_f2_and_unique_names(window, qtbot):
    window.set_circuit(small_circuit(), None)
    window.scene.select_names(["E"])
    window.view.setFocus()
    window.rename_selection()
    editor = window.view._editor
    assert editor is not None and editor.text() == "E"
    editor.setText("Exc")
    QTest.keyClick(editor, Qt.Key_Return)
    c = window.document.circuit
    assert [r.name for r in c.regions] == ["Exc", "I"]
    assert {(p.source, p.target) for p in c.projections} == {("Exc", "I"), ("I", "Exc")}
    assert "Exc" in c.layout and "Exc" in window.scene.regions
    assert not window.view.rename("Exc", "I")  # taken
    assert not window.view.rename("Exc", "bad/name")
    window.document.undo_stack.undo()
    assert window.document.circuit == small_circuit()


def test_auto_layout_is_undoable(window):
    c = small_circuit()
    c.layout = {"E": [0.0, 0.0], "I": [0.0, 0.0]}
    window.set_circuit(c, None)
    window.auto_layout("spring")
    pos = window.document.circuit.layout
    assert pos["E"] != pos["I"]
    window.document.undo_stack.undo()
    assert window.document.circuit.layout == {"E": [0.0, 0.0], "I": [0.0, 0.0]}
    for method in ("kamada_kawai", "layered"):
        window.auto_layout(method)
        assert window.document.circuit.layout["E"] != window.document.circuit.layout["I"]
