"""Demo layouts: a circuit's ``view`` block lists the plots that make its point; those docks are shown side
by side below the drawing (the others hidden, placed behind the live controls for when Simulation >
Panels shows them), the rates window spans the whole
protocol and the weight panels point at ``view.focus``.

A mixin of ``Presenter``: the Qt timers that finish the layout re-read the presenter's current ``view``,
``presenting`` and Demonstration ``dock`` when they fire, so this lives on the same object."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget

from ..plots.rates import WINDOWS as RATE_WINDOWS

# view.plots keys (circuit files) -> plot dock titles (gui/live.py)
PLOT_DOCKS = {"rates": "Population rates", "raster": "Spike raster", "histogram": "Weight histogram",
              "relative_weighting": "Relative weighting", "weight_stats": "Weight statistics",
              "ei_balance": "E/I input", "voltage": "Membrane potential", "tracked": "Tracked synapses",
              "io_curve": "Input–output curve", "ab": "A/B fork"}
TALL_PANELS = ("Relative weighting", "Weight statistics", "A/B fork")


def name_in(frame: dict, name: str) -> bool:
    return name in frame.get("projections", {})



def clean_view(view) -> dict:
    """A circuit's ``view`` block with the expected types only. Files are checked at load (the schema);
    a circuit built in code is not, and a wrong type must not leave the demonstration half built."""
    if not isinstance(view, dict):
        return {}
    out = {}
    plots = view.get("plots")
    if isinstance(plots, (list, tuple)):
        out["plots"] = [p for p in plots if isinstance(p, str)]
    for key in ("focus", "explanation"):
        if isinstance(view.get(key), str):
            out[key] = view[key]
    return out

class DemoLayouts:
    """Needs ``win``, ``live``, ``dock``, ``view`` and ``presenting`` (see ``Presenter``)."""

    def demo_duration(self) -> float:
        """The open circuit's run length in seconds (0 when it sets none)."""
        return float(getattr(self.win.document.circuit.settings, "duration_s", 0) or 0)

    def plot_docks(self, view: dict | None = None) -> list[QDockWidget]:
        view = self.view if view is None else view
        names = [PLOT_DOCKS[k] for k in view.get("plots", []) if k in PLOT_DOCKS]
        return [self.live.docks[n] for n in dict.fromkeys(names)]

    def apply_view(self, view: dict) -> None:
        """Show the listed plot docks side by side, tab the others behind them, show the Demonstration
        dock and point the weight panels at ``view['focus']``.

        Tall panels (the relative-weighting scatter, the three weight-statistics plots) get a column of
        their own; the other listed panels are stacked two to a column, in the order of the view."""
        win = self.win
        listed = self.plot_docks(view)
        if listed:
            rest = [d for d in self.live.docks.values() if d not in listed]
            if "Protocol" in win.docks and not self.presenting:
                rest.append(win.docks["Protocol"])
            for d in listed + rest:
                win.removeDockWidget(d)
            columns: list[list[QDockWidget]] = []
            for d in listed:
                if d.windowTitle() in TALL_PANELS:
                    columns.append([d])
                else:
                    open_col = next((c for c in columns if len(c) == 1 and c[0].windowTitle() not in TALL_PANELS),
                                    None)
                    if open_col is not None:
                        open_col.append(d)
                    else:
                        columns.append([d])
            win.addDockWidget(Qt.BottomDockWidgetArea, columns[0][0])
            for prev, col in zip(columns, columns[1:]):
                win.splitDockWidget(prev[0], col[0], Qt.Horizontal)
            for col in columns:
                if len(col) == 2:
                    win.splitDockWidget(col[0], col[1], Qt.Vertical)
            for d in listed:
                d.show()
            # the other panels wait as tabs beside the live controls: a tab group among the plots would
            # stop QMainWindow.resizeDocks from sizing the columns
            anchor = next((win.docks[n] for n in ("Live controls", "Regions")
                           if n in win.docks and win.dockWidgetArea(win.docks[n]) != Qt.NoDockWidgetArea), None)
            # placed for when Simulation > Panels shows them, hidden meanwhile: a dozen tabs beside the
            # live controls elide every title ("R…") at 1366x768 (the Demonstration dock lists the protocol)
            for d in rest:
                win.tabifyDockWidget(anchor if anchor is not None else listed[-1], d)
                d.hide()
            if anchor is not None:
                anchor.raise_()
            for d in listed:
                d.raise_()
            self._columns = columns
            self._rest = rest
        self.dock.show()
        self.dock.raise_()
        rates = self.live.panels["Population rates"]
        duration = self.demo_duration()
        windows = [k for k, v in RATE_WINDOWS.items() if v >= duration]
        if duration and windows:  # the whole protocol in view: events and their consequences
            rates.window_box.setCurrentText(windows[0])
        self._size_plots()
        QTimer.singleShot(0, self._settle)
        focus = view.get("focus", "")
        self._pending_focus = focus
        if focus:
            self._focus(focus)

    def _settle(self) -> None:
        """After the window has laid itself out: sizes, and the raised tabs (raise_ before show is lost)."""
        self.dock.raise_()
        for d in self.plot_docks():
            d.raise_()
        self._size_plots()

    def _size_plots(self) -> None:
        """Plots take most of the height, columns share the width. QMainWindow.resizeDocks ignores
        docks in a tab group, so the panels tabbed behind the last column leave during the resize."""
        win = self.win
        listed = self.plot_docks()
        columns = [c for c in getattr(self, "_columns", []) if all(d in listed for d in c)]
        if not columns:
            return
        area = win.dockWidgetArea(listed[-1])
        tabbed = [(d, not d.isHidden()) for d in win.docks.values()
                  if d not in listed and d is not self.dock and win.dockWidgetArea(d) == area]
        for d, _ in tabbed:
            win.removeDockWidget(d)
        if self.presenting:  # hidden tab groups (Inspector) also block it; leave() restores every dock
            for d in win.docks.values():
                if d not in listed and d is not self.dock and not any(d is t for t, _ in tabbed):
                    win.removeDockWidget(d)
        height = int(win.height() * (0.68 if self.presenting else 0.62))
        for col in columns:
            win.resizeDocks(col, [height // len(col)] * len(col), Qt.Vertical)
        side = int(win.width() * (0.26 if self.presenting else 0.3)) if self.dock.isVisible() else 0
        if side:
            win.resizeDocks([self.dock], [side], Qt.Horizontal)
        wide = 1.2 if self.presenting else 1.1  # the scatter is square and its numbers box is wide
        weights = [wide if c[0].windowTitle() == "Relative weighting" else 1.0 for c in columns]
        total = win.width() - 8 - (side if self.presenting else 0)  # the Demonstration dock spans the height
        win.resizeDocks([c[0] for c in columns], [int(total * w / sum(weights)) for w in weights], Qt.Horizontal)
        if self.presenting:  # only the demo's plots (the others stay in Simulation > Panels)
            self._hide_stray_tab_bars()
            return
        for d, shown in tabbed:
            win.tabifyDockWidget(listed[-1], d)
            d.setVisible(shown)
        listed[-1].raise_()
        self._hide_stray_tab_bars()

    def _hide_stray_tab_bars(self) -> None:
        """QMainWindow leaves the tab bar of a group whose docks were all hidden or removed on screen
        after a layout is restored (presentation mode entered a second time): "Regions | Live controls"
        drawn over the rate plot's controls. A bar with fewer than two shown docks among its tabs (Qt shows a
        group's bar only from two docks on) goes."""
        from PySide6.QtWidgets import QTabBar

        win = self.win
        shown = {d.windowTitle() for d in win.docks.values() if not d.isHidden()}
        for bar in win.findChildren(QTabBar, options=Qt.FindDirectChildrenOnly):
            if bar.isVisible() and sum(bar.tabText(i) in shown for i in range(bar.count())) < 2:
                bar.hide()

    def _focus(self, name: str, frame: dict | None = None) -> bool:
        """Point the weight panels at projection ``name``; True once every picker has it."""
        done = True
        for panel in self.live.panels.values():
            picker = getattr(panel, "picker", None)
            if picker is not None:
                if frame is not None:
                    picker.sync(frame)
                done = picker.select(name) and done
            else:
                panel.focus("projection", name)
        return done
