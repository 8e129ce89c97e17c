"""Workaround for a reference-count bug seen with PySide6 6.12 on Python 3.11.

Every QGraphicsItem.itemChange() dispatch on a Python-wrapped item (selecting, adding to or
removing from a scene, and deleting the scene at exit) drops one reference to ``None`` that it
never took. On Python < 3.12 ``None`` is not immortal, so a long session (or a test run with
hundreds of items) ends in "Fatal Python error: none_dealloc". Until PySide is fixed we give
``None`` a huge reference count, i.e. make it immortal the way Python 3.12 does; ``None`` is never
freed anyway. Python >= 3.12 needs none of this.
"""
from __future__ import annotations

import ctypes
import sys

NEEDED = sys.version_info < (3, 12) and sys.implementation.name == "cpython"
MIN_REFS = 1 << 40


def top_up() -> None:
    """Raise None's reference count far above anything the leak can consume (idempotent, cheap)."""
    if NEEDED and sys.getrefcount(None) < MIN_REFS:
        ctypes.c_ssize_t.from_address(id(None)).value += MIN_REFS  # ob_refcnt is PyObject's first field


def install(parent=None) -> None:
    top_up()


top_up()
