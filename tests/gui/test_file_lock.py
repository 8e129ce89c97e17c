"""Two app instances on one circuit file: the second is told in one line who holds the file (pid, host),
opens it read-only and never overwrites the first one's work; a lock left by a killed instance is taken
over. The holder is a real second process."""
import os
import signal
import socket
import subprocess
import sys

import simcore
from tests.gui.conftest import small_circuit
from tests.paths import ROOT

HOLD = """
import sys
from PySide6.QtCore import QCoreApplication
app = QCoreApplication(sys.argv)
from gui.file_lock import FileLock
lock = FileLock(sys.argv[1])
print("held" if lock.acquire() is None else "busy", flush=True)
sys.stdin.readline()
"""


def holder_process(path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))  # SYNAPTICA_DATA_DIR: the test's, shared
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env=env, cwd=ROOT)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_instance_opens_read_only_says_who_and_never_overwrites(window, qtbot, tmp_path, no_dialogs):
    path = tmp_path / "shared.json"
    simcore.save(small_circuit(), path)
    original = path.read_text()
    other = holder_process(path)
    try:
        assert window.open_path(str(path), interactive=False)
        assert window.locked_by is not None and window.locked_by.pid == other.pid
        message = window.statusBar().currentMessage()
        assert f"pid {other.pid}" in message and socket.gethostname() in message and "read-only" in message
        assert "\n" not in message and "read-only" in window.windowTitle()
        window.document.circuit.title = "changed here"
        window.document.undo_stack.resetClean()
        assert not window.save()                       # Save asks for another name (a copy), here cancelled
        assert no_dialogs[-1][0] == "save"
        assert not window.save_to(str(path))           # and never writes over the holder's file
        assert path.read_text() == original
        assert no_dialogs[-1][0] == "warning" and f"pid {other.pid}" in window.statusBar().currentMessage()
        copy = tmp_path / "copy.json"
        assert window.save_to(str(copy))               # a copy is fine, and is then this window's file
        assert window.locked_by is None and window.file_lock.held and "read-only" not in window.windowTitle()
        assert simcore.load(copy).title == "changed here"
    finally:
        other.kill()
        other.wait(5)
    assert other.returncode == -signal.SIGKILL


def test_lock_of_a_killed_instance_is_taken_over(window, qtbot, tmp_path):
    path = tmp_path / "crashed.json"
    simcore.save(small_circuit(), path)
    other = holder_process(path)
    other.kill()  # kill -9: its lock file stays behind
    other.wait(5)
    assert window.open_path(str(path), interactive=False)
    assert window.locked_by is None and window.file_lock is not None and window.file_lock.held
    assert window.save_to(str(path))


def test_the_lock_is_held_while_open_and_released_on_close(qtbot, tmp_path, no_dialogs):
    from gui.file_lock import holder_of
    from gui.main_window import MainWindow

    path = tmp_path / "mine.json"
    simcore.save(small_circuit(), path)
    a, b = MainWindow(recover=False), MainWindow(recover=False)
    try:
        for w in (a, b):
            qtbot.addWidget(w)
        assert a.open_path(str(path), interactive=False) and a.locked_by is None
        assert holder_of(str(path)).pid == os.getpid()
        assert b.open_path(str(path), interactive=False) and b.locked_by is not None  # a second window too
        a.close()
        assert holder_of(str(path)) is None
    finally:
        for w in (a, b):
            w.document.undo_stack.setClean()
            w.autosaver.finish()
            w.live.ctl.shutdown()


def test_two_instances_may_show_the_same_example(window, qtbot, tmp_path):
    """A shipped example is not the user's file: no lock, no read-only message in the second instance."""
    demo = ROOT / "circuits" / "demos" / "scaling_preserves_relative_weights.json"
    other = holder_process(demo)
    try:
        window.open_example(str(demo))
        assert window.locked_by is None and window.document.path is None
        assert "read-only" not in window.statusBar().currentMessage() and not window.lock_label.text()
    finally:
        other.kill()
        other.wait(5)


APP = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from gui.main_window import MainWindow
w = MainWindow(recover=False)
w.show()
w.open_path(sys.argv[1], interactive=False)
def edit():
    w.document.circuit.title = "edited before the crash"
    w.document.undo_stack.resetClean()
    w.autosaver.autosave()
    print("edited", flush=True)
QTimer.singleShot(100, edit)
app.exec()
"""


def test_app_killed_with_unsaved_work_restarts_with_it_and_its_file(qtbot, tmp_path, data_dir, monkeypatch):
    """kill -9 of a real app instance holding the file: the next start recovers the autosave into the
    editor, on the same file, takes the dead instance's lock over and saves there."""
    from PySide6.QtWidgets import QMessageBox

    from gui.main_window import MainWindow

    path = tmp_path / "lesson.json"
    simcore.save(small_circuit(), path)
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    app = subprocess.Popen([sys.executable, "-c", APP, str(path)], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert app.stdout.readline().strip() == "edited"
        from gui.file_lock import holder_of
        assert holder_of(str(path)).pid == app.pid
    finally:
        app.kill()
        app.wait(10)
    assert holder_of(str(path)) is None  # stale: its process is gone
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Yes))
    win = MainWindow(recover=False)
    qtbot.addWidget(win)
    try:
        assert win.offer_recovery()
        assert win.document.circuit.title == "edited before the crash" and win.document.modified
        assert win.document.path == str(path) and win.locked_by is None and win.file_lock.held
        assert win.save() and simcore.load(path).title == "edited before the crash"
    finally:
        win.document.undo_stack.setClean()
        win.autosaver.finish()
        win.live.ctl.shutdown()
