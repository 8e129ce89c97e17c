"""Excitatory / inhibitory input per region, and the membrane potential of a chosen neuron."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel

from .base import EventMarkers, Panel, peaks, region_colors, scrolling_time_axis, settle, style_plot


class EIPanel(Panel):
    title = "E/I input"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.controls.addWidget(QLabel("mean synaptic input state per region: solid excitatory, dashed inhibitory"))
        self.controls.addStretch(1)
        self.plot = style_plot(self.glw.addPlot(), "input", None)
        self.legend = self.plot.addLegend(offset=(-6, 4), labelTextSize="8pt", brush=(255, 255, 255, 210))
        self.curves: dict[str, tuple] = {}
        self.markers = EventMarkers(self.plot, labels=False)
        self._regions = None

    def update_frame(self, frame: dict) -> None:
        ei = frame["ei"]
        names = frame["regions"]
        if self._regions != tuple(names):
            for a, b in self.curves.values():
                self.plot.removeItem(a)
                self.plot.removeItem(b)
            self.legend.clear()
            self.curves.clear()
            colors = region_colors(frame)
            for i, n in enumerate(names):
                if len(ei["values"]) and np.isnan(ei["values"][-1, 2 * i]):
                    continue
                self.curves[n] = (self.plot.plot([], [], pen=pg.mkPen(colors[n], width=1.6), name=f"{n} E"),
                                  self.plot.plot([], [], pen=pg.mkPen(colors[n], width=1.6, style=Qt.DashLine),
                                                 name=f"{n} I"))
            self._regions = tuple(names)
        for n, (a, b) in self.curves.items():
            i = names.index(n)
            a.setData(ei["t"], ei["values"][:, 2 * i])
            b.setData(ei["t"], ei["values"][:, 2 * i + 1])
        self.markers.update(frame["fired"])
        settle(self.plot)

    def clear(self) -> None:
        self._regions = None
        self.markers.clear()


class VoltagePanel(Panel):
    title = "Membrane potential"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.region = QComboBox()
        self.neuron = QComboBox()
        self.region.setToolTip("Region of the recorded neuron")
        self.neuron.setToolTip("Recorded neuron (recording.voltage_neurons per region)")
        self.controls.addWidget(QLabel("region"))
        self.controls.addWidget(self.region)
        self.controls.addWidget(QLabel("neuron"))
        self.controls.addWidget(self.neuron)
        self.controls.addStretch(1)
        self.plot = scrolling_time_axis(style_plot(self.glw.addPlot(), "V", "mV"))
        self.curve = self.plot.plot([], [], pen=pg.mkPen("#2b3036", width=1.2))
        self.markers = EventMarkers(self.plot, labels=False)
        self.region.currentIndexChanged.connect(lambda *_: self._fill_neurons())
        self.frame = None
        self._regions = None

    def _fill_neurons(self) -> None:
        if self.frame is None:
            return
        f = self.frame
        name = self.region.currentData()
        self.neuron.clear()
        if name is None:
            return
        i = f["regions"].index(name)
        off = sum(f["voltage"]["counts"][:i])
        for j in range(f["voltage"]["counts"][i]):
            self.neuron.addItem(f"#{int(f['voltage']['index'][off + j])}", off + j)

    def update_frame(self, frame: dict) -> None:
        self.frame = frame
        if self._regions != tuple(frame["regions"]):
            self.region.blockSignals(True)
            self.region.clear()
            for i, n in enumerate(frame["regions"]):
                if frame["spiking"][i] and frame["kinds"][i] not in ("poisson", "pattern", "spike_train") \
                        and frame["voltage"]["counts"][i]:
                    self.region.addItem(n, n)
            self.region.blockSignals(False)
            self._regions = tuple(frame["regions"])
            self._fill_neurons()
        col = self.neuron.currentData()
        v = frame["voltage"]
        if col is None or not len(v["t"]):
            self.curve.setData([], [])
            return
        t = frame["t"]
        self.plot.setXRange(max(0.0, t - 1.0), max(t, 1.0), padding=0)
        # 1 s at 10 kHz, once at screen resolution (not again on every scroll, see gui.plots.base.peaks)
        self.curve.setData(*peaks(v["t"], v["values"][:, col], self.plot.getViewBox().width()))
        self.markers.update(frame["fired"])
        settle(self.plot)

    def focus(self, kind: str, name: str) -> None:
        if kind == "region":
            i = self.region.findData(name)
            if i >= 0:
                self.region.setCurrentIndex(i)

    def clear(self) -> None:
        self.curve.setData([], [])
        self.markers.clear()
