"""Recent files, autosave and crash recovery.

Each running window owns a session: ``autosave/session-<pid>.lock`` (JSON: pid, file path) and
``autosave/session-<pid>.json`` (the circuit, written every few seconds while modified). A clean
exit deletes both. A lock whose pid is no longer alive marks a session that crashed: its autosave
is offered for recovery at the next start. ``SYNAPTICA_DATA_DIR`` overrides the data directory
(tests use it so they never touch the user's files or settings).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

import simcore
from simcore.io import atomic_write_text

AUTOSAVE_MS = 5000
MAX_RECENT = 10


def data_dir() -> Path:
    env = os.environ.get("SYNAPTICA_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("synaptica"))


def autosave_dir() -> Path:
    return data_dir() / "autosave"


def settings() -> QSettings:
    """App settings; an ini file inside SYNAPTICA_DATA_DIR when that is set (tests)."""
    if os.environ.get("SYNAPTICA_DATA_DIR"):
        return QSettings(str(data_dir() / "settings.ini"), QSettings.IniFormat)
    return QSettings("Synaptica", "Synaptica")


class RecentFiles:
    def __init__(self, store: QSettings | None = None):
        self.store = store or settings()

    def paths(self) -> list[str]:
        value = self.store.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [p for p in (value or []) if p]

    def add(self, path: str) -> None:
        path = str(Path(path).resolve())
        paths = [path] + [p for p in self.paths() if p != path]
        self.store.setValue("recent_files", paths[:MAX_RECENT])
        self.store.sync()

    def clear(self) -> None:
        self.store.setValue("recent_files", [])
        self.store.sync()


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


@dataclass
class Recoverable:
    """An autosave left behind by a session that did not exit cleanly."""

    autosave: Path
    lock: Path
    original_path: str | None

    def discard(self) -> None:
        for p in (self.autosave, self.lock):
            try:
                p.unlink()
            except OSError:
                pass


def find_recoverable() -> list[Recoverable]:
    out = []
    for lock in sorted(autosave_dir().glob("session-*.lock")):
        try:
            info = json.loads(lock.read_text(encoding="utf-8"))
            pid = int(info.get("pid", -1))
        except (OSError, ValueError, AttributeError):
            info, pid = {}, -1
        if pid == os.getpid() or pid_alive(pid):
            continue  # a live session (or us)
        autosave = lock.with_suffix(".json")
        if autosave.exists():
            out.append(Recoverable(autosave, lock, info.get("path")))
        else:
            try:
                lock.unlink()
            except OSError:
                pass
    return out


def load_recovered(path: Path) -> tuple[simcore.Circuit, str | None]:
    """Read an autosave, valid or not: an autosave holds whatever the user was editing, including an
    edit that does not validate yet (v_reset above v_th). Returns the circuit and the problem (None
    when valid); raises CircuitError only when the file cannot be read as a circuit at all."""
    try:
        return simcore.load(path), None
    except simcore.CircuitError as err:
        problem = err
    from simcore.io import _build
    from simcore.migrate import migrate

    try:
        doc = migrate(json.loads(Path(path).read_text(encoding="utf-8")))
        return _build(doc), str(problem)
    except Exception:
        raise problem from None


def file_stamp(path: str | None) -> tuple | None:
    """What identifies a file's content on disk (size, modification time in ns), None if absent."""
    if not path:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


class Autosaver(QObject):
    """Writes the document to this session's autosave file every few seconds while it is modified.
    A failure (full disk, unwritable folder) is reported once through ``failed`` until a write works."""

    failed = Signal(str)

    def __init__(self, doc, interval_ms: int = AUTOSAVE_MS, parent=None):
        super().__init__(parent)
        self._failing = False
        self.doc = doc
        pid = os.getpid()
        self.lock_path = autosave_dir() / f"session-{pid}.lock"
        self.autosave_path = autosave_dir() / f"session-{pid}.json"
        self._dirty = True
        doc.undo_stack.indexChanged.connect(self._mark_dirty)
        doc.reset.connect(self._mark_dirty)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.autosave)
        doc.path_changed.connect(lambda *_: self._write_lock())
        self._write_lock()
        self.timer.start()

    def _write_lock(self) -> None:
        path = os.path.abspath(self.doc.path) if self.doc.path else None  # the new cwd must not matter
        try:
            atomic_write_text(self.lock_path, json.dumps({"pid": os.getpid(), "path": path}))
        except OSError as err:
            self._report(err)

    def _report(self, err: OSError) -> None:
        if not self._failing:
            self._failing = True
            self.failed.emit(f"⚠ Autosave failed ({err.strerror or err}): unsaved work is not backed up "
                             f"in {self.autosave_path.parent}. Save with Ctrl+S.")

    def autosave(self) -> bool:
        """Write the autosave if the document changed since the last one; True if written."""
        if not self.doc.modified:
            self._remove(self.autosave_path)
            return False
        if not self._dirty:
            return False
        try:
            atomic_write_text(self.autosave_path, simcore.dumps(self.doc.circuit))
        except OSError as err:
            self._report(err)
            return False
        except ValueError:
            return False
        self._failing = False
        self._dirty = False
        return True

    def _mark_dirty(self, *_):
        self._dirty = True

    def finish(self) -> None:
        """Clean exit: nothing to recover."""
        self.timer.stop()
        self._remove(self.autosave_path)
        self._remove(self.lock_path)

    @staticmethod
    def _remove(p: Path) -> None:
        try:
            p.unlink()
        except OSError:
            pass
