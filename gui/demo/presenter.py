"""The Presenter ties the demonstration pieces to one window: the Demonstration dock, the menu actions
(Demonstrations…, Presentation mode, Esc), the document (a newly opened circuit applies its ``view``) and
the live simulation (frames keep the demo's plots in view, fired events reach the banner).

``install(main_window)`` (after ``gui.live.install``) makes it reachable as ``main_window.present``."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QSizePolicy

from ..plots.rates import WINDOWS as RATE_WINDOWS
from .banner import Banner
from .dock import DEMO_DOCK, DemoPanel
from .events import EventWords
from .plot_layout import DemoLayouts, name_in
from .plot_look import scale_plots
from .presentation import PresentationMode
from .start_page import StartPage


class Presenter(DemoLayouts, PresentationMode, QObject):
    """Demo layouts, the Demonstration dock, the start page and presentation mode of one window."""

    def __init__(self, win):
        super().__init__(win)
        self.win = win
        self.live = win.live
        self.panel = DemoPanel()
        self.panel.show_start_page.connect(self.show_start_page)
        self.dock = win.add_dock(DEMO_DOCK, self.panel, Qt.RightDockWidgetArea)
        win.tabifyDockWidget(win.docks["Inspector"], self.dock)
        win.docks["Inspector"].raise_()
        self.dock.hide()
        self.banner = Banner(win)
        self.presenting = False
        self.view: dict = {}
        self.start_page: StartPage | None = None
        self._pending_focus = ""
        self._saved: dict = {}
        self._words = EventWords(win.document.circuit)
        for panel in self.live.panels.values():
            # a long readout ("last 1 s — A: 9.9 Hz  B: …") must not widen its column while running
            info = getattr(panel, "info", None)
            if info is not None:
                info.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
                info.setMinimumWidth(40)
        self._build_actions()
        scale_plots(self.live.panels.values(), False)  # the normal look; axis labels fit short plots
        win.document.reset.connect(self._document_reset)
        self.live.ctl.frame.connect(self._on_frame)
        self.live.ctl.event_fired.connect(self._on_event)
        win.installEventFilter(self)

    # -- menus ---------------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        win = self.win
        self.present_action = QAction("Presentation mode", win, checkable=True)
        self.present_action.setShortcut(QKeySequence(Qt.Key_F11))
        self.present_action.setStatusTip("Full screen, large fonts and thick lines, the demo's explanation beside "
                                         "the plots, protocol events announced (Esc leaves)")
        self.present_action.toggled.connect(lambda on: self.enter() if on else self.leave())
        win.addAction(self.present_action)
        self.leave_action = QAction("Leave presentation mode", win)
        self.leave_action.setShortcut(QKeySequence(Qt.Key_Escape))
        self.leave_action.setShortcutContext(Qt.ApplicationShortcut)
        self.leave_action.setEnabled(False)
        self.leave_action.triggered.connect(lambda *_: self.present_action.setChecked(False))
        win.addAction(self.leave_action)
        self.demos_action = QAction("Demonstrations…", win)
        self.demos_action.setStatusTip("The teaching circuits: pick one to open it")
        self.demos_action.triggered.connect(lambda *_: self.show_start_page())
        bar = win.menuBar()
        menus = {a.text(): a.menu() for a in bar.actions() if a.menu() is not None}
        view = menus.get("&View")
        if view is not None:
            view.addSeparator()
            view.addAction(self.present_action)
            view.addAction(self.dock.toggleViewAction())
        file_menu = menus.get("&File")
        if file_menu is not None:
            before = next((a for a in file_menu.actions() if a.text() == "Examples"), None)
            file_menu.insertAction(before, self.demos_action) if before else file_menu.addAction(self.demos_action)
        help_menu = menus.get("&Help")
        if help_menu is not None:
            first = help_menu.actions()[0] if help_menu.actions() else None
            help_menu.insertAction(first, self.demos_action)
            help_menu.insertSeparator(first)

    # -- the opened circuit and the running simulation ----------------------------------------------
    def _document_reset(self) -> None:
        circuit = self.win.document.circuit
        self._words = EventWords(circuit)
        self.banner.hide()
        from .plot_layout import clean_view

        view = clean_view(circuit.view)
        self.view = view
        if not view:
            self.dock.hide()
            return
        self.panel.set_circuit(circuit)
        self.apply_view(view)

    def _on_frame(self, frame: dict) -> None:
        rates = self.live.panels["Population rates"]
        duration = self.demo_duration()
        window = RATE_WINDOWS.get(rates.window_box.currentText(), 0)
        if self.view and duration and frame["t"] <= duration + 1e-9 and window >= duration:
            rates.plot.setXRange(0.0, duration, padding=0.0)  # the demo's whole run, not an empty tail
        if self._pending_focus and name_in(frame, self._pending_focus):
            if self._focus(self._pending_focus, frame):
                self._pending_focus = ""
        if self.presenting:
            scale_plots(self.live.panels.values(), True)

    def _on_event(self, t: float, text: str) -> None:
        if self.presenting:
            self.banner.announce(t, self._words(text))

    # -- the start page -------------------------------------------------------------------------------
    def show_start_page(self) -> StartPage:
        if self.start_page is None:
            self.start_page = StartPage(self.win)
            self.start_page.chosen.connect(self.win.open_example)
        self.start_page.show()
        self.start_page.raise_()
        self.start_page.activateWindow()
        return self.start_page

    # -- window events -------------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        if obj is not self.win:
            return False
        if event.type() == QEvent.Resize and self.banner.isVisible():
            self.banner.place()
        if event.type() == QEvent.Close and self.presenting:
            self.leave()  # the live view saves the window layout at close: save the editing layout
        if event.type() == QEvent.Show and self.view:
            QTimer.singleShot(50, self._settle)  # a tab raised before the window was shown does not stay up
        return False


def install(win) -> Presenter:
    """Add the Demonstration dock, demo layouts, the start page and presentation mode to ``win``."""
    win.present = Presenter(win)
    return win.present
