"""Friction a first-time user hits: shortcuts, menus, titles, toolbar, renaming, starting without a display."""
import os
import subprocess
import sys
from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest

import simcore
from gui import commands
from gui.app import display_problem
from tests.paths import ROOT


def all_shortcuts(win) -> Counter:
    keys = Counter()
    for act in set(win.findChildren(QAction)):
        for k in act.shortcuts():
            if not k.isEmpty():
                keys[k.toString()] += 1
    return keys


def test_no_shortcut_is_bound_twice(window):
    keys = all_shortcuts(window)
    assert keys["Ctrl+Shift+Z"] == 1 and keys["Ctrl+Y"] == 1 and keys["F5"] == 1
    dup = {k: n for k, n in keys.items() if n > 1}
    assert not dup, f"shortcuts bound to more than one action: {dup}"


def test_ctrl_shift_z_and_ctrl_y_redo(window, qtbot):
    d = window.document
    d.undo_stack.push(commands.AddRegion(d, simcore.make_region("A", "lif"), (0, 0)))
    window.activateWindow()
    window.view.setFocus()
    for key in ("Ctrl+Shift+Z", "Ctrl+Y"):
        d.undo_stack.undo()
        assert not d.has_region("A")
        QTest.keySequence(window.view, QKeySequence(key))
        qtbot.waitUntil(lambda: d.has_region("A"), timeout=2000)


def test_examples_menu_has_one_demos_submenu(window):
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    examples = next(a.menu() for a in file_menu.actions() if a.text() == "Examples")
    subs = [a.text() for a in examples.actions() if a.menu() is not None]
    assert subs.count("Demos") == 1
    demos = next(a.menu() for a in examples.actions() if a.text() == "Demos")
    assert len(demos.actions()) == len(list((ROOT / "circuits" / "demos").glob("*.json")))


def test_a_demo_opened_from_the_menu_shows_its_title(window):
    path = ROOT / "circuits" / "demos" / "topdown_gating.json"
    window.open_example(str(path))
    assert window.document.path is None
    assert simcore.load(path).title in window.windowTitle() and "untitled" not in window.windowTitle()
    window.new_circuit()
    assert window.windowTitle().startswith("untitled")


def test_toolbar_does_not_grow_with_the_undo_text(window, qtbot):
    tb = window.toolbar
    qtbot.wait(20)
    width = tb.sizeHint().width()
    d = window.document
    d.undo_stack.push(commands.AddRegion(d, simcore.make_region("A region with a rather long name", "lif"), (0, 0)))
    qtbot.wait(20)
    assert tb.sizeHint().width() == width
    undo = next(a for a in tb.actions() if "Undo" in a.text())
    assert undo.isEnabled() and "A region with a rather long name" in undo.toolTip()
    undo.trigger()
    assert not d.has_region("A region with a rather long name")


def test_renaming_a_region_renames_the_projections_named_after_it(window):
    d = window.document
    d.undo_stack.push(commands.AddRegion(d, simcore.make_region("Poisson", "poisson"), (0, 0)))
    d.undo_stack.push(commands.AddRegion(d, simcore.make_region("LIF", "lif"), (300, 0)))
    d.undo_stack.push(commands.connect(d, "Poisson", "LIF"))
    d.undo_stack.push(commands.connect(d, "Poisson", "LIF"))
    d.undo_stack.push(commands.AddRegion(d, simcore.make_region("Other", "lif"), (0, 300)))
    d.undo_stack.push(commands.connect(d, "Poisson", "Other"))
    d.undo_stack.push(commands.Rename(d, "Poisson->Other", "feedforward"))   # a name the user chose
    d.undo_stack.push(commands.Rename(d, "Poisson", "Retina"))
    names = [p.name for p in d.circuit.projections]
    assert names == ["Retina->LIF", "Retina->LIF 2", "feedforward"]
    assert set(window.scene.projections) == set(names)
    assert window.validate() is None
    d.undo_stack.undo()
    assert [p.name for p in d.circuit.projections] == ["Poisson->LIF", "Poisson->LIF 2", "feedforward"]


def test_no_display_says_so_in_one_line_and_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(ROOT)
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "--empty"], env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0]
    assert "xvfb-run" in lines[0] and "QT_QPA_PLATFORM=offscreen" in lines[0] and "synaptica run" in lines[0]


def test_display_detection():
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({}, "linux")
    assert display_problem({"DISPLAY": ":12345"}, "linux")          # no server behind it
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem({}, "darwin") is None
