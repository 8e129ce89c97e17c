"""Two layouts of one window: *Edit* (palette, inspector and protocol visible and roomy, no plots)
and *Watch* (the live layout: controls and plots around the canvas). Building and watching need
different room; at 1366x768 both cannot be readable at once.

View > Edit layout (Ctrl+1) / Watch layout (Ctrl+2), also on the edit toolbar. File > New and an
empty circuit switch to Edit; Run and opening a demonstration switch to Watch. Each layout keeps
the arrangement the user gave it while it was shown.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from .live import LAYOUT_VERSION

EDIT_DOCKS = ("Regions", "Inspector", "Protocol")
PALETTE_W, INSPECTOR_W, PROTOCOL_H = 230, 430, 150


class Workspaces(QObject):
    def __init__(self, win):
        super().__init__(win)
        self.win = win
        self.mode = "watch"
        self._states: dict[str, object] = {}
        group = QActionGroup(self)
        self.edit_action = QAction("✎ Edit layout", win, checkable=True)
        self.edit_action.setShortcut(QKeySequence("Ctrl+1"))
        self.edit_action.setStatusTip("Palette, inspector and protocol in view, no plots: for building a circuit")
        self.watch_action = QAction("◉ Watch layout", win, checkable=True)
        self.watch_action.setShortcut(QKeySequence("Ctrl+2"))
        self.watch_action.setStatusTip("Live controls and plots around the canvas: for running")
        for a in (self.edit_action, self.watch_action):
            group.addAction(a)
        self.watch_action.setChecked(True)
        self.edit_action.triggered.connect(lambda *_: self.edit())
        self.watch_action.triggered.connect(lambda *_: self.watch())
        view_menu = next((a.menu() for a in win.menuBar().actions() if a.text() == "&View"), None)
        if view_menu is not None:
            first = view_menu.actions()[0] if view_menu.actions() else None
            view_menu.insertAction(first, self.edit_action)
            view_menu.insertAction(first, self.watch_action)
            view_menu.insertSeparator(first)
        win.toolbar.addSeparator()
        win.toolbar.addAction(self.edit_action)
        win.toolbar.addAction(self.watch_action)
        win.live.run_action.triggered.connect(lambda *_: self.watch())
        win.document.reset.connect(self._document_reset)

    def _document_reset(self) -> None:
        c = self.win.document.circuit
        if not c.regions:
            self.edit()
        elif c.view:
            self.watch()  # a demonstration is for watching (its view is applied after this)

    def edit(self) -> None:
        win = self.win
        if self.mode == "watch":
            self._states["watch"] = win.saveState(LAYOUT_VERSION)
        self.mode = "edit"
        self.edit_action.setChecked(True)
        if "edit" in self._states:
            win.restoreState(self._states["edit"], LAYOUT_VERSION)
            return
        for name, dock in win.docks.items():
            dock.setVisible(name in EDIT_DOCKS)
        for name in EDIT_DOCKS:
            win.docks[name].raise_()
        win.resizeDocks([win.docks["Regions"], win.docks["Inspector"]], [PALETTE_W, INSPECTOR_W], Qt.Horizontal)
        win.resizeDocks([win.docks["Protocol"]], [PROTOCOL_H], Qt.Vertical)

    def watch(self) -> None:
        win = self.win
        if self.mode == "watch":
            return
        self._states["edit"] = win.saveState(LAYOUT_VERSION)
        self.mode = "watch"
        self.watch_action.setChecked(True)
        state = self._states.get("watch")
        if state is not None:
            win.restoreState(state, LAYOUT_VERSION)
        else:
            win.live.reset_layout()
