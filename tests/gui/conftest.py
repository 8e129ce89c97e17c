"""GUI tests run offscreen with their own data directory (settings, recent files, autosaves); no test
leaves an engine process (or any other child process) behind."""
import os
import time
from pathlib import Path

import pytest

import simcore


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "synaptica-data"
    monkeypatch.setenv("SYNAPTICA_DATA_DIR", str(d))
    return d


def child_processes() -> list[tuple[int, str]]:
    """(pid, command line) of the live (not zombie) child processes of this process, from /proc;
    multiprocessing's resource tracker (one per process, started with the first spawn) is not one."""
    out = []
    me = str(os.getpid())
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmd = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        if fields[1] == me and fields[0] != "Z" and "multiprocessing.resource_tracker" not in cmd:
            out.append((int(stat.parent.name), cmd))
    return out


@pytest.fixture(autouse=True)
def no_process_left_behind():
    """Fail the test that leaves a child process (an engine, an app under test) running; end it."""
    before = {pid for pid, _ in child_processes()}
    yield
    import multiprocessing
    multiprocessing.active_children()  # reaps engines that have exited
    deadline = time.monotonic() + 1.0
    left = [c for c in child_processes() if c[0] not in before]
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        multiprocessing.active_children()
        left = [c for c in child_processes() if c[0] not in before]
    for pid, _ in left:
        try:
            os.kill(pid, 9)
        except OSError:
            pass
    assert not left, f"child processes left running: {left}"


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
    if getattr(win, "live", None) is not None:
        win.live.ctl.shutdown()  # ends the engine process now (compiling or not): nothing leaks


def small_circuit():
    c = simcore.Circuit(name="t")
    c.regions = [simcore.make_region("E", "lif"), simcore.make_region("I", "lif", role="inhibitory")]
    c.projections = [simcore.make_projection("E->I", "E", "I"),
                     simcore.make_projection("I->E", "I", "E", "inhibitory")]
    c.layout = {"E": [0.0, 0.0], "I": [300.0, 0.0]}
    return c
