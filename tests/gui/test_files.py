"""Save and reopen, bad files, recent files, examples, autosave and crash recovery, export."""
import json
import os

import networkx as nx
from PySide6.QtWidgets import QMessageBox

import simcore
from gui import files
from gui.main_window import EXAMPLES_DIR, MainWindow
from gui.menus import example_files
from tests.gui.conftest import small_circuit


def test_save_reopen_compare(window, tmp_path):
    window.set_circuit(small_circuit(), None)
    window.view.connect_regions("E", "E")
    window.scene.select_names(["E"])
    window.inspector.editors["params.tau_m"].editor.setValue(11.0)
    assert window.document.modified and window.isWindowModified()
    path = tmp_path / "edited.json"
    assert window.save_to(str(path))
    assert not window.document.modified and not window.isWindowModified()
    assert "edited.json" in window.windowTitle()
    edited = window.document.circuit
    assert simcore.load(path) == edited
    window.new_circuit()
    assert window.document.circuit.regions == []
    assert window.open_path(str(path))
    assert window.document.circuit == edited
    assert window.recent.paths()[0] == str(path.resolve())


def test_bad_file_keeps_current_circuit(window, tmp_path, no_dialogs):
    window.set_circuit(small_circuit(), None)
    bad = tmp_path / "bad.json"
    doc = json.loads(simcore.dumps(small_circuit()))
    doc["regions"][0]["size"] = -3
    bad.write_text(json.dumps(doc))
    assert not window.open_path(str(bad))
    assert window.document.circuit == small_circuit()
    kind, args = no_dialogs[-1]
    assert kind == "critical" and "$.regions[0].size" in args[2]


def test_unsaved_changes_prompt_on_close(window, monkeypatch):
    window.set_circuit(small_circuit(), None)
    window.view.connect_regions("E", "E")
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Cancel))
    assert not window.close()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Discard))
    assert window.close()


def test_examples_menu_lists_circuits_recursively():
    found = example_files(EXAMPLES_DIR)
    assert any(title.startswith("Vogels") for title, _ in found)
    assert len(found) == len([p for p in EXAMPLES_DIR.rglob("*.json")])


def test_autosave_and_recovery_after_crash(qtbot, data_dir, no_dialogs, monkeypatch):
    crashed = small_circuit()
    crashed.regions[0].size = 777
    auto = data_dir / "autosave"
    auto.mkdir(parents=True)
    dead_pid = 2**22 + 12345  # above pid_max: no such process
    (auto / f"session-{dead_pid}.json").write_text(simcore.dumps(crashed))
    (auto / f"session-{dead_pid}.lock").write_text(json.dumps({"pid": dead_pid, "path": None}))
    # a live session's files are left alone
    (auto / f"session-{os.getppid()}.lock").write_text(json.dumps({"pid": os.getppid(), "path": None}))
    (auto / f"session-{os.getppid()}.json").write_text(simcore.dumps(small_circuit()))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Yes))
    win = MainWindow(recover=False)
    qtbot.addWidget(win)
    assert win.offer_recovery()
    assert win.document.circuit == crashed and win.document.modified
    assert not (auto / f"session-{dead_pid}.json").exists()
    assert (auto / f"session-{os.getppid()}.json").exists()
    # this session autosaves while modified and cleans up on a clean exit
    assert win.autosaver.autosave_path.exists() or win.autosaver.autosave()
    assert simcore.load(win.autosaver.autosave_path) == crashed
    win.document.undo_stack.setClean()
    win.close()
    assert not win.autosaver.lock_path.exists() and not win.autosaver.autosave_path.exists()


def test_recovery_runs_on_start(qtbot, data_dir, monkeypatch):
    auto = data_dir / "autosave"
    auto.mkdir(parents=True)
    (auto / "session-4199999.json").write_text(simcore.dumps(small_circuit()))
    (auto / "session-4199999.lock").write_text(json.dumps({"pid": 4199999, "path": "/x/y.json"}))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: asked.append(a) or QMessageBox.Yes))
    win = MainWindow()
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: bool(asked))
    assert win.document.circuit == small_circuit() and win.document.path == "/x/y.json"
    assert files.find_recoverable() == []
    win.document.undo_stack.setClean()
    win.autosaver.finish()


def test_export_png_svg_graphml(window, tmp_path):
    from gui import export

    window.set_circuit(small_circuit(), None)
    export.export_png(window.scene, str(tmp_path / "c.png"))
    export.export_svg(window.scene, str(tmp_path / "c.svg"))
    export.export_graphml(window.document.circuit, str(tmp_path / "c.graphml"))
    assert (tmp_path / "c.png").stat().st_size > 1000
    assert "<svg" in (tmp_path / "c.svg").read_text()
    g = nx.read_graphml(tmp_path / "c.graphml")
    assert set(g.nodes) == {"E", "I"} and g.number_of_edges() == 2
