"""GUI tests run offscreen with their own data directory (settings, recent files, autosaves)."""
import pytest

import simcore


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "synaptica-data"
    monkeypatch.setenv("SYNAPTICA_DATA_DIR", str(d))
    return d


@pytest.fixture
def no_dialogs(monkeypatch):
    """Fail loudly instead of blocking if code under test opens a modal dialog."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    calls = []

    def record(name, answer):
        def f(*args, **kwargs):
            calls.append((name, args))
            return answer
        return f
    for name, answer in (("critical", QMessageBox.Ok), ("warning", QMessageBox.Save), ("information", QMessageBox.Ok),
                         ("question", QMessageBox.Discard)):
        monkeypatch.setattr(QMessageBox, name, staticmethod(record(name, answer)))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(record("open", ("", ""))))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(record("save", ("", ""))))
    return calls


@pytest.fixture
def window(qtbot, no_dialogs):
    from gui.main_window import MainWindow

    win = MainWindow(recover=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.document.undo_stack.setClean()
    win.autosaver.finish()


def small_circuit():
    c = simcore.Circuit(name="t")
    c.regions = [simcore.make_region("E", "lif"), simcore.make_region("I", "lif", role="inhibitory")]
    c.projections = [simcore.make_projection("E->I", "E", "I"),
                     simcore.make_projection("I->E", "I", "E", "inhibitory")]
    c.layout = {"E": [0.0, 0.0], "I": [300.0, 0.0]}
    return c
