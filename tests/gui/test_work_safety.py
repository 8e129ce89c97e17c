"""Work is never lost: recovery of invalid edits, autosave failures shown, absolute paths, files
changed on disk by another window."""
import json
import os

from PySide6.QtWidgets import QMessageBox

import simcore
from gui import commands, files  # noqa: F401
from gui.main_window import MainWindow

from tests.gui.conftest import small_circuit

DEAD_PID = 2**22 + 54321  # above pid_max: no such process


def crash_with(data_dir, circuit_text, path=None):
    auto = data_dir / "autosave"
    auto.mkdir(parents=True, exist_ok=True)
    (auto / f"session-{DEAD_PID}.json").write_text(circuit_text)
    (auto / f"session-{DEAD_PID}.lock").write_text(json.dumps({"pid": DEAD_PID, "path": path}))


def test_an_invalid_autosave_is_recovered_into_the_editor_marked_invalid(qtbot, data_dir, no_dialogs, monkeypatch):
    bad = small_circuit()
    bad.regions[0].params["v_reset"] = -40.0       # above v_th = -50: does not validate
    text = simcore.dumps(bad)
    try:
        simcore.loads(text)
        raise AssertionError("the edit was meant to be invalid")
    except simcore.CircuitError:
        pass
    crash_with(data_dir, text)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Yes))
    win = MainWindow(recover=False)
    qtbot.addWidget(win)
    assert win.offer_recovery()
    assert win.document.circuit.region("E").params["v_reset"] == -40.0 and win.document.modified
    assert "⚠" in win.validity.text() and "v_reset" in win.validity.text()
    assert "problem" in win.statusBar().currentMessage()
    assert not [c for c in no_dialogs if c[0] == "critical"]
    win.document.undo_stack.setClean()
    win.autosaver.finish()


def test_autosave_failure_is_shown_once(window, tmp_path, qtbot):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    a = window.autosaver
    a.autosave_path = blocker / "session.json"       # its folder is a file: every write fails
    shown = []
    a.failed.connect(shown.append)
    window.document.undo_stack.push(commands.AddRegion(window.document, simcore.make_region("X", "lif"), (0, 0)))
    assert not a.autosave()
    a._mark_dirty()
    assert not a.autosave()
    assert len(shown) == 1 and "Autosave failed" in window.statusBar().currentMessage()


def test_paths_are_absolute_so_a_new_working_directory_does_not_matter(window, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert window.save_to("rel.json")
    assert window.document.path == str(tmp_path / "rel.json")
    lock = json.loads(window.autosaver.lock_path.read_text())
    assert lock["path"] == str(tmp_path / "rel.json")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    window.document.undo_stack.push(commands.AddRegion(window.document, simcore.make_region("X", "lif"), (0, 0)))
    assert window.save()
    assert (tmp_path / "rel.json").exists() and not (elsewhere / "rel.json").exists()


def test_a_file_changed_by_another_program_is_not_overwritten_without_asking(qtbot, tmp_path, no_dialogs, monkeypatch):
    """(A second window of the app opens the file read-only: tests/gui/test_file_lock.py.)"""
    path = tmp_path / "shared.json"
    c = small_circuit()
    simcore.save(c, path)
    first, second = MainWindow(recover=False), MainWindow(recover=False)
    for w in (first, second):
        qtbot.addWidget(w)
        assert w.open_path(str(path), interactive=False)
    assert second.locked_by is not None and not second.save()  # read-only in the second window
    other = simcore.load(path)  # a text editor, a script: no lock of ours
    other.regions[0].size = 123
    import time
    time.sleep(0.02)
    simcore.save(other, path)
    first.document.circuit.regions[0].size = 456
    asked = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: asked.append(a) or QMessageBox.Cancel))
    assert not first.save()
    assert asked and "changed" in asked[0][1]
    assert simcore.load(path).regions[0].size == 123              # the other window's work is kept
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: QMessageBox.Save))
    assert first.save()                                           # overwriting is the user's choice
    assert simcore.load(path).regions[0].size == 456
    first.document.circuit.regions[0].size = 457
    asked.clear()
    assert first.save() and simcore.load(path).regions[0].size == 457   # its own saves need no question
    for w in (first, second):
        w.document.undo_stack.setClean()
        w.autosaver.finish()
