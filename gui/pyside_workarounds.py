"""Workaround for a reference-count bug seen with PySide6 6.12 on Python 3.11.

Every QGraphicsItem.itemChange() dispatch on a Python-wrapped item (selecting, adding to or
removing from a scene) drops one reference to ``None`` that it never took. On Python < 3.12 ``None``
is not immortal, so a long session (or a test run with hundreds of items) ends in
"Fatal Python error: none_dealloc". Until PySide is fixed we keep a ballast of references to
``None`` and top it up from a timer. Python >= 3.12 needs none of this (None is immortal).
"""
from __future__ import annotations

import sys

NEEDED = sys.version_info < (3, 12)
MIN_REFS = 1_000_000
CHUNK = 1_000_000
_ballast: list[list[None]] = []


def top_up() -> None:
    """Make sure ``None`` has plenty of references left (cheap: one getrefcount call)."""
    if NEEDED and sys.getrefcount(None) < MIN_REFS:
        _ballast.append([None] * CHUNK)


def install(parent) -> None:
    """Top up now and every few seconds while ``parent`` (a QObject) lives."""
    top_up()
    if not NEEDED:
        return
    from PySide6.QtCore import QTimer

    timer = QTimer(parent)
    timer.setInterval(2000)
    timer.timeout.connect(top_up)
    timer.start()


top_up()
