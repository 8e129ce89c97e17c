"""Edit and Watch layouts: building needs palette and inspector in view and roomy, running needs plots."""
from tests.gui.conftest import small_circuit
from tests.paths import ROOT


def visible(dock) -> bool:
    return dock.isVisible() and not dock.visibleRegion().isEmpty() and dock.geometry().x() >= 0


def test_edit_layout_shows_palette_and_inspector_roomy_at_1366x768(window, qtbot):
    window.resize(1366, 768)
    window.set_circuit(small_circuit(), None)
    qtbot.wait(100)
    window.workspaces.edit()
    qtbot.wait(100)
    d = window.docks
    assert visible(d["Regions"]) and visible(d["Inspector"]) and visible(d["Protocol"])
    assert d["Regions"].width() >= 200 and d["Inspector"].width() >= 380 and d["Inspector"].height() >= 450
    assert not any(visible(dock) for dock in window.live.docks.values())
    assert not visible(window.live.controls_dock)
    assert window.view.width() >= 500
    # every palette entry readable without scrolling
    pal = window.palette
    assert all(pal.visualItemRect(pal.item(i)).bottom() <= pal.viewport().height() for i in range(pal.count()))


def test_run_switches_to_watch_and_each_layout_is_kept(window, qtbot):
    window.resize(1366, 768)
    window.set_circuit(small_circuit(), None)
    window.workspaces.edit()
    qtbot.wait(50)
    window.resizeDocks([window.docks["Inspector"]], [500], __import__("PySide6.QtCore", fromlist=["Qt"]).Qt.Horizontal)
    qtbot.wait(50)
    wide = window.docks["Inspector"].width()
    window.live.run_action.trigger()
    qtbot.wait(100)
    assert window.workspaces.mode == "watch" and visible(window.live.docks["Population rates"])
    window.live.ctl.pause()
    window.workspaces.edit()
    qtbot.wait(100)
    assert window.docks["Inspector"].width() == wide          # the Edit layout as the user left it
    window.live.ctl.shutdown()


def test_new_is_edit_and_a_demo_is_watch(window, qtbot):
    window.new_circuit()
    assert window.workspaces.mode == "edit" and window.workspaces.edit_action.isChecked()
    window.open_example(str(ROOT / "circuits" / "demos" / "scaling_preserves_relative_weights.json"))
    qtbot.wait(50)
    assert window.workspaces.mode == "watch" and window.workspaces.watch_action.isChecked()
