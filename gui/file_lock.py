"""One writer per circuit file across running app instances.

A window that opens (or saves to) a file holds a :class:`QLockFile` named after the file's absolute
path, in ``<data dir>/locks`` (beside the file would fail in read-only folders and leave litter in
the user's). A second instance opening the same file finds the lock held, is told in one line who
holds it (pid and host) and opens the file read-only: Save then writes a copy (Save As), never over
the other window's work. Locks left by a killed instance are stale (their pid is gone) and are
taken over by the next opener: QLockFile checks the holder's pid on the same host.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile

from . import files


@dataclass
class Holder:
    """Who holds a file's lock."""
    pid: int
    host: str

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host}" if self.host else f"pid {self.pid}"


def lock_path(path: str) -> Path:
    """The lock file of circuit file ``path`` (keyed by its absolute, symlink-free path)."""
    key = os.path.realpath(os.path.abspath(path))
    digest = hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:20]
    return files.data_dir() / "locks" / f"{Path(key).stem[:40]}-{digest}.lock"


class FileLock:
    """The lock of one circuit file, held by this process while it edits the file."""

    def __init__(self, path: str):
        self.path = os.path.abspath(path)
        where = lock_path(self.path)
        where.parent.mkdir(parents=True, exist_ok=True)
        self._lock = QLockFile(str(where))
        self._lock.setStaleLockTime(0)  # stale only when the holder's process is gone, never by age

    def acquire(self) -> Holder | None:
        """Take the lock (a stale one included); None on success, else who holds it."""
        for _ in range(2):  # a lock that vanishes between both calls: try once more
            if self._lock.tryLock(0):
                return None
            info = self._info()
            if info is not None:
                return info
        return Holder(0, "")

    def _info(self) -> Holder | None:
        info = self._lock.getLockInfo()  # PySide: (pid, host, app), or (ok, pid, host, app)
        if len(info) == 4:
            if not info[0]:
                return None
            info = info[1:]
        pid, host = info[0], info[1]
        return Holder(int(pid), str(host)) if pid else None

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()

    @property
    def held(self) -> bool:
        return self._lock.isLocked()


def holder_of(path: str) -> Holder | None:
    """Who (another process) holds ``path``'s lock right now, or None (free, or stale)."""
    probe = FileLock(path)
    holder = probe.acquire()
    probe.release()
    return holder
