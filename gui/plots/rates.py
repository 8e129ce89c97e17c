"""Population rate of every region in a scrolling window, homeostatic targets as dashed lines."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel

import simcore

from .base import (EventMarkers, Panel, cached, nice_ceil, peaks_of_columns, region_colors, scroll_x,
                   scrolling_time_axis, settle, style_plot)

WINDOWS = {"2 s": 2.0, "5 s": 5.0, "10 s": 10.0, "30 s": 30.0, "60 s": 60.0}
LEVEL_FLOOR = 0.1   # the modulator axis shows at least 0..0.1 (a closed gate: a flat line at 0)
# The traces repaint every frame: Qt draws one-pixel lines on a fast path, wider ones through its
# stroker (~1.4 ms more per trace and paint on a 500-pixel plot). The focused trace stays wide.
TRACE_WIDTH = 1.0
FOCUS_WIDTH = 2.6
SMOOTHING = {"raw bins": 0.0, "50 ms": 0.05, "100 ms": 0.1, "250 ms": 0.25, "1 s": 1.0}


def smooth(y: np.ndarray, k: int) -> np.ndarray:
    """Causal moving average over ``k`` bins (the first bins average what exists); along the first
    axis, so the columns of a 2-D array (one per curve) are smoothed at once."""
    if k <= 1 or len(y) < 2:
        return y
    c = np.cumsum(np.nan_to_num(y), axis=0, dtype=float)
    out = c.copy()
    out[k:] = c[k:] - c[:-k]
    n = np.minimum(np.arange(1, len(y) + 1), k)
    return out / (n if y.ndim == 1 else n[:, None])


def target_params(kind) -> list[str]:
    """Names of a rule's parameters that are a target rate: unit Hz and 'target' or 'rho0' in the name."""
    return [p.name for p in kind.params
            if p.unit == "Hz" and ("target" in p.name.lower() or "rho0" in p.name.lower())]


def homeostatic_targets(circuit) -> list[tuple[str, str, float]]:
    """(target region, label, Hz) for every enabled rule with a target-rate parameter."""
    out = []
    rule_kinds = simcore.kinds("rule")
    for p in circuit.projections:
        for r in p.rules:
            k = rule_kinds.get(r.kind)
            if k is None or not r.enabled:
                continue
            for name in target_params(k):
                out.append((p.target, f"{p.target} target ({k.label})", float(r.params.get(name, 0.0))))
    for reg in circuit.regions:
        h = getattr(reg, "homeostasis", None)
        if h is not None and h.enabled:
            k = simcore.kind("homeostasis", h.kind)
            for name in target_params(k):
                out.append((reg.name, f"{reg.name} target ({k.label})", float(h.params.get(name, 0.0))))
    return out


def is_source(model: str) -> bool:
    """A region kind that generates spikes instead of integrating input (declared as ``source``)."""
    try:
        return bool(simcore.kind("neuron", model).info.get("source"))
    except Exception:
        return False


class ScrollingTrace(pg.PlotCurveItem):
    """A curve in a view that scrolls: its bounds are worked out again when its data change or the
    view's scale does, not when the view only moves. pyqtgraph drops them on every change of the
    view's transform (they include the pen's width in pixels), so a scrolling plot computed each
    curve's bounds twice a frame (after its new data, and after the scroll): ~0.25 ms of the GUI
    thread a frame for the rate panel's curves."""

    _scale = None

    def viewTransformChanged(self):
        t = self.deviceTransform_()  # pyqtgraph: item to device pixels, None before the view shows it
        scale = None if t is None else (t.m11(), t.m12(), t.m21(), t.m22())
        if scale is not None and scale == self._scale:
            return  # moved only: the same bounds in data coordinates (the pen is as wide in pixels)
        self._scale = scale
        super().viewTransformChanged()


def trace(color, name: str) -> pg.PlotCurveItem:
    """One region's line: a bare ``PlotCurveItem``, not a ``PlotDataItem`` (its data come smoothed,
    thinned and trimmed to the window each frame; PlotDataItem's own processing and bookkeeping made
    its ``setData`` 5x as costly: 0.15 against 0.03 ms, twice a frame)."""
    c = ScrollingTrace(pen=pg.mkPen(color, width=TRACE_WIDTH), name=name, connect="finite")
    c.main_trace = True  # the presentation look widens it like the other panels' main lines
    return c


class RatePanel(Panel):
    title = "Population rates"

    def __init__(self, circuit_getter, parent=None):
        super().__init__(parent)
        self.circuit = circuit_getter
        self.window_box = QComboBox()
        self.window_box.addItems(list(WINDOWS))
        self.window_box.setCurrentText("10 s")
        self.window_box.setToolTip("Length of the scrolling time window")
        self.smoothing = QComboBox()
        self.smoothing.addItems(list(SMOOTHING))
        self.smoothing.setCurrentText("100 ms")
        self.smoothing.setToolTip("Moving average of the population rate (the engine bins at rate_bin_ms)")
        self.controls.addWidget(QLabel("window"))
        self.controls.addWidget(self.window_box)
        self.controls.addWidget(QLabel("smoothing"))
        self.controls.addWidget(self.smoothing)
        # input sources often fire far faster than the neurons they drive (800-1000 Hz against 5 Hz):
        # on one axis they would flatten every neuron trace, so they are off unless asked for
        self.show_sources = QCheckBox("inputs", objectName="showSources")
        self.show_sources.setToolTip("Also plot the rates of input sources (they can be far higher than the neurons')")
        self.show_sources.toggled.connect(self._rebuild)
        self.controls.addWidget(self.show_sources)
        self.controls.addStretch(1)
        self.controls.addWidget(self.info)
        self.plot = style_plot(self.glw.addPlot(row=0, col=0), "rate", "Hz")
        # a scrolling plot repaints every frame: no grid (full-view line drawing), and fixed ranges
        # set here rather than auto-range (which re-ranges after the paint and paints twice)
        self.plot.showGrid(x=False, y=True, alpha=0.12)
        self.plot.disableAutoRange()
        scrolling_time_axis(self.plot)
        self._ymax = 0.0
        self.legend = self.plot.addLegend(offset=(-6, 6), labelTextSize="8pt", brush=(255, 255, 255, 210),
                                          pen=pg.mkPen("#d0d4da"))
        self.level_plot = None
        self.level_curves: dict[str, pg.PlotCurveItem] = {}
        self.curves: dict[str, pg.PlotCurveItem] = {}
        self.targets: list[pg.InfiniteLine] = []
        self._target_key = None
        self.markers = EventMarkers(self.plot)
        self.markers.keep_clear_of(self.legend)
        self.level_markers = None
        self.focused = ""
        self._regions = None

    def _build(self, frame) -> None:
        self.clear()
        colors = region_colors(frame)
        self.colors = colors
        sources = [is_source(k) for k in frame["kinds"]]
        only_sources = all(s for s, k in zip(sources, frame["kinds"]) if k != "modulator")
        for i, name in enumerate(frame["regions"]):
            if frame["kinds"][i] == "modulator":
                continue
            if sources[i] and not (self.show_sources.isChecked() or only_sources):
                continue
            c = trace(colors[name], name)
            self.plot.addItem(c)
            self.curves[name] = c
        mods = frame["levels"]["names"]
        if mods:
            # "level" (its legend names the modulator): "modulator" was longer than a short plot's axis
            self.level_plot = style_plot(self.glw.addPlot(row=1, col=0), "level", None)
            self.level_plot.getAxis("left").setToolTip("Level of the modulatory signal (reward, gate)")
            self.level_plot.setXLink(self.plot)
            self.level_plot.setMaximumHeight(120)
            self.level_plot.showGrid(x=False, y=False)
            self.level_plot.addLegend(offset=(-6, 4), labelTextSize="8pt", brush=(255, 255, 255, 210))
            self.plot.getAxis("bottom").setLabel("")
            for name in mods:
                self.level_curves[name] = trace(colors[name], f"{name} level")
                self.level_plot.addItem(self.level_curves[name])
            self.level_markers = EventMarkers(self.level_plot, labels=False)
        self._regions = tuple(frame["regions"])

    def _rebuild(self, *_) -> None:
        self._regions = None
        self._ymax = 0.0
        if getattr(self, "_last", None) is not None:
            self.update_frame(self._last)

    def clear(self) -> None:
        self._last = None
        for c in self.curves.values():
            self.plot.removeItem(c)
            self.legend.removeItem(c)
        self.curves.clear()
        for line in self.targets:
            self.plot.removeItem(line)
        self.targets.clear()
        self._target_key = None
        self.markers.clear()
        if self.level_plot is not None:
            self.glw.removeItem(self.level_plot)
            self.level_plot = None
            self.level_curves.clear()
            self.level_markers = None
            self._level_top = None
            self.plot.getAxis("bottom").setLabel("time", units="s")
        self._regions = None
        self._ymax = 0.0

    def update_frame(self, frame: dict) -> None:
        if self._regions != tuple(frame["regions"]):
            self._build(frame)
        self._last = frame
        r = frame["rates"]
        t = r["t"]
        window = WINDOWS[self.window_box.currentText()]
        sm = SMOOTHING[self.smoothing.currentText()]
        k = max(1, int(round(sm / (t[1] - t[0])))) if sm and len(t) > 1 else 1
        keep = t >= frame["t"] - window - 0.5 - sm
        scroll_x(self.plot, frame["t"], window)
        shown = [i for i, n in enumerate(frame["regions"]) if n in self.curves]
        vals = r["values"][keep][:, shown] if shown else r["values"][keep][:, :0]
        top = max([float(np.nanmax(vals)) if vals.size and not np.isnan(vals).all() else 0.0]
                  + [hz for _, _, hz in (self._target_key or [])] + [1.0])
        if top > self._ymax or top < self._ymax * 0.4:
            self._ymax = nice_ceil(top * 1.15)
            self.plot.setYRange(0, self._ymax, padding=0)
        px = self.plot.getViewBox().width()  # the curves come trimmed to the window, at screen resolution
        if shown:  # all curves smoothed and thinned in one pass (they share the time axis)
            for i, (x, y) in zip(shown, peaks_of_columns(t[keep], smooth(vals, k), px)):
                self.curves[frame["regions"][i]].setData(x, y)
        lv = frame["levels"]
        if self.level_plot is not None and len(lv["t"]):
            keep_l = lv["t"] >= frame["t"] - window - 0.5
            shown = lv["values"][keep_l]
            for j, name in enumerate(lv["names"]):
                self.level_curves[name].setData(lv["t"][keep_l], shown[:, j])
            # a fixed range from 0: auto-range on a level decayed to 1e-108 labelled the axis "3e-108"
            peak = float(np.nanmax(shown)) if shown.size and not np.isnan(shown).all() else 0.0
            top = nice_ceil(max(peak, LEVEL_FLOOR) * 1.15)
            if top != getattr(self, "_level_top", None):
                self._level_top = top
                self.level_plot.disableAutoRange(axis="y")
                self.level_plot.setYRange(0, top, padding=0)
            self.level_markers.update(frame["fired"])
        self._update_targets()
        self.markers.update(frame["fired"])
        settle(self.plot, *([self.level_plot] if self.level_plot is not None else []))
        self.markers.dodge()  # in the settled view
        if len(t) and self.texts.due(self.info, force=not frame.get("running", False)):
            recent = t >= frame["t"] - 1.0
            txt = "  ".join(f"{n}: {np.nanmean(r['values'][recent, i]):.1f} Hz"
                            for i, n in enumerate(frame["regions"]) if n in self.curves)
            self.texts.set(self.info, f"last 1 s — {txt}", force=not frame.get("running", False))

    def _update_targets(self) -> None:
        try:
            targets = homeostatic_targets(self.circuit())
        except Exception:
            targets = []
        if targets == self._target_key:
            return
        for line in self.targets:
            self.plot.removeItem(line)
        self.targets.clear()
        self._target_key = targets
        for region, label, hz in targets:
            color = self.colors.get(region, pg.mkColor("#444")) if hasattr(self, "colors") else pg.mkColor("#444")
            line = pg.InfiniteLine(pos=hz, angle=0, movable=False, pen=pg.mkPen("#1f2328", width=1.6,
                                                                                 style=Qt.DashLine),
                                   label=f"{label}: {hz:g} Hz",
                                   labelOpts={"position": 0.02, "color": "#1f2328", "fill": (255, 255, 255, 190),
                                              "anchors": [(0, 1), (0, 1)]})
            line.setZValue(20)
            cached(line.label)  # it only moves as the view scrolls: painted from its pixmap
            self.plot.addItem(line)
            self.targets.append(line)

    def focus(self, kind: str, name: str) -> None:
        """Emphasise one region's trace (the others fade)."""
        self.focused = name if kind == "region" and name in self.curves else ""
        for n, c in self.curves.items():
            color = pg.mkColor(self.colors[n])
            if self.focused and n != self.focused:
                color.setAlpha(70)
            c.setPen(pg.mkPen(color, width=FOCUS_WIDTH if n == self.focused else TRACE_WIDTH))
            c.setZValue(10 if n == self.focused else 0)
