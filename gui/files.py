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

from PySide6.QtCore import QObject, QSettings, QTimer

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


class Autosaver(QObject):
    """Writes the document to this session's autosave file every few seconds while it is modified."""

    def __init__(self, doc, interval_ms: int = AUTOSAVE_MS, parent=None):
        super().__init__(parent)
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
        try:
            atomic_write_text(self.lock_path, json.dumps({"pid": os.getpid(), "path": self.doc.path}))
        except OSError:
            pass

    def autosave(self) -> bool:
        """Write the autosave if the document changed since the last one; True if written."""
        if not self.doc.modified:
            self._remove(self.autosave_path)
            return False
        if not self._dirty:
            return False
        try:
            atomic_write_text(self.autosave_path, simcore.dumps(self.doc.circuit))
        except (OSError, ValueError):
            return False
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
