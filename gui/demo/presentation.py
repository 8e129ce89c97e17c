"""Presentation mode (View > Presentation mode, F11, ``--present``): full screen, large fonts in the UI and
the plots, the explanation in large type beside the plots, editor docks and toolbar hidden; Esc leaves and
restores the editing layout exactly.

A mixin of ``Presenter``: entering re-applies the demo layout and the banner, dock and menu actions it
switches belong to the presenter."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from .plot_look import scale_plots

FONT_SCALE = 1.7          # UI fonts in presentation mode
EDITOR_DOCKS = ("Regions", "Inspector", "Protocol", "Live controls")


class PresentationMode:
    """Needs ``win``, ``live``, ``panel``, ``dock``, ``banner``, ``view``, the actions and ``apply_view``."""

    def enter(self, full_screen: bool = True) -> None:
        if self.presenting:
            return
        win, app = self.win, QApplication.instance()
        self._saved = {"state": win.saveState(), "font": QFont(app.font()), "full": win.isFullScreen(),
                       "max": win.isMaximized(), "geometry": win.saveGeometry(),
                       "toolbar": win.toolbar.isVisible(), "size": win.size()}
        self.presenting = True
        self.present_action.setChecked(True)
        self.leave_action.setEnabled(True)
        big = QFont(app.font())
        big.setPointSizeF((big.pointSizeF() if big.pointSizeF() > 0 else 9.0) * FONT_SCALE)
        app.setFont(big)
        for name in EDITOR_DOCKS:
            dock = win.docks.get(name)
            if dock is not None:
                dock.hide()
        win.toolbar.hide()
        self._saved["corner"] = win.corner(Qt.BottomRightCorner)
        win.setCorner(Qt.BottomRightCorner, Qt.RightDockWidgetArea)  # the explanation runs beside the plots
        if self.view:
            self.dock.show()
            self.apply_view(self.view)
        self.panel.set_large(True)
        scale_plots(self.live.panels.values(), True)
        if full_screen:
            win.showFullScreen()
        QTimer.singleShot(0, self._size_plots)
        win.statusBar().showMessage("Presentation mode — Esc or F11 leaves", 5000)

    def leave(self) -> None:
        if not self.presenting:
            return
        win, app = self.win, QApplication.instance()
        self.presenting = False
        self.present_action.setChecked(False)
        self.leave_action.setEnabled(False)
        self.banner.hide()
        app.setFont(self._saved["font"])
        scale_plots(self.live.panels.values(), False)
        self.panel.set_large(False)
        win.setCorner(Qt.BottomRightCorner, self._saved["corner"])
        win.toolbar.setVisible(self._saved["toolbar"])
        # the smaller fonts must reach every widget (posted events) before the window and dock sizes are
        # restored: restored earlier, the large minimum sizes of presentation mode squeezed the canvas
        # and kept docks 640 px wide
        app.processEvents()
        # widgets given a style sheet while presenting keep the large font they were polished with
        for w in win.findChildren(QWidget):
            if w.styleSheet():
                w.setStyleSheet(w.styleSheet() + " ")
                w.setStyleSheet(w.styleSheet()[:-1])
        app.processEvents()
        if not self._saved["full"]:
            if self._saved["max"]:
                win.showMaximized()
            else:
                win.showNormal()
                win.restoreGeometry(self._saved["geometry"])
                win.resize(self._saved["size"])
        app.processEvents()
        win.restoreState(self._saved["state"])
        app.processEvents()
        win.restoreState(self._saved["state"])  # again at the final window size: exact dock sizes
        self._hide_stray_tab_bars()
